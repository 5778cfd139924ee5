"""The caseworker's day at the desk (issue 21), in-process: Danish dates in and ISO out, one
address field, what the letter kind requires, the error summary in page order, drafts, the
browser's history (Post/Redirect/Get), a new letter to the same citizen and the PDF's pages."""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import yaml

from conftest import run
from deskclient import (
    CASES as ROOT_CASES,
)
from deskclient import (
    SLUG_104,
    STANDARDS,
    client,
    csrf,
    download,
    example,
    finished_batch,
    form_values,
    open_form,
    packed,
    post_batch,
    shared_desk,
    submit,
    summary_links,
)
from standardgen.core.dates import short_date
from standardgen.desk.engine import pdf_pages_as_png


def test_a_post_is_answered_by_a_redirect_so_back_never_posts_again() -> None:
    browser = client()
    token = open_form(browser, SLUG_104, "bevilget")
    values = {**form_values(example("bevilget.yaml")), "csrf": token}
    response = browser.post("/sag", data=values, follow_redirects=False)
    assert response.status_code == 303
    target = response.headers["location"]
    assert re.fullmatch(r"/sag/vis/[\w-]{20,}", target)
    # Back and Forward: the same page again, by GET, as often as the browser likes.
    for _ in range(2):
        page = browser.get(target)
        assert page.status_code == 200 and "<h1>Brevet er klar</h1>" in page.text
    # Another browser (another cookie) cannot see it.
    assert client().get(target).status_code == 404


def test_danish_dates_go_in_and_the_case_file_stays_iso() -> None:
    browser = client()
    response = submit(browser, example("bevilget.yaml"), decision_date="2.3.2026",
                      **{"extent.start_date": "16. marts 2026", "follow_up.due": "01-03-2027"})
    assert response.status_code == 200, summary_links(response.text)
    case = yaml.safe_load(download(browser, response.text, "sag.yaml").content)
    assert case["decision_date"] == "2026-03-02"
    assert case["extent"]["start_date"] == "2026-03-16"
    assert case["follow_up"]["due"] == "2027-03-01"


def test_an_impossible_date_is_said_in_danish_beside_the_other_problems() -> None:
    response = submit(client(), example("bevilget.yaml"), decision_date="30.2.2026",
                      **{"citizen.name": None})
    links = summary_links(response.text)
    assert [target for target, _ in links] == ["felt-decision-date", "felt-citizen-name"]
    assert links[0][1] == "Afgørelsesdato: &#39;30.2.2026&#39;: datoen findes ikke (måneden har " \
                          "ikke 30 dage)"
    assert 'value="30.2.2026"' in response.text  # what was typed stays in the field


def test_the_decision_date_starts_as_today_and_the_address_is_one_field() -> None:
    html = client().get("/sag", params={"standard": SLUG_104, "kind": "bevilget"}).text
    today = short_date(dt.date.today())
    assert re.search(rf'id="felt-decision-date" name="decision_date" value="{today}"', html)
    assert 'name="citizen.address"' in html and 'name="citizen.address.street"' not in html
    assert 'autocomplete="email"' in html and 'type="tel"' in html


def test_the_address_is_read_into_its_three_parts() -> None:
    browser = client()
    response = submit(browser, example("bevilget.yaml"),
                      **{"citizen.address": "Prøvevej 1, 2. th.\n8500 Grenaa"})
    case = yaml.safe_load(download(browser, response.text, "sag.yaml").content)
    assert case["citizen"]["address"] == {"street": "Prøvevej 1, 2. th.", "postcode": "8500",
                                          "city": "Grenaa"}
    wrong = submit(client(), example("bevilget.yaml"), **{"citizen.address": "Prøvevej 1"})
    assert summary_links(wrong.text)[0][0] == "felt-citizen-address"


def _labels(html: str) -> dict[str, str]:
    """Field id -> its label's text (legend for a radio group), "(valgfri)" included."""
    found = {}
    for target, text in re.findall(r'<label class="form-label" for="([^"]+)">(.*?)</label>', html):
        found[target] = re.sub(r"<[^>]+>", "", text)
    return found


def test_required_follows_the_letter_kind() -> None:
    browser = client()
    grant = browser.get("/sag", params={"standard": SLUG_104, "kind": "bevilget"}).text
    refusal = browser.get("/sag", params={"standard": SLUG_104, "kind": "afslag"}).text
    assert "felt-hearing-date" not in grant  # a full grant asks for no partshøring
    labels = _labels(refusal)
    for field in ("felt-considerations", "felt-facts", "felt-hearing-date",
                  "felt-hearing-not-held-reason"):
        assert "(valgfri)" not in labels[field], (field, labels[field])
    assert "(valgfri)" in _labels(grant)["felt-considerations"]


def test_the_summary_is_in_page_order_with_distinct_labels() -> None:
    response = submit(client(), example("afslag.yaml"), considerations=None,
                      **{"citizen.name": None, "caseworker.name": None, "case_number": None})
    links = summary_links(response.text)
    targets = [target for target, _ in links]
    on_page = [t for t in re.findall(r'id="(felt-[^"]+)"', response.text) if t in targets]
    assert targets == on_page
    texts = [text.split(":")[0] for _, text in links]
    assert "Borgerens navn" in texts and "Sagsbehandlerens navn" in texts


def test_goals_are_added_one_at_a_time() -> None:
    browser = client()
    html = browser.get("/sag", params={"standard": SLUG_104, "kind": "bevilget"}).text
    assert "follow_up.goals.0.theme" in html and "follow_up.goals.1.theme" not in html
    assert 'value="Relationer"' in html  # KL's themes to choose from
    values = {**form_values(example("bevilget.yaml")), "csrf": csrf(html),
              "tilfoej": "follow_up.goals"}
    added = browser.post("/sag", data=values).text
    assert "follow_up.goals.1.theme" in added and "follow_up.goals.2.theme" not in added
    assert 'class="alert alert-error"' not in added  # adding a goal is not a check


def test_a_draft_is_saved_with_its_problems_refused_by_letter_and_continued(
        tmp_path: Path) -> None:
    browser = client()
    token = open_form(browser, SLUG_104, "bevilget")
    values = {**form_values(example("bevilget.yaml")), "csrf": token}
    values.pop("extent.days_per_week")
    values["decision_date"] = "4. maj 2026"
    response = browser.post("/sag/kladde", data=values)
    assert response.status_code == 200
    assert response.headers["content-disposition"] == (
        'attachment; filename="2026-104-0001-kladde.yaml"')
    draft = tmp_path / "kladde.yaml"
    draft.write_bytes(response.content)
    data = yaml.safe_load(response.content)
    assert data["draft"] is True and data["decision_date"] == "2026-05-04"

    result = run("letter", draft, "--standards", STANDARDS, "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert "sagen er en kladde fra skrivebordet" in result.output
    assert "Traceback" not in result.output

    token = csrf(browser.get("/").text)
    opened = browser.post("/sag/indlaes", data={"csrf": token},
                          files={"fil": ("kladde.yaml", response.content, "application/yaml")})
    links = summary_links(opened.text)
    assert [target for target, _ in links] == ["felt-extent-days-per-week"]
    assert "Anna Testesen" in opened.text


def test_a_new_letter_to_the_same_citizen_keeps_citizen_and_caseworker() -> None:
    browser = client()
    html = submit(browser, example("bevilget.yaml")).text
    response = browser.post("/sag/samme-borger", data={"csrf": csrf(html), "sag": packed(html),
                                                       "kind": "aendring"})
    assert response.status_code == 200
    page = response.text
    assert "<h1>Ændring af bevilling: udfyld sagen</h1>" in page
    assert 'value="Anna Testesen"' in page and 'value="Birthe Eksempel"' in page
    assert 'value="2026-104-0001"' in page
    assert 'class="alert alert-error"' not in page


def test_the_pages_shown_are_the_downloaded_pdf_and_the_preview_keeps_paragraphs_whole() -> None:
    browser = client()
    html = submit(browser, example("bevilget.yaml")).text
    shown = re.findall(r'<img src="(data:image/png;base64,[^"]+)"', html)
    pdf = download(browser, html, "brev.pdf").content
    cpr = str(example("bevilget.yaml")["citizen"]["cpr"])
    assert shown and shown == pdf_pages_as_png(pdf, hidden=(cpr,))
    # The preview masks the CPR number (DOMAIN: full only in the letter itself): the page
    # images cover its last four digits, the text shows DDMMÅÅ-XXXX.
    assert shown != pdf_pages_as_png(pdf)
    assert cpr not in html and cpr[:7] + "XXXX" in html
    from PIL import Image

    first = Image.open(io.BytesIO(base64.b64decode(shown[0].split(",", 1)[1])))
    assert first.size[0] < first.size[1]  # A4 portrait
    heading = re.search(r"<h3>(.*?)</h3>", html)
    assert heading and "§\u00a0104" in heading.group(1)


def test_the_desk_takes_caseworkers_from_caseworkers_yaml_beside_the_standards(
        tmp_path: Path) -> None:
    import shutil

    from standardgen.desk.engine import Desk

    shutil.copytree(STANDARDS, tmp_path / "standards")
    (tmp_path / "caseworkers.yaml").write_text(
        "caseworkers:\n  - name: Birthe Eksempel\n    phone: 8959 1234\n"
        "    email: birthe.eksempel@norddjurs.dk\n    unit: Myndighed\n", encoding="utf-8")
    desk = Desk([tmp_path / "standards"], renderers=1)
    assert [c.name for c in desk.caseworkers] == ["Birthe Eksempel"]
    assert shared_desk().caseworkers == ()


# --- batches ----------------------------------------------------------------------------------

def _batch(browser: Any, raw: bytes) -> tuple[str, str]:
    location = post_batch(browser, raw)
    assert " af 0 " not in browser.get(location).text  # rows are counted before the run begins
    return location, finished_batch(browser, location, seconds=120).text


def test_the_csv_template_has_danish_headings_that_are_read_back() -> None:
    browser = client()
    response = browser.get("/batch/skabelon.csv", params={"standard": SLUG_104,
                                                           "kind": "bevilget"})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    header, first = text.splitlines()[:2]
    assert header.startswith("Kvalitetsstandard;Brevtype;Sagsnummer;Afgørelsesdato")
    assert "Borgerens navn" in header and "Omfang (dage om ugen)" in header
    assert "citizen" not in header and "Partshøring" not in header
    assert first.startswith(f"{SLUG_104};bevilget;")


def test_refused_rows_come_back_with_their_reasons_and_go_through_once_fixed() -> None:
    """A sheet with Danish headings and dates: two rows refused, fixed in the refused-rows file
    (its "fejl" column left in) and uploaded again."""
    from standardgen.cases.vocabulary import vocabulary

    browser = client()
    raw = (ROOT_CASES / "batch.csv").read_text(encoding="utf-8")
    header, *rows = raw.splitlines()
    danish = ";".join(vocabulary().label(key) for key in header.split(";"))
    rows[0] = rows[0].replace(";2026-05-04;", ";4. maj 2026;")  # a Danish date
    rows[1] = rows[1].replace(";150255-0000;", ";150255-000;")  # a CPR number too short
    rows[2] = rows[2].replace(";2026-05-06;", ";31.2.2026;")  # a day that does not exist
    location, _ = _batch(browser, "\n".join([danish, *rows]).encode() + b"\n")
    refused = browser.get(f"{location}/afviste.csv").content.decode("utf-8-sig")
    lines = refused.splitlines()
    assert lines[0] == danish + ";fejl" and len(lines) == 3
    assert "CPR-nummer" in lines[1] and "Afgørelsesdato" in lines[2]
    fixed = refused.replace(";150255-000;", ";150255-0000;").replace(";31.2.2026;",
                                                                      ";28.2.2026;")
    _, again = _batch(browser, fixed.encode("utf-8"))
    assert re.search(r"2 af 2 rækker gav et brev", again), again[:2000]


def test_a_case_number_of_another_form_is_refused_with_the_municipalitys_example(
        tmp_path: Path) -> None:
    import shutil

    from starlette.testclient import TestClient

    from deskclient import SLUG_85, SOLBAKKE
    from standardgen.desk.app import create_app
    from standardgen.desk.engine import Desk

    shutil.copytree(SOLBAKKE / "standards", tmp_path / "standards")
    town = tmp_path / "standards" / "municipalities" / "solbakke.yaml"
    town.write_text(town.read_text(encoding="utf-8") + "case_number:\n  pattern: "
                    "'^\\d{4}-\\d{3}-\\d{4}$'\n  example: 2026-085-0001\n", encoding="utf-8")
    desk = Desk([tmp_path / "standards"], renderers=1)

    def browser() -> Any:
        return TestClient(create_app(desk), base_url="http://127.0.0.1")

    html = browser().get("/sag", params={"standard": SLUG_85, "kind": "bevilget"}).text
    assert "Fx 2026-085-0001." in html and "2026-104-0001" not in html
    response = submit(browser(), example("§ 85"), case_number="SAG-2026-1234")
    links = summary_links(response.text)
    assert links[0][0] == "felt-case-number"
    assert "fx 2026-085-0001" in links[0][1] and "Solbakke Kommunes form" in links[0][1]
    # Without a declared form, any file-safe number; with one, the generic rule says what is
    # allowed before the municipality's.
    spaced = submit(client(), example("§ 85"), case_number="SAG 2026/1234")
    assert "ingen mellemrum eller skråstreg" in summary_links(spaced.text)[0][1]


def test_the_previewed_pdf_is_downloaded_without_a_second_rendering(monkeypatch: Any) -> None:
    desk = shared_desk()
    browser = client()
    html = submit(browser, example("afslag.yaml")).text
    shown = re.findall(r'<img src="(data:image/png;base64,[^"]+)"', html)

    def again(case: Any) -> bytes:
        raise AssertionError("rendered twice")

    monkeypatch.setattr(desk, "pdf", again)
    pdf = download(browser, html, "brev.pdf")
    assert pdf.headers["content-disposition"] == 'attachment; filename="2026-104-0003.pdf"'
    assert pdf_pages_as_png(pdf.content, hidden=("111062-0000",)) == shown
    # A case file changed by one byte is checked (and refused) as any other.
    tampered = base64.urlsafe_b64encode(base64.urlsafe_b64decode(packed(html)).replace(
        b"2026-104-0003", b"150385-0000")).decode()
    refused = browser.post("/sag/hent/brev.pdf", data={"csrf": csrf(html), "sag": tampered})
    assert refused.status_code == 422


def test_back_in_the_form_dates_and_numbers_are_shown_the_danish_way() -> None:
    browser = client()
    html = submit(browser, example("§ 85"), **{"extent.hours_per_week": "2,5"}).text
    form = browser.post("/sag/ret", data={"csrf": csrf(html), "sag": packed(html)}).text
    assert 'name="decision_date" value="' in form
    assert re.search(r'name="decision_date" value="\d\d\.\d\d\.\d{4}"', form)
    assert 'name="extent.hours_per_week" value="2,5"' in form
    shown = re.search(r'name="decision_date" value="([^"]+)"', form)
    assert shown
    # Sent again as shown, the case is the same case.
    again = submit(browser, example("§ 85"), decision_date=shown.group(1),
                   **{"extent.hours_per_week": "2,5"})
    assert packed(again.text) == packed(html)


def test_a_goal_is_removed_and_the_next_moves_up() -> None:
    browser = client()
    html = browser.get("/sag", params={"standard": SLUG_104, "kind": "bevilget"}).text
    goals = {"follow_up.goals.0.theme": "Relationer", "follow_up.goals.0.description": "Første",
             "follow_up.goals.1.theme": "Mobilitet", "follow_up.goals.1.description": "Andet"}
    values = {**form_values(example("bevilget.yaml")), **goals, "csrf": csrf(html),
              "fjern": "follow_up.goals.0"}
    form = browser.post("/sag", data=values).text
    assert "Andet" in form and "Første" not in form
    assert "follow_up.goals.1.theme" not in form
    assert re.search(r'name="follow_up.goals.0.theme" value="Mobilitet" checked', form)


def test_previews_drawn_at_once_in_many_threads_are_all_drawn() -> None:
    """PDFium is not thread-safe: 20 sessions previewing at once crashed the desk's process
    before the pages were drawn one at a time."""
    from concurrent.futures import ThreadPoolExecutor

    browser = client()
    html = submit(browser, example("bevilget.yaml")).text
    pdf = download(browser, html, "brev.pdf").content
    with ThreadPoolExecutor(8) as pool:
        drawn = list(pool.map(lambda _: pdf_pages_as_png(pdf), range(24)))
    assert all(pages == drawn[0] for pages in drawn) and drawn[0]
