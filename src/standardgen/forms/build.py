"""``standardgen form``: every case in, one follow-up form per case out.

Everything is read and checked first (cases, standards, which cases are due); only then are the
forms rendered and written. A bad case is reported and skipped; the good ones are still written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from standardgen.case import Case
from standardgen.casecheck import CaseChecker
from standardgen.cases import CaseSource, load_cases
from standardgen.catalogue import LoadedStandard, load_catalogue
from standardgen.fileio import private_dir, write_atomic
from standardgen.forms import fields
from standardgen.forms.context import form_context
from standardgen.forms.render import FormRenderer
from standardgen.problems import Problem, Severity, display_path, errors

DEFAULT_OUT = Path("output/forms")
SUFFIX = "-opfoelgning"
FILE_MODE = 0o600  # the forms carry personal data


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
                "over ved --due-before", code="no-follow-up", severity=Severity.WARNING))
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
            "indsats at følge op på, så der laves intet skema", code="no-form",
            severity=Severity.WARNING))
    elif case.extent is None:
        problems.append(source.problem(
            ("extent",), "sagen mangler 'extent' (omfang og startdato), som skemaet skal vise",
            code="no-extent"))
    problems += _theme_warnings(source, case)
    return problems


def _theme_warnings(source: CaseSource, case: Case) -> list[Problem]:
    known = fields.ffb_themes()
    goals = case.follow_up.goals if case.follow_up else ()
    return [source.problem(("follow_up", "goals", i, "theme"),
                           f"temaet '{goal.theme}' er ikke et af KL's FFB-temaer "
                           f"({', '.join(sorted(known))})", code="theme", severity=Severity.WARNING)
            for i, goal in enumerate(goals) if goal.theme not in known]


def output_path(out: Path, case_number: str, extension: str) -> Path:
    return out / f"{case_number}{SUFFIX}.{extension}"


def write_forms(plan: FormPlan, out: Path, fmt: Format,
                renderer: FormRenderer | None = None) -> list[Path]:
    """Render and write every planned form; returns the files written. The folder is made
    private (0700); an existing one that others can read gets a warning in ``plan.problems``."""
    renderer = renderer or FormRenderer()  # a broken template stops before anything is made
    if plan.jobs:
        found = private_dir(out)
        if found:
            plan.problems.append(Problem(display_path(out), 0, 0, Severity.WARNING, found,
                                         "private-dir"))
    written = []
    for job in plan.jobs:
        for extension in fmt.extensions:
            data = renderer.pdf(job.context) if extension == "pdf" else renderer.docx(job.context)
            target = output_path(out, job.case_number, extension)
            write_atomic(target, data, mode=FILE_MODE)
            written.append(target)
    return written
