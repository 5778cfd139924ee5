"""Decision letters: the legal elements in the real PDF and Word text, rules, safety, CPR."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from clients import docx_texts, libreoffice_convert, pdf_facts, pdftotext
from standardgen.cases.model import Channel
from standardgen.cli import main
from standardgen.letters import deadline

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "cases"
STANDARDS = ROOT / "standards"
FULL_CPR = re.compile(r"\b\d{6}-\d{4}\b")
HELD = "hearing:\n  date: 2026-03-13\n  response: intet_svar\n"  # in afslag.yaml


# --- text as real clients read it ---------------------------------------------------------------

def pdf_text(pdf: Path) -> str:
    return " ".join(pdftotext(pdf).split())


def docx_text(path: Path) -> str:
    """python-docx's reading, for the quick checks; LibreOffice reads every letter below."""
    import docx

    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        texts += [cell.text for row in table.rows for cell in row.cells]
    return " ".join(" ".join(texts).split())


# --- running the command -----------------------------------------------------------------------

def run_letters(tmp_path: Path, *paths: Path, fmt: str = "both") -> tuple[int, str, Path]:
    out = tmp_path / "out"
    runner = CliRunner()
    result = runner.invoke(main, ["letter", *map(str, paths), "--standards", str(STANDARDS),
                                  "--out", str(out), "--format", fmt, "--jobs", "1"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output, out


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("examples")
    code, output, out = run_letters(tmp, EXAMPLES)  # a folder: its YAML cases and the CSV batch
    assert code == 0, output
    assert "7 af 7 breve skrevet" in output
    return out


COMMON = [
    "Norddjurs Kommune", "Afgørelse om aktivitets- og samværstilbud efter serviceloven § 104",
    "Sagsnummer", "Dato",
    # access to the files
    "aktindsigt efter forvaltningsloven § 9",
    # klagevejledning: to the municipality, 4 weeks, oral or written, no reasons, reconsidered,
    # then Ankestyrelsen within 4 weeks
    "Klagevejledning", "Klagen skal sendes til Norddjurs Kommune",
    "ikke direkte til Ankestyrelsen", "inden 4 uger efter, at du har modtaget afgørelsen",
    "mundtligt eller skriftligt", "behøver ikke at begrunde",
    "vurderer vi afgørelsen igen", "sender vi klagen og sagens dokumenter til Ankestyrelsen",
    "Sidste dag for klage er derfor den",
    # complaints wording quoted from the standard (its block that only points to the
    # klagevejledning is left out: see test_wording.py)
    "Såfremt Norddjurs Kommune ikke giver borgeren medhold i klagen",
    "Med venlig hilsen",
]
REASONS = [
    "Begrundelse", "Afgørelsen er truffet efter serviceloven § 104",
    "Kommunalbestyrelsen skal tilbyde aktivitets- og samværstilbud",  # quoted legal basis
    "Vi har især lagt vægt på", "Vi har lagt disse oplysninger om din situation til grund",
    "som kommunens retningslinje", "konkret og individuel vurdering",
    "Partshøring",
]
GRANTED = [
    "Indhold og omfang", "dage om ugen", "Start:",
    # costs, transport and follow-up quoted from the standard by block id / role
    "Der er ingen udgifter for borgeren til aktivitets- og samværstilbud, med undtagelse af",
    "Der er ingen udgifter for borgeren til kørsel.",
    "Formålet med aktivitets- og samværstilbuddet er at øge borgerens livskvalitet",
    "Der sker opfølgning med deltagelse af borger, sagsbehandler og tilbud",
    # handleplan (serviceloven § 141) with its actual condition, only where help is given
    "Handleplan", "til en person under 65 år",
    "betydeligt nedsat fysisk eller psykisk funktionsevne eller alvorlige sociale problemer",
    "udarbejde en handleplan (serviceloven § 141)",
]

CASES = {
    "2026-104-0001": ("Bevilget", GRANTED, "150385-0000"),
    "2026-104-0002": ("Delvis bevilget", GRANTED + REASONS, "020791-0000"),
    "2026-104-0003": ("Afslag", REASONS, "111062-0000"),
    "2026-104-0004": ("Afslag", REASONS, "300499-0000"),
    "2026-104-0101": ("Bevilget", GRANTED, "010170-0000"),
    "2026-104-0102": ("Delvis bevilget", GRANTED + REASONS, "150255-0000"),
    "2026-104-0103": ("Afslag", REASONS, "220788-0000"),
}


@pytest.fixture(scope="module")
def libreoffice_texts(examples: Path) -> dict[Path, str]:
    """Every Word letter as LibreOffice reads it (one soffice run for all)."""
    texts = docx_texts(sorted(examples.glob("*.docx")))
    return {path: " ".join(text.split()) for path, text in texts.items()}


@pytest.mark.client
@pytest.mark.parametrize("number", sorted(CASES))
@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_every_example_letter_has_the_legal_elements(
    examples: Path, libreoffice_texts: dict[Path, str], number: str, fmt: str
) -> None:
    path = examples / f"{number}.{fmt}"
    text = pdf_text(path) if fmt == "pdf" else libreoffice_texts[path]
    label, expected, cpr = CASES[number]
    missing = [phrase for phrase in [*COMMON, *expected, label, number] if phrase not in text]
    assert not missing, f"{path.name} lacks {missing}"
    assert f"CPR-nummer: {cpr}" in text  # the full number, but only in the letter body


def test_granted_letter_leaves_out_reasons_and_refusal_leaves_out_extent(examples: Path) -> None:
    granted = docx_text(examples / "2026-104-0001.docx")
    refused = docx_text(examples / "2026-104-0003.docx")
    assert "Partshøring" not in granted  # fuldt medhold: no hearing part
    assert "Klagevejledning" in granted  # but the klagevejledning is kept
    assert "Indhold og omfang" not in refused and "Opfølgning" not in refused


def test_hearing_not_held_states_the_information_and_reopening(examples: Path) -> None:
    text = docx_text(examples / "2026-104-0004.docx")
    assert "Vi har ikke partshørt dig" in text and "forvaltningsloven § 20" in text
    assert "Lægens udtalelse af 1. april 2026 om dit genoptræningsforløb." in text
    assert "Vi genoptager sagen" in text
    held = docx_text(examples / "2026-104-0003.docx")
    assert "den 13. marts 2026 fået mulighed for at udtale dig" in held


def test_complaint_deadline_by_channel(examples: Path) -> None:
    digital = docx_text(examples / "2026-104-0001.docx")
    assert "Digital Post den 2. marts 2026 og regnes for modtaget samme dag" in digital
    assert "Sidste dag for klage er derfor den 30. marts 2026" in digital
    post = docx_text(examples / "2026-104-0003.docx")  # sent Friday before Easter
    assert "modtaget den 9. april 2026" in post
    assert "Sidste dag for klage er derfor den 7. maj 2026" in post


def test_working_days_skip_weekends_and_danish_holidays() -> None:
    friday_before_easter = dt.date(2026, 3, 27)
    assert deadline.receipt_date(friday_before_easter, Channel.post, 6) == dt.date(2026, 4, 9)
    assert deadline.receipt_date(friday_before_easter, Channel.digital_post, 6) == (
        friday_before_easter)
    christmas = deadline.add_working_days(dt.date(2026, 12, 23), 2)
    assert christmas == dt.date(2026, 12, 28)  # the 24th, then the 25th-27th are closed
    from standardgen.cases.wording import load_wording

    closed = load_wording().file.deadlines.closed_days
    assert deadline.last_complaint_day(dt.date(2026, 4, 9), 4, closed) == dt.date(2026, 5, 7)


@pytest.mark.client
def test_pdf_is_tagged_pdf_ua_in_danish_with_embedded_fonts(examples: Path) -> None:
    facts = pdf_facts(examples / "2026-104-0002.pdf")
    assert facts.lang == "da"
    assert facts.struct_tree and facts.marked and facts.pdfua_part == 1
    assert facts.fonts and not facts.unembedded_fonts
    assert facts.display_doc_title
    assert facts.title == "Afgørelse om aktivitets- og samværstilbud"


def test_files_are_private_and_named_by_case_number_only(examples: Path) -> None:
    names = sorted(p.name for p in examples.iterdir())
    assert names == sorted(f"{n}.{f}" for n in CASES for f in ("pdf", "docx"))
    for path in examples.iterdir():
        assert path.stat().st_mode & 0o777 == 0o600, path.name
    assert examples.stat().st_mode & 0o077 == 0


def test_word_file_is_editable_docx(examples: Path) -> None:
    import docx

    document = docx.Document(str(examples / "2026-104-0002.docx"))
    styles = {p.style.name for p in document.paragraphs if p.style is not None}
    assert {"Heading 1", "Heading 2", "List Bullet", "Quote"} <= styles
    assert document.core_properties.title == "Afgørelse om aktivitets- og samværstilbud"
    assert document.core_properties.language == "da-DK"


@pytest.mark.client
def test_word_letter_has_page_numbers_and_case_number_in_the_footer(examples: Path,
                                                                  tmp_path: Path) -> None:
    # LibreOffice lays the letter out and fills in Word's PAGE and NUMPAGES fields.
    [pdf] = libreoffice_convert([examples / "2026-104-0002.docx"], "pdf", tmp_path)
    text = pdf_text(pdf)
    pages = pdf_facts(pdf).pages
    assert pages >= 2
    for page in range(1, pages + 1):
        footer = rf"Norddjurs Kommune · Sagsnummer 2026-104-0002 ?Side {page} af {pages}\b"
        assert re.search(footer, text), footer


@pytest.mark.client
def test_libreoffice_opens_every_word_letter(examples: Path,
                                             libreoffice_texts: dict[Path, str]) -> None:
    assert sorted(libreoffice_texts) == sorted(examples.glob("*.docx"))
    for path, text in libreoffice_texts.items():
        assert "Klagevejledning" in text and path.stem in text


def test_output_is_reproducible(tmp_path: Path) -> None:
    case = EXAMPLES / "delvis-bevilget.yaml"
    _, _, first = run_letters(tmp_path / "a", case)
    _, _, second = run_letters(tmp_path / "b", case)
    for name in ("2026-104-0002.pdf", "2026-104-0002.docx"):
        assert (first / name).read_bytes() == (second / name).read_bytes()


# --- injection and CPR -------------------------------------------------------------------------

HOSTILE_NAME = "Jensen & Søn <ApS> {{ 7*7 }}"
HOSTILE_STREET = "<script>alert(1)</script> #eval(\"1\") Vej 1"


def _hostile_case(tmp_path: Path) -> Path:
    text = (EXAMPLES / "afslag-uden-partshoering.yaml").read_text(encoding="utf-8")
    text = text.replace("name: Dennis Prøve", f"name: '{HOSTILE_NAME}'")
    text = text.replace("street: Testvej 3", f"street: '{HOSTILE_STREET}'")
    text = text.replace("- Lægens udtalelse af 1. april 2026 viser, at du er i et "
                        "genoptræningsforløb.",
                        "- '{% raw %}{{ 7*7 }}</w:t> ]] *fed* <b> Lægens udtalelse viser'")
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.client
def test_citizen_values_come_out_literally_in_pdf_and_word(tmp_path: Path) -> None:
    code, output, out = run_letters(tmp_path, _hostile_case(tmp_path))
    assert code == 0, output
    pdf = pdf_text(out / "2026-104-0004.pdf")
    word = docx_text(out / "2026-104-0004.docx")
    for text in (pdf, word):
        assert HOSTILE_NAME in text
        assert "<script>alert(1)</script> #eval(\"1\") Vej 1" in text
        assert "{% raw %}{{ 7*7 }}</w:t> ]] *fed* <b> Lægens udtalelse viser" in text
        assert "Kære Jensen & Søn <ApS> {{ 7*7 }}" in text


def test_cpr_is_masked_in_messages_and_never_in_file_names(tmp_path: Path) -> None:
    text = (EXAMPLES / "afslag.yaml").read_text(encoding="utf-8")
    number = tmp_path / "number.yaml"  # a case number that is a CPR number
    number.write_text(text.replace('case_number: "2026-104-0003"', 'case_number: "111062-0000"'),
                      encoding="utf-8")
    bad = tmp_path / "bad.yaml"  # no considerations, for an afslag
    bad.write_text(re.sub(r"considerations:\n(  - .*\n)+", "", text), encoding="utf-8")
    # A CPR number typed into the wrong column: the message quotes the value, masked.
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text((EXAMPLES / "bevilget.yaml").read_text(encoding="utf-8")
                     .replace("result: bevilget", "result: 111062-0000"), encoding="utf-8")
    code, output, out = run_letters(tmp_path, number, bad, wrong)
    assert code == 1
    assert "ligner et CPR-nummer" in output and "'111062-XXXX' er ikke tilladt" in output
    assert "Hovedhensyn bag afgørelsen: skal udfyldes" in output
    assert not FULL_CPR.search(output), output
    assert not out.exists() or not list(out.iterdir())


def test_bad_cases_are_rejected_with_located_errors(tmp_path: Path) -> None:
    text = (EXAMPLES / "afslag.yaml").read_text(encoding="utf-8")
    no_hearing = tmp_path / "no-hearing.yaml"
    no_hearing.write_text(text.replace(HELD, ""), encoding="utf-8")
    extent = tmp_path / "extent.yaml"
    extent.write_text(text.replace("2026-104-0003", "2026-104-0033")
                      + "extent:\n  days_per_week: 2\n  provider: X\n  start_date: 2026-04-01\n",
                      encoding="utf-8")
    granted = tmp_path / "granted.yaml"
    granted.write_text((EXAMPLES / "bevilget.yaml").read_text(encoding="utf-8")
                       .split("extent:")[0] + "follow_up:\n  due: 2027-03-01\n",
                       encoding="utf-8")
    code, output, _out = run_letters(tmp_path, no_hearing, extent, granted)
    assert code == 1
    assert re.search(r"no-hearing\.yaml:\d+:1: fejl: Partshøring: skal udfyldes", output), (
        output)
    assert re.search(r"extent\.yaml:\d+:\d+: fejl: Indhold og omfang: er udfyldt, men et brev "
                     r"om afslag", output)
    assert re.search(r"granted\.yaml:\d+:1: fejl: Indhold og omfang: skal udfyldes", output)
    assert not FULL_CPR.search(output)


def test_docx_fast_path_matches_docxtpl(tmp_path: Path) -> None:
    """The compiled batch path gives the same document text as docxtpl's own render."""
    from docxtpl import DocxTemplate

    from standardgen.cases.read import load_cases
    from standardgen.cases.wording import load_wording
    from standardgen.letters.content import build_letter
    from standardgen.letters.docx import DocxLetterRenderer, package_for_docxtpl
    from standardgen.render.templating import docx_environment
    from standardgen.standards.catalogue import load_catalogue

    standard = load_catalogue([STANDARDS]).standards[0]
    case = load_cases([EXAMPLES / "delvis-bevilget.yaml"]).cases[0].case
    letter = build_letter(case, standard, load_wording())
    fast = tmp_path / "fast.docx"
    fast.write_bytes(DocxLetterRenderer().render(letter))
    template = DocxTemplate(io.BytesIO(package_for_docxtpl()))
    template.render({"letter": letter}, jinja_env=docx_environment(), autoescape=True)
    slow = tmp_path / "slow.docx"
    template.save(str(slow))
    assert docx_text(fast) == docx_text(slow)
    assert "Delvis bevilget" in docx_text(fast)


@pytest.mark.parametrize(("hearing", "message"), [
    ("hearing:\n  date: 2026-03-13\n  response: svar\n  not_held_reason: haster\n",
     "ikke begge"),
    ("hearing:\n  not_held_reason: det haster\n",
     "Oplysninger, borgeren ikke er hørt over: skal udfyldes"),
    ("hearing:\n  disclosed:\n    - En oplysning\n",
     "Partshøring: skal udfyldes: udfyld Dato for partshøringen eller"),
])
def test_hearing_rules(tmp_path: Path, hearing: str, message: str) -> None:
    from standardgen.cases.read import load_cases
    from standardgen.cases.rules import case_problems
    from standardgen.standards.catalogue import load_catalogue

    text = (EXAMPLES / "afslag.yaml").read_text(encoding="utf-8")
    path = tmp_path / "case.yaml"
    path.write_text(text.replace(HELD, hearing), encoding="utf-8")
    source = load_cases([path]).cases[0]
    standards = {s.slug: s for s in load_catalogue([STANDARDS]).standards}
    problems = case_problems(source, standards)
    assert [p.code for p in problems if message in p.message], problems
    assert all(p.line > 1 for p in problems)  # located on the hearing lines, not the file


def test_reading_cases_one_at_a_time_matches_loading_them_all() -> None:
    from standardgen.cases.read import iter_cases, load_cases

    paths = [*sorted(EXAMPLES.glob("*.yaml")), EXAMPLES / "batch.csv"]
    streamed = [r.source.case for r in iter_cases(paths) if r.source is not None]
    assert streamed == [source.case for source in load_cases(paths).cases]


def test_a_folder_without_cases_is_a_located_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    code, output, out = run_letters(tmp_path, empty)
    assert code == 1
    assert "empty:0:0: fejl: mappen indeholder ingen sager (*.yaml, *.csv)" in output
    assert not out.exists() or not any(out.iterdir())


def test_a_repeated_case_number_is_reported_at_the_later_row(tmp_path: Path) -> None:
    lines = (EXAMPLES / "batch.csv").read_text(encoding="utf-8").splitlines()
    batch = tmp_path / "batch.csv"
    batch.write_text("\n".join([*lines[:2], lines[1]]) + "\n", encoding="utf-8")
    number = lines[1].split(";")[0]
    code, output, out = run_letters(tmp_path, batch, fmt="docx")
    assert code == 1
    assert re.search(rf"batch\.csv:3:1: fejl: sagsnummer '{number}' findes også i "
                     rf"\S*batch\.csv:2", output), output
    assert [p.name for p in out.iterdir()] == [f"{number}.docx"]  # the first row's letter
