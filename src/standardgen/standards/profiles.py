"""Service profiles: what a standard of one service type must have, and what a grant of it is.

A profile is a data file in ``src/standardgen/data/profiles/``. ``serviceloven.yaml`` holds the
sections every standard under serviceloven shares; a service profile (``sel-85.yaml``: § 85
socialpædagogisk støtte) starts from it (``base:``) and adds the *extent* of a grant (its fields,
types, units and Danish labels), the blocks of the standard a letter quotes, and the default
follow-up interval. Adding a service type is adding a file here: no Python changes.

A standard names its profile (``profile:``); with the default ``serviceloven`` its service
profile is found by ``service.paragraph``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Annotated, Literal

from pydantic import Field

from standardgen.core import validation
from standardgen.core.guidance import GUIDANCE
from standardgen.core.patterns import ID
from standardgen.standards.model import Frozen, Role, Standard

GENERIC = "serviceloven"
PROFILE_DIR = "profiles"


class Requirement(Frozen):
    level: Literal["required", "recommended", "optional"]
    label: str
    many: Annotated[bool, Field(description="Flere afsnit må have rollen.")] = False


class ExtentField(Frozen):
    """One field of a grant's extent, e.g. ``hours_per_week``."""

    type: Literal["integer", "number", "text", "list"]
    label: str
    required: bool = True
    min: float | None = None
    max: float | None = None
    unit: Annotated[tuple[str, str] | None, Field(description="Ental og flertal.")] = None
    per: str | None = None


class QuoteSpec(Frozen):
    """A block the letter quotes: a section by role (all sections of it), or one block in it."""

    role: Role
    block: Annotated[str | None, Field(pattern=ID)] = None
    required: bool = True


class Kle(Frozen):
    """The service's subject in KL's Emnesystematik (KLE), which a Digital Post message carries
    (MeMo ``KLEdata``) so the recipient's system can file it."""

    subject: Annotated[str, Field(pattern=r"^\d{2}\.\d{2}\.\d{2}$",
                                  description="KLE-emnenummer, fx '27.54.08'.")]
    label: str
    facet: Annotated[str, Field(pattern=r"^[A-Z]\d{2}$",
                                description="Handlingsfacet, fx 'G01'.")] = "G01"
    version: Annotated[str, Field(description="Hvilken udgave af KLE nummeret er fra.")]
    source: Annotated[str, Field(description="Hvor nummeret er slået op.")]


class ProfileFile(Frozen):
    description: str
    base: str | None = None
    paragraphs: tuple[str, ...] = ()
    sections: dict[Role, Requirement] = Field(default_factory=dict)
    links: dict[str, Requirement] = Field(default_factory=dict)
    extent: dict[str, ExtentField] = Field(default_factory=dict)
    quotes: dict[str, QuoteSpec] = Field(default_factory=dict)
    follow_up_months: Annotated[int | None, Field(ge=1, le=36)] = None
    kle: Kle | None = None


@dataclass(frozen=True)
class Profile:
    """A profile with its base merged in."""

    name: str
    description: str
    paragraphs: tuple[str, ...]
    sections: dict[Role, Requirement]
    links: dict[str, Requirement]
    extent: dict[str, ExtentField]
    quotes: dict[str, QuoteSpec]
    follow_up_months: int | None
    kle: Kle | None = None

    @property
    def letters(self) -> bool:
        """Whether letters and forms can be made: only a service profile says what a grant is."""
        return bool(self.extent)

    def follow_up_after(self, start: dt.date) -> dt.date | None:
        """The default first follow-up: ``follow_up_months`` after ``start`` (the same day of
        the month, or the month's last day)."""
        if self.follow_up_months is None:
            return None
        month = start.month - 1 + self.follow_up_months
        year, month = start.year + month // 12, month % 12 + 1
        return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))

    def allows_many(self, role: Role) -> bool:
        need = self.sections.get(role)
        return need is not None and need.many

    def __hash__(self) -> int:
        return hash(self.name)


def _file(name: str) -> ProfileFile | None:
    resource = resources.files("standardgen") / "data" / PROFILE_DIR / f"{name}.yaml"
    if not resource.is_file():
        return None
    with resources.as_file(resource) as path:
        return validation.load(path, ProfileFile)  # ships with the package: broken is our bug


@cache
def load_profile(name: str) -> Profile | None:
    """The profile ``name`` with its base merged in, or None when there is no such profile."""
    own = _file(name)
    if own is None:
        return None
    base = load_profile(own.base) if own.base else None
    return Profile(
        name=name,
        description=own.description,
        paragraphs=own.paragraphs,
        sections={**(base.sections if base else {}), **own.sections},
        links={**(base.links if base else {}), **own.links},
        extent=own.extent or (base.extent if base else {}),
        quotes=own.quotes or (base.quotes if base else {}),
        follow_up_months=own.follow_up_months,
        kle=own.kle,
    )


@cache
def all_profiles() -> tuple[Profile, ...]:
    folder = resources.files("standardgen") / "data" / PROFILE_DIR
    names = sorted(item.name.removesuffix(".yaml") for item in folder.iterdir()
                   if item.name.endswith(".yaml"))
    return tuple(p for name in names if (p := load_profile(name)) is not None)


def service_profiles() -> tuple[Profile, ...]:
    return tuple(p for p in all_profiles() if p.letters)


_PARAGRAPH = re.compile(r"§+\s*(\d+\s*[a-zæøå]?)\b", re.IGNORECASE)


def paragraph_key(text: str) -> str | None:
    """'§ 83, stk. 1' -> '83'; '§83 a' -> '83a'."""
    match = _PARAGRAPH.search(text)
    return match.group(1).replace(" ", "").lower() if match else None


def profile_for(standard: Standard) -> Profile | None:
    """The profile a standard is checked against: the one it names, or for the generic default
    the service profile of its paragraph (falling back to the generic profile)."""
    if standard.profile != GENERIC:
        return load_profile(standard.profile)
    return profile_for_paragraph(standard.service.paragraph) or load_profile(GENERIC)


def profile_for_paragraph(paragraph: str) -> Profile | None:
    """The service profile of a paragraph ("§ 104"), or None when it has none yet."""
    # Guidance left by `standardgen new` ("[[VEJLEDNING: paragraffen, fx § 104]]") names no
    # paragraph yet: drop it before looking.
    key = paragraph_key(GUIDANCE.sub("", paragraph))
    for profile in service_profiles():
        if key is not None and key in {paragraph_key(p) for p in profile.paragraphs}:
            return profile
    return None


def known_paragraphs() -> str:
    found = [p for profile in service_profiles() for p in profile.paragraphs]
    return ", ".join(sorted(found, key=_paragraph_order))


def _paragraph_order(paragraph: str) -> tuple[int, str]:
    """In the law's order: § 82 a, § 82 b, § 83, ..., § 116."""
    key = paragraph_key(paragraph) or ""
    number = re.match(r"\d+", key)
    return (int(number.group(0)) if number else 0, key)
