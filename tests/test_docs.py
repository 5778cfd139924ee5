"""The documentation site (issue 24): the generated reference pages name every command, case
field, CSV column and YAML key, checked against the code by another road than the generator's
(the models' own fields, the command line's own help); and `mkdocs build --strict` fails on a
broken internal link, so CI's `make docs` really checks them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import types
import typing
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import BaseModel

from conftest import ROOT, run


def _fields(model: type[BaseModel], prefix: str = "") -> Iterator[str]:
    """Every field of a pydantic model as a dotted path, through nested models, lists of them
    (``sections[].title``) and optional ones: the model's own declaration, not its schema."""
    for name, info in model.model_fields.items():
        key = info.alias or name
        yield prefix + key
        for inner, many in _models(info.annotation):
            yield from _fields(inner, f"{prefix}{key}{'[]' if many else ''}.")


def _models(annotation: object, many: bool = False) -> Iterator[tuple[type[BaseModel], bool]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation, many
        return
    origin = typing.get_origin(annotation)
    listed = origin in (list, tuple, set, frozenset)
    if origin is typing.Annotated:
        yield from _models(typing.get_args(annotation)[0], many)
        return
    if origin in (typing.Union, types.UnionType) or listed:
        for arg in typing.get_args(annotation):
            yield from _models(arg, many or listed)


def _page(name: str) -> str:
    from standardgen.cli.reference import PAGES

    return PAGES[f"reference/{name}"]()


def test_every_command_is_in_the_reference() -> None:
    page = _page("kommandoer.md")
    listed = re.findall(r"^  ([a-z]+)  ", run("--help").output, re.M)
    assert len(listed) >= 12, listed
    for command in listed:
        assert f"## `standardgen {command}`" in page, command
        for option in re.findall(r"(--[a-z][a-z-]+)", run(command, "--help").output):
            assert option in page.split(f"## `standardgen {command}`")[1], (command, option)
    assert "## `standardgen form read`" in page and "## `standardgen form render`" in page


def test_every_case_field_and_csv_column_is_in_the_reference() -> None:
    from standardgen.cases.model import case_model
    from standardgen.cases.read import COLUMNS
    from standardgen.standards.profiles import service_profiles

    page = _page("sagsfelter.md")
    fields = set(_fields(case_model(None)))
    for profile in service_profiles():
        fields |= {f for f in _fields(case_model(profile.name)) if f.startswith("extent.")}
    assert len(fields) >= 40
    missing = sorted(f for f in fields if f"`{f}`" not in page)
    assert missing == []
    csv_part = page.split("## CSV-kolonner", 1)[1]
    assert [column for column in COLUMNS if f"| `{column}` |" not in csv_part] == []


def test_every_yaml_key_is_in_the_reference() -> None:
    from standardgen.standards.model import Municipality, Standard

    page = _page("yaml-noegler.md")
    standard, town = page.split("## Kommunefilen", 1)
    for model, part in ((Standard, standard), (Municipality, town)):
        keys = set(_fields(model))
        assert len(keys) >= 8
        assert sorted(key for key in keys if f"`{key}`" not in part) == []


def test_every_profile_and_letter_kind_is_in_the_reference() -> None:
    from standardgen.cases.letter_kinds import letter_kinds
    from standardgen.standards.profiles import all_profiles

    profiles = _page("yaml-noegler.md").split("## Serviceprofiler", 1)[1]
    assert all(f"| `{p.name}` |" in profiles for p in all_profiles())
    kinds = _page("brevtyper.md")
    assert all(f"| `{k.name}` | {k.label} |" in kinds for k in letter_kinds())


# --- the site ----------------------------------------------------------------------------------

def _build(root: Path, out: Path) -> subprocess.CompletedProcess[str]:
    mkdocs = Path(sys.executable).parent / "mkdocs"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([str(mkdocs), "build", "--strict", "--site-dir", str(out)], cwd=root,
                          capture_output=True, text=True, env=env, timeout=300)


@pytest.mark.slow
def test_the_site_builds_with_every_page_and_the_generated_reference(tmp_path: Path) -> None:
    done = _build(ROOT, tmp_path / "site")
    assert done.returncode == 0, done.stderr
    site = tmp_path / "site"
    built = {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
    pages = {p.relative_to(ROOT / "docs").with_suffix(".html").as_posix()
             for p in (ROOT / "docs").rglob("*.md") if "hooks" not in p.parts}
    assert pages <= built, pages - built
    assert {"reference/kommandoer.html", "reference/sagsfelter.html",
            "reference/yaml-noegler.html", "reference/brevtyper.html"} <= built
    html = (tmp_path / "site" / "reference" / "kommandoer.html").read_text(encoding="utf-8")
    assert 'lang="da"' in html and "standardgen init" in html


@pytest.mark.slow
@pytest.mark.parametrize("link", ["[x](../it/findes-ikke.md)",
                                  "[x](../it/installation.md#ingen-saadan-overskrift)"])
def test_a_broken_internal_link_fails_the_build(tmp_path: Path, link: str) -> None:
    copy = tmp_path / "repo"
    copy.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", copy / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", copy / "docs")
    page = copy / "docs" / "redaktoer" / "kom-i-gang.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\nSe {link}.\n", encoding="utf-8")
    done = _build(copy, tmp_path / "site")
    assert done.returncode != 0
    assert "kom-i-gang.md" in done.stderr


@pytest.mark.slow
def test_a_new_page_lands_in_the_menu_without_an_edit_to_the_config(tmp_path: Path) -> None:
    """Another change adds docs/memo.md: the site builds (strict) and its menu names the page
    under "Flere sider", with no edit to mkdocs.yml."""
    copy = tmp_path / "repo"
    copy.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", copy / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", copy / "docs")
    (copy / "docs" / "memo.md").write_text("# Digital Post med MeMo\n\nTekst.\n",
                                           encoding="utf-8")
    done = _build(copy, tmp_path / "site")
    assert done.returncode == 0, done.stderr
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "Flere sider" in index and 'href="memo.html"' in index
