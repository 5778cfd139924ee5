"""The letter's fixed wording, read from ``templates/letter/wording.yaml`` and compiled once.

Texts are Jinja run in a sandbox with ``StrictUndefined`` and *without* autoescaping: they give
plain text, which the PDF and Word templates escape when they place it. Jinja never evaluates its
own output, so a citizen value such as ``{{ 7*7 }}`` passes through as the literal text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from jinja2 import StrictUndefined, TemplateError
from jinja2.environment import Template
from jinja2.sandbox import SandboxedEnvironment
from pydantic import AfterValidator, Field

from standardgen.cases.letter_kinds import kind_names
from standardgen.core import validation
from standardgen.core.codes import Code
from standardgen.core.dates import long_date, short_date
from standardgen.core.problems import InputError
from standardgen.core.templates import templates_dir
from standardgen.core.yamlsource import YamlDocument, load_yaml
from standardgen.standards.model import Frozen

WORDING_FILE = Path("letter") / "wording.yaml"


class Weekday(StrEnum):
    monday = "mandag"
    tuesday = "tirsdag"
    wednesday = "onsdag"
    thursday = "torsdag"
    friday = "fredag"
    saturday = "lørdag"
    sunday = "søndag"

    @property
    def number(self) -> int:
        """0 for Monday, as ``date.weekday()``."""
        return list(Weekday).index(self)


class ClosedDays(Frozen):
    """The days a deadline cannot end on: it moves to the next day that is none of them."""

    weekdays: tuple[Weekday, ...]
    public_holidays: bool = Field(description="De danske helligdage (pakken holidays, DK).")
    dates: tuple[Annotated[str, Field(pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")],
                 ...] = Field(description="Faste datoer hvert år, MM-DD.")


class Deadlines(Frozen):
    complaint_weeks: int = Field(ge=1, le=52)
    reconsider_weeks: int = Field(ge=1, le=52)
    post_working_days: int = Field(ge=0, le=30)
    notice_days: int = Field(ge=0, le=365)
    closed_days: ClosedDays


class WordingFile(Frozen):
    law: dict[str, dict[str, str]]
    deadlines: Deadlines
    # Letter kinds (data/letter_kinds.yaml) whose letter has the handleplan paragraph.
    plan_for_results: tuple[Annotated[str, AfterValidator(_known_kind)], ...]
    labels: dict[str, str]
    results: dict[str, str]
    headings: dict[str, str]
    text: dict[str, Any]


def _known_kind(name: str) -> str:
    if name not in kind_names():
        raise ValueError(f"'{name}' er ikke en brevtype; brug en af: {', '.join(kind_names())}")
    return name


class WordingError(Exception):
    """A text the letter asks for is missing or broken: a fault in the template, not the case."""


@dataclass(frozen=True)
class Wording:
    file: WordingFile
    document: YamlDocument
    _texts: Mapping[str, Template]

    def say(self, key: str, values: Mapping[str, Any]) -> str:
        """The text ``key`` (dotted, under ``text:``) rendered with ``values``, one line."""
        template = self._texts.get(key)
        if template is None:
            raise WordingError(f"{self.document.name}: teksten 'text.{key}' mangler")
        try:
            # shared=True hands ``values`` over as the context without copying Jinja's globals
            # into it for every text (a letter renders ~30 texts; this halves their cost).
            context = template.new_context(dict(values), shared=True)
            return " ".join("".join(template.root_render_func(context)).split())
        except TemplateError as exc:
            raise WordingError(f"{self.document.name}: teksten 'text.{key}': {exc}") from None

    def has(self, key: str) -> bool:
        return key in self._texts

    def say_for(self, key: str, kind: str, values: Mapping[str, Any]) -> str:
        """``key.<kind>`` when the wording has one, else ``key.default``."""
        own = f"{key}.{kind}"
        return self.say(own if own in self._texts else f"{key}.default", values)

    def heading(self, key: str) -> str:
        return self._lookup(self.file.headings, "headings", key)

    def label(self, key: str) -> str:
        return self._lookup(self.file.labels, "labels", key)

    def result(self, key: str) -> str:
        return self._lookup(self.file.results, "results", key)

    def _lookup(self, table: Mapping[str, str], name: str, key: str) -> str:
        if key not in table:
            raise WordingError(f"{self.document.name}: '{name}.{key}' mangler")
        return table[key]


def _environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)
    env.filters["long_date"] = long_date
    env.filters["short_date"] = short_date
    return env


def _flatten(prefix: str, value: Any, out: dict[str, str]) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _flatten(f"{prefix}.{key}" if prefix else str(key), inner, out)
    else:
        out[prefix] = str(value)


@lru_cache(maxsize=4)
def load_wording(folder: Path | None = None) -> Wording:
    """Read, validate and compile the wording file; :class:`InputError` if it is broken."""
    document = load_yaml((folder or templates_dir()) / WORDING_FILE)
    parsed = validation.parse_valid(document, WordingFile)
    flat: dict[str, str] = {}
    _flatten("", parsed.text, flat)
    env = _environment()
    texts: dict[str, Template] = {}
    for key, source in flat.items():
        try:
            texts[key] = env.from_string(source)
        except TemplateError as exc:
            problem = document.problem(("text", *key.split(".")), f"fejl i teksten: {exc}",
                                       code=Code.TEMPLATE)
            raise InputError([problem]) from None
    return Wording(parsed, document, texts)
