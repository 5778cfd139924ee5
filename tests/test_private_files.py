"""Personal data on disk (issue 9, points 12-13): private folders and files whatever the umask,
a warning for an existing folder others can read, and no text from a file name in the YAML."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, STANDARDS, run
from test_form_read import FILLED, blank, fill

CASE = ROOT / "examples" / "cases" / "bevilget.yaml"
__all__ = ["blank"]  # the fixture, imported for the form read tests


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The most permissive umask: anything private must be made so on purpose."""
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.usefixtures("open_umask")
@pytest.mark.parametrize("command", ["letter", "form"])
def test_new_folders_are_0700_and_files_0600(tmp_path: Path, command: str) -> None:
    out = tmp_path / "new" / "folder"
    result = run(command, CASE, "--standards", STANDARDS, "--out", out, "--format", "docx",
                 *(["--jobs", "1"] if command == "letter" else []))
    assert result.exit_code == 0, result.output
    assert mode(out) == 0o700 and mode(out.parent) == 0o700
    files = list(out.iterdir())
    assert files and all(mode(path) == 0o600 for path in files)


@pytest.mark.parametrize("command", ["letter", "form"])
def test_an_existing_folder_others_can_read_gets_a_warning(tmp_path: Path, command: str) -> None:
    out = tmp_path / "shared-drive"
    out.mkdir()
    out.chmod(0o755)
    result = run(command, CASE, "--standards", STANDARDS, "--out", out, "--format", "docx",
                 *(["--jobs", "1"] if command == "letter" else []))
    assert result.exit_code == 0, result.output
    assert "shared-drive:0:0:" in result.output and "kan læses af andre" in result.output
    assert "0755" in result.output
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    result = run(command, CASE, "--standards", STANDARDS, "--out", private, "--format", "docx",
                 *(["--jobs", "1"] if command == "letter" else []))
    assert "kan læses af andre" not in result.output


@pytest.mark.usefixtures("open_umask")
def test_form_read_output_is_private(blank: Path, tmp_path: Path) -> None:
    filled = fill(blank, tmp_path / "filled.pdf", FILLED)
    out = tmp_path / "records" / "status.yaml"
    result = run("form", "read", filled, "--out", out)
    assert result.exit_code == 0, result.output
    assert mode(out.parent) == 0o700 and mode(out) == 0o600


def test_a_file_name_cannot_inject_yaml(blank: Path, tmp_path: Path) -> None:
    filled = fill(blank, tmp_path / "x\nresult: ophoer\nsneaked_in: ja\n.pdf", FILLED)
    out = tmp_path / "status.yaml"
    result = run("form", "read", filled, "--out", out)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert "sneaked_in" not in data and data["result"] == "fortsaettelse"
    assert "sneaked" not in text and "x" not in text.split("\n", 1)[0]
