"""standardgen form: fillable PDF and Word follow-up forms from fictitious cases."""

from __future__ import annotations

import io
import re
import shutil
import stat
import zipfile
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner, Result

from clients import libreoffice_convert, pdf_facts, pdftotext, poppler
from conftest import ROOT, STANDARDS, child_pids, run
from standardgen.cli import main
from standardgen.forms import fields
from standardgen.forms.render import FormRenderer, TemplateContractError, finish_pdf

FIXTURES = ROOT / "tests" / "roots" / "forms"
CASES = FIXTURES / "cases"
CSV = FIXTURES / "cases.csv"
# Every form the fixtures must give (2026-104-0103 is a refusal: no service to follow up).
EXPECTED = ("2026-104-0001", "2026-104-0002", "2026-104-0101", "2026-104-0102")
FULL_CPRS = ("010170-1234", "2902881235", "290288-1235", "150355-4321", "311290-9876",
             "020202-2222")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Result]:
    out = tmp_path_factory.mktemp("forms")
    return out, run("form", CASES, CSV, "--standards", STANDARDS, "--out", out)


def pdf_of(rendered: tuple[Path, Result], number: str) -> Path:
    return rendered[0] / f"{number}-opfoelgning.pdf"


def test_every_fixture_case_yields_both_files(rendered: tuple[Path, Result]) -> None:
    out, result = rendered
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(f"{n}-opfoelgning.{ext}" for n in EXPECTED for ext in ("pdf", "docx"))
    for path in out.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert re.search(r"cases\.csv:4:\d+: advarsel: sagen er .afslag.", result.output)


def test_no_full_cpr_in_files_names_or_messages(rendered: tuple[Path, Result]) -> None:
    out, result = rendered
    texts = [result.output, *(p.name for p in out.iterdir())]
    texts += [pdftotext(p) for p in out.glob("*.pdf")]
    for docx in out.glob("*.docx"):
        with zipfile.ZipFile(docx) as archive:
            texts += [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()]
    for pdf in out.glob("*.pdf"):
        with pikepdf.open(pdf) as doc:
            texts += [str(f.get("/V", "")) for f in doc.Root.AcroForm.Fields]
            texts.append(str(doc.open_metadata()))
    joined = "\n".join(texts)
    for cpr in FULL_CPRS:
        assert cpr not in joined
    assert "010170-XXXX" in pdftotext(pdf_of(rendered, "2026-104-0001"))


def test_pdf_is_a_tagged_danish_fillable_form(rendered: tuple[Path, Result]) -> None:
    pdf = pdf_of(rendered, "2026-104-0001")
    facts = pdf_facts(pdf)
    assert facts.lang == "da" and facts.struct_tree and facts.marked
    assert facts.pdfua_part == 1 and not facts.unembedded_fonts
    assert facts.title == "Opfølgningsskema, sag 2026-104-0001"  # no name in the window title
    assert facts.author == "Norddjurs Kommune"
    assert "Form" in facts.tags
    names = {f.name for f in facts.form_fields}
    assert names == fields.expected_fields(3)
    unnamed = [f.name for f in facts.form_fields if not f.tooltip]
    assert unnamed == []
    by_name = {f.name: f for f in facts.form_fields}
    assert by_name["goal_1_current_level"].tooltip == "Mål 1: nuværende funktionsevneniveau"
    assert by_name["result"].field_type == "Ch"
    assert by_name["participant_citizen"].field_type == "Btn"
    assert by_name["goal_2_status"].field_type == "Tx"


@pytest.mark.client
def test_poppler_reads_a_ticked_form_without_complaint(rendered: tuple[Path, Result],
                                                       tmp_path: Path) -> None:
    # A ticked check box makes poppler build its appearance from the form's default /DA.
    ticked = tmp_path / "ticked.pdf"
    with pikepdf.open(pdf_of(rendered, "2026-104-0001")) as pdf:
        box = next(f for f in pdf.Root.AcroForm.Fields if str(f.T) == "participant_citizen")
        box.V = box.AS = pikepdf.Name("/on")
        pdf.save(ticked)
    info = poppler("pdfinfo", ticked)  # fails the test if a poppler program exits non-zero
    assert re.search(r"^Form: +AcroForm$", info.text, re.MULTILINE)
    assert re.search(r"^Tagged: +yes$", info.text, re.MULTILINE)
    text = poppler("pdftotext", ticked, "-")
    # Poppler draws the tick with ZapfDingbats, which is left out on purpose (see render.py).
    complaints = [line for line in text.stderr.splitlines() if "'ZaDb'" not in line]
    assert info.stderr == "" and complaints == [], text.stderr


def test_pdf_widgets_are_tagged_and_in_structure_tab_order(rendered: tuple[Path, Result]) -> None:
    with pikepdf.open(pdf_of(rendered, "2026-104-0001")) as pdf:
        for page in pdf.pages:
            if "/Annots" in page.obj:
                assert page.obj.Tabs == "/S"
        widgets = [f for f in pdf.Root.AcroForm.Fields]
        assert all("/StructParent" in w for w in widgets)
        # The field order (fallback tab order) follows the form from top to bottom.
        order = [str(w.T) for w in widgets]
        assert order.index("case_number") < order.index("goal_1_theme") < order.index(
            "goal_3_status") < order.index("provider_status") < order.index("result")


def test_pdf_prefills_case_values(rendered: tuple[Path, Result]) -> None:
    with pikepdf.open(pdf_of(rendered, "2026-104-0001")) as pdf:
        values = {str(f.T): f for f in pdf.Root.AcroForm.Fields}
        assert str(values["case_number"].V) == "2026-104-0001"
        assert int(values["case_number"].Ff) & 1  # read-only
        assert str(values["goal_1_theme"].V) == "relationer"
        assert str(values["goal_1_type"].V) == "udvikle"
        assert str(values["goal_3_type"].V) == "begraense_tab"
        assert str(values["goal_1_current_level"].V) == "3"
        assert str(values["goal_1_expected_level"].V) == "2"
        assert str(values["goal_3_current_level"].V) == "ikke_vurderet"
        assert str(values["goal_1_description"].V).startswith("Karen vil gerne")
        assert str(values["result"].V) == ""
        assert values["participant_citizen"].V == "/Off"


def test_pdf_quotes_the_standard_and_names_the_recipient(rendered: tuple[Path, Result]) -> None:
    text = re.sub(r"\s+", " ", pdftotext(pdf_of(rendered, "2026-104-0001")))
    assert "Formålet med aktivitets- og samværstilbuddet er at øge borgerens livskvalitet" in text
    assert "minimum én gang årligt eller efter behov" in text  # the standard's follow-up text
    assert "Jens Sagsen, Myndigheds- og Visitationsenheden" in text
    assert "Aktivitetshuset Kastanjen & Søn <ApS>" in text
    assert "3 dage om ugen" in text and "1. februar 2026" in text and "15. januar 2026" in text
    assert "kræver en ny skriftlig afgørelse" in text and "klagevejledning" in text
    # A case without goals gets one blank goal; without a unit the standard's contact unit.
    other = re.sub(r"\s+", " ", pdftotext(pdf_of(rendered, "2026-104-0102")))
    assert "Mål 1" in other and "Mål 2" not in other
    assert "Jens Sagsen, Myndighedsafdelingen" in other


def test_pdf_text_has_letters_not_ligatures(rendered: tuple[Path, Result]) -> None:
    # The whole font is embedded in a fillable PDF; ff/fl must still extract as two letters.
    text = pdftotext(pdf_of(rendered, "2026-104-0002"))
    assert "Kaffestuen Skovfløjen" in text
    assert not re.search("[\ufb00-\ufb06]", text)


def test_docx_marks_every_field_as_a_content_control(rendered: tuple[Path, Result]) -> None:
    docx = rendered[0] / "2026-104-0001-opfoelgning.docx"
    with zipfile.ZipFile(docx) as archive:
        xml = archive.read("word/document.xml")
    from lxml import etree

    root = etree.fromstring(xml)
    tags = {t.get(f"{W}val") for t in root.iter(f"{W}tag")}
    assert tags == fields.expected_fields(3) - {fields.CASE_NUMBER}
    for sdt in root.iter(f"{W}sdt"):
        assert sdt.find(f"{W}sdtPr/{W}alias").get(f"{W}val")  # a title for every control
    lists = {sdt.find(f"{W}sdtPr/{W}tag").get(f"{W}val"): sdt
             for sdt in root.iter(f"{W}sdt") if sdt.find(f"{W}sdtPr/{W}dropDownList") is not None}
    assert set(lists) >= {"result", "goal_1_current_level", "goal_1_type", "goal_1_theme"}
    current = "".join(lists["goal_1_current_level"].find(f"{W}sdtContent").itertext())
    assert current == "3 – Svært nedsat funktionsevne"
    assert b"Kastanjen &amp; S\xc3\xb8n &lt;ApS&gt;" in xml  # escaped, not corrupting the XML


@pytest.mark.client
def test_libreoffice_opens_and_converts_the_forms(rendered: tuple[Path, Result],
                                                  tmp_path: Path) -> None:
    out = rendered[0]
    docs = sorted(out.glob("*.docx"))
    pdfs = libreoffice_convert(docs, "pdf", tmp_path)
    text = re.sub(r"\s+", " ", pdftotext(pdfs[0]))
    assert "Opfølgningsskema" in text and "010170-XXXX" in text
    assert "Begrænse tab af funktionsevne" in text


@pytest.mark.client
def test_libreoffice_opens_and_converts_the_pdf_form(rendered: tuple[Path, Result],
                                                     tmp_path: Path) -> None:
    [converted] = libreoffice_convert([pdf_of(rendered, "2026-104-0002")], "pdf", tmp_path)
    text = re.sub(r"\s+", " ", pdftotext(converted))
    assert "Opfølgningsskema" in text and "2902881235" not in text


def test_due_before_keeps_only_cases_due_before_the_date(tmp_path: Path) -> None:
    result = run("form", "--due-before", "2026-10-15", "--format", "pdf", CASES, CSV,
                 "--standards", STANDARDS, "--out", tmp_path)
    assert result.exit_code == 0, result.output
    # 0002 is due 2026-09-01; 0101 on 2026-10-15 is not *before*; 0001 is due in 2027.
    assert [p.name for p in tmp_path.iterdir()] == ["2026-104-0002-opfoelgning.pdf"]
    assert re.search(r"cases\.csv:3:\d+: advarsel: .*ingen opfølgningsdato", result.output)
    assert "2 ikke forfaldne" in result.output


def test_due_before_accepts_danish_dates_and_refuses_bad_ones(tmp_path: Path) -> None:
    case = CASES / "2026-104-0002.yaml"
    assert run("form", "--due-before", "01.01.2030", "--format", "docx", case,
               "--standards", STANDARDS, "--out", tmp_path).exit_code == 0
    bad = run("form", "--due-before", "2026-13-01", CASES, "--out", tmp_path)
    assert bad.exit_code == 2 and "ikke en dato" in bad.output


def test_bad_rows_are_reported_and_good_ones_written(tmp_path: Path) -> None:
    csv = tmp_path / "batch.csv"
    lines = CSV.read_text(encoding="utf-8").splitlines()
    bad = lines[1].replace("2026-104-0101", "0101701234").replace(";2;", ";9;")
    csv.write_text("\n".join([lines[0], bad, lines[2]]) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run("form", "--format", "pdf", csv, "--standards", STANDARDS, "--out", out)
    assert result.exit_code == 1
    assert [p.name for p in out.iterdir()] == ["2026-104-0102-opfoelgning.pdf"]
    assert re.search(r"batch\.csv:2:\d+: fejl: Omfang \(dage om ugen\): '9' må højst være 7",
                     result.output)
    assert "0101701234" not in result.output


def test_case_number_like_a_cpr_number_is_refused(tmp_path: Path) -> None:
    case = tmp_path / "case.yaml"
    text = (CASES / "2026-104-0002.yaml").read_text(encoding="utf-8")
    case.write_text(text.replace("2026-104-0002", "2902881235"), encoding="utf-8")
    result = run("form", case, "--standards", STANDARDS, "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert re.search(r"case\.yaml:2:\d+: fejl: .*sagsnummeret ligner et CPR-nummer",
                     result.output)
    assert "2902881235" not in result.output and not (tmp_path / "out").exists()


def test_unknown_standard_and_non_ffb_theme_are_located(tmp_path: Path) -> None:
    case = tmp_path / "case.yaml"
    text = (CASES / "2026-104-0001.yaml").read_text(encoding="utf-8")
    case.write_text(text.replace("theme: Mobilitet", "theme: Bevægelse"), encoding="utf-8")
    result = run("form", "--format", "docx", case, "--standards", STANDARDS, "--out", tmp_path)
    assert result.exit_code == 0
    assert re.search(r"case\.yaml:36:\d+: advarsel: temaet 'Bevægelse' er ikke et af KL's",
                     result.output)
    missing = tmp_path / "missing.yaml"
    missing.write_text(text.replace("standard: aktivitets-og-samvaerstilbud",
                                    "standard: findes-ikke"), encoding="utf-8")
    result = run("form", missing, "--standards", STANDARDS, "--out", tmp_path / "x")
    assert result.exit_code == 1
    assert re.search(r"missing\.yaml:3:11: fejl: standarden 'findes-ikke' findes ikke",
                     result.output)


def test_a_template_that_drops_a_field_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    shutil.copytree(ROOT / "templates" / "form", folder / "form")
    html = folder / "form" / "opfoelgning.html"
    source = html.read_text(encoding="utf-8")
    html.write_text(re.sub(r'<input type="text" id="next_follow_up"[^>]*>', "", source),
                    encoding="utf-8")
    renderer = FormRenderer(folder)
    from standardgen.cases.read import load_cases
    from standardgen.forms.context import form_context
    from standardgen.standards.catalogue import load_standard

    case = load_cases([CASES / "2026-104-0002.yaml"]).cases[0].case
    context = form_context(case, load_standard(STANDARDS / "aktivitets-og-samvaerstilbud.yaml"))
    with pytest.raises(TemplateContractError, match="next_follow_up"):
        renderer.pdf(context)


def test_finish_pdf_is_deterministic(rendered: tuple[Path, Result]) -> None:
    raw = pdf_of(rendered, "2026-104-0002").read_bytes()
    assert finish_pdf(raw, 1) == finish_pdf(raw, 1)
    with pikepdf.open(io.BytesIO(finish_pdf(raw, 1))) as pdf:
        assert "Tf" in str(pdf.Root.AcroForm.DA) and "gs" not in str(pdf.Root.AcroForm.DA)


def test_form_without_paths_shows_help() -> None:
    result = run("form")
    assert "render" in result.output and "read" in result.output


def test_every_example_case_that_was_granted_yields_both_files(tmp_path: Path) -> None:
    examples = ROOT / "examples" / "cases"
    if not examples.is_dir():
        pytest.skip("examples/cases/ is not in this checkout (it comes with the letters)")
    from standardgen.cases.read import load_cases

    files = [*examples.glob("*.yaml"), *examples.glob("*.csv")]
    cases = [source.case for source in load_cases(files).cases]
    granted = {c.case_number for c in cases if c.kind.follow_up_form}
    result = run("form", examples, "--standards", STANDARDS, "--out", tmp_path)
    assert result.exit_code == 0, result.output
    assert granted and sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"{n}-opfoelgning.{ext}" for n in granted for ext in ("pdf", "docx"))
    refused = len(cases) - len(granted)
    assert result.output.count("sagen er 'afslag'") == refused


def distinct_rows(target: Path, count: int) -> Path:
    """``count`` granted rows of the fixture CSV, each with its own case number and citizen."""
    header, *rows = CSV.read_text(encoding="utf-8").splitlines()
    granted = [row for row in rows if ";bevilget;" in row]
    lines = [header]
    for i in range(count):
        rest = granted[i % len(granted)].split(";", 1)[1]
        lines.append(f"B-{i + 1:04d};{rest}".replace("Bente Eksempel", f"Bente Prøve{i}")
                     .replace("Poul Fiktiv", f"Poul Fiktiv{i}"))
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def test_a_batch_through_a_worker_gives_the_files_of_one_process(tmp_path: Path) -> None:
    from standardgen.forms.build import SERIAL_BELOW

    csv = distinct_rows(tmp_path / "batch.csv", SERIAL_BELOW + 1)
    one = run("form", csv, "--standards", STANDARDS, "--out", tmp_path / "one", "--jobs", "1")
    two = run("form", csv, "--standards", STANDARDS, "--out", tmp_path / "two", "--jobs", "2")
    assert one.exit_code == two.exit_code == 0, one.output + two.output
    names = sorted(p.name for p in (tmp_path / "one").iterdir())
    assert len(names) == 2 * (SERIAL_BELOW + 1)
    assert names == sorted(p.name for p in (tmp_path / "two").iterdir())
    for name in names:  # the same bytes, whichever process made them
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    # Reported in the order of the cases, not in the order the processes finished.
    assert two.output.replace("two", "one") == one.output


def test_a_template_that_drops_a_field_is_refused_with_workers(tmp_path: Path) -> None:
    from standardgen.forms.build import SERIAL_BELOW, Format, plan_forms, write_forms

    folder = tmp_path / "templates"
    shutil.copytree(ROOT / "templates" / "form", folder / "form")
    html = folder / "form" / "opfoelgning.html"
    html.write_text(html.read_text(encoding="utf-8").replace('name="meeting_date"', ""),
                    encoding="utf-8")
    plan = plan_forms([distinct_rows(tmp_path / "batch.csv", SERIAL_BELOW)], [STANDARDS])
    with pytest.raises(TemplateContractError, match="meeting_date"):
        write_forms(plan, tmp_path / "out", Format.pdf, FormRenderer(folder), jobs=2)


def test_a_form_that_cannot_be_written_is_reported_and_the_rest_written(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "2026-104-0101-opfoelgning.pdf").mkdir(parents=True)  # a folder in the file's place
    result = run("form", "--format", "pdf", CSV, "--standards", STANDARDS, "--out", out)
    assert result.exit_code == 1
    assert re.search(r"2026-104-0101-opfoelgning\.pdf:0:0: fejl: skemaet kunne ikke skrives",
                     result.output)
    assert (out / "2026-104-0102-opfoelgning.pdf").is_file()


def test_a_batch_leaves_the_garbage_collector_as_it_found_it(tmp_path: Path) -> None:
    import gc

    from standardgen.forms.build import Format, plan_forms, write_forms

    before = gc.get_freeze_count()
    write_forms(plan_forms([CASES], [STANDARDS]), tmp_path, Format.pdf)
    assert gc.get_freeze_count() == before  # frozen for the batch only


def test_the_field_font_compressed_once_gives_the_same_bytes() -> None:
    from standardgen.cases.read import load_cases
    from standardgen.forms import fieldfont
    from standardgen.forms.context import form_context
    from standardgen.forms.fieldfont import compress_once
    from standardgen.standards.catalogue import load_standard

    case = load_cases([CASES / "2026-104-0001.yaml"]).cases[0].case
    context = form_context(case, load_standard(STANDARDS / "aktivitets-og-samvaerstilbud.yaml"))
    renderer = FormRenderer()
    html, weasyprint = renderer.html(context), renderer.prepare_pdf()
    plain = weasyprint.render(html, forms=True)
    assert weasyprint.render(html, forms=True, finisher=compress_once) == plain
    assert weasyprint.render(html, forms=True, finisher=compress_once) == plain
    assert fieldfont._compressed.cache_info().hits >= 1  # the second form reused the first's


def test_temporary_files_of_a_killed_run_are_removed(tmp_path: Path) -> None:
    """A run killed while writing can leave a hidden temporary form; the next run removes it
    (every form is written again anyway) and leaves other hidden files alone."""
    out = tmp_path / "out"
    out.mkdir()
    stale = out / ".2026-104-0001-opfoelgning.pdf.0a1b2c3d.tmp"
    stale.write_bytes(b"%PDF-1.7 torn")
    other = out / ".notes.tmp"
    other.write_text("ikke vores", encoding="utf-8")
    result = CliRunner().invoke(main, ["form", "render", str(CASES / "2026-104-0001.yaml"),
                                       "--standards", str(STANDARDS), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert not stale.exists()
    assert other.exists()
    assert (out / "2026-104-0001-opfoelgning.pdf").exists()


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_a_worker_killed_mid_batch_leaves_its_forms_to_the_main_process(tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    total = 40
    csv = distinct_rows(tmp_path / "batch.csv", total)
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "standardgen", "form", str(csv), "--standards", str(STANDARDS),
         "--out", str(out), "--format", "pdf", "--jobs", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None and not (
            out.is_dir() and any(out.glob("*.pdf"))):
        time.sleep(0.01)
    workers = child_pids(process.pid)
    assert workers, "the batch runs no worker processes"
    for pid in workers:  # as the kernel's out-of-memory killer would
        os.kill(pid, signal.SIGKILL)
    stdout, stderr = process.communicate(timeout=300)
    output = (stdout + stderr).decode()
    assert process.returncode == 0, output
    assert "arbejdsproces stoppede uventet (kode -9); hovedprocessen skrev resten af skemaerne" in (
        output)
    files = sorted(out.iterdir())
    assert [p.name for p in files] == sorted(f"B-{i + 1:04d}-opfoelgning.pdf"
                                             for i in range(total))
    for path in files:
        with pikepdf.open(path) as pdf:
            assert pdf.Root.AcroForm.Fields  # whole, fillable forms
