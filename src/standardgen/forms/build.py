"""``standardgen form``: every case in, one follow-up form per case out.

Everything is read and checked first (cases, standards, which cases are due); only then are the
forms rendered and written. A bad case is reported and skipped; the good ones are still written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from standardgen.cases.check import CaseChecker
from standardgen.cases.model import Case, CaseSource
from standardgen.cases.read import load_cases
from standardgen.core.codes import Code
from standardgen.core.fileio import folder_lock, private_dir, remove_temporaries
from standardgen.core.pool import cores, run_all, running, sigterm_exits
from standardgen.core.problems import Problem, Severity, display_path, errors
from standardgen.forms import fields
from standardgen.forms.context import form_context
from standardgen.forms.render import FormRenderer, TemplateContractError
from standardgen.forms.worker import (
    FILE_MODE,
    SUFFIX,
    Chunk,
    ChunkWriter,
    Outcome,
    Setup,
    Task,
    init_worker,
    output_path,
    write_chunk,
)
from standardgen.render.pdf import long_lived_heap
from standardgen.standards.catalogue import LoadedStandard, load_catalogue

__all__ = [
    "DEFAULT_OUT",
    "FILE_MODE",
    "SUFFIX",
    "FormPlan",
    "Format",
    "output_path",
    "plan_forms",
    "write_forms",
]

DEFAULT_OUT = Path("output/forms")


class Format(StrEnum):
    pdf = "pdf"
    docx = "docx"
    both = "both"

    @property
    def extensions(self) -> tuple[str, ...]:
        return ("pdf", "docx") if self is Format.both else (self.value,)


@dataclass(frozen=True)
class FormJob:
    case_number: str
    context: dict[str, Any]


@dataclass
class FormPlan:
    """What will be written, and everything found while reading."""

    jobs: list[FormJob] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    not_due: int = 0
    read: int = 0  # cases read, refused ones too


def plan_forms(paths: Iterable[Path], standards: Sequence[Path],
               due_before: dt.date | None = None) -> FormPlan:
    catalogue = load_catalogue(standards)
    by_slug = {loaded.slug: loaded for loaded in catalogue.standards}
    # The same validation as the letters (profile model, case rules and kind rules): a case a
    # letter refuses gets no form either.
    batch = load_cases(paths, check=CaseChecker(by_slug))
    plan = FormPlan(problems=list(batch.problems), read=batch.read)
    sources = batch.cases
    if not sources:
        return plan
    plan.problems += errors(catalogue.problems)
    for source in sources:
        _plan_one(plan, source, by_slug, due_before)
    return plan


def _plan_one(plan: FormPlan, source: CaseSource, by_slug: dict[str, LoadedStandard],
              due_before: dt.date | None) -> None:
    case = source.case
    found = _case_problems(source, by_slug)
    plan.problems += found
    if errors(found) or not case.kind.follow_up_form:
        return
    if due_before is not None:
        if case.follow_up is None:
            plan.problems.append(source.problem(
                ("case_number",), "sagen har ingen opfølgningsdato (follow_up.due) og springes "
                "over ved --due-before", code=Code.NO_FOLLOW_UP, severity=Severity.WARNING))
            return
        if case.follow_up.due >= due_before:
            plan.not_due += 1
            return
    stem = case.case_number + case.kind.file_suffix
    plan.jobs.append(FormJob(stem, form_context(case, by_slug[case.standard])))


def _case_problems(source: CaseSource, by_slug: dict[str, LoadedStandard]) -> list[Problem]:
    """What only a form needs beyond a valid case (data/letter_kinds.yaml: follow_up_form)."""
    case = source.case
    problems = []
    if not case.kind.follow_up_form:
        problems.append(source.problem(
            ("result",), f"sagen er '{case.result}' ({case.kind.label.lower()}); der er ingen "
            "indsats at følge op på, så der laves intet skema", code=Code.NO_FORM,
            severity=Severity.WARNING))
    elif case.extent is None:
        problems.append(source.problem(
            ("extent",), "sagen mangler 'extent' (omfang og startdato), som skemaet skal vise",
            code=Code.NO_EXTENT))
    problems += _theme_warnings(source, case)
    return problems


def _theme_warnings(source: CaseSource, case: Case) -> list[Problem]:
    known = fields.ffb_themes()
    goals = case.follow_up.goals if case.follow_up else ()
    return [source.problem(("follow_up", "goals", i, "theme"),
                           f"temaet '{goal.theme}' er ikke et af KL's FFB-temaer "
                           f"({', '.join(sorted(known))})",
                           code=Code.THEME, severity=Severity.WARNING)
            for i, goal in enumerate(goals) if goal.theme not in known]


def write_forms(plan: FormPlan, out: Path, fmt: Format, renderer: FormRenderer | None = None,
                jobs: int | None = None) -> list[Path]:
    """Render and write every planned form; returns the files written, in the plan's order. The
    folder is made private (0700); an existing one that others can read gets a warning in
    ``plan.problems``, and so does a file that could not be written.

    With PDF forms and at least ``SERIAL_BELOW`` of them, ``jobs - 1`` worker processes render
    beside this process (``jobs``: the cores, by default); smaller batches, and Word forms only,
    stay in this process, where a worker's start (Python, WeasyPrint, the stylesheets and the
    field font: ~0.9 s of CPU) would cost more than it gives back.
    """
    # The templates first: a missing template folder must leave no output folder behind.
    renderer = renderer or FormRenderer()
    if not plan.jobs:
        return []
    found = private_dir(out)
    if found:
        plan.problems.append(Problem(display_path(out), 0, 0, Severity.WARNING, found,
                                     Code.PRIVATE_DIR))
    pdf = Format.pdf.value in fmt.extensions
    workers = (jobs or cores()) - 1 if pdf and len(plan.jobs) >= SERIAL_BELOW else 0
    setup = Setup(out, renderer.folder, renderer.field_font)
    outcomes: dict[int, Outcome] = {}

    def done(chunk: Chunk, outcome: Outcome) -> None:
        if outcome.contract is not None:
            raise TemplateContractError(outcome.contract)
        outcomes[chunk[0]] = outcome

    local = ChunkWriter(setup, renderer)
    # The lock keeps a second run into the same folder from removing this run's temporary files.
    with sigterm_exits(), folder_lock(out), running(workers, write_chunk, init_worker,
                                                    (setup,)) as pool:
        _remove_temporaries(out)
        if pdf:
            renderer.prepare_pdf()  # while the workers start
        with long_lived_heap():
            died = run_all(pool, _chunks(plan.jobs, renderer, fmt), done, local,
                           lambda: _remove_temporaries(out))
    if died is not None:
        plan.problems.append(Problem(display_path(out), 0, 0, Severity.WARNING,
                                     f"{died}; hovedprocessen skrev resten af skemaerne",
                                     Code.WORKER_DIED))
    written: list[Path] = []
    failed: dict[Path, list[tuple[Path, str]]] = {}  # one problem per form, not per file
    for _, outcome in sorted(outcomes.items()):
        written += outcome.written
        for path, reason in outcome.failed:
            failed.setdefault(path.with_suffix(""), []).append((path, reason))
    for files in failed.values():
        names = " og ".join(path.name for path, _ in files)
        reasons = "; ".join(dict.fromkeys(reason for _, reason in files))
        plan.problems.append(Problem(display_path(files[0][0]), 0, 0, Severity.ERROR,
                                     f"skemaet kunne ikke skrives ({names}): {reasons}",
                                     Code.WRITE))
    return written


def _remove_temporaries(out: Path) -> None:
    remove_temporaries(out, tuple(f"{SUFFIX}.{extension}" for extension in Format.both.extensions))


CHUNK = 2  # forms per task: a form takes ~0.1 s, so the last task is not long to wait for
# Smaller batches are made in this process alone. A worker costs ~0.9 s of CPU before it is
# ready (Python, WeasyPrint, the stylesheets, cutting the field font), and its first form is cold;
# measured in a warm process on 2 cores, in-process wall time alone against with one worker:
# 8 forms 1.03 s / 1.06 s, 12 forms 1.51 s / 1.62 s, 16 forms 2.08 s / 1.70 s.
SERIAL_BELOW = 16


def _chunks(jobs: Sequence[FormJob], renderer: FormRenderer, fmt: Format) -> Iterator[Chunk]:
    """The plan's forms, ``CHUNK`` at a time, each as a worker gets it (HTML and Word file made
    here, when the chunk is handed out)."""
    for number, start in enumerate(range(0, len(jobs), CHUNK)):
        yield number, [Task(job.case_number,
                            renderer.html(job.context) if "pdf" in fmt.extensions else None,
                            len(job.context["goals"]),
                            renderer.docx(job.context) if "docx" in fmt.extensions else None)
                       for job in jobs[start:start + CHUNK]]
