"""Every PDF the project writes, checked by a conformance validator and read by poppler.

page-validation checks the machine-checkable rules of PDF/UA-1 and PDF/A-2 (veraPDF too, when it
is installed); poppler must read every file without a complaint; and the structure a program can
judge (headings in order, figures with alternative text, tables with header cells, lists built
of list items) is checked here, the rest is the human checklist in docs/accessibility-checklist.md.
"""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

import pikepdf
import pytest
import yaml
from click.testing import CliRunner

from clients import (
    PDFA_2A,
    UA1,
    conformance,
    pdf_facts,
    poppler,
    require,
    struct_elements,
    verapdf,
)
from standardgen.case import Result
from standardgen.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "cases"
STANDARDS = ROOT / "standards"
SLUG = "aktivitets-og-samvaerstilbud"


def invoke(*args: str | Path) -> None:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output


def example_results() -> dict[str, str]:
    """Case number -> result, for every example case (YAML files and the CSV batch)."""
    results = {}
    for path in sorted(EXAMPLES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        results[str(data["case_number"])] = str(data["result"])
    with (EXAMPLES / "batch.csv").open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            results[row["case_number"]] = row["result"]
    return results


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One PDF of every kind: the standard, a letter of every result, the follow-up form."""
    tmp = tmp_path_factory.mktemp("conformance")
    invoke("build", STANDARDS, "--out", tmp / "site", "--jobs", "1")
    invoke("letter", EXAMPLES, "--standards", STANDARDS, "--out", tmp / "letters",
           "--format", "pdf", "--jobs", "1")
    invoke("form", EXAMPLES / "bevilget.yaml", "--standards", STANDARDS, "--out", tmp / "forms",
           "--format", "pdf")
    found = {"standard": tmp / "site" / "site" / SLUG / f"{SLUG}.pdf",
             "form": tmp / "forms" / "2026-104-0001-opfoelgning.pdf"}
    for number, result in example_results().items():
        found.setdefault(f"letter-{result}", tmp / "letters" / f"{number}.pdf")
    return found


# Every letter kind the code declares: a new result (kind of decision) is covered as soon as it
# exists, and fails here until an example case of that kind is added to examples/cases.
LETTERS = [f"letter-{result.value}" for result in Result]
ARCHIVED = ["standard", *LETTERS]  # kept in the case system for years: PDF/A too
ALL = [*ARCHIVED, "form"]


def test_every_letter_kind_has_an_example_case() -> None:
    missing = {result.value for result in Result} - set(example_results().values())
    assert not missing, f"add an example case to examples/cases for: {sorted(missing)}"


@pytest.mark.client
@pytest.mark.parametrize("kind", ALL)
def test_pdf_ua_1_without_a_failed_rule(pdfs: dict[str, Path], kind: str) -> None:
    failed = conformance(pdfs[kind], UA1)
    assert not failed, "\n".join(failed)
    assert pdf_facts(pdfs[kind]).pdfua_part == 1


@pytest.mark.client
@pytest.mark.parametrize("kind", ARCHIVED)
def test_pdf_a_2a_without_a_failed_rule(pdfs: dict[str, Path], kind: str) -> None:
    failed = conformance(pdfs[kind], PDFA_2A)
    assert not failed, "\n".join(failed)
    facts = pdf_facts(pdfs[kind])
    assert (facts.pdfa_part, facts.pdfa_conformance) == (2, "A")


@pytest.mark.client
def test_the_validator_fails_an_untagged_pdf(tmp_path: Path) -> None:
    """The client can fail: an untagged, unlabelled PDF breaks several PDF/UA-1 rules."""
    pdf = tmp_path / "untagged.pdf"
    with pikepdf.new() as doc:
        doc.add_blank_page(page_size=(595, 842))
        doc.save(pdf)
    failed = conformance(pdf, UA1)
    assert any(rule.startswith("PDFUA1-") for rule in failed), failed
    assert conformance(pdf, PDFA_2A)


@pytest.mark.client
@pytest.mark.parametrize("kind", ALL)
def test_verapdf_agrees_when_installed(pdfs: dict[str, Path], kind: str) -> None:
    assert not verapdf(pdfs[kind], UA1)
    if kind in ARCHIVED:
        assert not verapdf(pdfs[kind], PDFA_2A)


# --- poppler reads every file without a complaint --------------------------------------------

@pytest.mark.client
@pytest.mark.parametrize("kind", ALL)
def test_poppler_prints_no_syntax_error(pdfs: dict[str, Path], kind: str) -> None:
    for program, args in (("pdfinfo", ()), ("pdftotext", ("-",))):
        out = poppler(program, pdfs[kind], *args)
        assert out.stderr == "", f"{program}: {out.stderr}"


@pytest.mark.client
def test_suspects_false_is_a_poppler_fault_shown_by_a_minimal_file(tmp_path: Path) -> None:
    """``/MarkInfo <</Marked true /Suspects false>>`` is right (ISO 32000-1, table 321), and
    this poppler still calls it the wrong type; the same file without /Suspects is read quietly.
    Letters therefore leave /Suspects out (its default is false)."""
    require("pdfinfo")
    outputs = {}
    for suspects in (False, None):
        pdf = tmp_path / f"suspects-{suspects}.pdf"
        with pikepdf.new() as doc:
            doc.add_blank_page(page_size=(595, 842))
            mark_info = pikepdf.Dictionary(Marked=True)
            if suspects is not None:
                mark_info.Suspects = suspects
            doc.Root.MarkInfo = mark_info
            doc.save(pdf)
        outputs[suspects] = poppler("pdfinfo", pdf).stderr
    assert outputs[None] == ""
    if not outputs[False]:
        pytest.skip("this poppler no longer misreads /Suspects false")
    assert "Suspects object is wrong type (boolean)" in outputs[False]


# --- what a program can check beyond the validator's rules -----------------------------------

@pytest.mark.client
@pytest.mark.parametrize("kind", ALL)
def test_headings_start_at_one_and_never_skip_a_level(pdfs: dict[str, Path], kind: str) -> None:
    levels = [int(e.tag[1:]) for e in struct_elements(pdfs[kind])
              if e.tag[:1] == "H" and e.tag[1:].isdigit()]
    assert levels and levels[0] == 1, levels
    jumps = [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1]
    assert not jumps, f"heading levels skipped: {jumps}"


@pytest.mark.client
@pytest.mark.parametrize("kind", ALL)
def test_figures_have_alt_text_tables_have_headers_lists_have_items(
        pdfs: dict[str, Path], kind: str) -> None:
    elements = struct_elements(pdfs[kind])
    assert elements, "no structure tree"
    figures = [e for e in elements if e.tag in ("Figure", "Formula")]
    assert all((e.alt or e.actual_text or "").strip() for e in figures), figures
    tables = [i for i, e in enumerate(elements) if e.tag == "Table"]
    for start in tables:
        depth = elements[start].depth
        cells = []
        for e in elements[start + 1:]:
            if e.depth <= depth:
                break
            cells.append(e.tag)
        assert "TH" in cells, f"a table without header cells in {kind}"
    assert all(e.parent == "L" for e in elements if e.tag == "LI")
    assert all(e.tag in ("L", "LI", "Caption") for e in elements if e.parent == "L")


@pytest.mark.client
def test_the_standard_pdf_is_one_document_with_title_and_language(pdfs: dict[str, Path]) -> None:
    facts = pdf_facts(pdfs["standard"])
    assert facts.lang == "da" and facts.display_doc_title and facts.title
    assert not facts.unembedded_fonts
