"""Preflight of a letter for post and remote print: A4 portrait, the recipient's address inside
the envelope's window, every text inside the printable area, every font embedded.

The numbers come from ``templates/letter/print.yaml`` (with their sources), the same file the
letter template places the address by. The check reads only the finished PDF, so it works on a
letter made anywhere (the idea of GOV.UK Notify's checks of precompiled letters). Text boxes come
from PDFium (pypdfium2), fonts from pikepdf; both are imported only when a PDF is checked.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field

from standardgen.core import validation
from standardgen.core.codes import Code
from standardgen.core.problems import Problem, Severity, display_path
from standardgen.core.templates import templates_dir
from standardgen.standards.model import Frozen

PRINT_FILE = Path("letter") / "print.yaml"
MM_PER_POINT = 25.4 / 72
#: How far a measured box may stray over a line and still count as inside: glyph boxes are
#: measured from the font's outlines, a little rounding is not a misplaced letter.
TOLERANCE_MM = 0.5
#: Longest quote of a text in a message.
_QUOTE = 40

Millimetres = Annotated[float, Field(ge=0, le=1000)]


class Paper(Frozen):
    width: Millimetres
    height: Millimetres
    source: str


class Window(Frozen):
    left: Millimetres
    top: Millimetres
    width: Millimetres
    height: Millimetres
    clearance: Millimetres
    source: str


class Margins(Frozen):
    top: Millimetres
    right: Millimetres
    bottom: Millimetres
    left: Millimetres
    source: str


class RemotePrint(Frozen):
    """Print options of Digital Post's remote print (fjernprint), for ``letter --format memo``:
    the enumerations of KOMBIT's fjernprint schema."""

    envelope: Literal["C4", "C5", "MA"]
    sides: Literal["Simplex", "Duplex"]
    colour: Literal["SH", "Farve"]
    category: Literal["Prioritaire", "Economique", "Bulk", "Rekommanderet",
                      "Rekommanderet med modtagerbevis", "Forkyndelse"]
    source: str


class PrintGeometry(Frozen):
    """``print.yaml``: the sheet, the envelope's window and the printable area, in mm, and the
    remote-print options."""

    paper: Paper
    window: Window
    margins: Margins
    remote_print: RemotePrint | None = None


def load_geometry(folder: Path | None = None) -> PrintGeometry:
    """The print geometry of the letter template (raises ``InputError``, located, if wrong)."""
    return validation.load((folder or templates_dir()) / PRINT_FILE, PrintGeometry)


@dataclass(frozen=True)
class Box:
    """A run of text on a page, in mm from the page's top left corner."""

    page: int  # 1-based
    left: float
    top: float
    right: float
    bottom: float
    text: str

    def inside(self, left: float, top: float, right: float, bottom: float) -> bool:
        t = TOLERANCE_MM
        return (self.left >= left - t and self.top >= top - t
                and self.right <= right + t and self.bottom <= bottom + t)

    def overlaps(self, left: float, top: float, right: float, bottom: float) -> bool:
        return (self.left < right and self.right > left
                and self.top < bottom and self.bottom > top)


@dataclass(frozen=True)
class Page:
    number: int  # 1-based
    width: float  # mm
    height: float  # mm
    boxes: tuple[Box, ...]


def read_pages(pdf: Path) -> list[Page]:
    """Every page's size and text boxes, as PDFium lays the text out."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        return [_page(document[index], index + 1) for index in range(len(document))]
    finally:
        document.close()


def _page(page: Any, number: int) -> Page:
    width, height = page.get_size()
    text = page.get_textpage()
    boxes = []
    for index in range(text.count_rects()):
        left, bottom, right, top = text.get_rect(index)
        content = " ".join(text.get_text_bounded(left, bottom, right, top).split())
        if content:
            boxes.append(Box(number, left * MM_PER_POINT, (height - top) * MM_PER_POINT,
                             right * MM_PER_POINT, (height - bottom) * MM_PER_POINT, content))
    return Page(number, width * MM_PER_POINT, height * MM_PER_POINT, tuple(boxes))


def address_boxes(page: Page, geometry: PrintGeometry) -> list[Box]:
    """The text of ``page`` that lies in the envelope's window (any part of it)."""
    w = geometry.window
    return [box for box in page.boxes
            if box.overlaps(w.left, w.top, w.left + w.width, w.top + w.height)]


def check(pdf: Path, geometry: PrintGeometry) -> list[Problem]:
    """Every reason ``pdf`` is not ready for a window envelope and remote print, by page."""
    import pikepdf
    import pypdfium2 as pdfium

    where = display_path(pdf)
    try:
        pages = read_pages(pdf)
        fonts = list(unembedded_fonts(pdf))
    except (pdfium.PdfiumError, pikepdf.PdfError, OSError):
        return [_problem(where, "filen kan ikke læses som PDF")]
    if not pages:
        return [_problem(where, "PDF-filen har ingen sider")]
    problems = [_problem(where, f"side {page}: skrifttypen {name} er ikke indlejret; "
                                "printeren ville bruge en anden skrift")
                for page, name in fonts]
    for page in pages:
        problems += [_problem(where, f"side {page.number}: {message}")
                     for message in _page_findings(page, geometry)]
    return problems


def _page_findings(page: Page, geometry: PrintGeometry) -> Iterator[str]:
    paper, m = geometry.paper, geometry.margins
    if abs(page.width - paper.width) > 1 or abs(page.height - paper.height) > 1:
        yield (f"siden er {_mm(page.width)} × {_mm(page.height)} mm; den skal være A4 på højkant "
               f"({_mm(paper.width)} × {_mm(paper.height)} mm)")
        return  # margins and window are measured on an A4 sheet
    right, bottom = paper.width - m.right, paper.height - m.bottom
    for box in page.boxes:
        if not box.inside(m.left, m.top, right, bottom):
            yield (f"teksten {_quote(box.text)} ligger uden for det printbare område "
                   f"({_distances(box, paper)}; mindst {_mm(m.left)} mm fra venstre, "
                   f"{_mm(m.top)} mm fra toppen, {_mm(m.right)} mm fra højre og "
                   f"{_mm(m.bottom)} mm fra bunden)")
    if page.number == 1:
        yield from _window_findings(page, geometry)


def _window_findings(page: Page, geometry: PrintGeometry) -> Iterator[str]:
    w = geometry.window
    c = w.clearance
    inner = (w.left + c, w.top + c, w.left + w.width - c, w.top + w.height - c)
    in_window = address_boxes(page, geometry)
    if not in_window:
        yield (f"der er ingen modtageradresse i kuvertens rude ({_mm(w.left)}-"
               f"{_mm(w.left + w.width)} mm fra venstre, {_mm(w.top)}-{_mm(w.top + w.height)} "
               "mm fra toppen)")
    for box in in_window:
        if not box.inside(*inner):
            yield (f"teksten {_quote(box.text)} ligger kun delvis i kuvertens rude "
                   f"({_distances(box, geometry.paper)}); adressen skal holde {_mm(c)} mm "
                   f"fra rudens kanter ({_mm(w.left)}-{_mm(w.left + w.width)} mm fra venstre, "
                   f"{_mm(w.top)}-{_mm(w.top + w.height)} mm fra toppen)")


def unembedded_fonts(pdf: Path) -> Iterator[tuple[int, str]]:
    """(first page, font name) of each font that is used but not embedded."""
    import pikepdf

    seen: set[str] = set()
    with pikepdf.open(pdf) as document:
        for number, page in enumerate(document.pages, 1):
            for font in _page_fonts(pikepdf, page.obj.get("/Resources"), set()):
                name = str(font.get("/BaseFont", "?")).removeprefix("/")
                if name not in seen and not _embedded(pikepdf, font):
                    seen.add(name)
                    yield number, name


def _page_fonts(pikepdf: Any, resources: Any, visited: set[tuple[int, int]]) -> Iterator[Any]:
    """The fonts of a page's resources and of the form XObjects it draws (recursively)."""
    if not isinstance(resources, pikepdf.Dictionary):
        return
    fonts = resources.get("/Font")
    if isinstance(fonts, pikepdf.Dictionary):
        yield from (font for font in fonts.values() if isinstance(font, pikepdf.Dictionary))
    xobjects = resources.get("/XObject")
    if isinstance(xobjects, pikepdf.Dictionary):
        for xobject in xobjects.values():
            if not isinstance(xobject, pikepdf.Stream) or xobject.get("/Subtype") != "/Form":
                continue
            if xobject.is_indirect:
                if xobject.objgen in visited:
                    continue
                visited.add(xobject.objgen)
            yield from _page_fonts(pikepdf, xobject.get("/Resources"), visited)


def _embedded(pikepdf: Any, font: Any) -> bool:
    subtype = font.get("/Subtype")
    if subtype == "/Type3":
        return True  # its glyphs are drawn by the file's own content streams
    if subtype == "/Type0":
        descendants = font.get("/DescendantFonts", pikepdf.Array())
        font = descendants[0] if len(descendants) else pikepdf.Dictionary()
    descriptor = font.get("/FontDescriptor", pikepdf.Dictionary())
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def check_files(paths: Sequence[Path], folder: Path | None = None) -> list[Problem]:
    """``standardgen letter --check``: the findings for every file (missing files included)."""
    geometry = load_geometry(folder)
    problems: list[Problem] = []
    for path in paths:
        if not path.is_file():
            problems.append(_problem(display_path(path), "filen findes ikke"))
        else:
            problems += check(path, geometry)
    return problems


def _problem(where: str, message: str) -> Problem:
    return Problem(where, 0, 0, Severity.ERROR, message, Code.PRINT)


def _mm(value: float) -> str:
    return f"{value:.1f}".replace(".", ",").removesuffix(",0")


def _quote(text: str) -> str:
    return f"»{text if len(text) <= _QUOTE else text[:_QUOTE - 1] + '…'}«"


def _distances(box: Box, paper: Paper) -> str:
    return (f"{_mm(box.left)} mm fra venstre, {_mm(box.top)} mm fra toppen, "
            f"{_mm(paper.width - box.right)} mm fra højre, "
            f"{_mm(paper.height - box.bottom)} mm fra bunden")
