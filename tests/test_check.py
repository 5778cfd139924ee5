"""The rules across fields (profile, sections, links, slugs, municipality, dates) and `check`."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from conftest import NORDDJURS, ROOT, STANDARDS, edit, without_info
from standardgen.cli import main
from standardgen.core.problems import Problem, Severity
from standardgen.standards.catalogue import Catalogue, load_catalogue

LINE = re.compile(r"^(?P<file>.+):(?P<line>\d+):(?P<column>\d+): (?P<severity>fejl|advarsel): "
                  r"(?P<message>.+)$")


# --- helpers ---------------------------------------------------------------------------------


def drop_section(path: Path, section_id: str) -> str:
    """Remove the section ``section_id`` (its item and every deeper-indented line)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index(f"  - id: {section_id}\n")
    end = start + 1
    while end < len(lines) and (lines[end].startswith("    ") or not lines[end].strip()):
        end += 1
    del lines[start:end]
    text = "".join(lines)
    path.write_text(text, encoding="utf-8")
    return text


def line_of(text: str, needle: str) -> int:
    assert text.count(needle) == 1, f"{needle!r} must occur exactly once"
    return text[: text.index(needle)].count("\n") + 1


def same_file(reported: str, path: Path) -> bool:
    return Path(reported).resolve() == path.resolve()


def only(problems: tuple[Problem, ...] | list[Problem], code: str | None = None) -> Problem:
    chosen = [p for p in problems if code is None or p.code == code]
    assert len(chosen) == 1, [p.format() for p in problems]
    return chosen[0]


def check(*args: str) -> Result:
    return CliRunner().invoke(main, ["check", *args])


@pytest.fixture
def standard(standards_copy: Path) -> Path:
    return standards_copy / NORDDJURS.name


def catalogue_of(path: Path) -> Catalogue:
    return load_catalogue([path])


# --- the committed standard --------------------------------------------------------------------


def test_norddjurs_is_clean() -> None:
    catalogue = load_catalogue([STANDARDS])
    assert catalogue.problems == ()
    assert [s.slug for s in catalogue.standards] == ["aktivitets-og-samvaerstilbud"]
    assert catalogue.files == (NORDDJURS,)


def test_the_copy_is_clean(standard: Path) -> None:
    # Every rule test below starts from this copy; one problem must come from its edit alone.
    assert catalogue_of(standard).problems == ()


# --- profile: required and recommended sections and links --------------------------------------


def test_missing_required_section(standard: Path) -> None:
    text = drop_section(standard, "klage")
    catalogue = catalogue_of(standard)
    problem = only(catalogue.problems)
    assert same_file(problem.file, standard)
    assert (problem.line, problem.column) == (line_of(text, "\nsections:") + 1, 1)
    assert problem.severity is Severity.ERROR
    assert problem.code == "missing-required"
    assert "'Klage og ankemuligheder'" in problem.message
    assert "role: complaints" in problem.message
    assert catalogue.standards == ()

    result = check(str(standard))
    assert result.exit_code == 1
    assert result.stdout == f"{problem.format()}\n"
    assert f"{problem.file}:{problem.line}:1: fejl: mangler afsnittet 'Klage og ankemuligheder'" \
        in result.stdout


def test_missing_recommended_section_is_a_warning(standard: Path) -> None:
    text = drop_section(standard, "kvalitetskrav")
    catalogue = catalogue_of(standard)
    problem = only(catalogue.problems)
    assert problem.severity is Severity.WARNING
    assert problem.code == "missing-recommended"
    assert "'Kvalitetskrav'" in problem.message
    assert problem.line == line_of(text, "\nsections:") + 1
    assert catalogue.ok
    assert len(catalogue.standards) == 1

    relaxed = check(str(standard))
    assert relaxed.exit_code == 0
    assert ": advarsel: mangler afsnittet 'Kvalitetskrav'" in relaxed.stdout
    assert relaxed.stderr.endswith(": 0 fejl, 1 advarsel\n")

    strict = check("--strict", str(standard))
    assert strict.exit_code == 1
    assert ": fejl: mangler afsnittet 'Kvalitetskrav'" in strict.stdout
    assert "1 fejl, 0 advarsler" in strict.stderr


def test_missing_deadlines_link_without_links(standard: Path) -> None:
    text = edit(standard, "links:\n  - role: deadlines\n    title: Sagsbehandlingsfrister\n"
                "    url: https://norddjurs.dk/om-kommunen/generel-information-om-norddjurs/"
                "sagsbehandlingsfrister\n", "")
    problem = only(catalogue_of(standard).problems)
    assert problem.severity is Severity.WARNING
    assert problem.code == "missing-recommended"
    assert "sagsbehandlingsfrister (links, role: deadlines)" in problem.message
    # Without a links key, the start of the document is the nearest place.
    assert problem.line == line_of(text, "slug:")


def test_missing_deadlines_link_among_other_links(standard: Path) -> None:
    text = edit(standard, "  - role: deadlines", "  - role: lovtekst")
    problem = only(catalogue_of(standard).problems)
    assert (problem.severity, problem.line) == (Severity.WARNING, line_of(text, "\nlinks:") + 1)
    assert check("--strict", str(standard)).exit_code == 1


def test_unknown_profile(standard: Path) -> None:
    text = edit(standard, "municipality: norddjurs\n",
                "municipality: norddjurs\nprofile: dagtilbud\n")
    problem = only(catalogue_of(standard).problems)
    assert (problem.code, problem.column) == ("profile", 10)
    assert problem.line == line_of(text, "profile:")
    assert problem.message == ("ukendt profil 'dagtilbud'; kendte profiler: sel-102, sel-103, "
                               "sel-104, sel-107, sel-108, sel-112, sel-116, sel-82, sel-83, "
                               "sel-84, sel-85, sel-96, sel-97, sel-98, serviceloven")
    assert problem.severity is Severity.ERROR


def test_named_default_profile(standard: Path) -> None:
    edit(standard, "municipality: norddjurs\n", "municipality: norddjurs\nprofile: serviceloven\n")
    assert catalogue_of(standard).problems == ()


# --- sections ----------------------------------------------------------------------------------


def test_duplicate_section_id(standard: Path) -> None:
    text = edit(standard, "  - id: formaal\n", "  - id: maalgruppe\n")
    problem = only(catalogue_of(standard).problems)
    assert problem.code == "duplicate-id"
    # The second one is reported; the section ids are on lines "  - id: maalgruppe".
    lines = [i + 1 for i, line in enumerate(text.splitlines()) if line == "  - id: maalgruppe"]
    assert (problem.line, problem.column) == (lines[1], 9)
    assert problem.message == "afsnits-id 'maalgruppe' er brugt før (afsnit 1)"


def test_duplicate_role(standard: Path) -> None:
    text = edit(standard, "    role: purpose\n", "    role: target_group\n")
    problems = catalogue_of(standard).problems
    duplicate = only(problems, "duplicate-role")
    lines = [i + 1 for i, line in enumerate(text.splitlines()) if line == "    role: target_group"]
    assert (duplicate.line, duplicate.column) == (lines[1], 11)
    assert duplicate.message == "rollen 'target_group' har allerede et afsnit"
    # The purpose section is now missing, which the profile reports too.
    assert "'Formål'" in only(problems, "missing-required").message


def test_role_other_may_repeat(standard: Path) -> None:
    edit(standard, "links:\n", "  - id: ekstra-1\n    role: other\n    title: Ekstra\n"
         "    content: [Et.]\n  - id: ekstra-2\n    role: other\n    title: Mere\n"
         "    content: [To.]\n\nlinks:\n")
    assert catalogue_of(standard).problems == ()


@pytest.mark.parametrize("content", ["    content: []\n", ""], ids=["empty-list", "no-content"])
def test_empty_section(standard: Path, content: str) -> None:
    old = "    title: Opfølgning\n    content:\n"
    text = standard.read_text(encoding="utf-8")
    start = text.index(old)
    end = text.index("  - id: klage")
    standard.write_text(text[:start] + "    title: Opfølgning\n" + content + "\n" + text[end:],
                        encoding="utf-8")
    text = standard.read_text(encoding="utf-8")
    problem = only(catalogue_of(standard).problems)
    assert (problem.code, problem.line, problem.column) == (
        "empty-section", line_of(text, "  - id: opfoelgning"), 5)
    assert problem.message == "afsnittet 'Opfølgning' har intet indhold"


def test_generated_sections_may_be_empty() -> None:
    # legal_basis and contact are filled from data; the Norddjurs file relies on it.
    catalogue = load_catalogue([NORDDJURS])
    assert catalogue.problems == ()
    standard = catalogue.standards[0].standard
    for role in ("legal_basis", "contact"):
        section = standard.section(role)
        assert section is not None
        assert section.content == ()


def test_duplicate_text_id(standard: Path) -> None:
    text = edit(standard, "      - id: koersel\n", "      - id: udgifter\n")
    problem = only(catalogue_of(standard).problems)
    assert problem.code == "duplicate-id"
    assert problem.line == line_of(text, "      - id: udgifter\n        text: Der er ingen")
    assert problem.message == "tekst-id 'udgifter' er brugt før"


@pytest.mark.parametrize("link", ["[her](javascript:alert(1))", "<javascript:alert(1)>",
                                  "[her](ftp://norddjurs.dk)"])
def test_bad_link_in_a_section(standard: Path, link: str) -> None:
    text = edit(standard, "text: Der er ingen udgifter for borgeren til kørsel.",
                f"text: 'Der er ingen udgifter for borgeren til kørsel, se {link}.'")
    problem = only(catalogue_of(standard).problems)
    assert problem.code == "link"
    assert problem.severity is Severity.ERROR
    # The block that holds the link.
    assert problem.line == line_of(text, "      - id: koersel")
    assert "skal begynde med https:// eller mailto:" in problem.message
    assert check(str(standard)).exit_code == 1


def test_bad_link_in_a_list_item(standard: Path) -> None:
    text = edit(standard, "          - Socialt samvær\n",
                "          - Socialt samvær\n          - '[Film](javascript:void(0))'\n")
    problem = only(catalogue_of(standard).problems)
    assert (problem.code, problem.line) == ("link", line_of(text, "      - list:"))


# --- slugs, files, municipality, dates ---------------------------------------------------------


def test_slug_not_matching_the_file_name(standard: Path) -> None:
    renamed = standard.with_name("aktivitet.yaml")
    standard.rename(renamed)
    text = renamed.read_text(encoding="utf-8")
    catalogue = catalogue_of(renamed)
    problem = only(catalogue.problems)
    assert same_file(problem.file, renamed)
    assert (problem.code, problem.severity) == ("slug-filename", Severity.WARNING)
    assert (problem.line, problem.column) == (line_of(text, "slug:"), 7)
    assert problem.message == "filen bør hedde 'aktivitets-og-samvaerstilbud.yaml' som sin slug"
    assert catalogue.ok


def test_yml_extension_is_read_and_its_stem_compared(standard: Path) -> None:
    standard.rename(standard.with_suffix(".yml"))
    catalogue = load_catalogue([standard.parent])
    assert catalogue.problems == ()
    assert len(catalogue.standards) == 1


def test_duplicate_slugs_across_two_files(standard: Path) -> None:
    other = standard.with_name("andet.yaml")
    shutil.copy(standard, other)
    catalogue = load_catalogue([standard.parent])
    duplicate = only(catalogue.problems, "duplicate-slug")
    assert same_file(duplicate.file, other)
    assert duplicate.severity is Severity.ERROR
    assert "'aktivitets-og-samvaerstilbud'" in duplicate.message
    assert duplicate.message.endswith(str(standard))
    assert same_file(only(catalogue.problems, "slug-filename").file, other)
    assert not catalogue.ok


def test_municipality_file_missing(standard: Path) -> None:
    text = edit(standard, "municipality: norddjurs", "municipality: syddjurs")
    catalogue = catalogue_of(standard)
    problem = only(catalogue.problems)
    assert same_file(problem.file, standard)
    assert (problem.code, problem.line, problem.column) == (
        "municipality", line_of(text, "municipality:"), 15)
    assert "'municipalities/syddjurs.yaml'" in problem.message
    assert catalogue.standards == ()


def test_errors_in_the_municipality_file_are_located_there(standard: Path) -> None:
    town = standard.parent / "municipalities" / "norddjurs.yaml"
    edit(town, 'postcode: "8500"', 'postcode: "85000"')
    text = edit(town, "email: norddjurs@norddjurs.dk", "email: norddjurs@norddjurs.dk\ntlf: 1")
    shutil.copy(standard, standard.with_name("andet.yaml"))  # a second user of the same town
    catalogue = load_catalogue([standard.parent])
    town_problems = [p for p in catalogue.problems if same_file(p.file, town)]
    assert [(p.code, p.line) for p in town_problems] == [
        ("invalid-value", line_of(text, "postcode:")),
        ("unknown-key", line_of(text, "tlf:")),
    ]  # each once, although two standards use the municipality
    assert town_problems[0].message == "'postcode' skal være et postnummer med fire cifre"
    assert town_problems[1].message == "ukendt felt 'tlf'"
    assert catalogue.standards == ()


def test_broken_municipality_file_is_reported_not_raised(standard: Path) -> None:
    town = standard.parent / "municipalities" / "norddjurs.yaml"
    town.write_text("name: [Norddjurs\n", encoding="utf-8")
    problem = only(catalogue_of(standard).problems)
    assert same_file(problem.file, town)
    assert (problem.code, problem.line) == ("syntax", 2)


@pytest.mark.parametrize(
    ("next_revision", "ok"), [("2023-01-01", False), ("2023-04-26", False), ("2024-04-26", True)],
    ids=["before", "same-day", "after"],
)
def test_next_revision_must_follow_approval(standard: Path, next_revision: str, ok: bool,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STANDARDGEN_TODAY", "2023-05-01")  # "after" is not yet due then
    text = edit(standard, 'version: "2023"\n', f'version: "2023"\nnext_revision: {next_revision}\n')
    problems = catalogue_of(standard).problems
    if ok:
        assert problems == ()
        return
    problem = only(problems)
    assert (problem.code, problem.line, problem.column) == (
        "revision-date", line_of(text, "next_revision:"), 16)
    assert problem.message == "næste revision skal ligge efter godkendelsesdatoen"


def test_empty_folder(tmp_path: Path) -> None:
    catalogue = load_catalogue([tmp_path])
    problem = only(catalogue.problems)
    assert (problem.code, problem.severity) == ("empty-dir", Severity.ERROR)
    assert "ingen standarder" in problem.message


def test_problems_from_several_files_are_all_reported(standard: Path) -> None:
    other = standard.with_name("andet-tilbud.yaml")
    shutil.copy(standard, other)
    edit(other, "slug: aktivitets-og-samvaerstilbud", "slug: andet-tilbud")
    drop_section(other, "klage")
    drop_section(standard, "afgoerelse")
    catalogue = load_catalogue([standard.parent])
    assert sorted((Path(p.file).name, p.code) for p in catalogue.problems) == [
        ("aktivitets-og-samvaerstilbud.yaml", "missing-required"),
        ("andet-tilbud.yaml", "missing-required"),
    ]


# --- the command line --------------------------------------------------------------------------


def test_check_default_path_from_the_repository_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = check()
    assert result.exit_code == 0, result.output
    assert without_info(result.stdout) == ""
    assert result.stderr == "Kontrollerede 1 standard i standards: ingen fejl eller advarsler\n"


def test_check_explicit_path_from_elsewhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert check(str(STANDARDS)).exit_code == 0
    assert check("--strict", str(NORDDJURS)).exit_code == 0


def test_check_paths_are_shown_relative_to_the_working_directory(
    standard: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drop_section(standard, "klage")
    monkeypatch.chdir(standard.parent.parent)
    result = check("standards")
    assert result.exit_code == 1
    assert result.stdout.startswith(f"standards/{standard.name}:")


def test_check_output_lines_are_parseable(standard: Path) -> None:
    other = standard.with_name("andet-tilbud.yaml")
    shutil.copy(standard, other)
    edit(other, "slug: aktivitets-og-samvaerstilbud", "slug: andet-tilbud")
    edit(other, "title: Målgruppe", "titel: Målgruppe")  # unknown key and missing title
    drop_section(standard, "klage")
    drop_section(standard, "kvalitetskrav")
    result = check(str(standard.parent))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 4
    matches = [LINE.match(line) for line in lines]
    assert all(matches), lines
    assert sorted(m["severity"] for m in matches if m) == ["advarsel", "fejl", "fejl", "fejl"]
    assert re.fullmatch(r"Kontrollerede 2 standarder i \S+: 3 fejl, 1 advarsel\n", result.stderr)


def test_check_nonexistent_path_is_a_usage_error(tmp_path: Path) -> None:
    missing = tmp_path / "findes-ikke"
    result = check(str(STANDARDS), str(missing))
    assert result.exit_code == 2
    assert f"stien findes ikke: {missing}" in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


def test_check_default_path_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = check()
    assert result.exit_code == 2
    assert "stien findes ikke: standards" in result.output


@pytest.mark.parametrize("args", [["--bogus"], ["--format", "xml"], ["--strict=ja"]])
def test_check_wrong_option_is_a_usage_error(args: list[str]) -> None:
    result = check(*args, str(STANDARDS))
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_json_format_clean() -> None:
    result = check("--format", "json", str(STANDARDS))
    assert result.exit_code == 0
    assert [p for p in json.loads(result.stdout) if p["severity"] != "info"] == []


def test_json_format_with_problems(standard: Path) -> None:
    text = drop_section(standard, "klage")
    drop_section(standard, "kvalitetskrav")
    result = check("--format", "json", str(standard))
    assert result.exit_code == 1
    data = json.loads(result.stdout)  # nothing but JSON on stdout
    assert [item["severity"] for item in data] == ["error", "warning"]
    for item in data:
        assert {"file", "line", "column", "severity", "message"} <= item.keys()
        assert same_file(item["file"], standard)
        assert item["line"] == line_of(text, "\nsections:") + 1
        assert item["column"] == 1
    assert "Klage og ankemuligheder" in data[0]["message"]
    assert "æ" in result.stdout  # Danish letters written as they are, not \u escapes

    strict = json.loads(check("--format", "json", "--strict", str(standard)).stdout)
    assert [item["severity"] for item in strict] == ["error", "error"]


def test_version_and_help() -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["--version"]).stdout.strip().endswith("0.1.0")
    result = runner.invoke(main, ["check", "--help"])
    assert result.exit_code == 0
    assert "Kontrollér standarderne" in result.stdout


# --- as a real process -------------------------------------------------------------------------


def run_python(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=60, check=False)


def test_python_dash_m_check() -> None:
    result = run_python("-m", "standardgen", "check")
    assert result.returncode == 0, result.stderr
    assert without_info(result.stdout) == ""
    assert "Kontrollerede 1 standard i standards: ingen fejl eller advarsler" in result.stderr


def test_python_dash_m_check_with_problems(standard: Path) -> None:
    drop_section(standard, "klage")
    result = run_python("-m", "standardgen", "check", "--format", "json", str(standard))
    assert result.returncode == 1
    assert json.loads(result.stdout)[0]["severity"] == "error"
    bad = run_python("-m", "standardgen", "check", "findes-ikke")
    assert bad.returncode == 2
    assert "stien findes ikke" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_check_does_not_import_weasyprint() -> None:
    # weasyprint is installed (a dependency), so this would notice an import through check.
    assert importlib.util.find_spec("weasyprint") is not None
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from standardgen.cli import main\n"
        "result = CliRunner().invoke(main, ['check', 'standards'])\n"
        "assert result.exit_code == 0, result.output\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('weasyprint', 'docx', 'docxtpl', 'pydyf')))\n"
    )
    result = run_python("-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
