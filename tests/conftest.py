"""Shared fixtures."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import clients  # tests/ has no __init__.py, so pytest (import mode prepend) puts it on sys.path
import syslibs

ROOT = Path(__file__).resolve().parent.parent
STANDARDS = ROOT / "standards"
NORDDJURS = STANDARDS / "aktivitets-og-samvaerstilbud.yaml"
# The seed text (Norddjurs' published standard as extracted text) is a fixture of this
# repository: the tests never read anything beside the clone.
SEED = ROOT / "tests" / "data" / "seed" / "000_d3fb43508b105a39.txt"


@pytest.fixture(autouse=True)
def no_standardgen_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts without the developer's STANDARDGEN_* variables (a template folder,
    a fixed today, a desk token): a test sets what it needs itself."""
    for name in [name for name in os.environ if name.startswith("STANDARDGEN_")]:
        monkeypatch.delenv(name)


@pytest.fixture(autouse=True)
def commands_report_instead_of_raising(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every command a test runs in this process ends with an exit code, having reported any
    problem. One that raised anything but ``SystemExit`` would show a user a traceback; click's
    runner would keep it in ``result.exception`` and a test checking only the output might pass,
    so the test fails here with it."""
    invoke = CliRunner.invoke

    def checked(self: CliRunner, cli: Any, args: Any = None, **kwargs: Any) -> Result:
        result = invoke(self, cli, args, **kwargs)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise AssertionError(f"{args} raised instead of reporting: "
                                 f"{result.exception!r}") from result.exception
        return result

    monkeypatch.setattr(CliRunner, "invoke", checked)


@pytest.fixture
def standards_copy(tmp_path: Path) -> Path:
    """A writable copy of standards/ (with its municipality file)."""
    target = tmp_path / "standards"
    shutil.copytree(STANDARDS, target)
    return target


def pytest_configure(config: pytest.Config) -> None:
    """One clear line, before anything is collected, when a system library is missing."""
    missing = syslibs.missing_packages()
    if missing:
        raise pytest.UsageError(syslibs.message(missing))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Close the headless browser that clients.axe() keeps for the whole session."""
    clients.shutdown()


def without_info(output: str) -> str:
    """Problem lines without the information lines (klarsprog figures) that check always adds."""
    return "".join(line for line in output.splitlines(keepends=True) if ": info: " not in line)


def edit(path: Path, old: str, new: str) -> str:
    """Replace the one occurrence of ``old`` in ``path``; returns the new text."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur exactly once in {path.name}"
    text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return text


def child_pids(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (Linux /proc)."""
    found = []
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat_file.parent.name))
    return found


def run(*args: str | Path) -> Result:
    """``standardgen ARGS`` in this process (click's runner), every argument as text."""
    from standardgen.cli import main

    return CliRunner().invoke(main, [str(a) for a in args])
