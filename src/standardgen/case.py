"""A citizen's case: the data behind a decision letter and a follow-up form.

Cases are personal data. Only fictitious cases belong in the repository (``examples/cases/``).
The CPR number is a :class:`~standardgen.cpr.Cpr`, masked unless ``.full`` is asked for.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field

from standardgen.cpr import Cpr, looks_like_cpr
from standardgen.model import EMAIL, SLUG, Address, Frozen, Text
from standardgen.textcheck import free_text, one_line

CASE_NUMBER = r"^[A-Za-z0-9][A-Za-z0-9.\-_]{0,63}$"
# Letters land on shared drives: Windows refuses these names whatever the extension.
WINDOWS_RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
                              *(f"lpt{i}" for i in range(10))})

# A name, an address line, a phone number: one line, every character visible in the letter.
Line = Annotated[Text, AfterValidator(one_line)]
# Free text (facts, reasons): line breaks pasted from Word become spaces, then as ``Line``.
FreeText = Annotated[Text, BeforeValidator(free_text)]


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


class HearingResponse(StrEnum):
    """Whether the citizen commented in the partshøring (the letter says which)."""

    replied = "svar"
    no_reply = "intet_svar"


class CitizenAddress(Address):
    street: Line
    city: Line


class Citizen(Frozen):
    name: Annotated[Line, Field(description="Borgerens fulde navn.")]
    cpr: Annotated[Cpr, Field(description="CPR-nummer DDMMÅÅ-XXXX (vises kun i brevet).")]
    address: CitizenAddress


class Caseworker(Frozen):
    name: Line
    phone: Line
    email: Annotated[str, Field(pattern=EMAIL), AfterValidator(one_line)]
    unit: Annotated[Line | None, Field(description="Fx 'Myndigheds- og Visitationsenheden'.")] = (
        None
    )


class Extent(Frozen):
    """What was granted: days, provider and start."""

    days_per_week: Annotated[int, Field(ge=1, le=7, description="Dage om ugen.")]
    provider: Annotated[Line, Field(description="Tilbuddet, der leverer indsatsen.")]
    start_date: dt.date
    end_date: dt.date | None = None


class Hearing(Frozen):
    """Partshøring (forvaltningsloven § 19): held on a date, or not held and why (§ 20)."""

    date: Annotated[dt.date | None, Field(description="Dato for partshøringen.")] = None
    response: Annotated[
        HearingResponse | None,
        Field(description="Har borgeren udtalt sig? 'svar' eller 'intet_svar' (inden fristen)."),
    ] = None
    not_held_reason: Annotated[
        FreeText | None,
        Field(description="Hvorfor der ikke er foretaget partshøring (fvl. § 20)."),
    ] = None
    disclosed: Annotated[
        tuple[FreeText, ...],
        Field(description="Oplysninger, borgeren ikke er hørt over, og som afgørelsen bygger på."),
    ] = ()


class Goal(Frozen):
    """One VUM goal for the follow-up (themes and levels from KL's FFB)."""

    theme: Annotated[Line, Field(description="Tema, fx 'Relationer' (FFB).")]
    goal_type: GoalType
    description: Annotated[
        FreeText, Field(description="Målet med borgerens egne ord, hvis muligt.")]
    current_level: Annotated[int | None, Field(ge=0, le=4, description="0-4; tom = ikke vurderet.")]
    expected_level: Annotated[int | None, Field(ge=0, le=4)] = None


class FollowUp(Frozen):
    due: Annotated[dt.date, Field(description="Hvornår næste opfølgning senest skal ske.")]
    goals: tuple[Goal, ...] = ()


def _file_name(number: str) -> str:
    """The case number becomes a file name: no CPR number there (it would leak into listings
    and logs), and no name that Windows reserves for a device."""
    if looks_like_cpr(number):
        raise ValueError("sagsnummeret ligner et CPR-nummer; det bruges i filnavne og må ikke "
                         "indeholde CPR-numre")
    if number.split(".", 1)[0].casefold() in WINDOWS_RESERVED:
        raise ValueError("sagsnummeret er et navn, Windows reserverer (fx CON, NUL, COM1); "
                         "brevet kunne ikke gemmes på et fællesdrev")
    return number


class Case(Frozen):
    """One § 104 case as written in a case YAML file (or one CSV row)."""

    model_config = ConfigDict(title="Sag")

    case_number: Annotated[
        str, Field(pattern=CASE_NUMBER, description="Sagsnummer."), AfterValidator(_file_name)
    ]
    standard: Annotated[str, Field(pattern=SLUG, description="Standardens slug.")]
    citizen: Citizen
    caseworker: Caseworker
    result: Result
    decision_date: dt.date
    channel: Channel = Channel.digital_post
    applied_for: Annotated[FreeText | None, Field(description="Hvad borgeren har søgt om.")] = None
    extent: Extent | None = None
    facts: Annotated[
        tuple[FreeText, ...], Field(description="De konkrete oplysninger, der har vægtet.")
    ] = ()
    considerations: Annotated[
        tuple[FreeText, ...], Field(description="Hovedhensynene bag skønnet.")
    ] = ()
    hearing: Hearing | None = None
    follow_up: FollowUp | None = None
