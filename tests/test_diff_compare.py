"""The structured comparison: sections, units, sentences and words."""

from __future__ import annotations

from pathlib import Path

import pytest

from standardgen.approval.compare import (
    Op,
    Status,
    _text_unit,
    _unit_diff,
    compare,
    sentences,
    word_diff,
)
from standardgen.approval.sources import load_version

NORDDJURS = Path(__file__).resolve().parents[1] / "standards" / "aktivitets-og-samvaerstilbud.yaml"

CASES = [
    ("A er her. B er der.", "C findes. B er der. D kommer."),
    ("Tilbuddet er gratis.", "Tilbuddet er ikke gratis for borgeren."),
    ("Én sætning", "Én sætning. To sætninger."),
    ("Første. Anden. Tredje.", "Tredje."),
    ("jf. vejledningen gælder dette.", "jf. vejledningen gælder dette ikke."),
    ("2023", "2024"),
    ("**Fed** tekst. Mere.", "*Fed* tekst, ny. Mere."),
]


@pytest.mark.parametrize(("old", "new"), CASES)
def test_pieces_rebuild_both_versions(old: str, new: str) -> None:
    a, b = _text_unit("paragraph", old), _text_unit("paragraph", new)
    diff = _unit_diff(a, b)
    assert "".join(p.text for p in diff.pieces if p.op is not Op.insert) == a.text
    assert "".join(p.text for p in diff.pieces if p.op is not Op.delete) == b.text


def test_white_space_is_not_a_change() -> None:
    diff = _unit_diff(_text_unit("paragraph", "a  b\n c"), _text_unit("paragraph", "a b c"))
    assert diff.status is Status.unchanged


def test_a_change_of_emphasis_only_is_reported_as_formatting() -> None:
    old, new = _text_unit("paragraph", "**Fed** tekst"), _text_unit("paragraph", "Fed tekst")
    diff = _unit_diff(old, new)
    assert diff.status is Status.changed
    assert diff.format_only


def test_sentences_do_not_split_at_lowercase_abbreviations() -> None:
    text = "Indsatsen løftes af tilbuddet - evt. i samarbejde med andre. Der er ingen udgifter."
    assert sentences(text) == ["Indsatsen løftes af tilbuddet - evt. i samarbejde med andre.",
                               "Der er ingen udgifter."]


def test_word_diff_marks_only_the_changed_words() -> None:
    pieces = word_diff("tilbydes på hverdage inden for de enkelte tilbud",
                       "tilbydes alle hverdage inden for det enkelte tilbud")
    changed = [(p.op, p.text.strip()) for p in pieces if p.op is not Op.equal]
    assert changed == [(Op.delete, "på"), (Op.insert, "alle"), (Op.delete, "de"),
                       (Op.insert, "det")]


def test_identical_versions_have_no_changes() -> None:
    standard = load_version(NORDDJURS)
    diff = compare(standard, standard)
    assert diff.changed == ()
    assert {s.status for s in diff.sections} == {Status.unchanged}


def test_sections_match_by_id_then_role_and_removed_keep_their_place() -> None:
    old = load_version(NORDDJURS)
    sections = list(old.sections)
    target = sections[1].model_copy(update={"id": "nyt-id", "title": "Kriterier"})
    new = old.model_copy(update={"sections": (sections[0], target, *sections[3:])})
    diff = compare(old, new)
    by_key = {s.key: s for s in diff.sections}
    assert by_key["nyt-id"].status is Status.changed
    assert by_key["nyt-id"].old_title == "Kriterier og omfang"
    assert by_key["formaal"].status is Status.removed
    keys = [s.key for s in diff.sections]
    assert keys.index("formaal") == keys.index("nyt-id") + 1
