"""The command line speaks Danish: help, usage errors and file-system errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from standardgen.cli import main


def run(args: list[str]) -> Result:
    return CliRunner().invoke(main, args, prog_name="standardgen")


COMMANDS = ("build", "check", "desk", "diff", "doctor", "form", "import", "init", "letter",
            "new", "schema", "serve", "status")


def test_help_is_danish_and_lists_every_command() -> None:
    result = run(["--help"])
    assert result.exit_code == 0
    assert result.output.startswith("Brug: standardgen [TILVALG] KOMMANDO [ARGUMENTER]...")
    assert "Tilvalg:" in result.output and "Kommandoer:" in result.output
    listed = [line.split()[0] for line in result.output.split("Kommandoer:")[1].splitlines()
              if line.strip()]
    assert tuple(listed) == COMMANDS
    assert "Show this message" not in result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_danish_help(command: str) -> None:
    result = run([command, "-h"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Brug: standardgen {command}")
    assert "Vis denne hjælp og afslut." in result.output


def test_usage_error_is_one_danish_line_and_exit_2() -> None:
    result = run(["check", "--strickt"])
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "standardgen check: fejl: ukendt tilvalg '--strickt'; mente du '--strict'?",
        "Se 'standardgen check --help'.",
    ]


def test_unwritable_output_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = run(["schema", "--out", str(blocker / "schema")])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.output.startswith(f"{blocker / 'schema'}:0:0: fejl: en del af stien er en fil, "
                                    "ikke en mappe")


@pytest.mark.parametrize("command", [["build", "--out"], ["letter", "examples/cases", "--out"],
                                     ["form", "examples/cases", "--out"]])
def test_a_missing_template_folder_is_one_located_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    root = Path(__file__).resolve().parent.parent
    monkeypatch.chdir(root)
    monkeypatch.setenv("STANDARDGEN_TEMPLATES", str(tmp_path / "ingen"))
    result = run([*command, str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"{tmp_path / 'ingen'}:0:0: fejl: skabelonmappen findes ikke; ret eller fjern "
        "miljøvariablen STANDARDGEN_TEMPLATES")
    assert not (tmp_path / "out").exists()
