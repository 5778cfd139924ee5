"""Issue 11: template overrides, init, doctor, --version, one language in the CLI, and the first
hour of a policy officer (every problem in one run, YAML pitfalls, subfolders)."""

from __future__ import annotations

import ctypes.util
import json
import re
import shutil
import subprocess
from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner, Result

from conftest import NORDDJURS, ROOT, edit
from standardgen.cli import main
from standardgen.core.templates import builtin_templates, template_folders, templates_dir
from standardgen.standards.profiles import service_profiles


def run(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], env=env, prog_name="standardgen")


@pytest.fixture
def municipality_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A municipality repository with the Norddjurs standard, the working directory."""
    shutil.copytree(ROOT / "standards", tmp_path / "standards")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STANDARDGEN_TEMPLATES", raising=False)
    return tmp_path


# --- 1-3: package, overrides, version -----------------------------------------------------------

def test_version() -> None:
    result = run("--version")
    assert (result.exit_code, result.output) == (0, "standardgen 0.1.0\n")


def test_builtin_templates_are_found_without_any_variable(municipality_repo: Path) -> None:
    assert template_folders() == (builtin_templates(),)
    assert templates_dir() == builtin_templates()


def test_an_override_replaces_only_its_own_file(municipality_repo: Path) -> None:
    own = municipality_repo / "templates" / "site"
    own.mkdir(parents=True)
    base = (builtin_templates() / "site" / "base.html").read_text(encoding="utf-8")
    (own / "base.html").write_text(base.replace("<body>", "<body><p>Egen ramme</p>"),
                                   encoding="utf-8")
    merged = templates_dir()
    assert (merged / "site" / "base.html").resolve() == (own / "base.html").resolve()
    assert (merged / "letter" / "wording.yaml").resolve() == (
        builtin_templates() / "letter" / "wording.yaml").resolve()
    result = run("build", "--out", "output")
    assert result.exit_code == 0, result.output
    index = (municipality_repo / "output" / "site" / "index.html").read_text(encoding="utf-8")
    assert "<p>Egen ramme</p>" in index and "Aktivitets- og samværstilbud" in index


def test_an_error_in_an_override_names_the_municipalitys_file(municipality_repo: Path) -> None:
    own = municipality_repo / "templates" / "site"
    own.mkdir(parents=True)
    (own / "index.html").write_text('{% extends "site/base.html" %}\n{% block content %}\n'
                                    "{{ standards[0].nonexistent.deeper }}\n{% endblock %}\n",
                                    encoding="utf-8")
    result = run("build", "--out", "output")
    assert result.exit_code == 1
    assert re.search(r"^templates/site/index\.html:3:0: fejl: fejl i skabelonen", result.output,
                     re.M), result.output


def test_check_validates_an_overridden_letter_wording(municipality_repo: Path) -> None:
    own = municipality_repo / "templates" / "letter"
    own.mkdir(parents=True)
    wording = (builtin_templates() / "letter" / "wording.yaml").read_text(encoding="utf-8")
    (own / "wording.yaml").write_text(re.sub("^labels:", "lables:", wording, flags=re.M),
                                      encoding="utf-8")
    result = run("check", "--format", "json")
    assert result.exit_code == 1
    found = [p for p in json.loads(result.stdout) if p["file"] == "templates/letter/wording.yaml"]
    assert {p["message"] for p in found} >= {"ukendt felt 'lables'; mente du 'labels'?"}
    line = wording.splitlines().index("labels:") + 1
    assert any(p["line"] == line for p in found)


# --- 4: doctor ----------------------------------------------------------------------------------

def test_doctor_names_what_is_missing_and_how_to_install_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    real = ctypes.util.find_library
    monkeypatch.setattr(ctypes.util, "find_library",
                        lambda name: None if name.startswith("pango") else real(name))
    result = run("doctor")
    assert result.exit_code == 1
    assert re.search(r"^MANGLER\s+Pango: ", result.output, re.M)
    assert "sudo apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0" in (
        result.output)


def test_doctor_passes_when_the_required_ones_are_there(monkeypatch: pytest.MonkeyPatch) -> None:
    from standardgen.cli import doctor

    present = tuple(doctor.Need(n.name, n.used_for, n.package, n.required,
                                (lambda: True) if n.required else (lambda: False))
                    for n in doctor.NEEDS)
    lines, code = doctor.examine(present)
    assert code == 0
    assert "Alt, hvad kommandoerne kræver, er installeret." in lines
    assert any("libreoffice-writer-nogui" in line for line in lines)


# --- 5: init ------------------------------------------------------------------------------------

# This environment's standardgen is an editable install, which has no wheel for init to copy
# into the new repository (tests/test_wheel.py runs init from an installed wheel): name a pinned
# Git source instead, as a contributor would. Nothing fetches it here.
SOURCE = "git+https://git.example.dk/standardgen.git@v0.1.0"

def test_init_makes_a_repository_where_check_reports_only_guidance(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch
                                                                   ) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("init", "aeroe", "--municipality", "Ærø", "--ci", "gitlab", "--source", SOURCE)
    assert result.exit_code == 0, result.output
    repo = tmp_path / "aeroe"
    files = {p.relative_to(repo).as_posix() for p in repo.rglob("*") if p.is_file()}
    assert files == {
        "standards/municipalities/aeroe.yaml", "standards/ny-standard.yaml",
        "schema/standard.schema.json", "schema/municipality.schema.json",
        "schema/case.schema.json", "README.md", ".gitignore", ".editorconfig",
        # one case schema per service profile (issue 10)
        *(f"schema/case-{p.name}.schema.json" for p in service_profiles()),
        ".vscode/settings.json", ".vscode/extensions.json", ".gitlab-ci.yml",
        # issue 24: where standardgen came from, the case folder, the hook against CPR numbers
        ".standardgen/kilde.txt", "sager/LÆS-MIG.md", ".githooks/pre-commit"} | {
        p.relative_to(repo).as_posix() for p in (repo / ".git").rglob("*") if p.is_file()}
    assert "output/" in (repo / ".gitignore").read_text(encoding="utf-8").splitlines()
    town = yaml.safe_load((repo / "standards/municipalities/aeroe.yaml").read_text("utf-8"))
    assert town["name"] == "Ærø Kommune"
    settings = json.loads((repo / ".vscode/settings.json").read_text(encoding="utf-8"))
    assert all((repo / schema).is_file() for schema in settings["yaml.schemas"])
    for name in ("standards/ny-standard.yaml", "standards/municipalities/aeroe.yaml"):
        first = (repo / name).read_text(encoding="utf-8").splitlines()[0]
        schema = first.removeprefix("# yaml-language-server: $schema=")
        assert ((repo / name).parent / schema).resolve().is_file(), first
    ci = yaml.safe_load((repo / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert any("standardgen check --strict" in line for line in ci["check"]["script"])
    assert f'pip install --quiet "{SOURCE}"' in ci["default"]["before_script"]
    assert "git" in ci["default"]["before_script"][1].split()  # pip needs it for a git+ URL
    readme = (repo / "README.md").read_text(encoding="utf-8")
    assert "Ærø Kommune" in readme and "standardgen serve" in readme

    monkeypatch.chdir(repo)
    check = run("check", "--format", "json")
    assert check.exit_code == 1
    assert {p["code"] for p in json.loads(check.stdout)} == {"guidance"}
    build = run("build")
    assert build.exit_code == 1 and not (repo / "output").exists()
    built = {line.split(": fejl: ")[0] for line in build.stdout.splitlines()}
    checked = {f"{p['file']}:{p['line']}:{p['column']}" for p in json.loads(check.stdout)}
    assert built == checked  # the same problems, nothing else (no template or crash)


def test_init_github_ci_is_valid_yaml_with_the_pages_steps(tmp_path: Path) -> None:
    result = run("init", tmp_path / "k", "--municipality", "Testby Kommune", "--source", SOURCE)
    assert result.exit_code == 0
    workflow = yaml.safe_load((tmp_path / "k/.github/workflows/kvalitetsstandarder.yml")
                              .read_text(encoding="utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    runs = " ".join(step.get("run", "") for step in steps)
    assert "standardgen check --strict --format github standards" in runs
    assert "${{ github.repository_owner }}" in runs
    assert workflow["jobs"]["publish"]["steps"][0]["uses"] == "actions/deploy-pages@v4"


def test_init_never_overwrites_and_writes_nothing_then(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("vores egen\n", encoding="utf-8")
    result = run("init", tmp_path, "--municipality", "Testby", "--source", SOURCE)
    assert result.exit_code == 1
    assert "README.md:0:0: fejl: filen findes allerede" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["README.md"]


@pytest.mark.parametrize("name", ["", "!!!"])
def test_init_refuses_a_name_that_gives_no_file_name(tmp_path: Path, name: str) -> None:
    result = run("init", tmp_path / "k", "--municipality", name, "--source", SOURCE)
    assert result.exit_code == 2 and "kan ikke bruges som kommunens navn" in result.output


# --- 7-8: every problem in one run; YAML pitfalls ---------------------------------------------

def test_a_missing_section_is_reported_with_the_field_errors(standards_copy: Path) -> None:
    path = standards_copy / NORDDJURS.name
    edit(path, "title: Målgruppe", "titel: Målgruppe")
    text = path.read_text(encoding="utf-8")
    start = text.index("  - id: klage\n")
    end = text.index("  - id:", start + 1)
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    result = run("check", "--format", "json", path)
    messages = sorted(p["message"] for p in json.loads(result.stdout))
    assert messages == [
        "mangler afsnittet 'Klage og ankemuligheder' (role: complaints); afsnittet er påkrævet",
        "mangler det påkrævede felt 'title'",
        "ukendt felt 'titel'; mente du 'title'?"]


def test_an_unquoted_text_with_a_colon_gets_one_plain_hint(standards_copy: Path) -> None:
    path = standards_copy / NORDDJURS.name
    text = edit(path, "    title: Målgruppe\n    content:\n",
                "    title: Målgruppe\n    content:\n      - Bemærk: maden leveres kl. 12\n")
    line = text.splitlines().index("      - Bemærk: maden leveres kl. 12") + 1
    result = run("check", path)
    assert result.exit_code == 1
    assert result.stdout == (
        f"{path}:{line}:9: fejl: teksten 'Bemærk: maden leveres kl. 12' indeholder kolon og "
        "mellemrum og læses derfor som et felt; sæt hele teksten i anførselstegn: "
        '- "Bemærk: maden leveres kl. 12"\n')


@pytest.mark.parametrize(("item", "hint"), [
    ('"Hun sagde "nej tak" til tilbuddet"', "et anførselstegn (\") inde i teksten afslutter den"),
    ("'Det er borgerens 'eget' valg'", "en apostrof (') inde i teksten afslutter den"),
])
def test_quotes_inside_quotes_are_not_called_indentation(standards_copy: Path, item: str,
                                                         hint: str) -> None:
    path = standards_copy / NORDDJURS.name
    edit(path, "    title: Målgruppe\n    content:\n",
         f"    title: Målgruppe\n    content:\n      - {item}\n")
    result = run("check", path)
    assert result.exit_code == 1 and hint in result.stdout
    assert "indrykning" not in result.stdout


# --- issue 10 point 9: subfolders ----------------------------------------------------------------

def test_check_looks_into_subfolders_and_says_where(standards_copy: Path) -> None:
    area = standards_copy / "handicap"
    area.mkdir()
    other = area / "andet-tilbud.yaml"
    shutil.copy(standards_copy / NORDDJURS.name, other)
    edit(other, "slug: aktivitets-og-samvaerstilbud", "slug: andet-tilbud")
    result = run("check", standards_copy)
    assert result.exit_code == 0, result.output
    assert result.stderr == (f"Kontrollerede 2 standarder (1 i {standards_copy}, 1 i {area}): "
                             "ingen fejl eller advarsler\n")


# --- 10: one language --------------------------------------------------------------------------

def _commands(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [path]
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found += _commands(command, (*path, name))
        else:
            found.append((*path, name))
    return found


ENGLISH = re.compile(r"\b(PATHS?|TEXT|INTEGER|FILES?|FILENAME|DIRECTORY|OLD|NEW|FILLED|Usage|"
                     r"Options|Commands|default|required|Show this)\b|\[x[<>]=|<=x")


DANISH_NAMES = {"TILVALG", "KOMMANDO", "ARGUMENTER", "STI", "FIL", "MAPPE", "SLUG", "GAMMEL",
                "NY", "A", "B"}


@pytest.mark.parametrize("command", _commands(main), ids=" ".join)
def test_help_is_danish(command: tuple[str, ...]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert not ENGLISH.search(result.output), ENGLISH.findall(result.output)
    usage = result.output.splitlines()[0]
    assert usage.startswith("Brug: standardgen")
    # Argument names are Danish (a new command's English name fails here until it is mapped).
    assert set(re.findall(r"\b[A-Z]{2,}\b", usage)) <= DANISH_NAMES, usage
    # Every name in capitals the text refers to is one the usage line or an option shows.
    metavars = re.findall(r"--\S+ ([A-ZÆØÅ]+)", result.output)
    shown = set(re.findall(r"[A-ZÆØÅ]{2,}", " ".join([usage, *metavars])))
    text = result.output.split("\n", 1)[1].split("Tilvalg:")[0]
    named = set(re.findall(r"\b[A-ZÆØÅ]{3,}\b", text)) - {"YAML", "JSON", "PDF", "CSV", "HTML",
                                                           "CI", "README", "ID", "SLUG", "CPR"}
    if "KOMMANDO" not in usage:  # a group's text may name its subcommands' arguments
        assert named <= shown | {"OUT"}, (named, shown)


COMMAND_NAMES = {"build", "check", "desk", "diff", "doctor", "form", "import", "init", "letter",
                 "new", "schema", "serve", "status"}


def test_every_option_the_user_pages_name_is_in_the_help() -> None:
    """The Danish pages are written by hand: each `standardgen COMMAND ... --option` they show
    (in code, on one line) must be an option of that command."""
    pages = [p for folder in ("it", "redaktoer", "sagsbehandler")
             for p in sorted((ROOT / "docs" / folder).glob("*.md"))]
    assert len(pages) >= 10, pages
    seen = 0
    for page in [ROOT / "README.md", *pages]:
        for line in page.read_text(encoding="utf-8").splitlines():
            for command, rest in re.findall(r"standardgen ([a-z]+(?: read)?)\b([^`#\n]*)", line):
                options = re.findall(r"(?<![\w-])--[a-z][a-z-]+", rest)
                if command not in COMMAND_NAMES or not options:
                    continue
                command = "form render" if command == "form" else command  # short for it
                shown = run(*command.split(), "--help").output
                for option in options:
                    assert option in shown, (page.name, line, option)
                    seen += 1
    assert seen >= 20, seen  # the pages do show options: a scan that finds none fails


def test_build_summary_reads_as_a_sentence(municipality_repo: Path) -> None:
    first = run("build", "--out", "output", "--jobs", "1")
    assert first.exit_code == 0
    assert re.fullmatch(r"output/site: \d+ filer skrevet \(ingen dele var uændret\): ingen fejl "
                        r"eller advarsler\n", first.stderr), first.stderr
    again = run("build", "--out", "output")
    assert again.stderr == ("output/site: ingen filer skrevet (intet var ændret): ingen fejl "
                            "eller advarsler\n")


def test_the_readme_is_short_and_its_links_lead_somewhere() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) < 120
    links = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", readme)
    assert len(links) >= 15, links
    assert [link for link in links if not (ROOT / link).is_file()] == []


# --- 12: the README's contributor path --------------------------------------------------------

def test_the_documented_contributor_path_names_real_targets() -> None:
    from test_wheel import docs_block

    lines = docs_block("contributing/index.md", "contributor")
    assert lines == ["make site", "make quick", "make test", "make docs"]
    dry = {line: subprocess.run([*line.split(), "-n"], cwd=ROOT, capture_output=True, text=True,
                                check=True).stdout for line in lines}
    assert "standardgen build standards --out output" in dry["make site"]
    assert '-m pytest -m "not client and not slow"' in dry["make quick"]
    assert all(tool in dry["make test"] for tool in ("ruff check", "mypy src", "-m pytest\n",
                                                     "mkdocs build --strict"))
    assert "mkdocs build --strict" in dry["make docs"]


@pytest.mark.slow
def test_make_site_works_as_written() -> None:
    """`make site` in this checkout (CI has just made the venv for `make test`)."""
    done = subprocess.run(["make", "site"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (ROOT / "output" / "site" / "index.html").is_file()


def test_the_variable_folder_comes_first_then_the_local_one_then_the_builtin(
        municipality_repo: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    named = tmp_path / "named"
    (named / "letter").mkdir(parents=True)
    (municipality_repo / "templates" / "letter").mkdir(parents=True)
    for folder in (named, municipality_repo / "templates"):
        (folder / "letter" / "wording.yaml").write_text(f"# {folder.name}\n", encoding="utf-8")
    monkeypatch.setenv("STANDARDGEN_TEMPLATES", str(named))
    assert template_folders() == (named.resolve(), (municipality_repo / "templates").resolve(),
                                  builtin_templates())
    merged = templates_dir()
    assert (merged / "letter" / "wording.yaml").read_text(encoding="utf-8") == "# named\n"
    assert (merged / "letter" / "letter.typ").resolve() == (
        builtin_templates() / "letter" / "letter.typ").resolve()


def test_init_without_ci_writes_no_ci_file(tmp_path: Path) -> None:
    assert run("init", tmp_path, "--municipality", "Testby", "--ci", "ingen",
               "--source", SOURCE).exit_code == 0
    assert not (tmp_path / ".github").exists() and not (tmp_path / ".gitlab-ci.yml").exists()
    assert "Jeres byggeserver" in (tmp_path / "README.md").read_text(encoding="utf-8")


def test_a_list_of_groups_gets_no_quoting_hint(standards_copy: Path) -> None:
    path = standards_copy / NORDDJURS.name
    text = path.read_text(encoding="utf-8")
    start = text.index("legal_basis:\n") + len("legal_basis:\n")
    path.write_text(text[:start] + "  - lov: serviceloven\n" + text[start:], encoding="utf-8")
    result = run("check", "--format", "json", path)
    messages = [p["message"] for p in json.loads(result.stdout)]
    assert "ukendt felt 'lov'" in " ".join(messages)
    assert not any("anførselstegn" in message for message in messages)
