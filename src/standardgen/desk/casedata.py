"""A case between the browser and the pipeline: form values <-> case data <-> case YAML.

The form becomes the case YAML that ``standardgen letter`` reads (the file the caseworker can
download), and that YAML is what gets checked: by the same YAML reader, the same validation and
the same letter rules as the command line. Problems come back located by path in the case, so
each is shown at its field; problems the reader finds (an uploaded file that is not YAML) have
only a line and column.
"""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from standardgen.core.codes import Code
from standardgen.core.cpr import mask_in_text
from standardgen.core.problems import InputError, Problem, Severity
from standardgen.core.yamlsource import Loc, YamlDocument, parse_yaml_bytes
from standardgen.desk.fields import FormField, is_index

#: The longest value one form field takes (a name, a sentence, a list of a few reasons).
MAX_FIELD = 5000
#: The most slots a repeated group may have in a posted form (follow-up goals).
MAX_SLOTS = 20
#: The largest case YAML the desk takes, uploaded or made from the form: one limit, checked
#: when the case comes in, so that every request carrying it back (the preview's downloads,
#: "Ret sagen") is sized for it and a case the desk took can always be downloaded.
MAX_CASE = 256 * 1024
YAML_NAME = Path("sag.yaml")  # how a case from the desk is named in problems
_HEADER = "# Sag fra standardgen desk: læses af 'standardgen letter' og 'standardgen desk'.\n"
_LINE_BREAKS = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Issue:
    """A problem to show: at a field (``field``) or, without one, at a line of the YAML."""

    message: str
    field: FormField | None = None
    where: str = ""
    anchor: str = ""  # the element to link to when there is no field (a choice on the start)

    @property
    def target(self) -> str:
        return self.field.id if self.field is not None else self.anchor


@dataclass(frozen=True)
class _Recording(YamlDocument):
    """A document that remembers the path in the case of every problem made from it."""

    locs: dict[Problem, Loc] = field(default_factory=dict, repr=False, compare=False)

    def problem(self, loc: Loc, message: str, *, key: bool = False, code: Code | Literal[""] = "",
                severity: Severity = Severity.ERROR) -> Problem:
        found = super().problem(loc, message, key=key, code=code, severity=severity)
        self.locs[found] = tuple(loc)
        return found


def recording(document: YamlDocument) -> _Recording:
    return _Recording(document.path, document.data, document.value_marks, document.key_marks,
                      document.problems)


def locate(document: YamlDocument, problem: Problem) -> Loc | None:
    """The path in the case a problem is about, when the document recorded it."""
    if isinstance(document, _Recording):
        return document.locs.get(problem)
    return None


# --- form -> data ------------------------------------------------------------------------------

def from_form(form: Mapping[str, str], fields: Sequence[FormField],
              fixed: Mapping[str, str]) -> tuple[dict[str, Any], list[Issue]]:
    """The case data the form describes, and the problems of the form itself (a value too long,
    a control character): those are the desk's transport rules, checked before the YAML."""
    data: dict[str, Any] = dict(fixed)
    issues: list[Issue] = []
    for spec in fields:
        raw = form.get(spec.name, "")
        problem = _value_problem(raw)
        if problem:
            issues.append(Issue(problem, spec))
            continue
        value = _value(spec, raw)
        if value:
            _put(data, spec.path, value)
        elif spec.required:
            # The groups of a required field exist, so the validation names every required
            # field left empty (GOV.UK: an error at each), not only the missing group.
            _groups(data, spec.path[:-1])
    return _compact(data), issues


def _groups(data: dict[str, Any], path: Sequence[str]) -> None:
    target = data
    for part in path:
        target = target.setdefault(part, {})


def _value_problem(raw: str) -> str:
    if len(raw) > MAX_FIELD:
        return f"feltet er for langt ({len(raw)} tegn; højst {MAX_FIELD})"
    for char in raw:
        if char not in "\r\n\t" and unicodedata.category(char) in ("Cc", "Cs", "Co", "Cn"):
            # The same rule as the YAML reader: a vertical tab pasted from Word, an escape code.
            return (f"feltet indeholder et kontroltegn (U+{ord(char):04X}), som ikke er "
                    "tilladt; slet det")
    return ""


def _value(spec: FormField, raw: str) -> str | list[str]:
    if spec.widget == "lines":
        return [line.strip() for line in _LINE_BREAKS.split(raw) if line.strip()]
    # One-line fields: a line break a hostile client sends is kept as a space, never as a
    # second line that could be read as another key.
    return " ".join(_LINE_BREAKS.split(raw)).strip()


def _put(data: dict[str, Any], path: Sequence[str], value: Any) -> None:
    target: dict[str, Any] = data
    for part in path[:-1]:
        target = target.setdefault(part, {})
    target[path[-1]] = value


def _compact(node: Any) -> Any:
    """Repeated groups were filled in as {"0": {...}, "2": {...}}: a list, in slot order, of
    the slots that hold anything."""
    if not isinstance(node, dict):
        return node
    if node and all(is_index(key) for key in node):
        return [_compact(node[key]) for key in sorted(node, key=int)]
    return {key: _compact(value) for key, value in node.items()}


def _get(data: Mapping[str, Any], path: Sequence[str]) -> Any:
    node: Any = data
    for part in path:
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


# --- data -> form ------------------------------------------------------------------------------

def to_form(data: Mapping[str, Any]) -> dict[str, str]:
    """Form values for case data (an uploaded YAML, a case sent back for changes)."""
    values: dict[str, str] = {}

    def walk(node: Any, prefix: str) -> None:
        if isinstance(node, Mapping):
            for key, value in node.items():
                walk(value, f"{prefix}.{key}" if prefix else str(key))
        elif isinstance(node, list) and node and all(isinstance(i, Mapping) for i in node):
            for index, item in enumerate(node):
                walk(item, f"{prefix}.{index}")
        elif isinstance(node, list):
            values[prefix] = "\n".join(str(item) for item in node)
        elif node is not None:
            values[prefix] = str(node)

    walk(data, "")
    return values


def posted_slots(form: Mapping[str, str], name: str) -> int:
    """How many slots of the repeated group ``name`` a posted form had (bounded)."""
    prefix = name + "."
    parts = [key[len(prefix):].split(".", 1)[0] for key in form if key.startswith(prefix)]
    indexes = [int(part) for part in parts if is_index(part)]
    return min(MAX_SLOTS, max(indexes, default=-1) + 1)


# --- data <-> YAML -----------------------------------------------------------------------------

def to_yaml(data: Mapping[str, Any]) -> bytes:
    """The case as the YAML file ``standardgen letter`` reads (UTF-8, block style)."""
    body = yaml.safe_dump(dict(data), allow_unicode=True, sort_keys=False,
                          default_flow_style=False, width=10_000)
    return (_HEADER + body).encode("utf-8")


def read_yaml(raw: bytes) -> _Recording:
    """Parse a case YAML (typed in the form, or uploaded) as the command line reads a file;
    :class:`InputError` when it is not a YAML mapping at all."""
    return recording(parse_yaml_bytes(raw, YAML_NAME))


def size_issue(raw: bytes) -> Issue | None:
    """A case over :data:`MAX_CASE`, as one problem (what :func:`issues` would give)."""
    if len(raw) <= MAX_CASE:
        return None
    return Issue(f"sagen er for stor ({-(-len(raw) // 1024)} KiB; højst {MAX_CASE // 1024} KiB)")


def packed_size(size: int) -> int:
    """The length of :func:`pack` of ``size`` bytes (base64)."""
    return 4 * -(-size // 3)


def pack(raw: bytes) -> str:
    """The YAML in a hidden form field: base64, so no browser rewrites its line breaks."""
    return base64.urlsafe_b64encode(raw).decode("ascii")


def unpack(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text.encode("ascii"))
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise InputError([Problem(str(YAML_NAME), 0, 0, Severity.ERROR,
                                  "sagen i formularen er ødelagt; begynd forfra", Code.PACKED)]
                         ) from None


# --- problems -> issues ------------------------------------------------------------------------

def issues(problems: Sequence[Problem], document: YamlDocument | None,
           fields: Sequence[FormField]) -> list[Issue]:
    """Each problem at the field it is about (or with its line, when no field shows it)."""
    by_name = {spec.name: spec for spec in fields}
    found = []
    for problem in problems:
        loc = locate(document, problem) if document is not None else None
        spec = _field_for(loc, problem, by_name) if loc is not None else None
        message = mask_in_text(_for_field(problem, spec))
        where = "" if spec else (f"linje {problem.line}, kolonne {problem.column}"
                                 if problem.line else "")
        found.append(Issue(message, spec, where))
    return found


def _field_for(loc: Loc, problem: Problem,
               by_name: Mapping[str, FormField]) -> FormField | None:
    path = [str(part) for part in loc]
    if problem.code == Code.MISSING:
        match = re.search(r"'([^']+)'", problem.message)
        if match:
            path.append(match.group(1))
    for end in range(len(path), 0, -1):
        name = ".".join(path[:end])
        if name in by_name:
            return by_name[name]
    prefix = ".".join(path) + "."
    # A problem about a whole group (extent missing): its first field.
    return next((spec for name, spec in by_name.items() if name.startswith(prefix)), None)


def _for_field(problem: Problem, spec: FormField | None) -> str:
    if spec is None:
        return problem.message
    if problem.code == Code.MISSING and problem.message.endswith(f"'{spec.path[-1]}'"):
        return "skal udfyldes"
    return re.sub(rf"^'{re.escape(spec.path[-1])}' ", "", problem.message)
