"""Personal data never reaches git (issue 24), tested through real ``git`` commands: a repository
made by ``init``, files added with ``git add``, commits attempted with the hook ``init`` switched
on, and ``check`` reading what git holds."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

SOURCE = "git+https://git.example.dk/standardgen.git@v0.1.0"
# Every spelling the CPR checks recognise (core/cpr.py), each a fictitious number.
SPELLINGS = ["150385-1234", "1503851234", "150385 1234", "15.03.85-1234", "150385\u20131234",
             "150385.1234", "15 03 85 1234", "150385\u00a01234"]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A municipality's repository as ``init`` leaves it, with git's identity set and the
    ``standardgen`` of this environment on PATH for the hook."""
    for key in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    for name, value in (("NAME", "Test"), ("EMAIL", "test@testby.dk")):
        monkeypatch.setenv(f"GIT_AUTHOR_{name}", value)
        monkeypatch.setenv(f"GIT_COMMITTER_{name}", value)
    result = run("init", tmp_path / "k", "--municipality", "Testby", "--source", SOURCE)
    assert result.exit_code == 0, result.output
    assert "git-arkiv oprettet" in result.output
    monkeypatch.chdir(tmp_path / "k")
    return tmp_path / "k"


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True)


def _personal(output: str) -> list[str]:
    return [line for line in output.splitlines() if "-in-git" in line or "CPR-nummer (" in line
            or "sagsfiler må ikke" in line]


def test_the_gitignore_keeps_cases_letters_forms_and_memo_messages_out(repo: Path) -> None:
    for path in ("sager/2026-1.yaml", "sager/uge-10.csv", "output/letters/2026-1.pdf",
                 "breve/2026-1.docx", "skemaer/2026-1-opfoelgning.pdf",
                 "noget/2026-1-opfoelgning.docx", "ud/2026-1.memo.xml", "dist/x.whl"):
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_text("Anna Testesen 150385-1234\n", encoding="utf-8")
    _git(repo, "add", ".")
    staged = _git(repo, "diff", "--cached", "--name-only").stdout.split()
    assert not [name for name in staged if name.startswith(("sager/", "output/", "breve/",
                                                             "skemaer/", "ud/", "dist/"))]
    assert "noget/2026-1-opfoelgning.docx" not in staged
    assert ".githooks/pre-commit" in staged and ".standardgen/kilde.txt" in staged


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_the_hook_refuses_a_commit_with_a_cpr_number_masked(repo: Path, spelling: str) -> None:
    (repo / "noter.txt").write_text(f"Møde i går.\nBorgeren ({spelling}) ringede.\n",
                                    encoding="utf-8")
    _git(repo, "add", ".")
    commit = _git(repo, "commit", "-qm", "Noter")
    assert commit.returncode != 0
    # git shows what a hook prints on its stderr
    assert "noter.txt:2:11: fejl: filen indeholder et CPR-nummer (150385-XXXX)" in commit.stderr
    assert "1234" not in commit.stdout + commit.stderr
    assert _git(repo, "rev-parse", "--verify", "-q", "HEAD").returncode != 0  # nothing committed

    _git(repo, "rm", "-q", "--cached", "noter.txt")
    assert _git(repo, "commit", "-qm", "Uden noter").returncode == 0


def test_check_refuses_a_tracked_file_committed_without_the_hook(repo: Path) -> None:
    (repo / "standards" / "kladde.md").write_text("Sag: 1503851234\n", encoding="utf-8")
    _git(repo, "add", ".")
    assert _git(repo, "commit", "-qm", "Forbi krogen", "--no-verify").returncode == 0
    result = run("check", "--format", "json")
    problems = [p for p in json.loads(result.stdout) if p["code"] == "cpr-in-git"]
    message = ("filen indeholder et CPR-nummer (150385-XXXX); personoplysninger hører til i "
               "sager/, som git ignorerer; fjern filen fra git med 'git rm --cached "
               "standards/kladde.md'")
    assert problems == [{"file": "standards/kladde.md", "line": 1, "column": 6,
                         "severity": "error", "code": "cpr-in-git", "message": message}]
    assert result.exit_code == 1


def test_a_case_file_forced_into_git_is_refused_whatever_it_holds(repo: Path) -> None:
    (repo / "sager" / "tom.yaml").write_text("case_number: 2026-1\n", encoding="utf-8")
    assert _git(repo, "add", "-f", "sager/tom.yaml").returncode == 0
    staged = run("check", "--staged")
    assert staged.exit_code == 1
    assert _personal(staged.output) == [
        "sager/tom.yaml:0:0: fejl: sagsfiler må ikke ligge i git (sager/ er udelukket i "
        ".gitignore); fjern filen fra git med 'git rm --cached sager/tom.yaml'"]


def test_numbers_that_are_not_cpr_numbers_and_binary_files_pass(repo: Path) -> None:
    (repo / "noter.txt").write_text("Tlf. 8959 1000, sag 2026-104-0001, 45.32.99-1234, "
                                    "dato 2026-03-02, 3201851234\n", encoding="utf-8")
    (repo / "logo.png").write_bytes(b"\x89PNG\0\0150385-1234")
    _git(repo, "add", ".")
    assert _personal(run("check", "--staged").output) == []
    assert _git(repo, "commit", "-qm", "Første udgave").returncode == 0


def test_check_in_standardgens_own_repository_leaves_its_test_numbers_alone(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only a repository ``init`` made (it has .standardgen/) is read: this one's fixtures hold
    fictitious CPR numbers on purpose."""
    from standardgen.core import gitguard

    root = gitguard.repository_root(Path(__file__).parent)
    assert root is None or not gitguard.is_municipality_repository(root)


def test_a_letter_written_outside_output_is_refused_too(repo: Path) -> None:
    """A PDF or Word letter is binary, but its body holds the full CPR number: the hook reads
    their text (PDFium, the Word file's XML)."""
    assert run("new", "--examples").exit_code == 0
    example = repo / "eksempel"
    letter = run("letter", example / "cases" / "2026-085-0001.yaml", "--standards",
                 example / "standards", "--out", repo / "arkiv")
    assert letter.exit_code == 0, letter.output
    assert _git(repo, "add", "arkiv").returncode == 0
    commit = _git(repo, "commit", "-qm", "Breve")
    assert commit.returncode != 0
    refused = sorted(line.split(":", 1)[0] for line in commit.stderr.splitlines()
                     if "fejl: filen indeholder et CPR-nummer" in line)
    assert refused == ["arkiv/2026-085-0001.docx", "arkiv/2026-085-0001.pdf"], commit.stderr
    assert "arkiv/2026-085-0001.pdf:0:0:" in commit.stderr
