"""The wording of every change summary, read from ``templates/diff/wording.yaml``."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from babel.lists import format_list

from standardgen.approval.compare import SectionDiff, StandardDiff, Status, UnitDiff
from standardgen.core import validation
from standardgen.core.dates import long_date
from standardgen.core.templates import templates_dir
from standardgen.standards.model import Frozen


class Summary(Frozen):
    none: str
    changed: str
    added: str
    removed: str
    counts: str


class Wording(Frozen):
    heading: str
    intro: str
    new_approval: str
    no_changes: str
    unchanged_sections: str
    format_only: str
    renamed: str
    legend: str
    deleted: str
    inserted: str
    sections: dict[str, str]
    status: dict[Status, str]
    unit_status: dict[Status, str]
    kind: dict[str, str]
    fields: dict[str, str]
    summary: Summary

    def title(self, section: SectionDiff) -> str:
        """The heading; the sections made from data (_about, _links) are named here."""
        return section.title or self.sections.get(section.key, section.key)

    def heading_for(self, diff: StandardDiff) -> str:
        return self.heading.format(date=long_date(diff.old.approval.date))

    def intro_for(self, diff: StandardDiff) -> str:
        old, new = diff.old, diff.new
        same = new.approval == old.approval
        approval = "" if same else self.new_approval.format(
            body=new.approval.body, date=long_date(new.approval.date))
        return self.intro.format(
            title=new.title, old_version=old.version, old_body=old.approval.body,
            old_date=long_date(old.approval.date), new_version=new.version,
            new_approval=approval)

    def label(self, unit: UnitDiff, position: int) -> str:
        """'Tekst 2', 'Punkt 3' or a field's name."""
        if unit.unit.field:
            return self.fields.get(unit.unit.field, unit.unit.field)
        return f"{self.kind[unit.kind]} {position}"

    def unchanged_list(self, diff: StandardDiff) -> str:
        names = [self.title(s) for s in diff.unchanged]
        return self.unchanged_sections.format(sections=danish_list(names)) if names else ""


def danish_list(items: Sequence[str]) -> str:
    """'A, B og C' (CLDR's Danish list pattern)."""
    return format_list(list(items), locale="da") if items else ""


def wording_path() -> Path:
    return templates_dir() / "diff" / "wording.yaml"


@lru_cache(maxsize=2)
def _load(path: Path) -> Wording:
    return validation.load(path, Wording)


def load_wording() -> Wording:
    return _load(wording_path())
