"""HTML to tagged PDF with WeasyPrint.

WeasyPrint is imported here only, and this module only by the commands that write PDF, so that
``standardgen check`` starts fast (``import weasyprint`` alone costs ~650 ms).
"""

from __future__ import annotations

import gc
import io
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

#: Accessible only: a tag tree, /Lang, DisplayDocTitle and the pdfuaid claim.
UA = "pdf/ua-1"
#: Accessible and archivable: WeasyPrint's PDF/A-2a (tagged, sRGB output intent, file ID, print
#: flags on annotations) plus the PDF/UA-1 claim below. WeasyPrint makes one variant per call,
#: and PDF/A-2a already needs everything PDF/UA-1 adds, except the XMP claim.
ARCHIVAL = "pdf/a-2a"
DEFAULT_VARIANT = UA

# The PDF/UA-1 identification (ISO 14289-1, 5) and, because PDF/A allows only XMP properties
# from known schemas, the pdfuaid schema's PDF/A extension declaration (ISO 19005-2, 6.6.2.3.2).
# It must sit inside WeasyPrint's own rdf:RDF: validators read the first one only.
_UA_XMP = (
    b'<rdf:Description rdf:about=""'
    b' xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"'
    b' xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"'
    b' xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"'
    b' xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">'
    b'<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">'
    b"<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>"
    b"<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>"
    b"<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>"
    b'<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">'
    b"<pdfaProperty:name>part</pdfaProperty:name>"
    b"<pdfaProperty:valueType>Integer</pdfaProperty:valueType>"
    b"<pdfaProperty:category>internal</pdfaProperty:category>"
    b"<pdfaProperty:description>Part of ISO 14289 the document conforms to"
    b"</pdfaProperty:description>"
    b"</rdf:li></rdf:Seq></pdfaSchema:property>"
    b"</rdf:li></rdf:Bag></pdfaExtension:schemas>"
    b"<pdfuaid:part>1</pdfuaid:part>"
    b"</rdf:Description>"
)
_RDF_END = b"</rdf:RDF>"


class PdfRenderer:
    """Renders many documents with the stylesheets parsed once and one shared font cache."""

    def __init__(self, stylesheets: Sequence[Path] = (), base_url: Path | None = None,
                 css: Sequence[str] = ()) -> None:
        """``css``: more stylesheets as text, after the files (made by the program)."""
        import weasyprint
        from weasyprint.text.fonts import FontConfiguration

        self._weasyprint = weasyprint
        self._fonts = FontConfiguration()
        self._base_url = str(base_url) if base_url else None
        self._css = [weasyprint.CSS(filename=str(path), font_config=self._fonts)
                     for path in stylesheets]
        self._css += [weasyprint.CSS(string=text, base_url=self._base_url,
                                     font_config=self._fonts) for text in css]

    def render(self, html: str, *, variant: str = DEFAULT_VARIANT, forms: bool = False,
               **options: Any) -> bytes:
        """One PDF; an ``ARCHIVAL`` variant also claims (and needs) PDF/UA-1."""
        document = self._weasyprint.HTML(string=html, base_url=self._base_url)
        pdf = document.write_pdf(
            stylesheets=self._css, font_config=self._fonts, pdf_variant=variant,
            pdf_forms=forms, **options,
        )
        assert isinstance(pdf, bytes)
        return claim_ua(pdf) if variant == ARCHIVAL else pdf


@contextmanager
def long_lived_heap() -> Iterator[None]:
    """For a batch of documents: what exists now is kept out of the garbage collector's way.

    A layout makes and drops hundreds of thousands of objects, which sets off Python's cyclic
    garbage collector again and again, and its full collections walk every object in the
    process: WeasyPrint's modules, parsed stylesheets and fonts (~100,000 objects), none of
    which is garbage. Frozen (``gc.freeze``), they are skipped; the documents' own garbage is
    still collected, and memory stays flat. ~15 % of a form's CPU time, measured; the output
    is the same bytes. Call it once the renderer is set up (WeasyPrint imported, stylesheets
    parsed).
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def claim_ua(pdf: bytes) -> bytes:
    """Add the PDF/UA-1 claim to a PDF/A-2a file from WeasyPrint, which writes one claim only.

    The metadata stream is rewritten uncompressed too: PDF/A-2 forbids a /Filter on it
    (ISO 19005-2, 6.6.2.1), and WeasyPrint 70 compresses it for every PDF/A part but 1; and no
    stream may end ambiguously (``unambiguous``). The file ID stays derived from the
    content, so the same input still gives the same bytes.
    """
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        xmp = doc.Root.Metadata.read_bytes()
        if xmp.count(_RDF_END) != 1:
            raise ValueError("WeasyPrint's XMP metadata has not exactly one rdf:RDF")
        xmp = xmp.replace(_RDF_END, _UA_XMP + _RDF_END)
        doc.Root.Metadata = doc.make_stream(xmp, Type=pikepdf.Name.Metadata,
                                            Subtype=pikepdf.Name.XML)
        out = io.BytesIO()
        doc.save(out, deterministic_id=True)
    return unambiguous(out.getvalue())


# ToUnicode targets PDF/UA-1 forbids (ISO 14289-1, 7.21.7): they mean "no character".
_NOT_TEXT = (b"<0000>", b"<feff>", b"<fffe>")
_BFCHAR = re.compile(rb"\d+ beginbfchar\n(.*?)endbfchar\n?", re.DOTALL)


def drop_invalid_unicode(doc: Any) -> None:
    """Remove U+0000, U+FEFF and U+FFFE from the ToUnicode maps of an open pikepdf document.

    WeasyPrint maps every glyph of a font it embeds whole (the fonts of form fields) from the
    font's cmap, and DejaVu Sans has a glyph for U+FEFF (the byte order mark). No text in our
    documents uses it; a viewer extracting such a glyph gets nothing either way.
    """
    import pikepdf

    def block(match: re.Match[bytes]) -> bytes:
        lines = [line for line in match.group(1).split(b"\n")
                 if line and line.split()[-1].lower() not in _NOT_TEXT]
        if not lines:
            return b""
        return b"%d beginbfchar\n%s\nendbfchar\n" % (len(lines), b"\n".join(lines))

    for font in doc.objects:
        if not (isinstance(font, pikepdf.Dictionary) and font.get("/Type") == pikepdf.Name.Font
                and isinstance(font.get("/ToUnicode"), pikepdf.Stream)):
            continue
        cmap = font.ToUnicode.read_bytes()
        if not any(target in cmap.lower() for target in _NOT_TEXT):
            continue
        font.ToUnicode.write(_BFCHAR.sub(block, cmap))


# A stream's data ending in CR, followed by the writer's LF before ``endstream``, reads as a CR LF
# end-of-line marker: its /Length then looks one byte too long, and PDF/A validators fail the
# file (ISO 19005-2, 6.1.7.1; page-validation's PDFA2A-STREAM-LENGTH-001). Compressed data ends
# in CR by chance, so about 1 % of letters and many a longer document would fail.
AMBIGUOUS_STREAM_END = b"\r\nendstream"


def unambiguous(pdf: bytes) -> bytes:
    """``pdf`` without a stream whose data ends in CR (see ``AMBIGUOUS_STREAM_END``).

    Most files have none and are returned as they are, at the cost of one search. Otherwise such
    streams get an ASCII85 layer over the same compressed bytes (it ends in ``~>``), a quarter
    larger for that stream and the same for every reader. qpdf writes the file again without
    compressing anything itself (it would take the layer off again), so a file with object
    streams grows; that happens to about 1 file in 100.
    """
    if AMBIGUOUS_STREAM_END not in pdf:
        return pdf
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        for stream in doc.objects:
            if isinstance(stream, pikepdf.Stream) and stream.read_raw_bytes().endswith(b"\r"):
                _ascii85_layer(pikepdf, stream)
        out = io.BytesIO()
        doc.save(out, deterministic_id=True, compress_streams=False,
                 stream_decode_level=pikepdf.StreamDecodeLevel.none)
    return out.getvalue()


def _ascii85_layer(pikepdf: Any, stream: Any) -> None:
    import base64

    filters = stream.get("/Filter")
    names = list(filters) if isinstance(filters, pikepdf.Array) else (
        [filters] if filters is not None else [])
    parms = stream.get("/DecodeParms")
    values = list(parms) if isinstance(parms, pikepdf.Array) else [parms] * max(len(names), 1)
    encoded = base64.a85encode(stream.read_raw_bytes()) + b"~>"
    layered = pikepdf.Array([pikepdf.Name.ASCII85Decode, *names])
    decode = (pikepdf.Array([None, *values[:len(names)]])
              if any(value is not None for value in values) else None)
    stream.write(encoded, filter=layered, decode_parms=decode, type_check=False)
