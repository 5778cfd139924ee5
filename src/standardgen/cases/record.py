"""What comes back from a filled-in form: the follow-up record the caseworker receives.

``standardgen form read`` writes it as YAML; the same model validates that YAML when it is read
again, so the record is checked like any other input.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import yaml
from pydantic import Field

from standardgen.cases.model import CASE_NUMBER, GoalType
from standardgen.cases.outcomes import Outcome, Participant
from standardgen.standards.model import Frozen, Text

Level = Annotated[int | None, Field(ge=0, le=4, description="0-4; tom = ikke vurderet (FFB).")]


class GoalStatus(Frozen):
    number: Annotated[int, Field(ge=1, description="Målets nummer i skemaet.")]
    theme: Annotated[Text | None, Field(description="Tema (KL's FFB).")] = None
    goal_type: GoalType | None = None
    description: Text | None = None
    current_level: Level = None
    expected_level: Level = None
    status: Annotated[Text | None, Field(description="Status med ord.")] = None


class FollowUpRecord(Frozen):
    """One follow-up (VUM 2.0): status, assessments, result and the next follow-up."""

    case_number: Annotated[str, Field(pattern=CASE_NUMBER, description="Sagsnummer.")]
    meeting_date: Annotated[dt.date, Field(description="Dato for opfølgningen.")]
    participants: tuple[Participant, ...] = ()
    other_participants: Text | None = None
    goals: tuple[GoalStatus, ...] = ()
    provider_status: Annotated[
        Text | None, Field(description="Leverandørens (tilbuddets) status.")] = None
    citizen_assessment: Annotated[
        Text | None, Field(description="Borgerens egen vurdering med egne ord.")] = None
    overall_assessment: Annotated[Text | None, Field(description="Samlet vurdering.")] = None
    result: Annotated[Outcome, Field(description="Resultat (KL's FFB opfølgningsresultat).")]
    next_follow_up: Annotated[
        dt.date | None, Field(description="Næste opfølgning; påkrævet ved fortsættelse.")] = None


def to_yaml(record: FollowUpRecord, *, header: str = "") -> str:
    """Block-style YAML in field order, with None values left out; dates as ÅÅÅÅ-MM-DD."""
    data = _plain(record.model_dump(mode="json", exclude_none=True))
    for key in ("meeting_date", "next_follow_up"):  # unquoted YAML dates, like the cases
        if key in data:
            data[key] = getattr(record, key)
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    return header + body


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items() if item not in ((), [])}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value
