"""Revision dates: warnings in `check` and the `status` overview, with fixed dates."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import without_info
from standardgen.cli import main
from standardgen.standards.revision import Due, due

DAY = dt.date(2025, 4, 1)


@pytest.mark.parametrize(("next_revision", "expected"), [
    (None, (Due.no_date, None)),
    (dt.date(2025, 3, 31), (Due.overdue, -1)),
    (DAY, (Due.due, 0)),
    (dt.date(2025, 5, 1), (Due.due, 30)),
    (dt.date(2025, 5, 2), (Due.ok, 31)),
])
def test_due_boundaries(next_revision: dt.date | None, expected: tuple[Due, int | None]) -> None:
    assert due(next_revision, DAY) == expected


def _set_revision(path: Path, day: str) -> int:
    """Give the standard a next_revision date; return its line."""
    text = path.read_text(encoding="utf-8") + f"next_revision: {day}\n"
    path.write_text(text, encoding="utf-8")
    return text.count("\n")


def _invoke(*args: str | Path, today: str | None = None) -> tuple[int, str, str]:
    env = {"STANDARDGEN_TODAY": today} if today else {}
    result = CliRunner().invoke(main, [str(a) for a in args], env=env)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def norddjurs(standards_copy: Path) -> Path:
    return standards_copy / "aktivitets-og-samvaerstilbud.yaml"


def test_check_warns_at_the_next_revision_line_when_overdue(norddjurs: Path) -> None:
    line = _set_revision(norddjurs, "2024-04-26")
    code, out, _ = _invoke("check", norddjurs, today="2024-05-06")
    assert code == 0
    assert re.search(rf"aktivitets-og-samvaerstilbud\.yaml:{line}:\d+: advarsel: næste revision "
                     r"skulle have været 26\. april 2024 \(10 dage siden\)", out)


def test_check_warns_within_30_days_and_strict_makes_it_an_error(norddjurs: Path) -> None:
    line = _set_revision(norddjurs, "2024-04-26")
    code, out, _ = _invoke("check", norddjurs, today="2024-04-06")
    assert code == 0
    assert f":{line}:" in out and "advarsel: næste revision er 26. april 2024, om 20 dage" in out
    code, out, _ = _invoke("check", "--strict", norddjurs, today="2024-04-06")
    assert code == 1 and "fejl: næste revision er 26. april 2024" in out


def test_check_is_quiet_when_the_revision_is_far_off(norddjurs: Path) -> None:
    _set_revision(norddjurs, "2024-04-26")
    code, out, _ = _invoke("check", "--strict", norddjurs, today="2024-03-26")
    assert (code, without_info(out)) == (0, "")


def test_a_bad_today_is_a_danish_error(norddjurs: Path) -> None:
    _set_revision(norddjurs, "2024-04-26")
    code, out, _ = _invoke("check", norddjurs, today="1. april")
    assert code == 1
    assert "STANDARDGEN_TODAY:0:0: fejl: '1. april' er ikke en gyldig dato" in out
    code, out, _ = _invoke("status", "--today", "2024-13-01", norddjurs)
    assert code == 1 and "--today:0:0: fejl: '2024-13-01' er ikke en gyldig dato" in out


def _second_standard(folder: Path, slug: str, revision: str | None) -> None:
    text = (folder / "aktivitets-og-samvaerstilbud.yaml").read_text(encoding="utf-8")
    text = text.replace("slug: aktivitets-og-samvaerstilbud", f"slug: {slug}")
    if revision:
        text += f"next_revision: {revision}\n"
    (folder / f"{slug}.yaml").write_text(text, encoding="utf-8")


def test_status_lists_every_standard_most_urgent_first(standards_copy: Path) -> None:
    _second_standard(standards_copy, "ok-standard", "2025-09-01")
    _second_standard(standards_copy, "forfalden", "2025-03-01")
    _second_standard(standards_copy, "snart", "2025-04-20")
    code, out, _ = _invoke("status", "--today", "2025-04-01", standards_copy)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Revisionsstatus pr. 1. april 2025"
    assert lines[2].split() == ["Standard", "Version", "Godkendt", "Næste", "revision", "Status"]
    assert [line.split()[0] for line in lines[3:]] == [
        "forfalden", "snart", "ok-standard", "aktivitets-og-samvaerstilbud"]
    assert lines[3].endswith("01.03.2025      overskredet (31 dage siden)")
    assert lines[4].endswith("20.04.2025      inden for 30 dage (om 19 dage)")
    assert lines[5].endswith("01.09.2025      ok")
    assert "26.04.2023 (Voksen- og plejeudvalget)  -               ingen dato" in lines[6]


def test_status_as_json(standards_copy: Path) -> None:
    _second_standard(standards_copy, "snart", "2025-04-20")
    code, out, _ = _invoke("status", "--format", "json", standards_copy, today="2025-04-01")
    assert code == 0
    data = json.loads(out)
    assert data["today"] == "2025-04-01" and data["due_within_days"] == 30
    first = data["standards"][0]
    assert first == {
        "slug": "snart", "title": "Kvalitetsstandard: Aktivitets- og samværstilbud",
        "file": first["file"], "version": "2023",
        "approval": {"body": "Voksen- og plejeudvalget", "date": "2023-04-26"},
        "next_revision": "2025-04-20", "status": "due", "days_left": 19,
        "approval_in_future": False}
    assert first["file"].endswith("snart.yaml")
    assert data["standards"][1]["status"] == "no_date"


def test_status_names_files_it_could_not_read(standards_copy: Path) -> None:
    (standards_copy / "brudt.yaml").write_text("slug: [\n", encoding="utf-8")
    code, out, err = _invoke("status", "--today", "2025-04-01", standards_copy)
    assert code == 1
    assert "aktivitets-og-samvaerstilbud" in out
    assert re.search(r"brudt\.yaml: ikke med i oversigten: 1 fejl", err)


def test_no_due_warning_for_a_date_before_the_approval(norddjurs: Path) -> None:
    _set_revision(norddjurs, "2023-01-01")
    code, out, _ = _invoke("check", norddjurs, today="2025-01-01")
    assert code == 1
    assert out.count("\n") == 1 and "næste revision skal ligge efter godkendelsesdatoen" in out


def test_build_does_not_replay_yesterdays_revision_warning(norddjurs: Path, tmp_path: Path) -> None:
    """The no-op path of build repeats the last build's warnings only on the same day: the day
    is part of what decides a replay, so "om 20 dage" becomes "om 19 dage" the next day."""
    _set_revision(norddjurs, "2024-04-26")
    out = tmp_path / "out"
    code, first, _ = _invoke("build", norddjurs, "--out", out, today="2024-04-06")
    assert code == 0 and "om 20 dage" in first, first
    code, same_day, _ = _invoke("build", norddjurs, "--out", out, today="2024-04-06")
    assert code == 0 and "om 20 dage" in same_day  # replayed
    code, next_day, _ = _invoke("build", norddjurs, "--out", out, today="2024-04-07")
    assert code == 0 and "om 19 dage" in next_day and "om 20 dage" not in next_day, next_day


def test_the_revision_rules_take_today_and_do_not_read_the_clock(
        norddjurs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from standardgen.standards.catalogue import load_catalogue

    _set_revision(norddjurs, "2024-04-26")
    monkeypatch.setenv("STANDARDGEN_TODAY", "2024-04-06")  # must not be read by the rules
    given = load_catalogue([norddjurs], dt.date(2024, 4, 16))
    assert [p.message for p in given.problems if p.code == "revision-due"] == [
        "næste revision er 26. april 2024, om 10 dage; planlæg revisionen og godkendelsen"]
    assert not [p for p in load_catalogue([norddjurs]).problems if p.code.startswith("revision-d")]
