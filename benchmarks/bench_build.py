"""Benchmark: ``standardgen build`` and ``check`` on 50 standards, against the targets.

Generates variants of the real standard (own slug, title and a changed paragraph each) in a
temporary folder and times, as the median of several runs of the real command line (a fresh
process each, as CI and staff run it):

- the full build (empty output folder),
- the no-op rebuild (nothing changed),
- ``standardgen check`` of the same 50 files;

and, in one process, the cost of conformance: the CPU time of the standard's PDF as PDF/A-2a
with PDF/UA-1 (what the build writes) against PDF/UA-1 alone, as a ratio.

Targets on a 2-core machine: full build <= 8 s, no-op rebuild <= 0.5 s, check <= 1 s.
Usage: ``python benchmarks/bench_build.py [--standards 50] [--runs 3] [--json]``.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml
from timing import cpu_ms_per_call, with_children_cpu

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "standards" / "aktivitets-og-samvaerstilbud.yaml"
TARGETS = {"full build": 8.0, "no-op rebuild": 0.5, "check": 1.0}


def make_sources(folder: Path, count: int) -> Path:
    standards = folder / "standards"
    shutil.copytree(ROOT / "standards" / "municipalities", standards / "municipalities")
    data = yaml.safe_load(REAL.read_text(encoding="utf-8"))
    for n in range(count):
        variant = dict(data)
        variant["slug"] = f"standard-{n:02d}"
        variant["title"] = f"Kvalitetsstandard: Variant {n} af aktivitets- og samværstilbud"
        sections = [dict(s) for s in data["sections"]]
        sections[0]["content"] = [*sections[0]["content"], f"Variant nummer {n} har egen tekst."]
        variant["sections"] = sections
        path = standards / f"standard-{n:02d}.yaml"
        path.write_text(yaml.safe_dump(variant, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
    return standards


def run(*args: str, cwd: Path, cpu: list[float]) -> float:
    """Wall time of one run; its CPU time (user + system, all its processes) goes to ``cpu``."""
    done, timing = with_children_cpu(lambda: subprocess.run(
        [sys.executable, "-m", "standardgen", *args], cwd=cwd, capture_output=True, text=True))
    if done.returncode != 0:
        raise SystemExit(f"standardgen {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    cpu.append(timing.cpu)
    return timing.wall


def measure(count: int, runs: int) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    times: dict[str, list[float]] = {name: [] for name in TARGETS}
    cpu: dict[str, list[float]] = {name: [] for name in TARGETS}
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        folder = Path(tmp)
        make_sources(folder, count)
        build = ("build", "standards", "--out", "output", "--base-url", "https://example.dk/")
        for _ in range(runs):
            shutil.rmtree(folder / "output", ignore_errors=True)
            times["full build"].append(run(*build, cwd=folder, cpu=cpu["full build"]))
        for _ in range(max(runs, 5)):
            times["no-op rebuild"].append(run(*build, cwd=folder, cpu=cpu["no-op rebuild"]))
            times["check"].append(run("check", "standards", cwd=folder, cpu=cpu["check"]))
    return times, cpu


def conformance_cost(rounds: int = 5, renders: int = 5) -> dict[str, float]:
    """CPU ms per PDF of the real standard, UA-1 alone and PDF/A-2a + UA-1, interleaved rounds."""
    sys.path.insert(0, str(ROOT / "src"))
    from standardgen.core.templates import templates_dir
    from standardgen.publish.documents import Renderer
    from standardgen.render.pdf import ARCHIVAL, UA
    from standardgen.standards.catalogue import load_catalogue

    [item] = load_catalogue([REAL]).standards
    renderer = Renderer(templates_dir(), "https://example.dk/")
    times: dict[str, list[float]] = {UA: [], ARCHIVAL: []}
    for variant in times:
        renderer.pdf(item, variant=variant)  # warm: fonts, stylesheet, imports
    for _ in range(rounds):
        for variant, values in times.items():
            values.append(cpu_ms_per_call(functools.partial(renderer.pdf, item, variant=variant),
                                          renders))
    ua, both = statistics.median(times[UA]), statistics.median(times[ARCHIVAL])
    return {"ua1_ms": round(ua, 1), "pdfa2a_ua1_ms": round(both, 1),
            "ratio": round(both / ua, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--standards", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    options = parser.parse_args()
    load_before = os.getloadavg()[0]
    times, cpu = measure(options.standards, options.runs)
    cost = conformance_cost()
    # Other work on the machine slows every figure: print the load so a reader can judge them.
    load = {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)}
    results: dict[str, dict[str, Any]] = {name: {"median_s": round(statistics.median(values), 3),
                      "runs_s": [round(v, 3) for v in values],
                      "target_s": TARGETS[name],
                      "ratio": round(statistics.median(values) / TARGETS[name], 3),
                      "cpu_median_s": round(statistics.median(cpu[name]), 3)}
               for name, values in times.items()}
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if options.json:
        print(json.dumps({"standards": options.standards, "cores": cores, "load_average": load,
                          "results": results, "conformance_cost": cost}, indent=2))
        return
    print(f"{options.standards} standards, {cores} cores, median of the runs; "
          f"load average {load['before']} before, {load['after']} after")
    print(f"{'':16} {'median':>9} {'target':>9} {'ratio':>7} {'cpu':>9}")
    for name, result in results.items():
        verdict = "ok" if result["ratio"] <= 1 else "OVER"
        print(f"{name:16} {result['median_s']:>8.3f}s {result['target_s']:>8.2f}s "
              f"{result['ratio']:>7.2f} {result['cpu_median_s']:>8.3f}s  {verdict}")
    print("cpu: user + system time of all the command's processes (the PDF workers too); on an "
          "idle machine the full build's wall time is about its serial part plus the rest / cores")
    print(f"cost of conformance, CPU per standard PDF: PDF/UA-1 alone {cost['ua1_ms']} ms, "
          f"PDF/A-2a + PDF/UA-1 {cost['pdfa2a_ua1_ms']} ms, ratio {cost['ratio']}")


if __name__ == "__main__":
    main()
