"""Render one follow-up form to a fillable, tagged PDF and to a Word document.

WeasyPrint makes the AcroForm (``pdf_forms=True``): text fields, choice fields, check boxes,
each with an accessible name (/TU from its label or title), tagged as /Form with the page's tab
order following the structure (/Tabs /S). pikepdf then checks the rendered form against the field
contract (``fields.py``) and finishes what WeasyPrint leaves out: the read-only flag and a
default appearance for the form as a whole, and it drops the ToUnicode entries PDF/UA-1
forbids (``drop_invalid_unicode``). (WeasyPrint 70 does set a ``<select>``'s selected option as
the field's value; the tests check it.)
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from standardgen.core.templates import templates_dir
from standardgen.forms import fields
from standardgen.render.docx import render_docx
from standardgen.render.pdf import PdfRenderer, drop_invalid_unicode
from standardgen.render.templating import environment

HTML_TEMPLATE = "form/opfoelgning.html"
CSS_FILE = "form/form.css"
DOCX_TEMPLATE = "form/opfoelgning.docx"
READ_ONLY = frozenset({fields.CASE_NUMBER})
_READ_ONLY_FLAG = 1  # PDF 32000-1, table 221: field flag bit 1


class TemplateContractError(Exception):
    """A (municipality's own) template renders a form that ``form read`` could not map back."""


class FormRenderer:
    """Holds the parsed stylesheet and font cache across many forms."""

    def __init__(self, folder: Path | None = None, *, field_font: bool = True) -> None:
        """``field_font``: the fields get the cut-down copy of the form's font (``fieldfont``);
        False embeds the whole font, as before (to measure the difference)."""
        self.folder = folder or templates_dir()
        self._field_font = field_font
        self._template = environment(self.folder).get_template(HTML_TEMPLATE)
        self._pdf: PdfRenderer | None = None  # WeasyPrint is slow to import: only when needed

    def html(self, context: Mapping[str, Any]) -> str:
        return self._template.render(context)

    @property
    def field_font(self) -> bool:
        return self._field_font

    def pdf(self, context: Mapping[str, Any]) -> bytes:
        return self.pdf_of(self.html(context), len(context["goals"]))

    def pdf_of(self, html: str, goal_count: int) -> bytes:
        """The form from its HTML (``html``), as worker processes get it."""
        from standardgen.forms.fieldfont import compress_once

        finisher = compress_once if self._field_font else None
        raw = self.prepare_pdf().render(html, forms=True, finisher=finisher)
        return finish_pdf(raw, goal_count)

    def prepare_pdf(self) -> PdfRenderer:
        """WeasyPrint imported, the stylesheets parsed, the field font made: once."""
        if self._pdf is None:
            from standardgen.forms.fieldfont import field_css

            self._pdf = PdfRenderer([self.folder / CSS_FILE], base_url=self.folder / "form",
                                    css=field_css() if self._field_font else ())
        return self._pdf

    def docx(self, context: Mapping[str, Any]) -> bytes:
        logo = _logo_png(context.get("logo"))

        def values(template: Any) -> Mapping[str, Any]:
            """The context with the letterhead's logo as an image of this template."""
            if logo is None:
                return {**context, "logo_image": None}
            from docx.shared import Mm
            from docxtpl import InlineImage

            return {**context, "logo_image": InlineImage(template, io.BytesIO(logo),
                                                         height=Mm(8))}

        return render_docx(self.folder / DOCX_TEMPLATE, values)


def _logo_png(url: str | None) -> bytes | None:
    """The logo (a file URL in the context) as PNG, as the Word letter has it."""
    if not url:
        return None
    from urllib.parse import urlparse
    from urllib.request import url2pathname

    from standardgen.letters.docx import logo_png

    return logo_png(Path(url2pathname(urlparse(url).path))).png


def finish_pdf(raw: bytes, goal_count: int) -> bytes:
    import pikepdf

    with pikepdf.open(io.BytesIO(raw)) as pdf:
        acroform = pdf.Root.AcroForm
        by_name = {str(field.T): field for field in acroform.Fields}
        missing = fields.expected_fields(goal_count) - set(by_name)
        unnamed = sorted(name for name, field in by_name.items() if not str(field.get("/TU", "")))
        if missing or unnamed:
            raise TemplateContractError(_contract_message(sorted(missing), unnamed))
        for name in READ_ONLY:
            field = by_name[name]
            field.Ff = int(field.get("/Ff", 0)) | _READ_ONLY_FLAG
        text_field = by_name[fields.PROVIDER_STATUS]
        # Viewers redraw fields (/NeedAppearances); a check box has no /DA of its own, so a
        # ticked one needs the form's default. (Poppler then still asks for ZapfDingbats,
        # which is not added: it would be the one font not embedded, and the tick shows anyway.)
        acroform.DA = pikepdf.String(_font_only(str(text_field.DA)))
        drop_invalid_unicode(pdf)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
    return out.getvalue()


def _font_only(appearance: str) -> str:
    """``/a1.0 gs 0 0 0 rg /F 10 Tf`` without the graphics state, which /DA may not contain."""
    tokens = appearance.split()
    while "gs" in tokens:
        at = tokens.index("gs")
        del tokens[at - 1:at + 1]
    return " ".join(tokens)


def _contract_message(missing: list[str], unnamed: list[str]) -> str:
    parts = []
    if missing:
        parts.append("mangler felterne " + ", ".join(missing))
    if unnamed:
        parts.append("felterne " + ", ".join(unnamed) + " har intet tilgængeligt navn "
                     "(label eller title)")
    return "skabelonen til opfølgningsskemaet " + "; ".join(parts)
