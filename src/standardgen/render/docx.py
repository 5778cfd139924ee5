"""Word documents from docxtpl templates, rendered safely and reproducibly."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from standardgen.render.templating import docx_environment

# Zip members carry a timestamp; a fixed one makes two renders of the same input byte-identical.
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


Context = Mapping[str, Any]


def render_docx(template: Path, context: Context | Callable[[Any], Context], *,
                typeset: bool = False) -> bytes:
    """Render ``template`` with ``context``: sandboxed, StrictUndefined, always autoescaped.

    docxtpl's default ``autoescape=False`` lets a value such as ``Jensen & Søn <ApS>`` corrupt
    the document XML without any error, so it is never used.

    ``context`` may be a function of the ``DocxTemplate``: clickable links in a ``RichText``
    need a relationship id from the template being rendered (``template.build_url_id(url)``).
    ``typeset`` gives every printed value Danish typography (``markup.typeset``).
    """
    from docxtpl import DocxTemplate

    document = DocxTemplate(str(template))
    values = context(document) if callable(context) else context
    document.render(dict(values), jinja_env=docx_environment(typeset=typeset), autoescape=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return normalize_zip(buffer.getvalue())


def normalize_zip(data: bytes) -> bytes:
    """The same zip with fixed member timestamps and permissions."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
