"""The font of the form fields: the form's own font, cut down to the scripts forms are filled
in with, so that a fillable PDF does not carry the whole font.

WeasyPrint embeds every font a form field uses whole (``pdf_forms``), so that a viewer can draw
whatever is typed into a field. DejaVu Sans whole is 760 KB and ~6,000 glyphs: embedding,
measuring and compressing it was ~40 % of a form's rendering time. The fields get a copy of the
same font (the first of form.css's families that is installed) with the glyphs of Latin with its
extensions, Greek, Cyrillic, punctuation and currency signs: ~1,600 glyphs, made once per process
with fontTools (which WeasyPrint itself uses), handed to WeasyPrint as a ``data:`` URL. The rest
of the form keeps the installed font, subset to the glyphs it uses, as before.
"""

from __future__ import annotations

import base64
import io
import zlib
from functools import lru_cache
from pathlib import Path
from typing import Any

#: The family name the copy gets in the form's stylesheet (never installed anywhere).
FAMILY = "Standardgen Felt"
#: form.css's families, in its order (``html { font-family: ... }``).
SOURCES = ("IBM Plex Sans", "DejaVu Sans")
#: Unicode ranges kept: Latin (Basic, Latin-1, Extended-A/B, Extended Additional) with combining
#: marks, Greek, Cyrillic, general punctuation, currency signs, letterlike symbols.
RANGES = ((0x20, 0x7E), (0xA0, 0x24F), (0x300, 0x36F), (0x370, 0x3FF), (0x400, 0x4FF),
          (0x1E00, 0x1EFF), (0x2000, 0x206F), (0x20A0, 0x20CF), (0x2100, 0x214F))
_NORMAL = 400


def source_font() -> tuple[Path, int] | None:
    """The regular face of the first of ``SOURCES`` installed: file and index in it."""
    import typst

    found = {(f.family, f.style, f.weight, f.stretch): f for f in typst.Fonts().fonts()}
    for family in SOURCES:
        face = found.get((family, "normal", _NORMAL, 1.0))
        if face is not None and face.path:
            return Path(face.path), face.index
    return None


def cut_down(path: Path, index: int = 0) -> bytes:
    """The font at ``path`` with only the glyphs of ``RANGES`` (and what they need: accents,
    ligature parts, kerning)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.drop_tables += ["FFTM"]
    font = TTFont(path, fontNumber=index)
    font.recalcTimestamp = False  # the same bytes in every run: a form is reproducible
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[c for first, last in RANGES for c in range(first, last + 1)])
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


@lru_cache(maxsize=1)
def field_font() -> bytes | None:
    """The cut-down font, made once per process; None when no source is installed."""
    source = source_font()
    return None if source is None else cut_down(*source)


@lru_cache(maxsize=1)
def field_css() -> tuple[str, ...]:
    """The stylesheet that gives the fields the cut-down font; none when no source is
    installed (the fields then keep form.css's font, embedded whole)."""
    font = field_font()
    if font is None:
        return ()
    data = base64.b64encode(font).decode("ascii")
    return (f'@font-face {{ font-family: "{FAMILY}"; src: url(data:font/ttf;base64,{data}); }}\n'
            f'input, select, textarea {{ font-family: "{FAMILY}", '
            f'{", ".join(f"{chr(34)}{name}{chr(34)}" for name in SOURCES)}, sans-serif; }}\n',)


@lru_cache(maxsize=1)
def _compressed(font: bytes) -> bytes:
    # As pydyf compresses a stream (zlib level 9), so the file is the same bytes.
    compressor = zlib.compressobj(level=9)
    return compressor.compress(font) + compressor.flush()


def compress_once(document: object, pdf: Any) -> None:
    """A WeasyPrint finisher: the field font's stream, the same in every form, gets the
    compressed data made once per process instead of being compressed again (level 9, ~6 ms a
    form). Any other stream is left as it is."""
    import pydyf  # type: ignore[import-untyped]  # WeasyPrint's PDF writer

    font = field_font()
    if font is None:
        return
    for stream in pdf.objects:
        if (isinstance(stream, pydyf.Stream) and stream.compress and len(stream.stream) == 1
                and stream.stream[0] == font):
            stream.stream = [_compressed(font)]
            stream.compress = False
            stream.extra["Filter"] = "/FlateDecode"
