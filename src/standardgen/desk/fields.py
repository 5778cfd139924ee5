"""The desk's form, generated from the case JSON Schema: one field per leaf of the schema.

The schema decides which fields exist and their type; the letter kind's declaration
(``data/letter_kinds.yaml``) decides what is required, optional or not shown; the case vocabulary
(``data/case_fields.yaml``) names each field in Danish, as every message about it does. So a
field the case model gains (or a profile's own extent fields) shows up without a code change.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from standardgen.cases.letter_kinds import LetterKind
from standardgen.cases.vocabulary import Vocabulary, generic
from standardgen.standards.profiles import Profile

Widget = Literal["text", "number", "date", "radio", "lines", "address"]

#: The citizen's address is one field in the desk (street, then postcode and town), as it is
#: copied from the CPR register or a letter; the case file keeps its three parts.
ADDRESS = "citizen.address"

# What the browser may fill in or offer for a field (WHATWG autofill names). The citizen's
# fields are "off": the browser would offer the caseworker's own name and address there.
_AUTOCOMPLETE = {"caseworker.name": "name", "caseworker.phone": "tel",
                 "caseworker.email": "email", "caseworker.unit": "organization",
                 "citizen.name": "off", "citizen.cpr": "off", ADDRESS: "off"}
_INPUT_TYPE = {"caseworker.phone": "tel", "caseworker.email": "email"}
_INPUTMODE = {"citizen.cpr": "numeric", "caseworker.phone": "tel", "caseworker.email": "email"}
EITHER_OR = "hearing"  # the group whose fields the case rules require one way or the other
# A slot's number in a field name: ASCII digits only ("²".isdigit() is true, int("²") fails) and
# few of them (int() refuses more than 4,300 digits).
_INDEX = re.compile(r"[0-9]{1,6}")


@dataclass(frozen=True)
class FormField:
    name: str  # the dotted path in the case: "citizen.name", "follow_up.goals.0.theme"
    label: str
    hint: str
    widget: Widget
    required: bool  # the case needs it: the validation names it when it is left empty
    options: tuple[tuple[str, str], ...] = ()  # (value, label) for radios
    default: str = ""  # preselected or prefilled (a radio's default, today's date)
    optional: bool = False  # shown as "(valgfri)": the field may stay empty even in its group

    @property
    def id(self) -> str:
        """The element id: the path with dots as dashes (ids stay valid and readable)."""
        return "felt-" + self.name.replace(".", "-").replace("_", "-")

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(self.name.split("."))

    @property
    def autocomplete(self) -> str:
        return _AUTOCOMPLETE.get(generic(self.name), "")

    @property
    def input_type(self) -> str:
        return _INPUT_TYPE.get(self.name, "text")

    @property
    def inputmode(self) -> str:
        if self.widget == "number":
            return "decimal"
        return _INPUTMODE.get(self.name, "")


@dataclass(frozen=True)
class Group:
    """A fieldset: the top-level scalars (name ""), or one object of the case (``citizen``)."""

    name: str
    legend: str
    hint: str
    fields: tuple[FormField, ...]
    optional: bool = False  # the whole group may stay empty: "(valgfri)" on its legend
    add: str = ""  # a repeated group's path: the "Tilføj" button after its last slot


@dataclass(frozen=True)
class Labels:
    """Danish labels, hints and option names: the case vocabulary, the profile's extent labels,
    and the desk's own hints (``templates/desk/wording.yaml``)."""

    words: Vocabulary
    hints: Mapping[str, str]
    profile: Profile | None = None
    choices: Mapping[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)

    def label(self, key: str) -> str:
        return self.words.label(key, self.profile)

    def hint(self, key: str) -> str:
        return str(self.hints.get(generic(key)) or self.words.hint(key))

    def option(self, key: str, value: str) -> str:
        return self.words.option(key, value)


@dataclass(frozen=True)
class Needs:
    """What the letter kind says about the form: fields it requires beyond the schema (the
    begrundelse of a refusal), groups it does not show (partshøring on a full grant)."""

    required: frozenset[str] = frozenset()
    hidden: frozenset[str] = frozenset()
    conditional: Mapping[str, str] = field(default_factory=dict)  # path -> when, as a hint

    @classmethod
    def of(cls, kind: LetterKind) -> Needs:
        required: set[str] = set()
        hidden: set[str] = set()
        conditional: dict[str, str] = {}
        when = "Skal udfyldes, når ændringen er til ulempe for borgeren."
        for need, names in ((kind.reasons, ("facts", "considerations")),
                            (kind.hearing, ("hearing",))):
            if need == "required":
                required.update(names)
            elif need == "never":
                hidden.update(names)
            elif need == "disadvantage":
                conditional.update(dict.fromkeys(names, when))
        return cls(frozenset(required), frozenset(hidden), conditional)


def is_index(part: str) -> bool:
    """Whether one part of a field name is a slot number (``follow_up.goals.1.theme``)."""
    return _INDEX.fullmatch(part) is not None


def form_groups(schema: Mapping[str, Any], labels: Labels, *, skip: Sequence[str] = (),
                repeats: Mapping[str, int] | None = None,
                needs: Needs | None = None) -> tuple[Group, ...]:
    """The groups of fields for ``schema`` (a case JSON Schema), leaving out the paths in
    ``skip`` (chosen before the form: the standard and the letter kind) and those the kind
    hides. A repeated group gets ``repeats[path]`` slots (at least one)."""
    needs = needs or Needs()
    walker = _Walker(schema, labels, frozenset([*skip, *needs.hidden]), repeats or {}, needs)
    top: list[FormField] = []
    groups: list[Group] = []
    required = set(schema.get("required", ())) | needs.required
    for name, node in schema.get("properties", {}).items():
        if name in walker.skip:
            continue
        resolved, _ = walker.resolve(node)
        if resolved.get("type") == "object":
            present = name in required
            fields = tuple(walker.fields(resolved, name, present))
            hint = needs.conditional.get(name) or labels.hint(name)
            groups.append(Group(name, labels.label(name), hint, fields, optional=not present
                                and name not in needs.conditional))
            groups += walker.nested
            walker.nested = []
        elif _is_object_list(walker, resolved):
            groups += walker.repeated(resolved, name)
        else:
            top += walker.fields({"properties": {name: node},
                                  "required": [name] if name in required else []}, "", True)
    return (Group("", labels.label(""), labels.hint(""), tuple(top)), *groups)


def _is_object_list(walker: _Walker, node: Mapping[str, Any]) -> bool:
    if node.get("type") != "array":
        return False
    item, _ = walker.resolve(node.get("items", {}))
    return item.get("type") == "object"


class _Walker:
    def __init__(self, schema: Mapping[str, Any], labels: Labels, skip: frozenset[str],
                 repeats: Mapping[str, int], needs: Needs) -> None:
        self.defs: Mapping[str, Any] = schema.get("$defs", {})
        self.repeats = repeats
        self.labels = labels
        self.skip = skip
        self.needs = needs
        self.nested: list[Group] = []  # repeated groups found inside the group being walked

    def resolve(self, node: Mapping[str, Any]) -> tuple[Mapping[str, Any], bool]:
        """The node behind ``$ref`` and ``anyOf: [X, null]``, and whether null is allowed."""
        nullable = False
        if "anyOf" in node:
            options = [o for o in node["anyOf"] if o.get("type") != "null"]
            nullable = len(options) < len(node["anyOf"])
            node = {**options[0], **{k: v for k, v in node.items() if k != "anyOf"}}
        if "$ref" in node:
            target = self.defs[str(node["$ref"]).rsplit("/", 1)[-1]]
            node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        return node, nullable

    def fields(self, node: Mapping[str, Any], prefix: str,
               present: bool) -> Iterator[FormField]:
        """The leaves under ``node``; ``present``: the node itself is always in a case."""
        required = set(node.get("required", ()))
        for name, child in node.get("properties", {}).items():
            path = f"{prefix}.{name}" if prefix else name
            if path in self.skip:
                continue
            resolved, nullable = self.resolve(child)
            # A kind may require what the model allows to be empty (a grant's extent).
            own = name in required and (not nullable or not prefix)
            if path == ADDRESS:
                yield self.address(present and own)
            elif resolved.get("type") == "object":
                yield from self.fields(resolved, path, present and own)
            elif _is_object_list(self, resolved):
                self.nested += self.repeated(resolved, path)
            else:
                # Within its group a field is "(valgfri)" only if the group may have it empty.
                # A partshøring's fields are either-or (a date, or why none was held): its
                # group's hint says so, and none of them is "(valgfri)".
                conditional = path in self.needs.conditional or prefix in self.needs.conditional
                optional = not own and not conditional and prefix != EITHER_OR
                field = self.leaf(path, resolved, present and own, optional)
                when = self.needs.conditional.get(path)
                yield replace(field, hint=f"{field.hint} {when}".strip()) if when else field

    def repeated(self, node: Mapping[str, Any], name: str) -> list[Group]:
        item, _ = self.resolve(node.get("items", {}))
        legend = self.labels.label(name)
        count = max(1, self.repeats.get(name, 0))
        return [Group(f"{name}.{i}", f"{legend} {i + 1}", self.labels.hint(name),
                      tuple(self.fields(item, f"{name}.{i}", False)), optional=True,
                      add=name if i == count - 1 else "") for i in range(count)]

    def address(self, required: bool) -> FormField:
        return FormField(ADDRESS, self.labels.label(ADDRESS), self.labels.hint(ADDRESS),
                         "address", required)

    def leaf(self, path: str, node: Mapping[str, Any], required: bool,
             optional: bool) -> FormField:
        label, hint = self.labels.label(path), self.labels.hint(path)
        choices = self.labels.choices.get(generic(path))
        if "enum" in node or choices:
            options = choices or tuple((str(v), self.labels.option(path, str(v)))
                                       for v in node["enum"])
            default = str(node["default"]) if node.get("default") is not None else ""
            return FormField(path, label, hint, "radio", required, options, default,
                             optional=optional)
        kind = node.get("type")
        widget: Widget = "text"
        if kind == "array":
            widget = "lines"
        elif kind in ("integer", "number"):
            widget = "number"
        elif node.get("format") == "date":
            widget = "date"
        return FormField(path, label, hint, widget, required, optional=optional)


def all_fields(groups: Sequence[Group]) -> tuple[FormField, ...]:
    return tuple(field for group in groups for field in group.fields)
