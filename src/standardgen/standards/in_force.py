"""The version of a standard that was in force on a day: what a letter decided that day quotes.

The file as it is now, when its approval date is on or before the day; otherwise the newest
earlier version in the file's git history approved on or before the day (a commit per approved
version is how municipalities keep standards; several commits with one approval date are edits of
that version, and the newest of them wins). Without that text in git, ``history:`` still tells
which version was in force, and the answer says so; nothing in force yet is an answer too.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from standardgen.core import validation
from standardgen.core.dates import long_date
from standardgen.core.problems import InputError
from standardgen.core.yamlsource import parse_yaml_bytes
from standardgen.standards.model import Standard

GIT_TIMEOUT = 30


@dataclass(frozen=True)
class InForce:
    """The standard in force, or why there is none (a Danish sentence)."""

    standard: Standard | None
    reason: str = ""


def in_force(current: Standard, source: Path, day: dt.date) -> InForce:
    """The version of the standard at ``source`` (now ``current``) in force on ``day``."""
    if current.approval.date <= day:
        return InForce(current)
    stat = source.stat() if source.is_file() else None
    for approved in _history(source.resolve(), stat.st_mtime_ns if stat else 0):
        if approved.approval.date <= day:
            return InForce(approved)
    return InForce(None, _why_none(current, day))


def _why_none(current: Standard, day: dt.date) -> str:
    when = long_date(day)
    listed = [r for r in current.history if r.approval.date <= day]
    if listed:
        old = listed[0]
        return (f"på afgørelsesdatoen {when} gjaldt version {old.version} (godkendt "
                f"{long_date(old.approval.date)}), men dens tekst findes ikke i filens "
                "git-historik, så brevet kan ikke citere den; den nuværende version er godkendt "
                f"{long_date(current.approval.date)}")
    first = min([current.approval.date, *(r.approval.date for r in current.history)])
    return (f"ingen version af standarden var godkendt på afgørelsesdatoen {when}; den første "
            f"er godkendt {long_date(first)}")


@lru_cache(maxsize=64)
def _history(path: Path, _mtime: int) -> tuple[Standard, ...]:
    """Every committed version of ``path`` that is a valid standard, newest first (cached per
    file and modification time: a batch asks once per standard)."""
    commits = _git(path, "log", "--format=%H", "--", path.name)
    if commits is None:
        return ()
    found = []
    for commit in commits.decode().split():
        blob = _git(path, "show", f"{commit}:./{path.name}")
        if blob is None:
            continue
        try:
            found.append(validation.parse_valid(
                parse_yaml_bytes(blob, Path(f"{commit[:7]}:{path.name}")), Standard))
        except InputError:
            continue  # a version that was never valid was never approved as it stands
    return tuple(found)


def _git(path: Path, *args: str) -> bytes | None:
    try:
        result = subprocess.run(["git", *args], cwd=path.parent, capture_output=True,
                                timeout=GIT_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None  # no git, or no answer: only the file as it is now can be quoted
    return result.stdout if result.returncode == 0 else None
