"""standardgen desk in real clients: every page and state valid HTML (Nu) with no axe-core
WCAG 2.1 A/AA violation in headless Chromium, and the whole flow with the keyboard alone
(Selenium), down to the PDF (pdftotext, pikepdf) and the Word file (LibreOffice)."""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import clients
from deskclient import (
    CASES,
    SLUG_85,
    STANDARDS,
    client,
    example,
    served,
    shared_desk,
    submit,
)
from standardgen.desk.app import create_app
from standardgen.desk.batch import Job, Row
from standardgen.desk.casedata import to_form
from standardgen.desk.engine import CHOSEN
from standardgen.desk.server import TOKEN_VARIABLE
from standardgen.letters.sample import multiply_csv
from standardgen.render.templating import environment

pytestmark = [pytest.mark.client, pytest.mark.slow]
SLUG = "aktivitets-og-samvaerstilbud"


# --- every state, as HTML --------------------------------------------------------------------

def _states() -> dict[str, str]:
    """The HTML of every page and state the desk shows."""
    browser = client()
    pages = {
        "start": browser.get("/").text,
        "start-fejl": browser.get("/sag", params={"standard": "x", "kind": "y"}).text,
        "formular-bevilling": browser.get("/sag", params={"standard": SLUG,
                                                          "kind": "bevilget"}).text,
        "formular-afslag": browser.get("/sag", params={"standard": SLUG,
                                                       "kind": "afslag"}).text,
        "formular-fejl": submit(browser, example("bevilget.yaml"),
                                **{"citizen.cpr": "1", "extent.days_per_week": "9"}).text,
        "forhaandsvisning-bevilling": submit(browser, example("bevilget.yaml")).text,
        "forhaandsvisning-afslag": submit(browser, example("afslag.yaml")).text,
        "formular-85-aendring": browser.get("/sag", params={"standard": SLUG_85,
                                                            "kind": "aendring"}).text,
        "formular-ophoer": browser.get("/sag", params={"standard": SLUG,
                                                       "kind": "ophoer"}).text,
        "forhaandsvisning-85": submit(browser, example("§ 85")).text,
        "batch": browser.get("/batch").text,
        "ikke-fundet": browser.get("/findes-ikke").text,
    }
    env = environment(shared_desk().folder)
    status = env.get_template("desk/batch_status.html")
    running = Job("x", total=40, done=15)
    report = Job("x", total=2, done=2, finished=True, archive=Path("breve.zip"), rows=[
        Row(2, "2026-104-0101", True, ()),
        Row(3, "2026-104-0102", False, ("kolonne 16: '9' må højst være 7",))])
    header = Job("x", finished=True, header_error=True, general=["kolonne 6: ukendt kolonne"])
    for name, job in (("batch-koerer", running), ("batch-rapport", report),
                      ("batch-overskriftsfejl", header)):
        pages[name] = status.render(job=job, job_id="abc", csrf="t", kinds=[])
    return pages


def test_every_page_and_state_is_valid_html(tmp_path: Path) -> None:
    files = []
    for name, html in _states().items():
        path = tmp_path / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        files.append(path)
    assert clients.nu_check(files) == []


# --- the browser -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def desk_url() -> Iterator[tuple[str, list[str]]]:
    """The desk served by uvicorn on 127.0.0.1, and the paths it answered with an error."""
    app = create_app(shared_desk())
    failed: list[str] = []

    async def recording(scope: Any, receive: Any, send: Any) -> None:
        async def watch(message: Any) -> None:
            if message["type"] == "http.response.start" and message["status"] == 404:
                failed.append(scope["path"])
            await send(message)

        await app(scope, receive, watch)

    with served(recording) as url:
        yield url, failed


def _axe_here(driver: Any) -> list[dict[str, Any]]:
    """axe-core on the page the browser shows now (a page reached by posting a form)."""
    driver.execute_script(clients.require("axe-core").read_text(encoding="utf-8"))
    outcome = driver.execute_async_script(clients._AXE_RUN, list(clients.AXE_TAGS))
    assert isinstance(outcome, dict) and "violations" in outcome, outcome
    return list(outcome["violations"])


def _field(driver: Any, label: str) -> Any:
    """The input a label (its exact text, without '(valgfri)') names; "Group > Label" for a
    label that several groups have (the group's legend)."""
    from selenium.webdriver.common.by import By

    scope = driver
    if " > " in label:
        legend, label = label.split(" > ")
        scope = driver.find_element(By.XPATH, f"//fieldset[legend[normalize-space()="
                                              f"'{legend}' or starts-with(normalize-space(), "
                                              f"'{legend} (')]]")
        label = label.replace(" (valgfri)", "")
    for element in scope.find_elements(By.CSS_SELECTOR, "label"):
        text = element.text.replace("(valgfri)", "").strip()
        if text == label:
            return driver.find_element(By.ID, element.get_attribute("for"))
    raise AssertionError(f"no label {label!r} on {driver.current_url}")


def _type(element: Any, value: str) -> None:
    from selenium.webdriver.common.keys import Keys

    element.send_keys(Keys.CONTROL, "a")
    element.send_keys(Keys.DELETE)
    element.send_keys(value)


def _active_id(driver: Any) -> str:
    return str(driver.execute_script("return document.activeElement.id || "
                                     "document.activeElement.getAttribute('data-module')"))


def _press(driver: Any, *keys: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    for key in keys:
        ActionChains(driver).send_keys(key).perform()


def _wait(driver: Any, css: str) -> Any:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.wait import WebDriverWait

    try:
        return WebDriverWait(driver, 30).until(
            expected_conditions.presence_of_element_located((By.CSS_SELECTOR, css)))
    except Exception:
        heading = driver.find_elements(By.TAG_NAME, "h1")
        raise AssertionError(f"no {css} on {driver.current_url} "
                             f"({heading[0].text if heading else driver.title})") from None


def _is_active(driver: Any, element: Any) -> bool:
    return bool(driver.execute_script("return document.activeElement === arguments[0]",
                                      element))


def _tab_to(driver: Any, element: Any, *, limit: int = 150) -> None:
    """Press Tab until ``element`` has the focus (for a radio: any radio of its group)."""
    from selenium.webdriver.common.keys import Keys

    group = element.get_attribute("name") if element.get_attribute("type") == "radio" else None
    for _ in range(limit):
        active = driver.switch_to.active_element
        if _is_active(driver, element) or (group and active.get_attribute("name") == group):
            return
        _press(driver, Keys.TAB)
    raise AssertionError(f"Tab never reached {element.get_attribute('outerHTML')[:80]}")


def _choose_by_keyboard(driver: Any, label: str) -> None:
    """Tab into the radio group, then the arrow keys until the option is chosen."""
    from selenium.webdriver.common.keys import Keys

    radio = _field(driver, label)
    _tab_to(driver, radio)
    for _ in range(10):
        if radio.is_selected():
            return
        _press(driver, Keys.ARROW_DOWN)
    raise AssertionError(f"the arrow keys never chose {label!r}")


def _wait_for(folder: Path, suffix: str, before: set[str]) -> Path:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        new = [p for p in folder.glob(f"*{suffix}") if p.name not in before]
        if new and not list(folder.glob("*.crdownload")):
            return new[0]
        time.sleep(0.1)
    raise AssertionError(f"no {suffix} downloaded to {folder}")


CASES_E2E = [
    # (example, two mistakes by field, what the letter says)
    ("bevilget.yaml", {"citizen.cpr": "150385-000", "extent.days_per_week": "9"},
     ("Bevilget", "3 dage om ugen")),
    ("afslag.yaml", {"citizen.cpr": "111062-000", "decision_date": "2026-02-30"},
     ("Afslag", "ikke betydeligt nedsat")),
    ("§ 85", {"caseworker.email": "sara.sagsbehandler", "extent.hours_per_week": "200"},
     ("Bevilget", "3 timer om ugen", "Solbakke Kommune")),
]


def _labelled(case: dict[str, Any]) -> tuple[dict[str, tuple[str, str]], list[str]]:
    """Field name -> ("Legend > Label", value) for the text fields of a case, and the labels
    ("Question > Option") of the radio buttons to choose."""
    desk = shared_desk()
    values = to_form(case)
    found, radios = {}, []
    for group in desk.groups(case["standard"], case["result"]):
        for spec in group.fields:
            if spec.name not in values or spec.name in CHOSEN:
                continue
            if spec.widget == "radio":
                option = dict(spec.options)[values[spec.name]]
                radios.append(f"{spec.label} > {option}")
            else:
                found[spec.name] = (f"{group.legend} > {spec.label}", values[spec.name])
    return found, radios


@pytest.mark.parametrize(("name", "mistakes", "says"), CASES_E2E,
                         ids=["104-bevilling", "104-afslag", "85-bevilling"])
def test_keyboard_only_flow_from_empty_form_to_checked_letter(
        desk_url: tuple[str, list[str]], tmp_path: Path, name: str,
        mistakes: dict[str, str], says: tuple[str, ...]) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    url, failed = desk_url
    driver = clients.browser()
    downloads = tmp_path / "hentet"
    downloads.mkdir()
    driver.execute_cdp_cmd("Browser.setDownloadBehavior",
                           {"behavior": "allow", "downloadPath": str(downloads)})
    case = example(name)
    fields, radios = _labelled(case)
    kind = next(k for k in shared_desk().kinds() if k.value == case["result"])

    # 1. choose the standard and the kind, by keyboard
    driver.get(url + "/")
    assert _axe_here(driver) == []
    _choose_by_keyboard(driver, shared_desk().by_slug[case["standard"]].standard.title)
    _choose_by_keyboard(driver, kind.label)
    _tab_to(driver, driver.find_element(By.XPATH, "//button[normalize-space()='Udfyld sagen']"))
    _press(driver, Keys.ENTER)
    _wait(driver, "input[name='result']")
    assert "/sag?" in driver.current_url
    assert _axe_here(driver) == []

    # 2. fill the form by its labels, with two mistakes, and submit with Enter
    for field, (label, value) in fields.items():
        _type(_field(driver, label), mistakes.get(field, value))
    for label in radios:
        _choose_by_keyboard(driver, label)
    _field(driver, fields["case_number"][0]).send_keys(Keys.ENTER)
    summary = _wait(driver, "[data-module='error-summary']")
    assert _active_id(driver) == "error-summary"  # focus moved: the problems are read first
    links = summary.find_elements(By.CSS_SELECTOR, "a")
    assert len(links) == 2, [link.text for link in links]
    labels = [fields[field][0].split(" > ")[1] for field in mistakes]
    assert [link.text.split(":")[0] for link in links] == labels
    assert _axe_here(driver) == []

    # 3. Tab to the summary's first link, Enter: the focus is on its field; fix and resubmit
    _press(driver, Keys.TAB)
    assert _is_active(driver, links[0])
    _press(driver, Keys.ENTER)
    inputs = [_field(driver, fields[field][0]) for field in mistakes]
    assert _is_active(driver, inputs[0])
    targets = [link.get_attribute("href").rsplit("#", 1)[1] for link in links]
    assert targets == [element.get_attribute("id") for element in inputs]
    for field, element in zip(mistakes, inputs, strict=True):
        _type(element, fields[field][1])
    _field(driver, fields["case_number"][0]).send_keys(Keys.ENTER)
    assert _wait(driver, "article.desk-letter")
    assert driver.find_element(By.TAG_NAME, "h1").text == "Brevet er klar"
    assert _axe_here(driver) == []

    # 4. download the PDF and the Word file, by keyboard
    files = {}
    for button, suffix in (("Hent brevet som PDF", ".pdf"), ("Hent brevet som Word", ".docx")):
        before = {p.name for p in downloads.iterdir()}
        _tab_to(driver, driver.find_element(By.XPATH, f"//button[normalize-space()='{button}']"))
        _press(driver, Keys.ENTER)
        files[suffix] = _wait_for(downloads, suffix, before)
    assert files[".pdf"].name == f"{case['case_number']}.pdf"

    text = " ".join(clients.pdftotext(files[".pdf"]).split())
    for phrase in (case["citizen"]["name"], case["citizen"]["cpr"], *says):
        assert phrase in text
    facts = clients.pdf_facts(files[".pdf"])
    assert facts.lang == "da" and facts.struct_tree and facts.pdfua_part == 1
    assert not facts.unembedded_fonts
    word = " ".join(clients.docx_text(files[".docx"]).split())
    for phrase in (case["citizen"]["name"], *says):
        assert phrase in word
    assert failed == []  # no page or asset the pages asked for was missing


def test_error_pages_and_a_running_batch_pass_axe(desk_url: tuple[str, list[str]],
                                                   tmp_path: Path) -> None:
    url, failed = desk_url
    pages = [f"{url}/findes-ikke", f"{url}/sag?standard=x&kind=y", f"{url}/batch/ukendt"]
    results = clients.axe(pages)
    # A batch that is still running: its page saved beside the desk's static files.
    shutil.copytree(shared_desk().folder / "desk" / "static", tmp_path / "static")
    running = tmp_path / "koerer.html"
    running.write_text(_states()["batch-koerer"], encoding="utf-8")
    results |= clients.axe([running], root=tmp_path)
    assert {page: clients.describe_axe(v) for page, v in results.items() if v} == {}
    assert failed == ["/findes-ikke", "/batch/ukendt"]
    failed.clear()


def test_names_are_filled_in_by_their_group(desk_url: tuple[str, list[str]]) -> None:
    """Two fields are labelled "Navn" (citizen, caseworker): the group's legend tells them
    apart for a screen reader, so each must sit in its own fieldset."""
    from selenium.webdriver.common.by import By

    url, _ = desk_url
    driver = clients.browser()
    driver.get(f"{url}/sag?standard={SLUG}&kind=bevilget")
    legends = [driver.find_element(By.XPATH, f"//input[@id='{field}']/ancestor::fieldset[1]"
                                             "/legend").text
               for field in ("felt-citizen-name", "felt-caseworker-name")]
    assert legends == ["Borgeren", "Sagsbehandleren"]


def test_batch_pages_pass_axe_and_the_report_arrives(desk_url: tuple[str, list[str]],
                                                     tmp_path: Path) -> None:
    """A batch long enough to watch: the progress bar moves, then the report replaces it."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    url, failed = desk_url
    rows = 120
    csv = multiply_csv(CASES / "batch.csv", tmp_path / "sager.csv", rows)
    driver = clients.browser()
    driver.get(url + "/batch")
    assert _axe_here(driver) == []
    upload = _field(driver, "CSV-fil (UTF-8, komma eller semikolon)")
    upload.send_keys(str(csv))
    _tab_to(driver, driver.find_element(By.XPATH, "//button[normalize-space()='Skriv brevene']"))
    _press(driver, Keys.ENTER)
    seen: set[int] = set()
    deadline = time.monotonic() + 300
    while True:
        assert time.monotonic() < deadline, "the batch report did not arrive"
        with contextlib.suppress(Exception):  # the page may reload between the two reads
            if driver.find_element(By.TAG_NAME, "h1").text == "Rapport over kørslen":
                break
            bar = driver.find_element(By.ID, "fremdrift-bar")
            seen.add(int(bar.get_attribute("value")))
        time.sleep(0.2)
    assert any(0 < value < rows for value in seen), f"no progress shown between: {seen}"
    report = driver.find_elements(By.CSS_SELECTOR, "tbody tr")
    assert len(report) == rows and all("Skrevet" in row.text for row in report)
    assert _axe_here(driver) == []
    assert failed == []


def _start(args: list[str], env: dict[str, str]) -> tuple[subprocess.Popen[bytes], int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    command = [sys.executable, "-m", "standardgen", "desk", "--port", str(port), *args,
               "--standards", str(STANDARDS)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, server.communicate()
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return server, port
        time.sleep(0.1)
    server.kill()
    raise AssertionError("standardgen desk did not start")


def _get(port: int, headers: dict[str, str] | None = None) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/", headers=headers or {})
    status = connection.getresponse().status
    connection.close()
    return status


@pytest.mark.parametrize("bind", ["127.0.0.1", "0.0.0.0"])
def test_the_command_serves_the_desk_and_guards_other_addresses(bind: str) -> None:
    """`standardgen desk` itself: on this machine without a token; on every address only with
    the token from the environment, which every request must then carry."""
    env = {k: v for k, v in os.environ.items() if k != TOKEN_VARIABLE}
    token = "s" * 32
    if bind != "127.0.0.1":
        env[TOKEN_VARIABLE] = token
    server, port = _start(["--bind", bind], env)
    try:
        if bind == "127.0.0.1":
            assert _get(port) == 200
        else:
            assert _get(port) == 401
            assert _get(port, {"authorization": f"Bearer {token}"}) == 200
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=30)
    shown = "127.0.0.1" if bind == "127.0.0.1" else "0.0.0.0"
    assert f"Skrivebordet: http://{shown}:{port}/" in stderr.decode()
    assert token not in stderr.decode()
