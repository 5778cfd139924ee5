"""Klarsprog: LIX in check, long sentences by the profile, and the letter's fixed wording."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import NORDDJURS, ROOT, edit
from standardgen.cases.read import load_cases
from standardgen.cases.wording import WordingError, load_wording
from standardgen.cli import main
from standardgen.letters.content import _values
from standardgen.standards import plain_language as klarsprog
from standardgen.standards.catalogue import load_catalogue

# No part of the letter's fixed wording may read "meget svær" (LIX 55 and above; 45-54 is
# "svær"). Measured at 0.1.0: result 38, extent 34, reasons 43, hearing 40, plan 46, access 34,
# complaint 33, follow_up 20, contact 51 (one long sentence with the caseworker's details).
# The title, heading, greeting and closing are phrases, not prose (a LIX of a heading says
# nothing), and so is a part shorter than MIN_WORDS.
LETTER_LIX_LIMIT = 55
MIN_WORDS = 15
PHRASES = {"title", "heading", "greeting", "closing"}


def test_lix_of_a_known_text() -> None:
    figures = klarsprog.readability(["Du kan klage. Klagen sendes til kommunen."])
    assert (figures.words, figures.sentences, figures.long_words) == (7, 2, 1)
    assert figures.lix == pytest.approx(7 / 2 + 100 / 7)
    assert figures.band == "meget let"


def test_abbreviations_dates_and_links_do_not_end_sentences_or_count_as_words() -> None:
    text = ("Borgeren får svar senest 26. april 2023, jf. loven. Læs mere på "
            "<https://norddjurs.dk/om-kommunen/sagsbehandlingsfrister> eller skriv til "
            "post@norddjurs.dk.")
    first = "Borgeren får svar senest 26. april 2023, jf. loven."
    assert klarsprog.sentences(first) == [first]
    figures = klarsprog.readability([text])
    # Borgeren får svar senest 26 april 2023 jf loven / Læs mere på eller skriv til: only
    # "Borgeren" is long; the web and e-mail addresses are not counted.
    assert (figures.words, figures.sentences, figures.long_words) == (15, 2, 1)


def check(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", *args])
    return result.exit_code, result.stdout


def test_check_reports_the_standards_lix_as_information_at_its_title() -> None:
    code, out = check("--strict", str(NORDDJURS))
    assert code == 0  # information never fails a check, not even --strict
    title_line = next(i for i, line in enumerate(NORDDJURS.read_text().splitlines(), 1)
                      if line.startswith("title:"))
    lix = [line for line in out.splitlines() if "klarsprog, hele standarden" in line]
    assert len(lix) == 1
    assert lix[0].startswith(f"{NORDDJURS.relative_to(ROOT)}:{title_line}:".lstrip("/")) or \
        f":{title_line}:" in lix[0]
    assert ": info: " in lix[0] and "LIX 59 (meget svær)" in lix[0]
    assert "afsnittet 'Målgruppe'" not in out


def test_lix_per_section_with_the_option() -> None:
    code, out = check("--lix-sections", str(NORDDJURS))
    assert code == 0
    sections = [line for line in out.splitlines() if "klarsprog, afsnittet" in line]
    assert len(sections) == 9  # every section with text; Lovgrundlag and Kontakt have none
    assert any("'Aktiviteter': LIX 48 (svær)" in line for line in sections)


def test_long_sentence_is_information_in_the_default_profile(standards_copy: Path) -> None:
    target = standards_copy / NORDDJURS.name
    code, out = check("--format", "json", str(target))
    long = [p for p in json.loads(out) if p["code"] == "long-sentence"]
    assert code == 0 and len(long) == 1
    assert long[0]["severity"] == "info" and "42 ord" in long[0]["message"]
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[long[0]["line"] - 1].strip() == "- >-"
    assert "Da der er tale om et visiteret tilbud" in lines[long[0]["line"]]
    edit(target, "        Da der er tale om et visiteret tilbud, som typisk er til borgere med "
         "nedsat fysisk og\n        psykisk funktionsevne, vil",
         "        Tilbuddet er visiteret. Det er typisk til borgere med nedsat fysisk og\n"
         "        psykisk funktionsevne. Derfor vil")
    code, out = check("--format", "json", str(target))
    assert not [p for p in json.loads(out) if p["code"] == "long-sentence"]


def test_a_profile_can_make_long_sentences_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    rules = klarsprog.plain_language_rules()
    assert rules.profiles["serviceloven"] == klarsprog.PlainLanguage(sentence_words=30,
                                                                     level="info")
    strict = klarsprog.PlainLanguageRules(profiles={"serviceloven": klarsprog.PlainLanguage(
        sentence_words=25, level="warning")})
    monkeypatch.setattr(klarsprog, "plain_language_rules", lambda: strict)
    loaded = load_catalogue([NORDDJURS]).standards
    found = [p for p in klarsprog.check_problems(loaded, per_section=False)
             if p.code == "long-sentence"]
    assert len(found) == 2 and all(p.severity.value == "warning" for p in found)


def letter_wording_parts() -> dict[str, klarsprog.Readability]:
    """Each part of the letter's fixed wording (text.<part>.* in templates/letter/wording.yaml),
    rendered with the values of the example cases (the first case each text can render with)."""
    loaded = load_catalogue([NORDDJURS]).standards[0]
    wording = load_wording()
    cases = load_cases(sorted((ROOT / "examples" / "cases").glob("*.yaml"))).cases
    values = [_values(source.case, loaded, wording) for source in cases]
    texts: dict[str, list[str]] = {}
    for key in wording._texts:
        if key == "contact.unit":
            continue  # an address line (unit, town, phone, e-mail), not a sentence
        for value in values:
            try:
                texts.setdefault(key.split(".")[0], []).append(wording.say(key, value))
                break
            except WordingError:
                continue  # a text for another kind of case; the next example may have it
    return {part: klarsprog.readability(found) for part, found in texts.items()}


def test_each_part_of_the_letters_fixed_wording_stays_under_the_lix_limit() -> None:
    parts = letter_wording_parts()
    prose = {part: figures for part, figures in parts.items()
             if figures.words >= MIN_WORDS and part not in PHRASES}
    assert {"result", "reasons", "hearing", "complaint", "plan", "access"} <= prose.keys()
    hard = {part: round(figures.lix) for part, figures in prose.items()
            if figures.lix >= LETTER_LIX_LIMIT}
    assert hard == {}
