"""The accessibility statement: linked from every page's footer, warned about when missing; and
the catalogue says when the site was last built (without breaking no-op rebuilds)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import Result

from conftest import edit, run
from sitebuild import REAL, copy_standards

STATEMENT = "https://www.was.digst.dk/norddjurs-dk"
LINK = f'<a href="{STATEMENT}">Tilgængelighedserklæring</a>'


def build(sources: Path, out: Path) -> Result:
    result = run("build", sources, "--out", out, "--jobs", "1")
    assert result.exit_code == 0, result.output
    return result


def test_every_page_links_the_statement_from_its_footer(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STANDARDGEN_TODAY", "2026-12-01")
    build(copy_standards(tmp_path / "standards"), tmp_path / "out")
    pages = sorted((tmp_path / "out" / "site").rglob("*.html"))
    assert len(pages) == 2
    for page in pages:
        footer = page.read_text(encoding="utf-8").split('<footer class="site-footer">')[1]
        assert LINK in footer, page


def test_check_warns_at_the_municipality_file_when_the_statement_is_missing(
        tmp_path: Path) -> None:
    sources = copy_standards(tmp_path / "standards")
    town = sources / "municipalities" / "norddjurs.yaml"
    before = json.loads(run("check", sources, "--format", "json").output)
    assert not [p for p in before if p["code"] == "accessibility-statement"]
    edit(town, f"accessibility_statement: {STATEMENT}\n", "")
    result = run("check", sources, "--format", "json")
    assert result.exit_code == 0, result.output
    problems = [p for p in json.loads(result.output) if p not in before]
    assert [(p["file"].endswith("norddjurs.yaml"), p["severity"], p["code"])
            for p in problems] == [(True, "warning", "accessibility-statement")]
    assert "tilgængelighedserklæring" in problems[0]["message"]
    assert problems[0]["line"] >= 1
    # Built anyway, the footer simply has no such link.
    result = run("build", sources, "--out", tmp_path / "out", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert "Tilgængelighedserklæring" not in (tmp_path / "out/site/index.html").read_text(
        encoding="utf-8")


def test_a_statement_that_is_not_an_address_is_an_error(tmp_path: Path) -> None:
    sources = copy_standards(tmp_path / "standards")
    edit(sources / "municipalities" / "norddjurs.yaml", STATEMENT, "was.digst.dk/norddjurs")
    result = run("check", sources, "--format", "json")
    assert result.exit_code == 1
    [problem] = json.loads(result.output)
    assert problem["file"].endswith("norddjurs.yaml") and problem["severity"] == "error"


def built_day(out: Path) -> str:
    text = (out / "site" / "index.html").read_text(encoding="utf-8")
    match = re.search(r"Siden er sidst bygget den ([^<]+)\.</p>", text)
    assert match, "the catalogue does not say when it was built"
    return match.group(1)


def test_the_catalogue_says_when_the_site_was_last_built(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    sources = copy_standards(tmp_path / "standards")
    out = tmp_path / "out"
    monkeypatch.setenv("STANDARDGEN_TODAY", "2026-12-01")
    build(sources, out)
    assert built_day(out) == "1. december 2026"
    first = (out / "site" / "index.html").read_bytes()

    # Nothing changed: nothing is rendered, and the page keeps the day it was made.
    monkeypatch.setenv("STANDARDGEN_TODAY", "2026-12-02")
    result = build(sources, out)
    assert "ingen filer skrevet (intet var ændret)" in result.output
    assert (out / "site" / "index.html").read_bytes() == first

    # A standard changed: the catalogue is rendered again and names the new day.
    edit(sources / f"{REAL}.yaml", 'version: "2023"', 'version: "2023.1"')
    build(sources, out)
    assert built_day(out) == "2. december 2026"

    # The same sources on the same day give the same bytes.
    again = tmp_path / "again"
    build(sources, again)
    assert (again / "site/index.html").read_bytes() == (out / "site/index.html").read_bytes()
