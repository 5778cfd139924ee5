"""Follow-up forms: our fillable PDF per form, side by side with the usual municipal pipeline
(a Word template filled in, then converted to PDF by LibreOffice, one document per call), and a
batch of forms as ``standardgen form`` writes them against the same batch with the fields in the
whole font (how forms were made before ``forms/fieldfont.py``), interleaved in one run.

Run with ``make bench``. Prints medians (ms per form, wall and CPU) and the ratios.
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
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from standardgen.casecheck import CaseChecker  # noqa: E402
from standardgen.cases import load_cases  # noqa: E402
from standardgen.catalogue import load_standard  # noqa: E402
from standardgen.forms.build import plan_forms  # noqa: E402
from standardgen.forms.context import form_context  # noqa: E402
from standardgen.forms.readback import read_filled  # noqa: E402
from standardgen.forms.render import FormRenderer  # noqa: E402

CASES_DIR = ROOT / "tests" / "roots" / "forms" / "cases"
CASES_CSV = ROOT / "tests" / "roots" / "forms" / "cases.csv"
CASE = CASES_DIR / "2026-104-0001.yaml"
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


def batch_ms(renderers: dict[str, FormRenderer], contexts: list[Any], rounds: int = 3
             ) -> dict[str, dict[str, float]]:
    """ms per form over a batch, wall and CPU, the renderers interleaved round by round."""
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in renderers}
    for renderer in renderers.values():
        renderer.pdf(contexts[0])  # warm: WeasyPrint import, fonts, CSS, the field font
    for _ in range(rounds):
        for name, renderer in renderers.items():
            start, cpu = time.perf_counter(), time.process_time()
            for context in contexts:
                renderer.pdf(context)
            times[name].append(((time.perf_counter() - start) / len(contexts) * 1000,
                                (time.process_time() - cpu) / len(contexts) * 1000))
    return {name: {"wall": statistics.median(w for w, _ in values),
                   "cpu": statistics.median(c for _, c in values)}
            for name, values in times.items()}


def main() -> None:
    loaded = load_standard(STANDARD)
    case = load_cases([CASE], check=CaseChecker({loaded.slug: loaded})).cases[0].case
    context = form_context(case, loaded)
    plan = plan_forms([CASES_CSV, CASES_DIR], [ROOT / "standards"], None)
    contexts = [job.context for job in plan.jobs] * 5
    batch = batch_ms({"whole": FormRenderer(field_font=False), "cut": FormRenderer()}, contexts)
    whole, cut = batch["whole"], batch["cut"]
    print(f"batch of {len(contexts)} forms, fields in the whole font (before): "
          f"{whole['wall']:6.1f} ms/form ({whole['cpu']:.1f} ms CPU)")
    print(f"batch of {len(contexts)} forms, fields in the cut-down font (now):  "
          f"{cut['wall']:6.1f} ms/form ({cut['cpu']:.1f} ms CPU); "
          f"{whole['wall'] / cut['wall']:.2f}x faster ({whole['cpu'] / cut['cpu']:.2f}x in CPU)")
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
