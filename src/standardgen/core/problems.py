"""Problems found in input files, reported as ``file:line:col: fejl|advarsel: message``.

Everything in the text line is Danish, because it is read by the policy staff and caseworkers who
fix the input. Machines read ``--format json|github|gitlab``, where the severity stays
``error``/``warning`` (the value of :class:`Severity`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path
from typing import Literal

from standardgen.core.codes import Code
from standardgen.core.cpr import mask_in_text


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"  # figures for the author (LIX); never fails a check, not even --strict

    @property
    def label(self) -> str:
        """The word a person reads in a text line."""
        return _LABELS[self]


_LABELS = {Severity.ERROR: "fejl", Severity.WARNING: "advarsel", Severity.INFO: "info"}


@dataclass(frozen=True, order=True)
class Problem:
    """One located problem. ``line`` and ``column`` are 1-based; 0 means "the whole file"."""

    file: str
    line: int
    column: int
    severity: Severity
    message: str
    code: Code | Literal[""] = ""

    def format(self) -> str:
        text = f"{self.file}:{self.line}:{self.column}: {self.severity.label}: {self.message}"
        return mask_in_text(text)

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["severity"] = self.severity.value
        data["message"] = mask_in_text(self.message)
        data["file"] = mask_in_text(self.file)
        return data


class InputError(Exception):
    """Raised when input cannot be used; carries every problem found, not just the first."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(p.format() for p in self.problems))


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        # A link (a template in a merged template folder) is named by the file it points to.
        return str(path.resolve() if path.is_symlink() else path)


def errors(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity is Severity.ERROR]


def promote_warnings(problems: Iterable[Problem]) -> list[Problem]:
    """``--strict``: every warning becomes an error."""
    return [
        Problem(p.file, p.line, p.column, Severity.ERROR, p.message, p.code)
        if p.severity is Severity.WARNING
        else p
        for p in problems
    ]


def to_json(problems: Iterable[Problem]) -> str:
    return json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2)
