"""A citizen's case: the data behind a decision letter and a follow-up form.

Cases are personal data. Only fictitious cases belong in the repository (``examples/cases/``).
The CPR number is a :class:`~standardgen.cpr.Cpr`, masked unless ``.full`` is asked for.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, ConfigDict, Field

from standardgen.cpr import Cpr, mask_in_text
from standardgen.model import EMAIL, SLUG, Address, Frozen, Text

CASE_NUMBER = r"^[A-Za-z0-9][A-Za-z0-9.\-_]{0,63}$"


class Result(StrEnum):
    granted = "bevilget"
    partly_granted = "delvis_bevilget"
    refused = "afslag"


class Channel(StrEnum):
    digital_post = "digital_post"
    post = "post"


class GoalType(StrEnum):
    """KL's FFB goal types (``data/ffb.yaml``, maaltype)."""

    develop = "udvikle"
    maintain = "fastholde"
    limit_loss = "begrænse_tab"


class Citizen(Frozen):
    name: Annotated[Text, Field(description="Borgerens fulde navn.")]
    cpr: Annotated[Cpr, Field(description="CPR-nummer DDMMÅÅ-XXXX (vises kun i brevet).")]
    address: Address


class Caseworker(Frozen):
    name: Text
    phone: Text
    email: Annotated[str, Field(pattern=EMAIL)]
    unit: Annotated[Text | None, Field(description="Fx 'Myndigheds- og Visitationsenheden'.")] = (
        None
    )


class Extent(Frozen):
    """What was granted: days, provider and start."""

    days_per_week: Annotated[int, Field(ge=1, le=7, description="Dage om ugen.")]
    provider: Annotated[Text, Field(description="Tilbuddet, der leverer indsatsen.")]
    start_date: dt.date
    end_date: dt.date | None = None


class Hearing(Frozen):
    """Partshøring (forvaltningsloven § 19): held on a date, or not held and why (§ 20)."""

    date: Annotated[dt.date | None, Field(description="Dato for partshøringen.")] = None
    not_held_reason: Annotated[
        Text | None, Field(description="Hvorfor der ikke er foretaget partshøring (fvl. § 20).")
    ] = None
    disclosed: Annotated[
        tuple[Text, ...],
        Field(description="Oplysninger, borgeren ikke er hørt over, og som afgørelsen bygger på."),
    ] = ()


class Goal(Frozen):
    """One VUM goal for the follow-up (themes and levels from KL's FFB)."""

    theme: Annotated[Text, Field(description="Tema, fx 'Relationer' (FFB).")]
    goal_type: GoalType
    description: Annotated[Text, Field(description="Målet med borgerens egne ord, hvis muligt.")]
    current_level: Annotated[int | None, Field(ge=0, le=4, description="0-4; tom = ikke vurderet.")]
    expected_level: Annotated[int | None, Field(ge=0, le=4)] = None


class FollowUp(Frozen):
    due: Annotated[dt.date, Field(description="Hvornår næste opfølgning senest skal ske.")]
    goals: tuple[Goal, ...] = ()


def _no_cpr(number: str) -> str:
    # The case number becomes a file name; a CPR number there would leak into listings and logs.
    if mask_in_text(number) != number:
        raise ValueError("sagsnummeret ligner et CPR-nummer; det bruges i filnavne og må ikke "
                         "indeholde CPR-numre")
    return number


class Case(Frozen):
    """One § 104 case as written in a case YAML file (or one CSV row)."""

    model_config = ConfigDict(title="Sag")

    case_number: Annotated[
        str, Field(pattern=CASE_NUMBER, description="Sagsnummer."), AfterValidator(_no_cpr)
    ]
    standard: Annotated[str, Field(pattern=SLUG, description="Standardens slug.")]
    citizen: Citizen
    caseworker: Caseworker
    result: Result
    decision_date: dt.date
    channel: Channel = Channel.digital_post
    applied_for: Annotated[Text | None, Field(description="Hvad borgeren har søgt om.")] = None
    extent: Extent | None = None
    facts: Annotated[
        tuple[Text, ...], Field(description="De konkrete oplysninger, der har vægtet.")
    ] = ()
    considerations: Annotated[
        tuple[Text, ...], Field(description="Hovedhensynene bag skønnet.")
    ] = ()
    hearing: Hearing | None = None
    follow_up: FollowUp | None = None
