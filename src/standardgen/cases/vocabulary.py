"""One vocabulary of Danish names for the fields of a case (``data/case_fields.yaml``).

Every message about a case names its field by this label, never by its key or path: the desk's
labels and error summary, `standardgen letter` and `form`, the batch report, the CSV template's
headings and the documentation. A CSV may head its columns with the label, an alias or the key.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from importlib import resources
from typing import Annotated

from pydantic import Field

from standardgen.core import validation
from standardgen.standards.model import Frozen
from standardgen.standards.profiles import Profile, service_profiles

Path = str | Sequence[str | int]
_PREVIOUS = "previous_extent."


class FieldWords(Frozen):
    label: Annotated[str, Field(min_length=1)]
    aliases: tuple[str, ...] = ()
    hint: str = ""


class VocabularyFile(Frozen):
    fields: dict[str, FieldWords]
    options: dict[str, dict[str, str]]


def generic(path: Path) -> str:
    """``follow_up.goals.1.theme`` (or its loc) -> ``follow_up.goals.theme``."""
    parts = path.split(".") if isinstance(path, str) else [str(p) for p in path]
    return ".".join(part for part in parts if not part.isdigit())


def heading_key(text: str) -> str:
    """A Danish heading as compared: case and runs of spaces do not matter (a key must be
    written exactly: "extent.enddate" is a misspelt key, not a heading)."""
    return " ".join(text.casefold().split())


class Vocabulary:
    def __init__(self, declared: VocabularyFile) -> None:
        self.fields = declared.fields
        self.options = declared.options

    def label(self, path: Path, profile: Profile | None = None) -> str:
        """The Danish name of the field at ``path`` (a dotted path or a loc)."""
        key = generic(path)
        if key in self.fields:
            return self.fields[key].label
        group, _, name = key.partition(".")
        if group in ("extent", "previous_extent"):
            own = _extent_label(name, profile)
            if own is not None:
                return own if group == "extent" else f"Hidtil: {own}"
        # A path the file does not name (an unknown key in an uploaded file): its group's name.
        parent = key.rsplit(".", 1)[0] if "." in key else ""
        return self.label(parent, profile) if parent else "Sagen"

    def hint(self, path: Path) -> str:
        words = self.fields.get(generic(path))
        return words.hint if words is not None else ""

    def option(self, path: Path, value: str) -> str:
        return self.options.get(generic(path), {}).get(value, value)

    def about(self, path: Path, text: str, profile: Profile | None = None) -> str:
        """A message about the field at ``path``: "Label: text"."""
        return f"{self.label(path, profile)}: {text}"

    def namer(self, profile: Profile | None = None) -> Callable[[Sequence[str | int]], str]:
        """What :func:`standardgen.core.validation.parse` names a field by."""
        return lambda loc: self.label(loc, profile)

    def column(self, heading: str, known: Sequence[str]) -> str | None:
        """The key of the column ``heading`` names (its key, its label or an alias)."""
        if heading in known:
            return heading
        return _columns(self, tuple(known)).get(heading_key(heading))


def _extent_label(name: str, profile: Profile | None) -> str | None:
    for candidate in (profile, *service_profiles()):
        spec = candidate.extent.get(name) if candidate is not None else None
        if spec is not None:
            unit = f" ({spec.unit[1]} {spec.per})" if spec.unit and spec.per else ""
            return spec.label + unit
    return None


@cache
def _columns(words: Vocabulary, known: tuple[str, ...]) -> dict[str, str]:
    found: dict[str, str] = {}
    for key in known:
        names = [words.label(key)]
        group, _, name = key.partition(".")
        if group in ("extent", "previous_extent"):  # each service names its extent its way
            names += [words.label(key, profile) for profile in service_profiles()
                      if name in profile.extent]
        declared = words.fields.get(key)
        names += list(declared.aliases) if declared is not None else []
        for name in names:
            found.setdefault(heading_key(name), key)
    return found


@cache
def vocabulary() -> Vocabulary:
    resource = resources.files("standardgen") / "data" / "case_fields.yaml"
    with resources.as_file(resource) as path:
        return Vocabulary(validation.load(path, VocabularyFile))  # ships with us: broken is a bug


def markdown_table() -> str:
    """The documentation's table of the fields: Danish name, key, other accepted headings."""
    words = vocabulary()
    rows = ["| felt | nøgle i sagsfilen og CSV | andre kolonnenavne |", "| --- | --- | --- |"]
    for key, declared in words.fields.items():
        aliases = ", ".join(declared.aliases) or "-"
        rows.append(f"| {declared.label} | `{key}` | {aliases} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":  # python -m standardgen.cases.vocabulary: the table for the docs
    print(markdown_table(), end="")
