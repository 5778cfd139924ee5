"""Three fictitious Word standards formatted the ways municipalities format theirs.

Run ``python tests/worddocs.py DIR`` to write them for a look in Word; the tests build them in a
temporary folder. All names, towns and texts are invented.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph

# Section texts shared by the three documents: (heading as the town writes it, paragraphs).
SECTIONS: list[tuple[str, list[str]]] = [
    ("Hvem kan få hjælp", ["Du kan få hjælp, hvis du har en varig nedsat funktionsevne og ikke "
                           "selv kan klare praktiske opgaver i hjemmet."]),
    ("Formål med ydelsen", ["Formålet er, at du kan blive i dit eget hjem så længe som muligt. "
                            "Du skal bruge dine egne kræfter, hvor du kan."]),
    ("Hvad indeholder ydelsen", ["Hjælpen kan omfatte:"]),
    ("Kriterier og omfang", ["Omfanget afhænger af en konkret vurdering. Der gives som "
                             "udgangspunkt rengøring hver anden uge."]),
    ("Afgørelse", ["Du får en skriftlig afgørelse, når vi har vurderet din ansøgning."]),
    ("Levering af ydelsen", ["Du kan vælge mellem kommunens leverandør og en godkendt privat "
                             "leverandør."]),
    ("Opfølgning", ["Vi følger op, når dit behov ændrer sig, og mindst én gang om året."]),
    ("Klagevejledning", ["Du kan klage over afgørelsen inden fire uger. Klagen sendes til "
                         "kommunen, som genvurderer sagen."]),
]
LIST = ["Rengøring af de rum, du bruger", "Tøjvask", "Indkøb af dagligvarer"]
UNKNOWN = ("Særlige forhold om kæledyr", "Hjælperen gør ikke rent efter husdyr.")
CONTACT = ["Visitationen", "Tlf.: 7000 1234"]


def styled_headings(path: Path) -> None:
    """Title and Heading 1 styles, a real bullet list, inline bold, italic and a link, and the
    approval in running text at the end."""
    doc = Document()
    doc.add_paragraph("Kvalitetsstandard for praktisk hjælp", style="Title")
    intro = doc.add_paragraph("Standarden gælder i ")
    intro.add_run("Bakkeby Kommune").bold = True
    intro.add_run(" og er ")
    intro.add_run("vejledende").italic = True
    intro.add_run(". Læs mere på ")
    _link(intro, "https://bakkeby.example.dk/hjaelp", "kommunens hjemmeside")
    intro.add_run(".")
    doc.add_paragraph("Lovgrundlag", style="Heading 1")
    doc.add_paragraph("Serviceloven § 83")
    for heading, texts in SECTIONS:
        doc.add_paragraph(heading, style="Heading 1")
        for text in texts:
            doc.add_paragraph(text)
        if heading == "Hvad indeholder ydelsen":
            for item in LIST:
                doc.add_paragraph(item, style="List Bullet")
    doc.add_paragraph(UNKNOWN[0], style="Heading 1")
    doc.add_paragraph(UNKNOWN[1])
    doc.add_paragraph("Kontakt", style="Heading 1")
    for line in CONTACT:
        doc.add_paragraph(line)
    doc.add_paragraph("Godkendt i Social- og sundhedsudvalget den 12. marts 2024.")
    doc.save(str(path))


def bold_with_facts(path: Path) -> None:
    """No heading styles: a large bold title, a two-column facts table on top, bold one-line
    paragraphs as headings, typed bullets ("• ") and a table that is not facts."""
    doc = Document()
    title = doc.add_paragraph()
    run = title.add_run("Kvalitetsstandard: Praktisk hjælp")
    run.bold, run.font.size = True, Pt(18)
    facts = doc.add_table(rows=0, cols=2)
    for label, value in (("Lovgrundlag", "Serviceloven § 83"),
                         ("Godkendt", "Byrådet 12. marts 2024"), ("Version", "3"),
                         ("Næste revision", "1. marts 2026"),
                         ("Ansvarlig enhed", "Visitationen")):
        cells = facts.add_row().cells
        cells[0].text, cells[1].text = label, value
    for heading, texts in SECTIONS:
        doc.add_paragraph().add_run(heading).bold = True
        for text in texts:
            doc.add_paragraph(text)
        if heading == "Hvad indeholder ydelsen":
            for item in LIST:
                doc.add_paragraph(f"• {item}")
        if heading == "Levering af ydelsen":
            hours = doc.add_table(rows=0, cols=3)
            for row in (("Dag", "Fra", "Til"), ("Mandag", "8.00", "15.00")):
                for cell, text in zip(hours.add_row().cells, row, strict=True):
                    cell.text = text
    doc.add_paragraph().add_run(UNKNOWN[0]).bold = True
    doc.add_paragraph(UNKNOWN[1])
    doc.add_paragraph().add_run("Kontakt").bold = True
    doc.add_paragraph("Bakkeby Kommune")
    for line in CONTACT[1:]:
        doc.add_paragraph(line)
    doc.save(str(path))


def numbered_with_toc(path: Path) -> None:
    """Numbered headings typed as "3. Formål med ydelsen" in Heading 1, a table of contents
    (a TOC field with its cached entries), and a header and a footer with page numbers."""
    doc = Document()
    doc.add_paragraph("Kvalitetsstandard – praktisk hjælp i Solvig Kommune", style="Title")
    doc.add_paragraph("Godkendt: 12.03.2024 i Ældreudvalget")
    headings = ["1. Lovgrundlag", *(f"{n}. {h}" for n, (h, _) in enumerate(SECTIONS, 2)),
                f"{len(SECTIONS) + 2}. Kontakt"]
    _toc(doc, headings)
    doc.add_paragraph(headings[0], style="Heading 1")
    doc.add_paragraph("Lov om social service § 83, stk. 1")
    for heading, (_, texts) in zip(headings[1:], SECTIONS, strict=False):
        doc.add_paragraph(heading, style="Heading 1")
        for text in texts:
            doc.add_paragraph(text)
        if heading.endswith("Hvad indeholder ydelsen"):
            for item in LIST:
                doc.add_paragraph(item, style="List Number")
    doc.add_paragraph(headings[-1], style="Heading 1")
    for line in CONTACT:
        doc.add_paragraph(line)
    section = doc.sections[0]
    section.header.paragraphs[0].text = "Solvig Kommune · Kvalitetsstandard"
    footer = section.footer.paragraphs[0]
    footer.add_run("Side ")
    _field(footer, "PAGE", "1")
    doc.save(str(path))


def _link(paragraph: Paragraph, url: str, text: str) -> None:
    rel = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = text
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def _field(paragraph: Paragraph, code: str, shown: str) -> None:
    for kind, text in (("begin", None), (None, code), ("separate", None), (None, None),
                       ("end", None)):
        run = paragraph.add_run(shown if kind is None and text is None else "")
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text:
            instr = OxmlElement("w:instrText")
            instr.text = f" {text} "
            run._r.append(instr)


def _toc(doc: DocumentObject, headings: list[str]) -> None:
    if "toc 1" not in [s.name for s in doc.styles]:
        doc.styles.add_style("toc 1", WD_STYLE_TYPE.PARAGRAPH)
    first = doc.add_paragraph(style="toc 1")
    _field_begin(first, 'TOC \\o "1-1" \\h')
    first.add_run(f"{headings[0]}\t1")
    for heading in headings[1:]:
        doc.add_paragraph(f"{heading}\t1", style="toc 1")
    end = doc.paragraphs[-1].add_run()
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), "end")
    end._r.append(char)


def _field_begin(paragraph: Paragraph, code: str) -> None:
    for kind, text in (("begin", None), (None, code), ("separate", None)):
        run = paragraph.add_run()
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        else:
            instr = OxmlElement("w:instrText")
            instr.text = f" {text} "
            run._r.append(instr)


# A § 104 standard headed the way real towns head theirs (tests/data/headings.tsv). Five of these
# headings are not listed in data/import.yaml ("Kan du modtage indsatsen?", "Hvad indgår i
# indsatsen", "Sådan søger du", "Leverandør af ydelsen" ...): they are recognised by meaning.
REAL_STYLE: list[tuple[str, list[str]]] = [
    ("Lovgrundlag", ["Serviceloven § 104"]),
    ("Kan du modtage indsatsen?", ["Du kan få tilbuddet, hvis du har en betydelig nedsat fysisk "
                                   "eller psykisk funktionsevne."]),
    ("Hvad er formålet med indsatsen?", ["Formålet er, at du bevarer dine færdigheder og får et "
                                         "fællesskab med andre."]),
    ("Hvad indgår i indsatsen", ["Tilbuddet kan fx indeholde samvær, værksted og udflugter."]),
    ("Hvad indgår ikke", ["Behandling og beskyttet beskæftigelse indgår ikke."]),
    ("Visitationskriterier", ["Tilbuddet gives 1-5 dage om ugen efter en konkret vurdering."]),
    ("Sådan søger du", ["Du søger hos Visitationen, som træffer en skriftlig afgørelse."]),
    ("Leverandør af ydelsen", ["Tilbuddet leveres af Bakkeby Dagcenter."]),
    ("Egenbetaling", ["Du betaler selv for mad og materialer."]),
    ("Borgerens ansvar", ["Du giver besked, hvis du ikke kommer."]),
    ("Kommunens kvalitetsmål", ["Personalet er uddannet pædagoger."]),
    ("Opfølgning på indsatsen", ["Vi følger op mindst én gang om året."]),
    ("Klagevejledning", ["Du kan klage over afgørelsen inden fire uger. Klagen sendes til "
                         "kommunen, som genvurderer sagen."]),
    ("Kontakt", CONTACT),
]


def real_style(path: Path) -> None:
    """A § 104 standard with headings as municipalities write them (issue 23)."""
    doc = Document()
    doc.add_paragraph("Kvalitetsstandard for aktivitets- og samværstilbud", style="Title")
    for heading, texts in REAL_STYLE:
        doc.add_paragraph(heading, style="Heading 1")
        for text in texts:
            doc.add_paragraph(text)
    doc.add_paragraph("Godkendt i Social- og sundhedsudvalget den 12. marts 2024.")
    doc.save(str(path))


DOCUMENTS = {"styled": styled_headings, "bold": bold_with_facts, "numbered": numbered_with_toc}


def write_all(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, make in DOCUMENTS.items():
        paths[name] = folder / f"{name}.docx"
        make(paths[name])
    return paths


if __name__ == "__main__":
    for written in write_all(Path(sys.argv[1] if len(sys.argv) > 1 else ".")).values():
        print(f"written: {written}")
