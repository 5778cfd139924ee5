"""Service profiles (data), letter kinds (one declaration) and the one case validation entry
point: the case schema follows the standard's profile, check tells what a letter lacks."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from conftest import ROOT, STANDARDS
from standardgen.cases import letter_kinds as kinds
from standardgen.cases.check import case_schema, check_case
from standardgen.cli import main
from standardgen.core.codes import Code
from standardgen.core.problems import Severity
from standardgen.standards.catalogue import LoadedStandard, load_catalogue
from standardgen.standards.profiles import load_profile, profile_for, service_profiles

SOLBAKKE = ROOT / "examples" / "solbakke"
SOL_STANDARDS = SOLBAKKE / "standards"
SOL_CASES = SOLBAKKE / "cases"
NORDDJURS_CASES = ROOT / "examples" / "cases"


@pytest.fixture(scope="module")
def standards() -> dict[str, LoadedStandard]:
    catalogue = load_catalogue([STANDARDS, SOL_STANDARDS])
    assert catalogue.ok, catalogue.problems
    return {item.slug: item for item in catalogue.standards}


# --- profiles ----------------------------------------------------------------------------------

def test_profiles_ship_for_83_85_104_112_and_are_found_by_paragraph(
        standards: dict[str, LoadedStandard]) -> None:
    # Found in the data folder: a new profile file is a new service type, no code.
    assert {p.name for p in service_profiles()} >= {"sel-104", "sel-112", "sel-83", "sel-85"}
    found = {slug: item.profile.name for slug, item in standards.items() if item.profile}
    assert found == {"aktivitets-og-samvaerstilbud": "sel-104",
                     "socialpaedagogisk-stoette": "sel-85",
                     "personlig-og-praktisk-hjaelp": "sel-83"}  # "§ 83, stk. 1" too
    hours = load_profile("sel-85")
    assert hours is not None and hours.extent["hours_per_week"].unit == ("time", "timer")
    assert hours.follow_up_months == 6
    aid = load_profile("sel-112")
    assert aid is not None and set(aid.extent) == {"aid", "supplier"}


def test_a_paragraph_without_a_profile_gets_no_letters_located_on_the_case(
        tmp_path: Path) -> None:
    folder = tmp_path / "standards"
    shutil.copytree(STANDARDS, folder)
    standard = folder / "aktivitets-og-samvaerstilbud.yaml"
    standard.write_text(standard.read_text(encoding="utf-8").replace(
        'paragraph: "§ 104"\n  ffb', 'paragraph: "§ 110"\n  ffb'), encoding="utf-8")
    loaded = load_catalogue([folder])
    assert loaded.ok and loaded.standards[0].profile is None
    # Said at the standard by `check`, as information: it can be published, not used for letters.
    said = [p for p in loaded.problems if p.code == Code.NO_PROFILE_YET]
    assert len(said) == 1 and said[0].severity is Severity.INFO
    assert said[0].message.startswith("§ 110 har ingen serviceprofil endnu: standarden kan udgives")
    assert "§ 107" in said[0].message and "§ 116" in said[0].message
    assert profile_for(loaded.standards[0].standard) == load_profile("serviceloven")
    result = CliRunner().invoke(main, ["letter", str(NORDDJURS_CASES / "bevilget.yaml"),
                                       "--standards", str(folder), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert re.search(r"bevilget\.yaml:4:11: .*har ingen serviceprofil", result.output)


# --- the case schema follows the profile --------------------------------------------------------

def _case(slug: str, extent: str) -> str:
    text = (NORDDJURS_CASES / "bevilget.yaml").read_text(encoding="utf-8")
    text = text.replace("standard: aktivitets-og-samvaerstilbud", f"standard: {slug}")
    return text.split("extent:")[0] + extent + "follow_up:\n  due: 2027-03-01\n"


HOURS = "extent:\n  hours_per_week: 2,5\n  start_date: 2026-03-16\n"


def test_hours_per_week_is_accepted_for_85_and_refused_for_104_on_the_field(
        standards: dict[str, LoadedStandard]) -> None:
    ok = check_case(_case("socialpaedagogisk-stoette", HOURS), "sag.yaml", standards)
    assert ok.ok, [p.format() for p in ok.problems]
    assert ok.source is not None and ok.source.case.extent is not None
    assert ok.source.case.extent.values()["hours_per_week"] == 2.5  # Danish decimal comma
    refused = check_case(_case("aktivitets-og-samvaerstilbud", HOURS), "sag.yaml", standards)
    assert not refused.ok
    lines = {(p.line, p.column, p.message) for p in refused.problems}
    text = _case("aktivitets-og-samvaerstilbud", HOURS).splitlines()
    row = next(i for i, line in enumerate(text, 1) if "hours_per_week" in line)
    assert (row, 3, "Omfang (timer om ugen): hører ikke til denne sag (standardens ydelse "
                    "eller brevtypen)") in lines
    assert any("Omfang (dage om ugen): skal udfyldes" in m for _, _, m in lines)


def test_the_check_entry_point_takes_a_mapping_too(standards: dict[str, LoadedStandard]) -> None:
    import yaml

    data = yaml.safe_load(_case("socialpaedagogisk-stoette", HOURS))
    assert check_case(data, "desk:1", standards).ok
    data["result"] = "ophoer"
    checked = check_case(data, "desk:1", standards)
    assert not checked.ok and {p.file for p in checked.problems} == {"desk:1"}
    codes = {p.code for p in checked.problems}
    assert {"missing-end", "unused-field", "missing-reasons", "missing-hearing"} <= codes


def test_case_schema_per_standard_and_kind(standards: dict[str, LoadedStandard]) -> None:
    schema = case_schema(standards["socialpaedagogisk-stoette"], "aendring")
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["properties"]["result"]["const"] == "aendring"
    assert {"extent", "previous_extent", "change"} <= set(schema["required"])
    assert "end" not in schema["properties"]
    extent = schema["$defs"]["Omfang_sel_85"]["properties"]
    assert extent["hours_per_week"]["minimum"] == 0.25
    ophoer = case_schema(standards["socialpaedagogisk-stoette"], "ophoer")
    assert "extent" not in ophoer["properties"] and "end" in ophoer["required"]
    with pytest.raises(KeyError):
        case_schema(standards["socialpaedagogisk-stoette"], "ukendt")


def _as_editor_sees(path: Path) -> object:
    import json

    import yaml

    return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))


@pytest.mark.parametrize("path", sorted(p for p in SOL_CASES.glob("2026-*.yaml")
                                        if "-aendring" not in p.name), ids=lambda p: p.name)
def test_example_cases_satisfy_the_schema_of_their_standard_and_kind(
        path: Path, standards: dict[str, LoadedStandard]) -> None:
    data = _as_editor_sees(path)
    assert isinstance(data, dict)
    schema = case_schema(standards[data["standard"]], data["result"])
    validator = jsonschema.Draft202012Validator(schema)
    assert [e.message for e in validator.iter_errors(data)] == []
    first = path.read_text(encoding="utf-8").splitlines()[0]
    profile = standards[data["standard"]].profile
    assert profile is not None and first.endswith(f"case-{profile.name}.schema.json")


# --- check tells what a letter lacks -------------------------------------------------------------

def _check(folder: Path) -> list[str]:
    result = CliRunner().invoke(main, ["check", "--format", "text", str(folder)])
    return result.output.splitlines()


def test_check_reports_a_missing_quoted_block_on_its_section(tmp_path: Path) -> None:
    folder = tmp_path / "standards"
    shutil.copytree(STANDARDS, folder)
    standard = folder / "aktivitets-og-samvaerstilbud.yaml"
    text = standard.read_text(encoding="utf-8")
    standard.write_text(text.replace("- id: leverandoer", "- id: levering-tekst"),
                        encoding="utf-8")
    section = next(i for i, line in enumerate(text.splitlines(), 1) if "- id: levering" in line)
    lines = _check(folder)
    assert any(re.search(rf"aktivitets-og-samvaerstilbud\.yaml:{section}:5: .*tekst-id "
                         r"'leverandoer'", line) for line in lines), lines
    assert not any(":0:0:" in line for line in lines)


def test_optional_blocks_are_not_required_by_check(tmp_path: Path) -> None:
    folder = tmp_path / "standards"
    shutil.copytree(STANDARDS, folder)
    standard = folder / "aktivitets-og-samvaerstilbud.yaml"
    text = standard.read_text(encoding="utf-8")
    standard.write_text(text.replace("      - id: koersel\n        text: Der er ingen udgifter "
                                     "for borgeren til kørsel.\n", ""), encoding="utf-8")
    assert "koersel" not in standard.read_text(encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--strict", str(folder)])
    assert result.exit_code == 0, result.output


def test_several_sections_share_a_role_only_where_the_profile_allows(tmp_path: Path) -> None:
    folder = tmp_path / "standards"
    shutil.copytree(SOL_STANDARDS, folder)
    standard = folder / "personlig-og-praktisk-hjaelp.yaml"
    text = standard.read_text(encoding="utf-8")
    assert text.count("role: delivery") == 2  # allowed: delivery has `many: true`
    assert CliRunner().invoke(main, ["check", "--strict", str(folder)]).exit_code == 0
    standard.write_text(text.replace("role: delivery\n    title: Frit valg",
                                     "role: purpose\n    title: Frit valg"), encoding="utf-8")
    lines = _check(folder)
    assert any("rollen 'purpose' har allerede et afsnit" in line for line in lines), lines


# --- letter kinds: one declaration -------------------------------------------------------------

def test_the_contributor_pages_table_is_the_declaration() -> None:
    page = (ROOT / "docs" / "contributing" / "behaviour.md").read_text(encoding="utf-8")
    assert kinds.markdown_table() in page


def test_every_kind_has_its_wording() -> None:
    from standardgen.cases.wording import load_wording

    wording = load_wording()
    for kind in kinds.letter_kinds():
        assert wording.file.results[kind.name]
        assert wording.has(f"result.{kind.name}")
        assert kind.label


@pytest.mark.parametrize("kind", kinds.kind_names())
def test_rules_follow_the_declaration(kind: str, standards: dict[str, LoadedStandard]) -> None:
    """A case of each kind with nothing but the basics: each required field is reported
    missing, each forbidden one (when given) as unused, with the declared codes."""
    import yaml

    declared = kinds.get_kind(kind)
    base = yaml.safe_load(_case("socialpaedagogisk-stoette", ""))
    base["result"] = kind
    for name in ("facts", "considerations", "hearing", "applied_for"):
        base.pop(name, None)
    codes = [p.code for p in check_case(base, "k.yaml", standards).problems]
    assert {f"missing-{name}" for name in declared.requires} <= set(codes)
    # Without a change direction a change counts as to the citizen's disadvantage.
    assert ("missing-reasons" in codes) is (declared.reasons != "optional")
    extra = dict(base, end={"last_day": "2026-12-31", "reason": "x"})
    unused = [p for p in check_case(extra, "k.yaml", standards).problems
              if p.code == "unused-field" and p.message.startswith("Ophøret:")]
    assert bool(unused) is ("end" in declared.forbids)


# --- the adult and disability paragraphs (issue 23) ----------------------------------------------

NEW_PROFILES = {
    "§ 82 b": "  hours_per_week: 2\n  weeks: 12\n",
    "§ 84": "  days_per_month: 4\n  provider: Aflastningshuset\n",
    "§ 96": "  hours_per_week: 40\n",
    "§ 97": "  hours_per_month: 15\n",
    "§ 98": "  hours_per_week: 6\n",
    "§ 102": "  treatment: Dagbehandling\n  provider: Behandlingscentret\n",
    "§ 103": "  days_per_week: 4\n  provider: Værkstedet\n",
    "§ 107": "  provider: Bostedet Engen\n",
    "§ 108": "  provider: Bostedet Bakken\n",
    "§ 116": "  adaptation: Fjernelse af dørtrin\n",
}


@pytest.mark.parametrize("paragraph", sorted(NEW_PROFILES))
def test_each_new_paragraph_has_a_profile_and_gets_a_letter(paragraph: str,
                                                            tmp_path: Path) -> None:
    folder = tmp_path / "standards"
    shutil.copytree(STANDARDS, folder)
    standard = folder / "aktivitets-og-samvaerstilbud.yaml"
    standard.write_text(standard.read_text(encoding="utf-8").replace(
        'paragraph: "§ 104"\n  ffb', f'paragraph: "{paragraph}"\n  ffb'), encoding="utf-8")
    loaded = load_catalogue([folder])
    profile = loaded.standards[0].profile
    assert profile is not None and profile.letters, paragraph
    assert not [p for p in loaded.problems if p.code == Code.NO_PROFILE_YET]
    text = (NORDDJURS_CASES / "bevilget.yaml").read_text(encoding="utf-8")
    head, rest = text.split("extent:\n", 1)
    case = tmp_path / "sag.yaml"
    case.write_text(head + "extent:\n" + NEW_PROFILES[paragraph] + "  start_date: 2026-03-16\n"
                    + rest[rest.index("facts:"):], encoding="utf-8")
    result = CliRunner().invoke(main, ["letter", str(case), "--standards", str(folder),
                                       "--out", str(tmp_path / "o"), "--format", "docx"])
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "o").glob("*.docx"))) == 1
