"""The change summary in the terminal: coloured on a terminal, plain markers otherwise.

Plain markers are git's word-diff markers, ``[-deleted-]`` and ``{+inserted+}``, so the output
stays readable in a CI log, a pipe or an e-mail.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import click

from standardgen.approval.compare import Op, Piece, SectionDiff, StandardDiff, Status, UnitDiff
from standardgen.approval.wording import Wording

_COLOUR = {Op.delete: "red", Op.insert: "green"}
_MARKERS = {Op.delete: ("[-", "-]"), Op.insert: ("{+", "+}")}
_SIGN = {Op.delete: "-", Op.insert: "+"}


def render(diff: StandardDiff, wording: Wording, *, colour: bool = False) -> str:
    lines = [_style(wording.heading_for(diff), colour, bold=True), wording.intro_for(diff)]
    if not diff.changed:
        lines += ["", wording.no_changes]
    for section in diff.changed:
        lines += ["", *_section(section, wording, colour)]
    if diff.changed and diff.unchanged:
        lines += ["", wording.unchanged_list(diff)]
    return "\n".join(lines) + "\n"


def _section(section: SectionDiff, wording: Wording, colour: bool) -> Iterator[str]:
    yield _style(f"## {wording.title(section)} ({wording.status[section.status]})", colour,
                 bold=True)
    if section.old_title:
        yield "   " + wording.renamed.format(title=section.old_title)
    for position, unit in section.numbered():
        if unit.status is not Status.unchanged:
            yield from _unit(unit, position, wording, colour)


def _unit(unit: UnitDiff, position: int, wording: Wording, colour: bool) -> Iterator[str]:
    yield f"   {wording.label(unit, position)}, {wording.unit_status[unit.status]}:"
    if unit.format_only:
        yield f"     {wording.format_only}"
        return
    if unit.status is Status.added:
        yield _line(Op.insert, unit.pieces, colour, whole=True)
        return
    if unit.status is Status.removed:
        yield _line(Op.delete, unit.pieces, colour, whole=True)
        return
    for sentence in unit.changes:
        if sentence.status is not Status.added:
            yield _line(Op.delete, sentence.old, colour, whole=sentence.status is Status.removed)
        if sentence.status is not Status.removed:
            yield _line(Op.insert, sentence.new, colour, whole=sentence.status is Status.added)


def _line(side: Op, pieces: Iterable[Piece], colour: bool, *, whole: bool) -> str:
    """One old (-) or new (+) line; the words that differ are marked unless the line is new."""
    parts = []
    for piece in pieces:
        if piece.op is Op.equal or whole or not piece.text.strip():
            parts.append(_style(piece.text, colour, fg=_COLOUR[side]))
        elif colour:
            parts.append(click.style(piece.text, fg=_COLOUR[side], bold=True, reverse=True))
        else:
            start, end = _MARKERS[side]
            text = piece.text.rstrip()
            parts.append(f"{start}{text}{end}{piece.text[len(text):]}")
    return _style(f"     {_SIGN[side]} ", colour, fg=_COLOUR[side]) + "".join(parts).rstrip()


def _style(text: str, colour: bool, *, fg: str | None = None, bold: bool = False) -> str:
    return click.style(text, fg=fg, bold=bold) if colour else text
