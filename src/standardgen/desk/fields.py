"""The desk's form, generated from the case JSON Schema: one field per leaf of the schema.

The schema decides which fields exist, their type and whether they are required; the desk's
wording file (``templates/desk/wording.yaml``) gives each a Danish label and hint. So a field the
case model gains (or a profile's own extent fields) shows up in the form without a code change.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from standardgen.standards.profiles import Profile

Widget = Literal["text", "number", "date", "radio", "lines"]

#: Repeated groups (a list of objects, such as follow-up goals) get this many slots in the form.
REPEAT = 3
# A slot's number in a field name: ASCII digits only ("²".isdigit() is true, int("²") fails) and
# few of them (int() refuses more than 4,300 digits).
_INDEX = re.compile(r"[0-9]{1,6}")


@dataclass(frozen=True)
class FormField:
    name: str  # the dotted path in the case: "citizen.address.street", "follow_up.goals.0.theme"
    label: str
    hint: str
    widget: Widget
    required: bool  # required whenever its group is filled in
    options: tuple[tuple[str, str], ...] = ()  # (value, label) for radios
    default: str = ""  # the schema's default (a radio's preselected option)

    @property
    def id(self) -> str:
        """The element id: the path with dots as dashes (ids stay valid and readable)."""
        return "felt-" + self.name.replace(".", "-").replace("_", "-")

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(self.name.split("."))


@dataclass(frozen=True)
class Group:
    """A fieldset: the top-level scalars (name ""), or one object of the case (``citizen``)."""

    name: str
    legend: str
    hint: str
    fields: tuple[FormField, ...]


@dataclass(frozen=True)
class Labels:
    """Danish labels, hints and option names, keyed by dotted path (``templates/desk``)."""

    labels: Mapping[str, str]
    hints: Mapping[str, str]
    options: Mapping[str, Mapping[str, str]]

    def label(self, key: str, node: Mapping[str, Any]) -> str:
        generic = generic_key(key)
        for candidate in (key, generic):
            if candidate in self.labels:
                return self.labels[candidate]
        # A profile's own fields carry their Danish label in the schema (title or description).
        return str(node.get("description") or node.get("title") or key).rstrip(".")

    def with_extent(self, profile: Profile | None) -> Labels:
        """Labels for the extent fields of a service profile, from the profile: "Omfang (timer
        om ugen)" for § 85, "Omfang (dage om ugen)" for § 104."""
        if profile is None:
            return self
        own = dict(self.labels)
        for name, spec in profile.extent.items():
            unit = f" ({spec.unit[1]} {spec.per})" if spec.unit and spec.per else ""
            for group in ("extent", "previous_extent"):
                own.setdefault(f"{group}.{name}", spec.label + unit)
        return replace(self, labels=own)

    def hint(self, key: str, node: Mapping[str, Any]) -> str:
        generic = generic_key(key)
        return self.hints.get(key, self.hints.get(generic, ""))


def is_index(part: str) -> bool:
    """Whether one part of a field name is a slot number (``follow_up.goals.1.theme``)."""
    return _INDEX.fullmatch(part) is not None


def generic_key(key: str) -> str:
    """``follow_up.goals.1.theme`` -> ``follow_up.goals.theme`` (labels of repeated groups)."""
    return ".".join(part for part in key.split(".") if not is_index(part))


def form_groups(schema: Mapping[str, Any], labels: Labels, *, skip: Sequence[str] = (),
                repeats: Mapping[str, int] | None = None) -> tuple[Group, ...]:
    """The groups of fields for ``schema`` (a case JSON Schema), leaving out the paths in
    ``skip`` (chosen before the form: the standard and the letter kind). A repeated group gets
    ``repeats[path]`` filled slots and one spare (at least :data:`REPEAT` in all)."""
    walker = _Walker(schema, labels, frozenset(skip), repeats or {})
    top: list[FormField] = []
    groups: list[Group] = []
    required = set(schema.get("required", ()))
    for name, node in schema.get("properties", {}).items():
        if name in walker.skip:
            continue
        resolved, _ = walker.resolve(node)
        if resolved.get("type") == "object":
            fields = tuple(walker.fields(resolved, name, name in required))
            groups.append(Group(name, labels.label(name, resolved), labels.hint(name, resolved),
                                fields))
            groups += walker.nested
            walker.nested = []
        elif _is_object_list(walker, resolved):
            groups += walker.repeated(resolved, name)
        else:
            top += walker.fields({"properties": {name: node},
                                  "required": [name] if name in required else []}, "", True)
    return (Group("", labels.label("", {}), labels.hint("", {}), tuple(top)), *groups)


def _is_object_list(walker: _Walker, node: Mapping[str, Any]) -> bool:
    if node.get("type") != "array":
        return False
    item, _ = walker.resolve(node.get("items", {}))
    return item.get("type") == "object"


class _Walker:
    def __init__(self, schema: Mapping[str, Any], labels: Labels, skip: frozenset[str],
                 repeats: Mapping[str, int]) -> None:
        self.defs: Mapping[str, Any] = schema.get("$defs", {})
        self.repeats = repeats
        self.labels = labels
        self.skip = skip
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
            needed = present and name in required and (not nullable or not prefix)
            if resolved.get("type") == "object":
                yield from self.fields(resolved, path, needed)
            elif _is_object_list(self, resolved):
                self.nested += self.repeated(resolved, path)
            else:
                yield self.leaf(path, resolved, needed)

    def repeated(self, node: Mapping[str, Any], name: str) -> list[Group]:
        item, _ = self.resolve(node.get("items", {}))
        legend = self.labels.label(name, node)
        count = max(REPEAT, self.repeats.get(name, 0) + 1)
        return [Group(f"{name}.{i}", f"{legend} {i + 1}", self.labels.hint(name, node),
                      tuple(self.fields(item, f"{name}.{i}", False))) for i in range(count)]

    def leaf(self, path: str, node: Mapping[str, Any], required: bool) -> FormField:
        label, hint = self.labels.label(path, node), self.labels.hint(path, node)
        if "enum" in node:
            names = self.labels.options.get(generic_key(path), {})
            options = tuple((str(v), names.get(str(v), str(v))) for v in node["enum"])
            default = str(node["default"]) if node.get("default") is not None else ""
            return FormField(path, label, hint, "radio", required, options, default)
        kind = node.get("type")
        if kind == "array":
            return FormField(path, label, hint, "lines", required)
        if kind in ("integer", "number"):
            return FormField(path, label, hint, "number", required)
        if node.get("format") == "date":
            return FormField(path, label, hint, "date", required)
        return FormField(path, label, hint, "text", required)


def all_fields(groups: Sequence[Group]) -> tuple[FormField, ...]:
    return tuple(field for group in groups for field in group.fields)
