"""Write decision letters: read and check every case, then render the good ones.

Everything is read and checked before anything is written: the wording, the standards, and every
case (``cases.rules``). A bad case is reported with its file and row and gets no letter; it
never stops the good ones. Cases are read twice, one at a time (once to check, once to build
and render), so a batch of any size runs in the same memory.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from standardgen.cases.check import CaseChecker
from standardgen.cases.model import CaseSource
from standardgen.cases.read import duplicate, expand, file_key, iter_cases
from standardgen.cases.wording import Wording, WordingError, load_wording
from standardgen.core.codes import Code
from standardgen.core.pool import cores
from standardgen.core.problems import InputError, Problem, display_path
from standardgen.core.templates import templates_dir
from standardgen.letters.batch import (
    Format,
    Item,
    Job,
    render_all,
    render_problem,
    workers,
)
from standardgen.letters.content import build_letter
from standardgen.letters.letter import Letter
from standardgen.letters.memo import FormAttachment
from standardgen.letters.preflight import load_geometry
from standardgen.standards.catalogue import LoadedStandard, load_catalogue


@dataclass(frozen=True)
class Outcome:
    """What a run did: letters written, cases read, and every problem."""

    written: int
    cases: int
    problems: tuple[Problem, ...]


def write_letters(
    paths: Sequence[Path],
    standards: Sequence[Path],
    out: Path,
    formats: Sequence[Format] = (Format.pdf, Format.docx),
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
    start: Callable[[int], None] | None = None,
    templates: Path | None = None,
    today: dt.date | None = None,
) -> Outcome:
    """Check every case, then write ``<out>/<case number>.<format>`` for each good one.

    ``start(n)`` is told how many letters will be rendered, ``progress(k)`` each time k more
    are done (for a progress bar).
    """
    folder = templates or templates_dir()
    today = today or dt.date.today()  # one day for both passes, even over midnight
    try:
        wording = load_wording(folder)
    except InputError as exc:
        return Outcome(0, 0, tuple(exc.problems))
    catalogue = load_catalogue(standards)
    if not catalogue.ok:  # every letter quotes a standard: nothing is written
        return Outcome(0, 0, tuple(catalogue.problems))
    by_slug = {item.slug: item for item in catalogue.standards}
    if Format.memo in formats:
        try:  # the remote-print options, checked here with their lines (the worker reads them)
            load_geometry(folder)
        except InputError as exc:
            return Outcome(0, 0, tuple(exc.problems))
    check = CaseChecker(by_slug, wording.file.deadlines.notice_days)
    docx = None
    if Format.docx in formats:
        from standardgen.letters.docx import compile_template

        docx = compile_template(folder)
    job = Job(tuple(formats), out, folder, docx)
    # The workers start now and get ready while the cases are read and checked.
    with workers(job, jobs or cores(), _expected(paths)) as pool:
        good, count, problems = _check(paths, check, today, Format.memo in formats)
        if start is not None:
            start(len(good))
        total = len(good)
        attach = _FormAttacher(folder, wording) if Format.memo in formats else None
        letters = _letters(paths, good, check, wording, problems, today, attach)
        problems += render_all(job, letters, total, pool, progress or (lambda n: None))
    failed = len({(p.file, p.line) for p in problems if p.code == Code.RENDER})
    return Outcome(total - failed, count, tuple(sorted(problems)))


def _expected(paths: Sequence[Path]) -> int:
    """About how many cases the inputs hold (a CSV's lines), before they are read: enough to
    decide whether worker processes will pay for their start."""
    count = 0
    for path in expand(paths):
        if isinstance(path, Path):
            count += _lines(path) if path.suffix.lower() == ".csv" else 1
    return count


def _lines(path: Path) -> int:
    try:
        with path.open("rb") as handle:
            return sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 16), b""))
    except OSError:  # reported when the cases are read
        return 0


def _check(paths: Sequence[Path], check: CaseChecker, today: dt.date,
           needs_sender: bool = False) -> tuple[set[str], int, list[Problem]]:
    """First pass: the origins of the cases that may get a letter, the number of cases read
    (refused ones too), the problems. ``needs_sender``: a Digital Post message is asked for,
    so a case whose municipality has no CVR number is refused."""
    good: set[str] = set()
    seen: dict[str, str] = {}
    problems: list[Problem] = []
    count = 0
    for source, found, cases in iter_cases(paths, today, check):
        problems += found
        count += cases
        if source is None:
            continue
        # Two letters with the same file name would overwrite each other (C-1 and c-1 too).
        stem = file_key(source.case)
        if stem in seen:
            problems.append(duplicate(source, seen[stem]))
            continue
        seen[stem] = source.origin
        if needs_sender and (missing := _without_sender(source, check.standards)):
            problems.append(missing)
            continue
        good.add(source.origin)
    return good, count, problems


def _without_sender(source: CaseSource,
                    by_slug: Mapping[str, LoadedStandard]) -> Problem | None:
    """The problem of a case whose municipality file lacks the CVR number a Digital Post
    message needs as its sender; None when it has one."""
    loaded = by_slug[source.case.standard]
    if loaded.municipality.cvr is not None:
        return None
    return source.problem(
        ("standard",), f"kommunefilen {display_path(loaded.municipality_file)} mangler 'cvr' "
        "(kommunens CVR-nummer), som er afsender i Digital Post-beskeden (--format memo)",
        code=Code.MEMO_SENDER)


class _FormAttacher:
    """Adds the follow-up form to the message of a letter whose kind has one
    (``data/letter_kinds.yaml``: follow_up_form): its HTML here, its PDF in the worker."""

    def __init__(self, folder: Path, wording: Wording) -> None:
        from standardgen.forms.render import FormRenderer

        self.renderer = FormRenderer(folder)
        self.label = wording.label("follow_up_form")

    def __call__(self, letter: Letter, source: CaseSource, loaded: LoadedStandard) -> Letter:
        from standardgen.forms.context import form_context

        if letter.dispatch is None or not source.case.kind.follow_up_form:
            return letter
        context = form_context(source.case, loaded)
        form = FormAttachment(self.label, self.renderer.html(context), len(context["goals"]))
        return replace(letter, dispatch=replace(letter.dispatch, form=form))


def _letters(paths: Iterable[Path], good: set[str], check: CaseChecker, wording: Wording,
             problems: list[Problem], today: dt.date,
             attach: _FormAttacher | None = None) -> Iterator[Item]:
    """Second pass: the letter of every good case, built one at a time."""
    for source, _, _ in iter_cases(paths, today, check):
        if source is not None and source.origin in good:
            good.discard(source.origin)  # a file given twice gives one letter
            try:
                letter = _build(source, check.standards, wording)
                if attach is not None:
                    letter = attach(letter, source, check.standards[source.case.standard])
                yield letter, source.origin
            except WordingError as exc:  # a fault in the wording file, reported per case
                problems.append(render_problem(source.origin, str(exc)))


def _build(source: CaseSource, by_slug: Mapping[str, LoadedStandard],
           wording: Wording) -> Letter:
    return build_letter(source.case, by_slug[source.case.standard], wording)
