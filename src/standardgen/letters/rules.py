"""What the law needs in a case before a letter may be written, checked before any rendering.

Like GOV.UK Notify's ``missing_data``/``additional_data``: values a letter of this result needs
but the case lacks, and values the case gives that the letter would silently drop, are both
reported per case with its file and row, and the case gets no letter.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from standardgen.case import Case, Result
from standardgen.cases import CaseSource
from standardgen.catalogue import LoadedStandard
from standardgen.letters.wording import Quote, Wording
from standardgen.model import BulletList, Paragraph, Section, Standard
from standardgen.problems import Problem, Severity, display_path
from standardgen.yamlsource import Loc

REASONED = frozenset({Result.partly_granted, Result.refused})
GRANTED = frozenset({Result.granted, Result.partly_granted})


def quoted(standard: Standard, quote: Quote) -> Section | Paragraph | BulletList | None:
    """The section (or block of it) that ``quote`` names, or None."""
    section = standard.section(quote.role)
    if section is None or quote.block is None:
        return section
    return section.block(quote.block)


def standard_problems(loaded: LoadedStandard, wording: Wording) -> list[Problem]:
    """Every quote the letter makes must exist in the approved standard."""
    problems = []
    for name, quote in wording.file.quotes.items():
        if quoted(loaded.standard, quote) is None:
            what = f"tekst-id '{quote.block}' i afsnittet" if quote.block else "afsnittet"
            problems.append(Problem(
                display_path(loaded.source), 0, 0, Severity.ERROR,
                f"brevet citerer {what} med rollen '{quote.role.value}' ({name}), men standarden "
                "har det ikke", "letter-quote"))
    return problems


def case_problems(source: CaseSource, standards: Mapping[str, LoadedStandard],
                  broken: Iterable[str] = ()) -> list[Problem]:
    """Located problems that stop this case's letter; empty when it may be written."""
    case = source.case
    found: list[tuple[Loc, str, str]] = []
    if case.standard not in standards:
        known = ", ".join(sorted(standards)) or "ingen"
        found.append((("standard",), f"standarden '{case.standard}' findes ikke (kendte: {known})",
                       "unknown-standard"))
    elif case.standard in set(broken):
        found.append((("standard",), f"standarden '{case.standard}' kan ikke citeres i et brev; "
                      "se fejlen i standarden", "letter-quote"))
    found += _missing(case)
    found += _unused(case)
    return [source.problem(loc, message, code=code) for loc, message, code in found]


def _missing(case: Case) -> list[tuple[Loc, str, str]]:
    result = case.result.value
    found: list[tuple[Loc, str, str]] = []
    if case.result in GRANTED and case.extent is None:
        found.append((("extent",), "mangler 'extent' (dage om ugen, tilbud, startdato): et brev "
                      f"om '{result}' skal beskrive indhold og omfang", "missing-extent"))
    if case.result in REASONED:
        if not case.considerations:
            found.append((("considerations",), "mangler 'considerations' (hovedhensyn): et "
                          f"brev om '{result}' skal begrundes", "missing-reasons"))
        if not case.facts:
            found.append((("facts",), "mangler 'facts' (de konkrete oplysninger): et brev om "
                          f"'{result}' skal begrundes", "missing-facts"))
        found += _hearing(case)
    return found


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


def _unused(case: Case) -> list[tuple[Loc, str, str]]:
    """Values that a letter of this result does not show: most likely a wrong result."""
    if case.result is not Result.refused:
        return []
    return [((name,), f"'{name}' er udfyldt, men et afslag viser det ikke; er resultatet rigtigt?",
             "unused-field")
            for name in ("extent", "follow_up") if getattr(case, name) is not None]


