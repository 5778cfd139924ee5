"""Follow-up forms: our fillable PDF per form, side by side with the usual municipal pipeline
(a Word template filled in, then converted to PDF by LibreOffice, one document per call).

Run with ``make bench``. Prints medians (ms per form) and the ratio baseline / ours.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from standardgen.casecheck import CaseChecker  # noqa: E402
from standardgen.cases import load_cases  # noqa: E402
from standardgen.catalogue import load_standard  # noqa: E402
from standardgen.forms.context import form_context  # noqa: E402
from standardgen.forms.readback import read_filled  # noqa: E402
from standardgen.forms.render import FormRenderer  # noqa: E402

CASE = ROOT / "tests" / "roots" / "forms" / "cases" / "2026-104-0001.yaml"
STANDARD = ROOT / "standards" / "aktivitets-og-samvaerstilbud.yaml"
ROUNDS = 15
BASELINE_ROUNDS = 5


def median_ms(action: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    loaded = load_standard(STANDARD)
    case = load_cases([CASE], CaseChecker({loaded.slug: loaded})).cases[0].case
    context = form_context(case, loaded)
    renderer = FormRenderer()
    renderer.pdf(context)  # warm: WeasyPrint import, fonts, CSS
    pdf_ms = median_ms(lambda: renderer.pdf(context), ROUNDS)
    docx_ms = median_ms(lambda: renderer.docx(context), ROUNDS)
    with tempfile.TemporaryDirectory() as tmp:
        filled = Path(tmp) / "form.pdf"
        filled.write_bytes(renderer.pdf(context))
        read_ms = median_ms(lambda: read_filled(filled), ROUNDS)
        soffice = shutil.which("soffice")
        base_ms = None
        if soffice:
            def baseline() -> None:
                source = Path(tmp) / "form.docx"
                source.write_bytes(renderer.docx(context))
                subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir",
                                str(Path(tmp) / "lo"), str(source)], check=True,
                               capture_output=True)
            base_ms = median_ms(baseline, BASELINE_ROUNDS)
    print(f"fillable PDF form (WeasyPrint + pikepdf), warm: {pdf_ms:8.1f} ms/form")
    print(f"Word form (docxtpl):                         {docx_ms:8.1f} ms/form")
    print(f"form read (pikepdf, validate):               {read_ms:8.1f} ms/form")
    if base_ms is None:
        print("baseline skipped: soffice not on PATH")
        return
    print(f"baseline: Word + LibreOffice to PDF, per call: {base_ms:6.1f} ms/form")
    print(f"ratio baseline / fillable PDF:               {base_ms / pdf_ms:8.1f}x")


if __name__ == "__main__":
    main()
