"""`standardgen new`: a scaffold that passes `check` except for the guidance, which is named."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from jinja2 import TemplateRuntimeError

from conftest import without_info
from standardgen.cli import main
from standardgen.scaffold.standard import GUIDANCE, _environment


def _invoke(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args],
                                env={"STANDARDGEN_TODAY": "2025-01-15"})
    return result.exit_code, result.stdout, result.stderr


def test_new_standard_fails_check_only_on_guidance_with_its_lines(standards_copy: Path) -> None:
    code, out, _ = _invoke("new", "praktisk-hjaelp", "--out", standards_copy)
    target = standards_copy / "praktisk-hjaelp.yaml"
    assert code == 0 and out.startswith(f"skrevet: {target}\n")
    lines = target.read_text(encoding="utf-8").splitlines()
    code, out, err = _invoke("check", target)
    assert code == 1
    reported = out.splitlines()
    assert len(reported) >= 15
    assert f"{len(reported)} vejledningstekster skal erstattes" in _invoke(
        "new", "andet", "--out", standards_copy)[1]
    for problem in reported:
        match = re.fullmatch(r".*praktisk-hjaelp\.yaml:(\d+):(\d+): fejl: vejledningen skal "
                             r"erstattes med standardens egen tekst: '.+'", problem)
        assert match, problem
        line, column = int(match.group(1)), int(match.group(2))
        assert lines[line - 1][column - 1:].startswith("[[VEJLEDNING:")
    assert "0 advarsler" in err


def test_new_standard_has_every_section_and_passes_strict_check_once_guidance_is_replaced(
        standards_copy: Path) -> None:
    assert _invoke("new", "praktisk-hjaelp", "--out", standards_copy,
                   "--title", "Kvalitetsstandard: Praktisk hjælp")[0] == 0
    target = standards_copy / "praktisk-hjaelp.yaml"
    text = target.read_text(encoding="utf-8")
    roles = {s["role"] for s in yaml.safe_load(text)["sections"]}
    assert roles == {"legal_basis", "target_group", "purpose", "activities", "criteria",
                     "decision", "delivery", "quality", "follow_up", "complaints", "contact"}
    target.write_text(GUIDANCE.sub("Kommunens egen tekst.", text), encoding="utf-8")
    code, out, _ = _invoke("check", "--strict", target)
    assert (code, without_info(out)) == (0, "")


def test_values_are_quoted_safely(standards_copy: Path) -> None:
    title = 'Titel: med # kommentar, "citat", \'apostrof\'\nny linje og {{ jinja }} & <b>'
    assert _invoke("new", "svaer-titel", "--out", standards_copy, "--title", title)[0] == 0
    data = yaml.safe_load((standards_copy / "svaer-titel.yaml").read_text(encoding="utf-8"))
    assert data["title"] == title
    assert data["municipality"] == "norddjurs"
    assert str(data["approval"]["date"]) == "2025-01-15"
    assert str(data["next_revision"]) == "2026-01-15"


def test_a_template_value_without_the_yaml_filter_is_refused() -> None:
    with pytest.raises(TemplateRuntimeError, match=r"\|yaml"):
        _environment().from_string("title: {{ title }}\n").render(title="x: y")


def test_new_never_overwrites(standards_copy: Path) -> None:
    existing = standards_copy / "aktivitets-og-samvaerstilbud.yaml"
    before = existing.read_bytes()
    code, out, _ = _invoke("new", "aktivitets-og-samvaerstilbud", "--out", standards_copy)
    assert code == 1
    assert "aktivitets-og-samvaerstilbud.yaml:0:0: fejl: filen findes allerede" in out
    assert existing.read_bytes() == before


@pytest.mark.parametrize("slug", ["Praktisk", "praktisk_hjaelp", "x-", "hjælp", "../x", "a--b"])
def test_slug_is_validated(standards_copy: Path, slug: str) -> None:
    code, _, err = _invoke("new", slug, "--out", standards_copy)
    assert code == 2 and "kan ikke bruges som slug" in err
    assert sorted(p.name for p in standards_copy.glob("*.yaml")) == [
        "aktivitets-og-samvaerstilbud.yaml"]


def test_new_makes_the_municipality_file_when_it_is_missing(tmp_path: Path) -> None:
    """An empty standards/ folder is enough to start: the municipality file comes with guidance,
    and check names only that guidance, in both files."""
    folder = tmp_path / "standards"
    code, out, _ = _invoke("new", "praktisk-hjaelp", "--out", folder, "--municipality", "aarhus")
    town = folder / "municipalities" / "aarhus.yaml"
    assert code == 0 and out.startswith(f"skrevet: {town}\nskrevet: {folder}/praktisk-hjaelp")
    code, out, _ = _invoke("check", "--format", "json", folder)
    problems = json.loads(out)
    assert code == 1 and {p["code"] for p in problems} == {"guidance"}
    in_town = [p for p in problems if p["file"].endswith("aarhus.yaml")]
    assert len(in_town) == 8 and all("kommunens egne oplysninger" in p["message"]
                                     for p in in_town)
    lines = town.read_text(encoding="utf-8").splitlines()
    for problem in in_town:
        assert lines[problem["line"] - 1][problem["column"] - 1:].startswith("[[VEJLEDNING:")


def test_without_a_municipality_new_asks_for_one(tmp_path: Path) -> None:
    empty = tmp_path / "tom"
    code, out, _ = _invoke("new", "ny", "--out", empty)
    assert code == 1 and "angiv kommunen med --municipality" in out
    assert not empty.exists()
