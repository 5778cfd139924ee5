"""The letterhead: the municipality's logo on every letter and form, as decoration.

Every letter kind with and without a logo passes page-validation's PDF/UA-1 and PDF/A-2a rules
and the print preflight; the logo is drawn on the first page but is no part of the tag tree.
The follow-up form with a logo passes PDF/UA-1 (forms are not archived, so not PDF/A).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pikepdf
import pytest

from clients import PDFA_2A, UA1, conformance
from conftest import run
from letterkinds import Example, declared_kinds, examples, render
from sitebuild import LOGO_SVG
from standardgen.letters.preflight import check_files

KINDS = declared_kinds()


def _standards(example: Example, tmp: Path, logo: bool) -> Path:
    """A copy of the example's standards, its municipality with or without a logo."""
    target = tmp / "standards"
    shutil.copytree(example.standards, target)
    for town in (target / "municipalities").glob("*.yaml"):
        lines = [line for line in town.read_text(encoding="utf-8").splitlines()
                 if not line.startswith("logo:")]
        if logo:
            (town.parent / "test-logo.svg").write_text(LOGO_SVG, encoding="utf-8")
            lines.append("logo: test-logo.svg")
        town.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def _ink_in_letterhead(pdf: Path) -> int:
    """Non-white pixels where the letterhead stands: 9-19 mm from the top, right half of page
    1 (a vector logo is drawn in the page's content, so it is looked for as a reader sees it)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[0].render(scale=100 / 72).to_pil().convert("L")
    finally:
        document.close()
    per_mm = image.width / 210
    box = (int(105 * per_mm), int(9 * per_mm), image.width, int(19 * per_mm))
    histogram = image.crop(box).histogram()  # 256 grey levels
    return sum(histogram[:200])


def _figures(pdf: Path) -> int:
    """Figure elements in the tag tree (a logo tagged as content would be one)."""
    with pikepdf.open(pdf) as doc:
        root = doc.Root.get("/StructTreeRoot")
        if root is None:
            return 0
        count, todo = 0, [root]
        while todo:
            node = todo.pop()
            if isinstance(node, pikepdf.Dictionary):
                if node.get("/S") == "/Figure":
                    count += 1
                kids = node.get("/K")
                if kids is not None:
                    todo.extend(kids if isinstance(kids, pikepdf.Array) else [kids])
            elif isinstance(node, pikepdf.Array):
                todo.extend(node)
        return count


@pytest.mark.client
@pytest.mark.parametrize("logo", [True, False], ids=["logo", "no-logo"])
@pytest.mark.parametrize("kind", KINDS)
def test_every_letter_kind_with_and_without_logo(kind: str, logo: bool, tmp_path: Path) -> None:
    example = examples()[kind]
    standards = _standards(example, tmp_path, logo)
    own = Example(example.kind, example.source, standards, example.row)
    out = render(own, tmp_path / "out")
    pdf = next(out.glob("*.pdf")) if out.is_dir() else out
    assert conformance(pdf, UA1) == []
    assert conformance(pdf, PDFA_2A) == []
    assert check_files([pdf]) == []  # A4, address in the window, text in the printable area
    assert _figures(pdf) == 0
    ink = _ink_in_letterhead(pdf)
    assert ink > 50 if logo else ink == 0


@pytest.mark.client
def test_form_carries_the_logo_and_stays_accessible(tmp_path: Path) -> None:
    example = examples()["bevilget"]
    standards = _standards(example, tmp_path, logo=True)
    result = run("form", example.source, "--standards", standards, "--out", tmp_path / "forms",
                 "--format", "pdf")
    assert result.exit_code == 0, result.output
    pdf = next((tmp_path / "forms").glob("*.pdf"))
    assert conformance(pdf, UA1) == []
    with pikepdf.open(pdf) as doc:  # WeasyPrint draws the SVG background as a form XObject
        assert "/XObject" in doc.pages[0].obj["/Resources"]


def test_a_municipality_overrides_the_letterhead_alone(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Its own letter/letterhead.typ in its template folder replaces the shipped letterhead;
    the rest of the letter (wording, layout) stays the shipped one."""
    import io

    from pypdf import PdfReader

    own = tmp_path / "templates" / "letter"
    own.mkdir(parents=True)
    (own / "letterhead.typ").write_text(
        '#let letterhead(d, margin) = place(top + left, dy: 12mm - margin.top)'
        '[Solbakke Kommune, Rådhusvej 1]\n', encoding="utf-8")
    monkeypatch.setenv("STANDARDGEN_TEMPLATES", str(tmp_path / "templates"))
    example = examples()["bevilget"]
    result = run("letter", example.source, "--standards", example.standards, "--out",
                 tmp_path / "out", "--format", "pdf", "--jobs", "1")
    assert result.exit_code == 0, result.output
    pdf = next((tmp_path / "out").glob("*.pdf")).read_bytes()
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Solbakke Kommune, Rådhusvej 1" in text
    assert "Klagevejledning" in " ".join(p.extract_text() for p in PdfReader(
        io.BytesIO(pdf)).pages)


@pytest.mark.client
def test_the_word_letter_carries_the_logo_where_the_pdf_does(tmp_path: Path) -> None:
    """The .docx, as LibreOffice lays it out, has the logo in the same place as the PDF, as a
    decorative image; without a logo there is none."""
    import zipfile

    from clients import libreoffice_convert

    example = examples()["bevilget"]
    words = []
    for logo in (True, False):
        standards = _standards(example, tmp_path / str(logo), logo)
        out = tmp_path / f"out-{logo}"
        result = run("letter", example.source, "--standards", standards, "--out", out,
                     "--format", "docx", "--jobs", "1")
        assert result.exit_code == 0, result.output
        word = next(out.glob("*.docx"))
        with zipfile.ZipFile(word) as package:
            assert ("word/media/logo.png" in package.namelist()) is logo
            document = package.read("word/document.xml").decode("utf-8")
            assert ("decorative" in document) is logo
        words.append(word.rename(out / f"logo-{logo}.docx"))
    with_logo, without = libreoffice_convert(words, "pdf", tmp_path / "lo")
    assert _ink_in_letterhead(with_logo) > 50
    assert _ink_in_letterhead(without) == 0


def test_the_word_form_carries_the_logo(tmp_path: Path) -> None:
    import zipfile

    example = examples()["bevilget"]
    for logo in (True, False):
        standards = _standards(example, tmp_path / str(logo), logo)
        out = tmp_path / f"forms-{logo}"
        result = run("form", example.source, "--standards", standards, "--out", out,
                     "--format", "docx")
        assert result.exit_code == 0, result.output
        with zipfile.ZipFile(next(out.glob("*.docx"))) as package:
            images = [n for n in package.namelist() if n.startswith("word/media/")]
        assert bool(images) is logo
