"""Rules over a whole case that no single field can check: dates that cannot be true together,
and a partshøring that must say whether the citizen replied.

They run for every case read (``cases.read.iter_cases``), so every command that takes cases
(letter, form) refuses the same cases. Each finding is located on the field to correct.

The second half: what the law needs in a case before a letter of its kind may be written,
checked before any rendering (:func:`case_problems`). Like GOV.UK Notify's
``missing_data``/``additional_data``: values a letter of this kind needs but the case lacks, and
values the case gives that the letter would silently drop, are both reported per case with its
file and row, and the case gets no letter. What each kind requires and forbids is declared once,
in ``data/letter_kinds.yaml`` (:mod:`standardgen.cases.letter_kinds`); this module derives the
rules from it.

This is the one home of a rule over several fields of a case. A field's own shape (a date, a
case number, one line of text) is the model's (:mod:`standardgen.cases.model`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import NamedTuple

from standardgen.cases.letter_kinds import CaseField, LetterKind, Need
from standardgen.cases.model import Case, CaseSource, Direction
from standardgen.cases.vocabulary import vocabulary
from standardgen.core.codes import Code
from standardgen.core.dates import long_date
from standardgen.core.problems import Problem, Severity
from standardgen.core.yamlsource import Loc
from standardgen.standards.catalogue import LoadedStandard
from standardgen.standards.in_force import in_force


class Finding(NamedTuple):
    loc: Loc
    message: str
    code: Code
    severity: Severity = Severity.ERROR


def _iso(day: dt.date) -> str:
    return long_date(day)


def _about(loc: Loc, text: str) -> str:
    """A message about the field at ``loc``, named as the desk and the CSV template name it."""
    return vocabulary().about(loc, text)


def case_findings(case: Case, today: dt.date) -> list[Finding]:
    """Every whole-case problem in ``case``; ``today`` decides what lies in the future."""
    return [*date_findings(case, today), *hearing_findings(case)]


def date_findings(case: Case, today: dt.date) -> list[Finding]:
    decided = case.decision_date
    found = []
    hearing, extent, follow_up = case.hearing, case.extent, case.follow_up
    if hearing is not None and hearing.date is not None and hearing.date > decided:
        found.append(Finding(("hearing", "date"), _about(("hearing", "date"), (
            f"partshøringen ({_iso(hearing.date)}) ligger efter afgørelsen ({_iso(decided)}); "
            "den skal holdes før")), Code.HEARING_AFTER_DECISION))
    if extent is not None and extent.end_date is not None and extent.end_date < extent.start_date:
        found.append(Finding(("extent", "end_date"), _about(("extent", "end_date"), (
            f"{_iso(extent.end_date)} ligger før startdatoen ({_iso(extent.start_date)})")),
            Code.END_BEFORE_START))
    if follow_up is not None and follow_up.due < decided:
        found.append(Finding(("follow_up", "due"), _about(("follow_up", "due"), (
            f"{_iso(follow_up.due)} ligger før afgørelsen ({_iso(decided)})")),
            Code.FOLLOW_UP_BEFORE_DECISION))
    if decided > today:
        found.append(Finding(("decision_date",), _about(("decision_date",), (
            f"{_iso(decided)} ligger i fremtiden (i dag er {_iso(today)}); er den rigtig?")),
            Code.DECISION_IN_FUTURE, Severity.WARNING))
    return found


def hearing_findings(case: Case) -> list[Finding]:
    """A held partshøring says whether the citizen replied; one not held cannot have a reply."""
    hearing = case.hearing
    if hearing is None:
        return []
    if hearing.date is not None and hearing.response is None:
        # At the radio group, which the caseworker answers (the date is already there).
        return [Finding(("hearing", "response"), _about(("hearing", "response"), (
            "skal besvares, når partshøringen er holdt: "
            f"'{_option('svar')}' eller '{_option('intet_svar')}'")), Code.MISSING_RESPONSE)]
    if hearing.date is None and hearing.response is not None:
        return [Finding(("hearing", "response"), _about(("hearing", "response"), (
            f"kræver en partshøring; udfyld {_label('hearing', 'date')}")),
            Code.RESPONSE_WITHOUT_HEARING)]
    return []


# The codes of the rules that existed before the kinds were declared, kept for scripts.
_CODES = {"considerations": Code.MISSING_REASONS, "facts": Code.MISSING_FACTS}


def to_disadvantage(case: Case) -> bool:
    """Whether the decision is to the citizen's disadvantage (forvaltningsloven §§ 19, 22)."""
    rule = case.kind.disadvantage
    if rule == "unless_more":
        return case.change is None or case.change.direction is not Direction.more
    return rule == "always"


def needed(need: Need, case: Case) -> bool:
    return need == "required" or (need == "disadvantage" and to_disadvantage(case))


def case_problems(source: CaseSource, standards: Mapping[str, LoadedStandard],
                  notice_days: int = 0) -> list[Problem]:
    """Located problems that stop this case's letter (and form); empty when it may be
    written. ``notice_days`` is the notice a change to the citizen's disadvantage needs."""
    case = source.case
    found: list[tuple[Loc, str, Code]] = []
    loaded = standards.get(case.standard)
    if loaded is None:
        known = ", ".join(sorted(standards)) or "ingen"
        found.append((("standard",), f"standarden '{case.standard}' findes ikke (kendte: {known})",
                       Code.UNKNOWN_STANDARD))
    elif loaded.profile is None:
        found.append((("standard",), f"standarden '{case.standard}' ("
                      f"{loaded.standard.service.paragraph}) har ingen serviceprofil, så der kan "
                      "ikke laves breve eller skemaer til den", Code.NO_SERVICE_PROFILE))
    else:
        version = in_force(loaded.standard, loaded.source, case.decision_date)
        if version.standard is None:
            found.append((("decision_date",), version.reason, Code.NOT_IN_FORCE))
        if not _fits(case.case_number, loaded):
            form = loaded.municipality.case_number
            example = form.example if form is not None else ""
            found.append((("case_number",), _about(("case_number",), (
                f"'{case.case_number}' har ikke {loaded.municipality.name}s form; skriv det "
                f"som fx {example}")), Code.CASE_NUMBER_FORMAT))
    kind = case.kind
    found += _missing(case, kind)
    found += _forbidden(case, kind)
    found += _notice(case, kind, notice_days)
    return [source.problem(loc, message, code=code) for loc, message, code in found]


def _fits(number: str, loaded: LoadedStandard) -> bool:
    """The case number has the form the municipality declares (any form, if it declares none)."""
    form = loaded.municipality.case_number
    return form is None or re.fullmatch(form.pattern, number) is not None


def _has(case: Case, name: CaseField) -> bool:
    value = getattr(case, name)
    return bool(value) if isinstance(value, tuple) else value is not None


def _option(value: str) -> str:
    return vocabulary().option("hearing.response", value)


def _label(*loc: str) -> str:
    return vocabulary().label(loc)


def _missing(case: Case, kind: LetterKind) -> list[tuple[Loc, str, Code]]:
    about = f"et brev om {kind.label.lower()}"
    found: list[tuple[Loc, str, Code]] = [
        ((name,), _about((name,), f"skal udfyldes: {about} skal have det"),
         Code(f"missing-{name}"))
        for name in kind.requires if not _has(case, name)]
    if needed(kind.reasons, case):
        found += [((name,), _about((name,), f"skal udfyldes: {about} skal begrundes"),
                   _CODES[name])
                  for name in ("considerations", "facts") if not _has(case, name)]
    if needed(kind.hearing, case):
        found += _hearing(case)
    return found


def _forbidden(case: Case, kind: LetterKind) -> list[tuple[Loc, str, Code]]:
    """Values that a letter of this kind does not show: most likely a wrong kind."""
    return [((name,), _about((name,), f"er udfyldt, men et brev om {kind.label.lower()} viser "
                             f"det ikke; er brevtypen ({kind.label}) rigtig?"), Code.UNUSED_FIELD)
            for name in kind.forbids if _has(case, name)]


def _notice(case: Case, kind: LetterKind, days: int) -> list[tuple[Loc, str, Code]]:
    """A change to the citizen's disadvantage takes effect with notice, never before it."""
    if kind.notice is None or not to_disadvantage(case):
        return []
    group, name = kind.notice.split(".")
    holder = getattr(case, group)
    day: dt.date | None = getattr(holder, name) if holder is not None else None
    earliest = case.decision_date + dt.timedelta(days=days)
    if day is None or day >= earliest:
        return []
    return [((group, name), _about((group, name), (
        f"{_iso(day)} er for tidligt: en ændring til ulempe for borgeren skal varsles mindst "
        f"{days} dage, så tidligst {_iso(earliest)}")), Code.NOTICE)]


def _hearing(case: Case) -> list[tuple[Loc, str, Code]]:
    hearing = case.hearing
    date, reason = _label("hearing", "date"), _label("hearing", "not_held_reason")
    either = f"udfyld {date} eller {reason}"
    if hearing is None:
        return [(("hearing", "date"), _about(("hearing",), f"skal udfyldes: {either} (og "
                 f"{_label('hearing', 'disclosed')})"), Code.MISSING_HEARING)]
    if hearing.date is not None and hearing.not_held_reason is not None:
        return [(("hearing", "date"), _about(("hearing",), f"udfyld enten {date} eller {reason}, "
                 "ikke begge"), Code.HEARING_BOTH)]
    if hearing.date is None and hearing.not_held_reason is None:
        return [(("hearing", "date"), _about(("hearing",), f"skal udfyldes: {either}"),
                 Code.MISSING_HEARING)]
    if hearing.date is None and not hearing.disclosed:
        return [(("hearing", "disclosed"), _about(("hearing", "disclosed"), (
            "skal udfyldes, når partshøring ikke er holdt: brevet skal oplyse det, afgørelsen "
            "bygger på")), Code.MISSING_DISCLOSED)]
    return []
