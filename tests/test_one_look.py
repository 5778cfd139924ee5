"""One look: the Word letter, as LibreOffice lays it out, matches the PDF letter.

Both files of every example letter (every kind) are rendered to pages by real clients
(LibreOffice for the .docx, the PDF as it is) and compared by what a reader sees: the page count,
and where the title, the recipient's address, the sender block and the footer stand (within
3 mm). The footer has the case number at the left and "Side X af Y" apart from it at the right.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clients import TextLine, libreoffice_convert, text_lines
from letterkinds import ROOT, declared_kinds, examples

SOLBAKKE = ROOT / "examples" / "solbakke"

MM = 25.4 / 72
TOLERANCE_MM = 3.0


@pytest.fixture(scope="module")
def letters(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, Path]]:
    """(PDF from Typst, PDF from LibreOffice's reading of the .docx) for every example case:
    every letter kind, § 83, § 85 and § 104, one to three pages."""
    from click.testing import CliRunner

    from standardgen.cli import main

    tmp = tmp_path_factory.mktemp("look")
    kinds = {example.kind for example in examples().values()}
    assert set(declared_kinds()) <= kinds
    args = ["letter", str(ROOT / "examples" / "cases"), str(SOLBAKKE / "cases"), "--standards",
            str(ROOT / "standards"), "--standards", str(SOLBAKKE / "standards"), "--out",
            str(tmp / "out"), "--format", "both", "--jobs", "1"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    words = sorted((tmp / "out").glob("*.docx"))
    assert len(words) >= 15
    converted = libreoffice_convert(words, "pdf", tmp / "lo")
    return [(word.with_suffix(".pdf"), pdf) for word, pdf in zip(words, converted, strict=True)]


def _first(lines: list[TextLine], text: str) -> TextLine:
    found = next((line for line in lines if line.text.startswith(text)), None)
    assert found is not None, f"no line starting {text!r}"
    return found


def _near(a: TextLine, b: TextLine, what: str) -> None:
    assert abs(a.top - b.top) * MM <= TOLERANCE_MM, (
        f"{what}: {a.top * MM:.1f} vs {b.top * MM:.1f} mm from the top")
    assert abs(a.left - b.left) * MM <= TOLERANCE_MM, (
        f"{what}: {a.left * MM:.1f} vs {b.left * MM:.1f} mm from the left")


@pytest.mark.client
def test_word_and_pdf_letters_look_alike(letters: list[tuple[Path, Path]]) -> None:
    for pdf, word in letters:
        a, b = text_lines(pdf), text_lines(word)
        assert max(x.page for x in a) == max(x.page for x in b), pdf.name
        title = next(x.text for x in a if x.text.startswith("Afgørelse om"))
        _near(_first(a, title[:25]), _first(b, title[:25]), f"{pdf.name} title")
        sender = next(x for x in a if x.page == 1 and x.left * MM > 100)  # the right column
        _near(sender, _first(b, sender.text), f"{pdf.name} sender")
        recipient = next(x for x in a if abs(x.top * MM - 48) < 2)  # first line in the window
        _near(recipient, _first(b, recipient.text), f"{pdf.name} address")
        for page in range(1, max(x.page for x in a) + 1):
            foot_a = [x for x in a if x.page == page and x.top * MM > 277]
            foot_b = [x for x in b if x.page == page and x.top * MM > 277]
            # Case number left, "Side X af Y" on its own at the right: two separate boxes.
            assert [x.text for x in foot_a] == [x.text for x in foot_b], pdf.name
            assert foot_b[-1].text.startswith("Side ") and foot_b[-1].left * MM > 150
            for x, y in zip(foot_a, foot_b, strict=True):
                _near(x, y, f"{pdf.name} footer p{page}")
