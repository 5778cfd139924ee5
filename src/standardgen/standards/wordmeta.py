"""What a published .docx carries beyond its visible text, so that `import` can restore the model.

Word shows titles, paragraphs and lists; it has no place for a section's id and role, a
paragraph's id, the slug or the FFB codes. Two standard Word mechanisms carry them, both kept by
Word and LibreOffice when a policy officer edits the file:

- hidden bookmarks (names starting with ``_`` are not listed in Word's bookmark dialog) around each
  section heading and each block that has an id: ``_sg<role letter>_<id>`` for a section,
  ``_sgp_<id>`` for a paragraph and ``_sgq_<id>`` for a list (``-`` written as ``_``; Word allows
  letters, digits and ``_`` and at most 40 characters, so an id longer than 35 characters is not
  carried and is generated again from the text on import);
- custom document properties (File > Properties > Custom) for the facts no page shows:
  ``standardgen.slug``, ``.municipality``, ``.profile``, ``.service`` (law and codes, JSON),
  ``.contact`` (the standard's own contact fields, JSON) and ``.link.N`` (JSON).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator, Sequence
from typing import Any

from lxml import etree

from standardgen.core.patterns import ID
from standardgen.standards.model import Paragraph, Role, Standard

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
CUSTOM_PART = "docProps/custom.xml"
CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_REL = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
              "custom-properties")
PREFIX = "standardgen."
# One letter per role in the bookmark name. The letters never change, so a .docx published today
# reads the same after roles are added; a new role takes a new letter (never p or q, which mark
# paragraphs and lists). Listed by value, so the table may name roles a model does not have yet.
ROLE_LETTERS = {"legal_basis": "a", "target_group": "b", "purpose": "c", "activities": "d",
                "criteria": "e", "decision": "f", "delivery": "g", "quality": "h",
                "follow_up": "i", "complaints": "j", "contact": "k", "other": "l",
                "not_included": "m", "payment": "n", "citizen_duties": "o"}
_LETTER_ROLES = {letter: role for role, letter in ROLE_LETTERS.items()}
MAX_ID = 35
_NAME = re.compile(r"^_sg([a-z])_([a-z0-9_]+)$")


def _wml(tag: str) -> str:
    """``tag`` in WordprocessingML's namespace, as lxml names it (``{ns}p``)."""
    return f"{{{W}}}{tag}"


# --- bookmark names ----------------------------------------------------------------------------

def section_mark(role: Role, section_id: str) -> str | None:
    letter = ROLE_LETTERS.get(role.value)
    if len(section_id) > MAX_ID or letter is None:
        return None
    return f"_sg{letter}_{section_id.replace('-', '_')}"


def block_mark(kind: str, block_id: str | None) -> str | None:
    if block_id is None or len(block_id) > MAX_ID:
        return None
    return f"_sg{'p' if kind == 'paragraph' else 'q'}_{block_id.replace('-', '_')}"


def parse_mark(name: str) -> tuple[str, Role | None, str] | None:
    """``(kind, role, id)`` for one of our bookmark names: kind is section, paragraph or list."""
    match = _NAME.match(name)
    if not match:
        return None
    letter, ident = match.group(1), match.group(2).replace("_", "-")
    if not re.fullmatch(ID, ident):  # `_sgc___` would give "---": generated from the text instead
        return None
    if letter == "p":
        return "paragraph", None, ident
    if letter == "q":
        return "list", None, ident
    value = _LETTER_ROLES.get(letter)
    if value is None or value not in Role.__members__:
        return None
    return "section", Role(value), ident


# --- writing -----------------------------------------------------------------------------------

def properties(standard: Standard) -> dict[str, str]:
    """The custom properties of a standard's .docx."""
    service = standard.service.model_dump(mode="json", exclude_none=True,
                                          exclude={"name", "paragraph"})
    values = {"slug": standard.slug, "municipality": standard.municipality,
              "profile": standard.profile, "service": _json(service),
              "contact": _json(standard.contact.model_dump(mode="json", exclude_none=True))}
    for n, link in enumerate(standard.links, 1):
        values[f"link.{n}"] = _json(link.model_dump(mode="json"))
    return {PREFIX + key: value for key, value in values.items()}


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _marks(standard: Standard) -> Iterator[tuple[str | None, list[str | None]]]:
    """Per section: the heading's bookmark and one bookmark (or None) per rendered paragraph."""
    for section in standard.sections:
        paragraphs: list[str | None] = []
        for block in section.content:
            if isinstance(block, str):
                paragraphs.append(None)
            elif isinstance(block, Paragraph):
                paragraphs.append(block_mark("paragraph", block.id))
            else:
                paragraphs.append(block_mark("list", block.id))
                paragraphs.extend([None] * (len(block.list) - 1))
        yield section_mark(section.role, section.id), paragraphs


def add_identity(docx: bytes, standard: Standard, heading_style: str = "Heading2") -> bytes:
    """``docx`` (rendered from templates/standard.docx) with the bookmarks and properties above.

    The template renders each section as a heading in ``heading_style`` followed by one paragraph
    per text block and per list item, in the model's order; that order is what pairs them here.
    """
    source = zipfile.ZipFile(io.BytesIO(docx))
    parts = {name: source.read(name) for name in source.namelist()}
    root = etree.fromstring(parts["word/document.xml"])
    body = root.find(_wml("body"))
    assert body is not None
    headings = [p for p in body.iter(_wml("p")) if _style(p) == heading_style]
    next_id = 900000  # far above the ids docxtpl and the template use
    for heading, (mark, paragraphs) in zip(headings, _marks(standard), strict=False):
        following = _following_paragraphs(heading, len(paragraphs))
        for paragraph, name in [(heading, mark), *zip(following, paragraphs, strict=False)]:
            if name:
                _bookmark(paragraph, name, next_id)
                next_id += 1
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                                standalone=True)
    _add_properties(parts, properties(standard))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, parts[info.filename])
        if CUSTOM_PART not in source.namelist():
            target.writestr(zipfile.ZipInfo(CUSTOM_PART, date_time=(1980, 1, 1, 0, 0, 0)),
                            parts[CUSTOM_PART])
    return out.getvalue()


def _style(paragraph: etree._Element) -> str | None:
    style = paragraph.find(f"{_wml('pPr')}/{_wml('pStyle')}")
    return style.get(_wml("val")) if style is not None else None


def _following_paragraphs(heading: etree._Element, count: int) -> Sequence[etree._Element]:
    found: list[etree._Element] = []
    node = heading.getnext()
    while node is not None and len(found) < count:
        if node.tag == _wml("p"):
            found.append(node)
        node = node.getnext()
    return found


def _bookmark(paragraph: etree._Element, name: str, number: int) -> None:
    start = etree.Element(_wml("bookmarkStart"))
    start.set(_wml("id"), str(number))
    start.set(_wml("name"), name)
    end = etree.Element(_wml("bookmarkEnd"))
    end.set(_wml("id"), str(number))
    properties = paragraph.find(_wml("pPr"))
    paragraph.insert(0 if properties is None else 1, start)
    paragraph.append(end)


def _add_properties(parts: dict[str, bytes], values: dict[str, str]) -> None:
    root = etree.Element(f"{{{CUSTOM_NS}}}Properties", nsmap={None: CUSTOM_NS, "vt": VT_NS})
    for pid, (name, value) in enumerate(sorted(values.items()), 2):
        prop = etree.SubElement(root, f"{{{CUSTOM_NS}}}property")
        prop.set("fmtid", "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}")
        prop.set("pid", str(pid))
        prop.set("name", name)
        etree.SubElement(prop, f"{{{VT_NS}}}lpwstr").text = value
    parts[CUSTOM_PART] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                        standalone=True)
    types = etree.fromstring(parts["[Content_Types].xml"])
    ns = types.nsmap[None]
    if not any(o.get("PartName") == "/" + CUSTOM_PART for o in types):
        override = etree.SubElement(types, f"{{{ns}}}Override")
        override.set("PartName", "/" + CUSTOM_PART)
        override.set("ContentType", CUSTOM_TYPE)
    parts["[Content_Types].xml"] = etree.tostring(types, xml_declaration=True, encoding="UTF-8",
                                                  standalone=True)
    rels = etree.fromstring(parts["_rels/.rels"])
    rns = rels.nsmap[None]
    if not any(r.get("Type") == CUSTOM_REL for r in rels):
        rel = etree.SubElement(rels, f"{{{rns}}}Relationship")
        rel.set("Id", "rIdStandardgenCustom")
        rel.set("Type", CUSTOM_REL)
        rel.set("Target", CUSTOM_PART)
    parts["_rels/.rels"] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8",
                                          standalone=True)


# --- reading -----------------------------------------------------------------------------------

def read_properties(custom_xml: bytes | None) -> dict[str, str]:
    """Our custom properties (without the prefix) from ``docProps/custom.xml``."""
    if not custom_xml:
        return {}
    root = etree.fromstring(custom_xml)
    found = {}
    for prop in root.iter(f"{{{CUSTOM_NS}}}property"):
        name = prop.get("name") or ""
        if name.startswith(PREFIX) and len(prop):
            found[name[len(PREFIX):]] = "".join(prop[0].itertext())
    return found
