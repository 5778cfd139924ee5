"""The part of a form batch that renders and writes: in the worker processes and in the main
process beside them (``standardgen.core.pool``).

A worker gets each form as its HTML (the case's context holds model classes made at run time,
which do not pickle) and, when a Word form is asked for, the finished ``.docx`` (docxtpl needs
the context; the main process renders it). It renders the PDF, checks it against the field
contract, and writes a chunk's files with one wait for the disk (``write_all_atomic``). A broken
template contract is a result, not an exception, so the main process can report it as it always
has.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from standardgen.core.fileio import child, os_error_message, write_all_atomic
from standardgen.forms.render import FormRenderer, TemplateContractError

SUFFIX = "-opfoelgning"
FILE_MODE = 0o600  # the forms carry personal data


@dataclass(frozen=True)
class Task:
    """One form: its file name stem (the case number), what to render or write."""

    stem: str
    html: str | None  # the PDF form's HTML; None when no PDF is asked for
    goals: int
    docx: bytes | None  # the Word form, already rendered; None when none is asked for


@dataclass(frozen=True)
class Setup:
    """What a worker needs to make the same forms as the main process."""

    out: Path
    folder: Path
    field_font: bool = True


@dataclass
class Outcome:
    written: list[Path] = field(default_factory=list)
    failed: list[tuple[Path, str]] = field(default_factory=list)  # file and why
    contract: str | None = None  # the template breaks the field contract (nothing written)


Chunk = tuple[int, Sequence[Task]]  # a chunk's number (to keep the plan's order) and its forms


def output_path(out: Path, case_number: str, extension: str) -> Path:
    return child(out, f"{case_number}{SUFFIX}.{extension}")


class ChunkWriter:
    def __init__(self, setup: Setup, renderer: FormRenderer | None = None) -> None:
        self.setup = setup
        self.renderer = renderer or FormRenderer(setup.folder, field_font=setup.field_font)

    def __call__(self, chunk: Chunk) -> Outcome:
        """Render every form of the chunk, then write all their files."""
        files: list[tuple[Path, bytes]] = []
        try:
            for task in chunk[1]:
                if task.html is not None:
                    files.append((output_path(self.setup.out, task.stem, "pdf"),
                                  self.renderer.pdf_of(task.html, task.goals)))
                if task.docx is not None:
                    files.append((output_path(self.setup.out, task.stem, "docx"), task.docx))
        except TemplateContractError as exc:
            return Outcome(contract=str(exc))
        outcome = Outcome()
        for (path, _), error in zip(files, write_all_atomic(files, mode=FILE_MODE), strict=True):
            if error is None:
                outcome.written.append(path)
            else:
                outcome.failed.append((path, os_error_message(error)))
        return outcome


_writer: ChunkWriter | None = None


def init_worker(setup: Setup) -> None:
    """A worker's set-up (``pool.Pool``): WeasyPrint, the stylesheets and the field font, once;
    then all of it is kept out of the garbage collector's way (``pdf.long_lived_heap``)."""
    global _writer
    _writer = ChunkWriter(setup)
    _writer.renderer.prepare_pdf()
    gc.freeze()  # for the worker's whole life: it ends with the batch


def write_chunk(chunk: Chunk) -> Outcome:
    assert _writer is not None, "worker not initialised"
    return _writer(chunk)
