"""The part of a letter batch that runs in the worker processes: render and write.

Kept lean on purpose (no case model, no pydantic, no docxtpl): every worker imports only this
module, the letter dataclasses and the two renderers, so each stays small. Failures come back as
``(origin, message)`` pairs; the main process turns them into problems.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from standardgen.core.fileio import child, remove_temporaries, write_all_atomic
from standardgen.letters.docx import CompiledDocx, DocxRenderError
from standardgen.letters.letter import Letter
from standardgen.letters.memo import MemoError
from standardgen.letters.pdf import RenderError


class Format(StrEnum):
    pdf = "pdf"
    docx = "docx"
    #: The Digital Post message (``letters.memo``): it holds the PDF, so the PDF is written too.
    memo = "memo"


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
        self.form: Any = None  # the follow-up form's renderer, made with the first form
        self.remote_print: Any = None
        if Format.memo in job.formats:
            import yaml

            from standardgen.letters.memo import remote_print

            settings = yaml.safe_load((job.templates / "letter" / "print.yaml").read_text(
                encoding="utf-8"))
            self.remote_print = remote_print(settings)
        if Format.pdf in job.formats or Format.memo in job.formats:
            from standardgen.letters.pdf import PdfLetterRenderer

            self.pdf = PdfLetterRenderer(job.templates)
        if Format.docx in job.formats:
            from standardgen.letters.docx import DocxLetterRenderer

            self.docx = DocxLetterRenderer(job.docx)

    def render(self, items: Sequence[Item]) -> list[Failure]:
        """Render every letter of a chunk, then write all their files with one wait for the
        disk (``write_all_atomic``): per file, that wait cost more than a PDF's rendering."""
        failures: list[Failure] = []
        files: list[tuple[Path, bytes]] = []
        owners: list[str] = []
        for letter, origin in items:
            try:
                outputs = self._outputs(letter)
            except (RenderError, DocxRenderError, MemoError) as exc:
                failures.append((origin, str(exc)))
                continue
            files += outputs
            owners += [origin] * len(outputs)
        failed: set[str] = set()
        for origin, error in zip(owners, write_all_atomic(files, mode=0o600), strict=True):
            if error is not None and origin not in failed:
                failed.add(origin)
                failures.append((origin, str(error)))
        return failures

    def _outputs(self, letter: Letter) -> list[tuple[Path, bytes]]:
        """Every format of one letter, all rendered before any is written."""
        outputs: list[tuple[Path, bytes]] = []
        if self.pdf is not None:
            pdf = self.pdf.render(letter)
            outputs.append((output_path(self.job.out, letter.file_stem, Format.pdf), pdf))
            if self.remote_print is not None:
                outputs.append(self._memo(letter, pdf))
        if self.docx is not None:
            outputs.append((output_path(self.job.out, letter.file_stem, Format.docx),
                            self.docx.render(letter)))
        return outputs

    def _memo(self, letter: Letter, pdf: bytes) -> tuple[Path, bytes]:
        from standardgen.letters import memo

        dispatch = letter.dispatch
        if dispatch is None:  # the run refuses memo without a CVR number before it starts
            raise RenderError("Digital Post-beskeden mangler kommunens CVR-nummer")
        form = None
        if dispatch.form is not None:
            if self.form is None:
                from standardgen.forms.render import FormRenderer

                self.form = FormRenderer(self.job.templates)
            form = (dispatch.form.label,
                    self.form.pdf_of(dispatch.form.html, dispatch.form.goal_count))
        data = memo.render(letter.title, letter.file_stem, dispatch, pdf, self.remote_print,
                           form)
        return memo.output_path(self.job.out, letter.file_stem), data


def output_path(out: Path, case_number: str, fmt: Format) -> Path:
    """``<out>/<case number>.<fmt>``: never a name or a CPR number (the rules check that)."""
    return child(out, f"{case_number}.{fmt.value}")


def remove_stale_temporaries(out: Path) -> int:
    """Temporary letter files a killed run left behind."""
    return remove_temporaries(out, (".pdf", ".docx", ".xml"))


_renderer: Renderer | None = None


def init_worker(job: Job) -> None:
    """A worker's set-up (``pool.Pool``): the renderers, once."""
    global _renderer
    _renderer = Renderer(job)


def render_chunk(items: Sequence[Item]) -> list[Failure]:
    assert _renderer is not None, "worker not initialised"
    return _renderer.render(items)
