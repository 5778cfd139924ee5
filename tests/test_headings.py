"""Headings as municipalities write them: the real-heading corpus in tests/data/headings.tsv."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from standardgen.importer.vocabulary import RoleMatch, normalise, vocabulary
from standardgen.standards.model import Role

CORPUS = Path(__file__).parent / "data" / "headings.tsv"


def corpus() -> list[dict[str, str]]:
    lines = [line for line in CORPUS.read_text(encoding="utf-8").splitlines()
             if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def given(heading: str) -> Role:
    found = vocabulary().match(heading)
    return found.role or Role.other


def accuracy(rows: list[dict[str, str]]) -> tuple[int, int, list[str]]:
    clear = [r for r in rows if r["ambiguous"] != "yes"]
    wrong = [f"{r['heading']!r}: {given(r['heading']).value}, not {r['role']}"
             for r in clear if given(r["heading"]).value != r["role"]]
    return len(clear) - len(wrong), len(clear), wrong


def test_the_corpus_is_real_and_broad() -> None:
    rows = corpus()
    assert len(rows) >= 150
    towns = {r["municipality"] for r in rows if not r["municipality"].startswith("unknown")}
    assert len(towns) >= 10
    assert all(r["source"].startswith("http") for r in rows)
    assert {r["role"] for r in rows} <= {role.value for role in Role}


def test_95_percent_of_the_unambiguous_headings_get_the_officers_role() -> None:
    right, total, wrong = accuracy(corpus())
    print(f"\nheadings: {right}/{total} = {right / total:.1%} right; wrong: {wrong}")
    assert right / total >= 0.95, wrong


def test_the_held_out_headings_are_scored_too() -> None:
    right, total, wrong = accuracy([r for r in corpus() if r["set"].startswith("heldout")])
    print(f"\nheld out: {right}/{total} = {right / total:.1%} right; wrong: {wrong}")
    assert total >= 15 and right / total >= 0.9, wrong


@pytest.mark.parametrize(("heading", "key"), [
    ("4.1.1 Hvem kan modtage indsatsen?", "hvem kan modtage indsatsen"),
    ("1.0 Indledning", "indledning"),
    ("Følgende indgår ikke i hjælp efter § 96", "følgende indgår ikke i hjælp"),
    ("Lovgivning og personkredsen for §§ 95 og 96:", "lovgivning og personkredsen for"),
])
def test_headings_are_normalised_without_numbering_references_and_punctuation(
        heading: str, key: str) -> None:
    assert normalise(heading) == key


@pytest.mark.parametrize(("heading", "role"), [
    ("Hvad indgår i indsatsen", Role.activities),
    ("Sådan søger du", Role.decision),
    ("Hvad indgår ikke", Role.not_included),
    ("Egenbetaling", Role.payment),
    ("Borgerens ansvar", Role.citizen_duties),
    ("Ydelsens lovgrundlag", Role.legal_basis),
    ("Visitationskriterier for midlertidigt botilbud", Role.criteria),
    ("Hvad koster det for dig?", Role.payment),
])
def test_the_issues_headings_get_their_roles(heading: str, role: Role) -> None:
    assert given(heading) is role


def test_a_heading_without_any_key_word_is_unknown() -> None:
    assert vocabulary().match("Særlige forhold om kæledyr") == RoleMatch(None, 0.0)


def test_a_close_call_is_not_confident_and_names_both_roles() -> None:
    found = vocabulary().match("Sagsbehandlingstider og klagevejledning")
    assert not found.confident
    assert {found.role, found.runner_up} == {Role.quality, Role.complaints}
