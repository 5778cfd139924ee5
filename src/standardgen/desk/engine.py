"""What the desk does with a case: check it and render its letter and follow-up form.

Loaded once when the desk starts (the standards, the letter wording, the renderers), then used
by every request. The steps are the command line's own: the case YAML is read by the YAML reader,
validated by ``validation.parse`` against the case model and checked by ``cases.rules``; the
letter is built by ``build_letter`` and rendered by the renderers ``standardgen letter`` uses, so
the PDF is byte for byte the file the command line writes for the downloaded YAML.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import queue
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Generic, TypeVar

from standardgen.cases.check import CaseChecker, case_schema
from standardgen.cases.letter_kinds import get_kind, letter_kinds
from standardgen.cases.model import Case, CaseSource, Caseworker
from standardgen.cases.read import COLUMNS
from standardgen.cases.vocabulary import vocabulary
from standardgen.cases.wording import Wording, load_wording
from standardgen.core import validation
from standardgen.core.dates import short_date
from standardgen.core.pool import cores
from standardgen.core.problems import InputError, errors
from standardgen.core.templates import templates_dir
from standardgen.core.yamlsource import load_yaml
from standardgen.desk import casedata
from standardgen.desk.casedata import Issue
from standardgen.desk.fields import (
    ADDRESS,
    FormField,
    Group,
    Labels,
    Needs,
    all_fields,
    form_groups,
    is_index,
)
from standardgen.forms.ffb import load_ffb
from standardgen.letters.content import build_letter
from standardgen.letters.docx import DocxLetterRenderer, compile_template
from standardgen.letters.letter import Letter
from standardgen.letters.pdf import PdfLetterRenderer
from standardgen.standards.catalogue import LoadedStandard, load_catalogue
from standardgen.standards.model import Frozen

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
        self.caseworkers = load_caseworkers(standards)
        self._previewed = _Kept(PREVIEWED)
        self._groups: dict[tuple[str, str, tuple[tuple[str, int], ...]], tuple[Group, ...]] = {}
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
        """The form's fieldsets. Made once per standard, kind and number of goals: the JSON
        Schema behind them takes pydantic ~6 ms to generate, and every request needs them."""
        key = (standard, kind, tuple(sorted((repeats or {}).items())))
        found = self._groups.get(key)
        if found is None:
            found = self._make_groups(standard, kind, repeats)
            if all(count <= casedata.MAX_SLOTS for _, count in key[2]):  # a bounded cache
                self._groups.setdefault(key, found)
        return found

    def _make_groups(self, standard: str, kind: str,
                     repeats: Mapping[str, int] | None) -> tuple[Group, ...]:
        loaded = self.by_slug[standard]
        labels = replace(self.labels, profile=loaded.profile)
        form = loaded.municipality.case_number
        if form is not None:  # the municipality's own case numbers, by example
            hint = f"Fx {form.example}. {labels.hint('case_number')}".strip()
            labels = replace(labels, hints={**labels.hints, "case_number": hint})
        return form_groups(self.schema(standard, kind), labels, skip=CHOSEN,
                           repeats=repeats or {}, needs=Needs.of(get_kind(kind)))

    def defaults(self, today: dt.date) -> dict[str, str]:
        """What a new case starts with: the decision is made today, as a rule."""
        return {"decision_date": short_date(today)}

    def posted_repeats(self, form: Mapping[str, str], standard: str,
                       kind: str) -> dict[str, int]:
        """The repeated groups' sizes a posted form had, so its fields are read back."""
        names = {group.name.rsplit(".", 1)[0] for group in self.groups(standard, kind)
                 if is_index(group.name.rsplit(".", 1)[-1])}
        return {name: casedata.posted_slots(form, name) for name in names}

    def fields(self, standard: str, kind: str,
               repeats: Mapping[str, int] | None = None) -> tuple[FormField, ...]:
        return all_fields(self.groups(standard, kind, repeats))

    # --- checking ------------------------------------------------------------------------

    def check_form(self, form: Mapping[str, str], standard: str, kind: str,
                   repeats: Mapping[str, int]) -> Checked:
        fields = self.fields(standard, kind, repeats)
        data, issues, unread = casedata.from_form(form, fields,
                                                  {"standard": standard, "result": kind})
        raw = casedata.to_yaml(data)
        too_big = casedata.size_issue(raw)
        issues += [too_big] if too_big else []
        if issues:  # the form's own rules come first, as the YAML reader's do for a file
            return Checked(data, None, tuple(issues), raw, form_rules=True)
        checked = self.check_yaml(raw, fields)
        if not unread:
            return checked
        # A value the desk could not read: its reason replaces what the check says of it.
        names = {issue.target for issue in unread}
        kept = [i for i in checked.issues if not (i.field and i.field.id in names)]
        merged = casedata.in_page_order([*unread, *kept], fields)
        return Checked(checked.data, None, tuple(merged), raw, form_rules=True)

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

    def page_images(self, raw: bytes, case: Case) -> list[str]:
        """The letter's PDF pages as PNG data URLs, from the very bytes "Hent brevet som PDF"
        then gives for this case file (``raw``): they are kept for it (:meth:`checked_pdf`)."""
        pdf = self.pdf(case)
        self._previewed.put(_previewed_key(raw), (case.case_number + case.kind.file_suffix, pdf))
        # A preview shows the CPR number masked (DDMMÅÅ-XXXX), as everything but the letter does.
        return pdf_pages_as_png(pdf, hidden=(case.citizen.cpr.full,))

    def checked_pdf(self, raw: bytes) -> tuple[str, bytes] | None:
        """The file name and PDF of a case file previewed today in its exact bytes, checked
        then: a download of it needs neither a second check nor a second rendering."""
        return self._previewed.get(_previewed_key(raw))

    def draft(self, form: Mapping[str, str], standard: str, kind: str,
              repeats: Mapping[str, int]) -> tuple[bytes, str]:
        """"Gem kladde": the case file of what the form holds now, problems and all, marked
        as a draft (``standardgen letter`` refuses it), and its file name."""
        fields = self.fields(standard, kind, repeats)
        data, _, _ = casedata.from_form(form, fields, {"standard": standard, "result": kind})
        return casedata.to_yaml({"draft": True, **data}), casedata.draft_name(data)

    def csv_template(self, standard: str, kind: str) -> bytes:
        """A CSV file to fill in for a batch of this standard and letter kind: the Danish
        headings of the fields the form asks for (semicolons and a BOM, as Danish Excel saves),
        and a first row with the standard and the kind filled in."""
        names = ["standard", "result"]
        for spec in self.fields(standard, kind):
            if spec.name == ADDRESS:
                names += [f"{ADDRESS}.{part}" for part in ("street", "postcode", "city")]
            elif spec.name in COLUMNS:
                names.append(spec.name)
        profile = self.by_slug[standard].profile
        headings = [vocabulary().label(name, profile) for name in names]
        first = [standard, kind] + [""] * (len(names) - 2)
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerows([headings, first])
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")
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


#: Previewed letters kept in memory for their download: ~100 kB each, for ten minutes.
PREVIEWED = 64
PREVIEWED_SECONDS = 10 * 60


def _previewed_key(raw: bytes) -> str:
    # Today's date in the key: a case is checked on the day it is written (a decision date in
    # the future is a warning today, not tomorrow).
    return hashlib.sha256(dt.date.today().isoformat().encode() + b"\0" + raw).hexdigest()


class _Kept:
    """A few recent values by key, in memory only, each for at most PREVIEWED_SECONDS."""

    def __init__(self, size: int) -> None:
        self._items: OrderedDict[str, tuple[float, tuple[str, bytes]]] = OrderedDict()
        self._size, self._lock = size, threading.Lock()

    def put(self, key: str, value: tuple[str, bytes]) -> None:
        with self._lock:
            self._items[key] = (time.monotonic(), value)
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def get(self, key: str) -> tuple[str, bytes] | None:
        with self._lock:
            found = self._items.get(key)
        if found is None or time.monotonic() - found[0] > PREVIEWED_SECONDS:
            return None
        return found[1]


def pdf_pages_as_png(pdf: bytes, scale: float = 1.0, hidden: Sequence[str] = ()) -> list[str]:
    """Each page of ``pdf`` as a PNG data URL (PDFium, 72 dpi). Grey and quickly compressed:
    the picture is there to show where the pages break and what the envelope's window shows;
    encoding it is most of a preview's time (a three-page letter: ~30 ms so, ~70 ms at 90 dpi,
    more in colour), and 20 caseworkers at once share two cores. The last four characters of
    every occurrence of a text in ``hidden`` (a CPR number's serial) are covered."""
    import base64
    import io

    import pypdfium2 as pdfium
    from PIL import ImageDraw

    found = []
    # PDFium is not thread-safe: two previews drawing at once crashed the whole desk (a
    # segmentation fault under 20 sessions). One at a time, the PNG encoding included, since
    # the image is a view of PDFium's bitmap.
    with _PDFIUM:
        document = pdfium.PdfDocument(pdf)
        try:
            for index in range(len(document)):
                page = document[index]
                image = page.render(scale=scale, grayscale=True).to_pil()
                boxes = _boxes_to_hide(page, hidden)
                if boxes:
                    draw, height = ImageDraw.Draw(image), page.get_height()
                    for left, bottom, right, top in boxes:
                        draw.rectangle(((left - 1) * scale, (height - top - 1) * scale,
                                        (right + 1) * scale, (height - bottom + 1) * scale),
                                       fill=0)
                buffer = io.BytesIO()
                image.save(buffer, format="PNG", compress_level=1)
                found.append(buffer.getvalue())
        finally:
            document.close()
    return ["data:image/png;base64," + base64.b64encode(png).decode() for png in found]


def _boxes_to_hide(page: Any, hidden: Sequence[str]) -> list[tuple[float, float, float, float]]:
    """PDF boxes (left, bottom, right, top) of the last four characters of each occurrence of
    each text in ``hidden`` on ``page``; under the PDFium lock."""
    boxes = []
    text_page = page.get_textpage()
    try:
        for text in hidden:
            searcher = text_page.search(text, match_case=True)
            try:
                while (found := searcher.get_next()) is not None:
                    start, count = found
                    for char in range(start + max(count - 4, 0), start + count):
                        boxes.append(text_page.get_charbox(char))
            finally:
                searcher.close()
    finally:
        text_page.close()
    return boxes


_PDFIUM = threading.Lock()


CASEWORKERS = "caseworkers.yaml"


class _Caseworkers(Frozen):
    caseworkers: tuple[Caseworker, ...]


def load_caseworkers(standards: Sequence[Path]) -> tuple[Caseworker, ...]:
    """The optional list of caseworkers beside a standards folder (``caseworkers.yaml`` in the
    folder that holds it): the desk offers them to choose from. A broken file stops the desk,
    located, as a broken standard does."""
    for folder in standards:
        path = (folder if folder.is_dir() else folder.parent).parent / CASEWORKERS
        if path.is_file():
            return validation.load(path, _Caseworkers).caseworkers
    return ()


def _labels(folder: Path) -> Labels:
    data = load_yaml(folder / DESK_WORDING).data
    # A goal's theme is one of KL's themes (FFB), chosen, not typed.
    themes = tuple((c.display, c.display) for c in load_ffb().temaer_aktivitet_og_deltagelse)
    return Labels(vocabulary(), data.get("hints", {}),
                  choices={"follow_up.goals.theme": themes})

