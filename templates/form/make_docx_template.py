"""Writes ``opfoelgning.docx``, the Word template of the follow-up form (run from anywhere).

The wording and layout of the Word form live here, as WordprocessingML with docxtpl/Jinja tags;
the generated .docx is what ``standardgen form`` reads. Edit this file and run it again (editing
the .docx in Word also works, but Word may split a ``{{ tag }}`` across runs).

Every fill-in field is a Word content control (``w:sdt``) tagged with the same field name as the
PDF form (``goal_1_status``, ``result``, ...), titled with its accessible name, and shaded grey:
plain text, drop-down lists for levels, goal types and results, date pickers and check boxes.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import docx
from docx.shared import Mm
from lxml import etree

from standardgen.render.docx import normalize_zip

HERE = Path(__file__).resolve().parent
TARGET = HERE / "opfoelgning.docx"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
GREY = '<w:shd w:val="clear" w:color="auto" w:fill="E7E6E6"/>'


def run(text: str, props: str = "") -> str:
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r>'


def para(*runs: str, style: str = "", keep_next: bool = False) -> str:
    ppr = (f'<w:pStyle w:val="{style}"/>' if style else "") + ("<w:keepNext/>" if keep_next else "")
    return f'<w:p>{f"<w:pPr>{ppr}</w:pPr>" if ppr else ""}{"".join(runs)}</w:p>'


def text(value: str, style: str = "", bold: bool = False) -> str:
    return para(run(escape(value), "<w:b/>" if bold else ""), style=style)


def tag(jinja: str) -> str:
    """A docxtpl paragraph tag ({%p ... %}): the paragraph itself disappears."""
    return para(run(jinja))


def sdt(name: str, title: str, kind: str, content: str, placeholder: bool = False) -> str:
    """A run-level content control; ``name`` and ``title`` may contain Jinja expressions."""
    plc = "<w:showingPlcHdr/>" if placeholder else ""
    return (f'<w:sdt><w:sdtPr><w:alias w:val={quoteattr(title)}/><w:tag w:val={quoteattr(name)}/>'
            f"{plc}{kind}</w:sdtPr><w:sdtContent>{content}</w:sdtContent></w:sdt>")


def field_run(value: str, placeholder: bool = False) -> str:
    colour = '<w:color w:val="595959"/>' if placeholder else ""
    return run(value, GREY + colour)


def text_field(name: str, title: str, value: str = "", multi: bool = True) -> str:
    kind = '<w:text w:multiLine="1"/>' if multi else "<w:text/>"
    if value:
        return sdt(name, title, kind, field_run(value))
    return sdt(name, title, kind, field_run("Skriv her.", placeholder=True), placeholder=True)


def choice_field(name: str, title: str, options: str, selected_label: str,
                 placeholder: str) -> str:
    items = (f"{{% for o in {options} %}}"
             '<w:listItem w:displayText="{{ o.label }}" w:value="{{ o.value }}"/>'
             "{% endfor %}")
    content = (f"{{% if {selected_label} %}}" + field_run(f"{{{{ {selected_label} }}}}")
               + "{% else %}" + field_run(placeholder, placeholder=True) + "{% endif %}")
    return sdt(name, title, f"<w:dropDownList>{items}</w:dropDownList>", content)


def date_field(name: str, title: str) -> str:
    kind = ('<w:date><w:dateFormat w:val="dd.MM.yyyy"/><w:lid w:val="da-DK"/>'
            '<w:storeMappedDataAs w:val="dateTime"/><w:calendar w:val="gregorian"/></w:date>')
    return sdt(name, title, kind, field_run("dd.mm.åååå", placeholder=True), placeholder=True)


def check_field(name: str, title: str) -> str:
    kind = ('<w14:checkbox><w14:checked w14:val="0"/>'
            '<w14:checkedState w14:val="2612" w14:font="MS Gothic"/>'
            '<w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/></w14:checkbox>')
    box = run("☐", '<w:rFonts w:ascii="MS Gothic" w:eastAsia="MS Gothic" w:hAnsi="MS Gothic"/>'
              + GREY)
    return sdt(name, title, kind, box)


def table(rows: list[tuple[str, str]], first_width: int = 3500, keep: bool = False) -> str:
    """Two columns: a bold label and a value (paragraph XML); ``keep``: on one page."""
    if keep:  # Word keeps a table together when every paragraph but the last keeps with next
        together = "<w:p><w:pPr><w:keepNext/></w:pPr>"
        rows = [(label, value.replace("<w:p>", together)) for label, value in rows[:-1]] + rows[-1:]
    borders = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="BBBBBB"/>'
                      for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    second = 9638 - first_width  # A4 less 2 x 20 mm margins, in twips
    grid = f'<w:tblGrid><w:gridCol w:w="{first_width}"/><w:gridCol w:w="{second}"/></w:tblGrid>'
    body = "".join(
        '<w:tr><w:trPr><w:cantSplit/></w:trPr>'
        f'<w:tc><w:tcPr><w:tcW w:w="{first_width}" w:type="dxa"/></w:tcPr>'
        f"{para(run(label, '<w:b/>'), keep_next=keep)}</w:tc>"
        f'<w:tc><w:tcPr><w:tcW w:w="{second}" w:type="dxa"/></w:tcPr>{value}</w:tc></w:tr>'
        for label, value in rows)
    return (f'<w:tbl><w:tblPr><w:tblW w:w="9638" w:type="dxa"/><w:tblBorders>{borders}'
            f'</w:tblBorders><w:tblLayout w:type="fixed"/></w:tblPr>{grid}{body}</w:tbl>')


def box(name: str, title: str, height_mm: int = 25) -> str:
    """A labelled writing area: a one-cell table with a minimum height holding a text field."""
    twips = int(height_mm * 56.7)
    border = "".join(f'<w:{side} w:val="single" w:sz="6" w:space="0" w:color="555555"/>'
                     for side in ("top", "left", "bottom", "right"))
    return (f'<w:tbl><w:tblPr><w:tblW w:w="9638" w:type="dxa"/><w:tblBorders>{border}'
            '</w:tblBorders></w:tblPr><w:tblGrid><w:gridCol w:w="9638"/></w:tblGrid>'
            f'<w:tr><w:trPr><w:trHeight w:val="{twips}"/></w:trPr><w:tc><w:tcPr>'
            f'<w:tcW w:w="9638" w:type="dxa"/></w:tcPr>{para(text_field(name, title))}'
            "</w:tc></w:tr></w:tbl>"
            + para(""))


def quoted(blocks: str) -> list[str]:
    return [
        tag(f"{{%p for block in {blocks} %}}"),
        tag("{%p if block.items %}"),
        tag("{%p for item in block.items %}"),
        para(run("{{ item | plain }}"), style="ListBullet"),
        tag("{%p endfor %}"),
        tag("{%p else %}"),
        para(run("{{ block.text | plain }}"), style="Quote"),
        tag("{%p endif %}"),
        tag("{%p endfor %}"),
    ]


def goal_section() -> list[str]:
    n = "{{ goal.number }}"
    theme_label = "goal_theme_label"
    return [
        tag("{%p for goal in goals %}"),
        para(run(f"Mål {n}{{% if goal.theme %}}: {{{{ goal.theme }}}}{{% endif %}}"),
             style="Heading3", keep_next=True),
        table([
            ("Tema", para(
                "{% set " + theme_label + " = (goal.themes | selectattr('value', 'equalto', "
                "goal.theme_value) | map(attribute='label') | first) if goal.theme_value else '' %}"
                + choice_field(f"goal_{n}_theme", f"Mål {n}: tema", "goal.themes", theme_label,
                               "Vælg tema"))),
            ("Måltype", para(
                "{% set type_label = (goal_types | selectattr('value', 'equalto', goal.goal_type)"
                " | map(attribute='label') | first) if goal.goal_type else '' %}"
                + choice_field(f"goal_{n}_type", f"Mål {n}: måltype", "goal_types", "type_label",
                               "Vælg måltype"))),
            ("Målet", para(text_field(f"goal_{n}_description", f"Mål {n}: beskrivelse af målet",
                                      "{{ goal.description }}"))),
            ("Nuværende funktionsevneniveau", para(
                "{% set current = levels | selectattr('value', 'equalto', goal.current_level)"
                " | map(attribute='label') | first %}"
                + choice_field(f"goal_{n}_current_level",
                               f"Mål {n}: nuværende funktionsevneniveau",
                               "levels", "current", "Vælg niveau"))),
            ("Forventet funktionsevneniveau", para(
                "{% set expected = levels | selectattr('value', 'equalto', goal.expected_level)"
                " | map(attribute='label') | first %}"
                + choice_field(f"goal_{n}_expected_level",
                               f"Mål {n}: forventet funktionsevneniveau",
                               "levels", "expected", "Vælg niveau"))),
            ("Status med ord", para(text_field(f"goal_{n}_status", f"Mål {n}: status med ord"))),
        ], keep=True),
        para(""),
        tag("{%p endfor %}"),
    ]


def body() -> str:
    parts = [
        # The letterhead: the municipality's logo at the right (FormRenderer.docx gives
        # logo_image, an image docxtpl places, or None).
        tag("{%p if logo_image %}"),
        '<w:p><w:pPr><w:jc w:val="right"/></w:pPr>' + run("{{ logo_image }}") + "</w:p>",
        tag("{%p endif %}"),
        para(run("{{ municipality.name }} · {{ recipient.unit }}", '<w:color w:val="444444"/>')),
        para(run("Opfølgningsskema: {{ service.name }}"), style="Title"),
        para(run("{{ service.law }} {{ service.paragraph }}")),
        text("Borger og indsats", style="Heading1"),
        table([
            ("Borger", para(run("{{ citizen.name }}"))),
            ("CPR-nummer", para(run("{{ citizen.cpr }}"))),
            ("Sagsnummer", para(run("{{ case.number }}"))),
            ("Indsats", para(run("{{ service.name }} ({{ service.law }} "
                                 "{{ service.paragraph }})"))),
            # The extent's fields follow the service profile (hours, days, visits, an aid).
            ("Omfang", tag("{%p for line in case.extent_lines %}")
             + para(run("{{ line.label }}: {{ line.value }}")) + tag("{%p endfor %}")),
            ("Start", para(run("{{ case.extent.start_date | long_date }}"
                               "{% if case.extent.end_date %}, til og med "
                               "{{ case.extent.end_date | long_date }}{% endif %}"))),
            ("Seneste afgørelse", para(run("{{ case.decision_date | long_date }}"))),
            ("Opfølgning senest", para(run("{{ follow_up.due | long_date if follow_up.due else "
                                           "'efter behov' }}"))),
            ("Skemaet sendes til", para(run("{{ recipient.name }}, {{ recipient.unit }}, tlf. "
                                            "{{ recipient.phone }}, {{ recipient.email }}"))),
        ]),
        para(run("{{ purpose.title }}"), style="Heading1"),
        para(run("Fra kvalitetsstandarden «{{ standard.title }}», godkendt "
                 "{{ standard.approval.date | long_date }}:", '<w:color w:val="444444"/>')),
        *quoted("purpose.blocks"),
        para(run("{{ follow_up.title }}"), style="Heading1"),
        *quoted("follow_up.blocks"),
        text("Mål og status", style="Heading1"),
        text("Funktionsevneniveau efter KL's Fælles Faglige Begreber: 0 = ingen, 1 = let, "
             "2 = moderat, 3 = svært, 4 = fuldstændig nedsat funktionsevne. De grå felter "
             "udfyldes."),
        *goal_section(),
        text("Status og vurdering", style="Heading1"),
        text("Leverandørens status", bold=True),
        box("provider_status", "Leverandørens status"),
        text("Borgerens egen vurdering (med borgerens egne ord)", bold=True),
        box("citizen_assessment", "Borgerens egen vurdering (med borgerens egne ord)"),
        text("Samlet vurdering", bold=True),
        box("overall_assessment", "Samlet vurdering"),
        para(run("Resultat"), style="Heading1", keep_next=True),
        table([
            ("Resultat af opfølgningen", para(choice_field(
                "result", "Resultat af opfølgningen", "results", "''", "Vælg resultat"))),
            ("Næste opfølgning", para(date_field("next_follow_up", "Næste opfølgning"))),
            ("Dato for opfølgningen", para(date_field("meeting_date", "Dato for opfølgningen"))),
            ("Deltagere", para(
                check_field("participant_citizen", "Deltager: borger"), run(" Borger   "),
                check_field("participant_caseworker", "Deltager: sagsbehandler"),
                run(" Sagsbehandler   "),
                check_field("participant_provider", "Deltager: leverandøren"),
                run(" Leverandøren   "),
                check_field("participant_relative", "Deltager: pårørende eller værge"),
                run(" Pårørende eller værge"))),
            ("Andre deltagere", para(text_field("participant_other", "Andre deltagere",
                                                multi=False))),
        ], keep=True),
        text("Ændring af indsatsen", style="Heading1"),
        para(run("Skemaet er en status og ikke en afgørelse. Enhver ændring af indsatsen, også en "
                 "afslutning eller en ny indsats, kræver en ny skriftlig afgørelse fra "
                 "{{ recipient.unit }} med klagevejledning.")),
        para(run("Send det udfyldte skema til {{ recipient.name }}, {{ recipient.unit }}, "
                 "{{ recipient.email }}.")),
    ]
    return "".join(parts)


def build(target: Path = TARGET) -> None:
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin = section.bottom_margin = Mm(20)
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Quote"):
        document.styles[name].font.name = "IBM Plex Sans"
    _danish(document)
    document.core_properties.title = "Opfølgningsskema"
    document.core_properties.language = "da-DK"
    document.core_properties.author = "standardgen"
    fixed = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    document.core_properties.created = document.core_properties.modified = fixed
    document.core_properties.last_modified_by = "standardgen"
    xml_body = document.element.body
    sect_pr = xml_body[-1]
    fragment = etree.fromstring(
        f'<w:body xmlns:w="{W}" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml">'
        f"{body()}</w:body>")
    for child in list(xml_body):
        xml_body.remove(child)
    for child in fragment:
        xml_body.append(child)
    xml_body.append(sect_pr)
    buffer = io.BytesIO()
    document.save(buffer)
    target.write_bytes(normalize_zip(buffer.getvalue()))  # byte-identical when unchanged


def _danish(document: docx.document.Document) -> None:
    """Danish as the document language, so spelling and screen readers use it."""
    styles = document.styles.element
    rpr = styles.find(f"{{{W}}}docDefaults/{{{W}}}rPrDefault/{{{W}}}rPr")
    lang = rpr.find(f"{{{W}}}lang")
    if lang is None:
        lang = etree.SubElement(rpr, f"{{{W}}}lang")
    lang.set(f"{{{W}}}val", "da-DK")


if __name__ == "__main__":  # an optional path: write there instead (the test compares)
    OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else TARGET
    build(OUT)
    print(f"skrevet: {OUT}")
