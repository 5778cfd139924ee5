"""Danish typography at render time, read back by the real clients.

No line break inside "§ 85", "stk. 2", "kl. 12", "nr. 3" or between a number and its unit, in the
standard's PDF (WeasyPrint), web page (Chromium prints it on narrow paper), Word (LibreOffice) and
in the letter's PDF (Typst) and Word: a long paragraph puts these phrases at every position on a
line, pdftotext reads where the lines broke. The same outputs made without the rule
(``markup.typeset`` replaced by the identity) do break there, so the probe reaches the line ends.
The letter's signature is never parted from the last paragraph or left alone on a page.
"""

from __future__ import annotations

import base64
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import clients
from sitebuild import REAL, STANDARDS, copy_standards
from standardgen.cli import main
from standardgen.core import markup
from standardgen.core.templates import templates_dir
from standardgen.publish.build import build

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "examples" / "cases" / "delvis-bevilget.yaml"
PROBE_SLUG = "typografi"
_WORDS = ("Borgeren", "har", "ret", "til", "hjælp", "og", "støtte", "efter", "en", "konkret",
          "og", "individuel", "vurdering")
# The phrases at every offset from a line's end: a growing run of words before each.
PROBE = " ".join(f"{' '.join(_WORDS[:k % len(_WORDS) + 1])} efter § 85, stk. 2, kl. 12, nr. 3 "
                 f"i 15 timer og 4 dage." for k in range(40))
BROKEN = re.compile(r"(?:§|\bstk\.|\bkl\.|\bnr\.)[ \u00a0]*\n\s*\d"
                    r"|\d[ \u00a0]*\n\s*(?:timer|dage)\b")
KINDS = ("standard pdf", "web page", "standard word", "letter pdf", "letter word")


def test_the_rule() -> None:
    nbsp = markup.NBSP
    assert markup.typeset("efter § 85, stk. 2, kl. 12 og nr. 3") == (
        f"efter §{nbsp}85, stk.{nbsp}2, kl.{nbsp}12 og nr.{nbsp}3")
    assert markup.typeset("§§ 83 og 85, 2,5 timer, 3 dage om ugen, 50 %, 20 min.") == (
        f"§§{nbsp}83 og 85, 2,5{nbsp}timer, 3{nbsp}dage om ugen, 50{nbsp}%, 20{nbsp}min.")
    # Not units, not abbreviations: left alone.
    for text in ("3 dagtilbud", "inkl. 4 timer", "Tlf. 8959 1000", "I 2026 blev", "nr. tre"):
        assert markup.typeset(text).replace(nbsp, " ") == text
    assert markup.typeset("inkl. 4 timer") == f"inkl. 4{nbsp}timer"
    assert markup.typeset("nr. tre") == "nr. tre"


def _breaks(text: str) -> list[str]:
    return [match.group(0) for match in BROKEN.finditer(text)]


def _probe_standard(folder: Path) -> Path:
    copy_standards(folder)
    data = yaml.safe_load((STANDARDS / f"{REAL}.yaml").read_text(encoding="utf-8"))
    data["slug"] = PROBE_SLUG
    target = next(s for s in data["sections"] if s["role"] == "target_group")
    target["content"] = [PROBE, *target["content"]]
    (folder / f"{REAL}.yaml").unlink()
    (folder / f"{PROBE_SLUG}.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def _case(folder: Path, number: str, facts: list[str]) -> Path:
    data = yaml.safe_load(CASE.read_text(encoding="utf-8"))
    data["case_number"] = number
    data["facts"] = facts
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{number}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _letters(cases: Path, out: Path, templates: Path | None = None) -> Path:
    env = {"STANDARDGEN_TEMPLATES": str(templates)} if templates else None
    result = CliRunner().invoke(main, ["letter", str(cases), "--standards", str(STANDARDS),
                                       "--out", str(out), "--format", "both", "--jobs", "1"],
                                env=env)
    assert result.exit_code == 0, result.output
    return out


def _pdf_texts(pdfs: list[Path]) -> list[str]:
    return [clients.pdftotext(pdf) for pdf in pdfs]


def _word_texts(documents: list[Path], outdir: Path) -> list[str]:
    """LibreOffice lays the Word files out (as PDF), pdftotext reads where the lines broke."""
    return _pdf_texts(clients.libreoffice_convert(documents, "pdf", outdir))


def _printed(page: Path, out: Path) -> str:
    """Chromium prints the web page on paper 2.5 inches wide: a narrow measure."""
    browser = clients.browser()
    browser.get(page.as_uri())
    printed = browser.execute_cdp_cmd("Page.printToPDF", {
        "printBackground": False, "paperWidth": 2.5, "paperHeight": 11,
        "marginLeft": 0.2, "marginRight": 0.2})
    out.write_bytes(base64.b64decode(printed["data"]))
    return clients.pdftotext(out)


def _outputs(root: Path) -> dict[str, str]:
    sources = _probe_standard(root / "standards")
    result = build([sources], root / "output", base_url="https://example.dk/standarder/")
    assert result.ok, [p.format() for p in result.problems]
    site = root / "output" / "site" / PROBE_SLUG
    letters = _letters(_case(root / "cases", "2026-85-0001", [PROBE]), root / "letters")
    standard_word, letter_word = _word_texts(
        [site / f"{PROBE_SLUG}.docx", letters / "2026-85-0001.docx"], root / "word")
    return {
        "standard pdf": clients.pdftotext(site / f"{PROBE_SLUG}.pdf"),
        "web page": _printed(site / "index.html", root / "printed.pdf"),
        "standard word": standard_word,
        "letter pdf": clients.pdftotext(letters / "2026-85-0001.pdf"),
        "letter word": letter_word,
    }


@pytest.fixture(scope="module")
def typeset(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return _outputs(tmp_path_factory.mktemp("typeset"))


@pytest.fixture(scope="module")
def untypeset(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(markup, "typeset", lambda text: text)
        patch.setattr(markup, "typeset_text", lambda text: text)
        yield _outputs(tmp_path_factory.mktemp("untypeset"))


@pytest.mark.client
@pytest.mark.parametrize("kind", KINDS)
def test_no_line_breaks_inside_paragraph_numbers_abbreviations_and_units(
        typeset: dict[str, str], untypeset: dict[str, str], kind: str) -> None:
    assert PROBE.split(". ")[1] in " ".join(typeset[kind].split()), "the probe is there"
    assert _breaks(untypeset[kind]), f"{kind}: without the rule the probe breaks there"
    assert _breaks(typeset[kind]) == []


# --- the signature ------------------------------------------------------------------------------

SIGNATURE = ("Med venlig hilsen", "Carsten Fiktiv", "Myndighedsafdelingen")
LAST_PARAGRAPH = "Myndighedsafdelingen, Norddjurs Kommune, telefon"


def _signature_problems(text: str) -> list[str]:
    """Where the signature is parted from the last paragraph or from itself."""
    pages = text.split("\f")
    [page] = [page for page in pages if SIGNATURE[0] in page]
    before, after = page.split(SIGNATURE[0], 1)
    problems = []
    if LAST_PARAGRAPH not in " ".join(before.split()):
        problems.append("the last paragraph is not on the signature's page")
    if not all(line in after for line in SIGNATURE[1:]):
        problems.append("the signature is split over two pages")
    return problems


def _signature_letters(root: Path, templates: Path | None = None) -> list[tuple[str, str]]:
    """One letter per length of the facts list, so that the page ends at every line near the
    end of the letter: (PDF text, Word text) each."""
    cases = root / "cases"
    for n in range(1, 51):
        _case(cases, f"2026-85-{n:04d}", [f"Oplysning nummer {k}." for k in range(1, n + 1)])
    out = _letters(cases, root / "letters", templates)
    numbers = [f"2026-85-{n:04d}" for n in range(1, 51)]
    pdfs = _pdf_texts([out / f"{number}.pdf" for number in numbers])
    words = _word_texts([out / f"{number}.docx" for number in numbers], root / "word")
    return list(zip(pdfs, words, strict=True))


def _without_keeps(root: Path) -> Path:
    """The built-in templates with the keep-together rules taken out (the control)."""
    folder = root / "templates"
    shutil.copytree(templates_dir(), folder)
    typst = folder / "letter" / "letter.typ"
    typst.write_text(typst.read_text("utf-8").replace("breakable: false", "breakable: true"),
                     "utf-8")
    word = folder / "letter" / "document.xml"
    word.write_text(word.read_text("utf-8").replace("<w:keepNext/><w:keepLines/>", ""), "utf-8")
    return folder


@pytest.mark.client
def test_the_signature_stays_with_the_last_paragraph_in_pdf_and_word(tmp_path: Path) -> None:
    kept = _signature_letters(tmp_path / "kept")
    control = _signature_letters(tmp_path / "control", _without_keeps(tmp_path))
    for kind, index in (("PDF", 0), ("Word", 1)):
        assert any(_signature_problems(texts[index]) for texts in control), (
            f"{kind}: without keep-together some length parts the signature")
        parted = {n: found for n, texts in enumerate(kept, 1)
                  if (found := _signature_problems(texts[index]))}
        assert parted == {}, kind
