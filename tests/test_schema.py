"""The JSON Schemas: generated from the model, committed, used by editors, and they agree with
the model on the real files."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from conftest import NORDDJURS, ROOT, STANDARDS
from standardgen.cases.schema import SCHEMAS, render, schema_of
from standardgen.cli import main
from standardgen.core.yamlsource import load_yaml
from standardgen.standards.profiles import service_profiles

SCHEMA_DIR = ROOT / "schema"
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(?P<path>\S+)$")
TOWN = STANDARDS / "municipalities" / "norddjurs.yaml"


def validator(kind: str) -> jsonschema.Draft202012Validator:
    cls = jsonschema.Draft202012Validator
    return cls(schema_of(kind), format_checker=cls.FORMAT_CHECKER)


def yaml_data(path: Path) -> dict[str, Any]:
    return load_yaml(path).data


def yaml_files() -> list[Path]:
    return sorted(STANDARDS.rglob("*.yaml"))


def test_schema_command_writes_both(tmp_path: Path) -> None:
    out = tmp_path / "ny" / "mappe"
    result = CliRunner().invoke(main, ["schema", "--out", str(out)])
    assert result.exit_code == 0, result.output
    # One case schema per service profile: a new profile file gives its schema, no code.
    profiles = [f"case-{profile.name}" for profile in service_profiles()]
    assert {"case-sel-104", "case-sel-112", "case-sel-83", "case-sel-85"} <= set(profiles)
    assert sorted(p.name for p in out.iterdir()) == sorted([
        "case.schema.json", *(f"{name}.schema.json" for name in profiles),
        "municipality.schema.json", "standard.schema.json"])  # no temp files
    assert result.stdout.splitlines() == [
        f"skrevet: {out / 'standard.schema.json'}", f"skrevet: {out / 'municipality.schema.json'}",
        f"skrevet: {out / 'case.schema.json'}",
        *(f"skrevet: {out / name}.schema.json" for name in profiles)]
    for kind in SCHEMAS:
        written = (out / f"{kind}.schema.json").read_text(encoding="utf-8")
        assert written == render(kind)
        schema = json.loads(written)
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_schema_command_default_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(main, ["schema"]).exit_code == 0
    assert (tmp_path / "schema" / "standard.schema.json").is_file()


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
def test_committed_schema_is_up_to_date(kind: str) -> None:
    committed = (SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8")
    assert committed == render(kind), (
        f"schema/{kind}.schema.json differs from the model: run 'make schema' and commit it")


def test_schema_titles_and_descriptions_are_danish() -> None:
    schema = schema_of("standard")
    assert schema["title"] == "Kvalitetsstandard"
    assert schema_of("municipality")["title"] == "Kommune"
    assert schema_of("case")["title"] == "Sag"
    assert "ÅÅÅÅ-MM-DD" in schema["$defs"]["Approval"]["properties"]["date"]["description"]


def test_norddjurs_validates_against_the_schema() -> None:
    errors = [e.message for e in validator("standard").iter_errors(yaml_data(NORDDJURS))]
    assert errors == []


def test_municipality_validates_against_the_schema() -> None:
    assert [e.message for e in validator("municipality").iter_errors(yaml_data(TOWN))] == []


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda d: d.update(titel=d.pop("title")), []),
        (lambda d: d["approval"].update(date="2023-02-30"), ["approval", "date"]),
        (lambda d: d["sections"][0].update(role="kvalitet"), ["sections", 0, "role"]),
        (lambda d: d["sections"][0]["content"].append({"text": "uden id"}),
         ["sections", 0, "content", 2]),
        (lambda d: d.update(slug="Store Bogstaver"), ["slug"]),
        (lambda d: d["links"][0].update(url="norddjurs.dk"), ["links", 0, "url"]),
    ],
    ids=["unknown-key", "impossible-date", "role", "paragraph-without-id", "slug", "url"],
)
def test_schema_refuses_what_the_model_refuses(change: Any, path: list[object]) -> None:
    data = yaml_data(NORDDJURS)
    change(data)
    errors = list(validator("standard").iter_errors(data))
    assert errors, "the schema accepted a broken standard"
    assert {tuple(e.absolute_path) for e in errors} == {tuple(path)}


CASES = ROOT / "examples" / "cases"


def as_editor_sees(path: Path) -> Any:
    """The YAML as an editor's language server reads it: numbers as numbers, dates as text."""
    import yaml

    return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))


@pytest.mark.parametrize("path", sorted(CASES.glob("*.yaml")), ids=lambda p: p.name)
def test_example_cases_name_and_satisfy_the_case_schema(path: Path) -> None:
    match = MODELINE.match(path.read_text(encoding="utf-8").splitlines()[0])
    assert match, f"{path}: first line must be '# yaml-language-server: $schema=...'"
    # The schema of the service profile of the case's standard (§ 104: case-sel-104).
    assert (path.parent / match["path"]).resolve() == SCHEMA_DIR / "case-sel-104.schema.json"
    for kind in ("case", "case-sel-104"):
        assert [e.message for e in validator(kind).iter_errors(as_editor_sees(path))] == []


def test_the_case_schema_refuses_a_bad_cpr_number() -> None:
    data = as_editor_sees(CASES / "bevilget.yaml")
    data["citizen"]["cpr"] = "12-34"
    [error] = validator("case").iter_errors(data)
    assert list(error.absolute_path) == ["citizen", "cpr"]


def test_every_yaml_file_names_its_schema() -> None:
    files = yaml_files()
    assert NORDDJURS in files and TOWN in files
    for path in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        match = MODELINE.match(first)
        assert match, f"{path}: first line must be '# yaml-language-server: $schema=...'"
        kind = "municipality" if path.parent.name == "municipalities" else "standard"
        target = (path.parent / match["path"]).resolve()
        assert target == SCHEMA_DIR / f"{kind}.schema.json", path
        assert target.is_file()
