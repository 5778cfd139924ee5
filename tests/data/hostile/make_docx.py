"""Write the hostile Word files beside this script from the published Norddjurs standard.

Run ``.venv/bin/python tests/data/hostile/make_docx.py`` after a change to the Word template;
the files are committed, so the tests read fixed bytes. Every citizen and town is fictitious.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from standardgen.core.templates import templates_dir
from standardgen.publish.documents import Renderer
from standardgen.standards.catalogue import load_standard

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parents[2] / "standards" / "aktivitets-og-samvaerstilbud.yaml"


def published() -> bytes:
    return Renderer(templates_dir(), "https://example.dk/").docx(load_standard(SOURCE))


def rewrite(base: bytes, part: str, change: Callable[[str], str]) -> bytes:
    """``base`` with the XML part ``part`` changed (zip members kept in order)."""
    source = zipfile.ZipFile(io.BytesIO(base))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == part:
                data = change(data.decode("utf-8")).encode("utf-8")
            target.writestr(info, data)
    return out.getvalue()


def with_property(base: bytes, name: str, value: str) -> bytes:
    pattern = r'(name="standardgen\.' + re.escape(name) + r'"[^>]*>\s*<vt:lpwstr>)[^<]*'
    return rewrite(base, "docProps/custom.xml",
                   lambda text: re.sub(pattern, lambda m: m.group(1) + value, text))


def main() -> None:
    base = published()
    files = {
        "slug-parent.docx": with_property(base, "slug", "../../../../escaped"),
        "slug-workflow.docx": with_property(base, "slug", "../.github/workflows/injected"),
        "slug-absolute.docx": with_property(base, "slug", "/tmp/standardgen-escaped"),
        "municipality-parent.docx": with_property(base, "municipality", "../../secret/town"),
        "service-deep-json.docx": with_property(base, "service", "[" * 5_000 + "]" * 5_000),
    }
    for name, data in files.items():
        (HERE / name).write_bytes(data)


if __name__ == "__main__":
    main()
