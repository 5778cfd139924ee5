"""Decision letters from one CSV: standardgen against the pipeline municipalities use today.

Side by side, in one run, on the same 1,000 fictitious cases: the example CSV's three rows
repeated with a different citizen, address and decision date in every row (``distinct_csv``), so
that no two letters are the same and nothing is flattered by Typst's memoisation of repeated
content. Every path makes the same letters: ``build_letter`` gives the content, so the baseline
renders exactly the text that standardgen renders.

- Command line: ``standardgen letter CSV --format pdf|docx`` in a fresh process, as a caseworker
  runs it (imports, worker start-up, reading and checking the cases, writing every file).
- In-process: ``write_letters`` in this (warm) process, the same batch.
- Per letter: build + render + write of one letter in one warm process (median); next to the
  batch's throughput this gives the pool's efficiency: throughput x per-letter time / cores.
  Measured in every round, between the batches, so that it sees the same machine.
- Per letter, every core busy: the same in as many processes at once as there are cores; the
  efficiency against it leaves out what the machine loses when its cores work together.
- One process: the same batch in-process with ``jobs=1``; the batch's speedup over it, divided
  by the cores, is the classic parallel efficiency (it counts reading and checking the cases,
  which only the main process does).
- Cold start: one letter through the command, a fresh process each time.
- Baselines: Word = the usual mail-merge loop, a new ``DocxTemplate`` per letter, render, save
  (one process); PDF = that loop followed by one LibreOffice headless conversion of all files.
- The cost of conformance: CPU time per letter rendered as PDF/A-2a + PDF/UA-1 (what the
  command writes) against PDF/UA-1 alone, in one process, interleaved rounds, as a ratio.
- ``--memory``: the peak resident memory of the whole pool (parent and workers, sampled) over
  10,000 letters in both formats.

Wall times are medians; CPU seconds (user + system of every process involved) are printed too,
because on a shared machine they move much less than wall time. Ratios come from one run.
``--json FILE`` writes the figures. Run: ``make bench`` or
``.venv/bin/python benchmarks/bench_letters.py [--letters N] [--repeat N] [--memory]``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import timing

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from standardgen.cases.check import CaseChecker  # noqa: E402
from standardgen.cases.read import load_cases  # noqa: E402
from standardgen.cases.wording import load_wording  # noqa: E402
from standardgen.letters.batch import Format  # noqa: E402
from standardgen.letters.content import build_letter  # noqa: E402
from standardgen.letters.docx import package_for_docxtpl  # noqa: E402
from standardgen.letters.run import write_letters  # noqa: E402
from standardgen.render.templating import docx_environment  # noqa: E402
from standardgen.standards.catalogue import load_catalogue  # noqa: E402

STANDARDS = ROOT / "standards"
EXAMPLE_CSV = ROOT / "examples" / "cases" / "batch.csv"
ONE_CASE = ROOT / "examples" / "cases" / "bevilget.yaml"
FIRST = ("Anna", "Bent", "Carla", "Dennis", "Ella", "Finn", "Gitte", "Hans", "Ida", "Jens",
         "Karen", "Lars", "Mette", "Niels", "Olga", "Poul", "Rikke", "Søren", "Tove", "Ulla")
LAST = ("Fiktiv", "Prøvesen", "Eksempelsen", "Demo", "Testesen", "Skabelon", "Opdigtet",
        "Øvelsesen", "Attrapsen", "Modelsen")


def distinct_csv(source: Path, target: Path, count: int) -> Path:
    """``count`` rows from the example CSV's rows, each with its own fictitious citizen."""
    reader = csv.reader(io.StringIO(source.read_text(encoding="utf-8-sig")), delimiter=";")
    header = next(reader)
    rows = [row for row in reader if any(row)]
    col = {name: i for i, name in enumerate(header)}
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(header)
    for i in range(count):
        row = list(rows[i % len(rows)])
        row[col["case_number"]] = f"B-{i + 1:06d}"
        row[col["citizen.name"]] = f"{FIRST[i % len(FIRST)]} {LAST[i // len(FIRST) % len(LAST)]}"
        row[col["citizen.address.street"]] = f"Prøvegade {i % 199 + 1}"
        decided = dt.date.fromisoformat(row[col["decision_date"]]) + dt.timedelta(days=i % 23)
        row[col["decision_date"]] = decided.isoformat()
        writer.writerow(row)
    target.write_text(out.getvalue(), encoding="utf-8")
    return target


@dataclass(frozen=True)
class Timing:
    wall: float  # seconds
    cpu: float  # user + system seconds of this process and every child it waited for

    def figures(self, letters: int) -> dict[str, float]:
        return {"s": round(self.wall, 3), "letters_per_s": round(letters / self.wall, 1),
                "cpu_s": round(self.cpu, 3),
                "cpu_ms_per_letter": round(self.cpu / letters * 1000, 2)}


def timed(action: Callable[[], object]) -> Timing:
    measured = timing.timed(action)
    return Timing(measured.wall, measured.cpu)


def median_timing(timings: list[Timing]) -> Timing:
    return Timing(statistics.median(t.wall for t in timings),
                  statistics.median(t.cpu for t in timings))


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "standardgen", *args]


def command_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def command_run(paths: list[Path], out: Path, fmt: Format, jobs: int | None) -> Timing:
    """``standardgen letter`` in a fresh process, as a caseworker runs it."""
    shutil.rmtree(out, ignore_errors=True)
    args = ["letter", *map(str, paths), "--standards", str(STANDARDS), "--out", str(out),
            "--format", fmt.value]
    if jobs is not None:
        args += ["--jobs", str(jobs)]
    result: list[subprocess.CompletedProcess[bytes]] = []
    timing = timed(lambda: result.append(subprocess.run(
        command(*args), env=command_env(), capture_output=True, check=False)))
    if result[0].returncode != 0:
        raise SystemExit(f"standardgen letter failed: {result[0].stdout.decode()[-500:]}")
    return timing


def in_process_run(csv_path: Path, out: Path, fmt: Format, jobs: int) -> Timing:
    shutil.rmtree(out, ignore_errors=True)
    outcomes = []
    timing = timed(lambda: outcomes.append(write_letters([csv_path], [STANDARDS], out, [fmt],
                                                         jobs)))
    outcome = outcomes[0]
    if outcome.problems or outcome.written != outcome.cases:
        raise SystemExit(f"standardgen failed: {[p.format() for p in outcome.problems][:3]}")
    return timing


def mail_merge_loop(csv_path: Path, out: Path) -> tuple[Timing, list[float]]:
    """The usual loop: read the rows, and per letter a new DocxTemplate, render, save."""
    from docxtpl import DocxTemplate

    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    template = out.parent / "letter-template.docx"
    template.write_bytes(package_for_docxtpl())
    env = docx_environment()
    per_letter: list[float] = []

    def loop() -> None:
        standards = {s.slug: s for s in load_catalogue([STANDARDS]).standards}
        wording = load_wording()
        for source in load_cases([csv_path], check=CaseChecker(standards)).cases:
            began = time.perf_counter()
            letter = build_letter(source.case, standards[source.case.standard], wording)
            document = DocxTemplate(str(template))
            document.render({"letter": letter}, jinja_env=env, autoescape=True)
            document.save(str(out / f"{source.case.case_number}.docx"))
            per_letter.append(time.perf_counter() - began)

    return timed(loop), per_letter


def libreoffice_convert(folder: Path, out: Path) -> Timing:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) is needed for the PDF baseline")
    files = sorted(str(p) for p in folder.glob("*.docx"))
    with tempfile.TemporaryDirectory() as profile:
        return timed(lambda: subprocess.run(
            [soffice, "--headless", f"-env:UserInstallation=file://{profile}", "--convert-to",
             "pdf", "--outdir", str(out), *files], check=True, capture_output=True))


def per_letter_ms(csv_path: Path, out: Path, count: int = 300) -> dict[str, float]:
    """Letters one chunk at a time in one warm process, as a worker does it: build the content,
    render, write the chunk's files (ms a letter, median over the chunks). ``pdf``/``docx``
    are the whole cost of a letter in that format (wall; ``*_cpu``: CPU time of this process);
    ``build`` is the part the main process does.
    """
    from standardgen.letters.batch import CHUNK, chunks
    from standardgen.letters.worker import Job, Renderer

    standards = {s.slug: s for s in load_catalogue([STANDARDS]).standards}
    wording = load_wording()
    checked = load_cases([csv_path], check=CaseChecker(standards)).cases
    cases = [(s.case, s.origin) for s in checked][:count]
    out.mkdir(parents=True, exist_ok=True)
    timings: dict[str, list[float]] = {"build": []}
    for fmt in (Format.pdf, Format.docx):
        renderer = Renderer(Job((fmt,), out, ROOT / "templates"))
        timings[fmt.value], timings[f"{fmt.value}_cpu"] = [], []
        for index, chunk in enumerate(chunks(cases, CHUNK)):
            began, cpu = time.perf_counter(), time.process_time()
            items = [(build_letter(case, standards[case.standard], wording), origin)
                     for case, origin in chunk]
            built = time.perf_counter()
            failures = renderer.render(items)
            if failures:
                raise SystemExit(f"render failed: {failures[0]}")
            if index:  # the first chunk warms the renderer up
                timings[fmt.value].append((time.perf_counter() - began) / len(chunk))
                timings[f"{fmt.value}_cpu"].append((time.process_time() - cpu) / len(chunk))
                timings["build"].append((built - began) / len(chunk))
    shutil.rmtree(out)
    return {key: round(statistics.median(values) * 1000, 2) for key, values in timings.items()}


def per_letter_ms_both_cores(csv_path: Path, out: Path, cores: int) -> dict[str, float]:
    """:func:`per_letter_ms` in ``cores`` processes at once (the mean of their medians): what one
    letter costs when every core renders, as in a batch. Against :func:`per_letter_ms` alone it
    shows what the machine itself loses when its cores work together (shared caches and memory,
    Typst's helper thread), which no pool can win back."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    with ProcessPoolExecutor(cores, mp_context=get_context("spawn")) as executor:
        runs = list(executor.map(per_letter_ms, [csv_path] * cores,
                                 [out / str(i) for i in range(cores)], [600] * cores))
    return {key: round(statistics.fmean(run[key] for run in runs), 2) for key in runs[0]}


def cold_start(out: Path, repeat: int) -> dict[str, Any]:
    """One letter through the command, a fresh process each time (median wall and CPU)."""
    figures: dict[str, Any] = {}
    for fmt in (Format.pdf, Format.docx):
        timing = median_timing([command_run([ONE_CASE], out, fmt, None) for _ in range(repeat)])
        figures[fmt.value] = {"s": round(timing.wall, 3), "cpu_s": round(timing.cpu, 3)}
    imports = median_timing([timed(lambda: subprocess.run(
        [sys.executable, "-c", "import standardgen.cli, standardgen.letters.run"],
        env=command_env(), check=True)) for _ in range(repeat)])
    figures["imports"] = {"s": round(imports.wall, 3), "cpu_s": round(imports.cpu, 3)}
    return figures


def conformance_cost(csv: Path, count: int = 100, rounds: int = 5) -> dict[str, float | str]:
    """CPU ms per PDF letter, PDF/UA-1 alone against PDF/A-2a + PDF/UA-1 (process time, so other
    work on a shared machine weighs less than in wall time)."""
    from standardgen.letters.pdf import PDF_STANDARDS, PdfLetterRenderer

    standards = {s.slug: s for s in load_catalogue([STANDARDS]).standards}
    wording = load_wording()
    letters = [build_letter(s.case, standards[s.case.standard], wording)
               for s in load_cases([csv], check=CaseChecker(standards)).cases][:count]
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of the standardgen paths")
    parser.add_argument("--baseline-repeat", type=int, default=1,
                        help="runs of the (slow) baselines")
    parser.add_argument("--jobs", type=int, default=None,
                        help="worker processes (default: the command's own, one per core)")
    parser.add_argument("--memory", action="store_true", help="also 10,000 letters for memory")
    parser.add_argument("--memory-letters", type=int, default=10_000)
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args()

    from standardgen.core.pool import cores

    jobs = args.jobs or cores()
    results: dict[str, Any] = {"letters": args.letters, "jobs": jobs, "cores": cores(),
                               "load_average_1min": round(os.getloadavg()[0], 1)}
    with tempfile.TemporaryDirectory(prefix="bench-letters-") as tmp_name:
        tmp = Path(tmp_name)
        csv_path = distinct_csv(EXAMPLE_CSV, tmp / "batch.csv", args.letters)
        n = args.letters
        results["cold_start"] = cold_start(tmp / "one", args.repeat)
        results["conformance_cost"] = conformance_cost(csv_path)
        runs: dict[str, list[Timing]] = {}
        per_letter_runs: list[dict[str, float]] = []
        both_cores_runs: list[dict[str, float]] = []
        for _ in range(args.repeat):  # interleaved, so that a busy moment hits every path
            per_letter_runs.append(per_letter_ms(csv_path, tmp / "per-letter"))
            both_cores_runs.append(per_letter_ms_both_cores(csv_path, tmp / "per-letter",
                                                            cores()))
            for fmt in (Format.pdf, Format.docx):
                runs.setdefault(f"{fmt.value}_command", []).append(
                    command_run([csv_path], tmp / fmt.value, fmt, args.jobs))
                runs.setdefault(f"{fmt.value}_in_process", []).append(
                    in_process_run(csv_path, tmp / fmt.value, fmt, jobs))
                runs.setdefault(f"{fmt.value}_one_process", []).append(
                    in_process_run(csv_path, tmp / fmt.value, fmt, 1))
        results["per_letter_ms_median"] = {
            key: round(statistics.median(run[key] for run in per_letter_runs), 2)
            for key in per_letter_runs[0]}
        results["per_letter_ms_all_cores_busy"] = {
            key: round(statistics.median(run[key] for run in both_cores_runs), 2)
            for key in both_cores_runs[0]}
        loops, convs, loop_letter = [], [], []
        for _ in range(args.baseline_repeat):
            loop, per_letter = mail_merge_loop(csv_path, tmp / "merge")
            loops.append(loop)
            loop_letter += per_letter
            convs.append(libreoffice_convert(tmp / "merge", tmp / "merge-pdf"))
        loop, conv = median_timing(loops), median_timing(convs)
        pdf_base = Timing(loop.wall + conv.wall, loop.cpu + conv.cpu)
        results["baseline"] = {
            "mail_merge": loop.figures(n),
            "mail_merge_ms_per_letter_median": round(statistics.median(loop_letter) * 1000, 2),
            "libreoffice": conv.figures(n),
            "mail_merge_plus_libreoffice": pdf_base.figures(n),
        }
        per_letter = results["per_letter_ms_median"]
        busy = results["per_letter_ms_all_cores_busy"]
        for fmt, base, target in ((Format.pdf, pdf_base, 10), (Format.docx, loop, 8)):
            entry: dict[str, Any] = {"target": f">= {target}x the baseline"}
            one = median_timing(runs[f"{fmt.value}_one_process"])
            entry["one_process"] = {**one.figures(n), "speedup": round(base.wall / one.wall, 1),
                                    "cpu_speedup": round(base.cpu / one.cpu, 1)}
            for path in ("command", "in_process"):
                timing = median_timing(runs[f"{fmt.value}_{path}"])
                entry[path] = {
                    **timing.figures(n),
                    "speedup": round(base.wall / timing.wall, 1),
                    "cpu_speedup": round(base.cpu / timing.cpu, 1),
                    # letters/s against what the cores could do at the one-letter time
                    "efficiency": round(n / timing.wall * per_letter[fmt.value] / 1000
                                        / cores(), 2),
                    # against the one-letter time with every core rendering at once
                    "efficiency_all_cores_busy": round(
                        n / timing.wall * busy[fmt.value] / 1000 / cores(), 2),
                    # the same batch in one process (--jobs 1), in-process, against this
                    "speedup_over_one_process": round(one.wall / timing.wall, 2),
                }
            results[fmt.value] = entry
        if args.memory:
            big = distinct_csv(EXAMPLE_CSV, tmp / "big.csv", args.memory_letters)
            results["memory"] = memory_run(big, tmp / "big", jobs)
    _print(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


def _row(out: io.StringIO, label: str, path: str, row: dict[str, Any], rest: str) -> None:
    print(f"{label:5} {path:11} {row['s']:7.2f} {row['letters_per_s']:9.1f} "
          f"{row['cpu_ms_per_letter']:13.2f} {rest}", file=out)


def _print(results: dict[str, Any]) -> None:
    out = io.StringIO()
    n, jobs = results["letters"], results["jobs"]
    base, per_letter, cold = results["baseline"], results["per_letter_ms_median"], results[
        "cold_start"]
    print(f"{n} distinct letters from one CSV; {jobs} worker processes on {results['cores']} "
          f"cores; load average {results['load_average_1min']} at the start (shared machine: "
          "compare the ratios of one run)", file=out)
    print(f"a letter in one warm process (build + render + write, in chunks as a worker): PDF "
          f"{per_letter['pdf']} ms ({per_letter['pdf_cpu']} ms CPU), Word {per_letter['docx']} "
          f"ms ({per_letter['docx_cpu']} ms CPU), of which building the content "
          f"{per_letter['build']} ms; mail-merge loop {base['mail_merge_ms_per_letter_median']} "
          "ms", file=out)
    busy = results["per_letter_ms_all_cores_busy"]
    print(f"the same with every core rendering at once: PDF {busy['pdf']} ms "
          f"({busy['pdf_cpu']} ms CPU), Word {busy['docx']} ms ({busy['docx_cpu']} ms CPU)",
          file=out)
    print(f"cold start, one letter through the command: PDF {cold['pdf']['s']} s "
          f"({cold['pdf']['cpu_s']} s CPU), Word {cold['docx']['s']} s "
          f"({cold['docx']['cpu_s']} s CPU); of that, importing: {cold['imports']['s']} s",
          file=out)
    header = (f"{'':5} {'path':11} {'wall s':>7} {'letters/s':>9} {'CPU ms/letter':>13} "
              f"{'speedup':>7} {'CPU speedup':>11} {'efficiency':>10} {'(all busy)':>10} "
              f"{'x --jobs 1':>10}")
    print(header, file=out)
    names = {"pdf": ("PDF", base["mail_merge_plus_libreoffice"], "mail-merge + LibreOffice"),
             "docx": ("Word", base["mail_merge"], "mail-merge loop")}
    for key, (label, baseline, what) in names.items():
        entry = results[key]
        for path in ("command", "in_process"):
            row = entry[path]
            _row(out, label, path.replace("_", "-"), row,
                 f"{row['speedup']:6.1f}x {row['cpu_speedup']:10.1f}x {row['efficiency']:10.2f} "
                 f"{row['efficiency_all_cores_busy']:10.2f} "
                 f"{row['speedup_over_one_process']:9.2f}x")
        row = entry["one_process"]
        _row(out, label, "--jobs 1", row, f"{row['speedup']:6.1f}x {row['cpu_speedup']:10.1f}x"
             "   (in-process, one process)")
        _row(out, label, "baseline", baseline, f"  ({what}; target {entry['target']})")
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
