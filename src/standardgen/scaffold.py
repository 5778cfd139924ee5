"""``standardgen new``: start a standard from ``templates/new/standard.yaml.j2``, and the rule that
``check`` applies to the guidance the scaffold leaves for the author to replace.

The scaffold has every section the profile asks for, each with Danish guidance marked
``[[VEJLEDNING: ...]]``. Apart from those markers it is a valid standard; ``check`` reports every
marker left as an error (a standard still containing guidance must never be published).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from standardgen import validation
from standardgen.catalogue import MUNICIPALITY_DIR
from standardgen.guidance import GUIDANCE, MARKER, guidance_problems
from standardgen.model import SLUG, Municipality, Standard
from standardgen.problems import InputError, Problem, Severity, display_path
from standardgen.profiles import load_profile

__all__ = ["GUIDANCE", "MARKER", "NewStandard", "create", "guidance_problems", "render"]

TEMPLATE = "new/standard.yaml.j2"


# --- standardgen new ---------------------------------------------------------------------------

@dataclass(frozen=True)
class NewStandard:
    slug: str
    out: Path
    municipality: str | None = None
    title: str | None = None

    @property
    def target(self) -> Path:
        return self.out / f"{self.slug}.yaml"

    def usage_problem(self) -> str | None:
        if not re.fullmatch(SLUG, self.slug):
            return (f"'{self.slug}' kan ikke bruges som slug: brug små bogstaver a-z, tal og "
                    "bindestreger (fx 'praktisk-hjaelp')")
        if self.out.exists() and not self.out.is_dir():
            return f"--out skal være en mappe: {self.out}"
        if self.title is not None and not self.title.strip():
            return "--title må ikke være tom"
        return None


class _Quoted(str):
    """A value already written as a YAML scalar by the ``yaml`` filter."""


def yaml_scalar(value: object) -> _Quoted:
    """``value`` as a double-quoted YAML scalar: JSON's string syntax is valid YAML, and the
    characters YAML 1.1 reads as line breaks are escaped too."""
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    quoted = json.dumps(text, ensure_ascii=False)
    for char in ("\u0085", "\u2028", "\u2029"):
        quoted = quoted.replace(char, f"\\u{ord(char):04x}")
    return _Quoted(quoted)


def _only_quoted(value: object) -> object:
    if isinstance(value, _Quoted) or value == "":
        return value
    from jinja2 import TemplateRuntimeError

    raise TemplateRuntimeError(f"værdien {value!r} skal skrives med filteret |yaml")


def render(request: NewStandard, day: dt.date) -> str:
    """The scaffold's text, validated as a standard; :class:`InputError` when it cannot be."""
    municipality_id, town = _municipality(request)
    profile = load_profile("serviceloven")
    assert profile is not None  # shipped with the package
    sections = [{"id": _section_id(need.label), "role": role.value, "title": need.label}
                for role, need in profile.sections.items() if need.level != "optional"]
    next_year = day.replace(year=day.year + 1) if (day.month, day.day) != (2, 29) else (
        dt.date(day.year + 1, 2, 28))
    text: str = _environment().get_template(TEMPLATE).render(
        slug=request.slug, municipality=municipality_id, profile="serviceloven",
        title=request.title, sections=sections, today=day, version=str(day.year),
        next_revision=next_year, web=town.web)
    _validate(text)
    return text


def create(request: NewStandard, day: dt.date) -> Path:
    """Write the scaffold; never over an existing file."""
    from standardgen.fileio import write_atomic

    target = request.target
    if target.exists():
        raise InputError([Problem(display_path(target), 0, 0, Severity.ERROR,
                                  "filen findes allerede; vælg en anden slug eller flyt filen",
                                  "exists")])
    text = render(request, day)
    write_atomic(target, text.encode("utf-8"))
    return target


def _section_id(label: str) -> str:
    text = label.lower()
    for danish, ascii_ in (("æ", "ae"), ("ø", "oe"), ("å", "aa")):
        text = text.replace(danish, ascii_)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _municipality(request: NewStandard) -> tuple[str, Municipality]:
    """The municipality named (or the only one beside the standards) and its validated file."""
    folder = request.out / MUNICIPALITY_DIR
    if request.municipality is None:
        found = sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []
        if len(found) != 1:
            choices = f" (fundet: {', '.join(found)})" if found else ""
            raise _fail(folder, f"angiv kommunen med --municipality{choices}")
        name = found[0]
    else:
        name = request.municipality
    path = folder / f"{name}.yaml"
    if not re.fullmatch(SLUG, name) or not path.is_file():
        raise _fail(folder, f"kommunefilen '{MUNICIPALITY_DIR}/{name}.yaml' findes ikke; "
                            "opret den først")
    return name, validation.load(path, Municipality)


def _fail(path: Path, message: str) -> InputError:
    return InputError([Problem(display_path(path), 0, 0, Severity.ERROR, message, "municipality")])


def _validate(text: str) -> None:
    """The scaffold must be a valid standard; if not, the template is broken (say where)."""
    import yaml

    from standardgen.render.templating import templates_dir

    try:
        Standard.model_validate(yaml.safe_load(text))
    except (yaml.YAMLError, ValueError) as exc:
        where = display_path(templates_dir() / TEMPLATE)
        raise InputError([Problem(where, 0, 0, Severity.ERROR,
                                  f"skabelonen giver ikke en gyldig standard: {exc}",
                                  "template")]) from None


def _environment() -> Any:
    # Not the HTML environment: YAML must not be HTML-escaped, so autoescape is off and the
    # finalize hook makes quoting with |yaml compulsory instead. Still sandboxed and strict.
    from jinja2 import FileSystemLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    from standardgen.render.templating import templates_dir

    env = SandboxedEnvironment(
        loader=FileSystemLoader(str(templates_dir())), autoescape=False,
        undefined=StrictUndefined, finalize=_only_quoted, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True)
    env.filters["yaml"] = yaml_scalar
    return env
