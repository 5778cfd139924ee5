"""From a Word file's paragraphs and tables to the data of a standard, and nothing dropped.

Every paragraph, list item and table cell with text ends up in the data or in a warning that
quotes it (``Imported.problems``); ``Imported.unplaced`` is empty by construction, and the tests
check the result independently.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

from standardgen.core.codes import Code
from standardgen.core.problems import Problem, Severity
from standardgen.importer.vocabulary import (
    RoleMatch,
    Vocabulary,
    find_date,
    has_numbering,
    normalise,
    slugify,
    split_citation,
    strip_numbering,
    to_markup,
    vocabulary,
)
from standardgen.importer.wordfile import Para, Table, WordFile
from standardgen.standards.model import Municipality, Role
from standardgen.standards.profiles import load_profile, profile_for_paragraph
from standardgen.standards.wordmeta import parse_mark

GUIDE = "[[VEJLEDNING: {}]]"
_SHOWN = 60
_APPROVAL = re.compile(r"godkendt\s+(?:i|af|på)\s+(?:et\s+møde\s+i\s+)?(?P<body>.+?)\s+"
                       r"(?:den|d\.)\s+(?P<rest>.+)$", re.IGNORECASE)
_SERVICE_LINE = re.compile(r"^(?P<name>.+?)\s+efter\s+(?P<cite>.*§.*)$", re.IGNORECASE)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)
_POSTCODE = re.compile(r"^(?P<code>\d{4})\s+(?P<city>\S.*)$")
_QUOTES = "”“\"»«„"
_PAGE = re.compile(r"^side\s+\d+(\s+af\s+\d+)?$", re.IGNORECASE)


def shown(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _SHOWN else text[:_SHOWN].rsplit(" ", 1)[0] + " …"


@dataclass
class Section:
    title: str
    role: Role
    ident: str | None
    number: int
    content: list[Any] = field(default_factory=list)
    recognised: bool = True


@dataclass(frozen=True)
class Explained:
    """How one heading got its role, for ``import --explain``."""

    number: int
    title: str
    role: Role
    match: RoleMatch


def _role_name(role: Role | None) -> str:
    return role.value if role else "ingen anden rolle"


def _percent(confidence: float) -> str:
    return f"{round(confidence * 100)} %"


def _many(role: Role) -> bool:
    """Several sections may share the role in every standard (the shared profile says so)."""
    base = load_profile("serviceloven")
    return base is not None and base.allows_many(role)


@dataclass
class Imported:
    data: dict[str, Any]
    problems: list[Problem]
    section_of: dict[int, str]  # paragraph number -> title of the section it is in
    unrecognised: set[str] = field(default_factory=set)  # section ids to choose a role for
    explained: list[Explained] = field(default_factory=list)


class _Builder:
    def __init__(self, doc: WordFile, town: Municipality | None, town_id: str | None,
                 slug: str | None) -> None:
        self.doc, self.town, self.town_id, self.slug = doc, town, town_id, slug
        self.words: Vocabulary = vocabulary()
        self.problems: list[Problem] = []
        self.facts: dict[str, Any] = {}
        self.sections: list[Section] = []
        self.preamble: list[Any] = []
        self.legal: list[dict[str, str]] = []
        self.contact: dict[str, Any] = {}
        self.contact_from: dict[str, Para] = {}
        self.history: list[dict[str, Any]] = []
        self.placed: set[int] = set()
        self.section_of: dict[int, str] = {}
        self.toc: list[Para] = []
        self.title: Para | None = None
        self.unrecognised: set[str] = set()  # ids of sections whose heading was not known
        self.explained: list[Explained] = []

    # --- problems -----------------------------------------------------------------------------

    def warn(self, number: int, message: str, code: Code) -> None:
        self.problems.append(Problem(self.doc.name, number, 1 if number else 0,
                                     Severity.WARNING, message, code))

    def place(self, *paras: Para) -> None:
        self.placed.update(p.number for p in paras)

    # --- headings -----------------------------------------------------------------------------

    def _paras(self) -> list[Para]:
        return [item for item in self.doc.body if isinstance(item, Para)
                and item.plain and not item.toc]

    def headings(self) -> tuple[Para | None, set[int], int | None]:
        """The title paragraph, the numbers of section headings, and the sub-heading level."""
        paras = self._paras()
        styled = [p for p in paras if p.heading]
        title = next((p for p in paras if p.heading == 0), None)
        if styled:
            levels = sorted({p.heading for p in styled if p.heading})
            top = levels[0]
            first = next(p for p in styled if p.heading == top)
            tops = [p for p in styled if p.heading == top]
            level = top
            if title is None and first is paras[0] and self.words.role(first.plain) is None:
                title = first
                if len(tops) == 1 and len(levels) > 1:
                    level = levels[1]
            heads = {p.number for p in styled if p.heading == level and p is not title}
            # A heading standardgen published keeps its bookmark even where an editor (or
            # LibreOffice joining a deleted paragraph) turned it into body text.
            heads |= {p.number for p in paras if _section_marked(p) and p is not title}
            sub = next((lv for lv in levels if lv > level), None)
            return title, heads, sub
        candidates = [p for p in paras if self._heading_like(p) or _section_marked(p)]
        if title is None and candidates and candidates[0] is paras[0] \
                and self.words.role(candidates[0].plain) is None:
            title = candidates[0]
        return title, {p.number for p in candidates if p is not title}, None

    def _heading_like(self, p: Para) -> bool:
        text = p.plain
        core = strip_numbering(text)
        if p.listed or not core or len(text) > 90 or len(core.split()) > 12:
            return False
        if core.endswith((".", ";", ",")) or self._fact_line(text) or _APPROVAL.search(text):
            return False
        emphasised = p.bold or p.size >= self.doc.body_size + 1.5
        return emphasised or (has_numbering(text) and self.words.role(core) is not None)

    # --- facts --------------------------------------------------------------------------------

    def _fact_line(self, text: str) -> tuple[str, str] | None:
        if ":" not in text:
            return None
        label, value = text.split(":", 1)
        key = self.words.fact(label)
        return (key, value.strip()) if key and value.strip() else None

    def fact(self, key: str, value: str) -> bool:
        """Record one fact; False when the value is not understood."""
        if key == "law":
            cited = split_citation(value)
            if not cited:
                return False
            law, paragraph = cited
            self.facts.setdefault("law", (self.words.law(law), paragraph))
        elif key in ("approval", "approval_date", "next_revision"):
            found = find_date(value)
            if not found:
                if key == "approval" and value:
                    self.facts.setdefault("approval_body", value)
                    return True
                return False
            day, match = found
            if key == "next_revision":
                self.facts.setdefault("next_revision", day)
                return True
            self.facts.setdefault("approval_date", day)
            body = (value[:match.start()] + " " + value[match.end():]).strip(" ,.")
            body = re.sub(r"^(?:i|af|på|den)\s+|\s+(?:den|d\.)$", "", body).strip(" ,.")
            if body:
                self.facts.setdefault("approval_body", body)
        else:
            self.facts.setdefault(key, value)
        return True

    def approval_sentence(self, p: Para) -> bool:
        """Approval in running text; True when the paragraph says nothing else."""
        match = _APPROVAL.search(p.plain)
        if not match:
            return False
        found = find_date(match.group("rest"))
        if not found:
            return False
        day, date_match = found
        self.facts.setdefault("approval_body", match.group("body").strip())
        self.facts.setdefault("approval_date", day)
        after = match.group("rest")[date_match.end():].strip(" .")
        return match.start() == 0 and not after

    # --- body ---------------------------------------------------------------------------------

    def run(self) -> None:
        self.title, heads, sub = self.headings()
        if self.title:
            self.place(self.title)
        versions = False
        for item in self.doc.body:
            if isinstance(item, Table):
                self.table(item, versions)
                continue
            p = item
            if not p.plain:
                continue
            if p.toc:
                self.toc.append(p)
                continue
            if p is self.title:
                continue
            if p.number in heads:
                versions = normalise(p.plain) in self.words.versions_headings
                if versions:
                    self.place(p)
                else:
                    self.new_section(p)
                continue
            if versions and p.plain in self.words.boilerplate:
                self.place(p)
                continue
            if sub is not None and p.heading == sub:
                self.add_text(p, f"**{to_markup(p.runs).strip('*')}**")
                continue
            self.paragraph(p)
        self.finish_toc()

    def current(self) -> Section | None:
        return self.sections[-1] if self.sections else None

    def target(self) -> list[Any]:
        """Where text goes: the current section, or before the first heading the preamble."""
        return self.sections[-1].content if self.sections else self.preamble

    def new_section(self, p: Para) -> None:
        title = strip_numbering(p.plain) if not p.numbered else p.plain
        found = self.words.match(title)
        role, ident, marked = found.role, None, False
        for name in p.bookmarks:
            mark = parse_mark(name)
            if mark and mark[0] == "section":
                ident, role, marked = mark[2], mark[1], True
        if marked:
            found = RoleMatch(role, 1.0)
        recognised = role is not None
        if role is None:
            role = Role.other
            self.warn(p.number, f"afsnit {p.number}: overskriften '{shown(title)}' kendes ikke; "
                      "afsnittet får role: other (vælg den rigtige rolle)", Code.IMPORT_HEADING)
        elif not found.confident:
            self.warn(p.number, f"afsnit {p.number}: overskriften '{shown(title)}' ligner både "
                      f"{role.value} og {_role_name(found.runner_up)} (sikkerhed "
                      f"{_percent(found.confidence)}); afsnittet får role: {role.value} "
                      "(ret den, hvis den er forkert)", Code.IMPORT_UNSURE)
        if not marked and role is not Role.other and not _many(role) \
                and any(s.role is role for s in self.sections):
            # Guessed from the heading only; a published file's bookmark names the role as the
            # standard had it (a profile may let several sections share one).
            self.warn(p.number, f"afsnit {p.number}: overskriften '{shown(title)}' har samme "
                      f"rolle ({role.value}) som et tidligere afsnit; den får role: other",
                      Code.IMPORT_HEADING)
            role = Role.other
        self.sections.append(Section(title, role, ident, p.number, recognised=recognised))
        self.explained.append(Explained(p.number, title, role, found))
        self.place(p)
        self.section_of[p.number] = title

    def paragraph(self, p: Para) -> None:
        section = self.current()
        if section:
            self.section_of[p.number] = section.title
        text = p.plain
        if self.approval_sentence(p) or self.generated(text):
            self.place(p)
            return
        if section is None:
            if self.preamble_fact(p):
                return
        elif self.special_line(section, p):
            return
        if text and text[0] in "•·▪–-" and len(text) > 2 and not p.listed:
            p.listed = True
            p.runs = _drop_bullet(p)
        self.add_text(p, to_markup(p.runs), listed=p.listed)

    def generated(self, text: str) -> bool:
        """A line standardgen's own .docx writes from its ``links`` (kept in the properties)."""
        return text.startswith(self.words.generated) and any(
            key.startswith("link.") for key in self.doc.properties)

    def special_line(self, section: Section, p: Para) -> bool:
        """A law reference or a contact line, in the sections those belong to."""
        if section.role is Role.legal_basis:
            return self.legal_line(p)
        return section.role is Role.contact and self.contact_line(p)

    def preamble_fact(self, p: Para) -> bool:
        text = p.plain
        line = self._fact_line(text)
        if line and self.fact(line[0], line[1]):
            self.place(p)
            return True
        match = _SERVICE_LINE.match(text)
        if match and split_citation(match.group("cite")):
            self.facts.setdefault("service", match.group("name"))
            self.fact("law", match.group("cite"))
            self.place(p)
            return True
        return False

    def legal_line(self, p: Para) -> bool:
        text = p.plain
        if text[0] in _QUOTES and self.legal and "text" not in self.legal[-1]:
            runs = to_markup(p.runs).strip().strip(_QUOTES).strip()
            self.legal[-1]["text"] = runs
            self.place(p)
            return True
        cited = split_citation(text)
        if cited and len(text) <= 120 and not text.endswith("."):
            law, paragraph = cited
            ref = {"law": self.words.law(law), "paragraph": paragraph}
            hrefs = {run.href for run in p.runs if run.href}
            if len(hrefs) == 1:
                ref["url"] = hrefs.pop()
            self.legal.append(ref)
            self.place(p)
            return True
        return False

    def contact_line(self, p: Para) -> bool:
        before = set(self.contact)
        placed = self._contact_line(p)
        for key in set(self.contact) - before:
            self.contact_from["address" if key == "_street" else key] = p
        return placed

    def _contact_line(self, p: Para) -> bool:
        text = p.plain
        line = self._fact_line(text)
        if line and line[0] in ("phone", "hours", "email", "unit"):
            self.contact.setdefault(line[0], line[1])
        elif _EMAIL.match(text):
            self.contact.setdefault("email", text)
        elif _POSTCODE.match(text) and self.contact.get("_street"):
            match = _POSTCODE.match(text)
            assert match
            self.contact["address"] = {"street": self.contact.pop("_street"),
                                       "postcode": match.group("code"),
                                       "city": match.group("city")}
        elif (self.town and text == self.town.name) or ("unit" in self.contact and \
                self.facts.get("municipality") == text):
            pass
        elif "unit" not in self.contact:
            self.contact["unit"] = text
        elif "_street" not in self.contact and "address" not in self.contact:
            self.contact["_street"] = text
        else:
            return False
        self.place(p)
        return True

    def add_text(self, p: Para, text: str, listed: bool = False) -> None:
        target = self.target()
        ident = None
        for name in p.bookmarks:
            mark = parse_mark(name)
            if mark and mark[0] in ("paragraph", "list"):
                ident = (mark[0], mark[2])
        if not text:
            return
        if listed:
            if target and isinstance(target[-1], dict) and "list" in target[-1] \
                    and not (ident and ident[0] == "list"):
                target[-1]["list"].append(text)
            else:
                block: dict[str, Any] = {"list": [text]}
                if ident and ident[0] == "list":
                    block = {"id": ident[1], "list": [text]}
                target.append(block)
        elif ident and ident[0] == "paragraph":
            target.append({"id": ident[1], "text": text})
        else:
            target.append(text)
        self.place(p)

    # --- tables -------------------------------------------------------------------------------

    def table(self, table: Table, versions: bool) -> None:
        rows = [[" ".join(p.plain for p in cell if p.plain) for cell in row] for row in table.rows]
        if rows and self.versions_table(table, rows):
            return
        labelled = [row for row in rows if len(row) >= 2 and row[0]
                    and (self.words.fact(row[0]) or self.words.role(row[0]))]
        if rows and len(labelled) * 2 >= len([r for r in rows if any(r)]) and labelled:
            self.facts_table(table)
            return
        self.text_table(table)

    def versions_table(self, table: Table, rows: list[list[str]]) -> bool:
        header = [normalise(c) for c in rows[0]]
        if len(header) < 3 or header[0] != "version" or "godkendt" not in header:
            return False
        for row, cells in zip(rows[1:], table.rows[1:], strict=True):
            if len(row) < 3 or not row[0]:
                continue
            found = find_date(row[1])
            if not found:
                continue
            current = row[0].endswith("(gældende)")
            version = row[0].removesuffix("(gældende)").strip()
            summary = to_markup([r for p in cells[3] for r in p.runs]) if len(cells) > 3 else ""
            if current:
                self.facts.setdefault("version", version)
                self.facts.setdefault("approval_date", found[0])
                self.facts.setdefault("approval_body", row[2])
            else:
                entry: dict[str, Any] = {"version": version,
                                         "approval": {"body": row[2], "date": found[0]}}
                if summary:
                    entry["summary"] = summary
                self.history.append(entry)
        self.place(*(p for row in table.rows for cell in row for p in cell))
        return True

    def facts_table(self, table: Table) -> None:
        for row in table.rows:
            if not row:
                continue
            label = " ".join(p.plain for p in row[0] if p.plain)
            values = [p for cell in row[1:] for p in cell if p.plain]
            value = " ".join(p.plain for p in values)
            key = self.words.fact(label) if label else None
            role = self.words.role(label) if label and not key else None
            cells = [p for cell in row for p in cell]
            if key and value and self.fact(key, value):
                self.place(*cells)
            elif role is not None and values:
                self.new_section(row[0][0])  # the label cell's paragraph is the heading
                for p in values:
                    self.paragraph(p)
                self.place(*cells)
            elif label or value:
                self.text_row(table, row)

    def text_table(self, table: Table) -> None:
        self.warn(table.first, f"tabel {table.number} (afsnit {table.first}) er ikke en "
                  "faktatabel; dens rækker er gemt som tekst, én linje pr. række",
                  Code.IMPORT_TABLE)
        for row in table.rows:
            self.text_row(table, row)

    def text_row(self, table: Table, row: list[list[Para]]) -> None:
        cells = [to_markup([r for p in cell for r in (*p.runs, _space())]).strip()
                 for cell in row]
        cells = [c for c in cells if c]
        if not cells:
            return
        paras = [p for cell in row for p in cell]
        text = f"{cells[0]}: {' – '.join(cells[1:])}" if len(cells) > 1 else cells[0]
        target = self.target()
        target.append(text)
        self.place(*paras)
        if self.current():
            for p in paras:
                self.section_of[p.number] = self.current().title  # type: ignore[union-attr]

    def finish_toc(self) -> None:
        if self.toc:
            listed = "; ".join(f"'{shown(p.plain)}'" for p in self.toc)
            self.warn(self.toc[0].number, f"afsnit {self.toc[0].number}-{self.toc[-1].number}: "
                      f"indholdsfortegnelsen importeres ikke (den laves af overskrifterne): "
                      f"{listed}", Code.IMPORT_TOC)
            self.place(*self.toc)


def _section_marked(p: Para) -> bool:
    return any((mark := parse_mark(name)) is not None and mark[0] == "section"
               for name in p.bookmarks)


def _space() -> Any:
    from standardgen.importer.wordfile import Run

    return Run(" ")


def _drop_bullet(p: Para) -> list[Any]:
    from standardgen.importer.wordfile import Run

    runs = list(p.runs)
    first = runs[0]
    runs[0] = Run(first.text.lstrip()[1:].lstrip(), first.bold, first.italic, first.href)
    return runs


# --- the standard's data -----------------------------------------------------------------------

def build(doc: WordFile, town: Municipality | None = None, town_id: str | None = None,
          slug: str | None = None) -> Imported:
    builder = _Builder(doc, town, town_id, slug)
    builder.problems += doc.warnings
    builder.run()
    data = _assemble(builder)
    _quoted_blocks(builder, data)
    _header_coverage(builder, data)
    for item in doc.body:
        paras = [item] if isinstance(item, Para) else [
            p for row in item.rows for cell in row for p in cell]
        for p in paras:
            if p.plain and p.number not in builder.placed:
                builder.warn(p.number, f"afsnit {p.number}: teksten '{shown(p.plain)}' blev "
                             "ikke importeret", Code.IMPORT_DROPPED)
    return Imported(data, builder.problems, builder.section_of, builder.unrecognised,
                    builder.explained)


def _assemble(b: _Builder) -> dict[str, Any]:
    props = b.doc.properties
    facts = b.facts
    title = b.title.plain if b.title else (b.doc.title or GUIDE.format("standardens titel"))
    service_props = _json(b, "service")
    law, paragraph = facts.get("law") or (None, None)
    if b.legal and not law:
        law, paragraph = b.legal[0]["law"], b.legal[0]["paragraph"]
    service_name = facts.get("service") or re.sub(
        r"^kvalitetsstandard\s*(?:for|:|-|–)?\s*", "", title, flags=re.IGNORECASE).strip()
    service_name = service_name[:1].upper() + service_name[1:]
    service: dict[str, Any] = {
        "name": service_name or GUIDE.format("ydelsens navn"),
        "law": service_props.get("law") or law or b.words.default_law,
        "paragraph": paragraph or GUIDE.format("paragraffen, fx § 104"),
    }
    service.update({k: v for k, v in service_props.items() if k != "law"})
    legal = b.legal or [{"law": service["law"], "paragraph": service["paragraph"]}]
    sections = _sections(b)
    slug = b.slug or props.get("slug") or slugify(service_name or title) or "standard"
    data: dict[str, Any] = {"slug": slug, "municipality": _town_id(b)}
    if props.get("profile", "serviceloven") != "serviceloven":
        data["profile"] = props["profile"]
    data.update({"title": title, "service": service, "legal_basis": legal,
                 "sections": sections})
    links = [_json(b, key) for key in sorted(props) if key.startswith("link.")]
    if links:
        data["links"] = links
    data["contact"] = _contact(b, _json(b, "contact"))
    day = facts.get("approval_date")
    data["approval"] = {
        "body": facts.get("approval_body") or GUIDE.format("udvalget, der godkendte standarden"),
        "date": day or GUIDE.format("godkendelsesdatoen, ÅÅÅÅ-MM-DD"),
    }
    data["version"] = facts.get("version") or (str(day.year) if day else
                                                GUIDE.format("versionen, fx 2024"))
    if facts.get("next_revision"):
        data["next_revision"] = facts["next_revision"]
    if b.history:
        data["history"] = b.history
    return data


def _quoted_blocks(b: _Builder, data: dict[str, Any]) -> None:
    """Give the id a letter quotes (``id: leverandoer``) to the one paragraph of its section;
    where the section has none or several, put a guidance marker with the id first in it, so
    `check` shows the officer where to write instead of failing on a missing block."""
    profile = profile_for_paragraph(str(data["service"]["paragraph"]))
    if profile is None:
        return
    for quote in profile.quotes.values():
        sections = [s for s in data["sections"] if s["role"] == quote.role.value]
        if quote.block is None or not quote.required or not sections or any(
                isinstance(c, dict) and c.get("id") == quote.block
                for s in sections for c in s.get("content", [])):
            continue
        plain = [(s, i) for s in sections for i, c in enumerate(s.get("content", []))
                 if isinstance(c, str)]
        if len(plain) == 1:
            section, i = plain[0]
            section["content"][i] = {"id": quote.block, "text": section["content"][i]}
            continue
        section = sections[0]
        section.setdefault("content", []).insert(0, {"id": quote.block, "text": GUIDE.format(
            f"skriv det afsnit, brevene citerer som '{quote.block}' (role: {quote.role.value}); "
            "flyt teksten hertil, hvis den står nedenfor")})
        b.warn(0, f"afsnittet '{section['title']}': brevene citerer tekst-id '{quote.block}', "
               "som ikke kunne findes entydigt; der er sat en vejledning ind",
               Code.IMPORT_QUOTE)


def _town_id(b: _Builder) -> str:
    if b.town_id:
        return b.town_id
    if b.doc.properties.get("municipality"):
        return b.doc.properties["municipality"]
    name = b.facts.get("municipality") or ""
    return slugify(re.sub(r"\s*kommune\s*$", "", name, flags=re.IGNORECASE)) or "kommune"


def _json(b: _Builder, key: str) -> dict[str, Any]:
    """The hidden JSON property ``key``; one that cannot be read is left out with a warning
    (nested ten thousand deep, it made Python's JSON parser raise RecursionError)."""
    value = b.doc.properties.get(key)
    if not value:
        return {}
    try:
        data = json.loads(value)
    except (ValueError, RecursionError):
        data = None
    if not isinstance(data, dict):
        b.warn(0, f"den skjulte egenskab standardgen.{key} er ikke gyldig JSON med nøgler og "
               "værdier (eller er indlejret for dybt); den bruges ikke", Code.IMPORT_ID)
        return {}
    return data


def _contact(b: _Builder, own: dict[str, Any]) -> dict[str, Any]:
    found = {k: v for k, v in b.contact.items() if not k.startswith("_")}
    if "unit" in b.facts:
        found.setdefault("unit", b.facts["unit"])
    for key in ("phone", "hours", "email"):
        if key in b.facts:
            found.setdefault(key, b.facts[key])
    town = b.town
    if own:  # the .docx says which fields are the standard's own; the rest is the town's
        found = {k: v for k, v in found.items() if k in own}
    elif town is not None:
        inherited = {"phone": town.phone, "email": town.email,
                     "address": town.address.model_dump(mode="json")}
        for key, value in list(found.items()):
            if inherited.get(key) == value:
                del found[key]
                para = b.contact_from.get(key)
                if para is not None:
                    b.warn(para.number, f"afsnit {para.number}: '{shown(para.plain)}' står "
                           "allerede i kommunefilen og gentages ikke i standarden",
                           Code.IMPORT_INHERITED)
    found.setdefault("unit", GUIDE.format("afdelingen, borgeren kontakter"))
    order = ("unit", "address", "phone", "email", "hours")
    return {k: found[k] for k in order if k in found}


def _sections(b: _Builder) -> list[dict[str, Any]]:
    sections = list(b.sections)
    roles = {s.role for s in sections}
    # Facts tables name the law and the unit without a section of their own; the standard's
    # Word and web pages render those sections from legal_basis and contact.
    if Role.legal_basis not in roles and (b.legal or "law" in b.facts):
        sections.append(Section("Lovgrundlag", Role.legal_basis, None, 0))
    if Role.contact not in roles and (b.contact or "unit" in b.facts):
        sections.append(Section("Kontaktinformationer", Role.contact, None, 0))
    if b.preamble:
        intro = Section("Indledning", Role.other, None, 0, list(b.preamble))
        sections.insert(0, intro)
        b.warn(0, "teksten før første overskrift er lagt i afsnittet 'Indledning' (role: other); "
               "flyt den, hvor den hører til", Code.IMPORT_PREAMBLE)
    used: set[str] = set()
    out = []
    for section in sections:
        ident = section.ident or slugify(section.title) or "afsnit"
        base, n = ident, 2
        while ident in used:
            ident, n = f"{base}-{n}", n + 1
        used.add(ident)
        if not section.recognised:
            b.unrecognised.add(ident)
        entry: dict[str, Any] = {"id": ident, "role": section.role.value,
                                 "title": section.title}
        content = [block for block in section.content if block]
        if content:
            entry["content"] = content
        out.append(entry)
    return out


def _header_coverage(b: _Builder, data: dict[str, Any]) -> None:
    """Header and footer lines repeat the title, the town and the approval; say which do not."""
    known = words_of(data) | {w.lower() for w in ("kommune", "version", "godkendt", "i", "den")}
    for p in b.doc.headers:
        rest = set(_words(p.plain)) - known
        if rest:
            what = "sidetallet" if _PAGE.match(p.plain) else "teksten"
            b.warn(0, f"sidehoved/sidefod: {what} '{shown(p.plain)}' importeres ikke",
                   Code.IMPORT_HEADER)


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.lower())


def words_of(data: Any) -> set[str]:
    """Every word of every value in ``data``, with dates as they may be written."""
    from standardgen.importer.vocabulary import date_words

    found: set[str] = set()
    if isinstance(data, dict):
        for value in data.values():
            found |= words_of(value)
    elif isinstance(data, list):
        for value in data:
            found |= words_of(value)
    elif isinstance(data, dt.date):
        found |= date_words(data)
    elif data is not None:
        found |= set(_words(str(data)))
    return found
