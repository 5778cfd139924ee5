"""Render finished letters to files, in this process or spread over a pool of processes.

The main process reads and checks the cases and builds each letter's content; the workers only
render (Typst for PDF, the compiled Word body) and write. Workers are started with ``spawn``,
build their renderers once, import neither the case model nor docxtpl, and are replaced after a
number of chunks, so memory stays flat over a long batch. Chunks are submitted a few at a time,
so the main process never holds more than a few chunks of letters either.

Every file is written to a hidden temporary name and renamed (``write_atomic``), so a killed
run leaves only whole files; the next run removes stale temporary files and writes every letter
again (the output is byte-identical for the same input, and a letter takes a few milliseconds).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from standardgen.fileio import write_atomic
from standardgen.letters.docx import CompiledDocx, DocxRenderError
from standardgen.letters.letter import Letter
from standardgen.letters.pdf import RenderError
from standardgen.problems import Problem, Severity

CHUNK = 25
TASKS_PER_WORKER = 40  # chunks; then the worker process is replaced
SERIAL_BELOW = 2 * CHUNK  # smaller batches render in-process: starting workers costs more


class Format(StrEnum):
    pdf = "pdf"
    docx = "docx"


@dataclass(frozen=True)
class Job:
    """What a worker needs: formats, where to write, the compiled Word template."""

    formats: tuple[Format, ...]
    out: Path
    templates: Path
    docx: CompiledDocx | None = None


Item = tuple[Letter, str]  # a letter and its case's origin ("file:line") for messages


class Renderer:
    def __init__(self, job: Job) -> None:
        self.job = job
        self.pdf: Any = None
        self.docx: Any = None
        if Format.pdf in job.formats:
            from standardgen.letters.pdf import PdfLetterRenderer

            self.pdf = PdfLetterRenderer(job.templates)
        if Format.docx in job.formats:
            from standardgen.letters.docx import DocxLetterRenderer

            self.docx = DocxLetterRenderer(job.docx)

    def render(self, items: Sequence[Item]) -> list[Problem]:
        problems = []
        for letter, origin in items:
            try:
                self._one(letter)
            except (RenderError, DocxRenderError, OSError) as exc:
                problems.append(render_problem(origin, str(exc)))
        return problems

    def _one(self, letter: Letter) -> None:
        outputs: list[tuple[Path, bytes]] = []
        if self.pdf is not None:
            outputs.append((output_path(self.job.out, letter.case_number, Format.pdf),
                            self.pdf.render(letter)))
        if self.docx is not None:
            outputs.append((output_path(self.job.out, letter.case_number, Format.docx),
                            self.docx.render(letter)))
        for path, data in outputs:  # both rendered before either is written
            write_atomic(path, data, mode=0o600)


def render_problem(origin: str, message: str) -> Problem:
    file, _, line = origin.rpartition(":")
    file, line = (file, line) if line.isdigit() else (origin, "0")
    return Problem(file, int(line), 0, Severity.ERROR, f"brevet kunne ikke skrives: {message}",
                   "render")


def output_path(out: Path, case_number: str, fmt: Format) -> Path:
    """``<out>/<case number>.<fmt>``: never a name or a CPR number (the rules check that)."""
    return out / f"{case_number}.{fmt.value}"


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

_renderer: Renderer | None = None


def _init_worker(job: Job) -> None:
    global _renderer
    # A terminated batch must not leave a torn temporary file: SystemExit runs write_atomic's
    # clean-up, where the default SIGTERM action would end the process on the spot.
    signal.signal(signal.SIGTERM, _exit_cleanly)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process decides what Ctrl-C means
    _renderer = Renderer(job)


def _exit_cleanly(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _render_chunk(items: Sequence[Item]) -> list[Problem]:
    assert _renderer is not None, "worker not initialised"
    return _renderer.render(items)


def chunks(items: Iterable[Item], size: int = CHUNK) -> Iterator[list[Item]]:
    chunk: list[Item] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def render_all(job: Job, items: Iterable[Item], total: int, jobs: int,
               progress: Callable[[int], None] = lambda n: None) -> list[Problem]:
    """Render and write every item; problems for the ones that failed."""
    job.out.mkdir(parents=True, exist_ok=True, mode=0o700)
    remove_stale_temporaries(job.out)
    if jobs <= 1 or total < SERIAL_BELOW:
        renderer, problems = Renderer(job), []
        for chunk in chunks(items):
            problems += renderer.render(chunk)
            progress(len(chunk))
        return problems
    return _pool(job, items, jobs, progress)


def _pool(job: Job, items: Iterable[Item], jobs: int,
          progress: Callable[[int], None]) -> list[Problem]:
    problems: list[Problem] = []
    previous = signal.signal(signal.SIGTERM, _exit_cleanly)
    executor = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_init_worker, initargs=(job,),
                                   max_tasks_per_child=TASKS_PER_WORKER)
    try:
        pending: dict[Future[list[Problem]], int] = {}
        for chunk in chunks(items):
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
