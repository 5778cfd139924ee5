"""Write the hostile Word files beside this script from the published Norddjurs standard.

Run ``.venv/bin/python tests/data/hostile/make_docx.py`` after a change to the Word template;
the files are committed, so the tests read fixed bytes. Every citizen and town is fictitious.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from standardgen.core.templates import templates_dir
from standardgen.publish.documents import Renderer
from standardgen.standards.catalogue import load_standard

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parents[2] / "standards" / "aktivitets-og-samvaerstilbud.yaml"


def published() -> bytes:
    return Renderer(templates_dir(), "https://example.dk/").docx(load_standard(SOURCE))


def rewrite(base: bytes, part: str, change: Callable[[str], str]) -> bytes:
    """``base`` with the XML part ``part`` changed (zip members kept in order)."""
    source = zipfile.ZipFile(io.BytesIO(base))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == part:
                data = change(data.decode("utf-8")).encode("utf-8")
            target.writestr(info, data)
    return out.getvalue()


def with_property(base: bytes, name: str, value: str) -> bytes:
    pattern = r'(name="standardgen\.' + re.escape(name) + r'"[^>]*>\s*<vt:lpwstr>)[^<]*'
    return rewrite(base, "docProps/custom.xml",
                   lambda text: re.sub(pattern, lambda m: m.group(1) + value, text))


TEXT_BOX = (
    '<w:p><w:r><w:t xml:space="preserve">Tilbuddet har åbent på hverdage.</w:t></w:r>'
    '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><wp:extent '
    'cx="1" cy="1"/><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
    '<a:graphicData><wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>Husk at medbringe '
    'madpakke.</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp></a:graphicData>'
    '</a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>'
    '<w:txbxContent><w:p><w:r><w:t>Husk at medbringe madpakke.</w:t></w:r></w:p>'
    '</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>'
    '</w:p>')
FOOTNOTE_REF = ('<w:p><w:r><w:t xml:space="preserve">Prisen fastsættes hvert år.</w:t></w:r>'
                '<w:r><w:footnoteReference w:id="2"/></w:r></w:p>')
ALT_CHUNK = '<w:altChunk r:id="rIdChunk1"/>'
FOOTNOTES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:footnote w:type="separator" w:id="0"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:id="2"><w:p><w:r><w:t>Takster for 2024 står på kommunens hjemmeside.</w:t>'
    '</w:r></w:p></w:footnote></w:footnotes>')
CHUNK = "<html><body><p>Tekst fra et indsat HTML-dokument.</p></body></html>"


def hidden_text(base: bytes) -> bytes:
    """A text box, a footnote and an altChunk after the first heading's paragraph."""
    def body(text: str) -> str:
        first = text.index("</w:p>", text.index("</w:p>") + 1) + len("</w:p>")
        return text[:first] + TEXT_BOX + FOOTNOTE_REF + ALT_CHUNK + text[first:]

    def relations(text: str) -> str:
        return text.replace("</Relationships>", (
            '<Relationship Id="rIdFoot1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/footnotes" Target="footnotes.xml"/><Relationship Id="rIdChunk1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk" '
            'Target="chunk1.html"/></Relationships>'))

    def types(text: str) -> str:
        return text.replace("</Types>", (
            '<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxml'
            'formats-officedocument.wordprocessingml.footnotes+xml"/><Override PartName="/word/'
            'chunk1.html" ContentType="application/xhtml+xml"/></Types>'))

    data = rewrite(rewrite(rewrite(base, "word/document.xml", body),
                           "word/_rels/document.xml.rels", relations), "[Content_Types].xml", types)
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/footnotes.xml", FOOTNOTES)
        package.writestr("word/chunk1.html", CHUNK)
    return out.getvalue()


DEEP_TABLES = 300  # lxml refuses XML nested deeper than 256 elements without huge_tree
BOMB_BYTES = 400 * 1024 * 1024  # what the bomb's document.xml really holds


def deep_tables(base: bytes) -> bytes:
    cell = '<w:p><w:r><w:t>Inderst</w:t></w:r></w:p>'
    for _ in range(DEEP_TABLES):
        cell = f"<w:tbl><w:tr><w:tc>{cell}</w:tc></w:tr></w:tbl><w:p/>"

    def body(text: str) -> str:
        return text.replace("<w:body>", "<w:body>" + cell, 1)

    return rewrite(base, "word/document.xml", body)


def understated_bomb(base: bytes) -> bytes:
    """document.xml holds BOMB_BYTES, but the zip's headers say it holds what the real one
    holds: a reader that trusts them and decompresses in one call takes ~BOMB_BYTES of memory."""
    source = zipfile.ZipFile(io.BytesIO(base))
    real = source.getinfo("word/document.xml")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                target.writestr(info, source.read(info))
                continue
            bomb = zipfile.ZipInfo(info.filename, info.date_time)
            bomb.compress_type = zipfile.ZIP_DEFLATED
            with target.open(bomb, "w") as part:
                part.write(b"<w:document><w:body><w:p><w:r><w:t>")
                block = b"a" * (1 << 20)
                for _ in range(BOMB_BYTES >> 20):
                    part.write(block)
                part.write(b"</w:t></w:r></w:p></w:body></w:document>")
    data = bytearray(out.getvalue())
    # Rewrite the uncompressed size in the local header and the central directory entry.
    name = b"word/document.xml"
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = 0
        while (at := data.find(signature, at)) >= 0:
            name_at = at + (30 if offset == 22 else 46)
            if data[name_at:name_at + len(name)] == name:
                data[at + offset:at + offset + 4] = real.file_size.to_bytes(4, "little")
            at += 4
    return bytes(data)


def main() -> None:
    base = published()
    files = {
        "slug-parent.docx": with_property(base, "slug", "../../../../escaped"),
        "slug-workflow.docx": with_property(base, "slug", "../.github/workflows/injected"),
        "slug-absolute.docx": with_property(base, "slug", "/tmp/standardgen-escaped"),
        "municipality-parent.docx": with_property(base, "municipality", "../../secret/town"),
        "service-deep-json.docx": with_property(base, "service", "[" * 5_000 + "]" * 5_000),
        "hidden-text.docx": hidden_text(base),
        "deep-tables.docx": deep_tables(base),
        "understated-bomb.docx": understated_bomb(base),
    }
    for name, data in files.items():
        (HERE / name).write_bytes(data)


if __name__ == "__main__":
    main()
