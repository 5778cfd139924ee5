"""Decision letters from one CSV: standardgen against the pipeline municipalities use today.

Side by side, in one run, on the same fictitious cases (examples/cases/batch.csv, repeated):

- Word: ``standardgen letter --format docx`` (compiled body, process pool) against the usual
  mail-merge loop: a new ``DocxTemplate`` per letter, render, save (one process).
- PDF: ``standardgen letter --format pdf`` (Typst, tagged PDF/UA-1, process pool) against that
  loop followed by one LibreOffice headless conversion of all the .docx files.
- the cost of conformance: CPU time per letter rendered as PDF/A-2a + PDF/UA-1 (what the
  command writes) against PDF/UA-1 alone, in one process, interleaved rounds, as a ratio.
- ``--memory``: the peak resident memory of the whole pool (parent and workers, sampled) over
  10,000 letters in both formats.

Prints medians and ratios; ``--json FILE`` writes them too. Run: ``make bench`` or
``.venv/bin/python benchmarks/bench_letters.py [--letters N] [--repeat N] [--memory]``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from standardgen.casecheck import CaseChecker  # noqa: E402
from standardgen.cases import load_cases  # noqa: E402
from standardgen.catalogue import load_catalogue  # noqa: E402
from standardgen.letters.batch import Format  # noqa: E402
from standardgen.letters.content import build_letter  # noqa: E402
from standardgen.letters.docx import package_for_docxtpl  # noqa: E402
from standardgen.letters.run import write_letters  # noqa: E402
from standardgen.letters.sample import multiply_csv  # noqa: E402
from standardgen.letters.wording import load_wording  # noqa: E402
from standardgen.render.templating import docx_environment  # noqa: E402

STANDARDS = ROOT / "standards"
EXAMPLE_CSV = ROOT / "examples" / "cases" / "batch.csv"


def standardgen_run(csv: Path, out: Path, formats: list[Format], jobs: int) -> float:
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    outcome = write_letters([csv], [STANDARDS], out, formats, jobs)
    elapsed = time.perf_counter() - start
    if outcome.problems or outcome.written != outcome.cases:
        raise SystemExit(f"standardgen failed: {[p.format() for p in outcome.problems][:3]}")
    return elapsed


def mail_merge_loop(csv: Path, out: Path) -> tuple[float, list[float]]:
    """The usual loop: read the rows, and per letter a new DocxTemplate, render, save."""
    from docxtpl import DocxTemplate

    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    template = out.parent / "letter-template.docx"
    template.write_bytes(package_for_docxtpl())
    env = docx_environment()
    per_letter = []
    start = time.perf_counter()
    standards = {s.slug: s for s in load_catalogue([STANDARDS]).standards}
    wording = load_wording()
    for source in load_cases([csv], CaseChecker(standards)).cases:
        began = time.perf_counter()
        letter = build_letter(source.case, standards[source.case.standard], wording)
        document = DocxTemplate(str(template))
        document.render({"letter": letter}, jinja_env=env, autoescape=True)
        document.save(str(out / f"{source.case.case_number}.docx"))
        per_letter.append(time.perf_counter() - began)
    return time.perf_counter() - start, per_letter


def libreoffice_convert(folder: Path, out: Path) -> float:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) is needed for the PDF baseline")
    files = sorted(str(p) for p in folder.glob("*.docx"))
    with tempfile.TemporaryDirectory() as profile:
        start = time.perf_counter()
        subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{profile}",
                        "--convert-to", "pdf", "--outdir", str(out), *files],
                       check=True, capture_output=True)
        return time.perf_counter() - start


def per_letter_medians(csv: Path, count: int = 200) -> dict[str, float]:
    """In-process render time per letter (ms), without pool or disk: where the time goes."""
    from standardgen.letters.docx import DocxLetterRenderer
    from standardgen.letters.pdf import PdfLetterRenderer

    standards = {s.slug: s for s in load_catalogue([STANDARDS]).standards}
    wording = load_wording()
    cases = [s.case for s in load_cases([csv], CaseChecker(standards)).cases][:count]
    pdf, docx = PdfLetterRenderer(), DocxLetterRenderer()
    timings: dict[str, list[float]] = {"build": [], "docx": [], "pdf": []}
    for case in cases:
        began = time.perf_counter()
        letter = build_letter(case, standards[case.standard], wording)
        built = time.perf_counter()
        docx.render(letter)
        rendered = time.perf_counter()
        pdf.render(letter)
        timings["build"].append(built - began)
        timings["docx"].append(rendered - built)
        timings["pdf"].append(time.perf_counter() - rendered)
    return {k: round(statistics.median(v) * 1000, 2) for k, v in timings.items()}


def conformance_cost(csv: Path, count: int = 100, rounds: int = 5) -> dict[str, float]:
    """CPU ms per PDF letter, PDF/UA-1 alone against PDF/A-2a + PDF/UA-1 (process time, so other
    work on a shared machine weighs less than in wall time)."""
    from standardgen.letters.pdf import PDF_STANDARDS, PdfLetterRenderer

    standards = {s.slug: s for s in load_catalogue([STANDARDS]).standards}
    wording = load_wording()
    letters = [build_letter(s.case, standards[s.case.standard], wording)
               for s in load_cases([csv]).cases][:count]
    renderers = {"ua1": PdfLetterRenderer(standards=("ua-1",)),
                 "pdfa2a_ua1": PdfLetterRenderer(standards=PDF_STANDARDS)}
    times: dict[str, list[float]] = {name: [] for name in renderers}
    for renderer in renderers.values():
        renderer.render(letters[0])
    for _ in range(rounds):
        for name, renderer in renderers.items():
            start = time.process_time()
            for letter in letters:
                renderer.render(letter)
            times[name].append((time.process_time() - start) / len(letters) * 1000)
    ua, both = statistics.median(times["ua1"]), statistics.median(times["pdfa2a_ua1"])
    return {"ua1_ms": round(ua, 2), "pdfa2a_ua1_ms": round(both, 2),
            "ratio": round(both / ua, 3), "target": "<= 1.10"}


class RssSampler:
    """Samples the resident memory of a process and all its descendants (Linux /proc)."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.pid, self.interval = pid, interval
        self.peak_total = self.peak_process = self.peak_pss = 0
        self.samples: list[int] = []
        self.seen: set[int] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            pids = _tree(self.pid)
            self.seen.update(pids)
            sizes = [_rss(pid) for pid in pids]
            self.samples.append(sum(sizes))
            self.peak_total = max(self.peak_total, sum(sizes))
            self.peak_process = max(self.peak_process, *sizes, 0)
            self.peak_pss = max(self.peak_pss, sum(_pss(pid) for pid in pids))
            time.sleep(self.interval)

    @property
    def first_half(self) -> int:
        """Peak over the first half of the run: equal to the overall peak when memory is flat."""
        return max(self.samples[: len(self.samples) // 2] or [0])


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    todo += [int(child) for child in handle.read().split()]
        except OSError:
            continue
    return pids


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def memory_run(csv: Path, out: Path, jobs: int) -> dict[str, Any]:
    """``standardgen letter`` in a fresh process, its whole process tree sampled."""
    command = [sys.executable, "-m", "standardgen", "letter", str(csv), "--standards",
               str(STANDARDS), "--out", str(out), "--jobs", str(jobs)]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    with RssSampler(process.pid) as sampler:
        _stdout, stderr = process.communicate()
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"the memory run failed: {stderr.decode()[-500:]}")
    letters = sum(1 for _ in out.glob("*.pdf"))
    shutil.rmtree(out)
    return {
        "letters": letters, "formats": "pdf+docx", "seconds": round(seconds, 1),
        "letters_per_s": round(letters / seconds, 1),
        "peak_rss_total_mb": round(sampler.peak_total / 2**20, 1),
        "peak_pss_total_mb": round(sampler.peak_pss / 2**20, 1),
        "peak_rss_one_process_mb": round(sampler.peak_process / 2**20, 1),
        "rss_first_half_mb": round(sampler.first_half / 2**20, 1),
        "processes_seen": len(sampler.seen),
        "target": "< 300 MB",
    }


def _pss(pid: int) -> int:
    """Proportional set size: shared pages (libraries) counted once across the processes."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def median_of(repeat: int, run: Callable[[], float]) -> float:
    return statistics.median(run() for _ in range(repeat))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of the standardgen paths")
    parser.add_argument("--baseline-repeat", type=int, default=1,
                        help="runs of the (slow) baselines")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--memory", action="store_true", help="also 10,000 letters for memory")
    parser.add_argument("--memory-letters", type=int, default=10_000)
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args()

    results: dict[str, Any] = {"letters": args.letters, "jobs": args.jobs,
                               "cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory(prefix="bench-letters-") as tmp_name:
        tmp = Path(tmp_name)
        csv = multiply_csv(EXAMPLE_CSV, tmp / "batch.csv", args.letters)
        n = args.letters
        results["per_letter_ms_median"] = per_letter_medians(csv)
        results["conformance_cost"] = conformance_cost(csv)

        docx_s = median_of(args.repeat, lambda: standardgen_run(csv, tmp / "docx", [Format.docx],
                                                                 args.jobs))
        pdf_s = median_of(args.repeat, lambda: standardgen_run(csv, tmp / "pdf", [Format.pdf],
                                                                args.jobs))
        loops, convs, loop_letter = [], [], []
        for _ in range(args.baseline_repeat):
            loop_s, per_letter = mail_merge_loop(csv, tmp / "merge")
            loops.append(loop_s)
            loop_letter += per_letter
            convs.append(libreoffice_convert(tmp / "merge", tmp / "merge-pdf"))
        loop_s, conv_s = statistics.median(loops), statistics.median(convs)
        results["word"] = {
            "standardgen_s": round(docx_s, 3), "standardgen_letters_per_s": round(n / docx_s, 1),
            "mail_merge_s": round(loop_s, 3), "mail_merge_letters_per_s": round(n / loop_s, 1),
            "mail_merge_ms_per_letter_median": round(statistics.median(loop_letter) * 1000, 2),
            "speedup": round(loop_s / docx_s, 1), "target": ">= 8x and >= 200 letters/s",
        }
        results["pdf"] = {
            "standardgen_s": round(pdf_s, 3), "standardgen_letters_per_s": round(n / pdf_s, 1),
            "merge_plus_libreoffice_s": round(loop_s + conv_s, 3),
            "libreoffice_s": round(conv_s, 3),
            "baseline_letters_per_s": round(n / (loop_s + conv_s), 1),
            "speedup": round((loop_s + conv_s) / pdf_s, 1),
            "target": ">= 10x and >= 50 letters/s",
        }
        if args.memory:
            big = multiply_csv(EXAMPLE_CSV, tmp / "big.csv", args.memory_letters)
            results["memory"] = memory_run(big, tmp / "big", args.jobs)
    _print(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


def _print(results: dict[str, Any]) -> None:
    out = io.StringIO()
    n, jobs = results["letters"], results["jobs"]
    word, pdf = results["word"], results["pdf"]
    medians = results["per_letter_ms_median"]
    print(f"{n} letters from one CSV, {jobs} worker processes, {results['cpus']} CPUs", file=out)
    print(f"median per letter in-process: build {medians['build']} ms, Word {medians['docx']} "
          f"ms, PDF {medians['pdf']} ms; mail-merge loop "
          f"{word['mail_merge_ms_per_letter_median']} ms", file=out)
    print(f"Word  standardgen {word['standardgen_s']:8.2f} s "
          f"{word['standardgen_letters_per_s']:8.1f}/s | mail-merge loop "
          f"{word['mail_merge_s']:8.2f} s {word['mail_merge_letters_per_s']:6.1f}/s | "
          f"{word['speedup']}x", file=out)
    print(f"PDF   standardgen {pdf['standardgen_s']:8.2f} s "
          f"{pdf['standardgen_letters_per_s']:8.1f}/s | loop + LibreOffice "
          f"{pdf['merge_plus_libreoffice_s']:8.2f} s {pdf['baseline_letters_per_s']:6.1f}/s | "
          f"{pdf['speedup']}x", file=out)
    cost = results["conformance_cost"]
    print(f"cost of conformance, CPU per PDF letter: PDF/UA-1 alone {cost['ua1_ms']} ms, "
          f"PDF/A-2a + PDF/UA-1 {cost['pdfa2a_ua1_ms']} ms, ratio {cost['ratio']} "
          f"(target {cost['target']})", file=out)
    if "memory" in results:
        memory = results["memory"]
        print(f"Memory {memory['letters']} letters ({memory['formats']}) in {memory['seconds']} "
              f"s ({memory['letters_per_s']}/s): peak of the whole process tree "
              f"RSS {memory['peak_rss_total_mb']} MB, PSS {memory['peak_pss_total_mb']} MB; "
              f"largest process {memory['peak_rss_one_process_mb']} MB; first half of the run "
              f"{memory['rss_first_half_mb']} MB", file=out)
    print(out.getvalue(), end="")


if __name__ == "__main__":
    main()
