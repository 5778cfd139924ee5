"""Helpers for the desk's tests: the app in-process (Starlette's TestClient), or served by
uvicorn on 127.0.0.1 in a thread for a real browser."""

from __future__ import annotations

import contextlib
import re
import threading
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml
from starlette.testclient import TestClient

from standardgen.desk.app import create_app
from standardgen.desk.casedata import to_form
from standardgen.desk.engine import Desk

ROOT = Path(__file__).resolve().parent.parent
STANDARDS = ROOT / "standards"
CASES = ROOT / "examples" / "cases"
BASE = "http://127.0.0.1"

SOLBAKKE = ROOT / "examples" / "solbakke"
SLUG_104 = "aktivitets-og-samvaerstilbud"
SLUG_85 = "socialpaedagogisk-stoette"  # Solbakke Kommune's § 85 standard (issue 10's example)
_desk: Desk | None = None


def shared_desk() -> Desk:
    """One desk for the test session (loading the standards and renderers takes a while), with
    standards of two municipalities: Norddjurs (§ 104) and Solbakke (§ 85, § 83)."""
    global _desk
    if _desk is None:
        _desk = Desk([STANDARDS, SOLBAKKE / "standards"], renderers=1)
    return _desk


def client(**options: Any) -> TestClient:
    return TestClient(create_app(shared_desk(), **options), base_url=BASE)


def csrf(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "the page has no CSRF field"
    return match.group(1)


def packed(html: str) -> str:
    match = re.search(r'name="sag" value="([^"]+)"', html)
    assert match, "the page has no case to download"
    return match.group(1)


def download(browser: TestClient, html: str, what: str) -> Any:
    """A download from the preview ``html`` (``brev.pdf``, ``sag.yaml``, ...), which must answer
    200."""
    response = browser.post(f"/sag/hent/{what}", data={"csrf": csrf(html), "sag": packed(html)})
    assert response.status_code == 200, response.text[:300]
    return response


def post_batch(browser: TestClient, raw: bytes) -> str:
    """Post a CSV of cases as the batch page does; the batch's address."""
    token = csrf(browser.get("/batch").text)
    response = browser.post("/batch", data={"csrf": token},
                            files={"fil": ("sager.csv", raw, "text/csv")},
                            follow_redirects=False)
    assert response.status_code == 303, response.text
    return str(response.headers["location"])


def finished_batch(browser: TestClient, location: str, seconds: float = 120) -> Any:
    """Wait for the batch at ``location`` to finish; its report page."""
    deadline = time.monotonic() + seconds
    while not browser.get(f"{location}/status.json").json()["faerdig"]:
        assert time.monotonic() < deadline, "the batch did not finish"
        time.sleep(0.1)
    return browser.get(location)


def run_batch(browser: TestClient, raw: bytes) -> tuple[str, Any]:
    """Post a CSV and wait for its report: (the batch's address, the report page)."""
    location = post_batch(browser, raw)
    return location, finished_batch(browser, location)


def example(name: str) -> dict[str, Any]:
    """An example case: examples/cases/NAME, or "§ 85", Solbakke's § 85 grant (its follow-up
    goals left out: the browser tests fill in one-line fields)."""
    if name == "§ 85":
        data = yaml.safe_load((SOLBAKKE / "cases" / "2026-085-0001.yaml").read_text("utf-8"))
        data["follow_up"].pop("goals")
        return dict(data)
    data = yaml.safe_load((CASES / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def form_values(case: Mapping[str, Any]) -> dict[str, str]:
    """The form a caseworker fills in for ``case`` (the standard and kind are hidden fields)."""
    return to_form(case)


def open_form(browser: TestClient, standard: str, kind: str) -> str:
    response = browser.get("/sag", params={"standard": standard, "kind": kind})
    assert response.status_code == 200, response.text
    return csrf(response.text)


def submit(browser: TestClient, case: Mapping[str, Any], **changes: str | None) -> Any:
    """Fill in the form for ``case`` with ``changes`` (None: leave the field empty), post it."""
    token = open_form(browser, str(case["standard"]), str(case["result"]))
    values = form_values(case)
    for name, value in changes.items():
        if value is None:
            values.pop(name, None)
        else:
            values[name] = value
    return browser.post("/sag", data={**values, "csrf": token})


def summary_links(html: str) -> list[tuple[str, str]]:
    """(target id, text) of each link in the error summary."""
    return re.findall(r'<li><a class="function-link" href="#([^"]+)">(.*?)</a></li>', html)


@contextlib.contextmanager
def served(app: Any) -> Iterator[str]:
    """Serve ``app`` with uvicorn on 127.0.0.1 (a free port) in a thread; yields its URL."""
    import uvicorn

    config = uvicorn.Config(app, host="127.0.0.1", port=0, access_log=False, log_config=None,
                            log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="desk-uvicorn", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        port = server.servers[0].sockets[0].getsockname()[1]
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
