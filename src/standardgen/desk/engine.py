"""What the desk does with a case: check it and render its letter and follow-up form.

Loaded once when the desk starts (the standards, the letter wording, the renderers), then used
by every request. The steps are the command line's own: the case YAML is read by the YAML reader,
validated by ``validation.parse`` against the case model and checked by ``cases.rules``; the
letter is built by ``build_letter`` and rendered by the renderers ``standardgen letter`` uses, so
the PDF is byte for byte the file the command line writes for the downloaded YAML.
"""

from __future__ import annotations

import datetime as dt
import queue
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from standardgen.cases.check import CaseChecker, case_schema
from standardgen.cases.letter_kinds import get_kind, letter_kinds
from standardgen.cases.model import Case, CaseSource
from standardgen.cases.wording import Wording, load_wording
from standardgen.core.pool import cores
from standardgen.core.problems import InputError, errors
from standardgen.core.templates import templates_dir
from standardgen.core.yamlsource import load_yaml
from standardgen.desk import casedata
from standardgen.desk.casedata import Issue
from standardgen.desk.fields import (
    FormField,
    Group,
    Labels,
    all_fields,
    form_groups,
    is_index,
)
from standardgen.letters.content import build_letter
from standardgen.letters.docx import DocxLetterRenderer, compile_template
from standardgen.letters.letter import Letter
from standardgen.letters.pdf import PdfLetterRenderer
from standardgen.standards.catalogue import LoadedStandard, load_catalogue

T = TypeVar("T")

#: Chosen before the form: the standard and the letter kind (hidden fields of the form).
CHOSEN = ("standard", "result")
DESK_WORDING = Path("desk") / "wording.yaml"


class _Pool(Generic[T]):
    """A few renderers shared by the request threads: a Typst compiler is not for two threads
    at once, and one per thread would hold its fonts many times over."""

    def __init__(self, make: Callable[[], T], size: int) -> None:
        self._make, self._free, self._made = make, queue.LifoQueue[T](), 0
        self._size, self._lock = size, threading.Lock()

    @contextmanager
    def take(self) -> Iterator[T]:
        item = self._get()
        try:
            yield item
        finally:
            self._free.put(item)

    def _get(self) -> T:
        with self._lock:
            if self._free.empty() and self._made < self._size:
                self._made += 1
                return self._make()
        return self._free.get()


@dataclass(frozen=True)
class Checked:
    """A case as the pipeline sees it: the case when it may get a letter, else the issues."""

    data: Mapping[str, Any]
    source: CaseSource | None
    issues: tuple[Issue, ...]
    yaml: bytes
    form_rules: bool = False  # the issues are the form's own (too long, control character)

    @property
    def ok(self) -> bool:
        return self.source is not None and not self.issues


@dataclass(frozen=True)
class Kind:
    value: str
    label: str


class Desk:
    def __init__(self, standards: Sequence[Path], templates: Path | None = None,
                 renderers: int | None = None) -> None:
        self.folder = templates or templates_dir()
        self.standard_paths = tuple(standards)
        self.wording: Wording = load_wording(self.folder)
        catalogue = load_catalogue(standards)
        if not catalogue.ok:  # as `letter`: every letter quotes a standard, so none is made
            raise InputError(errors(catalogue.problems))
        # Only standards whose service profile says what a grant is can give letters.
        self.by_slug = {item.slug: item for item in catalogue.standards
                        if item.profile is not None and item.profile.letters}
        self.checker = CaseChecker(self.by_slug, self.wording.file.deadlines.notice_days)
        self.labels = _labels(self.folder)
        size = renderers or cores()
        self._pdf = _Pool(lambda: PdfLetterRenderer(self.folder), size)
        compiled = compile_template(self.folder)
        self._docx = _Pool(lambda: DocxLetterRenderer(compiled), size)
        self._forms: _Pool[Any] = _Pool(self._form_renderer, size)

    def _form_renderer(self) -> Any:
        from standardgen.forms.render import FormRenderer

        return FormRenderer(self.folder)

    # --- choosing ------------------------------------------------------------------------

    def municipalities(self) -> list[tuple[str, list[LoadedStandard]]]:
        """The standards grouped by municipality, both in alphabetical order."""
        groups: dict[str, list[LoadedStandard]] = {}
        for item in self.by_slug.values():
            groups.setdefault(item.municipality.name, []).append(item)
        return [(name, sorted(items, key=lambda i: i.standard.title))
                for name, items in sorted(groups.items())]

    def kinds(self) -> list[Kind]:
        return [Kind(kind.name, kind.label) for kind in letter_kinds()]

    def kind_label(self, kind: str) -> str:
        return next(k.label for k in self.kinds() if k.value == kind)

    def valid_choice(self, standard: str, kind: str) -> bool:
        return standard in self.by_slug and kind in {k.value for k in self.kinds()}

    # --- the form ------------------------------------------------------------------------

    def schema(self, standard: str, kind: str) -> Mapping[str, Any]:
        """The case schema for a standard (its profile's extent) and a letter kind (what the
        kind requires is required, what it forbids is absent)."""
        return case_schema(self.by_slug[standard], kind)

    def groups(self, standard: str, kind: str,
               repeats: Mapping[str, int] | None = None) -> tuple[Group, ...]:
        labels = self.labels.with_extent(self.by_slug[standard].profile)
        return form_groups(self.schema(standard, kind), labels, skip=CHOSEN,
                           repeats=repeats or {})

    def posted_repeats(self, form: Mapping[str, str], standard: str,
                       kind: str) -> dict[str, int]:
        """The repeated groups' sizes a posted form had, so its fields are read back."""
        names = {group.name.rsplit(".", 1)[0] for group in self.groups(standard, kind)
                 if is_index(group.name.rsplit(".", 1)[-1])}
        return {name: casedata.posted_slots(form, name) - 1 for name in names}

    def fields(self, standard: str, kind: str,
               repeats: Mapping[str, int] | None = None) -> tuple[FormField, ...]:
        return all_fields(self.groups(standard, kind, repeats))

    # --- checking ------------------------------------------------------------------------

    def check_form(self, form: Mapping[str, str], standard: str, kind: str,
                   repeats: Mapping[str, int]) -> Checked:
        fields = self.fields(standard, kind, repeats)
        data, issues = casedata.from_form(form, fields, {"standard": standard, "result": kind})
        raw = casedata.to_yaml(data)
        too_big = casedata.size_issue(raw)
        issues += [too_big] if too_big else []
        if issues:  # the form's own rules come first, as the YAML reader's do for a file
            return Checked(data, None, tuple(issues), raw, form_rules=True)
        return self.check_yaml(raw, fields)

    def check_yaml(self, raw: bytes, fields: Sequence[FormField] = ()) -> Checked:
        """Read, validate and check a case YAML exactly as ``standardgen letter`` does (within
        the desk's size limit)."""
        too_big = casedata.size_issue(raw)
        if too_big is not None:
            return Checked({}, None, (too_big,), raw)
        try:
            document = casedata.read_yaml(raw)
        except InputError as exc:
            return Checked({}, None, tuple(casedata.issues(exc.problems, None, ())), raw)
        data = document.data
        if not fields and self.valid_choice(str(data.get("standard")), str(data.get("result"))):
            fields = self.fields(str(data["standard"]), str(data["result"]), repeat_counts(data))
        # As `standardgen letter` reads a case on the day it runs.
        source, problems, _ = self.checker(document, document.name, dt.date.today())
        found = errors(problems)
        issues = tuple(casedata.issues(found, document, fields))
        return Checked(data, source if not found else None, issues, raw)

    # --- rendering -----------------------------------------------------------------------

    def letter(self, case: Case) -> Letter:
        return build_letter(case, self.by_slug[case.standard], self.wording)

    def pdf(self, case: Case) -> bytes:
        letter = self.letter(case)
        with self._pdf.take() as renderer:
            return renderer.render(letter)

    def docx(self, case: Case) -> bytes:
        letter = self.letter(case)
        with self._docx.take() as renderer:
            return renderer.render(letter)

    def has_memo(self, case: Case) -> bool:
        """Whether a Digital Post message can be made: the municipality has its CVR number."""
        return self.by_slug[case.standard].municipality.cvr is not None

    @property
    def memo_for_all(self) -> bool:
        """Whether every municipality has its CVR number (a batch then zips the messages)."""
        return all(item.municipality.cvr is not None for item in self.by_slug.values())

    def memo(self, case: Case) -> bytes:
        """The letter's Digital Post message (``letter --format memo``), its PDF inside."""
        from standardgen.letters import memo
        from standardgen.letters.preflight import load_geometry

        letter = self.letter(case)
        dispatch = letter.dispatch
        if dispatch is None:
            raise ValueError("kommunefilen mangler CVR-nummeret")
        with self._pdf.take() as renderer:
            pdf = renderer.render(letter)
        form = None
        if self.has_follow_up(case):
            form = (self.wording.label("follow_up_form"), self.follow_up(case, "pdf"))
        options = load_geometry(self.folder).remote_print
        settings = {"remote_print": options.model_dump() if options else None}
        return memo.render(letter.title, letter.file_stem, dispatch, pdf,
                           memo.remote_print(settings), form)

    def has_follow_up(self, case: Case) -> bool:
        return get_kind(case.result).follow_up_form and case.extent is not None

    def follow_up(self, case: Case, fmt: str) -> bytes:
        from standardgen.forms.context import form_context

        context = form_context(case, self.by_slug[case.standard])
        with self._forms.take() as renderer:
            return bytes(renderer.pdf(context) if fmt == "pdf" else renderer.docx(context))


def repeat_counts(data: Mapping[str, Any], prefix: str = "") -> dict[str, int]:
    """The items of every list of groups in a case (follow-up goals), by path: the form gets
    a slot for each (and a spare)."""
    counts: dict[str, int] = {}
    for key, value in data.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, Mapping):
            counts.update(repeat_counts(value, path))
        elif isinstance(value, list) and value and all(isinstance(i, Mapping) for i in value):
            counts[path] = len(value)
    return counts


def _labels(folder: Path) -> Labels:
    data = load_yaml(folder / DESK_WORDING).data
    return Labels(data.get("labels", {}), data.get("hints", {}), data.get("options", {}))

