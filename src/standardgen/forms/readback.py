"""``standardgen form read``: a filled-in PDF form back into a validated follow-up record.

Each problem names the page and the field (its accessible name and its field name), since a PDF
has no lines. "In the past" for the next follow-up means: not after the date of the follow-up
meeting written in the form, so that reading an old form again gives the same answer.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream, String
from pydantic import ValidationError

from standardgen.cases.outcomes import Outcome
from standardgen.cases.record import FollowUpRecord
from standardgen.core.codes import Code
from standardgen.core.cpr import mask_in_text
from standardgen.core.problems import Problem, Severity, display_path
from standardgen.forms import fields

MAX_BYTES = 50 * 1024 * 1024
MAX_VALUE = 10_000  # characters in one field: the CSV's cell limit (cases.read.MAX_CELL)
MAX_DEPTH = 20  # levels of /Kids; standardgen's forms have one
MAX_FIELDS = 2_000  # top-level fields; a form with 99 goals has about 620
MAX_CHOICES = 100
HEADER_WITHIN = 1024
_DATE = re.compile(r"^\s*(\d{1,2})[.\-/](\d{1,2})[.\-/](\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")


@dataclass(frozen=True)
class FormField:
    name: str
    value: str
    label: str  # the accessible name (/TU)
    page: int  # 1-based; 0 if unknown
    options: dict[str, str] = field(default_factory=dict)  # export value -> display text
    checked: bool = False


class _Reader:
    """Turns raw field values into record data, collecting a problem for each bad one."""

    def __init__(self, name: str, form: dict[str, FormField]) -> None:
        self.name = name
        self.form = form
        self.problems: list[Problem] = []

    def problem(self, key: str, message: str, severity: Severity = Severity.ERROR,
                code: Code = Code.FORM_FIELD) -> None:
        found = self.form.get(key)
        where = f"side {found.page}, " if found and found.page else ""
        label = f"'{found.label}' ({key})" if found and found.label else f"'{key}'"
        self.problems.append(Problem(self.name, 0, 0, severity,
                                     f"{where}feltet {label}: {message}", code))

    def text(self, key: str) -> str | None:
        found = self.form.get(key)
        # Viewers end lines in multi-line fields with \r (Acrobat) or \r\n; YAML wants \n.
        value = found.value.replace("\r\n", "\n").replace("\r", "\n").strip() if found else ""
        if not value:
            return None
        masked = mask_in_text(value)
        if masked != value:
            self.problem(key, "indeholdt et CPR-nummer, som er maskeret i resultatet",
                         Severity.WARNING, Code.CPR_IN_TEXT)
        return masked

    def date(self, key: str) -> dt.date | None:
        raw = self.text(key)
        if raw is None:
            return None
        match = _DATE.match(raw) or _ISO.match(raw)
        try:
            if match is None:
                raise ValueError
            a, b, c = (int(part) for part in match.groups())
            return dt.date(a, b, c) if match.re is _ISO else dt.date(c, b, a)
        except ValueError:
            self.problem(key, f"'{raw}' er ikke en gyldig dato (skriv dd.mm.åååå, "
                              "fx 15.01.2027)", code=Code.FORM_DATE)
            return None

    def level(self, key: str) -> int | None:
        raw = self.text(key)
        if raw in (None, fields.NOT_ASSESSED):
            return None
        if raw in {"0", "1", "2", "3", "4"}:
            return int(raw)
        self.problem(key, f"'{raw}' er ikke et funktionsevneniveau; brug 0, 1, 2, 3, 4 eller "
                          f"'{fields.NOT_ASSESSED}'", code=Code.FORM_LEVEL)
        return None

    def choice(self, key: str, allowed: dict[str, Any], what: str) -> Any:
        raw = self.text(key)
        if raw is None:
            return None
        if raw in allowed:
            return allowed[raw]
        self.problem(key, f"'{raw}' er ikke {what}; brug en af: {', '.join(allowed)}",
                     code=Code.FORM_CHOICE)
        return None


def read_filled(path: Path) -> tuple[FollowUpRecord | None, list[Problem]]:
    """The record in a filled-in form, or None and the problems that stop it."""
    name = display_path(path)
    form, problems = _fields(path, name)
    if form is None:
        return None, problems
    reader = _Reader(name, form)
    data = _record_data(reader)
    problems += reader.problems
    if any(p.severity is Severity.ERROR for p in problems):
        return None, problems
    try:
        return FollowUpRecord.model_validate(data), problems
    except ValidationError as exc:  # every value was checked above; this is a safety net
        return None, [*problems, *(Problem(name, 0, 0, Severity.ERROR,
                                           f"ugyldig værdi i {'.'.join(map(str, e['loc']))}: "
                                           f"{e['msg']}", Code.FORM_FIELD) for e in exc.errors())]


def _record_data(reader: _Reader) -> dict[str, Any]:
    case_number = reader.text(fields.CASE_NUMBER)
    if case_number is None:
        reader.problem(fields.CASE_NUMBER, "mangler; skemaet kan ikke knyttes til en sag")
    meeting = reader.date(fields.MEETING_DATE)
    if meeting is None and fields.MEETING_DATE in reader.form and not reader.text(
            fields.MEETING_DATE):
        reader.problem(fields.MEETING_DATE, "mangler; skriv datoen for opfølgningen")
    result = reader.choice(fields.RESULT, {o.value: Outcome(o.value)
                                           for o in fields.result_options()},
                           "et kendt resultat")
    if result is None and not reader.text(fields.RESULT):
        reader.problem(fields.RESULT, "mangler; vælg resultatet af opfølgningen")
    next_date = reader.date(fields.NEXT_FOLLOW_UP)
    _check_next(reader, result, meeting, next_date)
    return {
        "case_number": case_number,
        "meeting_date": meeting,
        "participants": [kind for kind, key in fields.PARTICIPANT_FIELDS.items()
                         if (found := reader.form.get(key)) and found.checked],
        "other_participants": reader.text(fields.PARTICIPANT_OTHER),
        "goals": _goals(reader),
        "provider_status": reader.text(fields.PROVIDER_STATUS),
        "citizen_assessment": reader.text(fields.CITIZEN_ASSESSMENT),
        "overall_assessment": reader.text(fields.OVERALL_ASSESSMENT),
        "result": result,
        "next_follow_up": next_date,
    }


def _check_next(reader: _Reader, result: Outcome | None, meeting: dt.date | None,
                next_date: dt.date | None) -> None:
    if next_date is None:
        if result is Outcome.continued and not reader.text(fields.NEXT_FOLLOW_UP):
            reader.problem(fields.NEXT_FOLLOW_UP, "mangler; når indsatsen fortsætter, skal "
                                                  "næste opfølgning have en dato")
        return
    if meeting is not None and next_date <= meeting:
        reader.problem(fields.NEXT_FOLLOW_UP,
                       f"{next_date:%d.%m.%Y} ligger ikke efter opfølgningens dato "
                       f"{meeting:%d.%m.%Y}; næste opfølgning skal ligge i fremtiden",
                       code=Code.FORM_PAST_DATE)


def _goals(reader: _Reader) -> list[dict[str, Any]]:
    numbers = sorted({parsed[0] for key in reader.form
                      if (parsed := fields.parse_goal_field(key))})
    goal_types = fields.goal_type_by_value()
    goals = []
    for n in numbers:
        def key(part: str, n: int = n) -> str:
            return fields.goal_field(n, part)

        goal = {
            "number": n,
            "theme": _theme(reader, key("theme")),
            "goal_type": reader.choice(key("type"), goal_types, "en kendt måltype"),
            "description": reader.text(key("description")),
            "current_level": reader.level(key("current_level")),
            "expected_level": reader.level(key("expected_level")),
            "status": reader.text(key("status")),
        }
        if any(goal[part] is not None for part in ("theme", "goal_type", "description",
                                                   "status")):
            goals.append(goal)
    return goals


def _theme(reader: _Reader, key: str) -> str | None:
    """The theme's display text: a choice's export value is an ASCII key for it."""
    raw = reader.text(key)
    found = reader.form.get(key)
    if raw is None or found is None:
        return None
    theme = found.options.get(raw, raw)
    if theme not in fields.ffb_themes():
        reader.problem(key, f"temaet '{theme}' er ikke et af KL's FFB-temaer",
                       Severity.WARNING, Code.THEME)
    return theme


# --- reading the PDF --------------------------------------------------------------------------

def _fields(path: Path, name: str) -> tuple[dict[str, FormField] | None, list[Problem]]:
    def fail(message: str, code: Code) -> tuple[None, list[Problem]]:
        return None, [Problem(name, 0, 0, Severity.ERROR, message, code)]

    if not path.is_file():
        return fail("filen findes ikke", Code.NOT_FOUND)
    if path.stat().st_size > MAX_BYTES:
        return fail(f"filen er for stor (højst {MAX_BYTES // (1024 * 1024)} MiB)", Code.SIZE)
    raw = path.read_bytes()
    # Readers accept a header anywhere in the first 1024 bytes (a mail gateway or a scanner may
    # put a line before it); offsets in the file count from the header.
    start = raw.find(b"%PDF-", 0, HEADER_WITHIN)
    if start < 0:
        return fail(f"filen er ikke en PDF (de første {HEADER_WITHIN} byte indeholder ikke "
                    "'%PDF-')", Code.NOT_PDF)
    try:
        with pikepdf.open(io.BytesIO(raw[start:])) as pdf:
            collected = _collect(pdf, name)
    except pikepdf.PasswordError:
        return fail("PDF-filen er beskyttet med adgangskode; gem den uden beskyttelse", Code.PDF)
    except (pikepdf.PdfError, ValueError, KeyError, AttributeError, RecursionError):
        return fail("PDF-filen kan ikke læses (beskadiget?)", Code.PDF)
    if fields.CASE_NUMBER not in collected.found:
        return fail("filen er ikke et opfølgningsskema fra standardgen (feltet "
                    f"'{fields.CASE_NUMBER}' mangler)", Code.NOT_FORM)
    if collected.problems:
        return None, collected.problems
    return collected.found, []


class _Collector:
    """Every terminal field of the form by its full name, and a problem for each field that is
    not one standardgen's form has or whose value is not text. A PDF is anyone's to edit: a
    /Kids that holds its own field (which walked 4**20 times without a visited set), a value
    that is a dictionary or a 36 MB string are refused here, located."""

    def __init__(self, pdf: Any, name: str) -> None:
        self.name = name
        self.pages = {page.objgen: number for number, page in enumerate(pdf.pages, start=1)}
        self.found: dict[str, FormField] = {}
        self.problems: list[Problem] = []
        self.seen: set[tuple[int, int]] = set()

    def refuse(self, field: str, page: int, message: str) -> None:
        where = f"side {page}, " if page else ""
        problem = Problem(self.name, 0, 0, Severity.ERROR, f"{where}feltet '{field}': {message}",
                          Code.FORM_FIELD)
        if problem not in self.problems:  # a /Kids may list the same field many times
            self.problems.append(problem)

    def walk(self, node: Any, prefix: str, depth: int) -> None:
        """Fields may be nested (/Kids) and named in parts ("a.b"); widgets carry no /T."""
        part = str(node.get("/T", ""))
        name = f"{prefix}.{part}" if prefix and part else part or prefix
        if node.is_indirect:
            if node.objgen in self.seen:
                self.refuse(name, 0, "feltet indeholder sig selv (/Kids); skemaet er beskadiget")
                return
            self.seen.add(node.objgen)
        if depth > MAX_DEPTH:
            self.refuse(name, 0, f"felterne er indlejret mere end {MAX_DEPTH} niveauer")
            return
        kids = [kid for kid in node.get("/Kids", []) if isinstance(kid, Dictionary) and "/T" in kid]
        if kids:
            for kid in kids:
                self.walk(kid, name, depth + 1)
            return
        if name and name not in self.found:
            self.found[name] = self.field(node, name)

    def field(self, node: Any, name: str) -> FormField:
        value = node.get("/V")
        widget = node if "/P" in node else next(iter(node.get("/Kids", [])), node)
        page_ref = widget.get("/P")
        page = self.pages.get(page_ref.objgen, 0) if page_ref is not None else 0
        options = {}
        for option in node.get("/Opt", []):
            if isinstance(option, Array) and len(option) == 2:
                options[str(option[0])] = str(option[1])
            else:
                options[str(option)] = str(option)
        button = str(node.get("/FT")) == "/Btn"
        checked = str(value) not in ("None", "/Off", "") if button else False
        text = "" if value is None or button else self.text(value, name, page)
        return FormField(name, text, str(node.get("/TU", "")), page, options, checked)

    def text(self, value: Any, name: str, page: int) -> str:
        """A value as text: a string, a name, a choice's list, or a text stream decoded."""
        if isinstance(value, Array):  # a multiple choice: not in our forms, but possible
            text = ", ".join(self.text(item, name, page) for item in value[:MAX_CHOICES])
        elif isinstance(value, Name):
            text = str(value)[1:]
        elif isinstance(value, String):
            text = str(value)
        elif isinstance(value, Stream) and (decoded := _stream_text(value)) is not None:
            text = decoded  # a rich or long text may come as a stream (PDF 12.7.4.3)
        else:
            self.refuse(name, page, f"værdien er ikke tekst (men {_kind(value)}); udfyld feltet "
                        "igen i en PDF-læser")
            return ""
        if len(text) > MAX_VALUE:
            self.refuse(name, page, f"værdien er for lang ({len(text)} tegn; højst {MAX_VALUE})")
            return ""
        return text

    def unknown(self) -> None:
        """Fields standardgen's form does not have: refused, not read as goals 2-99."""
        numbers = {parsed[0] for key in self.found if (parsed := fields.parse_goal_field(key))}
        goals = next(n for n in range(len(numbers) + 1) if n + 1 not in numbers)
        known = fields.expected_fields(goals)
        for key in sorted(set(self.found) - known):
            self.refuse(key, self.found[key].page, "feltet hører ikke til standardgens "
                        "opfølgningsskema; skemaet er ændret, efter det blev lavet")
            del self.found[key]


def _stream_text(stream: Stream) -> str | None:
    """A text stream's first MAX_VALUE characters and a little more (enough to see that it is
    too long), decompressed no further than that: a stream of zeros compresses a thousandfold.
    None for a filter other than Flate, which no viewer uses for a field value."""
    limit = MAX_VALUE * 4 + 4
    raw = stream.read_raw_bytes()
    filters = stream.get("/Filter")
    if filters is None:
        data = raw[:limit]
    elif str(filters) in ("/FlateDecode", "[ /FlateDecode ]"):
        try:
            data = zlib.decompressobj().decompress(raw, limit)
        except zlib.error:
            return None
    else:
        return None
    if data.startswith((b"\xfe\xff", b"\xff\xfe")):
        return data.decode("utf-16", errors="replace")
    return data.decode("utf-8", errors="replace")  # PDFDocEncoding and UTF-8 agree on ASCII


def _kind(value: Any) -> str:
    if isinstance(value, Stream):
        return "en strøm, der ikke kan læses"
    if isinstance(value, Dictionary):
        return "en ordbog"
    return f"en {type(value).__name__}"


def _collect(pdf: Any, name: str) -> _Collector:
    collector = _Collector(pdf, name)
    acroform = pdf.Root.get("/AcroForm")
    if acroform is not None:
        for node in acroform.get("/Fields", [])[:MAX_FIELDS]:
            if isinstance(node, Dictionary):
                collector.walk(node, "", depth=0)
    collector.unknown()
    return collector
