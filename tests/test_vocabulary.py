"""One Danish vocabulary for a case's fields (``data/case_fields.yaml``), and messages without a
schema key, a dotted path or pydantic's English: every case rule is made to fire, and every one
of pydantic's error types is put through the message layer."""

from __future__ import annotations

import copy
import datetime as dt
import re
from pathlib import Path
from typing import Any, get_args

import pytest
import yaml
from pydantic_core.core_schema import ErrorType

from standardgen.cases.check import check_case
from standardgen.cases.model import case_model
from standardgen.cases.read import COLUMNS
from standardgen.cases.vocabulary import vocabulary
from standardgen.core.codes import Code
from standardgen.core.dates import DateError, parse_date
from standardgen.core.validation import error_message, field_names
from standardgen.standards.catalogue import load_catalogue
from standardgen.standards.profiles import service_profiles

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "examples" / "cases"
SOLBAKKE = ROOT / "examples" / "solbakke"
TODAY = dt.date(2026, 6, 15)

# Words of pydantic's messages (and of English generally) that a Danish message never has.
ENGLISH = ("should", "input", "valid", "must", "field", "required", "missing", "value",
           "error", "string", "number", "integer", "unable", "parse", "expected", "greater",
           "less", "than", "equal", "object", "none", "the", "at least", "at most", "invalid",
           "please", "characters", "items", "allowed", "instance")
# Keys that are also everyday Danish words ("mere end", "en standard", "en due").
DANISH_WORDS = frozenset({"end", "standard", "due"})


def _keys() -> frozenset[str]:
    names = set(field_names(case_model(None)))
    for profile in service_profiles():
        if profile.letters:
            names |= set(field_names(case_model(profile.name)))
    return frozenset(names - DANISH_WORDS)


KEYS = _keys()


def danish_only(message: str) -> list[str]:
    """What gives a message away as not written for a caseworker."""
    found = [word for word in ENGLISH if re.search(rf"\b{word}\b", message, re.IGNORECASE)]
    found += [key for key in KEYS if re.search(rf"(?<![\w-]){re.escape(key)}(?![\w-])", message)]
    found += [path for path in re.findall(r"\b[a-z_]+(?:\.[a-z_]+)+\b", message)  # a dotted path
              if set(path.split(".")) <= KEYS | DANISH_WORDS]
    found += re.findall(r"(?<!\d\.)\b\d+\.\d+\b(?!\.\d)", message)  # a decimal point
    return found


def test_the_checker_finds_english_a_schema_key_and_a_decimal_point() -> None:
    assert danish_only("mangler 'considerations'") == ["considerations"]
    assert "input" in danish_only("Input should be a valid number")
    assert danish_only("skal være mindst 0.25") == ["0.25"]
    assert "hearing.response" in danish_only("mangler hearing.response")
    assert danish_only("fx 4.5.2026 eller navn@kommune.dk") == []
    assert danish_only("Hovedhensyn bag afgørelsen: skal udfyldes") == []


# --- every case rule --------------------------------------------------------------------------

def _load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _variants() -> list[tuple[str, dict[str, Any]]]:
    """Cases that each break one rule (or several), from the examples."""
    grant, refusal = _load(CASES / "bevilget.yaml"), _load(CASES / "afslag.yaml")
    change = _load(SOLBAKKE / "cases" / "2026-085-0004.yaml")
    ending = _load(SOLBAKKE / "cases" / "2026-085-0005.yaml")

    def edit(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
        data = copy.deepcopy(base)
        for path, value in changes.items():
            *groups, last = path.split("__")
            target = data
            for group in groups:
                target = target.setdefault(group, {})
            if value is None:
                target.pop(last, None)
            else:
                target[last] = value
        return data

    return [
        ("hearing after decision", edit(refusal, hearing__date="2026-12-01")),
        ("end before start", edit(grant, extent__end_date="2026-01-01")),
        ("follow-up before decision", edit(grant, follow_up__due="2025-01-01")),
        ("decision in future", edit(grant, decision_date="2027-01-01")),
        ("no response", edit(refusal, hearing__response=None)),
        ("response without hearing", edit(refusal, hearing={"response": "svar",
                                                            "not_held_reason": "haster",
                                                            "disclosed": ["x"]})),
        ("no extent", edit(grant, extent=None)),
        ("change without previous", edit(change, previous_extent=None, change=None)),
        ("end missing", edit(ending, end=None)),
        ("no reasons", edit(refusal, considerations=None, facts=None)),
        ("no hearing", edit(refusal, hearing=None)),
        ("empty hearing", edit(refusal, hearing={"disclosed": ["x"]})),
        ("both", edit(refusal, hearing__not_held_reason="haster")),
        ("not disclosed", edit(refusal, hearing={"not_held_reason": "haster"})),
        ("unused", edit(refusal, extent=grant["extent"])),
        ("notice", edit(change, change__effective_date="2026-06-02")),
        ("unknown standard", edit(grant, standard="findes-ikke")),
        ("missing and invalid", edit(grant, citizen__name=None, extent__days_per_week=9,
                                     decision_date="2026-02-30", channel="brevdue")),
        ("unknown profile values", edit(grant, extent__hours_per_week="0,1")),
        ("bad e-mail and cpr", edit(grant, caseworker__email="x", citizen__cpr="1")),
    ]


#: Every code a case rule or the case model gives, which the variants must make fire.
RULE_CODES = {Code.HEARING_AFTER_DECISION, Code.END_BEFORE_START, Code.FOLLOW_UP_BEFORE_DECISION,
              Code.DECISION_IN_FUTURE, Code.MISSING_RESPONSE, Code.RESPONSE_WITHOUT_HEARING,
              Code.MISSING_EXTENT, Code.MISSING_PREVIOUS_EXTENT, Code.MISSING_CHANGE,
              Code.MISSING_END, Code.MISSING_REASONS, Code.MISSING_FACTS, Code.MISSING_HEARING,
              Code.HEARING_BOTH, Code.MISSING_DISCLOSED, Code.UNUSED_FIELD, Code.NOTICE,
              Code.UNKNOWN_STANDARD, Code.MISSING, Code.INVALID_VALUE}


@pytest.fixture(scope="module")
def standards() -> dict[str, Any]:
    catalogue = load_catalogue([ROOT / "standards", SOLBAKKE / "standards"])
    return {item.slug: item for item in catalogue.standards}


def test_every_case_rule_speaks_danish_and_names_fields_by_their_label(
        standards: dict[str, Any]) -> None:
    seen: set[str] = set()
    bad = []
    for name, data in _variants():
        checked = check_case(data, "sag.yaml", standards, TODAY)
        assert checked.problems, name
        for problem in checked.problems:
            seen.add(problem.code)
            if danish_only(problem.message):
                bad.append((name, problem.message, danish_only(problem.message)))
    assert not bad, bad
    assert seen >= RULE_CODES, f"rules never made to fire: {RULE_CODES - seen}"


def test_every_pydantic_error_type_has_a_danish_message() -> None:
    ctx = {"ge": 0.25, "gt": 0.25, "le": 7, "lt": 7.5, "expected": "'svar' or 'intet_svar'",
           "pattern": "^x$", "min_length": 1, "max_length": 2, "error": "skal være rigtig",
           "multiple_of": 0.5, "class_name": "Sag", "max_digits": 2, "decimal_places": 1,
           "whole_digits": 1, "actual_length": 3, "field_type": "Value", "tag": "x",
           "discriminator": "'x'", "expected_tags": "'a'", "expected_plural": "items",
           "object_type": "object", "reason": "input is too short", "version": 4,
           "input_type": "str", "coerce_type": "int", "schemes": "'https'", "max_length_url": 1}
    bad = {}
    for kind in get_args(ErrorType):
        message = error_message({"type": kind, "loc": ("extent", "days_per_week"),
                                 "msg": "Input should be a valid number, unable to parse "
                                        "string as a number", "input": "x", "ctx": ctx})
        if danish_only(message):
            bad[kind] = message
    assert not bad, bad
    bound = error_message({"type": "greater_than_equal", "loc": (), "msg": "", "input": 0.1,
                           "ctx": {"ge": 0.25}})
    assert bound == "'0,1' skal være mindst 0,25"


# --- the vocabulary itself --------------------------------------------------------------------

def test_labels_are_distinct_within_every_service_and_every_csv_column_has_one() -> None:
    words = vocabulary()
    for profile in service_profiles():
        columns = [c for c in COLUMNS if not c.startswith(("extent.", "previous_extent."))
                   or c.split(".", 1)[1] in (*profile.extent, "start_date", "end_date")]
        labels = [words.label(column, profile) for column in columns]
        doubles = {label for label in labels if labels.count(label) > 1}
        assert not doubles, (profile.name, doubles)
    names: dict[str, str] = {}
    for key, declared in words.fields.items():
        for name in (declared.label, *declared.aliases):
            first = names.setdefault(name.casefold(), key)
            assert first == key, f"{name!r} names both {first} and {key}"


def test_a_csv_heading_may_be_the_key_the_label_or_an_alias() -> None:
    words = vocabulary()
    assert words.column("citizen.name", COLUMNS) == "citizen.name"
    assert words.column("Borgerens navn", COLUMNS) == "citizen.name"
    assert words.column("  CPR-NUMMER ", COLUMNS) == "citizen.cpr"
    assert words.column("Omfang (dage om ugen)", COLUMNS) == "extent.days_per_week"
    assert words.column("extent.enddate", COLUMNS) is None  # a misspelt key stays wrong


# --- Danish dates -----------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["04.05.2026", "4.5.2026", "4/5-2026", "04-05-2026",
                                  "2026-05-04", "4. maj 2026", "4 maj 2026", "4. Maj 2026"])
def test_danish_dates_are_read(text: str) -> None:
    assert parse_date(text) == dt.date(2026, 5, 4)


@pytest.mark.parametrize(("text", "says"), [
    ("30.02.2026", "findes ikke"), ("4.5.26", "fire cifre"), ("13.13.2026", "ingen måned 13"),
    ("4. mai 2026", "ikke et dansk månedsnavn"), ("i morgen", "ikke en dato")])
def test_impossible_or_ambiguous_dates_are_refused_in_danish(text: str, says: str) -> None:
    with pytest.raises(DateError, match=says) as caught:
        parse_date(text)
    assert not danish_only(str(caught.value).replace(text, ""))


def test_the_desk_page_lists_the_fields_as_declared() -> None:
    from standardgen.cases.vocabulary import markdown_table

    page = (ROOT / "docs" / "skrivebordet.md").read_text(encoding="utf-8")
    assert markdown_table() in page, (
        "docs/skrivebordet.md is out of date: python -m standardgen.cases.vocabulary")


def test_a_column_under_its_key_and_its_label_is_one_column_twice(tmp_path: Path) -> None:
    from standardgen.cases.read import load_cases

    raw = (CASES / "batch.csv").read_text(encoding="utf-8")
    header, *rows = raw.splitlines()
    sheet = tmp_path / "sager.csv"
    sheet.write_text("\n".join([header + ";Borgerens navn", *(r + ";X" for r in rows)]) + "\n",
                     encoding="utf-8")
    problems = [p for p in load_cases([sheet]).problems if p.code == Code.DUPLICATE_COLUMN]
    assert [p.message for p in problems] == [
        "kolonnen 'Borgerens navn' står to gange (under to navne, eller to gange)"]


def test_a_grant_field_under_another_services_key_of_the_same_name_is_read(
        standards: dict[str, Any]) -> None:
    """ "Leverandør" is ``provider`` for § 85 and ``supplier`` for § 112: a CSV headed by the
    Danish names maps the heading to one key, and the row's service reads it as its own."""
    data = _load(SOLBAKKE / "cases" / "2026-085-0001.yaml")
    data["extent"]["supplier"] = data["extent"].pop("provider")
    checked = check_case(data, "sag.yaml", standards, TODAY)
    assert checked.source is not None, checked.problems
    assert checked.source.case.extent is not None
    assert checked.source.case.extent.values()["provider"] == _load(
        SOLBAKKE / "cases" / "2026-085-0001.yaml")["extent"]["provider"]
