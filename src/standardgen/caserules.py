"""Rules over a whole case that no single field can check: dates that cannot be true together,
and a partshøring that must say whether the citizen replied.

They run for every case read (``cases.iter_cases``), so every command that takes cases (letter,
form) refuses the same cases. Each finding is located on the field to correct. The rules that
depend on what a letter of a given result needs live in ``letters.rules``.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from standardgen.case import Case
from standardgen.problems import Severity
from standardgen.yamlsource import Loc


class Finding(NamedTuple):
    loc: Loc
    message: str
    code: str
    severity: Severity = Severity.ERROR


def _iso(day: dt.date) -> str:
    return day.isoformat()


def case_findings(case: Case, today: dt.date) -> list[Finding]:
    """Every whole-case problem in ``case``; ``today`` decides what lies in the future."""
    return [*date_findings(case, today), *hearing_findings(case)]


def date_findings(case: Case, today: dt.date) -> list[Finding]:
    decided = case.decision_date
    found = []
    hearing, extent, follow_up = case.hearing, case.extent, case.follow_up
    if hearing is not None and hearing.date is not None and hearing.date > decided:
        found.append(Finding(("hearing", "date"), f"partshøringen ({_iso(hearing.date)}) ligger "
                             f"efter afgørelsen ({_iso(decided)}); den skal holdes før",
                             "hearing-after-decision"))
    if extent is not None and extent.end_date is not None and extent.end_date < extent.start_date:
        found.append(Finding(("extent", "end_date"), f"slutdatoen ({_iso(extent.end_date)}) "
                             f"ligger før startdatoen ({_iso(extent.start_date)})",
                             "end-before-start"))
    if follow_up is not None and follow_up.due < decided:
        found.append(Finding(("follow_up", "due"), f"opfølgningen ({_iso(follow_up.due)}) ligger "
                             f"før afgørelsen ({_iso(decided)})", "follow-up-before-decision"))
    if decided > today:
        found.append(Finding(("decision_date",), f"afgørelsesdatoen ({_iso(decided)}) ligger i "
                             f"fremtiden (i dag er {_iso(today)}); er den rigtig?",
                             "decision-in-future", Severity.WARNING))
    return found


def hearing_findings(case: Case) -> list[Finding]:
    """A held partshøring says whether the citizen replied; one not held cannot have a reply."""
    hearing = case.hearing
    if hearing is None:
        return []
    if hearing.date is not None and hearing.response is None:
        return [Finding(("hearing", "date"), "mangler hearing.response: skriv 'svar', hvis "
                        "borgeren har udtalt sig, eller 'intet_svar', hvis borgeren ikke har "
                        "udtalt sig inden fristen", "missing-response")]
    if hearing.date is None and hearing.response is not None:
        return [Finding(("hearing", "response"), "hearing.response kræver en partshøring "
                        "(hearing.date)", "response-without-hearing")]
    return []
