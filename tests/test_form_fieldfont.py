"""Form fields get a cut-down copy of the form's font, not the whole font (forms/fieldfont.py)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pikepdf
import pytest
from fontTools.ttLib import TTFont

from clients import pdf_facts, pdftotext
from conftest import ROOT, STANDARDS
from standardgen.cases.read import load_cases
from standardgen.forms import fieldfont
from standardgen.forms.context import form_context
from standardgen.forms.render import FormRenderer
from standardgen.standards.catalogue import load_standard

CASE = ROOT / "tests" / "roots" / "forms" / "cases" / "2026-104-0001.yaml"
STANDARD = STANDARDS / "aktivitets-og-samvaerstilbud.yaml"

pytestmark = pytest.mark.skipif(fieldfont.source_font() is None,
                                reason="neither IBM Plex Sans nor DejaVu Sans is installed")


@pytest.fixture(scope="module")
def forms(tmp_path_factory: pytest.TempPathFactory) -> dict[bool, Path]:
    context = form_context(load_cases([CASE]).cases[0].case, load_standard(STANDARD))
    out = tmp_path_factory.mktemp("fieldfont")
    paths = {}
    for cut in (True, False):
        paths[cut] = out / f"{cut}.pdf"
        paths[cut].write_bytes(FormRenderer(field_font=cut).pdf(context))
    return paths


def _field_fonts(pdf: Path) -> dict[str, bytes]:
    """The embedded font program of every font the form's fields draw with (/DR)."""
    with pikepdf.open(pdf) as document:
        fonts = document.Root.AcroForm.DR.Font
        found = {}
        for font in fonts.values():
            descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            found[str(font.BaseFont)] = descendant.FontDescriptor.FontFile2.read_bytes()
        return found


def test_fields_draw_with_a_cut_down_copy_that_covers_the_scripts_kept(
        forms: dict[bool, Path]) -> None:
    fonts = _field_fonts(forms[True])
    [name] = [n for n in fonts if fieldfont.FAMILY.replace(" ", "-") in n]
    font = TTFont(io.BytesIO(fonts[name]))
    cmap = font.getBestCmap()
    for char in "aæøåÆØÅéüßłŁő€–„“αΩжЖ":  # Danish, other Latin, punctuation, Greek, Cyrillic
        assert ord(char) in cmap, char
    assert len(font.getGlyphOrder()) < 2000  # of DejaVu Sans's ~6,000
    whole = _field_fonts(forms[False])
    assert len(fonts[name]) * 3 < max(len(data) for data in whole.values())


def test_the_form_is_the_same_apart_from_the_field_font(forms: dict[bool, Path]) -> None:
    assert pdftotext(forms[True]) == pdftotext(forms[False])
    with pikepdf.open(forms[True]) as cut, pikepdf.open(forms[False]) as whole:
        assert ({str(f.T): str(f.get("/V", "")) for f in cut.Root.AcroForm.Fields}
                == {str(f.T): str(f.get("/V", "")) for f in whole.Root.AcroForm.Fields})
    assert forms[True].stat().st_size * 2 < forms[False].stat().st_size
    facts = pdf_facts(forms[True])
    assert facts.pdfua_part == 1 and not facts.unembedded_fonts
    assert not re.search("[\ufb00-\ufb06]", pdftotext(forms[True]))
