"""Read cases from YAML files and CSV batches into validated :class:`~standardgen.cases.model.Case`.

A CSV row is one case. Columns are the YAML keys joined with dots (``citizen.address.street``);
list fields (``facts``, ``considerations``, ``hearing.disclosed``) separate items with `` | ``.
Both ``,`` and ``;`` (Danish Excel) are accepted as delimiters. Problems are located by row and
column, and a bad row never stops the good ones.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from standardgen.cases import followup
from standardgen.cases.model import Case, CaseSource, case_model
from standardgen.cases.rules import case_findings
from standardgen.cases.vocabulary import vocabulary
from standardgen.core import validation
from standardgen.core.codes import Code
from standardgen.core.dates import iso_or_same
from standardgen.core.problems import InputError, Problem, Severity, display_path, errors
from standardgen.core.yamlsource import (
    MAX_BYTES,
    Loc,
    Mark,
    YamlDocument,
    iter_yaml_files,
    load_yaml,
    wide_encoding,
)
from standardgen.standards.profiles import service_profiles

# A cell longer than this is refused (the longest text a letter has is a fact or a reason; ten
# thousand characters are about four pages). Documented in the README.
MAX_CELL = 10_000
MAX_CSV_BYTES = MAX_BYTES * 8
LIST_SEPARATOR = " | "
MAX_ITEMS = 99  # items of a list of groups (a follow-up's goals: a form numbers them 1-99)


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
    "hearing.date", "hearing.response", "hearing.not_held_reason", "hearing.disclosed",
    "follow_up.due",
)
LIST_COLUMNS = _list_columns()
DATE_COLUMNS = frozenset(column for column in COLUMNS if column.rsplit(".", 1)[-1] in {
    "decision_date", "start_date", "end_date", "effective_date", "last_day", "date", "due"})
# The desk hands refused rows back with their reasons in this column, to be fixed and read
# again: the column is allowed, and never read.
REASONS_COLUMN = "fejl"
DRAFT_KEY = "draft"  # a case saved unfinished from the desk ("Gem kladde")


@dataclass(frozen=True)
class CaseBatch:
    cases: tuple[CaseSource, ...]
    problems: tuple[Problem, ...]
    read: int = 0  # cases read: every YAML file and CSV row, valid or not


class Reading(NamedTuple):
    """What reading gave: a valid case or None, the problems, and how many cases (YAML files or
    CSV rows) this stands for: 1 for a case, 0 for a problem about a file or a folder, and the
    number of rows for rows refused together (a file with a bad header, an open quote)."""

    source: CaseSource | None
    problems: list[Problem]
    cases: int = 1


# Validates one case document read on a day: the model (chosen by the case's standard) and the
# case rules (:class:`standardgen.cases.check.CaseChecker`).
Checker = Callable[[YamlDocument, str, dt.date], "Reading"]


def load_cases(paths: Iterable[Path], today: dt.date | None = None,
               check: Checker | None = None) -> CaseBatch:
    cases: list[CaseSource] = []
    problems: list[Problem] = []
    read = 0
    for reading in iter_cases(paths, today, check):
        problems += reading.problems
        read += reading.cases
        if reading.source is not None:
            cases.append(reading.source)
    unique, duplicates = _split_duplicates(cases)
    return CaseBatch(tuple(unique), tuple(sorted([*problems, *duplicates])), read)


def iter_cases(paths: Iterable[Path], today: dt.date | None = None,
               check: Checker | None = None) -> Iterator[Reading]:
    """Each case (or None) with its problems, one at a time: a batch of any size is read in
    constant memory. A case with an error is None: it gets nothing, in every command; warnings
    do not stop it. Duplicate case numbers are not checked here (see :func:`duplicate`).
    A folder gives its case files (``*.yaml``, ``*.yml``, ``*.csv``); a path that does not exist
    is a problem, and the other paths are still read. ``today`` (by default the clock's) decides
    what lies in the future. ``check`` validates each case (the letter and form commands pass a
    :class:`standardgen.cases.check.CaseChecker`); without it, the generic model and rules."""
    day = today or dt.date.today()
    parse = check or _parse
    for path in expand(paths):
        if isinstance(path, Problem):
            yield Reading(None, [path], 0)
            continue
        try:
            if path.suffix.lower() == ".csv":
                yield from _csv_cases(path, day, parse)
            else:
                yield parse(_case_document(path), display_path(path), day)
        except InputError as exc:
            yield Reading(None, list(exc.problems))


def _case_document(path: Path) -> YamlDocument:
    """A case file; a decision file after a follow-up (``based_on:``) is completed from the case
    and the follow-up record it names (:mod:`standardgen.cases.followup`)."""
    document = load_yaml(path)
    return followup.resolve(document) if followup.is_decision(document) else document


def expand(paths: Iterable[Path]) -> Iterator[Path | Problem]:
    """Files as given; for a folder, its case files, or a problem when it has none."""
    for path in paths:
        if not path.exists():
            yield Problem(display_path(path), 0, 0, Severity.ERROR, "stien findes ikke",
                          Code.NOT_FOUND)
            continue
        if not path.is_dir():
            yield path
            continue
        found = [*iter_yaml_files(path), *sorted(path.glob("*.csv"))]
        if not found:
            yield Problem(display_path(path), 0, 0, Severity.ERROR,
                          "mappen indeholder ingen sager (*.yaml, *.csv)", Code.EMPTY_DIR)
        yield from found


def draft_problem(document: YamlDocument) -> Problem | None:
    """A draft saved from the desk gets no letter or form until it is completed there."""
    if document.data.get(DRAFT_KEY) is not True:
        return None
    return document.problem((DRAFT_KEY,), "sagen er en kladde fra skrivebordet: indlæs den i "
                            "skrivebordet (standardgen desk), gør den færdig, og hent sagsfilen "
                            "igen", code=Code.DRAFT)


def size_problems(document: YamlDocument) -> list[Problem]:
    """A YAML case (or a desk upload) within the limits of a CSV row: no text longer than a
    cell, no list of texts longer than a cell holds (its items joined by `` | ``), no list of
    groups longer than a form has goals. Without them, 200,000 facts gave a 3,925-page letter
    and 3.7 GB of memory."""
    if _within_limits(document.data):  # every case but a hostile one: no locations needed
        return []
    problems: list[Problem] = []
    pending: list[tuple[Loc, Any]] = [((), document.data)]
    while pending and len(problems) < validation.MAX_PROBLEMS:
        loc, value = pending.pop()
        message = _size_message(value)
        if message:
            problems.append(document.problem(loc, message, code=Code.CASE_SIZE))
        elif isinstance(value, dict):
            pending += [((*loc, key), item) for key, item in value.items()]
        elif isinstance(value, list):
            pending += [((*loc, index), item) for index, item in enumerate(value)]
    return sorted(problems)


def _within_limits(value: Any) -> bool:
    """Whether nothing in ``value`` breaks a limit (:func:`_size_message`), without the
    locations: a case is read once per letter, and most are far inside the limits."""
    if isinstance(value, str):
        return len(value) <= MAX_CELL
    if isinstance(value, dict):
        return all(_within_limits(item) for item in value.values())
    if isinstance(value, list):
        return _size_message(value) is None and all(_within_limits(item) for item in value)
    return True


def _size_message(value: Any) -> str | None:
    if isinstance(value, str) and len(value) > MAX_CELL:
        return f"teksten er for lang ({len(value)} tegn; højst {MAX_CELL}, som i en CSV-celle)"
    if isinstance(value, list) and value and all(isinstance(item, str) for item in value):
        joined = sum(map(len, value)) + len(LIST_SEPARATOR) * (len(value) - 1)
        if joined > MAX_CELL:
            return (f"listen er for lang ({len(value)} punkter, {joined} tegn i alt; højst "
                    f"{MAX_CELL} tegn, som i en CSV-celle)")
    if isinstance(value, list) and len(value) > MAX_ITEMS:
        return f"listen har for mange punkter ({len(value)}; højst {MAX_ITEMS})"
    return None


def _parse(document: YamlDocument, origin: str, today: dt.date) -> Reading:
    draft = draft_problem(document)
    if draft is not None:
        return Reading(None, [draft])
    too_large = size_problems(document)
    if too_large:
        return Reading(None, too_large)
    case, problems = validation.parse(document, case_model(None), vocabulary().namer())
    if case is not None:
        problems += [document.problem(f.loc, f.message, code=f.code, severity=f.severity)
                     for f in case_findings(case, today)]
    if case is None or errors(problems):
        return Reading(None, problems)
    return Reading(CaseSource(case, origin, document), problems)


def _csv_cases(path: Path, today: dt.date, parse: Checker) -> Iterator[Reading]:
    name = display_path(path)
    text = _read_csv_text(path, name)
    dialect = _dialect(text)
    rows = _Rows(name, text, dialect)
    header = csv_columns(rows.header())
    found = _header_problems(name, header)
    if errors(found):  # no letter from this file: a value might be missing from every row
        count = sum(1 for _ in rows)
        yield Reading(None, [*found, Problem(
            name, 1, 0, Severity.ERROR, f"ingen sager læst fra filen: overskriften har fejl "
            f"({count} rækker afvist)", Code.HEADER)], count)
        return
    yield Reading(None, found, 0)
    count = 0
    for line, row in rows:
        count += 1
        if len(row) != len(header):
            yield Reading(None, [Problem(name, line, 1, Severity.ERROR,
                                         f"rækken har {len(row)} felter, overskriften "
                                         f"{len(header)}{rows.span(line)}", Code.CSV_ROW)])
            continue
        too_long = _long_cell(name, line, row)
        if too_long is not None:
            yield Reading(None, [too_long])
            continue
        yield parse(_row_document(path, header, row, line), f"{name}:{line}", today)
    if rows.broken is not None:
        yield rows.broken
    elif count == 0:
        yield Reading(None, [Problem(name, 1, 0, Severity.WARNING,
                                     "CSV-filen har kun en overskrift og ingen sager",
                                     Code.NO_ROWS)],
                      0)


class _Rows:
    """The rows of a CSV text with their line numbers. A row the csv module cannot read (a quote
    that is never closed swallows every row after it) ends the file with one located problem that
    names the swallowed lines, which all count as refused cases (``broken``)."""

    def __init__(self, name: str, text: str, dialect: type[csv.Dialect] | csv.Dialect) -> None:
        self.name, self.text, self.delimiter = name, text, dialect.delimiter
        # Every cell up to the size of the file: the cell limit is checked here, located.
        csv.field_size_limit(max(csv.field_size_limit(), MAX_CSV_BYTES))
        self.reader = csv.reader(io.StringIO(text), dialect, strict=True)
        self.broken: Reading | None = None
        self.last_line = 0

    def header(self) -> list[str]:
        try:
            header = next(self.reader, None)
        except csv.Error as exc:
            raise InputError([Problem(self.name, 1, 1, Severity.ERROR,
                                      f"overskriften kan ikke læses som CSV ({exc})",
                                      Code.CSV)]) from None
        if not header:
            raise InputError([Problem(self.name, 1, 1, Severity.ERROR, "CSV-filen er tom",
                                      Code.EMPTY)])
        self.last_line = self.reader.line_num
        return [column.strip() for column in header]

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        while True:
            start = self.last_line + 1
            try:
                row = next(self.reader)
            except StopIteration:
                return
            except csv.Error as exc:
                self.broken = self._broken(start, str(exc))
                return
            self.last_line = self.reader.line_num
            if any(cell.strip() for cell in row):
                yield start, row

    def span(self, start: int) -> str:
        """For a row that ran over several lines: which, since an open quote is the usual cause."""
        end = self.reader.line_num
        if end <= start:
            return ""
        return f" og fortsætter til linje {end}; er et citationstegn ikke lukket?"

    def _broken(self, start: int, reason: str) -> Reading:
        lines = self.text.splitlines()
        rows = [number for number in range(start, len(lines) + 1)
                if lines[number - 1].strip()]
        opened = _open_quote(lines[start - 1:], self.delimiter)
        if opened is not None:
            line, column = start + opened[0], opened[1]
            message = "citationstegnet her lukkes aldrig"
        else:
            line, column, message = start, 1, f"rækken kan ikke læses som CSV ({reason})"
        swallowed = [number for number in rows if number != start]
        if swallowed:
            message += (f"; linje {swallowed[0]}-{swallowed[-1]} er derfor ikke læst "
                        f"({len(rows)} rækker afvist)")
        return Reading(None, [Problem(self.name, line, column, Severity.ERROR, message,
                                      Code.CSV_QUOTE if opened else Code.CSV)], len(rows))


def _open_quote(lines: list[str], delimiter: str) -> tuple[int, int] | None:
    """Where (line offset, field number) the quote opens that is still open at the end."""
    opened: tuple[int, int] | None = None
    field_number, at_start = 1, True
    for offset, line in enumerate(lines):
        index = 0
        while index < len(line):
            char = line[index]
            if opened is None:
                if char == '"' and at_start:
                    opened = (offset, field_number)
                elif char == delimiter:
                    field_number += 1
                    at_start = True
                    index += 1
                    continue
                at_start = False
            elif char == '"':
                if line[index + 1: index + 2] == '"':
                    index += 1  # an escaped quote inside the field
                else:
                    opened = None
            index += 1
        if opened is None:
            field_number, at_start = 1, True  # a new row begins on the next line
    return opened


def _long_cell(name: str, line: int, row: list[str]) -> Problem | None:
    if max(map(len, row), default=0) <= MAX_CELL:  # the usual case, at C speed
        return None
    for column, cell in enumerate(row, start=1):
        if len(cell) > MAX_CELL:
            return Problem(name, line, column, Severity.ERROR,
                           f"feltet er for langt ({len(cell)} tegn; højst {MAX_CELL})",
                           Code.CELL_SIZE)
    return None


def _read_csv_text(path: Path, name: str) -> str:
    def fail(message: str, code: Code) -> InputError:
        return InputError([Problem(name, 0, 0, Severity.ERROR, message, code)])

    if not path.is_file():
        raise fail("filen findes ikke", Code.NOT_FOUND)
    if path.stat().st_size > MAX_CSV_BYTES:
        raise fail("filen er for stor", Code.SIZE)
    raw = path.read_bytes()
    wide = wide_encoding(raw)
    if wide:
        raise fail(f"filen er gemt som {wide} (fx Excels 'Unicode-tekst'); gem den som "
                   "'CSV UTF-8'", Code.ENCODING)
    if b"\x00" in raw:
        raise fail("filen er binær, ikke en CSV-tekstfil", Code.BINARY)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise fail("filen er ikke gemt som UTF-8 (vælg 'CSV UTF-8' ved gem)",
                   Code.ENCODING) from None
    # CR alone ends every line (Excel for Mac's "CSV (Macintosh)"): the csv module would read
    # the whole file as one line and refuse it in English.
    return text.replace("\r", "\n") if "\r" in text and "\n" not in text else text


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    first = text.split("\n", 1)[0]
    return csv.excel if first.count(",") >= first.count(";") else _Semicolon()


class _Semicolon(csv.excel):
    delimiter = ";"


def csv_columns(header: list[str]) -> list[str]:
    """The keys a CSV header names: a column may be headed by its key, its Danish label (as in
    the desk's CSV template) or an alias (``data/case_fields.yaml``); an unknown heading stays
    as it is, and is reported."""
    words = vocabulary()
    return [REASONS_COLUMN if heading.strip().casefold() == REASONS_COLUMN
            else words.column(heading, COLUMNS) or heading for heading in header]


def _header_problems(name: str, header: list[str]) -> list[Problem]:
    problems = []
    known = {*COLUMNS, REASONS_COLUMN}
    for index, column in enumerate(header, start=1):
        if column not in known:
            problems.append(Problem(name, 1, index, Severity.ERROR,
                                    f"ukendt kolonne '{column}'", Code.UNKNOWN_COLUMN))
        elif header.index(column) != index - 1:
            problems.append(Problem(name, 1, index, Severity.ERROR,
                                    f"kolonnen '{vocabulary().label(column)}' står to gange "
                                    "(under to navne, eller to gange)", Code.DUPLICATE_COLUMN))
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
            # A Danish date (4.5.2026, "4. maj 2026") is read as the ISO date it means.
            target[parts[-1]] = iso_or_same(value) if column in DATE_COLUMNS else value
        marks[loc] = (line, index)
    return YamlDocument(path, data, marks, dict(marks))


def _split_duplicates(cases: list[CaseSource]) -> tuple[list[CaseSource], list[Problem]]:
    """The first case with each file name (case number and the kind's suffix: a grant and a
    later change in the same case are two files), and a problem for every later one: two letters
    with the same name would overwrite each other's file."""
    seen: dict[str, str] = {}
    unique, problems = [], []
    for source in cases:
        number = file_key(source.case)
        if number not in seen:
            seen[number] = source.origin
            unique.append(source)
        else:
            problems.append(duplicate(source, seen[number]))
    return unique, problems


def file_key(case: Case) -> str:
    """What names a case's letter and form files, compared as a file system does."""
    return number_key(case.case_number + case.kind.file_suffix)


def number_key(case_number: str) -> str:
    """Case numbers that differ only by case are the same: ``C-1.pdf`` and ``c-1.pdf`` are one
    file on Windows and macOS, so one letter would overwrite the other."""
    return case_number.casefold()


def duplicate(source: CaseSource, first: str) -> Problem:
    """The problem for a case whose number was already used by the case at ``first``."""
    return source.problem(("case_number",),
                          f"sagsnummer '{source.case.case_number}' findes også i {first}",
                          code=Code.DUPLICATE_CASE)
