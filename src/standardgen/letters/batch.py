"""Render many letters: checked first, then spread over the cores, written atomically.

Every case is checked before anything is rendered; a bad case is reported and skipped, the good
ones are written. Work goes to a pool of spawned processes in chunks: each worker builds its
renderers once (Typst compiler, compiled Word body) and is replaced after a number of chunks, so
memory stays flat over long batches. Chunks are submitted a few at a time, never all at once.

Re-running a batch renders every letter again (the output is byte-identical for the same input,
and a letter takes a few milliseconds); a killed run leaves only whole files, because each file is
written to a hidden temporary name and renamed, and the next run removes stale temporary files.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from standardgen.case import Case
from standardgen.catalogue import LoadedStandard
from standardgen.fileio import write_atomic
from standardgen.problems import Problem, Severity

CHUNK = 25
TASKS_PER_WORKER = 40  # chunks; then the worker process is replaced (memory stays flat)
SERIAL_BELOW = 2 * CHUNK  # smaller batches render in-process: starting workers costs more


class Format(StrEnum):
    pdf = "pdf"
    docx = "docx"


@dataclass(frozen=True)
class Job:
    """What a worker needs: the standards by slug, the formats and where to write."""

    standards: dict[str, LoadedStandard]
    formats: tuple[Format, ...]
    out: Path
    templates: Path | None = None


Item = tuple[Case, str]  # the case and its origin ("file:line") for messages


class _Worker:
    def __init__(self, job: Job) -> None:
        from standardgen.letters.wording import load_wording

        self.job = job
        self.wording = load_wording(job.templates)
        self.pdf: Any = None
        self.docx: Any = None
        if Format.pdf in job.formats:
            from standardgen.letters.pdf import PdfLetterRenderer

            self.pdf = PdfLetterRenderer(job.templates)
        if Format.docx in job.formats:
            from standardgen.letters.docx import DocxLetterRenderer

            self.docx = DocxLetterRenderer(job.templates)

    def render(self, items: Sequence[Item]) -> list[Problem]:
        problems = []
        for case, origin in items:
            try:
                self._one(case)
            except _RENDER_ERRORS as exc:
                problems.append(_problem(origin, str(exc)))
        return problems

    def _one(self, case: Case) -> None:
        from standardgen.letters.content import build_letter

        letter = build_letter(case, self.job.standards[case.standard], self.wording)
        outputs: list[tuple[Path, bytes]] = []
        if self.pdf is not None:
            outputs.append((output_path(self.job.out, case, Format.pdf),
                            self.pdf.render(letter, case.decision_date)))
        if self.docx is not None:
            outputs.append((output_path(self.job.out, case, Format.docx),
                            self.docx.render(letter)))
        for path, data in outputs:  # both rendered before either is written
            write_atomic(path, data, mode=0o600)


def _render_errors() -> tuple[type[Exception], ...]:
    from standardgen.letters.docx import DocxRenderError
    from standardgen.letters.pdf import RenderError
    from standardgen.letters.wording import WordingError

    return (RenderError, DocxRenderError, WordingError, OSError)


_RENDER_ERRORS = _render_errors()


def _problem(origin: str, message: str) -> Problem:
    file, _, line = origin.rpartition(":")
    file, line = (file, line) if line.isdigit() else (origin, "0")
    return Problem(file, int(line), 0, Severity.ERROR, f"brevet kunne ikke skrives: {message}",
                   "render")


def output_path(out: Path, case: Case, fmt: Format) -> Path:
    """``<out>/<case number>.<fmt>``: never a name or a CPR number (the rules check that)."""
    return out / f"{case.case_number}.{fmt.value}"


def remove_stale_temporaries(out: Path) -> int:
    """Temporary files a killed run left behind (``write_atomic`` names them ``.<name>.*.tmp``)."""
    removed = 0
    if out.is_dir():
        for path in out.glob(".*.tmp"):
            if any(f".{fmt.value}." in path.name for fmt in Format):
                path.unlink(missing_ok=True)
                removed += 1
    return removed


# --- the pool ----------------------------------------------------------------------------------

_worker: _Worker | None = None


def _init_worker(job: Job) -> None:
    global _worker
    # A terminated batch must not leave a torn temporary file: SystemExit runs write_atomic's
    # clean-up, where the default SIGTERM action would kill the process on the spot.
    signal.signal(signal.SIGTERM, _exit_cleanly)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what Ctrl-C means
    _worker = _Worker(job)


def _exit_cleanly(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _render_chunk(items: Sequence[Item]) -> list[Problem]:
    assert _worker is not None, "worker not initialised"
    return _worker.render(items)


def _chunks(items: Sequence[Item], size: int) -> Iterator[Sequence[Item]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def render_all(job: Job, items: Sequence[Item], jobs: int,
               progress: Callable[[int], None] = lambda n: None) -> list[Problem]:
    """Render and write every item; problems for the ones that failed."""
    job.out.mkdir(parents=True, exist_ok=True, mode=0o700)
    remove_stale_temporaries(job.out)
    if jobs <= 1 or len(items) < SERIAL_BELOW:
        worker, problems = _Worker(job), []
        for chunk in _chunks(items, CHUNK):
            problems += worker.render(chunk)
            progress(len(chunk))
        return problems
    return _pool(job, items, jobs, progress)


def _pool(job: Job, items: Sequence[Item], jobs: int,
          progress: Callable[[int], None]) -> list[Problem]:
    problems: list[Problem] = []
    context = multiprocessing.get_context("spawn")
    previous = signal.signal(signal.SIGTERM, _exit_cleanly)
    executor = ProcessPoolExecutor(jobs, mp_context=context, initializer=_init_worker,
                                   initargs=(job,), max_tasks_per_child=TASKS_PER_WORKER)
    try:
        pending: dict[Future[list[Problem]], int] = {}
        chunks = _chunks(items, CHUNK)
        for chunk in chunks:
            pending[executor.submit(_render_chunk, chunk)] = len(chunk)
            if len(pending) >= 2 * jobs:
                problems += _collect(pending, progress)
        while pending:
            problems += _collect(pending, progress)
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
        signal.signal(signal.SIGTERM, previous)
    return problems


def _collect(pending: dict[Future[list[Problem]], int],
             progress: Callable[[int], None]) -> list[Problem]:
    done, _ = wait(pending, return_when=FIRST_COMPLETED)
    problems = []
    for future in done:
        problems += future.result()
        progress(pending.pop(future))
    return problems


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


__all__ = ["Format", "Job", "default_jobs", "output_path", "render_all"]
