"""The one way a case is validated: by `standardgen letter`, `standardgen form` and the web desk.

Public API (for the caseworker's desk and any other front end):

- :func:`check_case` takes case data (a mapping, or YAML text with a source name) and the loaded
  standards, and returns the valid case or located problems (:class:`Checked`).
- :func:`case_schema` gives the JSON Schema of a case for a standard and a letter kind.
- :func:`standardgen.cases.letter_kinds.letter_kinds` lists the letter kinds (``.name``, Danish
  ``.label``).

A case is validated with the model of its standard's service profile (so ``extent`` has the
fields of that service type), then with the rules of its letter kind
(:func:`standardgen.cases.rules.case_problems`). A case with any error gives nothing: no
letter, no form.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from standardgen.cases.letter_kinds import get_kind, kind_names, letter_kinds
from standardgen.cases.model import CaseSource, case_model
from standardgen.cases.read import Reading, draft_problem, size_problems
from standardgen.cases.rules import case_findings, case_problems
from standardgen.cases.vocabulary import vocabulary
from standardgen.core import validation
from standardgen.core.guidance import guidance_problems
from standardgen.core.problems import InputError, Problem, errors
from standardgen.core.yamlsource import Loc, Mark, YamlDocument, parse_yaml
from standardgen.standards.catalogue import LoadedStandard
from standardgen.standards.profiles import Profile, service_profiles

__all__ = ["CaseChecker", "Checked", "case_schema", "check_case", "letter_kinds"]


@dataclass(frozen=True)
class Checked:
    """The outcome for one case: ``source`` is None when any problem is an error."""

    source: CaseSource | None
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return self.source is not None


class CaseChecker:
    """Validates case documents against the standards they name (a :data:`cases.Checker`)."""

    def __init__(self, standards: Mapping[str, LoadedStandard],
                 notice_days: int | None = None) -> None:
        self.standards = standards
        if notice_days is None:
            from standardgen.cases.wording import load_wording
            from standardgen.core.templates import templates_dir

            # The folder named (not None): the cached wording must follow STANDARDGEN_TEMPLATES.
            notice_days = load_wording(templates_dir()).file.deadlines.notice_days
        self.notice_days = notice_days

    def __call__(self, document: YamlDocument, origin: str, today: dt.date) -> Reading:
        draft = draft_problem(document)
        if draft is not None:
            return Reading(None, [draft])
        too_large = size_problems(document)
        if too_large:  # before the model: a 200,000-item list is not worth validating
            return Reading(None, too_large)
        profile = self._profile(document.data)
        document = same_name(document, profile)
        model = case_model(profile.name if profile is not None else None)
        # A case from `standardgen new --case` with guidance left gets no letter; validation
        # leaves a marker to this rule instead of calling it a wrong type.
        guidance = (guidance_problems(document, "sagens egne oplysninger")
                    if document.path.is_file() else [])
        case, problems = validation.parse(document, model, vocabulary().namer(profile))
        problems = [*guidance, *problems]
        if case is None or guidance:
            return Reading(None, problems)
        # Dates that cannot be true together, the partshøring's reply (every case) ...
        problems += [document.problem(f.loc, f.message, code=f.code, severity=f.severity)
                     for f in case_findings(case, today)]
        # ... and what a letter of this kind needs (data/letter_kinds.yaml).
        source = CaseSource(case, origin, document)
        problems += case_problems(source, self.standards, self.notice_days)
        return Reading(None if errors(problems) else source, problems)

    def _profile(self, data: Mapping[str, Any]) -> Profile | None:
        slug = data.get("standard")
        loaded = self.standards.get(slug) if isinstance(slug, str) else None
        return loaded.profile if loaded is not None else None


def same_name(document: YamlDocument, profile: Profile | None) -> YamlDocument:
    """A grant's field given under another service's key of the same Danish name is read as
    this service's field: "Leverandør" is ``provider`` for § 85 and ``supplier`` for § 112, so
    a CSV headed by the Danish names (the desk's template) reads right for either."""
    if profile is None:
        return document
    renames: dict[Loc, Loc] = {}
    for group in ("extent", "previous_extent"):
        part = document.data.get(group)
        if not isinstance(part, dict):
            continue
        own = {_extent_label(profile, name): name for name in profile.extent}
        for key in part:
            if key in profile.extent or key in ("start_date", "end_date"):
                continue
            targets = {own[label] for label in _extent_labels(key) if label in own}
            if len(targets) == 1 and (target := targets.pop()) not in part:
                renames[(group, key)] = (group, target)
    return _renamed(document, renames) if renames else document


def _extent_label(profile: Profile, name: str) -> str:
    """The field's full Danish name, unit included: "Omfang (timer om ugen)"."""
    return vocabulary().label(("extent", name), profile)


def _extent_labels(name: str) -> set[str]:
    return {_extent_label(p, name) for p in service_profiles() if name in p.extent}


def _renamed(document: YamlDocument, renames: Mapping[Loc, Loc]) -> YamlDocument:
    data = {key: dict(value) if isinstance(value, dict) else value
            for key, value in document.data.items()}
    for (group, old), (_, new) in renames.items():
        part = data[str(group)]
        part[new] = part.pop(old)

    def moved(marks: Mapping[Loc, Mark]) -> dict[Loc, Mark]:
        out = {}
        for loc, mark in marks.items():
            head = tuple(loc[:2])
            out[(*renames[head], *loc[2:]) if head in renames else loc] = mark
        return out

    return replace(document, data=data, value_marks=moved(document.value_marks),
                   key_marks=moved(document.key_marks))


def check_case(data: Mapping[str, Any] | str, source: str,
               standards: Mapping[str, LoadedStandard], today: dt.date | None = None) -> Checked:
    """Validate one case given as data (a mapping) or YAML text; ``source`` names it in
    messages. Problems of a mapping are located at its top (it has no lines). ``today`` (by
    default the clock's) decides what lies in the future."""
    try:
        document = _document(data, source)
    except InputError as exc:
        return Checked(None, tuple(exc.problems))
    reading = CaseChecker(standards)(document, source, today or dt.date.today())
    return Checked(reading.source, tuple(sorted(reading.problems)))


def _document(data: Mapping[str, Any] | str, source: str) -> YamlDocument:
    if isinstance(data, str):
        return parse_yaml(data, Path(source))
    return YamlDocument(Path(source), dict(data), {(): (1, 1)}, {})


def case_schema(standard: LoadedStandard | None, kind: str | None = None) -> dict[str, Any]:
    """The JSON Schema of a case for ``standard`` (its service profile decides the extent's
    fields) and, when given, the letter kind ``kind`` (its required fields are required, its
    forbidden ones absent, and ``result`` fixed)."""
    profile = standard.profile if standard is not None else None
    schema = copy.deepcopy(case_model(profile.name if profile else None).model_json_schema())
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    if standard is not None:
        schema["properties"]["standard"]["const"] = standard.slug
    if kind is None:
        return schema
    if kind not in kind_names():
        raise KeyError(kind)
    declared = get_kind(kind)
    properties = schema["properties"]
    properties["result"] = {**properties["result"], "const": kind}
    properties["result"].pop("enum", None)
    for name in declared.forbids:
        properties.pop(name, None)
    required = [*schema.get("required", []), *declared.requires]
    schema["required"] = [name for name in dict.fromkeys(required) if name in properties]
    schema["title"] = f"{schema.get('title', 'Sag')}: {declared.label}"
    return schema
