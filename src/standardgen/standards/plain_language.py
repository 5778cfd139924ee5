"""Plain language (klarsprog): the LIX readability index and sentences that run long.

LIX (Björnsson 1968), the figure Danish plain-language work uses: words per sentence plus the
percentage of long words (more than six letters). Below 25 is very easy, 25-34 easy, 35-44
medium, 45-54 hard, 55 and above very hard. Sentences are Danish sentences
(:mod:`standardgen.core.sentences`: "kl. 8", "stk. 2" and "26. april" end none), and a sentence
also ends with every paragraph and list item (a list item has no full stop of its own).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field

from standardgen.core import markup
from standardgen.core.codes import Code
from standardgen.core.problems import Problem, Severity
from standardgen.core.sentences import sentences as danish_sentences
from standardgen.standards.model import Frozen, Section, Standard

if TYPE_CHECKING:
    from standardgen.standards.catalogue import LoadedStandard

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*|\d+(?:[.,]\d+)*")
_ADDRESS = re.compile(r"\S+@\S+\.[a-z]{2,}|https?://\S+|www\.\S+", re.IGNORECASE)
LONG = 6

BANDS = ((25, "meget let"), (35, "let"), (45, "middel"), (55, "svær"))


@dataclass(frozen=True)
class Readability:
    words: int
    sentences: int
    long_words: int

    @property
    def lix(self) -> float:
        if not self.words or not self.sentences:
            return 0.0
        return self.words / self.sentences + 100 * self.long_words / self.words

    @property
    def band(self) -> str:
        return next((name for limit, name in BANDS if self.lix < limit), "meget svær")

    def __add__(self, other: Readability) -> Readability:
        return Readability(self.words + other.words, self.sentences + other.sentences,
                           self.long_words + other.long_words)

    def describe(self) -> str:
        long_share = round(100 * self.long_words / self.words) if self.words else 0
        return (f"LIX {round(self.lix)} ({self.band}): {self.words} ord, {self.sentences} "
                f"sætninger, {long_share} % lange ord")


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def sentences(text: str) -> list[str]:
    """The sentences of one paragraph or list item (plain text)."""
    return [s for s in danish_sentences(text) if words(s)]


def readability(texts: Iterable[str]) -> Readability:
    """LIX figures of paragraphs or list items given as inline markup."""
    total = Readability(0, 0, 0)
    for text in texts:
        # A bare address (<https://...>) is not prose: its parts would count as long words.
        plain = "".join(span.text for span in markup.to_spans(text)
                        if not (span.href and span.text == span.href))
        plain = _ADDRESS.sub(" ", plain)  # e-mail and web addresses written out are not prose
        found = words(plain)
        if not found:
            continue
        long_words = sum(1 for w in found if sum(c.isalpha() for c in w) > LONG)
        total = total + Readability(len(found), len(sentences(plain)), long_words)
    return total


def block_texts(section: Section) -> Iterator[tuple[int, str]]:
    """``(block index, text)`` of every paragraph and list item of a section."""
    for index, block in enumerate(section.content):
        for text in block.texts:  # blocks are normalised at load: one paragraph or a list
            yield index, text


def standard_readability(standard: Standard) -> Readability:
    """The standard's own running text: every section's paragraphs and list items (titles and
    the quoted law are not the municipality's prose)."""
    return readability(text for section in standard.sections for _, text in block_texts(section))


def long_sentences(text: str, limit: int) -> list[tuple[int, str]]:
    """``(words, sentence)`` for each sentence of ``text`` longer than ``limit`` words."""
    found = []
    for sentence in sentences(markup.to_plain(text)):
        count = len(words(sentence))
        if count > limit:
            found.append((count, sentence))
    return found


# --- standardgen check -------------------------------------------------------------------------

class PlainLanguage(Frozen):
    """How many words a sentence may have before `check` names it, and how loudly."""

    sentence_words: Annotated[int, Field(ge=5)] = 30
    level: Literal["info", "warning"] = "info"


class PlainLanguageRules(Frozen):
    default: PlainLanguage = PlainLanguage()
    profiles: dict[str, PlainLanguage] = Field(default_factory=dict)


@lru_cache(maxsize=1)
def plain_language_rules() -> PlainLanguageRules:
    """``data/plain_language.yaml``: ships with the package, so a broken file is our bug."""
    from standardgen.core import validation

    resource = resources.files("standardgen") / "data" / "plain_language.yaml"
    with resources.as_file(resource) as path:
        return validation.load(path, PlainLanguageRules)


def check_problems(items: Iterable[LoadedStandard], *, per_section: bool) -> list[Problem]:
    """LIX of each standard (and each section with ``per_section``) as information, and each
    sentence longer than the profile allows, at the block it is in."""
    from standardgen.core.yamlsource import load_yaml

    rules = plain_language_rules()
    problems: list[Problem] = []
    for item in items:
        standard = item.standard
        document = load_yaml(item.source)
        rule = rules.profiles.get(standard.profile, rules.default)
        problems.append(document.problem(
            ("title",), "klarsprog, hele standarden: "
            f"{standard_readability(standard).describe()}", code=Code.LIX, severity=Severity.INFO))
        for i, section in enumerate(standard.sections):
            texts = list(block_texts(section))
            figures = readability(text for _, text in texts)
            if per_section and figures.words:
                problems.append(document.problem(
                    ("sections", i, "title"), f"klarsprog, afsnittet '{section.title}': "
                    f"{figures.describe()}", code=Code.LIX, severity=Severity.INFO))
            severity = Severity.WARNING if rule.level == "warning" else Severity.INFO
            for index, text in texts:
                for count, sentence in long_sentences(text, rule.sentence_words):
                    problems.append(document.problem(
                        ("sections", i, "content", index),
                        f"klarsprog: sætningen har {count} ord (profilen anbefaler højst "
                        f"{rule.sentence_words}): '{_shown(sentence)}'", code=Code.LONG_SENTENCE,
                        severity=severity))
    return problems


def _shown(sentence: str, limit: int = 60) -> str:
    return sentence if len(sentence) <= limit else sentence[:limit].rsplit(" ", 1)[0] + " …"
