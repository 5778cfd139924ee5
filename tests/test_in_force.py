"""A letter quotes the version of the standard in force on its decision date (issue 23)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from clients import pdftotext
from conftest import ROOT, STANDARDS, run

CASE = ROOT / "examples" / "cases" / "bevilget.yaml"
NAME = "aktivitets-og-samvaerstilbud.yaml"
OLD_PURPOSE = "at øge borgerens livskvalitet"
NEW_PURPOSE = "at styrke borgerens livskvalitet"


def _git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid",
                    "-c", "commit.gpgsign=false", *args], cwd=folder, check=True,
                   capture_output=True)


def _version_2(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    text = text.replace(OLD_PURPOSE, NEW_PURPOSE).replace("  date: 2023-04-26\n",
                                                          "  date: 2027-03-10\n")
    path.write_text(text.replace('version: "2023"', 'version: "2027"'), encoding="utf-8")


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STANDARDGEN_TODAY", "2026-12-05")


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """Version 2023 committed, then version 2027 (approved 10 March 2027) committed on top."""
    folder = tmp_path / "standards"
    shutil.copytree(STANDARDS, folder)
    _git(folder, "init", "-q")
    _git(folder, "add", ".")
    _git(folder, "commit", "-qm", "version 2023")
    _version_2(folder / NAME)
    _git(folder, "commit", "-qam", "version 2027")
    return folder


def _case(tmp_path: Path, decided: str, start: str) -> Path:
    text = CASE.read_text(encoding="utf-8").replace("decision_date: 2026-03-02",
                                                    f"decision_date: {decided}")
    path = tmp_path / f"sag-{decided}.yaml"
    text = text.replace("start_date: 2026-03-16", f"start_date: {start}")
    path.write_text(text.replace("due: 2027-03-01", "due: 2028-03-01"), encoding="utf-8")
    return path


def _letter(tmp_path: Path, standards: Path, case: Path) -> tuple[int, str, str]:
    out = tmp_path / "out"
    result = run("letter", case, "--standards", standards, "--out", out, "--format", "pdf",
                 "--jobs", "1")
    pdfs = sorted(out.glob("*.pdf")) if out.is_dir() else []
    text = " ".join(pdftotext(pdfs[0]).split()) if pdfs else ""
    return result.exit_code, result.output, text


def test_a_decision_before_the_new_approval_quotes_the_version_then_in_force(
        tmp_path: Path, repository: Path) -> None:
    code, output, text = _letter(tmp_path, repository, _case(tmp_path, "2026-12-03",
                                                              "2026-12-14"))
    assert code == 0, output
    assert OLD_PURPOSE in text and NEW_PURPOSE not in text
    assert "26. april 2023" in text and "10. marts 2027" not in text


def test_a_decision_after_the_new_approval_quotes_the_new_version(
        tmp_path: Path, repository: Path) -> None:
    code, output, text = _letter(tmp_path, repository, _case(tmp_path, "2027-03-15",
                                                              "2027-03-22"))
    assert code == 0, output
    assert NEW_PURPOSE in text and OLD_PURPOSE not in text
    assert "10. marts 2027" in text


def test_no_version_in_force_yet_is_a_located_error(tmp_path: Path, repository: Path) -> None:
    case = _case(tmp_path, "2023-01-02", "2023-01-09")
    code, output, text = _letter(tmp_path, repository, case)
    assert code != 0 and text == ""
    line = next(x for x in output.splitlines() if "afgørelsesdatoen 2. januar 2023" in x)
    number = next(i for i, x in enumerate(case.read_text(encoding="utf-8").splitlines(), 1)
                  if x.startswith("decision_date:"))
    assert line.startswith(f"{case}:{number}:")
    assert "ingen version af standarden var godkendt" in line


def test_without_git_history_names_the_version_in_force_it_cannot_quote(tmp_path: Path) -> None:
    folder = tmp_path / "standards"
    shutil.copytree(STANDARDS, folder)
    path = folder / NAME
    _version_2(path)
    path.write_text(path.read_text(encoding="utf-8") + (
        "history:\n  - version: \"2023\"\n    approval: {body: Voksen- og plejeudvalget, "
        "date: 2023-04-26}\n"), encoding="utf-8")
    code, output, _ = _letter(tmp_path, folder, _case(tmp_path, "2026-12-03", "2026-12-14"))
    assert code != 0
    assert "gjaldt version 2023 (godkendt 26. april 2023), men dens tekst findes ikke" in output


def test_check_warns_and_status_lists_an_approval_in_the_future(repository: Path) -> None:
    checked = run("check", repository / NAME)
    assert "godkendelsesdatoen 10. marts 2027 ligger efter i dag" in checked.output
    assert checked.exit_code == 0  # a warning
    status = run("status", repository)
    row = next(x for x in status.output.splitlines() if x.startswith("aktivitets-og"))
    assert "ikke gældende før 10.03.2027" in row
