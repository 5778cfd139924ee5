"""Decision letters (afgørelser) per citizen, as tagged PDF and editable Word.

``write_letters`` reads and checks everything first (wording, standards, cases), reports every
problem located by file and row, then renders the letters of the good cases; a bad case never
stops a good one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from standardgen.cases import load_cases
from standardgen.catalogue import load_catalogue
from standardgen.letters.batch import Format, Job, default_jobs, output_path, render_all
from standardgen.letters.rules import case_problems, standard_problems
from standardgen.letters.wording import load_wording
from standardgen.problems import InputError, Problem, errors


@dataclass(frozen=True)
class Outcome:
    """What a run did: letters written, cases checked, and every problem."""

    written: int
    cases: int
    problems: tuple[Problem, ...]


def write_letters(
    paths: Iterable[Path],
    standards: Sequence[Path],
    out: Path,
    formats: Sequence[Format] = (Format.pdf, Format.docx),
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
    start: Callable[[int], None] | None = None,
    templates: Path | None = None,
) -> Outcome:
    """Check every case, then write ``<out>/<case number>.<format>`` for each good one.

    ``start(n)`` is told how many letters will be rendered, ``progress(k)`` each time k more
    are done (for a progress bar).
    """
    try:
        wording = load_wording(templates)
    except InputError as exc:
        return Outcome(0, 0, tuple(exc.problems))
    catalogue = load_catalogue(standards)
    if not catalogue.ok:  # the standards are shared by every letter: nothing is written
        return Outcome(0, 0, tuple(catalogue.problems))
    by_slug = {item.slug: item for item in catalogue.standards}
    problems: list[Problem] = []
    broken = set()
    for item in catalogue.standards:
        found = standard_problems(item, wording)
        if found:
            broken.add(item.slug)
            problems += found
    batch = load_cases(paths)
    problems += batch.problems
    good = []
    for source in batch.cases:
        found = case_problems(source, by_slug, broken)
        problems += found
        if not errors(found):
            good.append((source.case, source.origin))
    if start is not None:
        start(len(good))
    job = Job(by_slug, tuple(formats), out, templates)
    problems += render_all(job, good, jobs or default_jobs(), progress or (lambda n: None))
    failed = len({(p.file, p.line) for p in problems if p.code == "render"})
    return Outcome(len(good) - failed, len(batch.cases), tuple(sorted(problems)))


__all__ = ["Format", "Outcome", "output_path", "write_letters"]
