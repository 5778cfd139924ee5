"""Read a YAML file safely into plain data that remembers the line of every value.

Policy staff edit these files by hand, so everything that can go wrong with YAML must become a
located Danish message rather than a traceback, a hang or silently wrong data: PyYAML keeps the last
of two duplicate keys without a word, expands alias bombs exponentially and recurses on deep
nesting. We therefore scan the event stream first (iterative, cheap) to refuse aliases, foreign tags
and deep nesting, then compose nodes and build the data ourselves.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from yaml.constructor import SafeConstructor

from standardgen.core.codes import Code
from standardgen.core.problems import InputError, Problem, Severity, display_path

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 40

Loc = tuple[str | int, ...]
Mark = tuple[int, int]

_TAG = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "seq", "map")}
# Timestamps and numbers are left as written: the model then reports an impossible date
# (2023-02-30) as a located problem instead of PyYAML raising, and a code such as `030011` or a
# version such as `1.10` is not silently turned into 12297 or 1.1. Integer fields still accept
# the text, since pydantic parses "3" as 3.
_TEXT_TAGS = {_TAG + t for t in ("str", "timestamp", "int", "float")}

_SYNTAX_MESSAGES: list[tuple[str, str]] = [
    ("found character '\\t'", "tabulatortegn er ikke tilladt til indrykning; brug mellemrum"),
    ("mapping values are not allowed", "kolon er ikke tilladt her; sæt teksten i anførselstegn"),
    ("could not find expected ':'", "forventede et kolon efter en nøgle; tjek indrykningen"),
    ("did not find expected key", "forventede en nøgle; tjek indrykningen"),
    ("did not find expected '-' indicator", "forventede et listepunkt (-); tjek indrykningen"),
    ("expected <block end>", "uventet indhold; tjek indrykningen"),
    ("found unexpected end of stream", "filen slutter midt i en værdi; mangler et anførselstegn?"),
    ("found unexpected ':'", "uventet kolon; sæt teksten i anførselstegn"),
    ("found unknown escape character", "ukendt escape-tegn efter \\ i tekst i anførselstegn"),
    ("expected ',' or ']'", "forventede ',' eller ']' i listen"),
    ("expected ',' or '}'", "forventede ',' eller '}' i tabellen"),
    ("found undefined tag handle", "ukendt YAML-tag"),
    ("expected the node content", "forventede en værdi her; mangler der noget, eller er en "
     "parentes ikke lukket?"),
    ("did not find expected node content", "forventede en værdi her; mangler der noget?"),
    ("block sequence entries are not allowed", "et listepunkt (-) er ikke tilladt her; tjek "
     "indrykningen"),
    ("found a tab character", "tabulatortegn er ikke tilladt til indrykning; brug mellemrum"),
    ("expected '<document start>'", "uventet indhold; tjek indrykningen"),
    ("expected a comment or a line break", "uventet tekst efter værdien; sæt hele teksten i "
     "anførselstegn"),
    ("found unexpected document separator", "'---' eller '...' står midt i en tekst"),
    ("special characters are not allowed", "filen indeholder kontroltegn, som ikke er tilladt"),
]


@dataclass(frozen=True)
class YamlDocument:
    """Plain data from one YAML file with the position of every value and key."""

    path: Path
    data: dict[str, Any]
    value_marks: dict[Loc, Mark] = field(repr=False)
    key_marks: dict[Loc, Mark] = field(repr=False)
    # Problems that still leave usable data (a duplicate key: the first one is kept), so that
    # validation can go on and report everything in one run.
    problems: tuple[Problem, ...] = ()

    @property
    def name(self) -> str:
        return display_path(self.path)

    def mark(self, loc: Loc, *, key: bool = False) -> Mark:
        """The best position for ``loc``: the deepest known prefix of it.

        Elements that are not in the document (pydantic's union tags, a missing field's name) are
        skipped, so a problem deep inside a value still lands on the nearest line we know.
        """
        best: Loc = ()
        for element in loc:
            candidate = (*best, element)
            if candidate in self.value_marks:
                best = candidate
        if key and best == tuple(loc) and best in self.key_marks:
            return self.key_marks[best]
        return self.value_marks.get(best, (1, 1))

    def problem(
        self, loc: Loc, message: str, *, key: bool = False, code: Code | Literal[""] = "",
        severity: Severity = Severity.ERROR,
    ) -> Problem:
        line, column = self.mark(loc, key=key)
        return Problem(self.name, line, column, severity, message, code)


def load_yaml(path: Path) -> YamlDocument:
    """Read ``path`` into a :class:`YamlDocument` or raise :class:`InputError`."""
    return parse_yaml(_read_text(path), path)


def parse_yaml_bytes(raw: bytes, path: Path) -> YamlDocument:
    """The bytes of a YAML file that was never on disk (an upload), named ``path`` in problems,
    with the same checks as :func:`load_yaml` (size, binary, encoding)."""
    name = display_path(path)
    if len(raw) > MAX_BYTES:
        raise InputError([Problem(name, 0, 0, Severity.ERROR, _too_large(len(raw)), Code.SIZE)])
    return parse_yaml(_decode(raw, name), path)


def parse_yaml(text: str, path: Path) -> YamlDocument:
    """YAML text that did not come from a file (the web desk) into a :class:`YamlDocument`
    named ``path``, or raise :class:`InputError`."""
    name = display_path(path)
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise InputError([Problem(name, 0, 0, Severity.ERROR, "teksten er for stor", Code.SIZE)])
    node = _compose(text, name)
    if node is None:
        raise InputError([Problem(name, 1, 1, Severity.ERROR, "filen er tom", Code.EMPTY)])
    builder = _Builder(name)
    data = builder.build(node, ())
    if not isinstance(data, dict):
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        raise InputError([Problem(
            name, line, col, Severity.ERROR,
            "filen skal bestå af nøgler med værdier (fx 'title: ...'), ikke en liste eller tekst",
            Code.NOT_MAPPING,
        )])
    return YamlDocument(path, data, builder.value_marks, builder.key_marks,
                        tuple(builder.problems))


def _read_text(path: Path) -> str:
    name = display_path(path)

    def fail(message: str, code: Code, line: int = 0, col: int = 0) -> InputError:
        return InputError([Problem(name, line, col, Severity.ERROR, message, code)])

    if not path.exists():
        raise fail("filen findes ikke", Code.NOT_FOUND)
    if not path.is_file():
        raise fail("er ikke en fil", Code.NOT_FILE)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise fail(_too_large(size), Code.SIZE)
    return _decode(path.read_bytes(), name)


def _too_large(size: int) -> str:
    # Round up: a file just over the limit must not read as "2048 KiB; højst 2048 KiB".
    return f"filen er for stor ({-(-size // 1024)} KiB; højst {MAX_BYTES // 1024} KiB)"


def _decode(raw: bytes, name: str) -> str:
    def fail(message: str, code: Code, line: int = 0, col: int = 0) -> InputError:
        return InputError([Problem(name, line, col, Severity.ERROR, message, code)])

    wide = wide_encoding(raw)
    if wide:
        raise fail(f"filen er gemt som {wide}; gem den igen med tegnsættet UTF-8", Code.ENCODING)
    if b"\x00" in raw:
        raise fail("filen er binær, ikke en YAML-tekstfil", Code.BINARY)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise fail("filen er ikke gemt som UTF-8; gem den igen med tegnsættet UTF-8",
                   Code.ENCODING, line, column) from None
    # A line may end in CR alone (old Mac editors); YAML counts it as a line break too.
    if not re.search(r"(?:^|[\r\n])[ \t]*[^#\s]", text):
        raise fail("filen er tom", Code.EMPTY, 1, 1)
    return text


_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
         (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))


def wide_encoding(raw: bytes) -> str | None:
    """"UTF-16" or "UTF-32" when ``raw`` is text saved so (Notepad's and Excel's "Unicode"),
    by its byte order mark or, without one, by the zero bytes of mostly Latin text; else None.
    Such a file used to be called binary, which sends the author looking for the wrong fault."""
    for bom, name in _BOMS:
        if raw.startswith(bom):
            return name
    sample = raw[:4096]
    if len(sample) < 8 or sample.count(0) < len(sample) // 3:
        return None

    def zeros(start: int, step: int) -> bool:
        part = sample[start::step]
        return part.count(0) >= 0.9 * len(part)

    if all(zeros(i, 4) for i in (1, 2, 3)) or all(zeros(i, 4) for i in (0, 1, 2)):
        return "UTF-32"
    if zeros(1, 2) or zeros(0, 2):
        return "UTF-16"
    return None


def _compose(text: str, name: str) -> yaml.Node | None:
    """The node tree of ``text``, its events checked first (:func:`_check_events`).

    libyaml (PyYAML's C parser, ~17x faster: 1.2 against 20 ms for a standard and the letter
    wording) reads a file that parses; a file it refuses is read again by PyYAML's own parser,
    whose error messages ``_SYNTAX_MESSAGES`` translates (libyaml words them differently). So
    does a file with a tab (libyaml takes a tab inside a plain key or value as part of it, PyYAML
    refuses it, and policy staff should hear about a tab) or with a byte order mark inside it
    (libyaml counts it in no column). Otherwise both give the same nodes with the same lines
    and columns (``tests/test_yamlsource.py`` compares them over every YAML file in the
    repository and some 2,000 broken variants of a case file)."""
    if _FAST_LOADER is not None and not any(char in text for char in _PYYAML_ONLY):
        try:
            _check_events(yaml.parse(text, Loader=_FAST_LOADER), name)
            return yaml.compose(text, Loader=_FAST_LOADER)
        except (yaml.YAMLError, UnicodeError):  # a lone surrogate from a web form, say
            pass
    _scan_events(text, name)
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:  # pragma: no cover - the event scan catches these first
        raise InputError([_syntax_problem(name, exc)]) from None


_FAST_LOADER: type[yaml.CSafeLoader] | None = getattr(yaml, "CSafeLoader", None)
_PYYAML_ONLY = ("\t", "\ufeff")  # characters libyaml reads differently


def _check_events(events: Iterator[yaml.Event], name: str) -> None:
    """Refuse what PyYAML would accept silently: aliases, foreign tags, deep nesting, a
    second document."""
    depth = 0
    documents = 0
    for event in events:
        problem = _event_problem(event, name, depth)
        if problem:
            raise InputError([problem])
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise InputError([_at(name, event, "filen må kun indeholde ét YAML-dokument "
                                                   "(fjern '---')", Code.DOCUMENTS)])
        elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            depth += 1
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            depth -= 1


def _scan_events(text: str, name: str) -> None:
    """:func:`_check_events` with PyYAML's own parser, its errors as located problems."""
    try:
        _check_events(yaml.parse(text, Loader=yaml.SafeLoader), name)
    except yaml.MarkedYAMLError as exc:
        raise InputError([_syntax_problem(name, exc, text)]) from None
    except yaml.reader.ReaderError as exc:
        raise InputError([_reader_problem(name, text, exc)]) from None
    except yaml.YAMLError as exc:
        raise InputError([Problem(name, 0, 0, Severity.ERROR, f"ugyldig YAML: {exc}", Code.SYNTAX)]
                         ) from None


def _reader_problem(name: str, text: str, exc: yaml.reader.ReaderError) -> Problem:
    # PyYAML refuses control characters (a vertical tab pasted from Word, an escape code) with
    # a ReaderError that carries only an offset into the text, not a line and column.
    position = exc.position
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    return Problem(name, line, column, Severity.ERROR,
                   f"filen indeholder et kontroltegn (U+{exc.character:04X}), som ikke er "
                   "tilladt; slet det", Code.CONTROL_CHARACTER)


def _event_problem(event: yaml.Event, name: str, depth: int) -> Problem | None:
    if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
        return _at(name, event, "ankre og aliaser (& og *) er ikke tilladt; skriv værdien ud",
                   Code.ALIAS)
    tag = getattr(event, "tag", None)
    if tag and tag != "!" and tag not in _ALLOWED_TAGS:
        return _at(name, event, f"YAML-tagget '{tag}' er ikke tilladt", Code.TAG)
    if depth >= MAX_DEPTH and isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
        return _at(name, event, f"strukturen er for dybt indlejret (over {MAX_DEPTH} niveauer)",
                   Code.DEPTH)
    return None


def _at(name: str, event: yaml.Event | yaml.Node, message: str, code: Code) -> Problem:
    mark = event.start_mark
    if mark is None:
        return Problem(name, 0, 0, Severity.ERROR, message, code)
    return Problem(name, mark.line + 1, mark.column + 1, Severity.ERROR, message, code)


_INNER_QUOTES = {
    '"': "et anførselstegn (\") inde i teksten afslutter den for tidligt; sæt teksten i enkelte "
         "anførselstegn ('...') eller skriv \\\" for hvert anførselstegn inde i den",
    "'": "en apostrof (') inde i teksten afslutter den for tidligt; skriv den to gange ('') "
         "eller sæt teksten i dobbelte anførselstegn (\"...\")",
}


def _syntax_problem(name: str, exc: yaml.MarkedYAMLError, text: str = "") -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    problem = exc.problem or ""
    # `- "Hun sagde "nej" til"`: the text ends at the second quote, and PyYAML reports what
    # follows as unexpected content, which would read as an indentation problem.
    head = text[:mark.index].rstrip(" ") if mark and 0 < mark.index <= len(text) else ""
    before = head[-1:]
    if problem.startswith("expected") and before and before in _INNER_QUOTES:
        column = col - (mark.index - len(head)) - 1 if mark else 0  # on the quote that ended it
        return Problem(name, line, column, Severity.ERROR, _INNER_QUOTES[before], Code.SYNTAX)
    for needle, danish in _SYNTAX_MESSAGES:
        if needle in problem:
            return Problem(name, line, col, Severity.ERROR, danish, Code.SYNTAX)
    return Problem(name, line, col, Severity.ERROR, f"ugyldig YAML (teknisk: {problem})",
                   Code.SYNTAX)


class _Builder:
    """Turns composed nodes into plain data, recording marks and refusing duplicate keys."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Problem] = []
        self.value_marks: dict[Loc, Mark] = {}
        self.key_marks: dict[Loc, Mark] = {}
        self._constructor = SafeConstructor()

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        self.value_marks[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*loc, i)) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, loc: Loc) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self._key(key_node)
            if key is None:
                continue
            if key in result:
                first = self.key_marks[(*loc, key)]
                self.problems.append(_at(
                    self.name, key_node,
                    f"nøglen '{key}' står to gange (første gang i linje {first[0]}); "
                    "kun én er tilladt", Code.DUPLICATE_KEY))
                continue
            self.key_marks[(*loc, key)] = (key_node.start_mark.line + 1,
                                           key_node.start_mark.column + 1)
            result[key] = self.build(value_node, (*loc, key))
        return result

    def _key(self, node: yaml.Node) -> str | None:
        if isinstance(node, yaml.ScalarNode) and node.tag in (_TAG + "str", _TAG + "int"):
            return str(node.value)
        if isinstance(node, yaml.ScalarNode) and node.tag == _TAG + "bool":
            self.problems.append(_at(self.name, node, f"nøglen '{node.value}' læses som ja/nej; "
                                                      "sæt den i anførselstegn", Code.KEY_TYPE))
            return None
        self.problems.append(_at(self.name, node, "en nøgle skal være en kort tekst",
                                 Code.KEY_TYPE))
        return None

    def _scalar(self, node: yaml.Node) -> Any:
        if node.tag in _TEXT_TAGS:
            return str(node.value)
        try:
            return self._constructor.construct_object(node, deep=True)
        except (ValueError, yaml.YAMLError):
            self.problems.append(_at(self.name, node, f"ugyldig værdi '{node.value}'", Code.VALUE))
            return None


def iter_yaml_files(root: Path) -> Iterator[Path]:
    """YAML files directly in ``root``, in a stable order."""
    yield from sorted(p for p in root.glob("*.yaml") if p.is_file())
    yield from sorted(p for p in root.glob("*.yml") if p.is_file())


def iter_standard_files(root: Path, skip: tuple[str, ...] = ("municipalities",),
                        *, top: bool = True) -> Iterator[Path]:
    """YAML files in ``root`` and its subfolders (a municipality may sort its 30 standards into
    folders per area), folder by folder; folders named in ``skip`` and hidden ones are left out.
    Below ``root`` a file counts only when it has a top-level ``slug:`` key, so the cases and
    follow-up records kept beside standards (``examples/<municipality>/cases``) stay out."""
    for path in iter_yaml_files(root):
        if top or looks_like_standard(path):
            yield path
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        if folder.name not in skip and not folder.name.startswith((".", "_")):
            yield from iter_standard_files(folder, skip, top=False)


_SLUG_KEY = re.compile(rb"^slug[ \t]*:", re.MULTILINE)


def looks_like_standard(path: Path) -> bool:
    """A cheap test before parsing: the file has a top-level ``slug:`` key."""
    try:
        with path.open("rb") as file:
            return _SLUG_KEY.search(file.read(MAX_BYTES)) is not None
    except OSError:
        return False
