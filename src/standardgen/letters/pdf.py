"""Letters as tagged, archivable PDF (PDF/A-2a and PDF/UA-1, language da) with Typst.

Why Typst and not WeasyPrint (which the standards use): a one-page letter takes ~48 ms in
WeasyPrint and ~2-5 ms in Typst, and a batch of thousands must run at 50 letters/s or more on two
cores. Typst 0.14+ writes PDF/UA-1 with a structure tree, ``/Lang`` and embedded font subsets.
The letter reaches the template as JSON data (the in-memory file ``letter.json``), so citizen
values are never code. Not through ``sys.inputs``: they are part of Typst's library, so inputs
that change with every letter make every cached layout stale; with a file, the quoted standard
text that every letter of a batch shares is laid out once per process (~1.6x less CPU a letter).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Final, Literal

from standardgen.core import markup
from standardgen.letters.letter import Letter, as_data
from standardgen.render.pdf import unambiguous

TEMPLATE = Path("letter") / "letter.typ"
#: Its own file, so that a municipality can override the letterhead alone.
LETTERHEAD = Path("letter") / "letterhead.typ"
MAIN, DATA = "main.typ", "letter.json"  # the names Typst sees the template and the data by
#: PDF/A-2a (archivable as it is, in the case system) and PDF/UA-1 (accessible). "a" is the
#: accessible level of PDF/A: it needs the tags and Unicode text PDF/UA-1 needs anyway.
Standard = Literal["a-2a", "ua-1"]
PDF_STANDARDS: Final[tuple[Standard, ...]] = ("a-2a", "ua-1")
#: Typst writes ``/MarkInfo <</Marked true /Suspects false>>``, which is right (ISO 32000-1,
#: table 321) but makes poppler up to at least 22.12 print "Syntax Error: Suspects object is
#: wrong type (boolean)" for every letter: its Catalog::getMarkInfo reports any /Suspects that
#: is not ``true`` as the wrong type. An absent /Suspects means false, so the key is blanked out
#: with spaces of the same length, which keeps every byte offset (and the xref table) valid.
_MARK_INFO = b"/MarkInfo<</Marked true/Suspects false>>"
_MARK_INFO_FIXED = b"/MarkInfo<</Marked true" + b" " * len(b"/Suspects false") + b">>"
# Preferred first; the first family Typst can find is used. DejaVu Sans comes with Debian's
# fontconfig; Libertinus Serif is built into Typst, so some font is always there.
FONTS = ("IBM Plex Sans", "DejaVu Sans", "Libertinus Serif")
#: The Word letter names the same family, and for a machine without it a font that ships with
#: Word (Windows and macOS) of the same kind: Word uses a font table entry's altName when the
#: font itself is missing. LibreOffice ships DejaVu Sans itself.
WORD_FALLBACK = {"IBM Plex Sans": "Arial", "DejaVu Sans": "Verdana",
                 "Libertinus Serif": "Cambria"}


@lru_cache(maxsize=1)
def letter_font() -> str:
    """The family the PDF letters are set in on this machine (and the Word letters name)."""
    import typst

    families = set(typst.Fonts().families())
    return next((f for f in FONTS if f in families), FONTS[-1])


class RenderError(Exception):
    """A letter could not be rendered; the message is safe to show (no personal data)."""


class PdfLetterRenderer:
    """One Typst compiler per process: the template is parsed once, fonts are loaded once."""

    def __init__(self, folder: Path | None = None,
                 standards: Sequence[Standard] = PDF_STANDARDS) -> None:
        """``standards``: Typst's PDF standards; other than the default only to measure what
        conformance costs (``benchmarks/bench_letters.py``)."""
        import typst

        if folder is None:
            from standardgen.core.templates import templates_dir

            folder = templates_dir()
        self._typst = typst
        self._standards: list[Any] = list(standards)  # typst names all its standards; invariant
        # The template is read once and handed over with each letter's data as in-memory files.
        # The root is the template's folder as the renderer sees it, not the file's real folder:
        # with a municipality's override that is the merged view (core.templates), so a
        # letter.typ overridden alone still finds the built-in print.yaml beside it, and the view
        # holds no link out of an override folder for `#read` to follow.
        template = folder / TEMPLATE
        self._source = template.read_bytes()
        # Read through the folder, not beside the resolved letter.typ: a municipality's own
        # letterhead.typ (an override) is then used even when letter.typ is the shipped one.
        self._letterhead = (folder / LETTERHEAD).read_bytes()
        self._logos: dict[str, tuple[str, bytes]] = {}  # path -> (name Typst sees, bytes)
        self._compiler = typst.Compiler(root=str(template.parent))
        self.font = letter_font()

    def render(self, letter: Letter) -> bytes:
        files = {MAIN: self._source, LETTERHEAD.name: self._letterhead}
        logo = self._logo(letter.logo)
        if logo is not None:
            files[logo[0]] = logo[1]
        data: dict[str, Any] = {**as_data(letter), "font": self.font,
                                "logo": logo[0] if logo else None}
        day = letter.decision_date
        stamp = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
        # Danish typography (no break inside "§ 85", "3 dage") over the whole letter at once:
        # one pass over its JSON rather than a call per string.
        text = markup.typeset_text(json.dumps(data, ensure_ascii=False))
        try:
            # typst-py takes a dict of in-memory files (its README, "Multi-file projects");
            # the type stubs of 0.15.0 do not list that form of ``input`` yet.
            pdf = self._compiler.compile(
                input={**files, DATA: text.encode()},  # type: ignore[type-var]
                format="pdf", pdf_standards=self._standards, timestamp=stamp,
            )
        except self._typst.TypstError as exc:
            raise RenderError(f"PDF-skabelonen fejlede: {exc.message}") from None
        if not isinstance(pdf, bytes):
            raise RenderError("PDF-skabelonen gav ikke én PDF-fil")
        # About 1 letter in 100 has a stream ending in CR, which PDF/A validators misread.
        return unambiguous(without_suspects(pdf))


    def _logo(self, path: str | None) -> tuple[str, bytes] | None:
        """The logo as an in-memory file for Typst, read once per process (its folder lies
        outside the template folder, Typst's root)."""
        if path is None:
            return None
        if path not in self._logos:
            try:
                data = Path(path).read_bytes()
            except OSError as exc:
                raise RenderError(f"logoet kan ikke læses: {exc.strerror}") from None
            self._logos[path] = ("logo" + Path(path).suffix.lower(), data)
        return self._logos[path]


def without_suspects(pdf: bytes) -> bytes:
    """The letter without the ``/Suspects false`` that poppler misreads (see ``_MARK_INFO``).

    Only the catalogue's one exact entry is touched; text in a letter is in compressed content
    streams or hex glyph strings, so it cannot contain the pattern.
    """
    if pdf.count(_MARK_INFO) != 1:
        return pdf
    return pdf.replace(_MARK_INFO, _MARK_INFO_FIXED)
