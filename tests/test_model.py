"""The typed model of a standard and a municipality, and the Danish messages of validation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from conftest import NORDDJURS
from standardgen.core import validation
from standardgen.core.problems import InputError, Problem
from standardgen.core.yamlsource import load_yaml
from standardgen.standards.catalogue import LoadedStandard, load_standard
from standardgen.standards.model import (
    Address,
    BulletList,
    Contact,
    Municipality,
    Paragraph,
    Role,
    Section,
    Standard,
)


@pytest.fixture(scope="module")
def loaded() -> LoadedStandard:
    return load_standard(NORDDJURS)


def minimal() -> dict[str, Any]:
    """The smallest valid standard as plain data."""
    return {
        "slug": "test",
        "municipality": "norddjurs",
        "title": "Titel",
        "service": {"name": "Ydelse", "law": "Lov om social service", "paragraph": "§ 104"},
        "legal_basis": [{"law": "Lov om social service", "paragraph": "§ 104"}],
        "sections": [{"id": "a", "role": "purpose", "title": "Formål", "content": ["Tekst."]}],
        "contact": {"unit": "Enheden"},
        "approval": {"body": "Udvalget", "date": "2023-04-26"},
        "version": "2023",
    }


def problems_of(tmp_path: Path, text: str, cls: type[Any] = Municipality) -> list[Problem]:
    path = tmp_path / "data.yaml"
    path.write_text(text, encoding="utf-8")
    document = load_yaml(path)
    value, problems = validation.parse(document, cls)
    assert value is None
    return problems


# --- the Norddjurs standard as a model ---------------------------------------------------------


def test_norddjurs_fields(loaded: LoadedStandard) -> None:
    standard = loaded.standard
    assert standard.slug == "aktivitets-og-samvaerstilbud"
    assert standard.profile == "serviceloven"
    assert standard.title == "Kvalitetsstandard: Aktivitets- og samværstilbud"
    assert (standard.service.paragraph, standard.service.dst_code) == ("§ 104", "30011")
    assert standard.service.ffb_tilbud == "9401777d-bdc5-4f52-9804-63c8cae9a792"
    assert standard.legal_basis[0].citation == "Lov om Social Service § 104"
    assert standard.approval.date == dt.date(2023, 4, 26)
    assert standard.approval.body == "Voksen- og plejeudvalget"
    assert standard.version == "2023"
    assert standard.next_revision is None
    assert loaded.municipality.name == "Norddjurs Kommune"
    assert loaded.source == NORDDJURS


def test_sections_in_order_and_by_role(loaded: LoadedStandard) -> None:
    standard = loaded.standard
    assert [s.title for s in standard.sections] == [
        "Målgruppe", "Kriterier og omfang", "Formål", "Afgørelse", "Levering", "Aktiviteter",
        "Kvalitetskrav", "Opfølgning", "Klage og ankemuligheder", "Lovgrundlag",
        "Kontaktinformationer",
    ]
    complaints = standard.section(Role.complaints)
    assert complaints is not None
    assert complaints is standard.section("complaints")
    assert complaints.id == "klage"
    assert standard.section(Role.other) is None
    with pytest.raises(ValueError):
        standard.section("klage")  # a role, not an id


def test_blocks(loaded: LoadedStandard) -> None:
    delivery = loaded.standard.section(Role.delivery)
    assert delivery is not None
    assert all(isinstance(block, Paragraph) for block in delivery.content)
    costs = delivery.block("udgifter")
    assert isinstance(costs, Paragraph)
    assert costs.text.startswith("Der er ingen udgifter for borgeren til aktivitets- og")
    assert delivery.block("findes-ikke") is None
    activities = loaded.standard.section(Role.activities)
    assert activities is not None
    text, bullets = activities.content
    # A plain string is normalised once, at load time, into a paragraph without an id ...
    assert text == Paragraph(id=None, text="Aktivitetstilbud kan blandt andet omfatte:")
    assert text.id is None and text.texts == (text.text,)
    # ... and published as the string the author wrote.
    dumped: object = text.model_dump(mode="json")
    assert dumped == "Aktivitetstilbud kan blandt andet omfatte:"
    assert costs.model_dump(mode="json") == {"id": "udgifter", "text": costs.text}
    assert isinstance(bullets, BulletList)
    assert bullets.list[0] == "Sanse- og motoriske aktiviteter"
    assert len(bullets.list) == 5


def test_folded_yaml_text_is_one_line(loaded: LoadedStandard) -> None:
    for text in loaded.standard.iter_text():
        assert "\n" not in text
        assert text == text.strip()
        assert "  " not in text


def test_links(loaded: LoadedStandard) -> None:
    deadlines = loaded.standard.link("deadlines")
    assert deadlines is not None
    assert deadlines.url == (
        "https://norddjurs.dk/om-kommunen/generel-information-om-norddjurs/sagsbehandlingsfrister")
    assert loaded.standard.link("andet") is None


def test_iter_text_reading_order(loaded: LoadedStandard) -> None:
    texts = list(loaded.standard.iter_text())
    assert texts[0] == loaded.standard.title
    assert texts[1:3] == ["Målgruppe", loaded.standard.sections[0].content[0].texts[0]]
    assert "Socialt samvær" in texts
    assert texts[-2] == "Lov om Social Service § 104"
    assert texts[-1].startswith("Kommunalbestyrelsen skal tilbyde")
    titles = [s.title for s in loaded.standard.sections]
    assert [t for t in texts if t in titles] == titles


def test_contact_is_completed_from_the_municipality(loaded: LoadedStandard) -> None:
    contact = loaded.contact
    assert contact.unit == "Myndighedsafdelingen"
    assert contact.address == Address(street="Torvet 3", postcode="8500", city="Grenaa")
    assert contact.address.lines == ("Torvet 3", "8500 Grenaa")
    assert (contact.phone, contact.email) == ("8959 1000", "norddjurs@norddjurs.dk")
    assert loaded.address == contact.address


def test_own_contact_details_win(loaded: LoadedStandard) -> None:
    own = Contact(unit="Visitationen", phone="8959 2000", email="visitation@norddjurs.dk",
                  address=Address(street="Østergade 1", postcode="8500", city="Grenaa"))
    standard = loaded.standard.model_copy(update={"contact": own})
    contact = LoadedStandard(standard, loaded.municipality, loaded.source,
                             loaded.municipality_file).contact
    assert contact == own


def test_load_standard_raises_with_every_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        load_standard(tmp_path / "findes-ikke.yaml")
    assert [p.code for p in info.value.problems] == ["not-found"]
    assert "filen findes ikke" in str(info.value)


# --- the model itself --------------------------------------------------------------------------


def test_minimal_standard_and_defaults() -> None:
    standard = Standard.model_validate(minimal())
    assert standard.profile == "serviceloven"
    assert (standard.links, standard.history, standard.next_revision) == ((), (), None)
    assert standard.approval.date == dt.date(2023, 4, 26)


def test_models_are_frozen(loaded: LoadedStandard) -> None:
    with pytest.raises(ValidationError):
        loaded.standard.title = "Ny titel"  # type: ignore[misc]
    assert isinstance(loaded.standard.sections, tuple)
    assert hash(loaded.standard.approval)


def test_unknown_fields_are_refused() -> None:
    data = minimal()
    data["sections"][0]["tekst"] = "x"
    with pytest.raises(ValidationError) as info:
        Standard.model_validate(data)
    assert "extra_forbidden" in [e["type"] for e in info.value.errors()]


def test_whitespace_is_stripped_and_blank_text_is_empty() -> None:
    data = minimal()
    data["title"] = "  Titel  "
    assert Standard.model_validate(data).title == "Titel"
    data["title"] = "   "
    with pytest.raises(ValidationError) as info:
        Standard.model_validate(data)
    assert info.value.errors()[0]["type"] == "string_too_short"


def test_numbers_in_text_fields_become_text() -> None:
    data = minimal()
    data["version"] = 2023
    data["service"]["dst_code"] = 30011
    standard = Standard.model_validate(data)
    assert (standard.version, standard.service.dst_code) == ("2023", "30011")


@pytest.mark.parametrize(
    ("block", "kind"),
    [("Tekst.", Paragraph), ({"id": "a-b", "text": "Tekst."}, Paragraph),
     ({"list": ["et", "to"]}, BulletList), ({"id": "punkter", "list": ["et"]}, BulletList)],
)
def test_block_kinds(block: object, kind: type) -> None:
    section = Section.model_validate(
        {"id": "s", "role": "other", "title": "T", "content": [block]})
    assert isinstance(section.content[0], kind)


@pytest.mark.parametrize(
    ("block", "kind"),
    [({"id": "a"}, "missing"), ({"text": "uden id"}, "missing"), ({"list": []}, "too_short"),
     ({"id": "Store Bogstaver", "text": "x"}, "string_pattern_mismatch"), ("", "string_too_short"),
     ({"list": ["et"], "text": "x"}, "extra_forbidden")],
)
def test_bad_blocks(block: object, kind: str) -> None:
    with pytest.raises(ValidationError) as info:
        Section.model_validate({"id": "s", "role": "other", "title": "T", "content": [block]})
    assert [e["type"] for e in info.value.errors()] == [kind]


@pytest.mark.parametrize("date", ["2023-02-30", "2023-02-29", "2023-4-26", "i morgen"])
def test_impossible_dates_are_refused(date: str) -> None:
    data = minimal()
    data["approval"]["date"] = date
    with pytest.raises(ValidationError):
        Standard.model_validate(data)


def test_leap_day_is_a_date() -> None:
    data = minimal()
    data["approval"]["date"] = "2024-02-29"
    assert Standard.model_validate(data).approval.date == dt.date(2024, 2, 29)


def test_municipality_theme_default() -> None:
    town = Municipality.model_validate({
        "name": "Norddjurs Kommune", "phone": "8959 1000", "email": "a@norddjurs.dk",
        "web": "https://norddjurs.dk",
        "address": {"street": "Torvet 3", "postcode": "8500", "city": "Grenaa"},
    })
    assert (town.theme.primary, town.theme.font) == ("#004993", "IBM Plex Sans")
    assert town.logo is None


# --- validation: Danish messages at the right place -------------------------------------------

MUNICIPALITY = """\
name: Norddjurs Kommune
address:
  street: Torvet 3
  postcode: "8500"
  city: Grenaa
phone: 8959 1000
email: norddjurs@norddjurs.dk
web: https://norddjurs.dk
"""


def test_valid_municipality_has_no_problems(tmp_path: Path) -> None:
    path = tmp_path / "norddjurs.yaml"
    path.write_text(MUNICIPALITY, encoding="utf-8")
    town, problems = validation.parse(load_yaml(path), Municipality)
    assert problems == []
    assert town is not None
    assert town.address.postcode == "8500"


@pytest.mark.parametrize(
    ("old", "new", "line", "column", "message"),
    [
        ("address:", "adress:", 2, 1, "ukendt felt 'adress'; mente du 'address'?"),
        ("  city: Grenaa", "  by: Grenaa", 5, 3, "ukendt felt 'by'"),
        ('postcode: "8500"', "postcode: 850", 4, 13,
         "'postcode' skal være et postnummer med fire cifre"),
        ("email: norddjurs@norddjurs.dk", "email: norddjurs", 7, 8,
         "'email' skal være en e-mailadresse (fx 'navn@kommune.dk')"),
        ("web: https://norddjurs.dk", "web: norddjurs.dk", 8, 6,
         "'web' skal være en webadresse, der begynder med https:// (eller mailto:)"),
        ("web: https://norddjurs.dk", "web: https://norddjurs.dk\ntheme: {primary: blå}", 9, 18,
         "'primary' skal være en farvekode som '#004993'"),
        ("web: https://norddjurs.dk", "web: https://norddjurs.dk\ntheme: {font: Arial}", 9, 15,
         "'font' 'Arial' er ikke tilladt; brug en af: 'IBM Plex Sans'"),
        ("phone: 8959 1000", "phone: [8959, 1000]", 6, 8, "'phone' skal være tekst"),
        ('address:\n  street: Torvet 3\n  postcode: "8500"\n  city: Grenaa\n',
         "address: Torvet 3, 8500 Grenaa\n", 2, 10,
         "'address' skal være en gruppe af nøgler med værdier"),
        ("name: Norddjurs Kommune", "name: ''", 1, 7, "'name' må ikke være tom"),
    ],
    ids=["suggestion", "no-suggestion", "postcode", "email", "url", "colour", "literal", "type",
         "mapping", "empty"],
)
def test_message_and_place(
    tmp_path: Path, old: str, new: str, line: int, column: int, message: str
) -> None:
    assert MUNICIPALITY.count(old) == 1
    problems = problems_of(tmp_path, MUNICIPALITY.replace(old, new))
    problem = next(p for p in problems if p.message == message or p.code != "missing")
    assert (problem.line, problem.column, problem.message) == (line, column, message)


def test_missing_field_is_reported_at_its_parent(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, MUNICIPALITY.replace("  city: Grenaa\n", ""))
    assert [(p.line, p.column, p.message) for p in problems] == [
        (3, 3, "mangler det påkrævede felt 'city'")]


def test_enum_message_lists_every_role(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("id: a\nrole: formaal\ntitle: Formål\n", encoding="utf-8")
    _, problems = validation.parse(load_yaml(path), Section)
    (problem,) = problems
    assert (problem.line, problem.column) == (2, 7)
    assert problem.message.startswith("'role' 'formaal' er ikke tilladt; brug en af: ")
    for role in Role:
        assert f"'{role.value}'" in problem.message


def test_yes_and_no_are_not_text(tmp_path: Path) -> None:
    # YAML 1.1 reads an unquoted 'nej' as text but 'no' as false: the author is told.
    problems = problems_of(tmp_path, MUNICIPALITY.replace("name: Norddjurs Kommune", "name: no"))
    assert [(p.line, p.message) for p in problems] == [(1, "'name' skal være tekst")]


STANDARD_START = """\
slug: test
municipality: norddjurs
title: Titel
service: {name: Ydelse, law: Lov om social service, paragraph: "§ 104"}
contact: {unit: Enheden}
approval: {body: Udvalget, date: 2023-04-26}
version: "2023"
"""


def test_one_bad_item_does_not_make_the_list_empty(tmp_path: Path) -> None:
    text = STANDARD_START + (
        "legal_basis:\n  - law: Lov om social service\n    paragraf: § 104\n"
        "sections:\n  - id: a\n    role: formaal\n    title: Formål\n")
    problems = problems_of(tmp_path, text, Standard)
    # No "'legal_basis' / 'sections' skal have mindst ét punkt": each has its one item.
    assert [(p.line, p.message.split(";")[0]) for p in problems] == [
        (9, "mangler det påkrævede felt 'paragraph'"),
        (10, "ukendt felt 'paragraf'"),
        (13, "'role' 'formaal' er ikke tilladt"),
    ]


def test_an_empty_list_is_still_too_short(tmp_path: Path) -> None:
    text = STANDARD_START + "legal_basis: []\nsections:\n  - {id: a, role: purpose, title: F}\n"
    problems = problems_of(tmp_path, text, Standard)
    assert [(p.line, p.column, p.message) for p in problems] == [
        (8, 14, "'legal_basis' skal have mindst ét punkt")]
