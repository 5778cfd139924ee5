"""Print-ready letters: A4 portrait, the recipient's address in the envelope's window, all text
in the printable area, every font embedded; and ``standardgen letter --check`` on any PDF.

The positions are read by poppler (``pdftotext -bbox-layout``), a different reader from the
PDFium the preflight itself uses, and compared with ``templates/letter/print.yaml``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pikepdf
import pytest

from clients import TextLine, pdf_facts, text_lines
from conftest import edit, run
from letterkinds import Example, declared_kinds, examples, render
from standardgen.letters.preflight import PrintGeometry, load_geometry

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "cases"
STANDARDS = ROOT / "standards"
MM = 25.4 / 72
TOLERANCE = 0.5  # mm, as the preflight allows

# A long name, a long street line and a long town, all still real-looking Danish addresses.
LONG = {
    "Anna Testesen": "Anne-Marie Christiane Frederikke Østergaard-Bjerregaard Vestergaard",
    "Prøvevej 1, 2. th.": "Kong Christian den Niendes Allé 127B, 3. sal, lejlighed 12, th.",
    "city: Grenaa": "city: Kongens Lyngby Nord",
}


@pytest.fixture(scope="module")
def geometry() -> PrintGeometry:
    return load_geometry()


@pytest.fixture(scope="module")
def letters(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A letter of every kind the code declares, and a granted one with a long address."""
    tmp = tmp_path_factory.mktemp("print")
    found = {kind: render(example, tmp / kind) for kind, example in examples().items()
             if kind in declared_kinds()}
    long_case = tmp / "long.yaml"
    shutil.copy(EXAMPLES / "bevilget.yaml", long_case)
    edit(long_case, '"2026-104-0001"', '"2026-104-9001"')
    for old, new in LONG.items():
        edit(long_case, old, new)
    found["long"] = render(Example("bevilget", long_case, STANDARDS), tmp / "long")
    return found


def recipient(lines: list[TextLine], geometry: PrintGeometry) -> list[TextLine]:
    w = geometry.window
    return [line for line in lines if line.page == 1
            and line.left * MM < w.left + w.width and line.right * MM > w.left
            and line.top * MM < w.top + w.height and line.bottom * MM > w.top]


@pytest.mark.client
def test_the_address_and_only_the_address_is_in_the_window(
        letters: dict[str, Path], geometry: PrintGeometry) -> None:
    w = geometry.window
    inner = (w.left + w.clearance - TOLERANCE, w.top + w.clearance - TOLERANCE,
             w.left + w.width - w.clearance + TOLERANCE,
             w.top + w.height - w.clearance + TOLERANCE)
    for name, pdf in letters.items():
        lines = text_lines(pdf)
        block = recipient(lines, geometry)
        texts = [line.text for line in block]
        assert len(texts) >= 3, (name, texts)  # name, street, postcode and town
        assert texts[-1][:4].isdigit(), (name, texts)  # the last line: postcode and town
        for line in block:
            box = (line.left * MM, line.top * MM, line.right * MM, line.bottom * MM)
            assert inner[0] <= box[0] and inner[1] <= box[1], (name, line)
            assert box[2] <= inner[2] and box[3] <= inner[3], (name, line)
    long_lines = " ".join(line.text for line in recipient(text_lines(letters["long"]), geometry))
    for value in ("Østergaard-Bjerregaard", "lejlighed 12", "Kongens Lyngby Nord"):
        assert value in long_lines


@pytest.mark.client
def test_all_text_is_inside_the_printable_area_on_a4(
        letters: dict[str, Path], geometry: PrintGeometry) -> None:
    m, paper = geometry.margins, geometry.paper
    for name, pdf in letters.items():
        outside = [line for line in text_lines(pdf)
                   if line.left * MM < m.left - TOLERANCE or line.top * MM < m.top - TOLERANCE
                   or line.right * MM > paper.width - m.right + TOLERANCE
                   or line.bottom * MM > paper.height - m.bottom + TOLERANCE]
        assert not outside, (name, outside)
        facts = pdf_facts(pdf)
        assert not facts.unembedded_fonts, (name, facts.fonts)
        with pikepdf.open(pdf) as doc:
            for page in doc.pages:
                width, height = (float(v) * MM for v in page.mediabox[2:])
                assert abs(width - paper.width) < 1 and abs(height - paper.height) < 1


def test_check_passes_every_letter_of_every_kind(letters: dict[str, Path]) -> None:
    assert set(declared_kinds()) <= set(letters), "a letter kind has no example case"
    result = run("letter", "--check", *letters.values())
    assert result.exit_code == 0, result.output
    assert f"Kontrollerede {len(letters)} breve til print: ingen fejl" in result.output


def test_an_address_too_long_for_the_window_is_refused_located(tmp_path: Path) -> None:
    case = tmp_path / "lang.yaml"
    shutil.copy(EXAMPLES / "bevilget.yaml", case)
    edit(case, "Anna Testesen", " ".join(["Anne-Marie Østergaard-Bjerregaard"] * 8))
    result = run("letter", case, "--standards", STANDARDS, "--out", tmp_path / "out",
                 "--format", "pdf", "--jobs", "1")
    assert result.exit_code == 1
    assert "lang.yaml" in result.output
    assert "modtagerens navn og adresse fylder mere end kuvertens rude" in result.output
    assert not list((tmp_path / "out").glob("*.pdf"))


# --- letter --check on PDFs made elsewhere ------------------------------------------------------

def weasyprint_pdf(tmp_path: Path, name: str, css: str, body: str) -> Path:
    import weasyprint

    pdf = tmp_path / name
    html = f"<html lang='da'><style>{css}</style><body>{body}</body></html>"
    weasyprint.HTML(string=html).write_pdf(pdf)
    return pdf


def test_check_locates_text_outside_the_printable_area(tmp_path: Path) -> None:
    pdf = weasyprint_pdf(
        tmp_path, "kant.pdf", "@page { size: A4; margin: 5mm }",
        "<p>Tæt på kanten</p>")
    result = run("letter", "--check", pdf)
    assert result.exit_code == 1
    assert "kant.pdf:0:0:" in result.output
    assert "side 1: teksten »Tæt på kanten« ligger uden for det printbare område" in result.output
    assert "side 1: der er ingen modtageradresse i kuvertens rude" in result.output


def test_check_finds_text_astride_the_window_and_a_wrong_page_size(tmp_path: Path) -> None:
    pdf = weasyprint_pdf(
        tmp_path, "rude.pdf",
        "@page { size: A4; margin: 20mm } @page :nth(2) { size: letter }",
        "<p style='margin: 0; padding: 64mm 0 0 5mm'>Hans Hansen</p>"
        "<p style='break-before: page'>Side to</p>")
    result = run("letter", "--check", pdf)
    assert result.exit_code == 1
    assert "side 1: teksten »Hans Hansen« ligger kun delvis i kuvertens rude" in result.output
    assert "side 2: siden er 215,9 × 279,4 mm; den skal være A4 på højkant" in result.output


def test_check_finds_a_font_that_is_not_embedded(tmp_path: Path) -> None:
    pdf = tmp_path / "helvetica.pdf"
    with pikepdf.new() as doc:
        doc.add_blank_page(page_size=(595.28, 841.89))
        page = doc.pages[0]
        font = doc.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica))
        page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        page.obj.Contents = doc.make_stream(b"BT /F1 11 Tf 80 680 Td (Hans Hansen) Tj ET")
        doc.save(pdf)
    result = run("letter", "--check", pdf)
    assert result.exit_code == 1
    assert "side 1: skrifttypen Helvetica er ikke indlejret" in result.output


def test_check_reports_missing_and_unreadable_files(tmp_path: Path) -> None:
    text = tmp_path / "brev.pdf"
    text.write_text("ikke en PDF", encoding="utf-8")
    result = run("letter", "--check", text, tmp_path / "findes-ikke.pdf")
    assert result.exit_code == 1
    assert "brev.pdf:0:0:" in result.output and "kan ikke læses som PDF" in result.output
    assert "findes-ikke.pdf:0:0:" in result.output and "filen findes ikke" in result.output
    assert "Traceback" not in result.output
