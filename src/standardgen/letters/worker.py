"""The part of a letter batch that runs in the worker processes: render and write.

Kept lean on purpose (no case model, no pydantic, no docxtpl): every worker imports only this
module, the letter dataclasses and the two renderers, so each stays small. Failures come back as
``(origin, message)`` pairs; the main process turns them into problems.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any

from standardgen.fileio import write_atomic
from standardgen.letters.docx import CompiledDocx, DocxRenderError
from standardgen.letters.letter import Letter
from standardgen.letters.pdf import RenderError


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
Failure = tuple[str, str]  # origin and a message without personal data


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

    def render(self, items: Sequence[Item]) -> list[Failure]:
        failures = []
        for letter, origin in items:
            try:
                self._one(letter)
            except (RenderError, DocxRenderError, OSError) as exc:
                failures.append((origin, str(exc)))
        return failures

    def _one(self, letter: Letter) -> None:
        outputs: list[tuple[Path, bytes]] = []
        if self.pdf is not None:
            outputs.append((output_path(self.job.out, letter.file_stem, Format.pdf),
                            self.pdf.render(letter)))
        if self.docx is not None:
            outputs.append((output_path(self.job.out, letter.file_stem, Format.docx),
                            self.docx.render(letter)))
        for path, data in outputs:  # both rendered before either is written
            write_atomic(path, data, mode=0o600)


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



_renderer: Renderer | None = None
ORPHAN_GRACE = 5.0  # seconds a worker whose main process died has to end cleanly


def init_worker(job: Job) -> None:
    global _renderer
    # A terminated batch must not leave a torn temporary file: SystemExit runs write_atomic's
    # clean-up, where the default SIGTERM action would end the process on the spot.
    signal.signal(signal.SIGTERM, exit_cleanly)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process decides what Ctrl-C means
    _watch_parent()
    _renderer = Renderer(job)


def _watch_parent() -> None:
    """End this worker when the main process is gone. A main process killed with SIGKILL
    cannot stop its pool, and a worker waiting for its next task would wait for ever (it holds
    the task queue's pipe open itself); so a thread waits on the parent's sentinel, which
    becomes ready when the parent exits, and then ends the worker as SIGTERM does."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    main = threading.main_thread().ident
    assert main is not None

    def watch() -> None:
        wait([parent.sentinel])
        # To the main thread itself: a signal the kernel hands to this thread would not wake a
        # main thread blocked reading the task queue. Then, if it still runs (a result it tries
        # to send back can block on a full pipe), end it outright.
        if hasattr(signal, "pthread_kill"):  # POSIX; elsewhere straight to the end
            signal.pthread_kill(main, signal.SIGTERM)
            time.sleep(ORPHAN_GRACE)
        os._exit(128 + signal.SIGTERM)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


def exit_cleanly(signum: int, frame: object) -> None:
    # Ignore any further SIGTERM: the pool terminates its remaining workers when one exits, and a
    # second signal arriving inside write_atomic's clean-up would leave a temporary file behind.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise SystemExit(128 + signum)


def render_chunk(items: Sequence[Item]) -> list[Failure]:
    assert _renderer is not None, "worker not initialised"
    return _renderer.render(items)
