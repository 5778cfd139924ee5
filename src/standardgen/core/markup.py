"""Inline markup in standard texts: *emphasis*, **strong** and links, nothing else.

markdown-it-py parses; the renderers get either safe HTML or a flat list of styled spans (for
Word and plain text). Raw HTML in the YAML is never passed through.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

_ALLOWED_SCHEMES = ("https://", "http://", "mailto:")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # "zero" disables every rule; enable only the inline ones a policy text needs.
    return MarkdownIt("zero").enable(["emphasis", "link", "autolink", "escape"])


class _EveryLink(MarkdownIt):
    """A parser that accepts every link, for checking only: markdown-it silently leaves links
    with unsafe schemes (javascript:, data:, file:) as literal text, so they never became link
    tokens and the author was never told. Rendering keeps markdown-it's refusal."""

    def validateLink(self, url: str) -> bool:
        return True


@lru_cache(maxsize=1)
def _checking_parser() -> MarkdownIt:
    return _EveryLink("zero").enable(["emphasis", "link", "autolink", "escape"])


@dataclass(frozen=True)
class Span:
    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None


def _inline_tokens(text: str, parser: MarkdownIt | None = None) -> list[Token]:
    tokens = (parser or _parser()).parseInline(text)
    return tokens[0].children or [] if tokens else []


def to_html(text: str) -> Markup:
    """Safe HTML for one paragraph or list item (escaped; only em, strong and a)."""
    return Markup(_parser().renderInline(text))


def to_spans(text: str) -> list[Span]:
    spans: list[Span] = []
    bold = italic = False
    href: str | None = None
    for token in _inline_tokens(text):
        if token.type == "strong_open":
            bold = True
        elif token.type == "strong_close":
            bold = False
        elif token.type == "em_open":
            italic = True
        elif token.type == "em_close":
            italic = False
        elif token.type == "link_open":
            href = str(token.attrs.get("href", ""))
        elif token.type == "link_close":
            href = None
        elif token.type in ("text", "softbreak"):
            content = token.content if token.type == "text" else " "
            if content:  # markdown-it leaves empty text tokens where delimiters were
                spans.append(Span(content, bold, italic, href))
    return _merge(spans)


def _merge(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for span in spans:
        if merged and (merged[-1].bold, merged[-1].italic, merged[-1].href) == (
            span.bold, span.italic, span.href
        ):
            merged[-1] = Span(merged[-1].text + span.text, span.bold, span.italic, span.href)
        else:
            merged.append(span)
    return merged


def to_plain(text: str) -> str:
    return "".join(span.text for span in to_spans(text))


def link_problems(text: str) -> list[str]:
    """Danish messages for links a reader could not follow."""
    problems = []
    for token in _inline_tokens(text, _checking_parser()):
        if token.type == "link_open":
            href = str(token.attrs.get("href", ""))
            if not href.startswith(_ALLOWED_SCHEMES):
                problems.append(f"linket '{href}' skal begynde med https:// eller mailto:")
    return problems


# --- Danish typography ------------------------------------------------------------------------

NBSP = "\u00a0"
# Units a number is never parted from; whole words only ("3 dage", not "3 dagtilbud").
_UNITS = ("timer", "time", "minutter", "minut", "min", "døgn", "dage", "dag", "uger", "uge",
          "måneder", "måned", "år", "gange", "gang", "besøg", "kroner", "kr", "procent", "pct",
          "km", "kg", "cm", "mm", "m")
# A space that must not break a line: after "§"/"§§", "stk.", "kl.", "nr." and "pkt." before a
# number, and between a number and its unit. The pattern starts with the space itself, so that
# the engine skips quickly from space to space (a letter's whole JSON is typeset in one pass);
# the cheap look-ahead for a digit goes before the look-behinds (fixed width, one each).
_TIED_SPACE = re.compile(
    r" (?:(?=\d)(?:(?<=§ )|(?<=\bstk\. )|(?<=\bkl\. )|(?<=\bnr\. )|(?<=\bpkt\. ))"
    r"|(?<=[\d½¼¾] )(?=(?:" + "|".join(_UNITS) + r")(?!\w)|%))",
    re.IGNORECASE)


def typeset_text(text: str) -> str:
    """``text`` with the spaces that must not break a line made non-breaking (U+00A0).

    The one rule for Danish typography, applied when a document is rendered (never in the YAML)
    by every renderer, so that "§ 85", "stk. 2", "kl. 12", "nr. 3" and "15 timer" stay on one
    line. Uncached, for a large one-off text (a letter's data as JSON: the rule only ever joins
    a space between such tokens, which in JSON stand inside strings).
    """
    return _TIED_SPACE.sub(NBSP, text)


@lru_cache(maxsize=16384)
def typeset(text: str) -> str:
    """:func:`typeset_text`, cached: documents repeat the same sentences and headings."""
    return typeset_text(text)
