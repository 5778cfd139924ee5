"""One build over the standards of several municipalities: a web root each, naming only itself.

The real clients (Nu HTML Checker, axe-core, pdftotext) check the second municipality's pages
too; every file one municipality publishes is searched for the other's name and addresses.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml

import clients
from sitebuild import (
    OTHER,
    OTHER_FACTS,
    OTHER_NAME,
    OTHER_SLUG,
    OTHER_SLUGS,
    REAL,
    STANDARDS,
    copy_standards,
    html_text,
    municipality_tree,
    names_of,
)
from standardgen.publish.build import BuildResult, build

BASE = "https://example.dk/standarder/"
HOME = "norddjurs"
HOME_FACTS = yaml.safe_load((STANDARDS / "municipalities" / f"{HOME}.yaml").read_text("utf-8"))
# What would give one municipality away in the other's files (the ids too: addresses, logos).
REVEALING = {
    HOME: names_of(HOME_FACTS, "Norddjurs", "norddjurs", REAL, "#004993"),
    OTHER: names_of(OTHER_FACTS, "Solbakke", OTHER, *OTHER_SLUGS, OTHER_FACTS["theme"]["primary"]),
}
SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def _build(sources: Path, out: Path, base_url: str | None = BASE) -> BuildResult:
    result = build([sources], out, base_url=base_url)
    assert result.ok, [p.format() for p in result.problems]
    return result


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("multisite")
    _build(municipality_tree(root / "sources"), root / "output")
    return root / "output" / "site"


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def _text(path: Path) -> str:
    """What a reader or a program finds in a published file (PDF text through pdftotext)."""
    if path.suffix == ".pdf":
        return clients.pdftotext(path)
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as package:
            return "\n".join(package.read(name).decode("utf-8") for name in package.namelist()
                             if name.endswith((".xml", ".rels")))
    if path.suffix in (".woff2",):
        return ""
    return path.read_text(encoding="utf-8")


def _sitemap(path: Path) -> list[str]:
    return sorted(str(loc.text) for loc in
                  ElementTree.parse(path).getroot().findall("s:url/s:loc", SITEMAP))


def _jsonld(page: Path) -> dict[str, object]:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>',
                      page.read_text(encoding="utf-8"), re.S)
    assert match
    data: dict[str, object] = json.loads(match.group(1))
    return data


# --- the layout ---------------------------------------------------------------------------------

def test_each_municipality_gets_a_whole_web_root_of_its_own(site: Path) -> None:
    assert sorted(p.name for p in site.iterdir()) == [HOME, OTHER]
    for town, slug in ((HOME, REAL), (OTHER, OTHER_SLUGS[0]), (OTHER, OTHER_SLUGS[1])):
        names = {p.relative_to(site / town).as_posix() for p in _files(site / town)}
        assert {"index.html", "sitemap.xml", "static/site.css", "static/search.js",
                f"static/logo-{town}.svg", f"{slug}/index.html", f"{slug}/{slug}.pdf",
                f"{slug}/{slug}.docx", f"{slug}/{slug}.json"} <= names
    assert not list(site.rglob("2026-*")), "cases and follow-up records in the tree are left out"


def test_addresses_sitemaps_and_json_ld_are_the_municipalitys_own(site: Path) -> None:
    for town, slugs, name in ((HOME, [REAL], "Norddjurs Kommune"),
                              (OTHER, sorted(OTHER_SLUGS), OTHER_NAME)):
        base = f"{BASE}{town}/"
        assert _sitemap(site / town / "sitemap.xml") == [base, *(f"{base}{s}/" for s in slugs)]
        slug = slugs[0]
        page = site / town / slug / "index.html"
        assert f'<link rel="canonical" href="{base}{slug}/">' in page.read_text("utf-8")
        data = _jsonld(page)
        assert data["url"] == f"{base}{slug}/"
        assert data["provider"]["name"] == name  # type: ignore[index]
        published = json.loads((site / town / slug / f"{slug}.json").read_text("utf-8"))
        assert published["url"] == f"{base}{slug}/"
        assert published["municipality"]["name"] == name
        catalogue = site / town / "index.html"
        assert f"{name}s kvalitetsstandarder" in html_text(catalogue)
        listed = {item["item"]["url"] for item in _jsonld(catalogue)["itemListElement"]}  # type: ignore[attr-defined]
        assert listed == {f"{base}{s}/" for s in slugs}


def test_name_footer_logo_and_theme_are_the_municipalitys_own(site: Path) -> None:
    page = (site / OTHER / OTHER_SLUG / "index.html").read_text(encoding="utf-8")
    assert '<img class="site-logo" src="../static/logo-solbakke.svg" alt="">' in page
    assert f"--primary: {OTHER_FACTS['theme']['primary']}" in page
    footer = html_text(site / OTHER / "index.html").split(OTHER_FACTS["address"]["street"])[0]
    assert OTHER_NAME in footer[-40:]
    assert OTHER_FACTS["email"] in page and "tel:70001000" in page
    home = (site / HOME / REAL / "index.html").read_text(encoding="utf-8")
    assert "--primary" not in home, "Norddjurs keeps Det Fælles Designsystem's colours"


def test_without_a_base_url_each_site_lives_at_its_municipalitys_own_address(
        tmp_path: Path) -> None:
    sources = municipality_tree(tmp_path / "sources")
    _build(sources, tmp_path / "output", base_url=None)
    site = tmp_path / "output" / "site"
    assert _sitemap(site / HOME / "sitemap.xml")[0] == "https://norddjurs.dk/kvalitetsstandarder/"
    assert _sitemap(site / OTHER / "sitemap.xml")[0] == (
        "https://solbakke.example/kvalitetsstandarder/")


@pytest.mark.client
def test_no_file_of_one_municipality_names_another(site: Path) -> None:
    """Every file, pages, sitemap, JSON, Word and PDF text (pdftotext), searched for the other
    municipality's name, street, postcode and town, phone, e-mail, web address and ids."""
    for town, other in ((HOME, OTHER), (OTHER, HOME)):
        files = _files(site / town)
        assert len(files) > 10
        for path in files:
            text = _text(path)
            found = [name for name in REVEALING[other] if name.lower() in text.lower()]
            assert found == [], f"{path.relative_to(site)} names {other}: {found}"
        own = " ".join(_text(path) for path in files if path.suffix == ".html")
        assert all(name.lower() in own.lower() for name in REVEALING[town][:4])


def test_one_municipality_keeps_the_web_root_itself(tmp_path: Path) -> None:
    """The layout of a single-municipality build is today's: ``site/`` is the web root, also
    when its standards are found in a subfolder."""
    copy_standards(tmp_path / "tree" / "norddjurs")
    _build(tmp_path / "tree", tmp_path / "output")
    site = tmp_path / "output" / "site"
    assert sorted(p.name for p in site.iterdir()) == [REAL, "index.html", "sitemap.xml", "static"]
    assert _sitemap(site / "sitemap.xml") == [BASE, f"{BASE}{REAL}/"]


def test_moving_between_one_and_several_web_roots_leaves_nothing_behind(tmp_path: Path) -> None:
    sources = municipality_tree(tmp_path / "sources")
    other = sources / OTHER
    parked = shutil.move(other, tmp_path / "parked")
    out = tmp_path / "output"
    _build(sources, out)
    single = {p.relative_to(out / "site").as_posix() for p in _files(out / "site")}
    shutil.move(parked, other)
    result = _build(sources, out)
    assert f"{REAL}/{REAL}.pdf" in result.removed
    assert sorted(p.name for p in (out / "site").iterdir()) == [HOME, OTHER]
    shutil.rmtree(other)
    result = _build(sources, out)
    assert f"{OTHER}/{OTHER_SLUG}/{OTHER_SLUG}.pdf" in result.removed
    assert {p.relative_to(out / "site").as_posix() for p in _files(out / "site")} == single
    assert not [p for p in (out / "site").rglob("*") if p.is_dir() and not any(p.iterdir())]


def test_a_change_in_one_municipality_re_renders_only_its_own_files(tmp_path: Path) -> None:
    sources = municipality_tree(tmp_path / "sources")
    out = tmp_path / "output"
    _build(sources, out)
    assert _build(sources, out).written == ()
    standard = sources / OTHER / "standards" / f"{OTHER_SLUG}.yaml"
    standard.write_text(standard.read_text("utf-8").replace('version: "2026"', 'version: "2027"'),
                        "utf-8")
    written = _build(sources, out).written
    assert set(written) == {f"{OTHER}/{OTHER_SLUG}/{name}" for name in (
        "index.html", f"{OTHER_SLUG}.pdf", f"{OTHER_SLUG}.docx", f"{OTHER_SLUG}.json")} | {
        f"{OTHER}/index.html", f"{OTHER}/sitemap.xml"}


def test_the_command_builds_the_repositorys_standards_and_examples_side_by_side(
        tmp_path: Path) -> None:
    from click.testing import CliRunner

    from standardgen.cli import main

    root = STANDARDS.parent
    result = CliRunner().invoke(main, ["build", str(STANDARDS), str(root / "examples"),
                                       "--out", str(tmp_path / "output"), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    site = tmp_path / "output" / "site"
    assert sorted(p.name for p in site.iterdir()) == [HOME, OTHER]
    assert {p.parent.name for p in (site / OTHER).glob("*/index.html")} == set(OTHER_SLUGS)
    assert _sitemap(site / OTHER / "sitemap.xml")[0] == (
        "https://solbakke.example/kvalitetsstandarder/")


def test_two_municipality_files_with_one_id_are_refused(tmp_path: Path) -> None:
    sources = municipality_tree(tmp_path / "sources")
    towns = sources / OTHER / "standards" / "municipalities"
    (towns / f"{OTHER}.yaml").rename(towns / f"{HOME}.yaml")
    for standard in (sources / OTHER / "standards").glob("*.yaml"):
        standard.write_text(standard.read_text("utf-8").replace(f"municipality: {OTHER}",
                                                                f"municipality: {HOME}"), "utf-8")
    result = build([sources], tmp_path / "output", base_url=BASE)
    assert not result.ok
    [problem] = [p for p in result.problems if p.code == "municipality-id"]
    assert (problem.line, problem.column) == (1, 1)
    assert problem.file.endswith(f"{HOME}.yaml") and "bruges også af" in problem.message
    assert not (tmp_path / "output" / "site").exists()


# --- the real clients ---------------------------------------------------------------------------

@pytest.mark.client
def test_the_second_municipalitys_pages_pass_the_nu_html_checker(site: Path) -> None:
    pages = sorted((site / OTHER).rglob("*.html"))
    assert len(pages) == 3
    assert clients.nu_check(pages, warnings=True) == []


@pytest.mark.client
@pytest.mark.parametrize("page", ["index.html", *(f"{slug}/index.html" for slug in OTHER_SLUGS)])
def test_axe_finds_no_wcag_21_aa_violation_on_the_second_municipalitys_pages(
        site: Path, page: str) -> None:
    root = site / OTHER
    violations = clients.axe([root / page], root=root)[str(root / page)]
    assert [(v["id"], v.get("help")) for v in violations] == [], clients.describe_axe(violations)
