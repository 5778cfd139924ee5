"""Timing shared by the benchmarks: medians of timed rounds, wall and CPU time, the side-by-side
table.

The scripts run as ``python benchmarks/bench_x.py``, so this folder is on ``sys.path`` and they
``import timing``. Standard library only.
"""

from __future__ import annotations

import resource
import socket
import statistics
import subprocess
import time
from collections.abc import Callable, Mapping
from typing import NamedTuple, TypeVar

T = TypeVar("T")


def median_ms(work: Callable[[], object], runs: int) -> float:
    """Median wall time of ``runs`` calls of ``work`` in ms, after one call that warms caches
    (templates, wording, imports)."""
    work()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def cpu_ms_per_call(work: Callable[[], object], calls: int) -> float:
    """CPU time of this process per call, in ms, over ``calls`` calls of ``work`` in a row."""
    start = time.process_time()
    for _ in range(calls):
        work()
    return (time.process_time() - start) / calls * 1000


class Timing(NamedTuple):
    wall: float  # seconds
    cpu: float  # user + system seconds (of the processes each function names)


def with_children_cpu(action: Callable[[], T]) -> tuple[T, Timing]:
    """Run ``action``: its result, wall time and the CPU time of the processes it waited for."""
    before = _children_cpu()
    start = time.perf_counter()
    result = action()
    elapsed = time.perf_counter() - start
    return result, Timing(elapsed, _children_cpu() - before)


def timed(action: Callable[[], object]) -> Timing:
    """Wall time of ``action`` and the CPU time of this process and of every process it waited
    for (user + system): on a shared machine CPU time moves much less than wall time."""
    cpu, start = _process_tree_cpu(), time.perf_counter()
    action()
    return Timing(time.perf_counter() - start, _process_tree_cpu() - cpu)


def _process_tree_cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime + _children_cpu()


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def print_ratio_table(rows: Mapping[str, float], *, width: int, ratio: str, digits: int,
                      ratio_digits: int) -> None:
    """Print each step's median ms and its ratio to the first row (the baseline).

    ``width`` is the step column's, ``ratio`` the ratio column's heading; ``digits`` and
    ``ratio_digits`` the decimals of the two figures.
    """
    base = next(iter(rows.values()))
    columns = len(ratio) + 1
    print(f"{'step':{width}} {'median ms':>10} {ratio:>{columns}}")
    for step, value in rows.items():
        print(f"{step:{width}} {value:10.{digits}f} {value / base:{columns}.{ratio_digits}f}")


def wait_until_up(host: str, port: int, server: subprocess.Popen[bytes]) -> None:
    """Wait (at most 60 s) until ``server`` accepts connections on ``host:port``; stop the
    benchmark with its error output if it ends first."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            message = server.stderr.read().decode() if server.stderr else ""
            raise SystemExit(f"the desk did not start: {message}")
        try:
            with socket.create_connection((host, port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the desk did not start within 60 s")
