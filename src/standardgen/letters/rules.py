"""What the law needs in a case before a letter may be written, checked before any rendering.

Like GOV.UK Notify's ``missing_data``/``additional_data``: values a letter of this kind needs
but the case lacks, and values the case gives that the letter would silently drop, are both
reported per case with its file and row, and the case gets no letter. What each kind requires
and forbids is declared once, in ``data/letter_kinds.yaml`` (:mod:`standardgen.kinds`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from standardgen.case import Case, Direction
from standardgen.cases import CaseSource
from standardgen.catalogue import LoadedStandard
from standardgen.kinds import CaseField, LetterKind, Need, field_description
from standardgen.problems import Problem
from standardgen.yamlsource import Loc

# The codes of the rules that existed before the kinds were declared, kept for scripts.
_CODES = {"considerations": "missing-reasons", "facts": "missing-facts"}


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
    found: list[tuple[Loc, str, str]] = []
    loaded = standards.get(case.standard)
    if loaded is None:
        known = ", ".join(sorted(standards)) or "ingen"
        found.append((("standard",), f"standarden '{case.standard}' findes ikke (kendte: {known})",
                       "unknown-standard"))
    elif loaded.profile is None:
        found.append((("standard",), f"standarden '{case.standard}' ("
                      f"{loaded.standard.service.paragraph}) har ingen serviceprofil, så der kan "
                      "ikke laves breve eller skemaer til den", "no-service-profile"))
    kind = case.kind
    found += _missing(case, kind)
    found += _forbidden(case, kind)
    found += _notice(case, kind, notice_days)
    return [source.problem(loc, message, code=code) for loc, message, code in found]


def _has(case: Case, name: CaseField) -> bool:
    value = getattr(case, name)
    return bool(value) if isinstance(value, tuple) else value is not None


def _missing(case: Case, kind: LetterKind) -> list[tuple[Loc, str, str]]:
    about = f"et brev om '{kind.name}'"
    found: list[tuple[Loc, str, str]] = [
        ((name,), f"mangler '{name}' ({field_description(name)}): {about} skal have det",
         f"missing-{name}") for name in kind.requires if not _has(case, name)]
    if needed(kind.reasons, case):
        found += [((name,), f"mangler '{name}' ({field_description(name)}): {about} skal "
                   "begrundes", _CODES[name])
                  for name in ("considerations", "facts") if not _has(case, name)]
    if needed(kind.hearing, case):
        found += _hearing(case)
    return found


def _forbidden(case: Case, kind: LetterKind) -> list[tuple[Loc, str, str]]:
    """Values that a letter of this kind does not show: most likely a wrong kind."""
    return [((name,), f"'{name}' er udfyldt, men et brev om {kind.label.lower()} viser det "
             f"ikke; er resultatet '{kind.name}' rigtigt?", "unused-field")
            for name in kind.forbids if _has(case, name)]


def _notice(case: Case, kind: LetterKind, days: int) -> list[tuple[Loc, str, str]]:
    """A change to the citizen's disadvantage takes effect with notice, never before it."""
    if kind.notice is None or not to_disadvantage(case):
        return []
    group, name = kind.notice.split(".")
    holder = getattr(case, group)
    day: dt.date | None = getattr(holder, name) if holder is not None else None
    earliest = case.decision_date + dt.timedelta(days=days)
    if day is None or day >= earliest:
        return []
    return [((group, name), f"'{name}' er {day.isoformat()}, men en ændring til ulempe for "
             f"borgeren skal varsles mindst {days} dage: tidligst {earliest.isoformat()}",
             "notice")]


def _hearing(case: Case) -> list[tuple[Loc, str, str]]:
    hearing = case.hearing
    if hearing is None:
        return [(("hearing",), "mangler 'hearing': angiv datoen for partshøringen (hearing.date) "
                 "eller hvorfor den ikke er holdt (hearing.not_held_reason og hearing.disclosed)",
                 "missing-hearing")]
    if hearing.date is not None and hearing.not_held_reason is not None:
        return [(("hearing",), "angiv enten hearing.date eller hearing.not_held_reason, ikke begge",
                 "hearing-both")]
    if hearing.date is None and hearing.not_held_reason is None:
        return [(("hearing",), "mangler hearing.date eller hearing.not_held_reason",
                 "missing-hearing")]
    if hearing.date is None and not hearing.disclosed:
        return [(("hearing", "not_held_reason"), "når partshøring ikke er holdt, skal brevet "
                 "oplyse det, afgørelsen bygger på: udfyld hearing.disclosed", "missing-disclosed")]
    return []
