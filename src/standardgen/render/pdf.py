"""HTML to tagged PDF with WeasyPrint.

WeasyPrint is imported here only, and this module only by the commands that write PDF, so that
``standardgen check`` starts fast (``import weasyprint`` alone costs ~650 ms).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

DEFAULT_VARIANT = "pdf/ua-1"


class PdfRenderer:
    """Renders many documents with the stylesheets parsed once and one shared font cache."""

    def __init__(self, stylesheets: Sequence[Path] = (), base_url: Path | None = None) -> None:
        import weasyprint
        from weasyprint.text.fonts import FontConfiguration

        self._weasyprint = weasyprint
        self._fonts = FontConfiguration()
        self._base_url = str(base_url) if base_url else None
        self._css = [weasyprint.CSS(filename=str(path), font_config=self._fonts)
                     for path in stylesheets]

    def render(self, html: str, *, variant: str = DEFAULT_VARIANT, forms: bool = False,
               **options: Any) -> bytes:
        document = self._weasyprint.HTML(string=html, base_url=self._base_url)
        pdf = document.write_pdf(
            stylesheets=self._css, font_config=self._fonts, pdf_variant=variant,
            pdf_forms=forms, **options,
        )
        assert isinstance(pdf, bytes)
        return pdf
