"""The words the importer recognises (``data/import.yaml``), dates, laws and inline markup."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from standardgen.core import markup
from standardgen.importer.wordfile import Run
from standardgen.standards.model import Role

_NUMBERING = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.?|[A-ZÆØÅ]\.|[IVX]+\.)\s+")
_REFERENCE = re.compile(r"(?:efter\s+|jf\.\s*)?§§?\s*\d+(?:\s?[a-z]\b)?"
                        r"(?:\s*(?:,|og|-|/)\s*\d+(?:\s?[a-z]\b)?)*")


@dataclass(frozen=True)
class RoleMatch:
    """The role a heading was given, how sure that is (0-1) and the role that came second."""

    role: Role | None  # None: nothing in the heading names a part of a standard
    confidence: float
    runner_up: Role | None = None

    @property
    def confident(self) -> bool:
        return self.role is not None and self.confidence >= meaning().confident


@dataclass(frozen=True)
class Meaning:
    """The scored vocabulary of ``meaning:`` in ``data/import.yaml``, with stemmed key words."""

    keywords: dict[Role, dict[str, float]]  # role -> stem -> weight
    negation: frozenset[str]
    moves: dict[Role, Role]
    neutral: frozenset[str]
    prefixes: tuple[str, ...]
    min_score: float
    strong: float
    confident: float

    def match(self, key: str) -> RoleMatch:
        """Score a normalised heading against every role (see ``data/import.yaml``)."""
        stems = [s for s in map(stem, _words(self.unprefixed(key))) if s not in self.neutral]
        scores = {role: sum(_best(s, words) for s in stems)
                  for role, words in self.keywords.items()}
        if self.negation.intersection(stems):
            for source, target in self.moves.items():
                scores[target] += scores[source]
                scores[source] = 0.0
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        (best, top), (second, next_) = ranked[0], ranked[1]
        if top < self.min_score:
            return RoleMatch(None, 0.0, best if top > 0 else None)
        confidence = top / (top + next_) * min(1.0, top / self.strong)
        return RoleMatch(best, round(confidence, 2), second if next_ > 0 else None)

    def unprefixed(self, key: str) -> str:
        first, _, rest = key.partition(" ")
        return rest if first in self.prefixes and rest else key


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[^\wæøå]+", text) if w]


def _best(token: str, words: dict[str, float]) -> float:
    """The weight of the key word the token is, or ends with (a compound's head) or starts with
    (its first part, counted lower)."""
    best = 0.0
    for word, weight in words.items():
        if token == word:
            hit = 1.0
        elif len(word) >= 4 and len(token) > len(word) + 2:
            hit = 0.9 if token.endswith(word) else 0.6 if token.startswith(word) else 0.0
        else:
            continue
        best = max(best, hit * weight)
    return best


@lru_cache(maxsize=4096)
def stem(word: str) -> str:
    return str(_stemmer().stemWord(word))


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import snowballstemmer  # a few milliseconds; only an import needs it

    return snowballstemmer.stemmer("danish")


@dataclass(frozen=True, eq=False)  # hashed by identity: one per process (lru_cache below)
class Vocabulary:
    roles: dict[str, Role]  # normalised heading -> role (exact headings: certain)
    facts: dict[str, str]  # normalised label -> fact key
    versions_headings: frozenset[str]
    boilerplate: frozenset[str]
    laws: dict[str, str]
    default_law: str
    generated: tuple[str, ...] = ()  # lines our own .docx writes from data kept elsewhere

    def match(self, heading: str) -> RoleMatch:
        """The role of a section heading: certain when listed, else by meaning."""
        key = normalise(heading)
        if key in self.roles:
            return RoleMatch(self.roles[key], 1.0)
        unprefixed = meaning().unprefixed(key)
        if unprefixed in self.roles:
            return RoleMatch(self.roles[unprefixed], 1.0)
        return _guess(self, key)

    def role(self, heading: str) -> Role | None:
        """A role the heading names with confidence (not ``other``): what tells a heading, a
        title and a table label apart."""
        found = self.match(heading)
        return found.role if found.confident and found.role is not Role.other else None

    def fact(self, label: str) -> str | None:
        return self.facts.get(normalise(label))

    def law(self, name: str) -> str:
        cleaned = re.sub(r"^(?:i|jf\.?|efter|ifølge)\s+", "", name.strip(" ,.;:"), flags=re.I)
        if not cleaned:
            return self.default_law
        return self.laws.get(cleaned.lower(), cleaned[:1].upper() + cleaned[1:])


@lru_cache(maxsize=1024)
def _guess(words: Vocabulary, key: str) -> RoleMatch:
    """A heading scored by meaning; when that is unsure, one close to a listed heading (a typo:
    difflib, the slower test, so only then). Cached, as documents repeat headings."""
    scored = meaning().match(key)
    if scored.confident:
        return scored
    close = difflib.get_close_matches(key, words.roles, n=1, cutoff=0.88)
    return RoleMatch(words.roles[close[0]], 0.95) if close else scored


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    text = (resources.files("standardgen") / "data" / "import.yaml").read_text(encoding="utf-8")
    loaded: dict[str, Any] = yaml.safe_load(text)
    return loaded


@lru_cache(maxsize=1)
def meaning() -> Meaning:
    data = _data()["meaning"]
    keywords = {Role(role): {stem(w): float(v) for w, v in words.items()}
                for role, words in data["keywords"].items()}
    return Meaning(keywords, frozenset(stem(w) for w in data["negation"]["words"]),
                   {Role(a): Role(b) for a, b in data["negation"]["moves"].items()},
                   frozenset(stem(w) for w in data["neutral"]), tuple(data["prefixes"]),
                   float(data["min_score"]), float(data["strong"]), float(data["confident"]))


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    data = _data()
    roles = {normalise(h): Role(role) for role, hs in data["roles"].items() for h in hs}
    facts = {normalise(label): key for key, labels in data["facts"].items() for label in labels}
    return Vocabulary(roles, facts, frozenset(normalise(h) for h in data["versions_headings"]),
                      frozenset(data["versions_boilerplate"]),
                      {k.lower(): v for k, v in data["laws"].items()}, data["default_law"],
                      tuple(data["generated_lines"]))


def normalise(text: str) -> str:
    """Lower case, without numbering, paragraph references ("efter § 96") and punctuation."""
    text = _NUMBERING.sub("", unicodedata.normalize("NFC", text))
    text = _REFERENCE.sub(" ", text.lower())
    return " ".join(re.sub(r"[^\w\s/-]+", " ", text).split()).strip(" -/")


def strip_numbering(text: str) -> str:
    return _NUMBERING.sub("", text).strip()


def has_numbering(text: str) -> bool:
    return bool(_NUMBERING.match(text))


# --- dates -------------------------------------------------------------------------------------

MONTHS = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
          "oktober", "november", "december"]
_MONTH = "|".join(m[:3] + r"(?:" + m[3:] + r"|\.)?" for m in MONTHS)
DATE = re.compile(rf"(?P<d>\d{{1,2}})\.\s*(?P<m>{_MONTH})\s+(?P<y>\d{{4}})"
                  r"|(?P<d2>\d{1,2})[./-](?P<m2>\d{1,2})[./-](?P<y2>\d{4})"
                  r"|(?P<y3>\d{4})-(?P<m3>\d{2})-(?P<d3>\d{2})", re.IGNORECASE)


def find_date(text: str) -> tuple[dt.date, re.Match[str]] | None:
    for match in DATE.finditer(text):
        try:
            if match.group("d"):
                month = next(i for i, m in enumerate(MONTHS, 1)
                             if m.startswith(match.group("m").lower().rstrip(".")[:3]))
                day = dt.date(int(match.group("y")), month, int(match.group("d")))
            elif match.group("d2"):
                day = dt.date(int(match.group("y2")), int(match.group("m2")),
                              int(match.group("d2")))
            else:
                day = dt.date(int(match.group("y3")), int(match.group("m3")),
                              int(match.group("d3")))
        except ValueError:
            continue
        return day, match
    return None


def date_words(day: dt.date) -> set[str]:
    """How a date may be written in a document, as words (for coverage checks)."""
    return {str(day.day), f"{day.day:02d}", str(day.month), f"{day.month:02d}", str(day.year),
            MONTHS[day.month - 1]}


# --- laws --------------------------------------------------------------------------------------

PARAGRAPH = re.compile(r"§§?\s*\d+\s?[a-z]?\b(?:(?:,\s*|\s+)(?:stk\.\s*\d+|nr\.\s*\d+|og\s+\d+"
                       r"\s?[a-z]?\b|\d+\s?[a-z]?\b))*", re.IGNORECASE)


def split_citation(text: str) -> tuple[str, str] | None:
    """``(law, paragraph)`` of "Lov om social service § 104" or "§ 104 i serviceloven"."""
    match = PARAGRAPH.search(text)
    if not match:
        return None
    law = (text[:match.start()] + " " + text[match.end():]).strip(" ,.;:")
    return " ".join(law.split()), " ".join(match.group(0).split())


# --- inline markup -----------------------------------------------------------------------------

_SPECIAL = re.compile(r"([\\*_\[\]<>`])")


def to_markup(runs: list[Run]) -> str:
    """The runs as the inline markup standards use: **strong**, *emphasis*, links."""
    spans = _spans(runs)
    if not spans:
        return ""
    for escape in (False, True):
        text = "".join(_span_markup(span, escape) for span in spans)
        if markup.to_spans(text) == spans:
            return text
    return _SPECIAL.sub(r"\\\1", "".join(span.text for span in spans))


def _spans(runs: list[Run]) -> list[markup.Span]:
    spans: list[markup.Span] = []
    for run in runs:
        text = re_space(run.text)
        if not text:
            continue
        href = run.href if run.href and run.href.startswith(("http://", "https://", "mailto:")) \
            else None
        span = markup.Span(text, run.bold, run.italic, href)
        if spans and (spans[-1].bold, spans[-1].italic, spans[-1].href) == (
                span.bold, span.italic, span.href):
            spans[-1] = markup.Span(re_space(spans[-1].text + text), span.bold, span.italic, href)
        else:
            spans.append(span)
    if spans and spans[0].text.startswith(" "):
        first = spans[0]
        spans[0] = markup.Span(first.text.lstrip(), first.bold, first.italic, first.href)
    if spans and spans[-1].text.endswith(" "):
        last = spans[-1]
        spans[-1] = markup.Span(last.text.rstrip(), last.bold, last.italic, last.href)
    spans = [s for s in spans if s.text]
    # Collapse spaces across run borders, as the paragraph's plain text does.
    for i in range(1, len(spans)):
        if spans[i - 1].text.endswith(" ") and spans[i].text.startswith(" "):
            s = spans[i]
            spans[i] = markup.Span(s.text.lstrip(), s.bold, s.italic, s.href)
    return [s for s in spans if s.text]


def re_space(text: str) -> str:
    out = re.sub(r"\s+", " ", text)
    return out


def _span_markup(span: markup.Span, escape: bool) -> str:
    text = span.text
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()):]
    core = text.strip()
    if not core:
        return text
    if escape:
        core = _SPECIAL.sub(r"\\\1", core)
    if span.href:
        core = f"<{span.href}>" if span.text.strip() == span.href else f"[{core}]({span.href})"
    if span.bold and span.italic:
        core = f"***{core}***"
    elif span.bold:
        core = f"**{core}**"
    elif span.italic:
        core = f"*{core}*"
    return f"{lead}{core}{trail}"


def slugify(text: str) -> str:
    folded = text.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    folded = "".join(c for c in unicodedata.normalize("NFKD", folded)
                     if not unicodedata.combining(c))
    return "-".join(re.findall(r"[a-z0-9]+", folded))[:60].strip("-")
