"""Read the two versions to compare: two files, or one file at two git revisions.

A version only needs to be a valid standard (the model); profile rules and the municipality file
are ``check``'s business, so an old version that predates a rule can still be compared.
"""

from __future__ import annotations

import dataclasses
import subprocess
import tempfile
from pathlib import Path

from standardgen.core import validation
from standardgen.core.codes import Code
from standardgen.core.problems import InputError, Problem, Severity, display_path
from standardgen.standards.model import Standard

GIT_TIMEOUT = 30


def load_version(path: Path) -> Standard:
    """The standard in ``path``, or :class:`InputError` with every error in it."""
    return validation.load(path, Standard)


def split_range(spec: str) -> tuple[str, str | None]:
    """``A..B`` -> (A, B); ``A..`` or ``A`` -> (A, None), meaning the file as it is now.

    Raises ``ValueError`` with a Danish message for anything else.
    """
    old, dots, new = spec.partition("..")
    if not old or new.startswith(".") or (dots and "." * 2 in new):
        raise ValueError(f"'{spec}' er ikke et interval som 'A..B' (fx 'HEAD~1..HEAD')")
    return old, (new or None)


def load_at_revision(path: Path, revision: str) -> Standard:
    """The standard as ``path`` was at git ``revision``; problems are located at ``REV:path``."""
    name = f"{revision}:{display_path(path)}"
    blob = _git_show(path, revision, name)
    with tempfile.TemporaryDirectory(prefix="standardgen-diff-") as folder:
        copy = Path(folder) / path.name
        copy.write_bytes(blob)
        try:
            return load_version(copy)
        except InputError as exc:
            raise InputError(dataclasses.replace(p, file=name) for p in exc.problems) from None


def _git_show(path: Path, revision: str, name: str) -> bytes:
    def fail(message: str) -> InputError:
        return InputError([Problem(name, 0, 0, Severity.ERROR, message, Code.REVISION)])

    if revision.startswith("-"):  # never let a revision be read as an option to git
        raise fail(f"'{revision}' er ikke en git-revision")
    folder = path.resolve().parent
    if not folder.is_dir():
        raise fail(f"mappen {folder} findes ikke")
    try:
        result = subprocess.run(
            ["git", "show", f"{revision}:./{path.name}"], cwd=folder, capture_output=True,
            timeout=GIT_TIMEOUT, check=False)
    except FileNotFoundError:
        raise fail("programmet git findes ikke; installér git for at bruge --rev") from None
    except subprocess.TimeoutExpired:
        raise fail(f"git svarede ikke inden for {GIT_TIMEOUT} sekunder") from None
    if result.returncode != 0:
        raise fail(_git_message(result.stderr.decode("utf-8", "replace"), revision))
    return result.stdout


def _git_message(stderr: str, revision: str) -> str:
    if "not a git repository" in stderr:
        return "filen ligger ikke i et git-arkiv"
    if "does not exist in" in stderr or "exists on disk, but not in" in stderr:
        return f"filen fandtes ikke i revisionen '{revision}'"
    if "invalid object name" in stderr or "unknown revision" in stderr or "bad revision" in stderr:
        return f"revisionen '{revision}' findes ikke i git"
    first = stderr.strip().splitlines()[0] if stderr.strip() else "ukendt fejl"
    return f"git kunne ikke læse revisionen '{revision}' ({first})"
