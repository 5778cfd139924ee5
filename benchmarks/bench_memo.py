"""What ``--format memo`` costs: letters as PDF alone against PDF with their Digital Post message.

Beside ``bench_letters.py`` and on its cases: the example CSV's rows repeated with a different
citizen in every row (``bench_letters.distinct_csv``), written by ``write_letters`` in this warm
process with ``jobs=1`` (so the figure is the work, not the pool), in interleaved rounds:

- ``pdf``: the letters as PDF, what ``standardgen letter --format pdf`` writes;
- ``pdf+memo``: the same letters with ``<sagsnummer>.memo.xml`` beside each; a grant's message
  carries the follow-up form, which WeasyPrint renders, so most of the extra cost is that form.

The standards are a copy of ``standards/`` whose municipality gets a (fictitious) CVR number,
which a message needs. CPU time of this process per letter is printed next to wall time, and
the ratio of the medians. Run: ``.venv/bin/python benchmarks/bench_memo.py [--letters N]``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from bench_letters import EXAMPLE_CSV, STANDARDS, distinct_csv  # noqa: E402

from standardgen.letters.batch import Format  # noqa: E402
from standardgen.letters.run import write_letters  # noqa: E402

TEST_CVR = "29189633"  # fictitious; passes the modulus-11 check


def _standards(tmp: Path) -> Path:
    target = tmp / "standards"
    shutil.copytree(STANDARDS, target)
    town = next((target / "municipalities").glob("*.yaml"))
    town.write_text(town.read_text(encoding="utf-8") + f'cvr: "{TEST_CVR}"\n', encoding="utf-8")
    return target


def _round(csv: Path, standards: Path, out: Path, formats: tuple[Format, ...]) -> tuple[float,
                                                                                          float]:
    shutil.rmtree(out, ignore_errors=True)
    wall, cpu = time.perf_counter(), time.process_time()
    outcome = write_letters([csv], [standards], out, formats, jobs=1)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if outcome.problems or not outcome.written:
        raise SystemExit(f"the run failed: {outcome.problems[:3]}")
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=150)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        csv = distinct_csv(EXAMPLE_CSV, tmp / "cases.csv", args.letters)
        standards = _standards(tmp)
        paths = {"pdf": (Format.pdf,), "pdf+memo": (Format.pdf, Format.memo)}
        for name, formats in paths.items():  # warm: imports, templates, the form's renderer
            _round(csv, standards, tmp / name, formats)
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in paths}
        for _ in range(args.repeat):
            for name, formats in paths.items():
                times[name].append(_round(csv, standards, tmp / name, formats))
        sizes = [p.stat().st_size for p in (tmp / "pdf+memo").glob("*.memo.xml")]
    figures: dict[str, Any] = {}
    print(f"{args.letters} letters, {args.repeat} rounds, jobs=1 (medians)")
    for name, rounds in times.items():
        wall = statistics.median(w for w, _ in rounds)
        cpu = statistics.median(c for _, c in rounds)
        figures[name] = {"wall_s": wall, "cpu_ms_per_letter": cpu / args.letters * 1000}
        print(f"  {name:9} {wall:6.2f} s wall   {cpu / args.letters * 1000:6.1f} ms CPU a letter")
    ratio = figures["pdf+memo"]["wall_s"] / figures["pdf"]["wall_s"]
    cpu_ratio = figures["pdf+memo"]["cpu_ms_per_letter"] / figures["pdf"]["cpu_ms_per_letter"]
    figures["ratio_wall"], figures["ratio_cpu"] = ratio, cpu_ratio
    figures["message_kb_median"] = statistics.median(sizes) / 1024
    print(f"  adding memo costs {ratio:.2f}x the PDF-only time ({cpu_ratio:.2f}x CPU); "
          f"a message is {figures['message_kb_median']:.0f} kB (median, PDFs inside)")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
