"""Issue 20, the desk's part: hostile or unlucky input that once crashed, leaked or hung it.

Each test here failed on the desk before the fix it names (defect numbers are the issue's).
"""

from __future__ import annotations

import base64
import io
import re
import stat
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest

from deskclient import (
    CASES,
    SLUG_104,
    SOLBAKKE,
    client,
    csrf,
    example,
    form_values,
    open_form,
    shared_desk,
)
from deskprocess import desk_process
from standardgen.desk.batch import BatchRunner

# --- 14: a field name with a digit that is not 0-9 -----------------------------------------------

@pytest.mark.parametrize("name", ["follow_up.goals.².description", "follow_up.goals.٣.theme",
                                  "follow_up.goals." + "9" * 5000 + ".theme"])
def test_an_odd_slot_number_in_a_field_name_is_no_crash(name: str) -> None:
    browser = client()
    token = open_form(browser, SLUG_104, "bevilget")
    values = {**form_values(example("bevilget.yaml")), "csrf": token, name: "x"}
    response = browser.post("/sag", data=values)
    assert response.status_code in (200, 422), response.status_code


# --- 14: --bind 127.0.0.2 ------------------------------------------------------------------------

def test_a_desk_bound_to_another_loopback_address_answers_on_it(tmp_path: Path) -> None:
    with desk_process(tmp_path / "tmp", host="127.0.0.2") as desk, desk.client() as browser:
        response = browser.get("/")
    assert response.status_code == 200, response.text


# --- weak messages: Origin, token ----------------------------------------------------------------

@pytest.mark.parametrize(("origin", "status"), [("http://127.0.0.1", 200),
                                                ("evil://127.0.0.1", 403),
                                                ("https://127.0.0.1", 403),
                                                ("http://127.0.0.1:8001", 403)])
def test_the_origin_check_compares_scheme_host_and_port(origin: str, status: int) -> None:
    browser = client()
    token = open_form(browser, SLUG_104, "bevilget")
    values = {**form_values(example("bevilget.yaml")), "csrf": token}
    response = browser.post("/sag", data=values, headers={"origin": origin})
    assert response.status_code == status


TOKEN = "nøgle-til-skrivebordet-æøå"


@pytest.mark.parametrize(("header", "status"), [
    (b"Bearer " + TOKEN.encode(), 200),
    (b"Basic " + base64.b64encode(f"sagsbehandler:{TOKEN}".encode()), 200),
    (b"Bearer " + TOKEN.encode()[:-1], 401),
    (b"Basic ikke-base64!", 401),
])
def test_a_token_with_danish_letters_works_over_bearer_and_basic(header: bytes,
                                                                 status: int) -> None:
    response = client(token=TOKEN).get("/", headers={b"authorization": header})
    assert response.status_code == status


def test_a_content_length_of_thousands_of_digits_is_too_large_not_a_crash() -> None:
    browser = client()
    browser.get("/")
    response = browser.post("/sag", content=b"x", headers={"content-length": "9" * 5000})
    assert response.status_code == 413


# --- 7: the batch report for a change and an ending -------------------------------------------

def _batch(browser: Any, raw: bytes) -> tuple[str, str]:
    """Post a CSV as the batch page does and wait for its report: (address, report page)."""
    token = csrf(browser.get("/batch").text)
    response = browser.post("/batch", data={"csrf": token},
                            files={"fil": ("sager.csv", raw, "text/csv")}, follow_redirects=False)
    assert response.status_code == 303, response.text
    location = str(response.headers["location"])
    deadline = time.monotonic() + 120
    while not browser.get(f"{location}/status.json").json()["faerdig"]:
        assert time.monotonic() < deadline, "the batch did not finish"
        time.sleep(0.1)
    return location, str(browser.get(location).text)


def _report_rows(html: str) -> list[tuple[str, str, str]]:
    return re.findall(r"<tr>\s*<td>(\d+)</td>\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>", html)


def test_the_batch_report_counts_the_letters_of_a_change_and_an_ending() -> None:
    browser = client()
    location, html = _batch(browser, (SOLBAKKE / "cases" / "batch-83.csv").read_bytes())
    assert "2 af 2 rækker gav et brev" in html
    assert [row[1:] for row in _report_rows(html)] == [("2026-083-0101", "Skrevet"),
                                                       ("2026-083-0102", "Skrevet")]
    archive = zipfile.ZipFile(io.BytesIO(browser.get(f"{location}/breve.zip").content))
    assert sorted(archive.namelist()) == ["2026-083-0101-aendring.docx",
                                          "2026-083-0101-aendring.pdf",
                                          "2026-083-0102-ophoer.docx", "2026-083-0102-ophoer.pdf"]


# --- 12: a batch's zip on the disk, deleted after its download or a short while --------------

@pytest.fixture
def own_tmp(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """An empty temporary folder for this test alone (TMPDIR)."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", None)
    return folder


def test_a_batch_zip_waits_on_the_disk_and_is_deleted_after_its_first_download(
        own_tmp: Path) -> None:
    browser = client()
    location, _ = _batch(browser, (CASES / "batch.csv").read_bytes())
    [folder] = own_tmp.iterdir()
    assert folder.name.startswith("standardgen-desk-")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    # Only the zip waits: not the CSV with the citizens' CPR numbers, not the letters.
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) == [
        "breve.zip"]
    response = browser.get(f"{location}/breve.zip")
    assert response.status_code == 200
    assert zipfile.ZipFile(io.BytesIO(response.content)).testzip() is None
    assert browser.get(f"{location}/breve.zip").status_code == 404
    assert list(own_tmp.iterdir()) == []
    assert browser.get(location).status_code == 200  # the report stays a while


def test_a_batch_zip_nobody_fetches_is_deleted_after_a_short_while(own_tmp: Path) -> None:
    desk = shared_desk()
    browser = client(batches=BatchRunner(desk.standard_paths, desk.folder, zip_seconds=0.5))
    location, _ = _batch(browser, (CASES / "batch.csv").read_bytes())
    deadline = time.monotonic() + 10
    while list(own_tmp.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert list(own_tmp.iterdir()) == []
    assert browser.get(f"{location}/breve.zip").status_code == 404


def test_the_batches_held_at_once_are_capped(own_tmp: Path) -> None:
    desk = shared_desk()
    browser = client(batches=BatchRunner(desk.standard_paths, desk.folder, max_held=1))
    location, _ = _batch(browser, (CASES / "batch.csv").read_bytes())
    token = csrf(browser.get("/batch").text)
    response = browser.post("/batch", data={"csrf": token},
                            files={"fil": ("sager.csv", b"x", "text/csv")},
                            follow_redirects=False)
    assert response.status_code == 503
    assert "hvis breve ikke er hentet" in response.text
    assert browser.get(f"{location}/breve.zip").status_code == 200
    location, _ = _batch(browser, (CASES / "batch.csv").read_bytes())  # room again
    assert browser.get(f"{location}/breve.zip").status_code == 200
