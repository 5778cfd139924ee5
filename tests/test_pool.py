"""The batch pool (``standardgen.core.pool``): every task done once, this process working beside the
workers, a worker that dies or a task that raises reported, and SIGTERM never leaving a process
behind. The task functions live here: spawned workers import this module to find them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections import Counter
from pathlib import Path

import pytest

from standardgen.core.pool import Pool, TaskFailed, WorkerDied, running

ROOT = Path(__file__).resolve().parent.parent


def _setup(delay: float) -> None:
    global _delay
    _delay = delay


_delay = 0.0


def _square(n: int) -> tuple[int, int]:
    time.sleep(_delay)
    return os.getpid(), n * n


def _die_on_seven(n: int) -> tuple[int, int]:
    if n == 7:
        os.kill(os.getpid(), signal.SIGKILL)
    return _square(n)


def _raise_on_three(n: int) -> tuple[int, int]:
    if n == 3:
        raise ValueError("tre er forbudt")
    return _square(n)


def _collect(pool: Pool[int, tuple[int, int]], items: range, local: bool
             ) -> tuple[Counter[int], set[int]]:
    seen: Counter[int] = Counter()
    pids: set[int] = set()

    def done(item: int, result: tuple[int, int]) -> None:
        pid, square = result
        assert square == item * item
        seen[item] += 1
        pids.add(pid)

    pool.map(items, done, local=_slow_local if local else None)
    return seen, pids


def _slow_local(n: int) -> tuple[int, int]:
    """This process's share, slow enough that the workers have started long before it could
    do every task alone (10 s), even on a loaded machine."""
    time.sleep(0.05)
    return os.getpid(), n * n


@pytest.mark.parametrize("local", [True, False])
def test_every_task_is_done_exactly_once(local: bool) -> None:
    with running(2, _square, _setup, (0.01,)) as pool:
        assert pool is not None
        seen, pids = _collect(pool, range(200), local)
    assert seen == Counter(range(200))
    workers = pids - {os.getpid()}
    assert workers, "no task went to a worker"
    assert (os.getpid() in pids) is local


def test_a_worker_gets_nothing_before_it_is_ready() -> None:
    """A batch this process finishes while the worker is still setting up (here: for 300 s) is
    done here alone, and the worker is stopped at once instead of being waited for."""
    began = time.monotonic()
    with running(1, _square, time.sleep, (300.0,)) as pool:
        assert pool is not None
        seen, pids = _collect(pool, range(20), local=True)
    assert seen == Counter(range(20))
    assert pids == {os.getpid()}
    # Not a speed target (that is benchmarks/): a deadline far from the ~1 s this takes and far
    # from the 300 s a wait for the worker would take, so only that hang fails it.
    assert time.monotonic() - began < 120


def test_workers_are_stopped_when_the_block_ends() -> None:
    with running(2, _square, _setup, (0.0,)) as pool:
        assert pool is not None
        _collect(pool, range(10), local=False)
        processes = list(pool._processes)
    assert all(process.exitcode is not None for process in processes)


def test_a_worker_that_dies_is_reported_with_the_tasks_it_may_not_have_done() -> None:
    seen: Counter[int] = Counter()
    with pytest.raises(WorkerDied) as caught, running(1, _die_on_seven, _setup, (0.0,)) as pool:
        assert pool is not None
        pool.map(range(20), lambda item, result: seen.update([item]))
    lost = caught.value.lost
    assert 7 in lost
    assert caught.value.exitcode == -signal.SIGKILL
    assert "arbejdsproces stoppede uventet" in str(caught.value)
    # Nothing is both answered and lost, and nothing given out is forgotten.
    assert not set(lost) & set(seen)
    given = set(seen) | set(lost)
    assert given == set(range(max(given) + 1))


def test_a_task_that_raises_stops_the_run_with_its_message() -> None:
    with pytest.raises(TaskFailed, match="ValueError: tre er forbudt"), \
            running(2, _raise_on_three, _setup, (0.0,)) as pool:
        assert pool is not None
        pool.map(range(10), lambda item, result: None)
    assert pool is not None
    assert all(process.exitcode is not None for process in pool._processes)


SCRIPT = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {tests!r})
    from test_pool import _setup, _square
    from standardgen.core.pool import running

    if __name__ == "__main__":
        _setup(0.05)  # this process's tasks as slow as the workers'
        with running(2, _square, _setup, (0.05,)) as pool:
            assert pool is not None
            print("started", *(p.pid for p in pool._processes), flush=True)
            pool.map(range(10_000), lambda item, result: None, local=_square)
""")


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("after", [0.0, 0.3, 1.5])  # while the workers start, and later
@pytest.mark.parametrize("group", [True, False])  # kill's whole group, or the main process only
def test_sigterm_ends_the_main_process_and_every_worker(tmp_path: Path, after: float,
                                                         group: bool) -> None:
    script = tmp_path / "run.py"
    script.write_text(SCRIPT.format(tests=str(ROOT / "tests")), encoding="utf-8")
    process = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, start_new_session=True,
                               env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert process.stdout is not None
    workers = [int(pid) for pid in process.stdout.readline().split()[1:]]
    assert len(workers) == 2
    time.sleep(after)
    if group:
        os.killpg(process.pid, signal.SIGTERM)
    else:
        os.kill(process.pid, signal.SIGTERM)
    try:
        _, stderr = process.communicate(timeout=30)
    finally:
        for pid in [process.pid, *workers]:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
    assert process.returncode == 128 + signal.SIGTERM, stderr.decode()[-500:]
    assert not any(_alive(pid) for pid in workers)
    assert b"Traceback" not in stderr
