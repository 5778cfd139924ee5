"""The typed, immutable model of a quality standard and of a municipality.

The field names are the YAML keys. Every field carries a Danish description: the JSON Schema is
generated from these classes and shown by editors while policy staff type.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    SerializerFunctionWrapHandler,
    Tag,
    model_serializer,
    model_validator,
)

from standardgen.core.cvr import check_cvr
from standardgen.core.patterns import EMAIL, ID, SLUG, URL


class Frozen(BaseModel):
    model_config = ConfigDict(
        frozen=True, extra="forbid", str_strip_whitespace=True, coerce_numbers_to_str=True
    )


Text = Annotated[str, Field(min_length=1)]


class Role(StrEnum):
    """What a section is for; profiles and letters find sections by role, never by title."""

    legal_basis = "legal_basis"
    target_group = "target_group"
    purpose = "purpose"
    activities = "activities"
    criteria = "criteria"
    decision = "decision"
    delivery = "delivery"
    quality = "quality"
    follow_up = "follow_up"
    complaints = "complaints"
    contact = "contact"
    # Headings many standards have beyond the roles above ("Hvad indgår ikke", "Egenbetaling",
    # "Borgerens ansvar"); a service profile may quote them in letters. Anything else: other.
    not_included = "not_included"
    payment = "payment"
    citizen_duties = "citizen_duties"
    other = "other"


class Paragraph(Frozen):
    """A paragraph; with a stable id a letter can quote exactly this text. A plain string in the
    YAML is read as a paragraph without an id (and published as the string again)."""

    # Required as a key (a paragraph written as a mapping is one a letter may quote); None only
    # for a plain string, normalised at load time.
    id: Annotated[str | None, Field(pattern=ID, description="Fast id, som breve kan citere.")]
    text: Annotated[Text, Field(description="Teksten; *kursiv*, **fed** og <https://link>.")]

    @property
    def texts(self) -> tuple[str, ...]:
        return (self.text,)

    @model_serializer(mode="wrap")
    def _as_written(self, handler: SerializerFunctionWrapHandler) -> Any:
        # The published JSON keeps the author's shape: a paragraph without id is a string.
        return self.text if self.id is None else handler(self)


class BulletList(Frozen):
    id: Annotated[str | None, Field(pattern=ID, description="Valgfrit fast id.")] = None
    list: Annotated[
        tuple[Text, ...], Field(min_length=1, description="Punkterne i listen, et pr. linje.")
    ]

    @property
    def texts(self) -> tuple[str, ...]:
        return self.list


def _block_kind(value: Any) -> str:
    if isinstance(value, dict) and "list" in value:
        return "list"
    if isinstance(value, BulletList):
        return "list"
    return "paragraph"


def _text_as_paragraph(value: Any) -> Any:
    return {"id": None, "text": value} if isinstance(value, str) else value


# A content block, normalised when the standard is loaded: a plain string becomes a Paragraph
# without an id, so every reader handles a Paragraph or a BulletList (both have ``texts``).
Block = Annotated[
    Annotated[Paragraph, Tag("paragraph")] | Annotated[BulletList, Tag("list")],
    Discriminator(_block_kind),
    BeforeValidator(_text_as_paragraph, json_schema_input_type=Text | Paragraph | BulletList),
]


class Section(Frozen):
    id: Annotated[str, Field(pattern=ID, description="Fast id for afsnittet (bruges i links).")]
    role: Annotated[Role, Field(description="Afsnittets rolle; profilen kræver visse roller.")]
    title: Annotated[Text, Field(description="Overskriften, som borgeren ser den.")]
    content: Annotated[
        tuple[Block, ...],
        Field(description="Afsnittets indhold: tekstafsnit og punktlister i rækkefølge."),
    ] = ()

    def block(self, block_id: str) -> Paragraph | BulletList | None:
        return next((b for b in self.content if b.id == block_id), None)


# The official short titles of the laws standards cite, keyed by their lower-case spelling: a
# letter or form that names the law uses the law's own title, also when the standard writes "Lov
# om Social Service" (the standard itself, and so the site, keep the approved text). Source: the
# titles of the consolidated acts on Retsinformation ("Bekendtgørelse af lov om social service";
# "... af lov om retssikkerhed og administration på det sociale område").
_LAW_TITLES = {title.lower(): title for title in (
    "Lov om social service", "Lov om retssikkerhed og administration på det sociale område")}


def official_law_title(law: str) -> str:
    """The law's official spelling when it is a known law written in another case."""
    return _LAW_TITLES.get(" ".join(law.split()).lower(), law)


class LegalReference(Frozen):
    law: Annotated[Text, Field(description="Lovens navn, fx 'Lov om social service'.")]
    paragraph: Annotated[Text, Field(description="Paragraffen, fx '§ 104'.")]
    text: Annotated[Text | None, Field(description="Paragraffens ordlyd, citeret.")] = None
    url: Annotated[str | None, Field(pattern=URL, description="Link til lovteksten.")] = None

    @property
    def citation(self) -> str:
        return f"{self.law} {self.paragraph}"


class Service(Frozen):
    name: Annotated[Text, Field(description="Ydelsens navn, fx 'Aktivitets- og samværstilbud'.")]
    law: Annotated[Text, Field(description="Loven, fx 'Lov om social service'.")]
    paragraph: Annotated[Text, Field(description="Paragraffen, fx '§ 104'.")]
    ffb_tilbud: Annotated[str | None, Field(description="KL's FFB-kode for tilbuddet.")] = None
    ffb_ydelse: Annotated[str | None, Field(description="KL's FFB-kode for ydelsen.")] = None
    dst_code: Annotated[str | None, Field(description="Danmarks Statistiks kode.")] = None


class Link(Frozen):
    role: Annotated[
        str, Field(pattern=ID, description="Fx 'deadlines' for sagsbehandlingsfrister.")
    ]
    title: Text
    url: Annotated[str, Field(pattern=URL)]


class Address(Frozen):
    street: Text
    postcode: Annotated[str, Field(pattern=r"^\d{4}$", description="Postnummer, fire cifre.")]
    city: Text

    @property
    def lines(self) -> tuple[str, str]:
        return self.street, f"{self.postcode} {self.city}"


class Contact(Frozen):
    """The contact block; what it leaves out is taken from the municipality file."""

    unit: Annotated[Text, Field(description="Afdeling eller enhed, fx 'Myndighedsafdelingen'.")]
    address: Address | None = None
    phone: Annotated[str | None, Field(description="Telefonnummer, fx '8959 1000'.")] = None
    email: Annotated[str | None, Field(pattern=EMAIL)] = None
    hours: Annotated[str | None, Field(description="Telefontid, hvis den skal stå der.")] = None


class Approval(Frozen):
    body: Annotated[Text, Field(description="Det politiske udvalg, fx 'Voksen- og plejeudvalget'.")]
    date: Annotated[dt.date, Field(description="Godkendelsesdato, ÅÅÅÅ-MM-DD.")]


class Revision(Frozen):
    """One approved earlier version, for the version history."""

    version: Text
    approval: Approval
    summary: Annotated[Text | None, Field(description="Kort resumé af ændringerne.")] = None


class Standard(Frozen):
    """A quality standard (kvalitetsstandard) as written in ``standards/<slug>.yaml``."""

    model_config = ConfigDict(title="Kvalitetsstandard")

    slug: Annotated[str, Field(pattern=SLUG, description="Fast kort navn; bruges i adresser.")]
    municipality: Annotated[
        str, Field(pattern=SLUG, description="Kommunefilen i municipalities/, uden .yaml.")
    ]
    profile: Annotated[str, Field(pattern=SLUG, description="Hvilke afsnit der kræves.")] = (
        "serviceloven"
    )
    title: Text
    service: Service
    legal_basis: Annotated[tuple[LegalReference, ...], Field(min_length=1)]
    sections: Annotated[tuple[Section, ...], Field(min_length=1)]
    links: tuple[Link, ...] = ()
    contact: Contact
    approval: Approval
    version: Annotated[Text, Field(description="Versionens betegnelse, fx '2023'.")]
    next_revision: Annotated[
        dt.date | None, Field(description="Dato for næste revision, ÅÅÅÅ-MM-DD.")
    ] = None
    history: Annotated[
        tuple[Revision, ...], Field(description="Tidligere godkendte versioner, nyeste først.")
    ] = ()

    def section(self, role: Role | str) -> Section | None:
        """The first section with ``role``."""
        role = Role(role)
        return next((s for s in self.sections if s.role is role), None)

    def sections_of(self, role: Role | str) -> tuple[Section, ...]:
        """Every section with ``role``, in order (a profile may let several share a role)."""
        role = Role(role)
        return tuple(s for s in self.sections if s.role is role)

    def link(self, role: str) -> Link | None:
        return next((link for link in self.links if link.role == role), None)

    def iter_text(self) -> Iterator[str]:
        """Every text of the standard in reading order (for search and fidelity checks)."""
        yield self.title
        for section in self.sections:
            yield section.title
            for block in section.content:
                yield from block.texts
        for ref in self.legal_basis:
            yield ref.citation
            if ref.text:
                yield ref.text


class Theme(Frozen):
    primary: Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")] = "#004993"
    font: Literal["IBM Plex Sans"] = "IBM Plex Sans"


class CaseNumberFormat(Frozen):
    """How the municipality's case numbers look (its case system: Nexus, an ESDH): the desk
    shows the example, and a case number of another form is refused with it."""

    pattern: Annotated[str, Field(description="Et regulært udtryk for hele sagsnummeret, fx "
                                              "'^\\d{4}-\\d{3}-\\d{4}$'.")]
    example: Annotated[Text, Field(description="Et sagsnummer af den form, fx '2026-104-0001'.")]

    @model_validator(mode="after")
    def _example_fits(self) -> CaseNumberFormat:
        try:
            compiled = re.compile(self.pattern)
        except re.error as exc:
            raise ValueError(f"mønsteret kan ikke læses ({exc})") from None
        if not compiled.fullmatch(self.example):
            raise ValueError(f"eksemplet '{self.example}' passer ikke til mønsteret")
        return self


class Municipality(Frozen):
    """Facts about a municipality shared by all its standards: ``municipalities/<id>.yaml``."""

    model_config = ConfigDict(title="Kommune")

    name: Annotated[Text, Field(description="Fx 'Norddjurs Kommune'.")]
    address: Address
    phone: Text
    email: Annotated[str, Field(pattern=EMAIL)]
    web: Annotated[str, Field(pattern=URL)]
    logo: Annotated[str | None, Field(description="Sti til logo (SVG eller PNG).")] = None
    cvr: Annotated[str | None, AfterValidator(check_cvr), Field(
        description="Kommunens CVR-nummer, otte cifre (modulus 11). Afsender i Digital "
        "Post (MeMo): kræves af 'standardgen letter --format memo'.")] = None
    accessibility_statement: Annotated[str | None, Field(
        pattern=URL, description="Adressen på kommunens tilgængelighedserklæring (lavet i "
        "Digitaliseringsstyrelsens WAS-værktøj); hver side på sitet linker til den.")] = None
    theme: Theme = Theme()
    case_number: Annotated[CaseNumberFormat | None, Field(
        description="Kommunens form på sagsnumre (valgfri).")] = None
