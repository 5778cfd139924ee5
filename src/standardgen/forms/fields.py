"""The PDF form's field names: a stable contract, since ``form read`` maps them back.

A municipality may restyle ``templates/form/`` freely, but every name below must stay; the
renderer checks each rendered form against this list. Goal fields are numbered from 1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from standardgen.cases.outcomes import Outcome, Participant

if TYPE_CHECKING:  # the models take ~0.1 s to import; a form worker needs only the names
    from standardgen.cases.model import GoalType
    from standardgen.forms.ffb import Ffb

CASE_NUMBER = "case_number"
MEETING_DATE = "meeting_date"
PROVIDER_STATUS = "provider_status"
CITIZEN_ASSESSMENT = "citizen_assessment"
OVERALL_ASSESSMENT = "overall_assessment"
RESULT = "result"
NEXT_FOLLOW_UP = "next_follow_up"
PARTICIPANT_OTHER = "participant_other"
GOAL_PARTS = ("theme", "type", "description", "current_level", "expected_level", "status")
NOT_ASSESSED = "ikke_vurderet"
_GOAL_FIELD = re.compile(r"^goal_(\d{1,2})_(" + "|".join(GOAL_PARTS) + r")$")


PARTICIPANT_FIELDS = {
    Participant.citizen: "participant_citizen",
    Participant.caseworker: "participant_caseworker",
    Participant.provider: "participant_provider",
    Participant.relative: "participant_relative",
}


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    code: str = ""  # the FFB code, for systems that want it


def ascii_value(text: str) -> str:
    """An export value for a choice: ASCII only, since PDF viewers encode others differently
    (PDFDocEncoding or UTF-16) and a value would then no longer match its option."""
    text = text.lower().translate(_DANISH)
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e", "ü": "ue"})


def goal_field(number: int, part: str) -> str:
    return f"goal_{number}_{part}"


def parse_goal_field(name: str) -> tuple[int, str] | None:
    match = _GOAL_FIELD.match(name)
    return (int(match[1]), match[2]) if match else None


def expected_fields(goal_count: int) -> set[str]:
    names = {CASE_NUMBER, MEETING_DATE, PROVIDER_STATUS, CITIZEN_ASSESSMENT, OVERALL_ASSESSMENT,
             RESULT, NEXT_FOLLOW_UP, PARTICIPANT_OTHER, *PARTICIPANT_FIELDS.values()}
    names |= {goal_field(n, part) for n in range(1, goal_count + 1) for part in GOAL_PARTS}
    return names


def _ffb() -> Ffb:
    from standardgen.forms.ffb import load_ffb

    return load_ffb()


def level_options() -> tuple[Option, ...]:
    """'Ikke vurderet' first, then 0-4 with KL's names."""
    levels = sorted(_ffb().funktionsevneniveau, key=lambda lv: -1 if lv.niveau is None
                    else lv.niveau)
    return tuple(Option(NOT_ASSESSED if lv.niveau is None else str(lv.niveau),
                        lv.display if lv.niveau is None else f"{lv.niveau} – {lv.display}",
                        lv.code) for lv in levels)


def goal_type_options() -> tuple[Option, ...]:
    from standardgen.cases.model import GoalType

    # GoalType is declared in the order of ffb.yaml's maaltype (udvikle, fastholde, begrænse).
    return tuple(Option(ascii_value(kind.value), concept.display, concept.code)
                 for kind, concept in zip(GoalType, _ffb().maaltype, strict=True))


def goal_type_by_value() -> dict[str, GoalType]:
    from standardgen.cases.model import GoalType

    return {ascii_value(kind.value): kind for kind in GoalType}


def result_options() -> tuple[Option, ...]:
    return tuple(Option(outcome.value, concept.display, concept.code)
                 for outcome, concept in zip(Outcome, _ffb().opfoelgningsresultat,
                                             strict=True))


def theme_options(extra: str | None = None) -> tuple[Option, ...]:
    """KL's themes for activity and participation, plus a case's own theme if it is not one."""
    themes = [Option(ascii_value(c.display), c.display, c.code)
              for c in _ffb().temaer_aktivitet_og_deltagelse]
    if extra and extra not in {o.label for o in themes}:
        themes.append(Option(ascii_value(extra) or "tema", extra))
    return tuple(themes)


def ffb_themes() -> frozenset[str]:
    return frozenset(c.display for c in _ffb().temaer_aktivitet_og_deltagelse)
