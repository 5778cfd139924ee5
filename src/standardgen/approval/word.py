"""The change summary as a Word document whose changes are real tracked changes.

The document is the whole new standard with every deletion and insertion recorded as a revision
(``w:del``/``w:ins``), so the committee papers can be made from it: accept all and it is the new
version, reject all and it is the approved one. python-docx builds the document; the revision
marks are written as OOXML directly, since python-docx has no API for them. Author and date are
fixed (the date is the new version's approval date) so two runs give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from typing import Any

from standardgen.approval.compare import Op, Piece, SectionDiff, StandardDiff, Status, UnitDiff
from standardgen.approval.wording import Wording
from standardgen.render.docx import normalize_zip

LANGUAGE = "da-DK"


class _Revisions:
    """Numbers and stamps the revision marks of one document."""

    def __init__(self, author: str, day: dt.date) -> None:
        self.author = author
        self.date = f"{day.isoformat()}T00:00:00Z"
        self._next = 0

    def mark(self, tag: str) -> Any:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        self._next += 1
        element = OxmlElement(tag)
        element.set(qn("w:id"), str(self._next))
        element.set(qn("w:author"), self.author)
        element.set(qn("w:date"), self.date)
        return element


def render(diff: StandardDiff, wording: Wording, *, author: str) -> bytes:
    from docx import Document

    document = Document()
    _set_language(document)
    _set_properties(document, wording.heading_for(diff), author, diff.new.approval.date)
    revisions = _Revisions(author, diff.new.approval.date)
    document.add_heading(wording.heading_for(diff), level=1)
    document.add_paragraph(wording.intro_for(diff))
    document.add_paragraph(wording.legend)
    for section in diff.sections:
        _section(document, section, wording, revisions)
    buffer = io.BytesIO()
    document.save(buffer)
    return normalize_zip(buffer.getvalue())


def _section(document: Any, section: SectionDiff, wording: Wording,
             revisions: _Revisions) -> None:
    heading = document.add_heading("", level=2)
    if section.old_title:
        pieces = [Piece(Op.delete, section.old_title), Piece(Op.insert, wording.title(section))]
    else:
        pieces = [Piece(_whole_op(section.status), wording.title(section))]
    _add_pieces(heading, pieces, revisions)
    _mark_paragraph(heading, section.status, revisions)
    for unit in section.units:
        _unit(document, unit, wording, revisions)


def _unit(document: Any, unit: UnitDiff, wording: Wording, revisions: _Revisions) -> None:
    style = "List Bullet" if unit.kind == "item" else None
    paragraph = document.add_paragraph(style=style)
    if unit.unit.field:
        label = paragraph.add_run(f"{wording.label(unit, 0)}: ")
        label.bold = True
        if unit.status in (Status.added, Status.removed):
            _wrap(label._r, unit.status, revisions)
    pieces: Iterable[Piece] = unit.pieces
    if unit.format_only and unit.old and unit.new:
        # Only emphasis or a link target changed: show it as the old text replaced by the new.
        pieces = [Piece(Op.delete, unit.old.text), Piece(Op.insert, unit.new.text)]
    _add_pieces(paragraph, pieces, revisions)
    _mark_paragraph(paragraph, unit.status, revisions)


def _whole_op(status: Status) -> Op:
    return {Status.added: Op.insert, Status.removed: Op.delete}.get(status, Op.equal)


def _add_pieces(paragraph: Any, pieces: Iterable[Piece], revisions: _Revisions) -> None:
    for piece in pieces:
        run = paragraph.add_run()._r
        if piece.op is Op.equal:
            _text(run, "w:t", piece.text)
            continue
        _text(run, "w:delText" if piece.op is Op.delete else "w:t", piece.text)
        _wrap(run, Status.removed if piece.op is Op.delete else Status.added, revisions)


def _text(run: Any, tag: str, text: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(tag)
    element.set(qn("xml:space"), "preserve")
    element.text = text
    run.append(element)


def _wrap(run: Any, status: Status, revisions: _Revisions) -> None:
    """Move ``run`` into a ``w:ins`` or ``w:del`` element at the same place."""
    mark = revisions.mark("w:ins" if status is Status.added else "w:del")
    if status is Status.removed:  # a deleted run's text must be w:delText
        for element in run.findall("{*}t"):
            element.tag = element.tag[: -len("t")] + "delText"
    run.addprevious(mark)
    mark.append(run)


def _mark_paragraph(paragraph: Any, status: Status, revisions: _Revisions) -> None:
    """A whole added or removed paragraph: its paragraph mark is a revision too, so that
    accepting or rejecting removes the empty paragraph as well."""
    if status not in (Status.added, Status.removed):
        return
    from docx.oxml import OxmlElement

    properties = paragraph._p.get_or_add_pPr()
    run_properties = OxmlElement("w:rPr")
    run_properties.append(revisions.mark("w:ins" if status is Status.added else "w:del"))
    properties.append(run_properties)


def _set_language(document: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_properties = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    language = run_properties.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        run_properties.append(language)
    language.set(qn("w:val"), LANGUAGE)


def _set_properties(document: Any, title: str, author: str, day: dt.date) -> None:
    stamp = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    properties = document.core_properties
    properties.title = title
    properties.language = LANGUAGE
    properties.author = author
    properties.last_modified_by = author
    properties.created = stamp
    properties.modified = stamp
    properties.revision = 1
