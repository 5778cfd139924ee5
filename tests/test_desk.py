"""standardgen desk, in-process: the flow, one pipeline with the CLI, the safety rules, hostile
input and CSV batches. (The browser, axe and Nu checks are in test_desk_clients.py.)"""

from __future__ import annotations

import base64
import html as html_module
import io
import logging
import os
import re
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from clients import pdftotext
from deskclient import (
    CASES,
    SLUG_85,
    STANDARDS,
    client,
    csrf,
    download,
    example,
    form_values,
    open_form,
    packed,
    run_batch,
    shared_desk,
    submit,
    summary_links,
)
from standardgen.cases.vocabulary import generic, vocabulary
from standardgen.cli import main
from standardgen.desk.app import BATCH_LIMIT, FORM_LIMIT
from standardgen.desk.casedata import MAX_FIELD
from standardgen.desk.server import TOKEN_VARIABLE, access_token

SLUG = "aktivitets-og-samvaerstilbud"


# --- the flow ----------------------------------------------------------------------------------

def test_start_page_groups_standards_by_municipality_and_lists_the_kinds() -> None:
    html = client().get("/").text
    municipalities = re.findall(r'<legend class="h3">([^<]+)</legend>', html)
    assert municipalities == ["Norddjurs Kommune", "Solbakke Kommune"]
    solbakke = html.split("Solbakke Kommune</legend>")[1].split("</fieldset>")[0]
    assert f'value="{SLUG_85}"' in solbakke and f'value="{SLUG}"' not in solbakke
    for kind in shared_desk().kinds():  # the letter kinds, declared once (issue 10)
        assert f">{kind.label}</label>" in html
    assert {k.value for k in shared_desk().kinds()} >= {"bevilget", "afslag", "aendring",
                                                        "ophoer"}


@pytest.mark.parametrize("slug", [SLUG, SLUG_85])
def test_form_has_a_danish_label_for_every_field_of_every_kind(slug: str) -> None:
    """The form is the case schema of the standard's profile and the kind: each leaf is a
    field, labelled in Danish (never the schema's English title), and each is on the page."""
    desk = shared_desk()
    for kind in desk.kinds():
        groups = desk.groups(slug, kind.value)
        fields = [f for g in groups for f in g.fields]
        titles = _schema_titles(desk.schema(slug, kind.value))
        english = [f.name for f in fields if f.label in titles]
        english += [g.name for g in groups if g.legend in titles]
        assert not english, f"{kind.value}: labelled with the schema's title: {english}"
        # Named in the case vocabulary, or (the extent's own fields) by the service profile.
        unnamed = [f.name for f in fields if generic(f.name) not in vocabulary().fields
                   and not f.name.startswith(("extent.", "previous_extent."))]
        # (A goal's theme is one of KL's themes: its value is its Danish name.)
        unnamed += [f"{f.name}={value}" for f in fields for value, label in f.options
                    if label == value and not f.name.endswith(".theme")]
        assert not unnamed, f"{kind.value}: no Danish label in data/case_fields.yaml: {unnamed}"
        # Distinct: the error summary says "Borgerens navn", never "Navn" twice.
        labels = [f.label for f in fields if not f.name.startswith("follow_up.goals.")]
        assert len(labels) == len(set(labels)), f"{kind.value}: a label twice: {labels}"
        html = client().get("/sag", params={"standard": slug, "kind": kind.value}).text
        for spec in fields:
            assert f'id="{spec.id}"' in html


def test_the_extent_fields_follow_the_standards_profile() -> None:
    """§ 104 is granted in days per week, § 85 in hours per week (issue 10's profiles)."""
    desk = shared_desk()
    extent_104 = {f.name: f.label for f in desk.fields(SLUG, "bevilget")
                  if f.name.startswith("extent.")}
    extent_85 = {f.name: f.label for f in desk.fields(SLUG_85, "bevilget")
                 if f.name.startswith("extent.")}
    assert extent_104["extent.days_per_week"] == "Omfang (dage om ugen)"
    assert "extent.hours_per_week" not in extent_104
    assert extent_85["extent.hours_per_week"] == "Omfang (timer om ugen)"
    assert "extent.days_per_week" not in extent_85


def test_each_kind_asks_for_what_it_requires_and_not_for_what_it_forbids() -> None:
    desk = shared_desk()
    names = {kind.value: {f.name.split(".")[0] for f in desk.fields(SLUG, kind.value)}
             for kind in desk.kinds()}
    assert "extent" not in names["afslag"] and "follow_up" not in names["afslag"]
    assert {"previous_extent", "change", "extent"} <= names["aendring"]
    assert "end" in names["ophoer"] and "extent" not in names["ophoer"]
    required = {f.name for f in desk.fields(SLUG, "bevilget") if f.required}
    assert {"extent.days_per_week", "extent.start_date", "citizen.cpr"} <= required


def _schema_titles(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["title"]} if isinstance(node.get("title"), str) else set()
        return found.union(*(_schema_titles(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_schema_titles(v) for v in node))
    return set()


def test_two_mistakes_give_a_summary_linking_to_each_field_and_messages_at_the_fields() -> None:
    browser = client()
    response = submit(browser, example("bevilget.yaml"),
                      **{"citizen.cpr": "310299-123", "extent.days_per_week": "9"})
    assert response.status_code == 422
    html = response.text
    links = summary_links(html)
    assert [target for target, _ in links] == ["felt-citizen-cpr", "felt-extent-days-per-week"]
    assert "CPR-nummeret skal skrives DDMMÅÅ-XXXX" in links[0][1]
    assert "må højst være 7" in links[1][1]
    for target, _ in links:  # each link has its field, with the message next to it
        assert f'id="{target}"' in html
        assert f'id="{target}-fejl"' in html
    assert 'data-module="error-summary"' in html and 'tabindex="-1"' in html
    assert html.count('aria-invalid="true"') == 2
    assert "<title>Fejl: " in html
    assert 'value="Anna Testesen"' in html  # what was typed is kept


def test_an_empty_form_gets_an_error_at_every_required_field() -> None:
    browser = client()
    token = open_form(browser, SLUG, "bevilget")
    response = browser.post("/sag", data={"csrf": token, "standard": SLUG,
                                          "result": "bevilget"})
    assert response.status_code == 422
    links = summary_links(response.text)
    required = [f for f in shared_desk().fields(SLUG, "bevilget") if f.required]
    assert {target for target, _ in links} == {f.id for f in required}
    assert all(text.endswith(": skal udfyldes") for _, text in links), links
    assert "Sendes med" in response.text and 'value="digital_post" checked' in response.text


def test_a_missing_field_and_the_letter_rules_are_located_at_their_fields() -> None:
    response = submit(client(), example("afslag.yaml"), **{"citizen.name": None})
    assert summary_links(response.text) == [("felt-citizen-name",
                                             "Borgerens navn: skal udfyldes")]
    # The letter rules (a refusal must give its main considerations) run on a valid case.
    response = submit(client(), example("afslag.yaml"), considerations=None)
    links = summary_links(response.text)
    assert [target for target, _ in links] == ["felt-considerations"]
    assert links[0][1].startswith("Hovedhensyn bag afgørelsen: skal udfyldes: et brev om afslag")


def test_the_form_goes_to_a_preview_of_the_letter() -> None:
    response = submit(client(), example("bevilget.yaml"))
    assert response.status_code == 200, summary_links(response.text)
    html = response.text
    assert "<h1>Brevet er klar</h1>" in html
    assert "Anna Testesen" in html and "Aktivitetshuset Kattegat" in html
    assert "/sag/hent/opfoelgning.pdf" in html  # a grant has a follow-up form


def test_a_refusal_has_no_follow_up_form() -> None:
    browser = client()
    html = submit(browser, example("afslag.yaml")).text
    assert "<h1>Brevet er klar</h1>" in html and "opfoelgning" not in html
    response = browser.post("/sag/hent/opfoelgning.pdf",
                            data={"csrf": csrf(html), "sag": packed(html)})
    assert response.status_code == 404


def test_pdf_is_byte_identical_to_standardgen_letter_for_the_downloaded_yaml(
        tmp_path: Path) -> None:
    """One pipeline: the desk's PDF is the CLI's PDF for the YAML the desk hands out."""
    standards = [arg for path in shared_desk().standard_paths
                 for arg in ("--standards", str(path))]
    for name in ("bevilget.yaml", "afslag.yaml", "delvis-bevilget.yaml", "§ 85"):
        browser = client()
        html = submit(browser, example(name)).text
        pdf = download(browser, html, "brev.pdf").content
        case_yaml = download(browser, html, "sag.yaml").content
        number = example(name)["case_number"]
        source = tmp_path / f"{number}.yaml"
        source.write_bytes(case_yaml)
        out = tmp_path / "out"
        result = CliRunner().invoke(main, ["letter", str(source), *standards,
                                           "--out", str(out), "--format", "pdf"])
        assert result.exit_code == 0, result.output
        assert (out / f"{number}.pdf").read_bytes() == pdf, name
        assert pdf.startswith(b"%PDF-")


@pytest.mark.parametrize("name", ["bevilget.yaml", "§ 85"])
def test_downloads_are_named_by_case_number_and_never_cached(name: str) -> None:
    browser = client()
    html = submit(browser, example(name)).text
    number = example(name)["case_number"]
    for what, filename in (("brev.pdf", f"{number}.pdf"), ("brev.docx", f"{number}.docx"),
                           ("opfoelgning.pdf", f"{number}-opfoelgning.pdf"),
                           ("opfoelgning.docx", f"{number}-opfoelgning.docx"),
                           ("sag.yaml", f"{number}.yaml")):
        response = download(browser, html, what)
        assert response.headers["content-disposition"] == f'attachment; filename="{filename}"'
        assert response.headers["cache-control"] == "no-store"
        assert len(response.content) > 100


def test_yaml_download_and_upload_continue_the_same_case() -> None:
    browser = client()
    html = submit(browser, example("delvis-bevilget.yaml")).text
    case_yaml = download(browser, html, "sag.yaml").content
    assert b"citizen:" in case_yaml
    token = csrf(browser.get("/").text)
    response = browser.post("/sag/indlaes", data={"csrf": token},
                            files={"fil": ("sag.yaml", case_yaml, "application/yaml")})
    assert response.status_code == 200
    assert packed(response.text) == packed(html)  # the very same case, byte for byte
    edit = browser.post("/sag/ret", data={"csrf": token, "sag": packed(html)})
    assert edit.status_code == 200 and 'value="Bent Prøvesen"' in edit.text


def test_an_uploaded_file_that_is_not_a_case_is_refused_with_its_line() -> None:
    browser = client()
    token = csrf(browser.get("/").text)
    bad = b"case_number: 1\ncitizen: [\n"
    response = browser.post("/sag/indlaes", data={"csrf": token},
                            files={"fil": ("sag.yaml", bad, "application/yaml")})
    assert response.status_code == 422
    assert re.search(r"linje \d+, kolonne \d+: ", response.text)


def test_an_uploaded_case_with_an_error_opens_the_form_at_that_field() -> None:
    browser = client()
    token = csrf(browser.get("/").text)
    text = (CASES / "bevilget.yaml").read_text(encoding="utf-8")
    text = text.replace("days_per_week: 3", "days_per_week: tre")
    response = browser.post("/sag/indlaes", data={"csrf": token},
                            files={"fil": ("sag.yaml", text.encode(), "application/yaml")})
    assert response.status_code == 422
    assert summary_links(response.text)[0][0] == "felt-extent-days-per-week"


def test_a_tampered_case_gets_nodownload() -> None:
    """A case with any error produces nothing, whoever posts it."""
    browser = client()
    html = submit(browser, example("bevilget.yaml")).text
    raw = base64.urlsafe_b64decode(packed(html)).replace(b"days_per_week: '3'",
                                                         b"days_per_week: '12'")
    assert b"'12'" in raw
    response = browser.post("/sag/hent/brev.pdf", data={
        "csrf": csrf(html), "sag": base64.urlsafe_b64encode(raw).decode()})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
    assert summary_links(response.text)[0][0] == "felt-extent-days-per-week"


# --- safety ------------------------------------------------------------------------------------

def test_every_response_is_private_with_a_strict_policy() -> None:
    browser = client()
    for response in (browser.get("/"), browser.get("/ingen-side"),
                     browser.get("/static/desk.css"),
                     submit(browser, example("bevilget.yaml"))):
        assert response.headers["cache-control"] == "no-store"
        policy = response.headers["content-security-policy"]
        assert "default-src 'none'" in policy and "script-src 'self'" in policy
        assert "unsafe" not in policy
        assert response.headers["x-frame-options"] == "DENY"


def test_pages_load_nothing_from_another_site() -> None:
    browser = client()
    pages = [browser.get("/").text, browser.get("/batch").text,
             submit(browser, example("bevilget.yaml")).text]
    for html in pages:
        # What a page loads (scripts, images, stylesheets, icons) is local. A link the letter
        # quotes (the standard's deadlines link) loads nothing until the caseworker follows it.
        # The PDF's pages are images in the page itself (data:), never fetched from afar.
        loaded = re.findall(r'src="([^"]+)"', html) + re.findall(r'<link [^>]*href="([^"]+)"', html)
        for url in loaded:
            assert url.startswith(("/", "#", "data:image/png;base64,")), url[:40]
        assert "<style" not in html and " style=" not in html and "<script>" not in html
    assert "fonts.googleapis" not in (Path(__file__).parents[1] / "templates" / "desk" / "static"
                                      / "dkfds" / "css" / "dkfds.min.css").read_text()


@pytest.mark.parametrize("problem", ["no token", "wrong token", "other cookie", "foreign origin"])
def test_a_post_without_the_right_csrf_token_is_refused(problem: str) -> None:
    browser = client()
    token = open_form(browser, SLUG, "bevilget")
    values = {**form_values(example("bevilget.yaml")), "csrf": token}
    headers = {}
    if problem == "no token":
        del values["csrf"]
    elif problem == "wrong token":
        values["csrf"] = "0" * 64
    elif problem == "other cookie":  # a token taken from another browser's page
        browser = client()
        browser.get("/")
    else:
        headers["origin"] = "http://evil.example"
    response = browser.post("/sag", data=values, headers=headers)
    assert response.status_code == 403
    assert "Formularen var udløbet" in response.text


def test_a_foreign_host_name_is_refused() -> None:
    response = client().get("/", headers={"host": "attacker.example"})
    assert response.status_code == 400


def test_size_limits_give_a_danish_error() -> None:
    browser = client()
    token = open_form(browser, SLUG, "bevilget")
    response = browser.post("/sag", data={"csrf": token, "facts": "x" * (FORM_LIMIT + 10)})
    assert response.status_code == 413
    assert "for stort: højst 256 KiB" in response.text
    response = browser.post("/batch", data={"csrf": token},
                            files={"fil": ("a.csv", b"x" * (BATCH_LIMIT + 1), "text/csv")})
    assert response.status_code == 413


def test_with_a_token_every_request_needs_it() -> None:
    token = "t" * 24
    browser = client(token=token)
    assert browser.get("/").status_code == 401
    assert "adgangsnøglen" in browser.get("/static/desk.css").text
    assert browser.get("/", headers={"authorization": "Bearer wrong"}).status_code == 401
    assert browser.get("/", headers={"authorization": f"Bearer {token}"}).status_code == 200
    basic = base64.b64encode(f"sagsbehandler:{token}".encode()).decode()
    assert browser.get("/", headers={"authorization": f"Basic {basic}"}).status_code == 200


def test_binding_beyond_this_machine_needs_a_token_from_the_environment() -> None:
    assert access_token("127.0.0.1", {}) is None
    assert access_token("::1", {}) is None
    with pytest.raises(security_error()) as caught:
        access_token("0.0.0.0", {})
    assert TOKEN_VARIABLE in str(caught.value)
    assert access_token("0.0.0.0", {TOKEN_VARIABLE: "k" * 20}) == "k" * 20
    with pytest.raises(security_error()):
        access_token("127.0.0.1", {TOKEN_VARIABLE: "kort"})


def security_error() -> type[Exception]:
    from standardgen.core.problems import InputError

    return InputError


def test_cli_refuses_another_address_without_a_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(TOKEN_VARIABLE, raising=False)
    result = CliRunner().invoke(main, ["desk", "--bind", "0.0.0.0",
                                       "--standards", str(STANDARDS)])
    assert result.exit_code == 1
    assert TOKEN_VARIABLE in result.output and "Traceback" not in result.output


def test_the_desk_does_not_start_on_standards_with_errors(standards_copy: Path) -> None:
    """As `letter`: every letter quotes a standard, so a broken one stops the desk, located."""
    path = standards_copy / f"{SLUG}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("slug: ", "slugg: ", 1),
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["desk", "--standards", str(standards_copy)])
    assert result.exit_code == 1
    assert re.search(rf"{SLUG}\.yaml:\d+:\d+: .*slugg", result.output), result.output


def test_no_log_line_holds_a_name_or_cpr_number(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    browser = client()
    html = submit(browser, example("bevilget.yaml")).text
    for what in ("brev.pdf", "brev.docx", "sag.yaml"):
        download(browser, html, what)
    submit(browser, example("bevilget.yaml"), **{"citizen.cpr": "150385-00000"})
    text = "\n".join(record.getMessage() for record in caplog.records)
    for secret in ("150385", "Anna", "Testesen", "Prøvevej"):
        assert secret not in text


def test_an_error_in_a_request_is_a_danish_page_and_a_log_line_without_personal_data(
        caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    desk = shared_desk()

    def broken(case: Any) -> bytes:
        raise RuntimeError(f"renderer broke on {case.citizen.name}")

    browser = client()
    html = submit(browser, example("bevilget.yaml")).text
    monkeypatch.setattr(desk, "docx", broken)  # (the PDF was made for the preview already)
    response = browser.post("/sag/hent/brev.docx", data={"csrf": csrf(html), "sag": packed(html)})
    assert response.status_code == 500
    assert "Der skete en uventet fejl" in response.text
    assert response.headers["cache-control"] == "no-store"
    assert "Anna" not in caplog.text and "RuntimeError" in caplog.text


# --- hostile input -----------------------------------------------------------------------------

HOSTILE = {
    "template": "{{ 7*7 }} {% if true %}x{% endif %} #{ 1 + 1 } $x$",
    "markup": "<script>alert('x')</script><b>fed</b> & Søn",
    "typst": "#set page(width: 1cm) \\ ]] [[ @ref *fed* _kursiv_",
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_text_comes_out_literal_in_preview_and_letter(kind: str, tmp_path: Path) -> None:
    value = HOSTILE[kind]
    browser = client()
    response = submit(browser, example("bevilget.yaml"), applied_for=value,
                      **{"citizen.name": value})
    assert response.status_code == 200, summary_links(response.text)
    html = response.text
    assert "<script>" not in html and "<b>fed</b>" not in html
    assert "&lt;script&gt;" in html or kind != "markup"
    pdf = tmp_path / "brev.pdf"
    pdf.write_bytes(download(browser, html, "brev.pdf").content)
    text = " ".join(pdftotext(pdf).split())
    assert " ".join(value.split()) in text
    docx = download(browser, html, "brev.docx").content
    body = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()
    runs = " ".join(html_module.unescape(t) for t in re.findall(r"<w:t[^>]*>([^<]*)</w:t>", body))
    assert value in runs


@pytest.mark.parametrize("value", ["Anna\x0bTestesen", "Anna\x1b[31m", "Anna\x7f"])
def test_control_characters_are_a_located_error(value: str) -> None:
    response = submit(client(), example("bevilget.yaml"), **{"citizen.name": value})
    assert response.status_code == 422
    links = summary_links(response.text)
    assert links[0][0] == "felt-citizen-name"
    assert "kontroltegn" in links[0][1]


def test_a_huge_field_is_a_located_error() -> None:
    response = submit(client(), example("bevilget.yaml"),
                      **{"applied_for": "x" * (MAX_FIELD + 1)})
    assert response.status_code == 422
    assert summary_links(response.text)[0][0] == "felt-applied-for"
    assert "for langt" in response.text


def test_a_line_break_in_a_one_line_field_cannot_add_a_key() -> None:
    browser = client()
    response = submit(browser, example("bevilget.yaml"),
                      **{"citizen.name": "Anna\nresult: afslag"})
    assert response.status_code == 200
    case_yaml = download(browser, response.text, "sag.yaml").content.decode()
    assert "name: 'Anna result: afslag'" in case_yaml
    assert "\nresult: bevilget" in case_yaml


def test_a_malformed_upload_is_a_danish_error_page() -> None:
    browser = client()
    browser.get("/")
    for body, kind in ((b"--x\r\nContent-Disposition: form-data; name=\"fil\"\r\n\r\nabc",
                        "multipart/form-data; boundary=x"),
                       (b"\xff\xfe", "multipart/form-data")):
        response = browser.post("/batch", content=body, headers={"content-type": kind})
        assert response.status_code in (400, 403), response.status_code
        assert response.headers["content-type"].startswith("text/html")
        assert "<html lang=\"da\">" in response.text


def test_unknown_fields_and_odd_choices_are_errors_not_crashes() -> None:
    browser = client()
    token = open_form(browser, SLUG, "bevilget")
    values = {**form_values(example("bevilget.yaml")), "csrf": token}
    for name, value in (("channel", "brevdue"), ("result", "måske"), ("standard", "../etc"),
                        ("follow_up.goals.999999.theme", "x"), ("ukendt", "x")):
        response = browser.post("/sag", data={**values, name: value})
        assert response.status_code in (200, 422), (name, response.status_code)
    assert browser.get("/sag", params={"standard": "x", "kind": "y"}).status_code == 422


# --- batches -----------------------------------------------------------------------------------

def test_batch_reports_every_row_and_zips_the_letters_written() -> None:
    browser = client()
    raw = (CASES / "batch.csv").read_bytes()
    lines = raw.decode("utf-8").splitlines()
    bad = lines[1].replace(";2;Aktivitetshuset", ";9;Aktivitetshuset")
    raw = "\n".join([*lines, bad.replace("2026-104-0101", "2026-104-0199")]).encode() + b"\n"
    location, report = run_batch(browser, raw)
    html = report.text
    rows = re.findall(r"<tr>\s*<td>(\d+)</td>\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>", html)
    assert len(rows) == len(lines)  # every data row, plus the bad one
    refused = [row for row in rows if row[2].startswith("Afvist")]
    assert [r[1] for r in refused] == ["2026-104-0199"]
    assert "Omfang (dage om ugen): &#39;9&#39; må højst være 7" in refused[0][2]
    archive = zipfile.ZipFile(io.BytesIO(browser.get(f"{location}/breve.zip").content))
    written = [r[1] for r in rows if r[2] == "Skrevet"]
    letters = [name for name in archive.namelist() if name.endswith((".pdf", ".docx"))
               and "/" not in name]
    assert {"rapport.csv", "afviste.csv"} <= set(archive.namelist())
    assert sorted(letters) == sorted(f"{n}.{ext}" for n in written for ext in ("pdf", "docx"))
    # Issue 21: the case files and follow-up forms of the written letters, and a report.
    assert sorted(n for n in archive.namelist() if n.startswith("sager/")) == sorted(
        f"sager/{n}.yaml" for n in written)
    kinds = dict(re.findall(r"^(2026-104-\d+);[^;]*;([a-z_]+);", raw.decode(), re.MULTILINE))
    with_form = [n for n in written if kinds[n] in ("bevilget", "delvis_bevilget")]
    assert with_form and {n for n in archive.namelist() if n.startswith("opfoelgning")} == {
        f"opfoelgningsskemaer/{n}-opfoelgning.pdf" for n in with_form}
    report_rows = archive.read("rapport.csv").decode("utf-8-sig").splitlines()
    assert report_rows[0] == "Række;Sagsnummer;Resultat;Fejl" and len(report_rows) == len(rows) + 1


def test_batch_with_a_header_error_writes_nothing() -> None:
    browser = client()
    raw = (CASES / "batch.csv").read_bytes().replace(b"applied_for", b"applied_fr", 1)
    location, report = run_batch(browser, raw)
    assert "Overskriftsrækken har fejl: intet er skrevet" in report.text
    assert "ukendt kolonne" in report.text
    assert browser.get(f"{location}/breve.zip").status_code == 404


def test_a_batch_report_is_only_for_the_browser_that_sent_it() -> None:
    location, _ = run_batch(client(), (CASES / "batch.csv").read_bytes())
    assert client().get(location).status_code == 404


def test_no_temporary_file_is_left_even_when_a_batch_fails(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", None)
    browser = client()
    location, _ = run_batch(browser, (CASES / "batch.csv").read_bytes())
    assert browser.get(f"{location}/breve.zip").status_code == 200  # fetched, so deleted
    from standardgen.desk.batch import BatchRunner

    desk = shared_desk()
    browser = client(batches=BatchRunner(desk.standard_paths, desk.folder, work=_disk_full))
    _, report = run_batch(browser, (CASES / "batch.csv").read_bytes())
    assert "kørslen stoppede uventet (OSError)" in report.text
    assert list(tmp_path.iterdir()) == []
    assert os.environ["TMPDIR"] == str(tmp_path)


def _disk_full(*args: Any) -> Any:
    """A batch whose disk is full (run in the batch's process: a function of this module)."""
    raise OSError("disk full")
