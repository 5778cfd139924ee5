"""Follow-up forms: a batch as ``standardgen form`` makes it, against how forms were made when
issue 15 was filed, side by side in one run; and one form against the usual municipal pipeline
(a Word template filled in, then converted to PDF by LibreOffice, one document per call).

The batch: ``--forms N`` distinct fictitious cases made from the test fixtures
(``tests/roots/forms``): the CSV's granted rows (one blank goal) and the YAML case with three
goals, each copy with its own case number and citizen (``distinct_cases``), as PDF forms.

- Baseline ("today"): one process, WeasyPrint, the fields in the whole DejaVu font
  (``FormRenderer(field_font=False)``), one form after the other, each file written as it is
  made (``write_atomic``): ``write_forms`` as it was. In a warm process (WeasyPrint imported,
  one form made), and in a fresh process (imports, reading the cases, everything).
- In-process: ``write_forms`` in this (warm) process, with ``--jobs 1`` and with the cores.
- Command: ``standardgen form CASES --format pdf`` in a fresh process, as a caseworker runs it,
  with ``--jobs 1`` and with the cores; and one form, cold.

Each round runs every variant once, interleaved; medians of ``--repeat`` rounds (wall and CPU:
user + system of this process and of every child process it waited for). On a shared machine
CPU time moves much less than wall time; compare ratios of one run only. Run: ``make bench`` or
``.venv/bin/python benchmarks/bench_forms.py [--forms N] [--repeat N]``.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from timing import Timing, median_ms, timed

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from standardgen.cases.check import CaseChecker  # noqa: E402
from standardgen.cases.read import load_cases  # noqa: E402
from standardgen.core.fileio import write_atomic  # noqa: E402
from standardgen.core.pool import cores  # noqa: E402
from standardgen.forms.build import Format, output_path, plan_forms, write_forms  # noqa: E402
from standardgen.forms.context import form_context  # noqa: E402
from standardgen.forms.readback import read_filled  # noqa: E402
from standardgen.forms.render import FormRenderer  # noqa: E402
from standardgen.standards.catalogue import load_standard  # noqa: E402

FIXTURES = ROOT / "tests" / "roots" / "forms"
CASES_CSV = FIXTURES / "cases.csv"
GOALS_CASE = FIXTURES / "cases" / "2026-104-0001.yaml"  # three goals
CASE = GOALS_CASE
STANDARDS = ROOT / "standards"
STANDARD = STANDARDS / "aktivitets-og-samvaerstilbud.yaml"
ROUNDS = 15
BASELINE_ROUNDS = 5
FIRST = ("Anna", "Bent", "Carla", "Dennis", "Ella", "Finn", "Gitte", "Hans", "Ida", "Jens")
LAST = ("Fiktiv", "Prøvesen", "Eksempelsen", "Demo", "Testesen", "Skabelon", "Opdigtet")
GOALS_EVERY = 4  # every fourth case is a copy of the case with three goals


# Today's batch, in one process: the loop of write_forms before the pool, fields in the whole
# font. Also run as a fresh process (``-c``), which is what the command did.
BASELINE = """
import sys
from pathlib import Path
from standardgen.core.fileio import write_atomic
from standardgen.forms.build import output_path, plan_forms
from standardgen.forms.render import FormRenderer
cases, standards, out = (Path(p) for p in sys.argv[1:4])
plan = plan_forms([cases], [standards])
renderer = FormRenderer(field_font=False)
for job in plan.jobs:
    write_atomic(output_path(out, job.case_number, "pdf"), renderer.pdf(job.context), mode=0o600)
"""


def distinct_cases(folder: Path, count: int) -> Path:
    """``count`` cases in ``folder``: the fixture CSV's granted rows, and every ``GOALS_EVERY``th
    the YAML case with three goals, each with its own case number and fictitious citizen."""
    reader = csv.reader(io.StringIO(CASES_CSV.read_text(encoding="utf-8-sig")), delimiter=";")
    header = next(reader)
    col = {name: i for i, name in enumerate(header)}
    rows = [row for row in reader if any(row) and row[col["result"]] != "afslag"]
    yaml_text = GOALS_CASE.read_text(encoding="utf-8")
    folder.mkdir(parents=True)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(header)
    for i in range(count):
        number, name = f"B-{i + 1:06d}", f"{FIRST[i % len(FIRST)]} {LAST[i // 10 % len(LAST)]}"
        if i % GOALS_EVERY == GOALS_EVERY - 1:
            (folder / f"{number}.yaml").write_text(
                yaml_text.replace("2026-104-0001", number).replace("Karen Testesen", name),
                encoding="utf-8")
            continue
        row = list(rows[i % len(rows)])
        row[col["case_number"]], row[col["citizen.name"]] = number, name
        writer.writerow(row)
    (folder / "batch.csv").write_text(out.getvalue(), encoding="utf-8")
    return folder


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def fresh(args: list[str]) -> None:
    subprocess.run([sys.executable, *args], check=True, capture_output=True, env=env())


def command(cases: Path, out: Path, jobs: int | None) -> None:
    shutil.rmtree(out, ignore_errors=True)
    args = ["-m", "standardgen", "form", str(cases), "--standards", str(STANDARDS),
            "--out", str(out), "--format", "pdf"]
    fresh(args + (["--jobs", str(jobs)] if jobs else []))


def baseline_in_process(renderer: FormRenderer, cases: Path, out: Path) -> None:
    shutil.rmtree(out, ignore_errors=True)
    plan = plan_forms([cases], [STANDARDS])
    for job in plan.jobs:
        write_atomic(output_path(out, job.case_number, "pdf"), renderer.pdf(job.context),
                     mode=0o600)


def in_process(renderer: FormRenderer, cases: Path, out: Path, jobs: int) -> None:
    shutil.rmtree(out, ignore_errors=True)
    write_forms(plan_forms([cases], [STANDARDS]), out, Format.pdf, renderer, jobs=jobs)


def batch(count: int, rounds: int, tmp: Path) -> None:
    cases = distinct_cases(tmp / "cases", count)
    planned = len(plan_forms([cases], [STANDARDS]).jobs)
    assert planned == count, f"{planned} forms planned of {count} cases"
    whole, cut = FormRenderer(field_font=False), FormRenderer()
    context = plan_forms([GOALS_CASE], [STANDARDS]).jobs[0].context
    whole.pdf(context), cut.pdf(context)  # warm: WeasyPrint, stylesheets, fonts, field font
    n = cores()
    variants: dict[str, Callable[[], object]] = {
        "baseline, in-process (whole font, one process)":
            lambda: baseline_in_process(whole, cases, tmp / "a"),
        "baseline, fresh process":
            lambda: fresh(["-c", BASELINE, str(cases), str(STANDARDS), str(tmp / "a1")]),
        "write_forms in-process, --jobs 1": lambda: in_process(cut, cases, tmp / "b1", 1),
        f"write_forms in-process, --jobs {n}": lambda: in_process(cut, cases, tmp / "b", n),
        "standardgen form (command), --jobs 1": lambda: command(cases, tmp / "c1", 1),
        f"standardgen form (command), --jobs {n}": lambda: command(cases, tmp / "c", None),
    }
    times: dict[str, list[Timing]] = {name: [] for name in variants}
    for _ in range(rounds):
        for name, action in variants.items():
            shutil.rmtree(tmp / "a1", ignore_errors=True)
            times[name].append(timed(action))
    base = next(iter(variants))
    medians = {name: Timing(statistics.median(t.wall for t in values),
                            statistics.median(t.cpu for t in values))
               for name, values in times.items()}
    b = medians[base]
    print(f"batch of {count} PDF forms ({n} cores, median of {rounds} interleaved rounds; "
          f"load average {os.getloadavg()[0]:.1f} at the end)")
    print(f"{'':50} {'wall ms/form':>12} {'CPU ms/form':>12} {'x baseline':>11} {'(CPU)':>6}")
    for name, t in medians.items():
        print(f"{name:50} {t.wall / count * 1000:12.1f} {t.cpu / count * 1000:12.1f} "
              f"{b.wall / t.wall:10.2f}x {b.cpu / t.cpu:5.2f}x")
    cold = [timed(lambda: command(GOALS_CASE, tmp / "cold", None)) for _ in range(3)]
    print(f"one form through the command, cold: {statistics.median(t.wall for t in cold):.2f} s "
          f"wall ({statistics.median(t.cpu for t in cold):.2f} s CPU)")


def single(tmp: Path) -> None:
    """One form in a warm process, and the Word + LibreOffice pipeline per form."""
    loaded = load_standard(STANDARD)
    case = load_cases([CASE], check=CaseChecker({loaded.slug: loaded})).cases[0].case
    context = form_context(case, loaded)
    renderer = FormRenderer()
    renderer.pdf(context)  # warm: WeasyPrint import, fonts, CSS
    pdf_ms = median_ms(lambda: renderer.pdf(context), ROUNDS)
    docx_ms = median_ms(lambda: renderer.docx(context), ROUNDS)
    filled = tmp / "form.pdf"
    filled.write_bytes(renderer.pdf(context))
    read_ms = median_ms(lambda: read_filled(filled), ROUNDS)
    print(f"fillable PDF form (WeasyPrint + pikepdf), warm: {pdf_ms:8.1f} ms/form")
    print(f"Word form (docxtpl):                         {docx_ms:8.1f} ms/form")
    print(f"form read (pikepdf, validate):               {read_ms:8.1f} ms/form")
    soffice = shutil.which("soffice")
    if not soffice:
        print("baseline skipped: soffice not on PATH")
        return

    def baseline() -> None:
        source = tmp / "form.docx"
        source.write_bytes(renderer.docx(context))
        subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir",
                        str(tmp / "lo"), str(source)], check=True, capture_output=True)

    base_ms = median_ms(baseline, BASELINE_ROUNDS)
    print(f"baseline: Word + LibreOffice to PDF, per call: {base_ms:6.1f} ms/form")
    print(f"ratio baseline / fillable PDF:               {base_ms / pdf_ms:8.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--forms", type=int, default=100, help="forms in the batch (default 100)")
    parser.add_argument("--repeat", type=int, default=3, help="interleaved rounds (default 3)")
    parser.add_argument("--no-single", action="store_true",
                        help="only the batch (skip one form and the LibreOffice pipeline)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        batch(args.forms, args.repeat, Path(tmp))
        if not args.no_single:
            single(Path(tmp))


if __name__ == "__main__":
    main()
