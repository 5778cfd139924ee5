"""The Solbakke examples (§ 85 and § 83, a fictitious municipality): a letter of every kind and the
follow-up forms, read by the real clients; ændring and ophør against the legal checklist
(DOMAIN.md §2 and §5); no text of another standard or municipality; and the chain from a grant
letter through a filled-in follow-up form to the change letter."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from pypdf import PdfReader, PdfWriter

from clients import docx_texts, pdf_facts, pdftotext
from conftest import ROOT, STANDARDS
from standardgen.cli import main
from standardgen.standards.catalogue import load_catalogue

SOLBAKKE = ROOT / "examples" / "solbakke"
SOL_STANDARDS = SOLBAKKE / "standards"
SOL_CASES = SOLBAKKE / "cases"


def run(*args: str | Path) -> Result:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def letters(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("solbakke") / "letters"
    result = run("letter", SOL_CASES, "--standards", SOL_STANDARDS, "--out", out, "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert "11 af 11 breve skrevet" in result.output, result.output
    return out


@pytest.fixture(scope="module")
def texts(letters: Path) -> dict[str, str]:
    """Every letter's text as pdftotext and LibreOffice read it, by file name."""
    found = {path.name: flat(pdftotext(path)) for path in sorted(letters.glob("*.pdf"))}
    word = docx_texts(sorted(letters.glob("*.docx")))
    found.update({path.name: flat(text) for path, text in word.items()})
    return found


COMMON = [
    "Solbakke Kommune", "Sagsnummer", "Dato", "Med venlig hilsen",
    "aktindsigt efter forvaltningsloven § 9",
    "Klagevejledning", "Klagen skal sendes til Solbakke Kommune", "ikke direkte til Ankestyrelsen",
    "inden 4 uger efter, at du har modtaget afgørelsen", "mundtligt eller skriftligt",
    "behøver ikke at begrunde", "vurderer vi afgørelsen igen",
    "sender vi klagen og sagens dokumenter til Ankestyrelsen", "Sidste dag for klage er derfor den",
    "Du kan klage over afgørelsen. Hvordan du klager, står i klagevejledningen",  # quoted
]
REASONS = ["Begrundelse", "Afgørelsen er truffet efter serviceloven §", "Vi har især lagt vægt på",
           "Vi har lagt disse oplysninger om din situation til grund",
           "som kommunens retningslinje", "konkret og individuel vurdering", "Partshøring"]
HELD = "partshøring efter forvaltningsloven § 19"
S85 = ["Afgørelse om", "socialpædagogisk støtte efter serviceloven § 85"]
S83 = ["personlig og praktisk hjælp efter serviceloven § 83, stk. 1"]
CHANGE = ["Ændring af din bevilling", "Ændringen", "Hidtil har du fået:", "Fremover får du:",
          "Ændringen gælder fra den"]
END = ["Ophør af din bevilling", "Ophøret", "Den sidste dag med", "Årsag:"]
NOTICE = "dage efter afgørelsen, så du har tid til at indrette dig"

LETTERS = {
    "2026-085-0001": ["Bevilget", "Omfang: 3 timer om ugen.", "Leverandør: Bostøtten Solbakke Syd.",
                      "Bevillingen gælder til og med 15. februar 2027", *S85],
    "2026-085-0002": ["Delvis bevilget", "Omfang: 2,5 timer om ugen.", *S85, *REASONS],
    "2026-085-0003": ["Afslag", *S85, *REASONS, "Vi har ikke partshørt dig",
                      "forvaltningsloven § 20", "Afgørelsen bygger på disse oplysninger"],
    "2026-085-0004-aendring": [*CHANGE, "Du får mindre hjælp end hidtil.",
                               "Omfang: 4 timer om ugen.", "Omfang: 2 timer om ugen.",
                               "1. juli 2026", NOTICE, *S85, *REASONS, HELD],
    "2026-085-0005-ophoer": [*END, "31. juli 2026", "du har nået de mål", NOTICE, *S85, *REASONS,
                             HELD],
    "2026-085-0001-aendring": [*CHANGE, "Omfang: 1,5 timer om ugen.", *S85, *REASONS],
    "2026-083-0001": ["Bevilget", "Besøg: 2 besøg om ugen.", "Tid: 75 minutter om ugen.",
                      "Hjælpen omfatter: bad og rengøring hver anden uge.", *S83,
                      "Udgifter", "Personlig og praktisk hjælp er gratis."],
    "2026-083-0002": ["Delvis bevilget", "Besøg: 1 besøg om ugen.", *S83, *REASONS],
    "2026-083-0003": ["Afslag", *S83, *REASONS],
    "2026-083-0101-aendring": [*CHANGE, "Du får mere hjælp end hidtil.",
                               "Hjælpen omfatter: bad, rengøring hver anden uge og tøjvask.", *S83],
    "2026-083-0102-ophoer": [*END, *S83, *REASONS, NOTICE],
}


@pytest.mark.client
@pytest.mark.parametrize("stem", sorted(LETTERS))
@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_every_letter_has_the_legal_elements(texts: dict[str, str], stem: str, fmt: str) -> None:
    text = texts[f"{stem}.{fmt}"]
    missing = [phrase for phrase in [*COMMON, *LETTERS[stem]] if phrase not in text]
    assert not missing, f"{stem}.{fmt} lacks {missing}"
    assert re.search(r"CPR-nummer: \d{6}-0000", text)


@pytest.mark.client
def test_an_increase_needs_no_notice_and_a_reduction_states_it(texts: dict[str, str]) -> None:
    assert NOTICE not in texts["2026-083-0101-aendring.pdf"]  # mere: not to the disadvantage
    assert "Partshøring" not in texts["2026-083-0101-aendring.pdf"]
    assert NOTICE in texts["2026-085-0004-aendring.pdf"]


@pytest.mark.client
def test_headings_follow_the_blocks_the_standard_has(texts: dict[str, str]) -> None:
    granted_83 = texts["2026-083-0001.pdf"]
    assert "Udgifter" in granted_83 and "Udgifter og kørsel" not in granted_83
    assert "kørsel" not in granted_83.lower()
    # Both delivery sections are quoted (the profile lets several sections share the role).
    assert "Hjælpen leveres af kommunens hjemmepleje" in granted_83
    assert "Du kan frit vælge mellem kommunens hjemmepleje" in granted_83
    granted_85 = texts["2026-085-0001.pdf"]  # no payment section: no costs part at all
    assert "Udgifter" not in granted_85 and "Om udgifter" not in granted_85
    assert "Om hvad indsatsen ikke omfatter" in granted_85  # the optional not_included block


@pytest.mark.client
def test_letters_are_tagged_danish_pdfs(letters: Path) -> None:
    for pdf in sorted(letters.glob("*-ophoer.pdf")) + sorted(letters.glob("*-aendring.pdf")):
        facts = pdf_facts(pdf)
        assert facts.lang == "da" and facts.struct_tree and facts.marked, pdf.name
        assert not facts.unembedded_fonts


def _foreign_texts(own_slug: str) -> list[str]:
    """Sentences of every other standard (the Norddjurs one and the other Solbakke one) that
    the own standard does not share, and the other municipality's name."""
    catalogue = load_catalogue([STANDARDS, SOL_STANDARDS])
    own = next(item for item in catalogue.standards if item.slug == own_slug)
    own_texts = {flat(text) for text in own.standard.iter_text()}
    foreign = {flat(text) for item in catalogue.standards if item.slug != own_slug
               for text in item.standard.iter_text()}
    sentences = {part.strip() for text in foreign - own_texts
                 for part in re.split(r"(?<=[.:])\s", text) if len(part.strip()) > 30}
    return [*sorted(sentences), "Norddjurs", "§ 104", "aktivitets- og samværstilbud",
            "Udgifter og kørsel", "dage om ugen"]


@pytest.mark.client
@pytest.mark.parametrize(("slug", "prefix"), [("socialpaedagogisk-stoette", "2026-085"),
                                              ("personlig-og-praktisk-hjaelp", "2026-083")])
def test_no_text_of_another_standard_or_municipality(texts: dict[str, str], slug: str,
                                                      prefix: str) -> None:
    foreign = _foreign_texts(slug)
    assert len(foreign) > 20
    for name, text in texts.items():
        if name.startswith(prefix):
            found = [phrase for phrase in foreign if phrase in text]
            assert not found, f"{name}: {found}"


# --- forms ---------------------------------------------------------------------------------------

@pytest.mark.client
def test_forms_show_the_extent_of_each_service_type(tmp_path: Path) -> None:
    out = tmp_path / "forms"
    result = run("form", SOL_CASES, "--standards", SOL_STANDARDS, "--out", out)
    assert result.exit_code == 0, result.output
    # Forms for the kinds that declare one (not afslag, not ophør).
    assert sorted(p.name for p in out.glob("*.pdf")) == sorted(
        f"{stem}-opfoelgning.pdf" for stem in (
            "2026-083-0001", "2026-083-0002", "2026-083-0101-aendring", "2026-085-0001",
            "2026-085-0001-aendring", "2026-085-0002", "2026-085-0004-aendring"))
    hours = flat(pdftotext(out / "2026-085-0002-opfoelgning.pdf"))
    assert "Omfang 2,5 timer om ugen" in hours and "dage om ugen" not in hours
    visits = docx_texts([out / "2026-083-0001-opfoelgning.docx"])
    text = flat(next(iter(visits.values())))
    assert "Besøg: 2 besøg om ugen" in text and "Tid: 75 minutter om ugen" in text
    assert "Norddjurs" not in text and "Norddjurs" not in hours


# --- the notice rule -----------------------------------------------------------------------------

def test_a_reduction_before_the_notice_is_refused_on_the_date(tmp_path: Path) -> None:
    case = tmp_path / "kort-varsel.yaml"
    text = (SOL_CASES / "2026-085-0004.yaml").read_text(encoding="utf-8")
    case.write_text(text.replace("effective_date: 2026-07-01", "effective_date: 2026-06-05"),
                    encoding="utf-8")
    line = next(i for i, row in enumerate(case.read_text().splitlines(), 1)
                if "effective_date" in row)
    result = run("letter", case, "--standards", SOL_STANDARDS, "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert re.search(rf"kort-varsel\.yaml:{line}:\d+: .*varsles mindst 14 dage, så tidligst "
                     r"15\. juni 2026", result.output), result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


# --- the chain: grant letter -> form -> filled by pypdf -> form read -> change letter ------------

FILLED = {
    "goal_1_status": "Kim laver selv mad fire gange om ugen",
    "goal_1_current_level": "1",
    "provider_status": "Kim har brug for mindre støtte end ved start",
    "citizen_assessment": "Jeg klarer det meste selv nu",
    "overall_assessment": "Målet om madlavning er nået",
    "result": "fortsaettelse",
    "next_follow_up": "15.01.2027",
    "meeting_date": "2026-07-28",
    "participant_citizen": "/on",
    "participant_caseworker": "/on",
}


@pytest.mark.client
def test_follow_up_to_change_letter_end_to_end(tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    shutil.copy(SOL_CASES / "2026-085-0001.yaml", cases)
    grant = run("letter", cases, "--standards", SOL_STANDARDS, "--out", tmp_path / "letters")
    assert grant.exit_code == 0, grant.output
    form = run("form", "--format", "pdf", cases, "--standards", SOL_STANDARDS,
               "--out", tmp_path / "forms")
    assert form.exit_code == 0, form.output
    writer = PdfWriter(clone_from=PdfReader(tmp_path / "forms" / "2026-085-0001-opfoelgning.pdf"))
    for page in writer.pages:
        writer.update_page_form_field_values(page, FILLED, auto_regenerate=False)
    writer.write(tmp_path / "udfyldt.pdf")
    record = tmp_path / "opfoelgning.yaml"
    read = run("form", "read", tmp_path / "udfyldt.pdf", "--out", record)
    assert read.exit_code == 0, read.output
    decision = cases / "2026-085-0001-aendring.yaml"
    decision.write_text(
        "based_on: 2026-085-0001.yaml\nfollow_up_record: ../opfoelgning.yaml\n"
        "result: aendring\ndecision_date: 2026-08-10\n"
        "extent:\n  hours_per_week: 1.5\n  start_date: 2026-09-01\n"
        "change:\n  direction: mindre\n  effective_date: 2026-09-01\n"
        "considerations:\n  - Du har nået dit mål.\n"
        "hearing:\n  date: 2026-08-03\n  response: svar\n", encoding="utf-8")
    change = run("letter", decision, "--standards", SOL_STANDARDS, "--out", tmp_path / "letters")
    assert change.exit_code == 0, change.output
    text = flat(pdftotext(tmp_path / "letters" / "2026-085-0001-aendring.pdf"))
    for value in (FILLED["overall_assessment"], FILLED["citizen_assessment"],
                  FILLED["provider_status"], FILLED["goal_1_status"], "28. juli 2026",
                  "Omfang: 3 timer om ugen.", "Omfang: 1,5 timer om ugen.", "Kim Eksempelsen",
                  "Du har nået dit mål."):
        assert value in text, value
    assert (tmp_path / "letters" / "2026-085-0001.pdf").is_file()  # the grant letter is kept


def test_a_record_of_another_case_is_refused_on_its_key(tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    shutil.copytree(SOL_CASES, cases)
    records = tmp_path / "opfoelgning"
    shutil.copytree(SOLBAKKE / "opfoelgning", records)
    record = records / "2026-085-0001.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace(
        "case_number: 2026-085-0001", "case_number: 2026-085-0009"), encoding="utf-8")
    result = run("letter", cases / "2026-085-0001-aendring.yaml", "--standards", SOL_STANDARDS,
                 "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert re.search(r"2026-085-0001-aendring\.yaml:5:19: .*opfølgningen er fra sag "
                     r"'2026-085-0009'", result.output), result.output


@pytest.mark.client
def test_without_a_follow_up_date_the_profile_interval_applies(tmp_path: Path) -> None:
    """§ 83 follows up after 3 months (data/profiles/sel-83.yaml): start 20 April -> 20 July."""
    case = tmp_path / "uden-opfoelgning.yaml"
    text = (SOL_CASES / "2026-083-0002.yaml").read_text(encoding="utf-8")
    case.write_text(text.split("follow_up:")[0], encoding="utf-8")
    letter = run("letter", case, "--standards", SOL_STANDARDS, "--out", tmp_path / "letters")
    assert letter.exit_code == 0, letter.output
    text = flat(pdftotext(tmp_path / "letters" / "2026-083-0002.pdf"))
    assert "Vi følger første gang op på din sag senest den 20. juli 2026." in text
    form = run("form", "--format", "pdf", case, "--standards", SOL_STANDARDS,
               "--out", tmp_path / "forms")
    assert form.exit_code == 0, form.output
    assert "Opfølgning senest 20. juli 2026" in flat(
        pdftotext(tmp_path / "forms" / "2026-083-0002-opfoelgning.pdf"))


# --- the example standards' site -----------------------------------------------------------------

@pytest.mark.client
def test_the_example_site_passes_nu_and_axe_and_names_only_its_municipality(
        tmp_path: Path) -> None:
    import clients
    from standardgen.publish.build import build

    result = build([SOL_STANDARDS], tmp_path / "output")
    assert result.ok, [p.format() for p in result.problems]
    site = tmp_path / "output" / "site"
    pages = sorted(site.rglob("*.html"))
    assert len(pages) == 3
    assert clients.nu_check(pages, warnings=True) == []
    violations = clients.axe(pages, root=site)
    assert all(found == [] for found in violations.values()), violations
    for path in site.rglob("*"):
        if path.suffix in (".html", ".json", ".xml"):
            assert "Norddjurs" not in path.read_text(encoding="utf-8"), path
