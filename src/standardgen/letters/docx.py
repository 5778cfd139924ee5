"""Letters as editable Word documents.

The template is ``templates/letter/document.xml`` (Jinja in WordprocessingML) packed with the
styles of python-docx's default template: a .docx that docxtpl renders like any mail-merge
template. For batches the usual loop (a new ``DocxTemplate`` per letter, render, save) costs
~38 ms a letter because docxtpl parses and re-serialises the whole package each time. Here the
docxtpl-preprocessed body is compiled once, and each letter renders only that body into a zip
whose other members were compressed once: a few milliseconds a letter, the same Word file.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, TemplateError
from jinja2.environment import Template
from jinja2.sandbox import SandboxedEnvironment

from standardgen.letters.letter import Letter
from standardgen.render.templating import typeset_value

BODY = Path("letter") / "document.xml"
FOOTER = Path("letter") / "footer.xml"
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
_DOCUMENT = "word/document.xml"
_CORE = "docProps/core.xml"
_FONTS = "word/fontTable.xml"
_RELS = "word/_rels/document.xml.rels"
_TYPES = "[Content_Types].xml"
_BODY_RE = re.compile(r"<w:body\b.*</w:body>", re.DOTALL)


class DocxRenderError(Exception):
    """A letter could not be rendered; the message is safe to show (no personal data)."""


def template_package(folder: Path | None = None) -> bytes:
    """The letter's .docx template (what a mail-merge user would open in docxtpl)."""
    from docx import Document
    from docx.oxml.ns import qn

    from standardgen.core.templates import templates_dir

    document = Document()
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        for lang in defaults.iter(qn("w:lang")):
            lang.set(qn("w:val"), "da-DK")
    core = document.core_properties
    core.title, core.author, core.language = "{{ letter.title }}", "{{ letter.author }}", "da-DK"
    core.comments = core.subject = core.keywords = ""
    _drop_extras(document)
    from standardgen.letters.pdf import letter_font

    font = letter_font()
    _one_look(document.styles.element, font)
    footer_id, footer_name = _add_footer_part(document)
    buffer = io.BytesIO()
    document.save(buffer)
    folder = folder or templates_dir()
    body = (folder / BODY).read_text(encoding="utf-8")
    body = body.replace("<w:sectPr>", "<w:sectPr><w:footerReference w:type=\"default\" "
                        f"r:id=\"{footer_id}\"/>", 1)
    package = buffer.getvalue()
    return _replace_members(package, {
        _DOCUMENT: body.encode("utf-8"),
        footer_name: (folder / FOOTER).read_bytes(),
        _FONTS: _with_fallback(zipfile.ZipFile(io.BytesIO(package)).read(_FONTS), font),
    })


# Sizes in half-points and spacing in twips, as letter.typ sets them: text 10.5 pt with 0.9 em
# between paragraphs; the line pitch of Typst's leading 0.6 em (276 = 1.15 lines).
_BODY_SIZE, _PARAGRAPH_AFTER, _LINE = "21", "72", "276"
_THEME_FONTS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")


def _one_look(styles: Any, font: str) -> None:
    """python-docx's styles made to look like the PDF letter: every style in the PDF's font
    family (not the Calibri and Cambria of Word's theme), text 10.5 pt, and headings without the
    theme's blue (document.xml colours them with the municipality's colour)."""
    from docx.oxml.ns import qn

    for fonts in styles.iter(qn("w:rFonts")):
        for name in _THEME_FONTS:
            fonts.attrib.pop(qn(f"w:{name}"), None)
        for name in ("ascii", "hAnsi", "cs", "eastAsia"):
            fonts.set(qn(f"w:{name}"), font)
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        for size in (*defaults.iter(qn("w:sz")), *defaults.iter(qn("w:szCs"))):
            size.set(qn("w:val"), _BODY_SIZE)
        for spacing in defaults.iter(qn("w:spacing")):
            spacing.set(qn("w:after"), _PARAGRAPH_AFTER)
            spacing.set(qn("w:line"), _LINE)
    for style in styles.iter(qn("w:style")):
        name = style.get(qn("w:styleId"), "")
        # The PDF's quotes are indented, not italic; its headings take the municipality's colour.
        drop = ("w:color", "w:i", "w:iCs") if name == "Quote" else ("w:color",)
        if name.startswith(("Heading", "Title", "Quote")):
            for tag in drop:
                for element in list(style.iter(qn(tag))):
                    element.getparent().remove(element)


def _with_fallback(table: bytes, font: str) -> bytes:
    """The font table with an entry for ``font`` whose altName is a font that ships with Word
    (``pdf.WORD_FALLBACK``): Word uses it where the letter's font is not installed."""
    from xml.sax.saxutils import quoteattr

    from standardgen.letters.pdf import WORD_FALLBACK

    fallback = WORD_FALLBACK.get(font, "Arial")
    entry = (f"<w:font w:name={quoteattr(font)}><w:altName w:val={quoteattr(fallback)}/>"
             '<w:charset w:val="00"/><w:family w:val="swiss"/><w:pitch w:val="variable"/>'
             "</w:font>")
    text = table.decode("utf-8")
    return text.replace("</w:fonts>", entry + "</w:fonts>", 1).encode("utf-8")


def _add_footer_part(document: Any) -> tuple[str, str]:
    """An (empty) footer part, so that the package has its relationship and content type; the
    text comes from ``templates/letter/footer.xml``. Returns its relationship id and name."""
    document.sections[0].footer.is_linked_to_previous = False
    for rel_id, rel in document.part.rels.items():
        if rel.reltype.endswith("/footer"):
            return str(rel_id), str(rel.target_part.partname).lstrip("/")
    raise DocxRenderError("python-docx lavede ingen sidefod")


def _drop_extras(document: object) -> None:
    """Leave out the parts of python-docx's template a letter does not need (half its size)."""
    part = document.part  # type: ignore[attr-defined]
    for rel_id, rel in list(part.rels.items()):
        if rel.reltype.endswith(("/stylesWithEffects", "/customXml")):
            part.drop_rel(rel_id)
    package_rels = part.package.rels
    for rel_id, rel in list(package_rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            package_rels.pop(rel_id)


def _replace_members(package: bytes, members: dict[str, bytes]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, members.get(info.filename) or source.read(info.filename))
    return out.getvalue()


@dataclass(frozen=True)
class CompiledDocx:
    """The template, preprocessed once: Jinja sources and the zip of the unchanging members.

    Plain strings and bytes, so that it is built once in the main process and handed to the
    workers, which then need neither docxtpl nor python-docx.
    """

    head: str
    body: str
    tail: str
    core: str
    footer: str
    footer_name: str
    prefix: bytes
    rels: str = ""  # the document's relationships: per letter, for the logo's image part


class DocxLetterRenderer:
    """Renders letters with the body template compiled once (one instance per process)."""

    def __init__(self, compiled: CompiledDocx | None = None) -> None:
        self._compiled = compiled or compile_template()
        # The same rules as docxtpl's environment (render.templating.docx_environment): sandbox,
        # StrictUndefined, autoescape; the body uses no filters, so none are needed here. Every
        # printed value gets Danish typography (no break inside "§ 85", "3 dage").
        env = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined,
                                   finalize=typeset_value)
        self._logos: dict[str, Logo] = {}
        self._body: Template = env.from_string(self._compiled.body)
        self._core: Template = env.from_string(self._compiled.core)
        self._footer: Template = env.from_string(self._compiled.footer)

    def render(self, letter: Letter) -> bytes:
        compiled = self._compiled
        logo = self._logo(letter.logo)
        context = {"letter": letter,
                   "logo": {"cx": logo.width_emu, "cy": LOGO_HEIGHT_EMU} if logo else None}
        try:
            body = self._body.render(context)
            core = self._core.render(context)
            footer = self._footer.render(context)
        except TemplateError as exc:
            raise DocxRenderError(f"Word-skabelonen fejlede: {exc}") from None
        buffer = io.BytesIO()
        buffer.write(compiled.prefix)
        with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as package:
            package.writestr(_member(_CORE), core.encode("utf-8"))
            package.writestr(_member(compiled.footer_name), footer.encode("utf-8"))
            package.writestr(_member(_DOCUMENT),
                             (compiled.head + body + compiled.tail).encode("utf-8"))
            rels = compiled.rels
            if logo is not None:
                package.writestr(_member(LOGO_PART), logo.png)
                rels = rels.replace("</Relationships>", _LOGO_REL + "</Relationships>", 1)
            package.writestr(_member(_RELS), rels.encode("utf-8"))
        return buffer.getvalue()

    def _logo(self, path: str | None) -> Logo | None:
        if path is None:
            return None
        if path not in self._logos:
            self._logos[path] = logo_png(Path(path))
        return self._logos[path]


@dataclass(frozen=True)
class Logo:
    png: bytes
    width_emu: int


#: The letterhead's logo, as in letterhead.typ: 8 mm high (36,000 EMU a millimetre).
LOGO_HEIGHT_EMU = 8 * 36_000
LOGO_PART = "word/media/logo.png"
_LOGO_REL = ('<Relationship Id="rIdLogo" Type="http://schemas.openxmlformats.org/'
             'officeDocument/2006/relationships/image" Target="media/logo.png"/>')


def logo_png(path: Path) -> Logo:
    """The logo as PNG for Word (which needs a PNG beside an SVG): an SVG is drawn by Typst at
    300 ppi, 8 mm high."""
    data = path.read_bytes()
    if path.suffix.lower() == ".svg":
        import typst

        source = (b'#set page(width: auto, height: auto, margin: 0pt)\n'
                  b'#image("logo.svg", height: 8mm)\n')
        image = typst.Compiler().compile(input={"main.typ": source,  # type: ignore[type-var]
                                                "logo.svg": data}, format="png", ppi=300)
        if not isinstance(image, bytes):  # one page gives one PNG
            raise DocxRenderError("logoet kunne ikke tegnes som PNG")
        data = image
    width, height = struct.unpack(">II", data[16:24])  # the PNG's IHDR chunk
    return Logo(data, round(LOGO_HEIGHT_EMU * width / height))


def _member(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def compile_template(folder: Path | None = None) -> CompiledDocx:
    """docxtpl's own preprocessing of the body (``patch_xml``), done once."""
    from docxtpl import DocxTemplate

    package = package_for_docxtpl(folder)
    template = DocxTemplate(io.BytesIO(package))
    template.init_docx()
    body = template.patch_xml(template.get_xml())
    source = zipfile.ZipFile(io.BytesIO(package))
    document = source.read(_DOCUMENT).decode("utf-8")
    match = _BODY_RE.search(document)
    if match is None:
        raise DocxRenderError(f"{BODY} har intet <w:body>")
    footer_name = next(name for name in source.namelist()
                       if name.startswith("word/footer") and name.endswith(".xml"))
    prefix = io.BytesIO()
    with zipfile.ZipFile(prefix, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename not in (_DOCUMENT, _CORE, footer_name, _RELS):
                data = source.read(info.filename)
                if info.filename == _TYPES:  # the logo is a PNG part
                    data = _with_png(data)
                target.writestr(_member(info.filename), data)
    return CompiledDocx(
        head=document[: match.start()],
        body=body,
        tail=document[match.end():],
        core=source.read(_CORE).decode("utf-8"),
        footer=template.patch_xml(source.read(footer_name).decode("utf-8")),
        footer_name=footer_name,
        prefix=prefix.getvalue(),
        rels=source.read(_RELS).decode("utf-8"),
    )


def _with_png(types: bytes) -> bytes:
    text = types.decode("utf-8")
    if 'Extension="png"' not in text:
        text = text.replace("<Default ", '<Default Extension="png" ContentType="image/png"/>'
                            "<Default ", 1)
    return text.encode("utf-8")


@lru_cache(maxsize=2)
def package_for_docxtpl(folder: Path | None = None) -> bytes:
    """The template package, cached: for the mail-merge baseline and single renders."""
    return template_package(folder)
