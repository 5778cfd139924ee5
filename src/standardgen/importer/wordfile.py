"""Read a .docx into paragraphs and tables with what the importer needs to know about each.

python-docx skips the text inside tracked insertions and shows no deletions, so the document XML
is walked directly (lxml, which python-docx already brings). Tracked changes are applied as
Word's "Accept all" would (insertions and moves kept, deletions dropped, a deleted paragraph mark
joins the paragraph to the next one) and listed, so that the caller can refuse them.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from standardgen.core.codes import Code
from standardgen.core.markup import Span
from standardgen.core.patterns import SLUG
from standardgen.core.problems import InputError, Problem, Severity, display_path
from standardgen.standards.wordmeta import W, read_properties

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
MAX_BYTES = 50 * 1024 * 1024
MAX_UNPACKED = 200 * 1024 * 1024  # a zip bomb must not fill the memory


def wml(tag: str) -> str:
    """``tag`` in WordprocessingML's namespace, as lxml names it (``{ns}p``)."""
    return f"{{{W}}}{tag}"


# A run of a Word paragraph carries what an inline markup span does (text, bold, italic, link).
Run = Span


@dataclass(frozen=True)
class Change:
    kind: str  # insertion, deletion, move, paragraph
    author: str
    text: str
    number: int  # the paragraph it is in


@dataclass
class Para:
    number: int  # 1-based, every paragraph of the body in reading order (tables included)
    style: str
    heading: int | None  # 0 title, 1.. heading level, None body text
    listed: bool
    runs: list[Run]
    bookmarks: list[str] = field(default_factory=list)
    bold: bool = False  # every visible character bold (direct, character or paragraph style)
    size: float = 0.0  # largest font size in points
    toc: bool = False
    numbered: bool = False  # Word numbering on a heading

    @property
    def plain(self) -> str:
        return " ".join("".join(run.text for run in self.runs).split())


@dataclass
class Table:
    number: int  # 1-based table number
    first: int  # number of its first paragraph
    rows: list[list[list[Para]]]  # rows, cells, paragraphs


@dataclass
class WordFile:
    path: Path
    body: list[Para | Table]
    headers: list[Para]  # header and footer paragraphs
    properties: dict[str, str]  # our custom properties
    title: str  # from the document properties
    changes: list[Change]
    body_size: float
    warnings: list[Problem] = field(default_factory=list)  # about the hidden properties

    @property
    def name(self) -> str:
        return display_path(self.path)


@dataclass(frozen=True)
class _Style:
    name: str
    based_on: str | None
    outline: int | None
    numbered: bool
    bold: bool | None
    italic: bool | None
    size: float | None


def read(path: Path) -> WordFile:
    """The file's content, or :class:`InputError` with one located Danish line."""
    name = display_path(path)

    def fail(message: str) -> InputError:
        return InputError([Problem(name, 0, 0, Severity.ERROR, message, Code.DOCX)])

    if not path.is_file():
        raise fail("filen findes ikke")
    if path.stat().st_size > MAX_BYTES:
        raise fail(f"filen er for stor (højst {MAX_BYTES // 1024 // 1024} MiB)")
    raw = path.read_bytes()
    if raw.startswith(OLE_SIGNATURE):
        raise fail(_ole_message(raw))
    try:
        package = zipfile.ZipFile(io.BytesIO(raw))
        names = set(package.namelist())
        if "word/document.xml" not in names:
            raise fail("filen er ikke et Word-dokument (.docx)")
        if sum(info.file_size for info in package.infolist()) > MAX_UNPACKED:
            raise fail(f"filen er for stor udpakket (højst {MAX_UNPACKED // 1024 // 1024} MiB)")
        parts = _Parts(package, names)
        return _Reader(path, parts).read()
    except _TooLarge:
        raise fail(f"filen er for stor udpakket (højst {MAX_UNPACKED // 1024 // 1024} MiB)"
                   ) from None
    except zipfile.BadZipFile:
        raise fail("filen er ikke et Word-dokument (.docx), eller den er beskadiget; gem den som "
                   ".docx i Word") from None
    except etree.XMLSyntaxError as exc:
        if "depth" in str(exc).lower():
            raise fail(f"Word-dokumentet har elementer (fx tabeller i tabeller) indlejret i mere "
                       f"end {MAX_XML_DEPTH} niveauer; gør tabellerne fladere") from None
        raise fail("Word-dokumentet er beskadiget (ugyldig XML)") from None


# A Word file saved with a password is not a zip but an OLE compound file holding the encrypted
# package (MS-OFFCRYPTO); so is a Word 97-2003 .doc.
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_XML_DEPTH = 256  # lxml's limit without huge_tree


def _ole_message(raw: bytes) -> str:
    if "EncryptionInfo".encode("utf-16-le") in raw:
        return ("Word-filen er beskyttet med adgangskode; fjern adgangskoden (Filer > Oplysninger "
                "> Beskyt dokument > Kryptér med adgangskode) og gem den igen")
    return "filen er et ældre Word-dokument (.doc); gem den som Word-dokument (.docx)"


class _TooLarge(Exception):
    """The parts read so far hold more than MAX_UNPACKED bytes, whatever the headers said."""


class _Parts:
    """The parts of the package, read a megabyte at a time and counted as they come out: a zip's
    headers may understate a part's size, and ``ZipFile.read`` decompresses in one call of up
    to 2 GiB before it compares (~870 MB of memory for a 450 KB file)."""

    def __init__(self, package: zipfile.ZipFile, names: set[str]) -> None:
        self.package, self.names = package, names
        self.unpacked = 0

    def xml(self, name: str) -> Any:
        if name not in self.names:
            return None
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        return etree.fromstring(self._read(name), parser)

    def raw(self, name: str) -> bytes | None:
        return self._read(name) if name in self.names else None

    def _read(self, name: str) -> bytes:
        chunks = []
        with self.package.open(name) as part:
            while chunk := part.read(1 << 20):
                self.unpacked += len(chunk)
                if self.unpacked > MAX_UNPACKED:
                    raise _TooLarge
                chunks.append(chunk)
        return b"".join(chunks)


def _on(element: Any) -> bool | None:
    """A Word on/off property: present and not 0/false."""
    if element is None:
        return None
    return element.get(wml("val"), "true") not in ("0", "false", "off")


class _Reader:
    def __init__(self, path: Path, parts: _Parts) -> None:
        self.path, self.parts = path, parts
        self.styles, self.default_size, self.default_style = self._styles()
        self.links: dict[str, str] = {}
        self.changes: list[Change] = []
        self.count = 0
        self.tables = 0
        self.in_toc = False
        self.toc_touched = False
        self.fields: list[str] = []  # open complex fields; a TOC field spans paragraphs
        self.warnings: list[Problem] = []  # text the import leaves out, located
        self.chunks: dict[str, str] = {}  # altChunk relation id -> part
        self.notes = {**self._notes("footnotes.xml", "footnote"),
                      **self._notes("endnotes.xml", "endnote")}

    def read(self) -> WordFile:
        document = self.parts.xml("word/document.xml")
        self.links, header_parts = self._relations("word/_rels/document.xml.rels")
        body = document.find(wml("body"))
        items: list[Para | Table] = [] if body is None else self._blocks(body)
        headers: list[Para] = []
        for part in header_parts:
            root = self.parts.xml(f"word/{part}")
            if root is not None:
                saved = self.links
                self.links, _ = self._relations(f"word/_rels/{part}.rels")
                headers += [p for p in self._paragraphs_in(root) if p.plain]
                self.links = saved
        properties, warnings = checked_properties(read_properties(self.parts.raw(CUSTOM)),
                                                  display_path(self.path))
        return WordFile(self.path, items, headers, properties, self._core_title(), self.changes,
                        self.default_size, warnings + self.warnings)

    # --- text the import does not take: said, located ----------------------------------------

    def _notes(self, part: str, kind: str) -> dict[tuple[str, str], str]:
        root = self.parts.xml(f"word/{part}")
        if root is None:
            return {}
        return {(kind, note.get(wml("id"), "")): " ".join(_text_of(note, "t").split())
                for note in root.iter(wml(kind))}

    def _left_out(self, number: int, what: str, text: str) -> None:
        self.warnings.append(Problem(
            display_path(self.path), number, 1 if number else 0, Severity.WARNING,
            f"afsnit {number}: {what} '{shown_id(text)}' importeres ikke; flyt teksten ind i "
            "brødteksten, hvis den skal med", Code.IMPORT_DROPPED))

    def _hidden_text(self, element: Any, number: int) -> None:
        """Text boxes and foot- and endnote references in paragraph ``number``."""
        boxes = dict.fromkeys(" ".join(_text_of(box, "t").split())
                              for box in element.iter(wml("txbxContent"))
                              if box.getparent() is not None)
        for text in boxes:  # a box is there twice (DrawingML and its VML fallback): once here
            if text:
                self._left_out(number, "teksten i et tekstfelt", text)
        for kind in ("footnote", "endnote"):
            for ref in element.iter(wml(f"{kind}Reference")):
                text = self.notes.get((kind, ref.get(wml("id"), "")), "")
                if text:
                    what = "fodnoten" if kind == "footnote" else "slutnoten"
                    self._left_out(number, what, text)

    # --- package ------------------------------------------------------------------------------

    def _relations(self, name: str) -> tuple[dict[str, str], list[str]]:
        root = self.parts.xml(name)
        links: dict[str, str] = {}
        headers: list[str] = []
        if root is None:
            return links, headers
        for rel in root.iter(f"{{{PKG_REL}}}Relationship"):
            kind = rel.get("Type", "")
            if kind.endswith("/hyperlink"):
                links[rel.get("Id", "")] = rel.get("Target", "")
            elif kind.endswith("/aFChunk"):
                self.chunks[rel.get("Id", "")] = rel.get("Target", "")
            elif kind.endswith("/header") or kind.endswith("/footer"):
                headers.append(rel.get("Target", ""))
        return links, sorted(set(headers), key=lambda n: (not n.startswith("header"), n))

    def _core_title(self) -> str:
        core = self.parts.xml("docProps/core.xml")
        if core is None:
            return ""
        title = core.find("{http://purl.org/dc/elements/1.1/}title")
        return " ".join((title.text or "").split()) if title is not None else ""

    def _styles(self) -> tuple[dict[str, _Style], float, str | None]:
        root = self.parts.xml("word/styles.xml")
        styles: dict[str, _Style] = {}
        size, default = 11.0, None
        if root is None:
            return styles, size, default
        sz = root.find(f"{wml('docDefaults')}/{wml('rPrDefault')}/{wml('rPr')}/{wml('sz')}")
        if sz is not None:
            size = int(sz.get(wml("val"), "22")) / 2
        for style in root.iter(wml("style")):
            ident = style.get(wml("styleId"), "")
            name_el = style.find(wml("name"))
            based = style.find(wml("basedOn"))
            outline = style.find(f"{wml('pPr')}/{wml('outlineLvl')}")
            rpr = style.find(wml("rPr"))
            size_el = rpr.find(wml("sz")) if rpr is not None else None
            styles[ident] = _Style(
                name=(name_el.get(wml("val"), ident) if name_el is not None else ident),
                based_on=based.get(wml("val")) if based is not None else None,
                outline=int(outline.get(wml("val"), "9")) if outline is not None else None,
                numbered=style.find(f"{wml('pPr')}/{wml('numPr')}") is not None,
                bold=_on(rpr.find(wml("b"))) if rpr is not None else None,
                italic=_on(rpr.find(wml("i"))) if rpr is not None else None,
                size=int(size_el.get(wml("val"), "22")) / 2 if size_el is not None else None)
            if style.get(wml("type")) == "paragraph" and style.get(wml("default")) in ("1", "true"):
                default = ident
        return styles, size, default

    def _chain(self, ident: str | None) -> list[_Style]:
        chain: list[_Style] = []
        while ident and ident in self.styles and len(chain) < 20:
            chain.append(self.styles[ident])
            ident = self.styles[ident].based_on
        return chain

    def _inherited(self, ident: str | None, attribute: str) -> Any:
        for style in self._chain(ident):
            value = getattr(style, attribute)
            if value is not None and value is not False:
                return value
        return None

    # --- body ---------------------------------------------------------------------------------

    def _blocks(self, container: Any) -> list[Para | Table]:
        items: list[Para | Table] = []
        for child in container:
            if child.tag == wml("p"):
                items += self._paragraph(child)
            elif child.tag == wml("tbl"):
                items.append(self._table(child))
            elif child.tag == wml("sdt"):
                content = child.find(wml("sdtContent"))
                toc = child.find(f"{wml('sdtPr')}/{wml('docPartObj')}/{wml('docPartGallery')}")
                is_toc = toc is not None and "Contents" in toc.get(wml("val"), "")
                found = self._blocks(content) if content is not None else []
                for item in found:
                    if is_toc and isinstance(item, Para):
                        item.toc = True
                items += found
            elif child.tag in (wml("ins"), wml("moveTo"), wml("customXml")):
                items += self._blocks(child)  # paragraphs wrapped in a tracked insertion
            elif child.tag == wml("altChunk"):  # another document (HTML, RTF, .docx) pasted in
                self._left_out(self.count, "et indsat dokument (altChunk) med teksten", _chunk_text(
                    self.parts, self.chunks.get(child.get(f"{{{R}}}id", ""), "")))
        return _join_deleted_marks(items)

    def _paragraphs_in(self, container: Any) -> list[Para]:
        found: list[Para] = []
        for item in self._blocks(container):
            if isinstance(item, Para):
                found.append(item)
            else:
                found += [p for row in item.rows for cell in row for p in cell]
        return found

    def _table(self, element: Any) -> Table:
        self.tables += 1
        table = Table(self.tables, self.count + 1, [])
        for row in element.iter(wml("tr")):
            if _ancestor_table(row) is not element:
                continue
            cells = []
            for cell in row.findall(wml("tc")):
                cells.append(self._paragraphs_in(cell))
            table.rows.append(cells)
        return table

    def _paragraph(self, element: Any) -> list[Para]:
        self.count += 1
        number = self.count
        self._hidden_text(element, number)
        ppr = element.find(wml("pPr"))
        style_el = ppr.find(wml("pStyle")) if ppr is not None else None
        ident = style_el.get(wml("val")) if style_el is not None else self.default_style
        chain = self._chain(ident)
        name = chain[0].name if chain else (ident or "Normal")
        runs: list[Run] = []
        marks: list[str] = []
        bold_all, sizes = True, []
        style_bold = bool(self._inherited(ident, "bold"))
        style_size = self._inherited(ident, "size") or self.default_size
        self.toc_touched = self.in_toc
        for run, href, bookmark in self._runs(element, number):
            if bookmark:
                marks.append(bookmark)
                continue
            assert run is not None
            text, bold, italic, size = run
            if text.strip():
                bold_all = bold_all and (bold or style_bold)
                sizes.append(size or style_size)
            runs.append(Run(text, bold, italic, href))
        outline = None
        if ppr is not None and ppr.find(wml("outlineLvl")) is not None:
            outline = int(ppr.find(wml("outlineLvl")).get(wml("val"), "9"))
        heading = _heading_level(name, outline if outline is not None else
                                 self._inherited(ident, "outline"))
        numbered = (ppr is not None and ppr.find(wml("numPr")) is not None) or bool(
            self._inherited(ident, "numbered"))
        listed = heading is None and (numbered or name.lower().startswith(
            ("list", "liste")))
        para = Para(number, name, heading, listed, _merge(runs), marks,
                    bold=bold_all and any(r.text.strip() for r in runs),
                    size=max(sizes, default=style_size),
                    toc=self.toc_touched or name.lower().startswith(("toc", "indholdsfortegnelse")),
                    numbered=numbered and heading is not None)
        if ppr is not None and ppr.find(f"{wml('rPr')}/{wml('del')}") is not None:
            para.style = "\0deleted-mark"  # joined to the next paragraph (see _join_deleted_marks)
            author = ppr.find(f"{wml('rPr')}/{wml('del')}").get(wml("author"), "")
            self.changes.append(Change("paragraph", author, para.plain, number))
        elif ppr is not None and ppr.find(f"{wml('rPr')}/{wml('ins')}") is not None:
            author = ppr.find(f"{wml('rPr')}/{wml('ins')}").get(wml("author"), "")
            self.changes.append(Change("paragraph", author, para.plain, number))
        return [para]

    def _runs(self, element: Any, number: int) -> list[tuple[Any, str | None, str | None]]:
        """(text, bold, italic, size) per visible run, with its link; or a bookmark name."""
        out: list[tuple[Any, str | None, str | None]] = []
        self._walk(element, number, None, out, field_state=self.fields)
        return out

    def _walk(self, node: Any, number: int, href: str | None,
              out: list[tuple[Any, str | None, str | None]], field_state: list[str]) -> None:
        for child in node:
            tag = child.tag
            if tag == wml("r"):
                self._run(child, href, out, field_state)
            elif tag == wml("hyperlink"):
                target = self.links.get(child.get(f"{{{R}}}id", ""))
                self._walk(child, number, target or href, out, field_state)
            elif tag in (wml("ins"), wml("moveTo")):
                kind = "insertion" if tag == wml("ins") else "move"
                self.changes.append(Change(kind, child.get(wml("author"), ""),
                                           _text_of(child, "t"), number))
                self._walk(child, number, href, out, field_state)
            elif tag in (wml("del"), wml("moveFrom")):
                kind = "deletion" if tag == wml("del") else "move"
                self.changes.append(Change(kind, child.get(wml("author"), ""),
                                           _text_of(child, "delText") or _text_of(child, "t"),
                                           number))
                # The deleted text goes; a bookmark that began in it stays with the paragraph.
                out.extend((None, None, mark.get(wml("name"), ""))
                           for mark in child.iter(wml("bookmarkStart")))
            elif tag == wml("bookmarkStart"):
                out.append((None, None, child.get(wml("name"), "")))
            elif tag in (wml("smartTag"), wml("fldSimple"), wml("customXml"), wml("sdt"),
                         wml("sdtContent")):
                self._walk(child, number, href, out, field_state)

    def _run(self, run: Any, href: str | None, out: list[tuple[Any, str | None, str | None]],
             fields: list[str]) -> None:
        rpr = run.find(wml("rPr"))
        char_style = rpr.find(wml("rStyle")) if rpr is not None else None
        char_ident = char_style.get(wml("val")) if char_style is not None else None
        bold = _on(rpr.find(wml("b"))) if rpr is not None else None
        italic = _on(rpr.find(wml("i"))) if rpr is not None else None
        if bold is None:
            bold = bool(self._inherited(char_ident, "bold"))
        if italic is None:
            italic = bool(self._inherited(char_ident, "italic"))
        size_el = rpr.find(wml("sz")) if rpr is not None else None
        size = int(size_el.get(wml("val"), "0")) / 2 if size_el is not None else None
        text: list[str] = []
        for part in run:
            if part.tag == wml("fldChar"):
                kind = part.get(wml("fldCharType"))
                if kind == "begin":
                    fields.append("code")
                elif kind == "separate" and fields:
                    fields[-1] = fields[-1].replace("code", "result")
                elif kind == "end" and fields and fields.pop().startswith("toc"):
                    self.in_toc = False
            elif part.tag == wml("instrText"):
                if (part.text or "").strip().upper().startswith("TOC") and fields:
                    self.in_toc = self.toc_touched = True
                    fields[-1] = "toc-code"
            elif fields and fields[-1].endswith("code"):
                continue
            elif part.tag == wml("t"):
                text.append(part.text or "")
            elif part.tag in (wml("tab"), wml("br"), wml("cr")):
                text.append(" ")
            elif part.tag == wml("noBreakHyphen"):
                text.append("-")
        if text:
            out.append(((("".join(text)), bool(bold), bool(italic), size), href, None))


CUSTOM = "docProps/custom.xml"
# The hidden properties that name files (the standard's own, its municipality's, its profile's):
# anyone can edit them in Word, so they are checked against their pattern before any path is
# built from them (`../../x` as a slug would otherwise write outside --out).
_ID_PROPERTIES = ("slug", "municipality", "profile")


def checked_properties(found: dict[str, str], name: str) -> tuple[dict[str, str], list[Problem]]:
    """``found`` without the ids that do not match their pattern, and a warning for each."""
    kept, warnings = dict(found), []
    for key in _ID_PROPERTIES:
        value = kept.get(key)
        if value is not None and not re.fullmatch(SLUG, value):
            del kept[key]
            warnings.append(Problem(
                name, 0, 0, Severity.WARNING,
                f"den skjulte egenskab standardgen.{key} '{shown_id(value)}' må kun indeholde "
                "små bogstaver a-z, tal og bindestreger; den bruges ikke", Code.IMPORT_ID))
    return kept, warnings


def shown_id(value: str) -> str:
    """A hostile value shortened for a one-line message."""
    flat = " ".join(value.split())
    return flat if len(flat) <= 60 else flat[:57] + "..."


def _chunk_text(parts: _Parts, target: str) -> str:
    """What an altChunk part says, for the warning: the text of an HTML or text part, else
    its name (an RTF or .docx part is not read)."""
    name = posixpath.normpath(f"word/{target}")
    raw = parts.raw(name) if name.endswith((".html", ".htm", ".xhtml", ".txt")) else None
    if raw is None:
        return target
    text = re.sub(rb"<[^>]*>", b" ", raw[:4000]).decode("utf-8", "replace")
    return " ".join(text.split())


def _text_of(element: Any, tag: str) -> str:
    return "".join(t.text or "" for t in element.iter(wml(tag)))


def _ancestor_table(row: Any) -> Any:
    node = row.getparent()
    while node is not None and node.tag != wml("tbl"):
        node = node.getparent()
    return node


_HEADING = re.compile(r"^(?:heading|overskrift|titel|title)\s*(\d)?$", re.IGNORECASE)


def _heading_level(style_name: str, outline: int | None) -> int | None:
    match = _HEADING.match(style_name.strip())
    if match:
        return int(match.group(1)) if match.group(1) else 0
    if outline is not None and outline < 9:
        return outline + 1
    return None


def _merge(runs: list[Run]) -> list[Run]:
    merged: list[Run] = []
    for run in runs:
        if merged and (merged[-1].bold, merged[-1].italic, merged[-1].href) == (
                run.bold, run.italic, run.href):
            merged[-1] = Run(merged[-1].text + run.text, run.bold, run.italic, run.href)
        else:
            merged.append(run)
    return merged


def _join_deleted_marks(items: list[Para | Table]) -> list[Para | Table]:
    """A deleted paragraph mark joins a paragraph's remaining text to the next paragraph, whose
    formatting the joined paragraph keeps (Word stores formatting in the mark)."""
    out: list[Para | Table] = []
    carry: Para | None = None
    for item in items:
        if isinstance(item, Para) and item.style == "\0deleted-mark":
            carry = item if carry is None else _joined(carry, item)
            continue
        if carry is not None and isinstance(item, Para):
            joined = _joined(carry, item)
            joined.number, joined.style = item.number, item.style
            joined.heading, joined.listed = item.heading, item.listed
            out.append(joined)
            carry = None
            continue
        out.append(item)
    return out


def _joined(first: Para, second: Para) -> Para:
    return Para(second.number, second.style, second.heading, second.listed,
                _merge(first.runs + second.runs), first.bookmarks + second.bookmarks,
                second.bold, max(first.size, second.size), second.toc, second.numbered)
