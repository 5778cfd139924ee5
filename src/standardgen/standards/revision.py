"""When is a standard due for revision? Warnings for ``check`` and the table for ``status``.

Mandatory standards (serviceloven §§ 83, 83 a, 86) must be revised at least once a year and most
municipalities revise every standard yearly, so a ``next_revision`` date that has passed, or comes
within :data:`DUE_WITHIN_DAYS`, is flagged. Today's date can be fixed with ``STANDARDGEN_TODAY``
(``YYYY-MM-DD``) so that tests and reports are reproducible.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from standardgen.core.codes import Code
from standardgen.core.dates import long_date, short_date
from standardgen.core.problems import InputError, Problem, Severity, display_path
from standardgen.core.yamlsource import YamlDocument
from standardgen.standards.model import Standard


class Loaded(Protocol):
    """What the status table needs of a loaded standard (``catalogue.LoadedStandard``), named
    here so that this module does not import the catalogue, which imports it."""

    @property
    def standard(self) -> Standard: ...

    @property
    def source(self) -> Path: ...

TODAY_VARIABLE = "STANDARDGEN_TODAY"
DUE_WITHIN_DAYS = 30


class Due(StrEnum):
    overdue = "overdue"
    due = "due"
    ok = "ok"
    no_date = "no_date"


DUE_LABELS = {Due.overdue: "overskredet", Due.due: f"inden for {DUE_WITHIN_DAYS} dage",
              Due.ok: "ok", Due.no_date: "ingen dato"}


def parse_day(value: str, source: str) -> dt.date:
    """``value`` as a date, or :class:`InputError` naming ``source`` (a variable or option)."""
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InputError([Problem(source, 0, 0, Severity.ERROR,
                                  f"'{value}' er ikke en gyldig dato (skriv ÅÅÅÅ-MM-DD)",
                                  Code.TODAY)]) from None


def today() -> dt.date:
    """Today, or the date in ``$STANDARDGEN_TODAY``: read once by the command (the edge), then
    passed to the rules, which never read the clock or the environment themselves."""
    value = os.environ.get(TODAY_VARIABLE)
    return parse_day(value, TODAY_VARIABLE) if value else dt.date.today()


def due(next_revision: dt.date | None, day: dt.date) -> tuple[Due, int | None]:
    """The state and the days left (negative when overdue)."""
    if next_revision is None:
        return Due.no_date, None
    left = (next_revision - day).days
    if left < 0:
        return Due.overdue, left
    return (Due.due if left <= DUE_WITHIN_DAYS else Due.ok), left


def revision_problems(document: YamlDocument, standard: Standard,
                      day: dt.date) -> list[Problem]:
    """A warning at the ``next_revision`` line when the revision is overdue or close on ``day``,
    and at the approval date when it lies after ``day``."""
    return _approval_future(document, standard, day) + _revision_due(document, standard, day)


def _approval_future(document: YamlDocument, standard: Standard,
                     day: dt.date) -> list[Problem]:
    if standard.approval.date <= day:
        return []
    message = (f"godkendelsesdatoen {long_date(standard.approval.date)} ligger efter i dag "
               f"({long_date(day)}); indtil da citerer breve den forrige godkendte version")
    return [document.problem(("approval", "date"), message, code=Code.APPROVAL_FUTURE,
                             severity=Severity.WARNING)]


def _revision_due(document: YamlDocument, standard: Standard, day: dt.date) -> list[Problem]:
    if standard.next_revision is None or standard.next_revision <= standard.approval.date:
        return []  # no date, or one before the approval: that is check's "revision-date" error
    state, left = due(standard.next_revision, day)
    if state not in (Due.overdue, Due.due) or left is None:
        return []
    when = long_date(standard.next_revision)
    if state is Due.overdue:
        message = (f"næste revision skulle have været {when} ({-left} dage siden); revidér "
                   "standarden og få den godkendt igen")
    else:
        soon = "i dag" if left == 0 else "i morgen" if left == 1 else f"om {left} dage"
        message = f"næste revision er {when}, {soon}; planlæg revisionen og godkendelsen"
    code = Code.REVISION_OVERDUE if state is Due.overdue else Code.REVISION_DUE
    return [document.problem(("next_revision",), message, code=code, severity=Severity.WARNING)]


# --- standardgen status ------------------------------------------------------------------------

@dataclass(frozen=True)
class StatusRow:
    slug: str
    title: str
    file: str
    version: str
    approval_body: str
    approval_date: dt.date
    next_revision: dt.date | None
    due: Due
    days_left: int | None
    approved_later: bool = False  # the approval date lies after today: not in force yet

    def as_dict(self) -> dict[str, object]:
        return {
            "slug": self.slug, "title": self.title, "file": self.file, "version": self.version,
            "approval": {"body": self.approval_body, "date": self.approval_date.isoformat()},
            "next_revision": self.next_revision.isoformat() if self.next_revision else None,
            "status": self.due.value, "days_left": self.days_left,
            "approval_in_future": self.approved_later,
        }


_ORDER = [Due.overdue, Due.due, Due.ok, Due.no_date]


def status_rows(standards: Iterable[Loaded], day: dt.date) -> list[StatusRow]:
    """One row per standard, the most urgent first."""
    rows = []
    for loaded in standards:
        standard = loaded.standard
        state, left = due(standard.next_revision, day)
        rows.append(StatusRow(
            standard.slug, standard.title, display_path(loaded.source), standard.version,
            standard.approval.body, standard.approval.date, standard.next_revision, state, left,
            standard.approval.date > day))
    return sorted(rows, key=lambda r: (not r.approved_later, _ORDER.index(r.due),
                                       r.next_revision or dt.date.max, r.slug))


def status_json(rows: Iterable[StatusRow], day: dt.date) -> str:
    return json.dumps({"today": day.isoformat(), "due_within_days": DUE_WITHIN_DAYS,
                       "standards": [row.as_dict() for row in rows]},
                      ensure_ascii=False, indent=2)


def status_table(rows: Iterable[StatusRow], day: dt.date) -> str:
    header = ("Standard", "Version", "Godkendt", "Næste revision", "Status")
    lines = [header] + [(
        row.slug, row.version, f"{short_date(row.approval_date)} ({row.approval_body})",
        short_date(row.next_revision) if row.next_revision else "-", _state_text(row),
    ) for row in rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    text = ["  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
            for line in lines]
    return "\n".join([f"Revisionsstatus pr. {long_date(day)}", "", *text]) + "\n"


def _state_text(row: StatusRow) -> str:
    if row.approved_later:
        return f"ikke gældende før {short_date(row.approval_date)}; {_due_text(row)}"
    return _due_text(row)


def _due_text(row: StatusRow) -> str:
    label = DUE_LABELS[row.due]
    if row.days_left is None or row.due is Due.ok:
        return label
    if row.due is Due.overdue:
        return f"{label} ({-row.days_left} dage siden)"
    return f"{label} (om {row.days_left} dage)"
