"""A caseworker's day at the desk, played in Chromium (Selenium) and measured: the fields and
the characters typed for each letter. The first § 104 grant types the caseworker's own details;
the second finds them remembered (localStorage), the decision date set to today and the provider
last used, and needs at most six fields typed. Then a refusal with partshøring, and a draft saved
("Gem kladde") and continued. The figures are printed (``pytest -s``) for the closing notes."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import clients
from deskclient import SLUG_104, served, shared_desk
from standardgen.desk.app import create_app

pytestmark = [pytest.mark.client, pytest.mark.slow]


@dataclass
class Tally:
    """What the caseworker did for one letter."""

    name: str
    fields: list[str] = field(default_factory=list)  # typed into (a text field or area)
    characters: int = 0
    choices: list[str] = field(default_factory=list)  # radio buttons chosen

    def line(self) -> str:
        return (f"{self.name}: {len(self.fields)} fields typed, {self.characters} characters, "
                f"{len(self.choices)} choices ({', '.join(self.fields)})")


class Caseworker:
    def __init__(self, driver: Any, url: str, downloads: Path) -> None:
        self.driver, self.url, self.downloads = driver, url, downloads
        self.tally = Tally("")

    def start(self, name: str, standard: str, kind: str) -> None:
        """A new letter from the start page: the standard and the letter kind."""
        from selenium.webdriver.common.by import By

        self.tally = Tally(name)
        self.driver.get(self.url + "/")
        title = shared_desk().by_slug[standard].standard.title
        kind_label = next(k.label for k in shared_desk().kinds() if k.value == kind)
        for label in (f"{title} (", kind_label):  # a standard's label ends with its paragraph
            self.driver.find_element(By.XPATH, f"//label[starts-with(normalize-space(), "
                                               f"'{label}')]").click()
        self.press("Udfyld sagen")
        self.element("case_number")
        # The desk's script fills in what it remembers once the page has loaded.
        deadline = time.monotonic() + 30
        while self.driver.execute_script("return document.readyState") != "complete":
            assert time.monotonic() < deadline, "the form never finished loading"
            time.sleep(0.05)

    def element(self, name: str) -> Any:
        """The field ``name`` (waiting for the page that has it: a click may still load)."""
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions
        from selenium.webdriver.support.wait import WebDriverWait

        return WebDriverWait(self.driver, 30).until(
            expected_conditions.presence_of_element_located((By.NAME, name)))

    def type(self, name: str, value: str) -> None:
        """Type ``value`` into the field, unless it already holds it (remembered, a default)."""
        element = self.element(name)
        if (element.get_attribute("value") or "") == value:
            return
        element.clear()
        element.send_keys(value)
        self.tally.fields.append(name)
        self.tally.characters += len(value)

    def choose(self, name: str, value: str) -> None:
        from selenium.webdriver.common.by import By

        radio = self.driver.find_element(By.CSS_SELECTOR, f"input[name='{name}'][value='{value}']")
        if not radio.is_selected():
            self.driver.find_element(By.CSS_SELECTOR, f"label[for='{radio.get_attribute('id')}']"
                                     ).click()
            self.tally.choices.append(name)

    def press(self, text: str) -> None:
        from selenium.webdriver.common.by import By

        self.driver.find_element(By.XPATH, f"//button[normalize-space()='{text}' "
                                           "and not(@hidden)]").click()

    def heading(self) -> str:
        from selenium.webdriver.common.by import By

        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                return str(self.driver.find_element(By.TAG_NAME, "h1").text)
            except Exception:  # the next page is still loading
                time.sleep(0.1)
        raise AssertionError("no page")

    def downloaded(self, suffix: str, before: set[str]) -> Path:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            new = [p for p in self.downloads.glob(f"*{suffix}") if p.name not in before]
            if new and not list(self.downloads.glob("*.crdownload")):
                return new[0]
            time.sleep(0.1)
        raise AssertionError(f"nothing downloaded ({suffix})")

    def axe(self) -> list[Any]:
        self.driver.execute_script(clients.require("axe-core").read_text(encoding="utf-8"))
        outcome = self.driver.execute_async_script(clients._AXE_RUN, list(clients.AXE_TAGS))
        return list(outcome["violations"])


@pytest.fixture()
def caseworker(tmp_path: Path) -> Iterator[Caseworker]:
    with served(create_app(shared_desk())) as url:
        driver = clients.browser()
        downloads = tmp_path / "hentet"
        downloads.mkdir()
        driver.execute_cdp_cmd("Browser.setDownloadBehavior",
                               {"behavior": "allow", "downloadPath": str(downloads)})
        driver.get(url + "/")
        driver.execute_script("window.localStorage.clear()")  # a caseworker new to the desk
        try:
            yield Caseworker(driver, url, downloads)
        finally:
            driver.execute_script("window.localStorage.clear()")


def _grant(me: Caseworker, number: str, citizen: tuple[str, str, str], days: str) -> None:
    name, cpr, address = citizen
    me.type("case_number", number)
    me.type("citizen.name", name)
    me.type("citizen.cpr", cpr)
    me.type("citizen.address", address)
    me.type("caseworker.name", "Birthe Eksempel")
    me.type("caseworker.phone", "8959 1234")
    me.type("caseworker.email", "birthe.eksempel@norddjurs.dk")
    me.type("extent.days_per_week", days)
    me.type("extent.provider", "Aktivitetshuset Kattegat")
    me.type("extent.start_date", "1.6.2026")


def test_a_caseworkers_day(caseworker: Caseworker) -> None:
    me = caseworker
    tallies = []

    # 1. The first § 104 grant: everything typed, the caseworker's own details too.
    me.start("first § 104 grant", SLUG_104, "bevilget")
    _grant(me, "2026-104-0201", ("Frida Fiktiv", "010170-0000", "Prøvegade 2\n8500 Grenaa"), "2")
    me.press("Kontrollér og vis brevet")
    assert me.heading() == "Brevet er klar"
    assert me.axe() == []
    tallies.append(me.tally)

    # 2. The second grant, another citizen: the caseworker and the provider are remembered.
    me.start("second § 104 grant", SLUG_104, "bevilget")
    _grant(me, "2026-104-0202", ("Georg Prøvesen", "150255-0000", "Testvej 14\n8585 Glesborg"),
           "3")
    me.press("Kontrollér og vis brevet")
    assert me.heading() == "Brevet er klar"
    tallies.append(me.tally)
    assert len(me.tally.fields) <= 6, me.tally.line()
    assert not [f for f in me.tally.fields if f.startswith("caseworker.")]

    # 3. A refusal after a partshøring.
    me.start("§ 104 refusal with partshøring", SLUG_104, "afslag")
    me.type("case_number", "2026-104-0203")
    me.type("citizen.name", "Hans Hypotese")
    me.type("citizen.cpr", "111062-0000")
    me.type("citizen.address", "Fiktivvej 3\n8500 Grenaa")
    me.type("facts", "Du klarer dine daglige aktiviteter selv.")
    me.type("considerations", "Din funktionsevne er ikke betydeligt nedsat.")
    me.type("hearing.date", "20.4.2026")
    me.choose("hearing.response", "intet_svar")
    me.press("Kontrollér og vis brevet")
    assert me.heading() == "Brevet er klar", me.driver.page_source[:2000]
    assert me.axe() == []
    tallies.append(me.tally)

    # 4. A draft: half done, saved with "Gem kladde", continued from the start page.
    me.start("draft saved and continued", SLUG_104, "bevilget")
    me.type("case_number", "2026-104-0204")
    me.type("citizen.name", "Ida Imaginær")
    before = {p.name for p in me.downloads.iterdir()}
    me.press("Gem kladde")
    draft = me.downloaded(".yaml", before)
    assert draft.name == "2026-104-0204-kladde.yaml"
    me.driver.get(me.url + "/")
    me.element("fil").send_keys(str(draft))
    me.press("Indlæs sagen")
    assert me.heading().endswith("udfyld sagen")
    assert me.element("citizen.name").get_attribute("value") == "Ida Imaginær"
    assert me.axe() == []
    me.type("citizen.cpr", "020202-0000")
    me.type("citizen.address", "Drømmevej 4\n8500 Grenaa")
    me.type("extent.days_per_week", "1")
    me.type("extent.start_date", "1.7.2026")
    me.press("Kontrollér og vis brevet")
    assert me.heading() == "Brevet er klar"
    tallies.append(me.tally)

    # Back and Forward from the preview: pages again, never "Confirm Form Resubmission".
    me.driver.back()
    me.driver.forward()
    assert me.heading() == "Brevet er klar"

    # "Glem mig" forgets the caseworker in this browser.
    me.start("forgotten", SLUG_104, "bevilget")
    assert me.element("caseworker.name").get_attribute("value") == "Birthe Eksempel"
    me.press("Glem mig")
    assert me.element("caseworker.name").get_attribute("value") == ""
    assert me.driver.execute_script(
        "return window.localStorage.getItem('standardgen.desk.sagsbehandler')") is None

    print("\n" + "\n".join(tally.line() for tally in tallies))


def _report(me: Caseworker) -> str:
    """Wait for the batch's report page; its status line."""
    from selenium.webdriver.common.by import By

    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if me.heading() == "Rapport over kørslen":
            return str(me.driver.find_element(By.CSS_SELECTOR, "p[role='status']").text)
        time.sleep(0.3)
    raise AssertionError("the batch's report never came")


def test_a_batch_with_two_broken_rows_fixed_through_the_refused_rows_file(
        caseworker: Caseworker, tmp_path: Path) -> None:
    from deskclient import CASES

    me = caseworker
    raw = (CASES / "batch.csv").read_text(encoding="utf-8")
    broken = raw.replace(";150255-0000;", ";150255-000;").replace(";2026-05-06;", ";31.2.2026;")
    sheet = tmp_path / "sager.csv"
    sheet.write_text(broken, encoding="utf-8")
    rows = len(raw.strip().splitlines()) - 1

    me.driver.get(me.url + "/batch")
    assert me.axe() == []
    me.element("fil").send_keys(str(sheet))
    me.press("Skriv brevene")
    assert _report(me) == f"{rows - 2} af {rows} rækker gav et brev."
    assert me.axe() == []
    before = {p.name for p in me.downloads.iterdir()}
    from selenium.webdriver.common.by import By

    me.driver.find_element(By.PARTIAL_LINK_TEXT, "Hent de afviste rækker").click()
    refused = me.downloaded(".csv", before)
    text = refused.read_text(encoding="utf-8-sig")
    assert len(text.strip().splitlines()) == 3 and text.splitlines()[0].endswith(";fejl")
    # Fixed as in Excel: two cells, the "fejl" column left as it is.
    fixed = tmp_path / "rettet.csv"
    fixed.write_text(text.replace(";150255-000;", ";150255-0000;")
                     .replace(";31.2.2026;", ";28.2.2026;"), encoding="utf-8")
    me.driver.get(me.url + "/batch")
    me.element("fil").send_keys(str(fixed))
    me.press("Skriv brevene")
    assert _report(me) == "2 af 2 rækker gav et brev."
    print("\nbatch: 2 rows refused, 2 cells fixed in the refused-rows file, 2 letters written")


def test_a_caseworker_chooses_herself_from_caseworkers_yaml(tmp_path: Path) -> None:
    import shutil

    from selenium.webdriver.support.ui import Select

    from deskclient import STANDARDS
    from standardgen.desk.engine import Desk

    shutil.copytree(STANDARDS, tmp_path / "standards")
    (tmp_path / "caseworkers.yaml").write_text(
        "caseworkers:\n  - name: Birthe Eksempel\n    phone: 8959 1234\n"
        "    email: birthe.eksempel@norddjurs.dk\n    unit: Myndighed\n"
        "  - name: Carsten Fiktiv\n    phone: 8959 2345\n"
        "    email: carsten.fiktiv@norddjurs.dk\n", encoding="utf-8")
    desk = Desk([tmp_path / "standards"], renderers=1)
    with served(create_app(desk)) as url:
        driver = clients.browser()
        driver.get(f"{url}/sag?standard={SLUG_104}&kind=bevilget")
        driver.execute_script("window.localStorage.clear()")
        driver.refresh()
        me = Caseworker(driver, url, tmp_path)
        assert me.axe() == []
        Select(me.element("sagsbehandler_valg")).select_by_visible_text("Carsten Fiktiv")
        assert me.element("caseworker.name").get_attribute("value") == "Carsten Fiktiv"
        assert me.element("caseworker.email").get_attribute("value") == (
            "carsten.fiktiv@norddjurs.dk")
        assert me.element("caseworker.unit").get_attribute("value") == ""
