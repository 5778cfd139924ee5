"""Read cases from YAML files and CSV batches into validated :class:`~standardgen.case.Case`.

A CSV row is one case. Columns are the YAML keys joined with dots (``citizen.address.street``);
list fields (``facts``, ``considerations``, ``hearing.disclosed``) separate items with `` | ``.
Both ``,`` and ``;`` (Danish Excel) are accepted as delimiters. Problems are located by row and
column, and a bad row never stops the good ones.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from standardgen import validation
from standardgen.case import Case, case_model
from standardgen.problems import InputError, Problem, Severity, display_path
from standardgen.profiles import service_profiles
from standardgen.yamlsource import (
    MAX_BYTES,
    Loc,
    Mark,
    YamlDocument,
    iter_yaml_files,
    load_yaml,
)

LIST_SEPARATOR = " | "


def _extent_columns(group: str) -> list[str]:
    """The extent's columns of every service profile (a CSV may mix service types; the row's
    standard decides which of them it may fill)."""
    names = [name for profile in service_profiles() for name in profile.extent]
    return [f"{group}.{name}" for name in dict.fromkeys(names)] + [
        f"{group}.start_date", f"{group}.end_date"]


def _list_columns() -> frozenset[str]:
    lists = {name for profile in service_profiles() for name, spec in profile.extent.items()
             if spec.type == "list"}
    return frozenset({"facts", "considerations", "hearing.disclosed",
                      *(f"{group}.{name}" for group in ("extent", "previous_extent")
                        for name in lists)})


COLUMNS: tuple[str, ...] = (
    "case_number", "standard", "result", "decision_date", "channel", "applied_for",
    "citizen.name", "citizen.cpr", "citizen.address.street", "citizen.address.postcode",
    "citizen.address.city",
    "caseworker.name", "caseworker.phone", "caseworker.email", "caseworker.unit",
    *_extent_columns("extent"), *_extent_columns("previous_extent"),
    "change.direction", "change.effective_date", "end.last_day", "end.reason",
    "facts", "considerations",
    "hearing.date", "hearing.not_held_reason", "hearing.disclosed",
    "follow_up.due",
)
LIST_COLUMNS = _list_columns()

# Validates one case document: the model (chosen by the case's standard) and the case rules.
Checker = Callable[["YamlDocument", str], tuple["CaseSource | None", list[Problem]]]


@dataclass(frozen=True)
class CaseSource:
    """A valid case and where it came from (file, and row for CSV), for messages."""

    case: Case
    origin: str
    # The source document, to locate problems found after validation (letter rules) by line
    # and column; None for a case built in code.
    document: YamlDocument | None = field(default=None, compare=False, repr=False)

    def problem(self, loc: Loc, message: str, *, code: str = "",
                severity: Severity = Severity.ERROR) -> Problem:
        """A problem found after validation, at ``loc`` in the case file or CSV row."""
        if self.document is not None:
            return self.document.problem(loc, message, code=code, severity=severity)
        return Problem(self.origin, 0, 0, severity, message, code)


@dataclass(frozen=True)
class CaseBatch:
    cases: tuple[CaseSource, ...]
    problems: tuple[Problem, ...]


def load_cases(paths: Iterable[Path], check: Checker | None = None) -> CaseBatch:
    cases: list[CaseSource] = []
    problems: list[Problem] = []
    for source, found in iter_cases(paths, check):
        problems += found
        if source is not None:
            cases.append(source)
    unique, duplicates = _split_duplicates(cases)
    return CaseBatch(tuple(unique), tuple(sorted([*problems, *duplicates])))


def iter_cases(paths: Iterable[Path], check: Checker | None = None,
               ) -> Iterator[tuple[CaseSource | None, list[Problem]]]:
    """Each case (or None) with its problems, one at a time: a batch of any size is read in
    constant memory. Duplicate case numbers are not checked here (see :func:`duplicate`).
    A folder gives its case files (``*.yaml``, ``*.yml``, ``*.csv``). ``check`` validates each
    case (:class:`standardgen.casecheck.CaseChecker`); without it, only the generic model."""
    parse = check or _parse
    for path in expand(paths):
        if isinstance(path, Problem):
            yield None, [path]
            continue
        try:
            if path.suffix.lower() == ".csv":
                yield from _csv_cases(path, parse)
            else:
                yield parse(load_yaml(path), display_path(path))
        except InputError as exc:
            yield None, list(exc.problems)


def expand(paths: Iterable[Path]) -> Iterator[Path | Problem]:
    """Files as given; for a folder, its case files, or a problem when it has none."""
    for path in paths:
        if not path.is_dir():
            yield path
            continue
        found = [*iter_yaml_files(path), *sorted(path.glob("*.csv"))]
        if not found:
            yield Problem(display_path(path), 0, 0, Severity.ERROR,
                          "mappen indeholder ingen sager (*.yaml, *.csv)", "empty-dir")
        yield from found


def _parse(document: YamlDocument, origin: str) -> tuple[CaseSource | None, list[Problem]]:
    case, problems = validation.parse(document, case_model(None))
    return (CaseSource(case, origin, document) if case is not None else None), problems


def _csv_cases(path: Path,
               parse: Checker) -> Iterator[tuple[CaseSource | None, list[Problem]]]:
    name = display_path(path)
    text = _read_csv_text(path, name)
    dialect = _dialect(text)
    reader = csv.reader(io.StringIO(text), dialect)
    header = next(reader, None)
    if not header:
        raise InputError([Problem(name, 1, 1, Severity.ERROR, "CSV-filen er tom", "empty")])
    header = [column.strip() for column in header]
    yield None, _header_problems(name, header)
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            yield None, [Problem(name, line, 1, Severity.ERROR,
                                 f"rækken har {len(row)} felter, overskriften {len(header)}",
                                 "csv-row")]
            continue
        yield parse(_row_document(path, header, row, line), f"{name}:{line}")


def _read_csv_text(path: Path, name: str) -> str:
    def fail(message: str, code: str) -> InputError:
        return InputError([Problem(name, 0, 0, Severity.ERROR, message, code)])

    if not path.is_file():
        raise fail("filen findes ikke", "not-found")
    if path.stat().st_size > MAX_BYTES * 8:
        raise fail("filen er for stor", "size")
    raw = path.read_bytes()
    if b"\x00" in raw:
        raise fail("filen er binær, ikke en CSV-tekstfil", "binary")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise fail("filen er ikke gemt som UTF-8 (vælg 'CSV UTF-8' ved gem)", "encoding") from None


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    first = text.split("\n", 1)[0]
    return csv.excel if first.count(",") >= first.count(";") else _Semicolon()


class _Semicolon(csv.excel):
    delimiter = ";"


def _header_problems(name: str, header: list[str]) -> list[Problem]:
    problems = []
    known = set(COLUMNS)
    for index, column in enumerate(header, start=1):
        if column not in known:
            problems.append(Problem(name, 1, index, Severity.ERROR,
                                    f"ukendt kolonne '{column}'", "unknown-column"))
        elif header.index(column) != index - 1:
            problems.append(Problem(name, 1, index, Severity.ERROR,
                                    f"kolonnen '{column}' står to gange", "duplicate-column"))
    return problems


def _row_document(path: Path, header: list[str], row: list[str], line: int) -> YamlDocument:
    data: dict[str, Any] = {}
    marks: dict[Loc, Mark] = {(): (line, 1)}
    for index, (column, cell) in enumerate(zip(header, row, strict=True), start=1):
        value = cell.strip()
        if not value or column not in COLUMNS:
            continue
        parts = column.split(".")
        target = data
        for depth, part in enumerate(parts[:-1], start=1):
            target = target.setdefault(part, {})
            marks.setdefault(tuple(parts[:depth]), (line, index))
        loc = tuple(parts)
        if column in LIST_COLUMNS:
            items = [item.strip() for item in value.split(LIST_SEPARATOR.strip())]
            target[parts[-1]] = [item for item in items if item]
            marks.update({(*loc, i): (line, index) for i in range(len(items))})
        else:
            target[parts[-1]] = value
        marks[loc] = (line, index)
    return YamlDocument(path, data, marks, dict(marks))


def _split_duplicates(cases: list[CaseSource]) -> tuple[list[CaseSource], list[Problem]]:
    """The first case with each case number, and a problem for every later one: two letters
    with the same number would overwrite each other's file."""
    seen: dict[str, str] = {}
    unique, problems = [], []
    for source in cases:
        number = source.case.case_number
        if number not in seen:
            seen[number] = source.origin
            unique.append(source)
        else:
            problems.append(duplicate(source, seen[number]))
    return unique, problems


def duplicate(source: CaseSource, first: str) -> Problem:
    """The problem for a case whose number was already used by the case at ``first``."""
    return source.problem(("case_number",),
                          f"sagsnummer '{source.case.case_number}' findes også i {first}",
                          code="duplicate-case")
