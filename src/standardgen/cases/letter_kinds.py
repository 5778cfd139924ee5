"""The letter kinds, declared once in ``data/letter_kinds.yaml``.

Everything that differs between a grant, a refusal, a change and an ending is read from that file:
the case rules (:mod:`standardgen.cases.rules`), the letter's parts
(:mod:`standardgen.letters.content`), whether a follow-up form follows
(:mod:`standardgen.forms.build`), the case JSON Schema (:mod:`standardgen.cases.check`) and the
README table (:func:`markdown_table`; a test keeps the README equal to it).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Annotated, Literal

from pydantic import Field

from standardgen.core import validation
from standardgen.standards.model import Frozen

# never: the letter kind has no use for it (partshøring on a full grant): the desk hides it.
Need = Literal["required", "optional", "disadvantage", "never"]
PartName = Literal["result", "extent", "change", "end", "reasons", "hearing", "costs",
                   "follow_up", "plan", "access", "complaint", "contact"]
CaseField = Literal["extent", "previous_extent", "change", "end", "follow_up", "facts",
                    "considerations"]


class LetterKind(Frozen):
    name: str = ""  # filled from the key
    label: Annotated[str, Field(description="Dansk betegnelse, fx 'Bevilling'.")]
    disadvantage: Literal["never", "always", "unless_more"]
    requires: tuple[CaseField, ...] = ()
    forbids: tuple[CaseField, ...] = ()
    reasons: Need
    hearing: Need
    notice: Literal["change.effective_date", "end.last_day"] | None = None
    follow_up_form: bool
    file_suffix: Annotated[str, Field(pattern=r"^(-[a-z0-9]+)?$")] = ""
    parts: tuple[PartName, ...]


class KindsFile(Frozen):
    fields: dict[CaseField, str]
    kinds: dict[str, LetterKind]


@cache
def _declaration() -> KindsFile:
    resource = resources.files("standardgen") / "data" / "letter_kinds.yaml"
    with resources.as_file(resource) as path:
        loaded = validation.load(path, KindsFile)  # ships with the package: broken is our bug
    kinds = {name: kind.model_copy(update={"name": name}) for name, kind in loaded.kinds.items()}
    return loaded.model_copy(update={"kinds": kinds})


def letter_kinds() -> tuple[LetterKind, ...]:
    """Every letter kind in declaration order (``.name`` is the case's ``result``, ``.label``
    the Danish label)."""
    return tuple(_declaration().kinds.values())


def kind_names() -> tuple[str, ...]:
    return tuple(_declaration().kinds)


def get_kind(name: str) -> LetterKind:
    return _declaration().kinds[name]


def field_description(name: CaseField) -> str:
    return _declaration().fields.get(name, name)


def markdown_table() -> str:
    """The README's table of letter kinds, derived from the declaration."""
    def need(value: str) -> str:
        return {"required": "yes", "optional": "no", "never": "no",
                "disadvantage": "when to the citizen's disadvantage"}[value]

    def names(fields: tuple[str, ...]) -> str:
        return ", ".join(f"`{name}`" for name in fields) or "-"

    rows = ["| `result` | letter | requires | forbids | begrundelse | partshøring | notice | "
            "follow-up form | file |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for kind in letter_kinds():
        notice = f"`{kind.notice}`" if kind.notice else "-"
        rows.append(f"| `{kind.name}` | {kind.label} | {names(kind.requires)} | "
                    f"{names(kind.forbids)} | {need(kind.reasons)} | {need(kind.hearing)} | "
                    f"{notice} | {'yes' if kind.follow_up_form else 'no'} | "
                    f"`<case number>{kind.file_suffix}.pdf` |")
    return "\n".join(rows) + "\n"
