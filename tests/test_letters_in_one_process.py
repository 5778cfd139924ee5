"""Many letters from one PDF renderer: what Typst keeps from one letter for the next (the quoted
standard text is laid out once per process) never carries one letter's values into another."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from clients import pdftotext
from conftest import ROOT, STANDARDS
from standardgen.cases.read import load_cases
from standardgen.cases.wording import load_wording
from standardgen.letters.content import build_letter
from standardgen.letters.letter import Letter
from standardgen.letters.pdf import PdfLetterRenderer
from standardgen.standards.catalogue import load_catalogue

EXAMPLES = ROOT / "examples" / "cases"


@pytest.fixture(scope="module")
def letters() -> list[Letter]:
    standards = {s.slug: s for s in load_catalogue([STANDARDS]).standards}
    wording = load_wording()
    found = []
    for source in load_cases([EXAMPLES / "batch.csv"]).cases:
        case = source.case
        # Each row, and the same row for another citizen, as the next row of a batch would be.
        other = case.model_copy(update={
            "case_number": case.case_number + "9",
            "citizen": case.citizen.model_copy(update={"name": "Ulla Anden"})})
        found += [build_letter(c, standards[c.standard], wording) for c in (case, other)]
    return found


def test_a_letter_is_the_same_bytes_after_other_letters_as_from_a_fresh_renderer(
        letters: list[Letter]) -> None:
    batch = PdfLetterRenderer()
    in_batch = [batch.render(letter) for letter in letters]
    again = batch.render(letters[0])
    assert again == in_batch[0]
    for letter, pdf in zip(letters[::3], in_batch[::3], strict=True):
        assert PdfLetterRenderer().render(letter) == pdf


def test_every_letter_of_a_batch_has_its_own_values_and_footer(
        letters: list[Letter], tmp_path: Path) -> None:
    renderer = PdfLetterRenderer()
    for index, letter in enumerate(letters):
        path = tmp_path / f"{index}.pdf"
        path.write_bytes(renderer.render(letter))
        text = re.sub(r"[ \t]+", " ", pdftotext(path))
        pages = text.count("\f")
        assert letter.recipient[0] in text
        for page in range(1, pages + 1):
            assert f"Side {page} af {pages}" in text
        assert text.count(f"Sagsnummer {letter.case_number}\n") == pages, text
        others = {other.case_number for other in letters} - {letter.case_number}
        assert not any(re.search(rf"\b{re.escape(n)}\b", text) for n in others)
