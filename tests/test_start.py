"""Starting points for a new user (issue 24): scaffolds per paragraph, case scaffolds from the
profile's schema, the shipped examples (one complete case per letter kind), and the messages
that help from the wrong place."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import socket
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import ROOT, run

SOURCE = "git+https://git.example.dk/standardgen.git@v0.1.0"
EXAMPLES = ROOT / "examples" / "solbakke"
# Words a § 104 scaffold has that no other paragraph's may: its paragraph, its extent, its blocks.
WORDS_104 = ("§ 104", "dage om ugen", "åbningstider", '"udgifter"', '"koersel"', "Aktivitets-")


def _new_standard(tmp_path: Path, *args: str) -> str:
    result = run("new", "ny", "--municipality", "testby", "--out", tmp_path / "standards", *args)
    assert result.exit_code == 0, result.output
    return (tmp_path / "standards" / "ny.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("given", "paragraph"), [("85", "§ 85"), ("sel-85", "§ 85"),
                                                  ("§ 83", "§ 83"), ("112", "§ 112")])
def test_a_scaffold_follows_its_paragraph_and_says_nothing_of_104(
        tmp_path: Path, given: str, paragraph: str) -> None:
    text = _new_standard(tmp_path, "--paragraph", given)
    data = yaml.safe_load(text)
    assert data["service"]["paragraph"] == paragraph
    assert [word for word in WORDS_104 if word in text] == []
    check = run("check", "--format", "json", tmp_path / "standards")
    assert {p["code"] for p in json.loads(check.stdout)} == {"guidance"}  # nothing but guidance


def test_a_85_scaffold_has_the_sections_its_letters_quote(tmp_path: Path) -> None:
    from standardgen.standards.profiles import load_profile

    data = yaml.safe_load(_new_standard(tmp_path, "--paragraph", "85"))
    roles = {section["role"] for section in data["sections"]}
    profile = load_profile("sel-85")
    assert profile is not None
    assert {spec.role.value for spec in profile.quotes.values()} <= roles
    assert "timer om ugen" in json.dumps(data, ensure_ascii=False)


def test_the_default_scaffold_is_104_with_its_quoted_blocks(tmp_path: Path) -> None:
    data = yaml.safe_load(_new_standard(tmp_path))
    assert data["service"]["paragraph"] == "§ 104"
    delivery = next(s for s in data["sections"] if s["role"] == "delivery")
    assert [block["id"] for block in delivery["content"]] == ["leverandoer", "udgifter",
                                                              "koersel"]


def test_init_takes_a_paragraph_too(tmp_path: Path) -> None:
    result = run("init", tmp_path / "k", "--municipality", "Testby", "--paragraph", "85",
                 "--source", SOURCE, "--no-git")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "k" / "standards" / "ny-standard.yaml").read_text(encoding="utf-8")
    assert "§ 85" in text and not [word for word in WORDS_104 if word in text]
    assert not (tmp_path / "k" / ".git").exists()


def test_an_unknown_paragraph_names_the_known_ones(tmp_path: Path) -> None:
    result = run("new", "ny", "--paragraph", "86", "--out", tmp_path)
    assert result.exit_code == 2
    assert ("ukendt paragraf '86'; kendte: § 82 a, § 82 b, § 83, § 84, § 85, § 95, § 96, § 97, "
            "§ 98, § 102, § 103, § 104, § 107, § 108, § 112, § 116") in result.output


# --- case scaffolds and examples ---------------------------------------------------------------

def _kinds() -> list[str]:
    from standardgen.cases.letter_kinds import kind_names

    return list(kind_names())


def _example_cases() -> dict[str, dict[str, Any]]:
    """The shipped example of each letter kind (decision files that build on a case aside)."""
    found: dict[str, dict[str, Any]] = {}
    for path in sorted((EXAMPLES / "cases").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if "based_on" not in data and data["standard"] == "socialpaedagogisk-stoette":
            found.setdefault(data["result"], data)
    return found


def test_the_examples_have_a_complete_case_for_every_letter_kind() -> None:
    from standardgen.cases.check import check_case
    from standardgen.standards.catalogue import load_catalogue

    catalogue = load_catalogue([EXAMPLES / "standards"])
    by_slug = {item.slug: item for item in catalogue.standards}
    examples = _example_cases()
    assert sorted(examples) == sorted(_kinds())
    for kind, data in examples.items():
        checked = check_case(data, f"{kind}.yaml", by_slug, dt.date(2026, 12, 1))
        assert checked.ok, (kind, [p.format() for p in checked.problems])


def test_new_examples_writes_them_and_never_over_a_folder(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("new", "--examples").exit_code == 0
    written = {p.relative_to(tmp_path / "eksempel") for p in (tmp_path / "eksempel").rglob("*")}
    assert {p.relative_to(EXAMPLES) for p in EXAMPLES.rglob("*")} == written
    again = run("new", "--examples")
    assert again.exit_code == 1 and "eksempel:0:0: fejl: mappen findes allerede" in again.output


@pytest.mark.parametrize("kind", _kinds())
def test_a_case_scaffold_filled_in_from_the_example_passes(tmp_path: Path, kind: str,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Every field has a comment and guidance; `letter` refuses it while guidance is left; with
    the example's values put in (and the optional fields it does not use deleted) it passes."""
    from standardgen.cases.check import check_case
    from standardgen.standards.catalogue import load_catalogue

    shutil.copytree(EXAMPLES / "standards", tmp_path / "standards")
    monkeypatch.chdir(tmp_path)
    result = run("new", "--case", kind, "--standard", "socialpaedagogisk-stoette")
    assert result.exit_code == 0, result.output
    path = tmp_path / "sager" / f"socialpaedagogisk-stoette-{kind}.yaml"
    assert path.stat().st_mode & 0o077 == 0  # personal data: the owner's only
    text = path.read_text(encoding="utf-8")
    keys = [line for line in text.splitlines() if re.match(r"\s*(- )?[a-z_]+:", line)]
    comments = [line for line in text.splitlines() if line.lstrip().startswith("# ")]
    assert len(comments) >= len(keys) and "# CPR-nummer (påkrævet)" in text
    letter = run("letter", path, "--out", tmp_path / "breve")
    assert letter.exit_code == 1 and not list(tmp_path.glob("breve/*.*"))
    assert "vejledningen skal erstattes med sagens egne oplysninger" in letter.output

    filled = _fill(yaml.safe_load(text), _example_cases()[kind])
    by_slug = {item.slug: item for item in load_catalogue([tmp_path / "standards"]).standards}
    checked = check_case(filled, path.name, by_slug, dt.date(2026, 12, 1))
    assert checked.ok, [p.format() for p in checked.problems]


def _fill(scaffold: Any, example: Any) -> Any:
    """The scaffold with each guidance value replaced by the example's, and the keys the example
    does not have removed (as the caseworker deletes the optional fields not used)."""
    if isinstance(scaffold, dict):
        return {key: _fill(value, example[key]) for key, value in scaffold.items()
                if isinstance(example, dict) and key in example}
    if isinstance(scaffold, list) and isinstance(example, list):
        return example
    return example if isinstance(scaffold, str) and "[[VEJLEDNING:" in scaffold else scaffold


def test_a_case_for_an_unknown_standard_or_kind_names_the_known_ones(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(EXAMPLES / "standards", tmp_path / "standards")
    monkeypatch.chdir(tmp_path)
    no_standard = run("new", "--case", "afslag", "--standard", "x")
    assert no_standard.exit_code == 2
    assert "kendte: personlig-og-praktisk-hjaelp, socialpaedagogisk-stoette" in no_standard.output
    no_kind = run("new", "--case", "afvist", "--standard", "socialpaedagogisk-stoette")
    assert no_kind.exit_code == 2 and "ukendt brevtype 'afvist'; brug en af: bevilget" in (
        no_kind.output)
    assert run("new").exit_code == 2


# --- messages from the wrong place -------------------------------------------------------------

def test_check_from_the_parent_folder_says_where_the_standards_are(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "kvalitetsstandarder" / "standards").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    result = run("check")
    assert result.exit_code == 2
    assert ("stien findes ikke: standards; mente du 'kvalitetsstandarder/standards'? Kør i "
            "kommunens arkiv ('cd kvalitetsstandarder')") in result.output
    elsewhere = run("check", "andre")  # a path the user typed: no guess
    assert "stien findes ikke: andre\n" in elsewhere.output


def test_an_unknown_profile_names_the_known_ones(standards_copy: Path) -> None:
    path = next(p for p in standards_copy.glob("*.yaml"))
    text = path.read_text(encoding="utf-8")
    edited = (re.sub(r"^profile: .*$", "profile: sel85", text, flags=re.M)
              if "\nprofile:" in text else text.replace("\ntitle:", "\nprofile: sel85\ntitle:", 1))
    path.write_text(edited, encoding="utf-8")
    result = run("check", path)
    assert ("ukendt profil 'sel85'; kendte profiler: sel-102, sel-103, sel-104, sel-107, sel-108, "
            "sel-112, sel-116, sel-82, sel-83, sel-84, sel-85, sel-96, sel-97, sel-98, "
            "serviceloven") in result.output, result.output


def test_a_missing_municipality_names_those_there_are_and_how_to_make_one(
        standards_copy: Path) -> None:
    path = next(p for p in standards_copy.glob("*.yaml"))
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^municipality: .*$", "municipality: aarhus", text, flags=re.M),
                    encoding="utf-8")
    result = run("check", path)
    assert ("kommunefilen 'municipalities/aarhus.yaml' findes hverken i standardens mappe eller "
            "i en mappe over den (fundet: norddjurs); opret den med 'standardgen new SLUG "
            "--municipality aarhus'") in result.output


def test_new_without_a_municipality_says_it_will_be_made(tmp_path: Path) -> None:
    result = run("new", "ny", "--out", tmp_path)
    assert result.exit_code == 1
    assert "angiv kommunen med --municipality ID; findes kommunefilen ikke, skrives den" in (
        result.output)


def test_init_run_twice_says_so_in_one_line(tmp_path: Path) -> None:
    args = ("init", tmp_path, "--municipality", "Testby", "--source", SOURCE, "--no-git")
    assert run(*args).exit_code == 0
    again = run(*args)
    assert again.exit_code == 1
    lines = again.output.splitlines()
    assert len([line for line in lines if ": fejl: " in line]) == 1, lines
    assert re.search(r":0:0: fejl: \d+ af filerne, init skriver, findes allerede \(fx ", lines[0])


@pytest.fixture
def taken() -> Any:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield server.getsockname()[1]


def test_desk_on_a_taken_port_says_so_in_danish(taken: int, standards_copy: Path) -> None:
    result = run("desk", "--standards", standards_copy, "--port", str(taken))
    assert result.exit_code == 1
    match = re.fullmatch(rf"standardgen: fejl: porten {taken} er optaget \(kører skrivebordet "
                         r"allerede\?\); vælg en anden med --port, fx --port (\d+)\n",
                         result.output)
    assert match, result.output
    assert int(match.group(1)) not in (8000, 8001, taken)


def test_doctor_calls_the_optional_programs_what_they_are() -> None:
    output = run("doctor").output
    assert "(test)" not in output
    assert "valgfri kontrol" in output and "til udviklernes test" in output
