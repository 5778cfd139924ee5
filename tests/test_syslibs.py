"""A missing system library stops the test session with one line naming the package (issue 9)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from syslibs import missing_packages

TESTS = Path(__file__).resolve().parent

# Runs pytest with ctypes unable to load HarfBuzz-Subset, as on a machine without the package.
HIDE_HARFBUZZ_SUBSET = """
import ctypes, sys
real = ctypes.CDLL
class Hiding(real):
    def __init__(self, name, *args, **kwargs):
        if name and "harfbuzz-subset" in str(name):
            raise OSError(f"{name}: cannot open shared object file")
        super().__init__(name, *args, **kwargs)
ctypes.CDLL = Hiding
import pytest
sys.exit(pytest.main(sys.argv[1:]))
"""


def test_every_library_is_found_here() -> None:
    assert missing_packages() == []


def test_a_missing_library_names_its_package() -> None:
    assert missing_packages(lambda name: "harfbuzz-subset" not in name) == ["libharfbuzz-subset0"]


def test_the_session_stops_with_one_line_naming_the_package() -> None:
    result = subprocess.run(
        [sys.executable, "-c", HIDE_HARFBUZZ_SUBSET, "-p", "no:cacheprovider", "-q",
         str(TESTS / "test_selfcontained.py")],
        capture_output=True, text=True, timeout=120, cwd=TESTS.parent)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    lines = [line for line in output.splitlines() if "libharfbuzz-subset0" in line]
    assert len(lines) == 1, output
    assert "apt-get install libharfbuzz-subset0" in lines[0]
    assert "passed" not in output and "error" not in output.lower().replace(lines[0].lower(), "")
