"""Seed fidelity: every sentence of the approved Norddjurs text is in the YAML, word for word.

The seed is read by ``seedtext.parse_seed`` (see seedtext.py for how the extraction is undone).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from babel.dates import format_date

from conftest import NORDDJURS
from seedtext import (
    SEED_HEADINGS,
    SENTENCE_END,
    URL,
    Seed,
    missing_units,
    normalise,
    parse_seed,
    seed_path,
    seed_units,
)
from standardgen.core.markup import to_plain
from standardgen.standards.catalogue import LoadedStandard, load_standard


def danish_date(date: dt.date) -> str:
    return format_date(date, format="d. MMMM y", locale="da")


def address_data(loaded: LoadedStandard) -> list[str]:
    """The contact block and the approval line as the data give them."""
    contact, approval = loaded.contact, loaded.standard.approval
    assert contact.address and contact.phone and contact.email
    return [contact.unit, loaded.municipality.name, *contact.address.lines, contact.phone,
            contact.email, f"Godkendt i {approval.body} den {danish_date(approval.date)}."]


def texts(loaded: LoadedStandard) -> list[str]:
    return [normalise(to_plain(text)) for text in loaded.standard.iter_text()]


def missing_from(loaded: LoadedStandard, seed: Seed) -> list[str]:
    """Every piece of the seed that the standard does not contain, in the seed's order."""
    units = texts(loaded)
    titles = [section.title for section in loaded.standard.sections]
    missing = [] if seed.title == loaded.standard.title else [seed.title]
    missing += [h for h in seed.headings if h not in titles]
    missing += [s for s in seed.sentences if not any(s in unit for unit in units)]
    missing += [b for b in seed.bullets if b not in units]
    data = address_data(loaded)
    missing += [line for line in seed.address_lines if line not in data]
    return missing


@pytest.fixture(scope="module")
def seed() -> Seed:
    return parse_seed(seed_path().read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def loaded() -> LoadedStandard:
    return load_standard(NORDDJURS)


# --- the seed is read as intended -------------------------------------------------------------


def test_babel_gives_danish_dates() -> None:
    assert danish_date(dt.date(2023, 4, 26)) == "26. april 2023"
    assert danish_date(dt.date(2024, 12, 1)) == "1. december 2024"


def test_seed_is_parsed_into_its_pieces(seed: Seed) -> None:
    assert seed.title == "Kvalitetsstandard: Aktivitets- og samværstilbud"
    assert seed.headings == list(SEED_HEADINGS)
    assert len(seed.sentences) == 27
    assert seed.bullets == ["Sanse- og motoriske aktiviteter", "Kreative udfordringer",
                            "Sang og bevægelse", "Sundhed, kost og motion", "Socialt samvær"]
    assert seed.address_lines == [
        "Myndighedsafdelingen", "Norddjurs Kommune", "Torvet 3", "8500 Grenaa", "8959 1000",
        "norddjurs@norddjurs.dk", "Godkendt i Voksen- og plejeudvalget den 26. april 2023."]


def test_split_address_is_rejoined_and_its_repeats_dropped(seed: Seed) -> None:
    url = "https://norddjurs.dk/om-kommunen/generel-information-om-norddjurs/sagsbehandlingsfrister"
    assert seed.sentences.count(
        f"Der henvises til sagsbehandlingsfrister på Norddjurs Kommunes hjemmeside via følgende "
        f"link: {url}") == 1
    assert seed.body.count(url) == 1
    assert not any(s.endswith("-") or s.startswith("norddjurs/") for s in seed.sentences)


def test_sentences_are_whole(seed: Seed) -> None:
    for sentence in seed.sentences:
        assert sentence == normalise(sentence)
        assert sentence[0].isupper(), sentence
        assert sentence.endswith((".", ":")) or URL.search(sentence) or sentence.endswith(
            "§ 104"), sentence


def test_output_units_are_the_title_headings_and_whole_sentences(seed: Seed) -> None:
    """The units an output must contain cover the parsed seed, in the seed's order."""
    units = seed_units(seed_path().read_text(encoding="utf-8"))
    assert units[0] == seed.title
    assert [u for u in units if u in SEED_HEADINGS] == seed.headings
    running = " ".join(units[1:])
    assert all(normalise(s) in running for s in seed.sentences + seed.bullets)
    assert all(line in running for line in seed.address_lines)
    assert sum(URL.fullmatch(u) is not None for u in units) == 0  # the repeats are dropped


def test_the_output_check_finds_a_dropped_or_changed_word() -> None:
    seed = seed_path()
    text = "\n".join(seed_units(seed.read_text(encoding="utf-8")))
    assert missing_units(seed, text) == []
    assert missing_units(seed, " ".join(text.split())) == []  # white space does not count
    changed = text.replace("minimum én gang", "mindst én gang")
    assert missing_units(seed, changed) == [
        "Der sker opfølgning med deltagelse af borger, sagsbehandler og tilbud minimum én gang "
        "årligt eller efter behov."]
    assert missing_units(seed, text.replace("Kvalitetskrav\n", "")) == ["Kvalitetskrav"]


# --- fidelity ----------------------------------------------------------------------------------


def test_every_sentence_of_the_seed_is_in_the_standard(loaded: LoadedStandard, seed: Seed) -> None:
    assert missing_from(loaded, seed) == []


def test_sections_are_in_the_seed_order(loaded: LoadedStandard, seed: Seed) -> None:
    assert [section.title for section in loaded.standard.sections] == seed.headings


def test_nothing_is_added_to_the_seed_text(loaded: LoadedStandard, seed: Seed) -> None:
    added = [sentence for unit in texts(loaded) for sentence in SENTENCE_END.split(unit)
             if sentence not in seed.body]
    assert added == []


def test_the_deadlines_link_is_the_one_in_the_text(loaded: LoadedStandard, seed: Seed) -> None:
    link = loaded.standard.link("deadlines")
    assert link is not None
    assert URL.findall(seed.body) == [link.url]


# --- the comparison can fail -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "missing"),
    [
        ("sagsbehandler.\n        Afgørelsen følges af en klagevejledning.\n", "sagsbehandler.\n",
         ["Afgørelsen følges af en klagevejledning."]),
        ("minimum én gang\n        årligt", "mindst én gang\n        årligt",
         ["Der sker opfølgning med deltagelse af borger, sagsbehandler og tilbud minimum én gang "
          "årligt eller efter behov."]),
        ("          - Sang og bevægelse\n", "", ["Sang og bevægelse"]),
        ("          - Socialt samvær\n", "          - Socialt samvær og udflugter\n",
         ["Socialt samvær"]),
        ("    title: Formål\n", "    title: Formålet\n", ["Formål"]),
        ("  date: 2023-04-26", "  date: 2023-04-25",
         ["Godkendt i Voksen- og plejeudvalget den 26. april 2023."]),
        ("  unit: Myndighedsafdelingen", "  unit: Myndighedsafdelingen\n  phone: 8959 2000",
         ["8959 1000"]),
        ("livsvilkårene.", "livsvilkår.",
         ["Kommunalbestyrelsen skal tilbyde aktivitets- og samværstilbud til personer med "
          "betydelig nedsat fysisk eller psykisk funktionsevne eller med særlige sociale "
          "problemer til opretholdelse eller forbedring af personlige færdigheder eller af "
          "livsvilkårene."]),
    ],
    ids=["sentence-deleted", "word-changed", "bullet-deleted", "bullet-changed", "heading",
         "approval-date", "phone", "law-text"],
)
def test_the_checker_finds_what_is_missing(
    standards_copy: Path, seed: Seed, old: str, new: str, missing: list[str]
) -> None:
    path = standards_copy / NORDDJURS.name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    assert missing_from(load_standard(path), seed) == missing


def test_the_reverse_check_finds_an_addition(standards_copy: Path, seed: Seed) -> None:
    path = standards_copy / NORDDJURS.name
    text = path.read_text(encoding="utf-8")
    old = "Der er ingen udgifter for borgeren til kørsel."
    assert text.count(old) == 1
    path.write_text(text.replace(old, old + " Kørsel bestilles dagen før."), encoding="utf-8")
    loaded = load_standard(path)
    assert missing_from(loaded, seed) == []
    added = [sentence for unit in texts(loaded) for sentence in SENTENCE_END.split(unit)
             if sentence not in seed.body]
    assert added == ["Kørsel bestilles dagen før."]
