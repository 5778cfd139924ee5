"""``standardgen diff``: read both versions, compare, render, and write only when all went well."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from standardgen.approval import compare, terminal
from standardgen.approval.compare import StandardDiff, Status, UnitDiff
from standardgen.approval.sources import load_at_revision, load_version, split_range
from standardgen.approval.wording import Wording, danish_list, load_wording
from standardgen.core.fileio import write_atomic
from standardgen.core.problems import InputError, Problem
from standardgen.standards.model import Standard


@dataclass(frozen=True)
class DiffRequest:
    files: tuple[Path, ...]
    revisions: str | None
    fmt: str
    out: Path | None
    summary: bool = False
    author: str = "standardgen"

    def usage_problem(self) -> str | None:
        """A Danish message when the options do not fit together (a usage error, exit 2)."""
        wanted = 1 if self.revisions else 2
        if len(self.files) != wanted:
            return ("angiv én fil sammen med --rev" if self.revisions
                    else "angiv to filer: den gamle og den nye version (eller én fil og --rev)")
        if self.revisions:
            try:
                split_range(self.revisions)
            except ValueError as exc:
                return f"--rev: {exc}"
        if self.fmt == "docx" and self.out is None:
            return "--format docx kræver --out FIL.docx"
        if self.out is not None and self.fmt == "text":
            return "--out bruges kun med --format html eller docx"
        if self.summary and self.fmt != "text":
            return "--summary kan ikke kombineres med --format html eller docx"
        if not self.author.strip() or not self.author.isprintable():
            return "--author skal være et navn uden kontroltegn"
        if self.out is not None and self.out.is_dir():
            return f"--out skal være en fil, ikke en mappe: {self.out}"
        return None


def load_pair(request: DiffRequest) -> tuple[Standard, Standard]:
    """Both versions, or :class:`InputError` with the problems of both."""
    if request.revisions:
        path = request.files[0]
        old_rev, new_rev = split_range(request.revisions)
        loaders: list[Callable[[], Standard]] = [lambda: load_at_revision(path, old_rev),
                   (lambda: load_at_revision(path, new_rev)) if new_rev
                   else (lambda: load_version(path))]
    else:
        loaders = [lambda: load_version(request.files[0]), lambda: load_version(request.files[1])]
    found: list[Problem] = []
    versions: list[Standard] = []
    for load in loaders:
        try:
            versions.append(load())
        except InputError as exc:
            found += exc.problems
    if found:
        raise InputError(found)
    return versions[0], versions[1]


def run_diff(request: DiffRequest, *, colour: bool) -> str:
    """The text to print; HTML and Word are written to ``request.out`` when rendered."""
    old, new = load_pair(request)
    wording = load_wording()
    result = compare.compare(old, new)
    if request.summary:
        return summarize(result, wording) + "\n"
    if request.fmt == "text":
        return terminal.render(result, wording, colour=colour)
    if request.fmt == "html":
        from standardgen.approval import html

        page = html.render(result, wording)
        if request.out is None:
            return page
        write_atomic(request.out, page.encode("utf-8"))
    else:
        from standardgen.approval import word

        assert request.out is not None
        write_atomic(request.out, word.render(result, wording, author=request.author))
    return f"skrevet: {request.out}\n"


def _statuses(unit: UnitDiff) -> list[Status]:
    """What a unit counts as: each of its sentences, or a data field (a date, a phone number)
    as one change of its own, whatever its text looks like."""
    if unit.kind == "field":
        return [] if unit.status is Status.unchanged else [unit.status]
    return [sentence.status for sentence in unit.sentences]


def summarize(result: StandardDiff, wording: Wording) -> str:
    """One Danish paragraph for ``history[].summary``: which sections changed and how much."""
    words = wording.summary
    if not result.changed:
        return words.none
    by_status = {status: [wording.title(s) for s in result.changed if s.status is status]
                 for status in (Status.changed, Status.added, Status.removed)}
    parts = [template.format(sections=danish_list(names)) for template, names in (
        (words.changed, by_status[Status.changed]), (words.added, by_status[Status.added]),
        (words.removed, by_status[Status.removed])) if names]
    changed = [s for s in result.sections if s.status is not Status.unchanged]
    said = [status for s in changed for u in s.units for status in _statuses(u)]
    parts.append(words.counts.format(
        sections_added=len(by_status[Status.added]),
        sections_removed=len(by_status[Status.removed]),
        **{status.value: said.count(status)
           for status in (Status.changed, Status.added, Status.removed)}))
    return " ".join(parts)
