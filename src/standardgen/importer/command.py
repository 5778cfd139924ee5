"""``standardgen import``: a Word standard as a new YAML file, or onto an existing one."""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from standardgen.core import validation
from standardgen.core.codes import Code
from standardgen.core.fileio import inside, write_atomic
from standardgen.core.patterns import SLUG
from standardgen.core.problems import InputError, Problem, Severity, display_path, errors
from standardgen.importer import onto, structure, wordfile, yamlout
from standardgen.importer.structure import Explained, Imported, shown
from standardgen.standards.catalogue import MUNICIPALITY_DIR, load_catalogue, load_standard
from standardgen.standards.model import Municipality, Standard


@dataclass(frozen=True)
class ImportRequest:
    source: Path
    out: Path = Path("standards")
    municipality: str | None = None
    onto: Path | None = None
    write: bool = False
    accept_changes: bool = False


def find_municipality(start: Path, name: str | None) -> tuple[str | None, Municipality | None]:
    """The municipality file ``name`` in ``start/municipalities`` or a folder above it; with no
    name, the only municipality file there is."""
    if name is not None and not re.fullmatch(SLUG, name):
        # Typed by the user: a name that would leave municipalities/ is refused, not read.
        raise InputError([Problem("--municipality", 0, 0, Severity.ERROR,
                                  "kommunens id må kun indeholde små bogstaver a-z, tal og "
                                  "bindestreger (filnavnet i municipalities/ uden .yaml)",
                                  Code.MUNICIPALITY)])
    for folder in [start.resolve(), *start.resolve().parents]:
        towns = folder / MUNICIPALITY_DIR
        if name and (towns / f"{name}.yaml").is_file():
            return name, validation.load(towns / f"{name}.yaml", Municipality)
        if not name and towns.is_dir():
            files = sorted(towns.glob("*.yaml"))
            if len(files) == 1:
                return files[0].stem, validation.load(files[0], Municipality)
    return name, None


def read_word(request: ImportRequest, town_folder: Path) -> tuple[wordfile.WordFile, Imported]:
    """The Word file and what it says, or InputError when tracked changes are unresolved."""
    doc = wordfile.read(request.source)
    name = request.municipality or doc.properties.get("municipality")
    town_id, town = find_municipality(town_folder, name)
    imported = structure.build(doc, town, town_id)
    if doc.changes and not request.accept_changes:
        raise InputError(change_problems(doc, imported))
    return doc, imported


def change_problems(doc: wordfile.WordFile, imported: Imported) -> list[Problem]:
    kinds = {"insertion": "indsat", "deletion": "slettet", "move": "flyttet",
             "paragraph": "afsnitsskift ændret"}
    problems = []
    texts = {c.number for c in doc.changes if c.kind != "paragraph"}
    for change in doc.changes:
        if change.kind == "paragraph" and change.number in texts:
            continue  # a deleted paragraph: its text is listed, the mark adds nothing
        # A paragraph whose mark was deleted is joined to the next one and has no number of
        # its own in the result: the section is that of the paragraph before it.
        known = [n for n in imported.section_of if n <= change.number]
        section = imported.section_of[max(known)] if known else "før første overskrift"
        author = change.author or "ukendt forfatter"
        problems.append(Problem(
            doc.name, change.number, 1, Severity.ERROR,
            f"uafklaret registreret ændring ({kinds[change.kind]}) af {author} i afsnittet "
            f"'{section}': '{shown(change.text)}'; acceptér eller afvis ændringerne i Word, "
            "eller brug --accept-changes (som Words 'Acceptér alle')", Code.TRACKED_CHANGE))
    return problems


def import_new(request: ImportRequest) -> tuple[Path, str, list[Problem]]:
    """The target file, its YAML text and the import warnings; nothing is written here."""
    _doc, imported = read_word(request, request.out)
    target = inside(request.out, f"{imported.data['slug']}.yaml")
    if target.exists():
        raise InputError([Problem(display_path(target), 0, 0, Severity.ERROR,
                                  "filen findes allerede; importér en revideret udgave med "
                                  f"--onto {display_path(target)}", Code.EXISTS)])
    text = yamlout.render(imported.data, request.source.name, imported.unrecognised)
    return target, text, imported.problems


def explain(request: ImportRequest) -> tuple[list[Explained], list[Problem]]:
    """How each heading of the Word file got its role, and the import warnings."""
    _doc, imported = read_word(request, request.out)
    return imported.explained, imported.problems


def explained_line(entry: Explained) -> str:
    """One heading of ``import --explain``: its role, how sure, and the second guess."""
    found = entry.match
    if found.role is None:
        how = "ukendt overskrift"
    else:
        how = f"sikkerhed {round(found.confidence * 100)} %"
        if found.runner_up is not None and found.confidence < 1:
            how += f", ellers {found.runner_up.value}"
        if not found.confident:
            how += "; usikker"
    return f"afsnit {entry.number}: {entry.title} -> {entry.role.value} ({how})"


@dataclass(frozen=True)
class OntoResult:
    diff: str
    problems: list[Problem]
    changed: bool
    written: bool


def import_onto(request: ImportRequest, *, colour: bool) -> OntoResult:
    """Apply a revised Word file to ``request.onto``; write only with ``request.write`` and only
    when the result is a valid standard."""
    from standardgen.approval import compare, terminal
    from standardgen.approval.wording import load_wording

    assert request.onto is not None
    target = request.onto
    old = load_standard(target)
    request = replace(request, municipality=request.municipality or old.standard.municipality)
    _doc, imported = read_word(request, target.parent)
    original = target.read_text(encoding="utf-8")
    root = yamlout.yaml_engine().load(original)
    before = onto.plain(root)
    onto.merge(root, imported.data)
    # Written out again only when something changed: an unchanged file stays byte for byte.
    text = yamlout.dump(root) if onto.plain(root) != before else original
    new, checked = _validate(target, text)
    problems = [*imported.problems, *checked]
    if new is None:
        return OntoResult("", problems, False, False)
    diff = terminal.render(compare.compare(old.standard, new), load_wording(), colour=colour)
    changed = text != original
    written = False
    if changed and request.write and not errors(problems):
        write_atomic(target, text.encode("utf-8"))
        written = True
    return OntoResult(diff, problems, changed, written)


def _validate(target: Path, text: str) -> tuple[Standard | None, list[Problem]]:
    """The standard ``text`` would be at ``target``, checked there (municipality file, profile),
    and its problems reported against ``target``."""
    folder = Path(tempfile.mkdtemp(prefix=".import-", dir=target.parent))
    try:
        trial = folder / target.name
        trial.write_text(text, encoding="utf-8")
        catalogue = load_catalogue([trial])
        name = display_path(target)
        problems = [Problem(name, p.line, p.column, p.severity, p.message, p.code)
                    for p in catalogue.problems]
        standard: Standard | None = catalogue.standards[0].standard if catalogue.standards \
            else None
        return standard, problems
    finally:
        shutil.rmtree(folder, ignore_errors=True)
