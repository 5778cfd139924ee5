"""Danish sentences: one splitter for diff, LIX and the long-sentence check (issue 23)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import NORDDJURS, ROOT, SEED
from standardgen.approval import compare
from standardgen.core import markup
from standardgen.core.sentences import abbreviations, sentences
from standardgen.standards import plain_language
from standardgen.standards.catalogue import load_standard

SOLBAKKE = ROOT / "examples" / "solbakke" / "standards"


@pytest.mark.parametrize(("text", "expected"), [
    ("Støtten gives på hverdage mellem kl. 8 og 20. Du kan ringe.",
     ["Støtten gives på hverdage mellem kl. 8 og 20.", "Du kan ringe."]),
    ("Du kan klage, jf. § 85, stk. 2. Klagen sendes til os.",
     ["Du kan klage, jf. § 85, stk. 2.", "Klagen sendes til os."]),
    ("Tilbuddet starter 1. januar 2027 for elever i 3. klasse.",
     ["Tilbuddet starter 1. januar 2027 for elever i 3. klasse."]),
    ("Hjælp til rengøring, tøjvask mv. Hjælpen gives hver uge.",
     ["Hjælp til rengøring, tøjvask mv.", "Hjælpen gives hver uge."]),
    ("Vi hjælper bl.a. Aarhus' borgere, f.eks. Jens, og evt. 20 andre, ca. 30 i alt, "
     "jf. Stk. 3, nr. 4, pkt. 2 og tlf. 7000 1234, inkl. 2 ture, ekskl. 1 tur, dvs. 3 i alt, "
     "mht. 4, vedr. 5, ift. 6 osv. og fx. 7.", None),
    ("Hvad koster det? Det er gratis: Du betaler kun for maden!",
     ["Hvad koster det?", "Det er gratis:", "Du betaler kun for maden!"]),
    ("Vi har åbent fra kl. 8.30. Ring inden kl. 10.", ["Vi har åbent fra kl. 8.30.",
                                                     "Ring inden kl. 10."]),
])
def test_sentences_end_where_a_dane_ends_them(text: str, expected: list[str] | None) -> None:
    assert sentences(text) == (expected or [text])


def test_the_issues_list_of_abbreviations_is_known() -> None:
    known = abbreviations().never_final | abbreviations().may_end
    for word in ("kl.", "stk.", "nr.", "jf.", "fx.", "f.eks.", "bl.a.", "evt.", "mv.", "m.v.",
                 "ca.", "pkt.", "tlf.", "inkl.", "ekskl.", "dvs.", "osv.", "mht.", "vedr.",
                 "ift."):
        assert word in known


def _standards() -> list[Path]:
    return [NORDDJURS, SOLBAKKE / "personlig-og-praktisk-hjaelp.yaml",
            SOLBAKKE / "socialpaedagogisk-stoette.yaml"]


@pytest.mark.parametrize(("path", "hand_count"), list(zip(_standards(), [30, 19, 23], strict=True)),
                         ids=lambda v: getattr(v, "stem", str(v)))
def test_lix_sentence_counts_match_hand_counts(path: Path, hand_count: int) -> None:
    # Counted by hand, paragraph by paragraph and list item by list item (December 2026).
    standard = load_standard(path).standard
    assert plain_language.standard_readability(standard).sentences == hand_count


def _texts() -> list[str]:
    texts = [" ".join(SEED.read_text(encoding="utf-8").split())]
    for path in _standards():
        texts += [markup.to_plain(t) for t in load_standard(path).standard.iter_text()]
    return texts


def test_no_sentence_of_the_seed_and_example_standards_ends_at_an_abbreviation() -> None:
    never = abbreviations().never_final
    for text in _texts():
        for sentence in sentences(text)[:-1]:
            last = sentence.split()[-1].lstrip("(").lower()
            assert last not in never, sentence


def test_diff_and_lix_split_alike() -> None:
    for text in _texts():
        assert compare.sentences(text) == (sentences(text) or [text])
        assert [s for s in plain_language.sentences(text)] == [
            s for s in sentences(text) if plain_language.words(s)]


def test_the_seed_abbreviations_stay_inside_their_sentence() -> None:
    seed = " ".join(SEED.read_text(encoding="utf-8").split())
    for abbreviation in ("jf.", "evt."):
        assert abbreviation in seed
        sentence = next(s for s in sentences(seed) if abbreviation in s)
        assert re.search(re.escape(abbreviation) + r" \w", sentence)
