"""standardgen form read: a form filled in with pypdf comes back as validated YAML."""

from __future__ import annotations

import re
import stat
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader, PdfWriter

from conftest import ROOT, STANDARDS, run
from standardgen.cases.record import FollowUpRecord
from standardgen.core import validation
from standardgen.core.yamlsource import load_yaml

CASE = ROOT / "tests" / "roots" / "forms" / "cases" / "2026-104-0001.yaml"

FILLED: dict[str, str] = {
    "goal_1_status": "Karen har fået en fast ven & taler mere med de andre.",
    "goal_1_current_level": "2",
    "goal_2_status": "Hun laver mad hver torsdag.",
    "goal_3_type": "fastholde",
    "goal_3_expected_level": "4",
    "provider_status": "Et godt år i huset.\nKaren kommer stabilt tre dage om ugen.",
    "citizen_assessment": "Jeg er glad for at komme her. Jeg vil gerne blive ved.",
    "overall_assessment": "Tilbuddet er fortsat relevant.",
    "result": "fortsaettelse",
    "next_follow_up": "15.01.2028",
    "meeting_date": "2027-01-10",
    "participant_citizen": "/on",
    "participant_caseworker": "/on",
    "participant_other": "Karens søster",
}


@pytest.fixture(scope="module")
def blank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("blank")
    result = run("form", "--format", "pdf", CASE, "--standards", STANDARDS, "--out", out)
    assert result.exit_code == 0, result.output
    return out / "2026-104-0001-opfoelgning.pdf"


def fill(blank: Path, target: Path, values: dict[str, str]) -> Path:
    writer = PdfWriter(clone_from=PdfReader(blank))
    for page in writer.pages:
        writer.update_page_form_field_values(page, values, auto_regenerate=False)
    writer.write(target)
    return target


def read_back(path: Path) -> dict[str, Any]:
    document = load_yaml(path)
    record, problems = validation.parse(document, FollowUpRecord)
    assert record is not None and problems == [], problems
    return record.model_dump(mode="json", exclude_none=True)


def test_filled_values_come_back(blank: Path, tmp_path: Path) -> None:
    filled = fill(blank, tmp_path / "filled.pdf", FILLED)
    out = tmp_path / "status.yaml"
    result = run("form", "read", filled, "--out", out)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    data = read_back(out)
    assert data["case_number"] == "2026-104-0001"
    assert data["meeting_date"] == "2027-01-10" and data["next_follow_up"] == "2028-01-15"
    assert data["result"] == "fortsaettelse"
    assert data["participants"] == ["borger", "sagsbehandler"]
    assert data["other_participants"] == "Karens søster"
    assert data["provider_status"] == FILLED["provider_status"]
    assert data["citizen_assessment"] == FILLED["citizen_assessment"]
    assert data["overall_assessment"] == FILLED["overall_assessment"]
    goals = {goal["number"]: goal for goal in data["goals"]}
    assert goals[1] == {
        "number": 1, "theme": "Relationer", "goal_type": "udvikle",
        "description": "Karen vil gerne have en fast ven i huset, som hun kan tale med.",
        "current_level": 2, "expected_level": 2, "status": FILLED["goal_1_status"],
    }
    assert goals[2]["status"] == FILLED["goal_2_status"] and goals[2]["current_level"] == 2
    assert goals[3]["goal_type"] == "fastholde" and goals[3]["expected_level"] == 4
    assert "current_level" not in goals[3]  # ikke vurderet


def test_yaml_goes_to_stdout_without_out(blank: Path, tmp_path: Path) -> None:
    filled = fill(blank, tmp_path / "filled.pdf", FILLED)
    result = run("form", "read", filled)
    assert result.exit_code == 0
    assert result.stdout.startswith("# Opfølgning læst fra et udfyldt opfølgningsskema")
    assert "case_number: 2026-104-0001" in result.stdout
    assert "result: fortsaettelse" in result.stdout
    assert "next_follow_up: 2028-01-15" in result.stdout


@pytest.mark.parametrize(("values", "pattern"), [
    ({"goal_1_current_level": "7"},
     r"feltet 'Mål 1: nuværende funktionsevneniveau' \(goal_1_current_level\): '7' er ikke et "
     r"funktionsevneniveau"),
    ({"result": "maaske"}, r"feltet 'Resultat af opfølgningen' \(result\): 'maaske' er ikke et "
                           r"kendt resultat; brug en af: fortsaettelse, afslutning"),
    ({"next_follow_up": "01.06.2026"},
     r"\(next_follow_up\): 01\.06\.2026 ligger ikke efter opfølgningens dato 10\.01\.2027"),
    ({"next_follow_up": "31.02.2028"}, r"'31\.02\.2028' er ikke en gyldig dato"),
    ({"next_follow_up": ""}, r"\(next_follow_up\): mangler; når indsatsen fortsætter"),
    ({"meeting_date": ""}, r"\(meeting_date\): mangler"),
    ({"result": ""}, r"\(result\): mangler"),
    ({"goal_2_type": "opgive"}, r"\(goal_2_type\): 'opgive' er ikke en kendt måltype"),
])
def test_bad_values_are_located_danish_errors(blank: Path, tmp_path: Path,
                                              values: dict[str, str], pattern: str) -> None:
    filled = fill(blank, tmp_path / "filled.pdf", {**FILLED, **values})
    out = tmp_path / "status.yaml"
    result = run("form", "read", filled, "--out", out)
    assert result.exit_code == 1
    assert re.search(r"filled\.pdf:0:0: fejl: side \d, " + ".*" + pattern, result.output), (
        result.output)
    assert not out.exists()


def test_ended_service_needs_no_next_follow_up(blank: Path, tmp_path: Path) -> None:
    filled = fill(blank, tmp_path / "filled.pdf",
                  {**FILLED, "result": "afslutning_ny_indsats", "next_follow_up": ""})
    result = run("form", "read", filled, "--out", tmp_path / "s.yaml")
    assert result.exit_code == 0, result.output
    assert read_back(tmp_path / "s.yaml")["result"] == "afslutning_ny_indsats"


def test_a_cpr_number_typed_into_a_field_is_masked(blank: Path, tmp_path: Path) -> None:
    text = "Karen (010170-1234) er glad."
    filled = fill(blank, tmp_path / "filled.pdf", {**FILLED, "citizen_assessment": text})
    result = run("form", "read", filled, "--out", tmp_path / "s.yaml")
    assert result.exit_code == 0
    assert "advarsel" in result.output and "010170-1234" not in result.output
    assert read_back(tmp_path / "s.yaml")["citizen_assessment"] == "Karen (010170-XXXX) er glad."


def test_files_that_are_not_our_forms_are_refused(tmp_path: Path) -> None:
    not_pdf = tmp_path / "note.pdf"
    not_pdf.write_text("hej", encoding="utf-8")
    result = run("form", "read", not_pdf)
    assert result.exit_code == 1 and "note.pdf:0:0: fejl: filen er ikke en PDF" in result.output
    other = tmp_path / "other.pdf"
    other.write_bytes(ROOT.joinpath("tests", "roots", "forms", "cases.csv").read_bytes())
    assert run("form", "read", other).exit_code == 1
    plain = tmp_path / "plain.pdf"
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.write(plain)
    result = run("form", "read", plain)
    assert result.exit_code == 1 and "ikke et opfølgningsskema" in result.output
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 10)
    result = run("form", "read", broken)
    assert result.exit_code == 1 and "kan ikke læses" in result.output


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = run("form", "read", tmp_path / "nope.pdf")
    assert result.exit_code == 2 and "findes ikke" in result.output


def test_carriage_returns_from_viewers_become_newlines(blank: Path, tmp_path: Path) -> None:
    filled = fill(blank, tmp_path / "filled.pdf",
                  {**FILLED, "provider_status": "Linje et\rLinje to\r\nLinje tre"})
    assert run("form", "read", filled, "--out", tmp_path / "s.yaml").exit_code == 0
    assert read_back(tmp_path / "s.yaml")["provider_status"] == "Linje et\nLinje to\nLinje tre"
