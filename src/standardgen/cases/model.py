"""A citizen's case: the data behind a decision letter and a follow-up form.

Cases are personal data. Only fictitious cases belong in the repository (``examples/cases/``).
The CPR number is a :class:`~standardgen.core.cpr.Cpr`, masked unless ``.full`` is asked for.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, create_model

from standardgen.cases.letter_kinds import LetterKind, get_kind, kind_names
from standardgen.core.codes import Code
from standardgen.core.cpr import Cpr, looks_like_cpr
from standardgen.core.patterns import EMAIL, SLUG
from standardgen.core.problems import Problem, Severity
from standardgen.core.text import free_text, one_line
from standardgen.core.yamlsource import Loc, YamlDocument
from standardgen.standards.model import Address, Frozen, Text
from standardgen.standards.profiles import Profile, load_profile

CASE_NUMBER = r"^[A-Za-z0-9][A-Za-z0-9.\-_]{0,63}$"
# Letters land on shared drives: Windows refuses these names whatever the extension.
WINDOWS_RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
                              *(f"lpt{i}" for i in range(10))})

# A name, an address line, a phone number: one line, every character visible in the letter.
Line = Annotated[Text, AfterValidator(one_line)]
# Free text (facts, reasons): line breaks pasted from Word become spaces, then as ``Line``.
FreeText = Annotated[Text, BeforeValidator(free_text)]


class Direction(StrEnum):
    """How an ændring changes a grant: a reduction or another change is to the citizen's
    disadvantage (partshøring, begrundelse and notice); an increase is not."""

    more = "mere"
    less = "mindre"
    other = "andet"


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
    """What was granted. The fields of the grant itself (days, hours, visits, an aid ...) come
    from the service profile of the case's standard (:func:`case_model`); every extent has a
    start and may have an end."""

    start_date: Annotated[dt.date, Field(description="Startdato, ÅÅÅÅ-MM-DD.")]
    end_date: Annotated[dt.date | None, Field(description="Slutdato, hvis tidsbegrænset.")] = None

    def values(self) -> dict[str, Any]:
        """The profile's fields (not the dates), in the profile's order."""
        own = {name: getattr(self, name) for name in type(self).model_fields
               if name not in ("start_date", "end_date")}
        return {**own, **(self.model_extra or {})}


class OpenExtent(Extent):
    """The extent of a case whose standard (and so profile) is unknown: its fields are not
    checked, since the case is refused for the standard anyway."""

    model_config = ConfigDict(extra="allow")


class Change(Frozen):
    """An ændring: which way, and from when."""

    direction: Annotated[Direction, Field(description="mere, mindre eller andet.")]
    effective_date: Annotated[dt.date, Field(description="Ændringen gælder fra, ÅÅÅÅ-MM-DD.")]


class End(Frozen):
    """An ophør: the last day of the service and why it ends."""

    last_day: Annotated[dt.date, Field(description="Sidste dag med indsatsen, ÅÅÅÅ-MM-DD.")]
    reason: Annotated[FreeText, Field(description="Hvorfor indsatsen ophører.")]


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


def _known_kind(name: str) -> str:
    names = kind_names()
    if name not in names:
        raise ValueError(f"'{name}' er ikke tilladt; brug en af: {', '.join(names)}")
    return name


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
    """One case as written in a case YAML file (or one CSV row). ``result`` is the letter kind
    (``data/letter_kinds.yaml``); the extent's fields follow the standard's service profile, so
    a case is validated with :func:`case_model` of that profile."""

    model_config = ConfigDict(title="Sag")

    case_number: Annotated[
        str, Field(pattern=CASE_NUMBER, description="Sagsnummer."), AfterValidator(_file_name)
    ]
    standard: Annotated[str, Field(pattern=SLUG, description="Standardens slug.")]
    citizen: Citizen
    caseworker: Caseworker
    result: Annotated[str, AfterValidator(_known_kind),
                      Field(description="Brevets art: " + ", ".join(kind_names()) + ".",
                            json_schema_extra={"enum": list(kind_names())})]
    decision_date: dt.date
    channel: Channel = Channel.digital_post
    applied_for: Annotated[FreeText | None, Field(description="Hvad borgeren har søgt om.")] = None
    extent: Extent | None = None
    previous_extent: Annotated[
        Extent | None, Field(description="Det hidtidige omfang (ved ændring).")] = None
    change: Change | None = None
    end: End | None = None
    facts: Annotated[
        tuple[FreeText, ...], Field(description="De konkrete oplysninger, der har vægtet.")
    ] = ()
    considerations: Annotated[
        tuple[FreeText, ...], Field(description="Hovedhensynene bag skønnet.")
    ] = ()
    hearing: Hearing | None = None
    follow_up: FollowUp | None = None

    @property
    def kind(self) -> LetterKind:
        return get_kind(self.result)


def _decimal(value: Any) -> Any:
    # Danish spreadsheets write 2,5 for two and a half hours.
    return value.replace(",", ".") if isinstance(value, str) else value


def _same(value: Any) -> Any:
    return value


_TYPES: dict[str, Any] = {
    "integer": int,
    "number": float,
    "text": Line,
    "list": Annotated[tuple[Line, ...], Field(min_length=1)],
}


def extent_model(profile: Profile) -> type[Extent]:
    """The extent of a grant under ``profile``: its declared fields, then the dates."""
    fields: dict[str, Any] = {}
    for name, spec in profile.extent.items():
        base: Any = _TYPES[spec.type]
        kind: Any = Annotated[base, Field(ge=spec.min, le=spec.max, description=spec.label),
                              BeforeValidator(_decimal if spec.type == "number" else _same)]
        fields[name] = (kind, ...) if spec.required else (kind | None, None)
    model: type[Extent] = create_model(
        "Omfang_" + profile.name.replace("-", "_"), __base__=Extent, **fields)
    return model


@cache
def case_model(profile_name: str | None) -> type[Case]:
    """The case model for standards of the profile ``profile_name`` (None: unknown standard,
    or a standard whose profile cannot give letters)."""
    profile = load_profile(profile_name) if profile_name else None
    extent: type[Extent] = extent_model(profile) if profile and profile.letters else OpenExtent
    title = f"Sag ({profile.description})" if profile and profile.letters else "Sag"
    optional: Any = extent | None
    model: type[Case] = create_model(
        "Sag", __base__=Case, __doc__=Case.__doc__,
        extent=(optional, None), previous_extent=(optional, None))
    model.model_config["title"] = title
    return model


@dataclass(frozen=True)
class CaseSource:
    """A valid case and where it came from (file, and row for CSV), for messages."""

    case: Case
    origin: str
    # The source document, to locate problems found after validation (letter rules) by line
    # and column; None for a case built in code.
    document: YamlDocument | None = field(default=None, compare=False, repr=False)

    def problem(self, loc: Loc, message: str, *, code: Code | Literal[""] = "",
                severity: Severity = Severity.ERROR) -> Problem:
        """A problem found after validation, at ``loc`` in the case file or CSV row."""
        if self.document is not None:
            return self.document.problem(loc, message, code=code, severity=severity)
        return Problem(self.origin, 0, 0, severity, message, code)
