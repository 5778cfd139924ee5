"""``standardgen build``: the tree, the text, reproducibility, incremental and atomic behaviour.

Checks here need no external program; the real clients (Nu checker, axe-core, LibreOffice,
pdftotext, pikepdf) are in test_site_clients.py.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner
from docx import Document

from seedtext import missing_units, seed_path
from sitebuild import (
    LOGO_SVG,
    REAL,
    TRICKY,
    TRICKY_SLUG,
    copy_standards,
    html_text,
    tricky_variant,
    variant,
    with_logo,
)
from standardgen.cli import main
from standardgen.publish import documents
from standardgen.publish.build import MANIFEST, BuildResult, build

BASE = "https://example.dk/standarder/"


def _build(sources: Path, out: Path, **options: object) -> BuildResult:
    result = build([sources], out, base_url=BASE, **options)  # type: ignore[arg-type]
    assert result.ok, [p.format() for p in result.problems]
    return result


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("built")
    sources = copy_standards(root / "standards")
    tricky_variant(sources)
    with_logo(sources)
    _build(sources, root / "output")
    return root / "output" / "site"


def test_the_tree_has_every_file(built: Path) -> None:
    names = set(_tree(built))
    for slug in (REAL, TRICKY_SLUG):
        assert {f"{slug}/index.html", f"{slug}/{slug}.pdf", f"{slug}/{slug}.docx",
                f"{slug}/{slug}.json"} <= names
    assert {"index.html", "sitemap.xml", "static/site.css", "static/search.js",
            "static/fonts/OFL.txt", "static/fonts/IBMPlexSans-Regular-Latin1.woff2"} <= names
    assert (built / f"{REAL}/{REAL}.pdf").read_bytes().startswith(b"%PDF-")


def test_every_seed_sentence_is_on_the_web_page(built: Path) -> None:
    assert missing_units(seed_path(), html_text(built / REAL / "index.html")) == []


def test_every_seed_sentence_is_in_the_word_text(built: Path) -> None:
    document = Document(str(built / REAL / f"{REAL}.docx"))
    text = "\n".join(p.text for p in document.paragraphs)
    assert missing_units(seed_path(), text) == []


def test_the_page_shows_version_history_current_first(built: Path) -> None:
    text = html_text(built / TRICKY_SLUG / "index.html")
    current = text.index("2024 (gældende)")
    earlier = text.index("Første udgave & <start>")
    assert current < earlier
    assert "Social- og sundhedsudvalget" in text and "26. april 2023" in text


def test_text_that_needs_escaping_comes_out_literally(built: Path) -> None:
    page = built / TRICKY_SLUG / "index.html"
    assert TRICKY in html_text(page)
    assert "<b>ikke fed</b>" not in page.read_text(encoding="utf-8")
    data = json.loads((built / TRICKY_SLUG / f"{TRICKY_SLUG}.json").read_text(encoding="utf-8"))
    assert data["standard"]["sections"][0]["content"][0] == TRICKY
    document = Document(str(built / TRICKY_SLUG / f"{TRICKY_SLUG}.docx"))
    paragraphs = [p.text for p in document.paragraphs]
    assert TRICKY in paragraphs
    assert "Punkt med & og <" in paragraphs
    assert document.core_properties.title == f"Kvalitetsstandard: {TRICKY}"


def test_emphasis_and_links_survive_into_the_page_and_the_word_document(built: Path) -> None:
    page = (built / TRICKY_SLUG / "index.html").read_text(encoding="utf-8")
    assert ("Læs <em>mere</em> hos <strong>Ankestyrelsen</strong>: "
            '<a href="https://ast.dk/klage">ast.dk</a>.') in page
    path = built / TRICKY_SLUG / f"{TRICKY_SLUG}.docx"
    with zipfile.ZipFile(path) as archive:
        body = archive.read("word/document.xml").decode()
        rels = archive.read("word/_rels/document.xml.rels").decode()
    link_id = re.search(r'Id="(rId\d+)" Type="[^"]+/hyperlink" Target="https://ast.dk/klage"', rels)
    assert link_id
    assert re.search(rf'<w:hyperlink r:id="{link_id.group(1)}"[^>]*>.*?ast\.dk</w:t>', body)
    assert re.search(r"<w:i/>.*?>mere</w:t>", body) and re.search(
        r"<w:b/>.*?>Ankestyrelsen</w:t>", body)


def test_the_word_document_has_real_headings_lists_links_and_properties(built: Path) -> None:
    path = built / REAL / f"{REAL}.docx"
    document = Document(str(path))
    styles = [(p.style.name if p.style else None, p.text) for p in document.paragraphs if p.text]
    assert styles[0] == ("Heading 1", "Kvalitetsstandard: Aktivitets- og samværstilbud")
    assert ("Heading 2", "Målgruppe") in styles and ("Heading 2", "Versioner") in styles
    bullets = [text for style, text in styles if style == "List Bullet"]
    assert bullets == ["Sanse- og motoriske aktiviteter", "Kreative udfordringer",
                       "Sang og bevægelse", "Sundhed, kost og motion", "Socialt samvær"]
    assert not any(text.lstrip().startswith("•") for _, text in styles)
    with zipfile.ZipFile(path) as archive:
        styles_xml = archive.read("word/styles.xml").decode()
        numbering = archive.read("word/numbering.xml").decode()
        body = archive.read("word/document.xml").decode()
        rels = archive.read("word/_rels/document.xml.rels").decode()
        footer = "".join(archive.read(n).decode() for n in archive.namelist()
                         if re.fullmatch(r"word/footer\d*\.xml", n))
        header = "".join(archive.read(n).decode() for n in archive.namelist()
                         if re.fullmatch(r"word/header\d*\.xml", n))
    list_style = re.search(r'<w:style [^>]*w:styleId="ListBullet".*?</w:style>', styles_xml, re.S)
    assert list_style and (num := re.search(r'<w:numId w:val="(\d+)"/>', list_style.group(0)))
    assert f'<w:num w:numId="{num.group(1)}"' in numbering and 'w:val="bullet"' in numbering
    assert 'w:val="da-DK"' in styles_xml
    assert document.core_properties.language == "da-DK"
    assert document.core_properties.title == "Kvalitetsstandard: Aktivitets- og samværstilbud"
    assert "PAGE" in footer and "NUMPAGES" in footer and "Side " in footer
    assert "Norddjurs Kommune" in header
    assert "<w:hyperlink" in body
    assert "https://norddjurs.dk/om-kommunen/generel-information-om-norddjurs/" in rels
    assert "{{" not in body and "{%" not in body


def test_pages_carry_government_service_json_ld(built: Path) -> None:
    page = (built / REAL / "index.html").read_text(encoding="utf-8")
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert match
    data = json.loads(match.group(1))
    assert data["@type"] == "GovernmentService"
    assert data["provider"]["name"] == "Norddjurs Kommune"
    assert data["serviceType"] == "Lov om social service § 104"
    assert data["url"] == f"{BASE}{REAL}/"
    index = (built / "index.html").read_text(encoding="utf-8")
    listing = re.search(r'<script type="application/ld\+json">(.*?)</script>', index, re.S)
    assert listing
    items = json.loads(listing.group(1))["itemListElement"]
    assert {item["item"]["url"] for item in items} == {f"{BASE}{REAL}/", f"{BASE}{TRICKY_SLUG}/"}
    tricky = (built / TRICKY_SLUG / "index.html").read_text(encoding="utf-8")
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', tricky, re.S)
    assert script and "<" not in script.group(1)


def test_sitemap_lists_the_catalogue_and_every_standard(built: Path) -> None:
    tree = ElementTree.parse(built / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [loc.text or "" for loc in tree.getroot().findall("s:url/s:loc", ns)]
    assert sorted(locs) == sorted([BASE, f"{BASE}{REAL}/", f"{BASE}{TRICKY_SLUG}/"])


def test_no_request_leaves_the_site(built: Path) -> None:
    resource = re.compile(r'<(?:link|script|img|source|iframe)\b[^>]*?\b(?:href|src)="([^"]*)"')
    for page in built.rglob("*.html"):
        for line in page.read_text(encoding="utf-8").splitlines():
            match = resource.search(line)
            if match and 'rel="canonical"' not in line:
                assert not re.match(r"^(https?:)?//", match.group(1)), (page, line)
    css = (built / "static" / "site.css").read_text(encoding="utf-8")
    assert re.findall(r'url\("([^"]+)"\)', css)
    for url in re.findall(r'url\("([^"]+)"\)', css):
        assert (built / "static" / url).is_file(), url


def test_catalogue_works_without_javascript_and_lists_every_standard(built: Path) -> None:
    page = (built / "index.html").read_text(encoding="utf-8")
    assert re.search(r"<form[^>]*data-search[^>]*hidden", page), "search only with JavaScript"
    text = html_text(built / "index.html")
    assert "Kvalitetsstandard: Aktivitets- og samværstilbud" in text
    assert "Godkendt i Voksen- og plejeudvalget den 26. april 2023" in text
    assert f'href="{REAL}/{REAL}.pdf"' in page and f'href="{REAL}/"' in page


def test_search_words_are_folded_like_danish_users_type(built: Path) -> None:
    assert documents.fold("SAMVÆR på Ærø, Åbenrå") == ["samvaer", "paa", "aeroe", "aabenraa"]
    assert documents.fold("§ 104 Café") == ["104", "cafe"]
    page = (built / "index.html").read_text(encoding="utf-8")
    words = re.search(r'<li class="card" data-search="([^"]*)"', page)
    assert words and {"samvaerstilbud", "104", "norddjurs"} <= set(words.group(1).split())


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    sources = copy_standards(tmp_path / "standards")
    _build(sources, tmp_path / "a")
    _build(sources, tmp_path / "b", jobs=1)
    first, second = _tree(tmp_path / "a"), _tree(tmp_path / "b")
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []
    assert MANIFEST in first


def test_no_op_rebuild_renders_nothing(tmp_path: Path) -> None:
    sources = copy_standards(tmp_path / "standards")
    out = tmp_path / "output"
    _build(sources, out)
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    again = _build(sources, out)
    assert again.written == () and again.removed == ()
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()
            if p.name != MANIFEST} == {p: t for p, t in stamps.items() if p.name != MANIFEST}


def test_a_changed_standard_re_renders_only_its_files_and_the_catalogue(tmp_path: Path) -> None:
    sources = copy_standards(tmp_path / "standards")
    variant(sources, "anden-standard", title="Kvalitetsstandard: Anden")
    out = tmp_path / "output"
    _build(sources, out)
    variant(sources, "anden-standard", title="Kvalitetsstandard: Anden, rettet")
    result = _build(sources, out)
    slug = "anden-standard"
    assert set(result.written) == {f"{slug}/index.html", f"{slug}/{slug}.pdf",
                                   f"{slug}/{slug}.docx", f"{slug}/{slug}.json",
                                   "index.html", "sitemap.xml"}
    assert "rettet" in html_text(out / "site" / "index.html")


def test_a_comment_change_renders_nothing(tmp_path: Path) -> None:
    sources = copy_standards(tmp_path / "standards")
    out = tmp_path / "output"
    _build(sources, out)
    path = sources / f"{REAL}.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# en kommentar\n", encoding="utf-8")
    assert _build(sources, out).written == ()


@pytest.mark.slow  # several seconds: left out of `make quick`
def test_a_damaged_manifest_means_a_full_build(tmp_path: Path) -> None:
    sources = copy_standards(tmp_path / "standards")
    out = tmp_path / "output"
    _build(sources, out)
    for damage in ('{"format": 2, "inputs": "x", "groups": {"a": 1}}', "[]", "{", ""):
        (out / MANIFEST).write_text(damage, encoding="utf-8")
        assert f"{REAL}/{REAL}.pdf" in _build(sources, out).written


def test_warnings_are_repeated_by_a_no_op_rebuild(tmp_path: Path) -> None:
    sources = copy_standards(tmp_path / "standards")
    variant(sources, "uden-frister", links=[])
    out = tmp_path / "output"
    first = _build(sources, out)
    assert [p.code for p in first.problems] == ["missing-recommended"]
    again = _build(sources, out)
    assert again.written == () and again.problems == first.problems


def test_a_deleted_output_file_is_rendered_again(tmp_path: Path) -> None:
    sources = copy_standards(tmp_path / "standards")
    out = tmp_path / "output"
    _build(sources, out)
    (out / "site" / REAL / f"{REAL}.pdf").unlink()
    assert f"{REAL}/{REAL}.pdf" in _build(sources, out).written


def test_temporary_files_of_a_killed_build_are_cleaned_up(tmp_path: Path) -> None:
    sources = copy_standards(tmp_path / "standards")
    out = tmp_path / "output"
    _build(sources, out)
    leftover = out / "site" / REAL / f".{REAL}.pdf.abc123.tmp"
    leftover.write_bytes(b"%PDF- half")
    variant(sources, "ny", title="Kvalitetsstandard: Ny")
    _build(sources, out)
    assert not leftover.exists()


def test_a_removed_standard_disappears_from_the_output(tmp_path: Path) -> None:
    sources = copy_standards(tmp_path / "standards")
    extra = variant(sources, "udgaar", title="Kvalitetsstandard: Udgår")
    out = tmp_path / "output"
    _build(sources, out)
    assert (out / "site" / "udgaar" / "udgaar.pdf").is_file()
    extra.unlink()
    result = _build(sources, out)
    assert not (out / "site" / "udgaar").exists()
    assert "udgaar/udgaar.pdf" in result.removed
    assert "Udgår" not in html_text(out / "site" / "index.html")


def test_a_build_that_fails_validation_writes_nothing(tmp_path: Path) -> None:
    sources = copy_standards(tmp_path / "standards")
    variant(sources, "forkert", approval={"body": "Udvalget", "date": "2023-02-30"})
    out = tmp_path / "output"
    result = build([sources], out, base_url=BASE)
    assert not result.ok and not out.exists()
    assert any("forkert.yaml" in p.file for p in result.problems)


def test_a_failed_build_leaves_the_previous_output_untouched(tmp_path: Path) -> None:
    sources = copy_standards(tmp_path / "standards")
    out = tmp_path / "output"
    _build(sources, out)
    before = _tree(out)
    path = sources / f"{REAL}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("title: ", "titel: ", 1),
                    encoding="utf-8")
    assert not build([sources], out, base_url=BASE).ok
    assert _tree(out) == before


def test_a_broken_template_is_a_located_problem_and_writes_nothing(tmp_path: Path) -> None:
    sources = copy_standards(tmp_path / "standards")
    templates = tmp_path / "templates"
    shutil.copytree(Path(documents.__file__).resolve().parents[3] / "templates", templates)
    page = templates / "site" / "standard.html"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "{{ standard.title }}{% endblock %}", "{{ standard.titel }}{% endblock %}", 1),
        encoding="utf-8")
    out = tmp_path / "output"
    result = build([sources], out, base_url=BASE, templates=templates)
    assert not result.ok and not out.exists()
    problem = result.problems[-1]
    assert problem.code == "template" and problem.file.endswith("standard.html")
    assert problem.line == 3 and "titel" in problem.message


def test_the_municipality_logo_is_published_beside_the_name(built: Path) -> None:
    logo = built / "static" / "logo-norddjurs.svg"
    assert logo.read_text(encoding="utf-8") == LOGO_SVG
    for page, root in (("index.html", ""), (f"{REAL}/index.html", "../")):
        text = (built / page).read_text(encoding="utf-8")
        assert f'<img class="site-logo" src="{root}static/logo-norddjurs.svg" alt="">' in text
        assert "Norddjurs Kommune</a>" in text  # the name stays as text beside the image


def test_a_changed_logo_re_renders_only_the_static_group(tmp_path: Path) -> None:
    sources = copy_standards(tmp_path / "standards")
    logo = with_logo(sources)
    _build(sources, tmp_path / "output")
    logo.write_text(LOGO_SVG.replace("#004993", "#7a1f2b"), encoding="utf-8")
    result = _build(sources, tmp_path / "output")
    assert "static/logo-norddjurs.svg" in result.written
    assert all(name.startswith("static/") for name in result.written)  # no page, PDF or Word
    assert "#7a1f2b" in (tmp_path / "output/site/static/logo-norddjurs.svg").read_text("utf-8")


@pytest.mark.parametrize(("name", "message"), [
    ("logo.gif", "logoet skal være en SVG- eller PNG-fil"),
    ("mangler.svg", "findes ikke (stien regnes fra kommunefilen)"),
])
def test_a_bad_logo_is_a_located_problem_and_writes_nothing(tmp_path: Path, name: str,
                                                            message: str) -> None:
    sources = copy_standards(tmp_path / "standards")
    town = sources / "municipalities" / "norddjurs.yaml"
    town.write_text(town.read_text(encoding="utf-8") + f"logo: {name}\n", encoding="utf-8")
    result = build([sources], tmp_path / "output", base_url=BASE)
    [problem] = result.problems
    assert problem.file.endswith("norddjurs.yaml") and problem.code == "logo"
    assert problem.line == len(town.read_text(encoding="utf-8").splitlines())
    assert message in problem.message
    assert not (tmp_path / "output").exists()


def test_a_theme_colour_with_too_little_contrast_is_refused(tmp_path: Path) -> None:
    sources = copy_standards(tmp_path / "standards")
    town = sources / "municipalities" / "norddjurs.yaml"
    town.write_text(town.read_text(encoding="utf-8") + "theme:\n  primary: '#ffd700'\n",
                    encoding="utf-8")
    result = build([sources], tmp_path / "output", base_url=BASE)
    assert [p.code for p in result.problems] == ["theme-contrast"]
    # Located on the colour in the municipality file, and `check` finds it before any build.
    [problem] = result.problems
    assert problem.file.endswith("norddjurs.yaml")
    assert problem.line == len(town.read_text(encoding="utf-8").splitlines())
    assert "#ffd700" in problem.message and "4,5:1" in problem.message
    assert CliRunner().invoke(main, ["check", str(sources)]).exit_code == 1
    assert not (tmp_path / "output").exists()
    town.write_text(town.read_text(encoding="utf-8").replace("#ffd700", "#7a1f2b"),
                    encoding="utf-8")
    _build(sources, tmp_path / "output")
    assert "--primary: #7a1f2b" in (tmp_path / "output/site/index.html").read_text("utf-8")


def test_cli_build_and_its_exit_codes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sources = copy_standards(tmp_path / "standards")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    ok = runner.invoke(main, ["build", "standards", "--out", "out", "--base-url", BASE])
    assert ok.exit_code == 0, ok.output
    assert (tmp_path / "out" / "site" / REAL / f"{REAL}.docx").is_file()
    (sources / f"{REAL}.yaml").write_text("slug: [\n", encoding="utf-8")
    bad = runner.invoke(main, ["build", "standards", "--out", "out"])
    assert bad.exit_code == 1
    assert re.search(rf"standards/{REAL}\.yaml:\d+:\d+: fejl: ", bad.output)
    assert runner.invoke(main, ["build", "findes-ikke"]).exit_code == 2


def test_check_prints_github_annotations_and_gitlab_code_quality(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sources = copy_standards(tmp_path / "standards")
    path = sources / f"{REAL}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("date: 2023-04-26", "date: 2023-02-30"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    github = runner.invoke(main, ["check", "--strict", "--format", "github", "standards"])
    assert github.exit_code == 1
    line = next(n for n, text in enumerate(path.read_text("utf-8").splitlines(), 1)
                if "2023-02-30" in text)
    assert re.search(rf"^::error file=standards/{REAL}\.yaml,line={line},col=\d+(,title=[^:]+)?::",
                     github.stdout, re.M), github.stdout
    gitlab = runner.invoke(main, ["check", "--format", "gitlab", "standards"])
    report = json.loads(gitlab.stdout)
    assert report[0]["location"] == {"path": f"standards/{REAL}.yaml", "lines": {"begin": line}}
    assert report[0]["severity"] == "major" and len(report[0]["fingerprint"]) == 64


@pytest.mark.slow  # several seconds: left out of `make quick`
def test_parallel_builds_give_the_same_bytes_as_a_serial_one(tmp_path: Path) -> None:
    """Forked from the warm process, or started fresh while another thread runs (serve)."""
    import threading

    sources = copy_standards(tmp_path / "standards")
    for n in range(4):
        variant(sources, f"variant-{n}", title=f"Kvalitetsstandard: Variant {n}")
    _build(sources, tmp_path / "serial", jobs=1)
    _build(sources, tmp_path / "forked", jobs=2)
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        _build(sources, tmp_path / "fresh", jobs=2)
    finally:
        release.set()
        other.join()
    serial = _tree(tmp_path / "serial" / "site")
    assert len(serial) > 20
    assert _tree(tmp_path / "forked" / "site") == serial
    assert _tree(tmp_path / "fresh" / "site") == serial


def test_ci_examples_check_strictly_build_and_publish_the_site() -> None:
    import yaml

    folder = Path(__file__).resolve().parents[1] / "examples" / "ci"
    github = yaml.safe_load((folder / "github-actions.yml").read_text(encoding="utf-8"))
    steps = [step.get("run", "") for step in github["jobs"]["build"]["steps"]]
    assert any("standardgen check --strict --format github standards" in s for s in steps)
    assert any(s.startswith("standardgen build standards --out output") for s in steps)
    uploads = [step for step in github["jobs"]["build"]["steps"]
               if step.get("uses", "").startswith("actions/upload-pages-artifact")]
    assert uploads[0]["with"]["path"] == "output/site"
    gitlab = yaml.safe_load((folder / "gitlab-ci.yml").read_text(encoding="utf-8"))
    assert "standardgen check --strict --format gitlab" in gitlab["check"]["script"][0]
    assert gitlab["check"]["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    assert gitlab["build"]["artifacts"]["paths"] == ["output/site"]
    assert gitlab["pages"]["script"] == ["mv output/site public"]
