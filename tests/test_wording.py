"""Consistent wording in a letter: one name for the unit, one spelling of the law, and no
quoted sentence that sends the citizen to the klagevejledning the letter itself is."""

from __future__ import annotations

import io
import re
from pathlib import Path

from conftest import NORDDJURS, ROOT, edit, run

CASE = ROOT / "examples" / "cases" / "bevilget.yaml"  # its caseworker names her own unit


def _letter_text(case: Path, standards: Path, out: Path) -> str:
    from pypdf import PdfReader

    result = run("letter", case, "--standards", standards, "--out", out, "--format", "pdf",
                 "--jobs", "1")
    assert result.exit_code == 0, result.output
    pdf = next(out.glob("*.pdf")).read_bytes()
    return " ".join(" ".join(page.extract_text().split())
                    for page in PdfReader(io.BytesIO(pdf)).pages)


def test_one_unit_in_the_letter(tmp_path: Path) -> None:
    """The case's unit ("Myndigheds- og Visitationsenheden") is the only one the letter names,
    also in the contact part, where the standard's "Myndighedsafdelingen" stood before."""
    text = _letter_text(CASE, ROOT / "standards", tmp_path / "out")
    assert text.count("Myndigheds- og Visitationsenheden") >= 3  # sender, contact, signature
    assert "Myndighedsafdelingen" not in text


def test_the_standards_unit_when_the_case_names_none(tmp_path: Path) -> None:
    case = tmp_path / "case.yaml"
    case.write_text(CASE.read_text(encoding="utf-8"), encoding="utf-8")
    edit(case, "  unit: Myndigheds- og Visitationsenheden\n", "")
    text = _letter_text(case, ROOT / "standards", tmp_path / "out")
    # Sender block, contact sentence and signature; the standard's own quoted follow-up text
    # may name another unit, and is quoted word for word.
    assert text.count("Myndighedsafdelingen") >= 3
    assert "Myndighedsafdelingen, Norddjurs Kommune, telefon" in text


def test_one_spelling_of_the_law(tmp_path: Path) -> None:
    """The standard writes "Lov om Social Service"; the letter quotes the law's own title."""
    assert "law: Lov om Social Service" in NORDDJURS.read_text(encoding="utf-8")
    text = _letter_text(CASE, ROOT / "standards", tmp_path / "out")
    assert "Lov om social service § 104" in text
    assert not re.search(r"Lov om Social Service", text)


def test_the_letter_leaves_out_a_circular_complaints_sentence(tmp_path: Path) -> None:
    text = _letter_text(CASE, ROOT / "standards", tmp_path / "out")
    assert "Klageadgangen fremgår af den klagevejledning" not in text
    assert "videresendes klagen til Ankestyrelsen" in text  # the block that says something


def test_check_warns_when_the_complaints_section_only_refers(standards_copy: Path) -> None:
    standard = standards_copy / NORDDJURS.name
    edit(standard, """      - >-
        Såfremt Norddjurs Kommune ikke giver borgeren medhold i klagen, videresendes klagen til
        Ankestyrelsen, som efterfølgende vil behandle klagen.
""", "")
    result = run("check", standard)
    lines = [line for line in result.output.splitlines() if "klagevejledningen" in line]
    assert len(lines) == 1
    assert re.match(r".*aktivitets-og-samvaerstilbud\.yaml:\d+:\d+: advarsel: afsnittet "
                    r"'Klage og ankemuligheder' henviser kun til klagevejledningen", lines[0])
    assert run("check", "--strict", standard).exit_code == 1
    assert run("check", "--strict", NORDDJURS).exit_code == 0  # it also says something


def test_a_block_that_also_says_something_is_kept() -> None:
    from standardgen.standards.catalogue import refers_to_guidance

    assert refers_to_guidance("Klageadgangen fremgår af den klagevejledning, der følger med "
                              "den skriftlige afgørelse, borgeren modtager.")
    assert not refers_to_guidance("Du kan klage over afgørelsen. Hvordan du klager, står i "
                                  "klagevejledningen i afgørelsen.")
    assert not refers_to_guidance("Klagen sendes til kommunen.")
