"""Danish sentences: the one splitter for ``diff``, LIX and the long-sentence check.

A sentence ends at ``.``, ``!``, ``?`` or ``:`` followed by white space and something that can start
a sentence (a capital letter, a digit, a quote or a parenthesis), except after an abbreviation
(``data/sentences.yaml``: "kl. 8", "jf. § 85, stk. 2", "bl.a. Aarhus"). An abbreviation a sentence
may end with ("mv.", "osv.") ends it before a capital letter. Ordinals ("1. januar", "3. klasse")
and "§ 104, stk. 2" are followed by a lower-case word or a digit after an abbreviation, so they
never end a sentence on their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

_CANDIDATE = re.compile(r"[.!?:][\"”»)]*\s+(?=[\"“”»(]?([A-ZÆØÅ0-9§]))")
_CHUNK = re.compile(r"\S+$")


@dataclass(frozen=True)
class Abbreviations:
    never_final: frozenset[str]
    may_end: frozenset[str]


@lru_cache(maxsize=1)
def abbreviations() -> Abbreviations:
    text = (resources.files("standardgen") / "data" / "sentences.yaml").read_text(
        encoding="utf-8")
    data = yaml.safe_load(text)
    return Abbreviations(frozenset(w.lower() for w in data["never_final"]),
                         frozenset(w.lower() for w in data["may_end"]))


def sentences(text: str) -> list[str]:
    """The sentences of one paragraph or list item, stripped; white space alone gives none."""
    found, start = [], 0
    for match in _CANDIDATE.finditer(text):
        if _ends(text[start:match.start() + 1], match.group(1)):
            found.append(text[start:match.end()].strip())
            start = match.end()
    found.append(text[start:].strip())
    return [s for s in found if s]


def _ends(before: str, following: str) -> bool:
    """Does the sentence end at the last character of ``before``, given the first character of
    the text after it?"""
    if before[-1] != ".":
        return True  # ! ? : always end a sentence before a capital or digit
    chunk = _CHUNK.search(before)
    word = (chunk.group(0) if chunk else "").lstrip("(\"“»[").lower()
    words = abbreviations()
    if word in words.never_final:
        return False
    if word in words.may_end:
        return following.isupper()
    return True
