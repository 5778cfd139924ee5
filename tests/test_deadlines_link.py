"""The standard's link to the published case-processing deadlines (links, role: deadlines) is
published: on the web page by the decision section, in the PDF and Word documents as a link,
and in the letter where it tells about the time limits (issue 23)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pikepdf
import pytest
from docx import Document

from clients import pdftotext
from conftest import ROOT, STANDARDS, run
from sitebuild import REAL, copy_standards
from standardgen.publish.build import build

URL = "https://norddjurs.dk/om-kommunen/generel-information-om-norddjurs/sagsbehandlingsfrister"
SENTENCE = "Kommunens frister for at behandle sager kan du se her: Sagsbehandlingsfrister."


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("deadlines")
    result = build([copy_standards(root / "standards")], root / "output",
                   base_url="https://example.dk/standarder/")
    assert result.ok, [p.format() for p in result.problems]
    return root / "output" / "site" / REAL


def _uris(pdf: Path) -> list[str]:
    with pikepdf.open(pdf) as document:
        return [str(annot.A.URI) for page in document.pages for annot in page.get("/Annots", [])
                if annot.get("/Subtype") == "/Link" and "/A" in annot and "/URI" in annot.A]


def test_the_web_page_links_the_deadlines_in_the_decision_section(site: Path) -> None:
    page = (site / "index.html").read_text(encoding="utf-8")
    decision = re.search(r'<section class="section" id="[^"]+">\s*<h2>Afgørelse</h2>.*?</section>',
                         page, re.S)
    assert decision is not None
    assert f'<a href="{URL}">Sagsbehandlingsfrister</a>' in decision.group(0)


def test_the_pdf_has_the_sentence_and_a_real_link(site: Path) -> None:
    pdf = site / f"{REAL}.pdf"
    assert SENTENCE in " ".join(pdftotext(pdf).split())
    assert URL in _uris(pdf)


def test_the_word_document_has_the_sentence_as_a_hyperlink(site: Path) -> None:
    path = site / f"{REAL}.docx"
    texts = [p.text for p in Document(str(path)).paragraphs]
    at = texts.index("Afgørelse")
    following = texts[at + 1:texts.index("Levering")]
    assert SENTENCE in following
    with zipfile.ZipFile(path) as archive:
        rels = archive.read("word/_rels/document.xml.rels").decode()
        body = archive.read("word/document.xml").decode()
    link = re.search(rf'Id="(rId\d+)" Type="[^"]+/hyperlink" Target="{re.escape(URL)}"', rels)
    assert link and re.search(
        rf'<w:hyperlink r:id="{link.group(1)}"[^>]*>.*?Sagsbehandlingsfrister</w:t>', body)


def test_the_letter_links_the_deadlines_where_it_tells_about_time_limits(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("letter", ROOT / "examples" / "cases" / "bevilget.yaml", "--standards",
                 STANDARDS, "--out", out, "--format", "pdf", "--jobs", "1")
    assert result.exit_code == 0, result.output
    pdf = next(out.glob("*.pdf"))
    text = " ".join(pdftotext(pdf).split())
    assert ("Norddjurs Kommunes frister for at behandle sager og klager kan du se her: "
            "Sagsbehandlingsfrister.") in text
    reconsider = text.index("sender vi klagen og sagens dokumenter til Ankestyrelsen")
    assert text.index("Sagsbehandlingsfrister.") > reconsider
    assert URL in _uris(pdf)
