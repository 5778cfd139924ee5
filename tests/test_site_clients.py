"""The published files checked by the programs that read them: the Nu HTML Checker, axe-core in
headless Chromium, LibreOffice, pdftotext and pikepdf.

Every client is called through the shared harness (tests/clients.py): a missing client skips its
test with the reason, and fails the test when ``CI`` is set.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

import clients
from seedtext import missing_units, seed_path
from sitebuild import (
    REAL,
    TRICKY,
    TRICKY_SLUG,
    copy_standards,
    html_text,
    tricky_variant,
    with_logo,
)
from standardgen.publish.build import build

pytestmark = pytest.mark.client


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("clients")
    sources = copy_standards(root / "standards")
    tricky_variant(sources)
    with_logo(sources)  # the header then carries an image: Nu and axe check it too
    result = build([sources], root / "output", base_url="https://example.dk/standarder/")
    assert result.ok, [p.format() for p in result.problems]
    return root / "output" / "site"


# --- HTML ---------------------------------------------------------------------------------------

def test_every_page_passes_the_nu_html_checker(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) == 3
    assert clients.nu_check(pages, warnings=True) == []


@pytest.mark.parametrize("page", ["index.html", f"{REAL}/index.html",
                                  f"{TRICKY_SLUG}/index.html"])
def test_axe_finds_no_wcag_21_aa_violation(site: Path, page: str) -> None:
    violations = clients.axe([site / page], root=site)[str(site / page)]
    assert [(v["id"], v.get("help")) for v in violations] == [], clients.describe_axe(violations)


def test_axe_finds_violations_in_a_broken_page(tmp_path: Path) -> None:
    """The check above can fail: a page without lang, alt text or label is caught."""
    page = tmp_path / "broken.html"
    page.write_text('<!DOCTYPE html><html><head><title>x</title></head><body><main>'
                    '<img src="x.png"><input type="text"><p style="color:#ccc">lys</p>'
                    '</main></body></html>', encoding="utf-8")
    ids = {v["id"] for v in clients.axe([page], allow_missing_assets=True)[str(page)]}
    assert {"html-has-lang", "image-alt", "label", "color-contrast"} <= ids


@pytest.mark.parametrize("page", ["index.html", f"{REAL}/index.html"])
def test_pages_load_everything_from_the_site_itself(site: Path, page: str) -> None:
    """Served over HTTP on 127.0.0.1 (browsers keep no resource timing for file://)."""
    with clients.serve(site) as (base, failed):
        browser = clients.browser()
        browser.get(base + page)
        resources, plex, fonts = _resources_and_fonts(browser)
    assert failed == [], "every file the page asks for is in the site"
    assert resources and all(url.startswith(base) for url in resources), resources
    assert any(url.endswith(".woff2") for url in resources)
    assert plex and fonts >= 2, "IBM Plex Sans comes from static/fonts"


def _resources_and_fonts(browser: Any) -> list[Any]:
    result: list[Any] = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "document.fonts.ready.then(() => done(["
        "  performance.getEntriesByType('resource').map(e => e.name),"
        "  document.fonts.check('700 16px \"IBM Plex Sans\"'),"
        "  [...document.fonts].filter(f => f.status === 'loaded').length]));")
    return result


@pytest.mark.parametrize("page", ["index.html", f"{REAL}/index.html"])
def test_pages_reflow_to_320_css_pixels_without_sideways_scrolling(site: Path, page: str) -> None:
    """WCAG 1.4.10: content fits a 320 px wide viewport (a phone, or 400 % zoom)."""
    browser = clients.browser()
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": 320, "height": 800, "deviceScaleFactor": 1, "mobile": True})
    try:
        browser.get((site / page).as_uri())
        widths = browser.execute_script(
            "return [document.documentElement.clientWidth, document.documentElement.scrollWidth]")
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert widths == [320, 320]


def test_printing_the_page_gives_the_standard_without_the_navigation(
        site: Path, tmp_path: Path) -> None:
    import base64

    browser = clients.browser()
    browser.get((site / REAL / "index.html").as_uri())
    printed = browser.execute_cdp_cmd("Page.printToPDF", {"printBackground": False})
    pdf = tmp_path / "printed.pdf"
    pdf.write_bytes(base64.b64decode(printed["data"]))
    text = " ".join(clients.pdftotext(pdf).split())
    assert missing_units(seed_path(), text) == []
    for hidden in ("Gå til indhold", "Hent standarden", "Indhold 1.", "Brødkrumme"):
        assert hidden not in text


def test_search_finds_danish_words_offline(site: Path) -> None:
    browser = clients.browser()
    from selenium.webdriver.common.by import By

    browser.get((site / "index.html").as_uri())
    field = browser.find_element(By.ID, "soeg")
    assert field.is_displayed(), "the script shows the search field"
    cards = browser.find_elements(By.CSS_SELECTOR, ".card")

    def shown(query: str) -> list[str]:
        field.clear()
        field.send_keys(query)
        return [c.find_element(By.TAG_NAME, "h2").text for c in cards if c.is_displayed()]

    assert len(shown("")) == 2
    assert len(shown("SAMVÆRSTILBUD")) == 2
    assert len(shown("samvaer aktiv")) == 2
    assert shown("Jensen søn") == [f"Kvalitetsstandard: {TRICKY}"]
    assert shown("tilbud § 104") != []  # compounds: "tilbud" inside "samværstilbud"
    assert shown("xyzzy") == []
    status = browser.find_element(By.CSS_SELECTOR, "[data-search-status]").text
    assert status == "Ingen kvalitetsstandarder matcher søgningen."
    browser.get((site / "index.html").as_uri() + "?q=s%C3%B8n")
    assert [c.is_displayed() for c in browser.find_elements(By.CSS_SELECTOR, ".card")].count(
        True) == 1


# --- PDF ----------------------------------------------------------------------------------------

def _pdf_body_text(pdf: Path, municipality: str) -> str:
    """pdftotext's text without the running header and footer of each page."""
    lines = clients.pdftotext(pdf).splitlines()
    running = re.compile(rf"^(Side \d+ af \d+|{re.escape(municipality)} · .*|Godkendt i .* · "
                         r"version .*)$")
    return "\n".join(line for line in lines if not running.match(line.strip()))


def test_every_seed_sentence_is_in_the_pdf_text(site: Path) -> None:
    text = _pdf_body_text(site / REAL / f"{REAL}.pdf", "Norddjurs Kommune")
    assert missing_units(seed_path(), text) == []
    assert "\u00ad" not in text, "no soft hyphens from automatic hyphenation"


def test_the_pdf_has_page_numbers_running_header_and_approval_line(site: Path) -> None:
    text = clients.pdftotext(site / REAL / f"{REAL}.pdf")
    pages = text.count("\f")
    assert pages >= 2
    assert f"Side 1 af {pages}" in text and f"Side {pages} af {pages}" in text
    header = "Norddjurs Kommune · Kvalitetsstandard: Aktivitets- og samværstilbud"
    assert text.count(header) == pages
    assert "Godkendt i Voksen- og plejeudvalget den 26.04.2023 · version 2023" in text
    assert "Godkendt i Voksen- og plejeudvalget den 26. april 2023." in text


def test_text_that_needs_escaping_comes_out_literally_in_the_pdf(site: Path) -> None:
    text = " ".join(clients.pdftotext(site / TRICKY_SLUG / f"{TRICKY_SLUG}.pdf").split())
    assert TRICKY in text


def test_the_pdf_is_tagged_pdf_ua_with_language_title_and_embedded_fonts(site: Path) -> None:
    facts = clients.pdf_facts(site / REAL / f"{REAL}.pdf")
    assert facts.lang == "da"
    assert facts.marked
    assert facts.struct_tree
    assert facts.display_doc_title
    assert facts.docinfo["Title"] == "Kvalitetsstandard: Aktivitets- og samværstilbud"
    assert facts.docinfo["Author"] == "Norddjurs Kommune"
    assert facts.pdfua_part == 1
    assert {"H1", "H2", "P", "L", "LI", "Table", "Link"} <= facts.tags, facts.tags
    assert facts.fonts and facts.unembedded_fonts == [], facts.fonts
    assert {f.name.split("+")[-1] for f in facts.fonts} >= {"IBM-Plex-Sans",
                                                            "IBM-Plex-Sans-Bold"}


# --- Word ---------------------------------------------------------------------------------------

def test_libreoffice_opens_and_converts_the_word_files(site: Path, tmp_path: Path) -> None:
    documents = [site / REAL / f"{REAL}.docx", site / TRICKY_SLUG / f"{TRICKY_SLUG}.docx"]
    texts = clients.docx_texts(documents)
    assert missing_units(seed_path(), texts[documents[0]]) == []
    assert TRICKY in texts[documents[1]]
    [pdf] = clients.libreoffice_convert(documents[:1], "pdf", tmp_path / "pdf")
    assert "Side 1 af" in clients.pdftotext(pdf), "PAGE and NUMPAGES fields in the footer"


def test_the_web_page_text_matches_the_pdf_text(site: Path) -> None:
    """The page and the PDF come from the same templates: same words in the same order."""
    page = html_text(site / REAL / "index.html")
    pdf = _pdf_body_text(site / REAL / f"{REAL}.pdf", "Norddjurs Kommune")
    # pdftotext reads the version table column by column: compare the text before it.
    # List markers are drawn, not written, on the web page.
    words = [w for w in pdf[pdf.index("Målgruppe"):pdf.index("Versioner")].split() if w != "•"]
    assert " ".join(words) in " ".join(page.split())
