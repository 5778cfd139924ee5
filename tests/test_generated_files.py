"""Files made by a script are what their script makes now: the Word templates.

The JSON Schemas have the same check in test_schema.py. A template edited by hand in Word, or a
script changed without running it, fails here with the member that differs.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT

SCRIPTS = [
    (ROOT / "templates" / "make_docx_templates.py", ROOT / "templates" / "standard.docx"),
    (ROOT / "templates" / "form" / "make_docx_template.py",
     ROOT / "templates" / "form" / "opfoelgning.docx"),
]


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.mark.parametrize(("script", "committed"), SCRIPTS, ids=lambda p: Path(p).name)
def test_the_committed_template_is_what_its_script_makes(script: Path, committed: Path,
                                                         tmp_path: Path) -> None:
    made = tmp_path / committed.name
    subprocess.run([sys.executable, str(script), str(made)], check=True, capture_output=True,
                   cwd=tmp_path)
    ours, theirs = members(made), members(committed)
    assert sorted(ours) == sorted(theirs)
    differing = [name for name in ours if ours[name] != theirs[name]]
    assert differing == [], f"run python {script.relative_to(ROOT)} and commit {committed.name}"
