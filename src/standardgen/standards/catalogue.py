"""Read and validate every standard before anything is written.

``load_catalogue`` never raises for bad input: it returns the standards that are valid and every
problem found in all files, so an author sees all of them at once.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from standardgen.core import markup, validation
from standardgen.core.codes import Code
from standardgen.core.guidance import GUIDANCE, guidance_problems
from standardgen.core.problems import InputError, Problem, Severity, display_path, errors
from standardgen.core.sentences import sentences
from standardgen.core.yamlsource import (
    YamlDocument,
    iter_standard_files,
    iter_yaml_files,
    load_yaml,
    looks_like_standard,
)
from standardgen.standards.logo import logo_problem, repository_of
from standardgen.standards.model import (
    Address,
    BulletList,
    Contact,
    Municipality,
    Paragraph,
    Role,
    Section,
    Standard,
)
from standardgen.standards.profiles import (
    GENERIC,
    Profile,
    QuoteSpec,
    Requirement,
    known_paragraphs,
    load_profile,
    profile_for,
)
from standardgen.standards.revision import revision_problems

MUNICIPALITY_DIR = "municipalities"


@dataclass(frozen=True)
class LoadedStandard:
    """A valid standard with its municipality, ready for every renderer."""

    standard: Standard
    municipality: Municipality
    source: Path
    municipality_file: Path

    @property
    def slug(self) -> str:
        return self.standard.slug

    @cached_property
    def profile(self) -> Profile | None:
        """The service profile letters and forms follow; None when the standard has none.
        Cached: every case of a batch asks (cached_property writes past the frozen guard)."""
        found = profile_for(self.standard)
        return found if found is not None and found.letters else None

    @property
    def logo_file(self) -> Path | None:
        """The municipality's logo (checked to exist when the municipality file was read)."""
        logo = self.municipality.logo
        return self.municipality_file.parent / logo if logo else None

    @property
    def contact(self) -> Contact:
        """The contact block with the municipality's address, phone and e-mail filled in."""
        own, town = self.standard.contact, self.municipality
        return Contact(
            unit=own.unit,
            address=own.address or town.address,
            phone=own.phone or town.phone,
            email=own.email or town.email,
            hours=own.hours,
        )

    @property
    def address(self) -> Address:
        return self.contact.address or self.municipality.address


@dataclass(frozen=True)
class Catalogue:
    standards: tuple[LoadedStandard, ...]
    problems: tuple[Problem, ...] = field(default=())
    files: tuple[Path, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not errors(self.problems)


def load_catalogue(paths: Iterable[Path], today: dt.date | None = None) -> Catalogue:
    """Load every standard in ``paths`` (files, or folders of ``*.yaml``). With ``today``, a
    revision that is due or overdue on that day is a warning; without, it is not checked (the
    letters and forms have no use for it). The caller reads the clock, never the rules."""
    loaded: list[LoadedStandard] = []
    problems: list[Problem] = []
    municipalities: dict[Path, Municipality | None] = {}
    files = _expand(paths, problems)
    for path in files:
        standard, found = _load_one(path, municipalities, today)
        problems.extend(found)
        if standard and not errors(found):
            loaded.append(standard)
    problems.extend(_duplicate_slugs(loaded))
    return Catalogue(tuple(loaded), tuple(sorted(set(problems))), tuple(files))


def standards_in_tree(paths: Iterable[Path]) -> list[Path]:
    """``paths`` with every folder also searched below its own level, for a build over a tree
    such as ``examples/`` (one folder per municipality). In a subfolder a YAML file is taken as a
    standard only when it has a top-level ``slug:`` key: cases, CI files and ``municipalities/``
    stay out. A folder is kept as it is when nothing is found below it (it is then reported as
    empty or searched as before)."""
    result: list[Path] = []
    for path in paths:
        below = [found for folder in _subfolders(path) for found in iter_yaml_files(folder)
                 if looks_like_standard(found)] if path.is_dir() else []
        result += [*iter_yaml_files(path), *below] if below else [path]
    return result


def _subfolders(root: Path) -> list[Path]:
    """Every folder below ``root``, sorted; hidden folders and ``municipalities/`` not entered."""
    found = []
    for folder, names, _files in os.walk(root):
        names[:] = sorted(name for name in names
                          if name != MUNICIPALITY_DIR and not name.startswith("."))
        if Path(folder) != root:
            found.append(Path(folder))
    return sorted(found)


def load_standard(path: Path) -> LoadedStandard:
    """One valid standard, or :class:`InputError` with its problems."""
    catalogue = load_catalogue([path])
    if not catalogue.ok or not catalogue.standards:
        raise InputError(errors(catalogue.problems))
    return catalogue.standards[0]


def _expand(paths: Iterable[Path], problems: list[Problem]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = list(iter_standard_files(path))
            if not found:
                problems.append(Problem(display_path(path), 0, 0, Severity.ERROR,
                                        "mappen indeholder ingen standarder (*.yaml)",
                                        Code.EMPTY_DIR))
            files.extend(found)
        else:
            files.append(path)
    return files


def _found_municipalities(path: Path) -> str:
    """' (fundet: norddjurs, solbakke)': the municipality files beside the standard or above."""
    found = sorted({town.stem for folder in path.resolve().parents
                    for town in (folder / MUNICIPALITY_DIR).glob("*.yaml")})
    return f" (fundet: {', '.join(found)})" if found else ""


def _load_one(
    path: Path, municipalities: dict[Path, Municipality | None], today: dt.date | None
) -> tuple[LoadedStandard | None, list[Problem]]:
    try:
        document = load_yaml(path)
    except InputError as exc:
        return None, exc.problems
    standard, problems = validation.parse(document, Standard)
    if standard is None:
        # Still say what the file lacks as a whole, and what its municipality file lacks, so
        # one run shows every problem.
        problems += _raw_rules(document)
        name = document.data.get("municipality")
        town_path = _find_municipality(path, name) if isinstance(name, str) else None
        if town_path is not None:
            _municipality(town_path, municipalities, problems)
        return None, problems
    problems += _rules(document, standard, today)
    town_path = _find_municipality(path, standard.municipality)
    if town_path is None:
        problems.append(document.problem(
            ("municipality",),
            f"kommunefilen '{MUNICIPALITY_DIR}/{standard.municipality}.yaml' findes hverken i "
            f"standardens mappe eller i en mappe over den{_found_municipalities(path)}; opret "
            f"den med 'standardgen new SLUG --municipality {standard.municipality}'",
            code=Code.MUNICIPALITY))
        return None, problems
    town = _municipality(town_path, municipalities, problems)
    if town is None:
        return None, problems
    return LoadedStandard(standard, town, path, town_path), problems


def _municipality(path: Path, municipalities: dict[Path, Municipality | None],
                  problems: list[Problem]) -> Municipality | None:
    """The municipality file at ``path``, read once a run: its problems are added to
    ``problems`` by the first standard that names it."""
    if path not in municipalities:
        municipalities[path], found = _load_municipality(path)
        problems.extend(found)
    return municipalities[path]


def _find_municipality(path: Path, name: str) -> Path | None:
    for folder in path.resolve().parents:
        candidate = folder / MUNICIPALITY_DIR / f"{name}.yaml"
        if candidate.is_file():
            return candidate
    return None


def _load_municipality(path: Path) -> tuple[Municipality | None, list[Problem]]:
    try:
        document = load_yaml(path)
    except InputError as exc:
        return None, exc.problems
    town, problems = validation.parse(document, Municipality)
    problems += guidance_problems(document, "kommunens egne oplysninger")  # `new`, `init`
    if town is not None:
        problems += _contrast_problems(document, town)
        problems += _statement_problems(document, town)
        if town.logo:
            problems += _logo_problems(document, path.parent / town.logo, path)
    return (None if errors(problems) else town), problems


def _contrast_problems(document: YamlDocument, town: Municipality) -> list[Problem]:
    """The theme colour carries white text and links on the site: WCAG 2.1 AA wants 4.5:1."""
    ratio = contrast_ratio(town.theme.primary)
    if ratio >= 4.5:
        return []
    return [document.problem(
        ("theme", "primary"), f"temafarven {town.theme.primary} har kontrast {ratio:.1f}:1 mod "
        "hvid; WCAG 2.1 AA kræver mindst 4,5:1", code=Code.THEME_CONTRAST)]


def _statement_problems(document: YamlDocument, town: Municipality) -> list[Problem]:
    """Danish public sites publish an accessibility statement, made in the Agency for Digital
    Government's WAS tool, and link it from every page (the web accessibility act, lov nr. 692
    af 8. juni 2018, and the Agency's guidance)."""
    if town.accessibility_statement:
        return []
    return [document.problem(
        (), "kommunefilen mangler accessibility_statement: adressen på kommunens "
        "tilgængelighedserklæring (fra Digitaliseringsstyrelsens WAS-værktøj), som hver side på "
        "sitet skal linke til", code=Code.ACCESSIBILITY_STATEMENT, severity=Severity.WARNING)]


def contrast_ratio(colour: str, background: str = "#ffffff") -> float:
    """WCAG 2.1 contrast ratio of two ``#rrggbb`` colours."""
    def luminance(value: str) -> float:
        channels = [int(value[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(colour), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _logo_problems(document: YamlDocument, logo: Path, town_file: Path) -> list[Problem]:
    """The logo is published with the site: it must be the repository's own, a real SVG or
    PNG, small, and hold no code (:mod:`standardgen.standards.logo`)."""
    message = logo_problem(logo, repository_of(town_file))
    return [document.problem(("logo",), message, code=Code.LOGO)] if message else []


# --- rules that span fields -------------------------------------------------------------------

def _no_profile_yet(document: YamlDocument, standard: Standard,
                    profile: Profile) -> list[Problem]:
    """Said early, at the standard: a paragraph without a service profile can be published, but
    ``letter`` and ``form`` would refuse its cases."""
    paragraph = standard.service.paragraph
    if profile.letters or standard.profile != GENERIC or GUIDANCE.search(paragraph):
        return []
    return [document.problem(
        ("service", "paragraph"), f"{paragraph} har ingen serviceprofil endnu: standarden kan "
        "udgives, men ikke bruges til breve og opfølgningsskemaer (serviceprofiler findes for "
        f"{known_paragraphs()})", code=Code.NO_PROFILE_YET, severity=Severity.INFO)]


def _rules(document: YamlDocument, standard: Standard, today: dt.date | None) -> list[Problem]:
    profile = profile_for(standard)
    if profile is None:
        from standardgen.standards.profiles import all_profiles

        known = ", ".join(p.name for p in all_profiles())
        return [document.problem(("profile",), f"ukendt profil '{standard.profile}'; kendte "
                                 f"profiler: {known}", code=Code.PROFILE)]
    problems = _profile_rules(document, standard, profile)
    problems += _no_profile_yet(document, standard, profile)
    problems += _quote_rules(document, standard, profile)
    problems += _section_rules(document, standard, profile)
    problems += _markup_rules(document, standard)
    problems += _complaints_rules(document, standard)
    if document.path.stem != standard.slug:
        problems.append(document.problem(
            ("slug",), f"filen bør hedde '{standard.slug}.yaml' som sin slug",
            code=Code.SLUG_FILENAME, severity=Severity.WARNING))
    if standard.next_revision and standard.next_revision <= standard.approval.date:
        problems.append(document.problem(
            ("next_revision",), "næste revision skal ligge efter godkendelsesdatoen",
            code=Code.REVISION_DATE))
    if today is not None:
        problems += revision_problems(document, standard, today)  # due or overdue (warning)
    problems += guidance_problems(document)  # [[VEJLEDNING: ...]] left from `new` (error)
    return problems


def _raw_rules(document: YamlDocument) -> list[Problem]:
    """The rules that need no valid model, read from the data as it is: missing sections and
    links, and guidance left from the scaffold."""
    data = document.data
    name = data.get("profile", Standard.model_fields["profile"].default)
    problems = guidance_problems(document)
    if not isinstance(name, str) or load_profile(name) is None:
        return problems  # the model's errors already say the profile is wrong

    def roles(key: str) -> set[str]:
        items = data.get(key)
        return {str(item.get("role")) for item in items if isinstance(item, dict)} if (
            isinstance(items, list)) else set()

    valid = {role.value for role in Role}
    if not isinstance(data.get("sections"), list) or not roles("sections") <= valid:
        return problems  # no sections, or a role mistyped: which is "missing" is a guess
    profile = load_profile(name)
    assert profile is not None
    return problems + _missing_parts(document, profile, roles("sections"), roles("links"))


def _profile_rules(document: YamlDocument, standard: Standard,
                   profile: Profile) -> list[Problem]:
    return _missing_parts(document, profile,
                          {section.role.value for section in standard.sections},
                          {link.role for link in standard.links})


def _missing_parts(document: YamlDocument, profile: Profile, roles: set[str],
                   links: set[str]) -> list[Problem]:
    problems = []
    for role, need in profile.sections.items():
        if role.value not in roles and need.level != "optional":
            problems.append(_missing(document, ("sections",), need, "afsnittet",
                                     f"mangler afsnittet '{need.label}' (role: {role.value})"))
    for role_name, need in profile.links.items():
        if role_name not in links:
            problems.append(_missing(document, ("links",), need, "linket",
                                     f"mangler {need.label.lower()} (links, role: {role_name})"))
    return problems


def _quote_rules(document: YamlDocument, standard: Standard,
                 profile: Profile) -> list[Problem]:
    """Every block the profile's letters must quote is in the standard: told by ``check``, on
    the section that lacks the block, or on ``sections:`` when the section itself is missing."""
    problems = []
    for name, quote in profile.quotes.items():
        if not quote.required or quoted_content(standard, quote):
            continue
        sections = [i for i, s in enumerate(standard.sections) if s.role is quote.role]
        need = profile.sections.get(quote.role)
        label = need.label if need else quote.role.value
        if not sections and need is not None and need.level == "required":
            continue  # already reported as a missing section
        if not sections:
            problems.append(document.problem(
                ("sections",), f"brevene citerer afsnittet '{label}' (role: {quote.role.value}, "
                f"{name}), men standarden har det ikke", key=True, code=Code.LETTER_QUOTE))
        else:
            problems.append(document.problem(
                ("sections", sections[0]), f"brevene citerer tekst-id '{quote.block}' i dette "
                f"afsnit ({name}), men afsnittet har det ikke; giv den tekst, brevet skal citere, "
                f"'id: {quote.block}'", code=Code.LETTER_QUOTE))
    return problems


# A text that sends the reader to "the klagevejledning": quoted inside a letter's own
# klagevejledning it points at itself, so letters leave such blocks out.
_GUIDANCE_REFERENCE = re.compile(r"klagevejledning", re.IGNORECASE)


def refers_to_guidance(text: str) -> bool:
    """Whether every sentence of ``text`` refers to the klagevejledning: it says nothing itself
    ("Du kan klage. Hvordan, står i klagevejledningen." says something)."""
    found = sentences(text)
    return bool(found) and all(_GUIDANCE_REFERENCE.search(s) for s in found)


def _complaints_rules(document: YamlDocument, standard: Standard) -> list[Problem]:
    """A warning on a complaints section whose every block only refers to the klagevejledning:
    the letter quotes the section inside its klagevejledning, so it would quote nothing."""
    problems = []
    for i, section in enumerate(standard.sections):
        texts = [text for block in section.content for text in block.texts]
        if section.role is Role.complaints and texts and all(map(refers_to_guidance, texts)):
            problems.append(document.problem(
                ("sections", i), f"afsnittet '{section.title}' henviser kun til "
                "klagevejledningen; brevene citerer afsnittet i deres egen klagevejledning, så "
                "skriv hvad borgeren skal vide om at klage (hvor, hvornår, hvordan)",
                code=Code.COMPLAINTS_REFERENCE, severity=Severity.WARNING))
    return problems


def quoted_content(standard: Standard,
                   quote: QuoteSpec) -> tuple[Section, ...] | Paragraph | BulletList | None:
    """What ``quote`` names in ``standard``: the block, or every section of the role (None or
    empty when absent)."""
    sections = standard.sections_of(quote.role)
    if quote.block is None:
        return sections
    for section in sections:
        found = section.block(quote.block)
        if found is not None:
            return found
    return None


def _missing(document: YamlDocument, loc: tuple[str, ...], need: Requirement, noun: str,
             message: str) -> Problem:
    severity = Severity.ERROR if need.level == "required" else Severity.WARNING
    kind = "påkrævet" if need.level == "required" else "anbefalet"
    return document.problem(loc, f"{message}; {noun} er {kind}", key=True,
                            code=Code(f"missing-{need.level}"), severity=severity)


def _section_rules(document: YamlDocument, standard: Standard,
                   profile: Profile) -> list[Problem]:
    problems: list[Problem] = []
    seen_ids: dict[str, int] = {}
    seen_roles: dict[Role, int] = {}
    block_ids: set[str] = set()
    generated = (Role.legal_basis, Role.contact)
    for i, section in enumerate(standard.sections):
        loc = ("sections", i)
        if section.id in seen_ids:
            problems.append(document.problem((*loc, "id"), f"afsnits-id '{section.id}' er brugt "
                                             f"før (afsnit {seen_ids[section.id] + 1})",
                                             code=Code.DUPLICATE_ID))
        seen_ids.setdefault(section.id, i)
        if section.role in seen_roles and not profile.allows_many(section.role):
            problems.append(document.problem((*loc, "role"), f"rollen '{section.role.value}' "
                                             "har allerede et afsnit", code=Code.DUPLICATE_ROLE))
        seen_roles.setdefault(section.role, i)
        if not section.content and section.role not in generated:
            problems.append(document.problem(loc, f"afsnittet '{section.title}' har intet indhold",
                                             code=Code.EMPTY_SECTION))
        for j, block in enumerate(section.content):
            if block.id is None:
                continue
            if block.id in block_ids:
                problems.append(document.problem((*loc, "content", j, "id"),
                                                 f"tekst-id '{block.id}' er brugt før",
                                                 code=Code.DUPLICATE_ID))
            block_ids.add(block.id)
    return problems


def _markup_rules(document: YamlDocument, standard: Standard) -> list[Problem]:
    problems = []
    for i, section in enumerate(standard.sections):
        for j, block in enumerate(section.content):
            problems += [document.problem(("sections", i, "content", j), message, code=Code.LINK)
                         for text in block.texts for message in markup.link_problems(text)]
    return problems


def _duplicate_slugs(loaded: list[LoadedStandard]) -> list[Problem]:
    first: dict[str, LoadedStandard] = {}
    problems = []
    for item in loaded:
        if item.slug in first:
            problems.append(Problem(display_path(item.source), 0, 0, Severity.ERROR,
                                    f"slug '{item.slug}' bruges også af "
                                    f"{display_path(first[item.slug].source)}",
                                                    Code.DUPLICATE_SLUG))
        first.setdefault(item.slug, item)
    return problems


__all__ = ["Catalogue", "LoadedStandard", "load_catalogue", "load_standard"]

