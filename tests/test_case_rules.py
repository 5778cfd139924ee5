"""A letter is right or not written: the rules that refuse a case, a CSV file or a row (issue 9).

Each test feeds realistic bad input through the real command (``standardgen letter`` and
``standardgen form``) and checks what is written and what is reported, located.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner

from standardgen.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "cases"
STANDARDS = ROOT / "standards"
GRANTED = (EXAMPLES / "bevilget.yaml").read_text(encoding="utf-8")
REFUSED = (EXAMPLES / "afslag.yaml").read_text(encoding="utf-8")
PARTLY = (EXAMPLES / "delvis-bevilget.yaml").read_text(encoding="utf-8")
CSV = (EXAMPLES / "batch.csv").read_text(encoding="utf-8")


def invoke(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    # Never a traceback: the command ends by sys.exit with a code.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def letters(out: Path, *paths: Path, fmt: str = "both") -> tuple[int, str]:
    return invoke("letter", *paths, "--standards", STANDARDS, "--out", out, "--format", fmt,
                  "--jobs", "1")


def forms(out: Path, *paths: Path) -> tuple[int, str]:
    return invoke("form", *paths, "--standards", STANDARDS, "--out", out, "--format", "docx")


def written(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir()) if out.exists() else []


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def csv_rows() -> tuple[str, list[str]]:
    header, *rows = [line for line in CSV.splitlines() if line]
    return header, rows


# --- 1. a case with an error gets nothing, in every command --------------------------------------

def test_a_duplicate_key_stops_the_letter_and_the_form(tmp_path: Path) -> None:
    case = write(tmp_path / "dup.yaml", GRANTED + "result: afslag\n")
    code, output = letters(tmp_path / "letters", case)
    assert code == 1
    assert re.search(r"dup\.yaml:\d+:\d+: .*result", output), output
    assert written(tmp_path / "letters") == []
    assert "0 af 1 breve skrevet" in output
    code, output = forms(tmp_path / "forms", case)
    assert code == 1
    assert written(tmp_path / "forms") == []


def test_a_warning_does_not_stop_a_case(tmp_path: Path) -> None:
    future = write(tmp_path / "future.yaml", GRANTED.replace(
        "decision_date: 2026-", "decision_date: 2099-").replace("due: 2027-", "due: 2100-"))
    code, output = letters(tmp_path / "out", future, fmt="docx")
    assert code == 0, output
    assert "1 af 1 breve skrevet" in output
    assert "fremtiden" in output


# --- 2. a header error stops the file, not the run -----------------------------------------------

def test_an_unknown_column_stops_every_row_of_its_file_only(tmp_path: Path) -> None:
    header, rows = csv_rows()
    bad = write(tmp_path / "bad.csv", "\n".join(
        [header.replace("extent.end_date", "extent.enddate"), *rows]) + "\n")
    good = write(tmp_path / "good.yaml", GRANTED)
    code, output = letters(tmp_path / "out", bad, good, fmt="docx")
    assert code == 1
    column = header.split(";").index("extent.end_date") + 1
    assert f"bad.csv:1:{column}:" in output and "ukendt kolonne 'extent.enddate'" in output
    assert written(tmp_path / "out") == ["2026-104-0001.docx"]  # only the other file's case
    assert f"1 af {len(rows) + 1} breve skrevet" in output
    assert f"{len(rows)} afvist" in output


# --- 3. no row is silently lost ------------------------------------------------------------------

def test_an_open_quote_names_the_rows_it_swallowed(tmp_path: Path) -> None:
    header, rows = csv_rows()
    cells = rows[1].split(";")
    name = header.split(";").index("citizen.name")
    cells[name] = '"' + cells[name]  # an opening quote that is never closed
    batch = write(tmp_path / "batch.csv", "\n".join([header, rows[0], ";".join(cells),
                                                      *rows[2:]]) + "\n")
    code, output = letters(tmp_path / "out", batch, fmt="docx")
    assert code == 1
    last = len(rows) + 1
    assert f"batch.csv:3:{name + 1}:" in output, output
    assert f"linje 4-{last} er derfor ikke læst" in output
    assert written(tmp_path / "out") == ["2026-104-0101.docx"]
    assert f"1 af {len(rows)} breve skrevet" in output
    assert f"{len(rows) - 1} afvist" in output


# --- 4. huge cells and odd files -----------------------------------------------------------------

def test_a_huge_cell_is_a_located_error_and_other_files_go_on(tmp_path: Path) -> None:
    header, rows = csv_rows()
    cells = rows[0].split(";")
    facts = header.split(";").index("facts")
    cells[facts] = "x" * 5_000_000
    batch = write(tmp_path / "huge.csv", "\n".join([header, ";".join(cells), rows[1]]) + "\n")
    good = write(tmp_path / "good.yaml", GRANTED)
    code, output = letters(tmp_path / "out", batch, good, fmt="docx")
    assert code == 1
    assert f"huge.csv:2:{facts + 1}:" in output and "for langt" in output, output
    assert written(tmp_path / "out") == ["2026-104-0001.docx", "2026-104-0102.docx"]


def test_a_header_only_csv_warns_and_a_missing_path_is_one_problem(tmp_path: Path) -> None:
    header, _ = csv_rows()
    empty = write(tmp_path / "empty.csv", header + "\n")
    good = write(tmp_path / "good.yaml", GRANTED)
    code, output = letters(tmp_path / "out", empty, tmp_path / "missing.yaml", good, fmt="docx")
    assert code == 1  # the missing path is an error
    assert re.search(r"empty\.csv:1:0: \w+: CSV-filen har kun en overskrift", output), output
    assert re.search(r"missing\.yaml:0:0: \w+: stien findes ikke", output), output
    assert written(tmp_path / "out") == ["2026-104-0001.docx"]
    code, output = letters(tmp_path / "out2", empty, good, fmt="docx")
    assert code == 0, output  # a header-only file is a warning


# --- 5. control and format characters ------------------------------------------------------------

CORPUS = {
    "vertical tab": "\v", "form feed": "\f", "NUL-like C0": "\x01", "escape": "\x1b",
    "DEL": "\x7f", "C1 NEL": "\x85", "C1 CSI": "\x9b", "line separator": "\u2028",
    "paragraph separator": "\u2029", "RLO": "\u202e", "LRI": "\u2066", "ZWSP": "\u200b",
    "ZWJ": "\u200d", "BOM": "\ufeff", "tab": "\t", "carriage return": "\r",
}
LINE_BREAKS = {"\v", "\f", "\x85", "\u2028", "\u2029", "\t", "\r"}


def _xml_members_parse(docx: Path) -> None:
    with zipfile.ZipFile(docx) as package:
        for name in package.namelist():
            if name.endswith((".xml", ".rels")):
                ElementTree.fromstring(package.read(name))  # raises on invalid XML


def _yaml_string(text: str) -> str:
    return json.dumps(text)  # a JSON string is a YAML double-quoted string with escapes


@pytest.mark.parametrize("char", list(CORPUS.values()), ids=list(CORPUS))
def test_control_characters_in_a_name_are_refused_without_quoting_them(
        tmp_path: Path, char: str) -> None:
    case = write(tmp_path / "case.yaml", GRANTED.replace(
        "name: Anna Testesen", f"name: {_yaml_string('Anna' + char + 'Andersen')}"))
    assert case.read_text(encoding="utf-8") != GRANTED
    code, output = letters(tmp_path / "out", case, fmt="docx")
    assert code == 1
    assert re.search(r"case\.yaml:\d+:\d+: \w+: Borgerens navn: indeholder", output), output
    assert f"U+{ord(char):04X}" in output
    assert char not in output.replace("\n", "").replace("\r", "")
    assert written(tmp_path / "out") == []


def _corpus_files(tmp_path: Path) -> list[Path]:
    """Letters and forms from a CSV with each character of the corpus in free text; the
    characters that are not line breaks are refused, so only those rows give files."""
    header, rows = csv_rows()
    columns = header.split(";")
    number, facts = columns.index("case_number"), columns.index("facts")
    lines = [header]
    for i, char in enumerate(CORPUS.values()):
        cells = rows[0].split(";")
        cells[number] = f"2026-104-{i:04d}"
        cells[facts] = f"Du bor alene{char}og har kun lidt kontakt"
        lines.append(";".join(f'"{c}"' if c else c for c in cells))
    batch = tmp_path / "corpus.csv"
    batch.write_bytes(("\n".join(lines) + "\n").encode("utf-8"))
    code, output = letters(tmp_path / "letters", batch, fmt="docx")
    assert code == 1  # the characters that are not line breaks are refused
    accepted = [f"2026-104-{i:04d}.docx" for i, c in enumerate(CORPUS.values())
                if c in LINE_BREAKS]
    assert written(tmp_path / "letters") == accepted, output
    forms(tmp_path / "forms", batch)
    files = [*sorted((tmp_path / "letters").iterdir()), *sorted((tmp_path / "forms").iterdir())]
    assert len(files) == 2 * len(accepted)
    return files


def test_every_docx_parses_as_xml_over_the_corpus_in_free_text(tmp_path: Path) -> None:
    """Line-breaking characters in free text become spaces and the letter is written; other
    control and format characters are refused. Every .docx written (letters and forms) parses
    as XML."""
    for path in _corpus_files(tmp_path):
        _xml_members_parse(path)


@pytest.mark.client
def test_docx_from_the_corpus_opens_in_libreoffice(tmp_path: Path) -> None:
    """A letter and a form made from free text with line-breaking characters open in
    LibreOffice, with the characters turned into spaces."""
    from clients import libreoffice_convert

    files = _corpus_files(tmp_path)
    converted = libreoffice_convert(files[:2] + files[-1:], "txt:Text (encoded):UTF8",
                                    tmp_path / "txt")
    assert len(converted) == 3
    assert "Du bor alene og har kun lidt kontakt" in converted[0].read_text(encoding="utf-8")


# --- 6. dates that cannot be true ----------------------------------------------------------------

@pytest.mark.parametrize(("case", "key", "value", "message"), [
    pytest.param(REFUSED, "  date:", "2026-04-13", "efter afgørelsen", id="hearing-after-decision"),
    pytest.param(PARTLY, "  end_date:", "2026-01-01", "før startdatoen", id="end-before-start"),
    pytest.param(PARTLY, "  due:", "2026-01-01", "før afgørelsen", id="follow-up-before-decision"),
])
def test_impossible_dates_are_errors_on_the_field(
        tmp_path: Path, case: str, key: str, value: str, message: str) -> None:
    """The partshøring after the decision, a grant ending before it starts, a follow-up before
    the decision: each is refused by the letter and the form, located on the date's line."""
    if key not in case:  # a grant without an end date gets one
        text = case.replace("  start_date:", f"{key} {value}\n  start_date:", 1)
    else:
        text = re.sub(rf"(?m)^{key} .*$", f"{key} {value}", case)
    assert text != case
    path = write(tmp_path / "case.yaml", text)
    code, output = letters(tmp_path / "out", path, fmt="docx")
    assert code == 1, output
    line = next(i for i, t in enumerate(text.splitlines(), 1) if t.startswith(f"{key} {value}"))
    assert f"case.yaml:{line}:" in output and message in output, output
    assert written(tmp_path / "out") == []
    code, output = forms(tmp_path / "forms", path)
    assert code == 1 and written(tmp_path / "forms") == []


# --- 9. the citizen's reply in the partshøring ---------------------------------------------------

def _letter_text(text: str, tmp_path: Path, templates: Path | None = None) -> str:
    from standardgen.cases.read import load_cases
    from standardgen.cases.wording import load_wording
    from standardgen.letters.content import build_letter
    from standardgen.letters.letter import as_data
    from standardgen.standards.catalogue import load_catalogue

    source = load_cases([write(tmp_path / "case.yaml", text)]).cases[0]
    standards = {s.slug: s for s in load_catalogue([STANDARDS]).standards}
    letter = build_letter(source.case, standards[source.case.standard], load_wording(templates))
    return json.dumps(as_data(letter), ensure_ascii=False)


def test_remarks_are_mentioned_only_when_the_citizen_replied(tmp_path: Path) -> None:
    replied = _letter_text(REFUSED.replace("response: intet_svar", "response: svar"), tmp_path)
    assert "Vi har taget dine bemærkninger med i vurderingen" in replied
    silent = _letter_text(REFUSED, tmp_path)
    assert "Vi har taget dine bemærkninger" not in silent
    assert "Du har ikke udtalt dig inden fristen" in silent


def test_a_held_partshoering_must_say_whether_the_citizen_replied(tmp_path: Path) -> None:
    case = write(tmp_path / "case.yaml", REFUSED.replace("  response: intet_svar\n", ""))
    code, output = letters(tmp_path / "out", case, fmt="docx")
    assert code == 1 and "Har borgeren udtalt sig inden fristen?: skal besvares" in output, output


# --- 10. CPR numbers in every spelling -----------------------------------------------------------

SPELLINGS = ["170590-0000", "1705900000", "170590 0000", "170590.0000", "170590\u20130000",
             "170590\u20100000", "170590\u20140000", "17.05.90-0000", "170590\u00a00000"]


@pytest.mark.parametrize("cpr", SPELLINGS)
def test_a_cpr_number_in_any_spelling_is_masked_in_messages(tmp_path: Path, cpr: str) -> None:
    case = write(tmp_path / "case.yaml", GRANTED.replace("result: bevilget", f'result: "{cpr}"'))
    code, output = letters(tmp_path / "out", case, fmt="docx")
    assert code == 1
    assert "170590-XXXX" in output, output
    assert "0000" not in output.replace("2026-104-0001", "")


@pytest.mark.parametrize("cpr", SPELLINGS)
def test_a_case_number_like_a_cpr_number_is_refused(tmp_path: Path, cpr: str) -> None:
    case = write(tmp_path / "case.yaml", GRANTED.replace('case_number: "2026-104-0001"',
                                                         f'case_number: "{cpr}"'))
    code, output = letters(tmp_path / "out", case, fmt="docx")
    assert code == 1
    assert "Sagsnummer:" in output and "0000" not in output, output
    assert written(tmp_path / "out") == []


@pytest.mark.parametrize("cpr", SPELLINGS)
def test_a_cpr_number_in_a_citizen_field_is_accepted_and_normalised(cpr: str) -> None:
    from standardgen.core.cpr import Cpr

    assert Cpr(cpr).full == "170590-0000"


@pytest.mark.parametrize("cpr", SPELLINGS)
def test_form_read_masks_a_cpr_number_in_any_spelling(cpr: str) -> None:
    from standardgen.forms.readback import FormField, _Reader

    reader = _Reader("skema.pdf", {"status": FormField("status", f"Borger {cpr} har det godt",
                                                       "Status", 1)})
    assert reader.text("status") == "Borger 170590-XXXX har det godt"
    assert reader.problems and "CPR-nummer" in reader.problems[0].message


# --- 11. case numbers that name the same file ----------------------------------------------------

def test_case_numbers_differing_only_by_case_are_duplicates(tmp_path: Path) -> None:
    upper = write(tmp_path / "a.yaml", GRANTED.replace('"2026-104-0001"', '"C-1"'))
    lower = write(tmp_path / "b.yaml", GRANTED.replace('"2026-104-0001"', '"c-1"'))
    code, output = letters(tmp_path / "out", upper, lower, fmt="docx")
    assert code == 1
    assert re.search(r"b\.yaml:\d+:\d+: \w+: sagsnummer 'c-1' findes også i", output), output
    assert written(tmp_path / "out") == ["C-1.docx"]


@pytest.mark.parametrize("number", ["CON", "nul", "COM1", "lpt9", "Aux.1", "PRN"])
def test_windows_reserved_case_numbers_are_refused(tmp_path: Path, number: str) -> None:
    case = write(tmp_path / "case.yaml", GRANTED.replace('"2026-104-0001"', f'"{number}"'))
    code, output = letters(tmp_path / "out", case, fmt="docx")
    assert code == 1
    assert "Windows" in output, output
    assert written(tmp_path / "out") == []


# --- 8. the handleplan paragraph ------------------------------------------------------------------

def test_handleplan_states_the_condition_and_only_where_the_wording_says(tmp_path: Path) -> None:
    granted = _letter_text(GRANTED, tmp_path)
    assert ("til en person under 65 år, som har betydeligt nedsat fysisk eller psykisk "
            "funktionsevne eller alvorlige sociale problemer") in granted
    assert "serviceloven § 141" in granted
    refused = _letter_text(REFUSED, tmp_path)
    assert "handleplan" not in refused.lower()


def test_handleplan_results_are_a_choice_in_the_wording(tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", folder)
    wording = folder / "letter" / "wording.yaml"
    text = wording.read_text(encoding="utf-8")
    wording.write_text(text.replace("plan_for_results: [bevilget, delvis_bevilget",
                                    "plan_for_results: [afslag, bevilget, delvis_bevilget"),
                       encoding="utf-8")
    assert "serviceloven § 141" in _letter_text(REFUSED, tmp_path, folder)
    assert "serviceloven § 141" not in _letter_text(REFUSED, tmp_path)


# --- 15. scripts the fonts cannot show, and long unbroken values ---------------------------------

@pytest.mark.parametrize("name", ["Anna 王小明", "Anna สมชาย", "Anna 😀 Testesen",
                                  "Anna \U0001f469\u200d\U0001f4bb"],
                         ids=["CJK", "Thai", "emoji", "emoji-ZWJ"])
def test_a_name_the_fonts_cannot_show_is_a_located_error(tmp_path: Path, name: str) -> None:
    case = write(tmp_path / "case.yaml", GRANTED.replace("name: Anna Testesen", f"name: {name}"))
    code, output = letters(tmp_path / "out", case)
    assert code == 1
    line = GRANTED.splitlines().index("  name: Anna Testesen") + 1
    assert re.search(rf"case\.yaml:{line}:\d+: \w+: Borgerens navn: indeholder", output), output
    assert not {c for c in name if ord(c) > 127} & set(output)  # never quoted
    assert written(tmp_path / "out") == []


def test_long_unbroken_values_wrap_and_stay_whole_in_the_pdf(tmp_path: Path) -> None:
    from clients import pdftotext

    name = "Anna" + "x" * 196
    email = "birthe." + "e" * 32 + "@norddjurs-kommune.dk"
    assert len(name) == 200 and len(email) == 60
    case = write(tmp_path / "case.yaml", GRANTED.replace("name: Anna Testesen", f"name: {name}")
                 .replace("email: birthe.eksempel@norddjurs.dk", f"email: {email}"))
    code, output = letters(tmp_path / "out", case, fmt="pdf")
    assert code == 0, output
    raw = pdftotext(tmp_path / "out" / "2026-104-0001.pdf")
    text = "".join(raw.split())
    assert name in text and email in text  # nothing ran off the page
    assert "\u200b" not in raw  # the break points are not characters in the text
    lines = raw.splitlines()
    assert len([line for line in lines if "xxxx" in line]) >= 4  # wrapped onto several lines
