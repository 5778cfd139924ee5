"""The content of one decision letter as plain data, independent of the output format.

Only dataclasses: the worker processes that render letters import this module and the renderers,
never the case model or the standards, which keeps each worker small.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from standardgen.core.markup import Span
from standardgen.letters.memo import Dispatch

Kind = Literal["p", "list", "quote", "strong"]


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph (``p``, ``quote``, ``strong``: one item) or a bullet list (many items)."""

    kind: Kind
    items: tuple[tuple[Span, ...], ...]


@dataclass(frozen=True, slots=True)
class Part:
    heading: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class Field:
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Letter:
    case_number: str
    file_stem: str  # the case number with the kind's suffix (data/letter_kinds.yaml)
    decision_date: dt.date  # also the PDF's creation date, so the same case gives the same bytes
    title: str
    sender: tuple[str, ...]
    recipient: tuple[str, ...]
    fields: tuple[Field, ...]
    heading: str
    greeting: str
    parts: tuple[Part, ...]
    closing: tuple[str, ...]
    author: str
    footer: str
    page_label: str
    page_of: str
    logo: str | None = None  # the municipality's logo file (absolute path), for the letterhead
    accent: str = "004993"  # the municipality's theme colour (hex, no '#'): the headings
    dispatch: Dispatch | None = None  # what a Digital Post message needs beyond the PDF


def plain(text: str) -> tuple[Span, ...]:
    return (Span(text),)


def paragraph(text: str) -> Block:
    return Block("p", (plain(text),))


def bullets(items: Iterable[str]) -> Block:
    return Block("list", tuple(plain(item) for item in items))


def as_data(letter: Letter) -> Mapping[str, Any]:
    """Plain JSON-able data (for the Typst template, which reads it as data, never as code)."""
    def spans(items: tuple[Span, ...]) -> list[dict[str, Any]]:
        return [{"text": s.text, "bold": s.bold, "italic": s.italic, "href": s.href}
                for s in items]

    return {
        "title": letter.title,
        "author": letter.author,
        "sender": list(letter.sender),
        "recipient": list(letter.recipient),
        "fields": [{"label": f.label, "value": f.value} for f in letter.fields],
        "heading": letter.heading,
        "greeting": letter.greeting,
        "parts": [{"heading": part.heading,
                   "blocks": [{"kind": b.kind, "items": [spans(i) for i in b.items]}
                              for b in part.blocks]} for part in letter.parts],
        "closing": list(letter.closing),
        "footer": letter.footer,
        "page_label": letter.page_label,
        "page_of": letter.page_of,
        "long_words": has_long_word(letter),
        "accent": f"#{letter.accent}",
    }


_LONG_WORD = re.compile(r"\S{30}")


def has_long_word(letter: Letter) -> bool:
    """Whether a value in the letter's head or closing has a word of 30 characters or more (a
    long e-mail address, a name without spaces), which the PDF template must let break: it does
    that work only for such letters."""
    values = (*letter.recipient, *letter.sender, *(f.value for f in letter.fields),
              letter.greeting, *letter.closing)
    return any(_LONG_WORD.search(value) for value in values)
