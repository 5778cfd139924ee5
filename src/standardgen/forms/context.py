"""The data a form template gets: the case, and wording quoted from the approved standard.

Python decides what goes on the form; ``templates/form/`` decides how it is worded and laid out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from standardgen.cases.model import Case, Goal
from standardgen.forms import fields
from standardgen.letters.content import default_follow_up, extent_lines
from standardgen.standards.catalogue import LoadedStandard
from standardgen.standards.model import BulletList, Role, Section, official_law_title


@dataclass(frozen=True)
class Block:
    """A paragraph (``items`` empty) or a bullet list of the standard, as quoted on the form."""

    text: str = ""
    items: tuple[str, ...] = ()


def blocks(section: Section | None) -> tuple[Block, ...]:
    if section is None:
        return ()
    return tuple(Block(items=block.list) if isinstance(block, BulletList) else Block(block.text)
                 for block in section.content)


def form_context(case: Case, loaded: LoadedStandard) -> dict[str, Any]:
    standard = loaded.standard
    purpose, follow_up = standard.section(Role.purpose), standard.section(Role.follow_up)
    goals = case.follow_up.goals if case.follow_up else ()
    profile = loaded.profile
    extent = [] if profile is None or case.extent is None else [
        {"label": label, "value": value} for label, value in extent_lines(profile, case.extent)]
    return {
        # Only the values a form shows: the template never sees the Cpr object (its .full).
        "case": {"number": case.case_number, "decision_date": case.decision_date,
                 "result": case.result, "kind": case.kind.label, "extent": case.extent,
                 "extent_lines": extent},
        "citizen": {"name": case.citizen.name, "cpr": case.citizen.cpr.masked},
        "municipality": loaded.municipality,
        # The letterhead's logo as a file URL (form/letterhead.html), or None.
        "logo": loaded.logo_file.resolve().as_uri() if loaded.logo_file else None,
        # The law's official title, as the letter names it.
        "service": standard.service.model_copy(
            update={"law": official_law_title(standard.service.law)}),
        "standard": {"title": standard.title, "version": standard.version,
                     "approval": standard.approval},
        "contact": loaded.contact,
        "recipient": {"name": case.caseworker.name,
                      "unit": case.caseworker.unit or loaded.contact.unit,
                      "phone": case.caseworker.phone, "email": case.caseworker.email},
        "purpose": {"title": purpose.title if purpose else "", "blocks": blocks(purpose)},
        "follow_up": {"title": follow_up.title if follow_up else "",
                      "blocks": blocks(follow_up),
                      # The case's date, or the service profile's default interval.
                      "due": case.follow_up.due if case.follow_up else default_follow_up(
                          case, loaded)},
        "goals": [_goal(number, goal) for number, goal in enumerate(goals, start=1)]
                 or [_blank_goal(1)],
        "levels": fields.level_options(),
        "goal_types": fields.goal_type_options(),
        "results": fields.result_options(),
        "participants": fields.PARTICIPANT_FIELDS,
    }


def _goal(number: int, goal: Goal) -> dict[str, Any]:
    return {
        "number": number,
        "theme": goal.theme,
        "theme_value": fields.ascii_value(goal.theme) or "tema",
        "themes": fields.theme_options(goal.theme),
        "goal_type": fields.ascii_value(goal.goal_type.value),
        "description": goal.description,
        "current_level": _level(goal.current_level),
        "expected_level": _level(goal.expected_level),
    }


def _blank_goal(number: int) -> dict[str, Any]:
    """A case without goals still gets one goal to fill in, with nothing pre-selected."""
    return {"number": number, "theme": "", "theme_value": "", "themes": fields.theme_options(),
            "goal_type": "",
            "description": "", "current_level": fields.NOT_ASSESSED,
            "expected_level": fields.NOT_ASSESSED}


def _level(level: int | None) -> str:
    return fields.NOT_ASSESSED if level is None else str(level)
