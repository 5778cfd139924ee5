"""``standardgen new``: start a standard from ``templates/new/standard.yaml.j2`` (and its
municipality's file from ``templates/new/municipality.yaml.j2``); the rule that ``check`` applies
to the guidance left for the author is in :mod:`standardgen.core.guidance`.

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

from standardgen.core import validation
from standardgen.core.codes import Code
from standardgen.core.guidance import GUIDANCE, MARKER, guidance_problems
from standardgen.core.patterns import SLUG
from standardgen.core.problems import InputError, Problem, Severity, display_path, errors
from standardgen.core.yamlsource import load_yaml
from standardgen.standards.model import Municipality, Standard

__all__ = ["GUIDANCE", "MARKER", "NewMunicipality", "NewStandard", "create", "guidance_problems",
           "render", "render_municipality"]

TEMPLATE = "new/standard.yaml.j2"
MUNICIPALITY_TEMPLATE = "new/municipality.yaml.j2"
GUIDANCE_FILE = "new/guidance.yaml"
DEFAULT_PROFILE = "sel-104"


def profile_named(given: str) -> str | None:
    """``--paragraph``: '85', '§ 85', 'sel-85' or 'serviceloven' -> the profile's name."""
    from standardgen.standards.profiles import (
        GENERIC,
        load_profile,
        paragraph_key,
        service_profiles,
    )

    if given == GENERIC or (given.startswith("sel-") and load_profile(given) is not None):
        return given
    key = paragraph_key(given if "§" in given else f"§ {given}")
    for profile in service_profiles():
        if key is not None and key in {paragraph_key(p) for p in profile.paragraphs}:
            return profile.name
    return None


def paragraph_problem(given: str) -> str | None:
    """The usage error for a --paragraph no profile has, naming those that exist."""
    from standardgen.standards.profiles import GENERIC, known_paragraphs

    if profile_named(given) is not None:
        return None
    return (f"ukendt paragraf '{given}'; kendte: {known_paragraphs()}, eller '{GENERIC}' for en "
            "standard uden breve")


# --- standardgen new ---------------------------------------------------------------------------

@dataclass(frozen=True)
class NewStandard:
    slug: str
    out: Path
    municipality: str | None = None
    title: str | None = None
    profile: str = DEFAULT_PROFILE  # a profile's name; see profile_named() for --paragraph

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


@dataclass(frozen=True)
class NewMunicipality:
    """``standards/municipalities/<id>.yaml`` with guidance for every fact (the name may be
    known: ``init --municipality Aarhus``)."""

    id: str
    folder: Path  # the standards folder; the file goes in its municipalities/
    name: str | None = None

    @property
    def target(self) -> Path:
        from standardgen.standards.catalogue import MUNICIPALITY_DIR

        return self.folder / MUNICIPALITY_DIR / f"{self.id}.yaml"


def render_municipality(request: NewMunicipality) -> str:
    """The municipality scaffold's text, validated apart from its guidance."""
    text: str = _environment().get_template(MUNICIPALITY_TEMPLATE).render(name=request.name)
    _validate(text, Municipality, MUNICIPALITY_TEMPLATE)
    return text


def render(request: NewStandard, day: dt.date, web: str | None = None) -> str:
    """The scaffold's text, validated as a standard; :class:`InputError` when it cannot be.
    ``web`` is the municipality's address when its file is being made at the same time."""
    from standardgen.standards.profiles import load_profile

    municipality_id, town_web = _municipality(request) if web is None else (
        request.municipality or "", web)
    if MARKER in town_web:  # the municipality's address is not known yet either
        town_web = (f"{MARKER} adressen på kommunens side om sagsbehandlingsfrister, fx "
                    "https://kommune.dk/sagsbehandlingsfrister]]")
    profile = load_profile(request.profile)
    assert profile is not None  # checked by the command (paragraph_problem)
    quoted = {spec.role for spec in profile.quotes.values()}
    sections = [{"id": _section_id(need.label), "role": role.value, "title": need.label}
                for role, need in profile.sections.items()
                if need.level != "optional" or role in quoted]
    next_year = day.replace(year=day.year + 1) if (day.month, day.day) != (2, 29) else (
        dt.date(day.year + 1, 2, 28))
    text: str = _environment().get_template(TEMPLATE).render(
        slug=request.slug, municipality=municipality_id, profile="serviceloven",
        title=request.title, sections=sections, today=day, version=str(day.year),
        next_revision=next_year, web=town_web, **_guidance(profile.name))
    _validate(text, Standard, TEMPLATE)
    return text


def create(request: NewStandard, day: dt.date) -> list[Path]:
    """Write the scaffold, and the municipality's when ``--municipality`` names one that has no
    file yet; never over an existing file, and nothing unless both can be made."""
    from standardgen.core.fileio import write_atomic

    target = request.target
    if target.exists():
        raise InputError([Problem(display_path(target), 0, 0, Severity.ERROR,
                                  "filen findes allerede; vælg en anden slug eller flyt filen",
                                  Code.EXISTS)])
    files: dict[Path, str] = {}
    town = NewMunicipality(request.municipality or "", request.out)
    if request.municipality and re.fullmatch(SLUG, town.id) and not town.target.exists():
        files[town.target] = render_municipality(town)
        files[target] = render(request, day, web=_raw_web(files[town.target]))
    else:
        files[target] = render(request, day)
    for path, text in files.items():
        write_atomic(path, text.encode("utf-8"))
    return list(files)


def _guidance(profile: str) -> dict[str, Any]:
    """The template's guidance for one profile: texts per role, the service and paragraph."""
    import yaml

    from standardgen.core.templates import template_file

    data = yaml.safe_load(template_file(GUIDANCE_FILE).read_text(encoding="utf-8"))
    own = data["profiles"].get(profile, data["profiles"]["serviceloven"])
    texts = {**data["common"], **own.get("sections", {})}
    paragraph = own["paragraph"]
    return {"guidance": texts, "service_hint": own["service"],
            "paragraph": paragraph if paragraph.startswith("§") else None,
            "paragraph_hint": paragraph}


def _raw_web(municipality_text: str) -> str:
    import yaml

    return str(yaml.safe_load(municipality_text)["web"])


def _section_id(label: str) -> str:
    text = label.lower()
    for danish, ascii_ in (("æ", "ae"), ("ø", "oe"), ("å", "aa")):
        text = text.replace(danish, ascii_)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _municipality(request: NewStandard) -> tuple[str, str]:
    """The municipality named (or the only one beside the standards) and its web address, from
    its validated file (a web address still holding guidance is passed on as guidance)."""
    from standardgen.standards.catalogue import MUNICIPALITY_DIR

    folder = request.out / MUNICIPALITY_DIR
    if request.municipality is None:
        found = sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []
        if len(found) != 1:
            choices = f" (fundet: {', '.join(found)})" if found else ""
            raise _fail(folder, f"angiv kommunen med --municipality ID{choices}; findes "
                                "kommunefilen ikke, skrives den med vejledning")
        name = found[0]
    else:
        name = request.municipality
    path = folder / f"{name}.yaml"
    if not re.fullmatch(SLUG, name) or not path.is_file():
        found = sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []
        there = f" (fundet: {', '.join(found)})" if found else ""
        raise _fail(folder, f"kommunefilen '{MUNICIPALITY_DIR}/{name}.yaml' findes ikke{there}; "
                            "et id er små bogstaver a-z, tal og bindestreger")
    town, problems = validation.parse(load_yaml(path), Municipality)
    if errors(problems):
        raise InputError(errors(problems))
    if town is not None:
        return name, town.web
    # Invalid only for its guidance (no other errors): the web address is valid or guidance.
    return name, str(load_yaml(path).data.get("web", ""))


def _fail(path: Path, message: str) -> InputError:
    return InputError([Problem(display_path(path), 0, 0, Severity.ERROR, message,
                               Code.MUNICIPALITY)])


def _validate(text: str, cls: type[Standard] | type[Municipality], template: str) -> None:
    """The scaffold must be valid apart from its guidance; if not, the template is broken (say
    where)."""
    import yaml
    from pydantic import ValidationError

    from standardgen.core.templates import template_file

    try:
        cls.model_validate(yaml.safe_load(text))
        return
    except ValidationError as exc:
        broken = [e for e in exc.errors() if not validation.is_guidance(e)]
        if not broken:
            return
        message = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in broken)
    except yaml.YAMLError as exc:
        message = str(exc)
    kind = "standard" if cls is Standard else "kommunefil"
    raise InputError([Problem(display_path(template_file(template)), 0, 0, Severity.ERROR,
                              f"skabelonen giver ikke en gyldig {kind}: {message}",
                              Code.TEMPLATE)])


def _environment() -> Any:
    # Not the HTML environment: YAML must not be HTML-escaped, so autoescape is off and the
    # finalize hook makes quoting with |yaml compulsory instead. Still sandboxed and strict.
    from jinja2 import FileSystemLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    from standardgen.core.templates import template_folders

    env = SandboxedEnvironment(
        loader=FileSystemLoader([str(folder) for folder in template_folders()]), autoescape=False,
        undefined=StrictUndefined, finalize=_only_quoted, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True)
    env.filters["yaml"] = yaml_scalar
    return env
