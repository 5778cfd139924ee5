"""Issue 20, the desk's part: hostile or unlucky input that once crashed, leaked or hung it.

Each test here failed on the desk before the fix it names (defect numbers are the issue's).
"""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from deskclient import SLUG_104, client, example, form_values, open_form
from deskprocess import desk_process

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
