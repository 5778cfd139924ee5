"""The reference pages of the documentation site, generated from the code and the schemas.

Never hand-copied: the commands from the click tree (each page shows the ``--help`` a user
sees), the case fields and CSV columns from the case schemas and the CSV reader's columns, the
YAML keys from the standard's and municipality's schemas, the service profiles and letter kinds
from their data files (the problem codes' page is ``docs/problem-codes.md``, from
:mod:`standardgen.core.codes`). The MkDocs hook
(``docs/hooks/reference.py``) adds them to the site at build time; ``python -m
standardgen.cli.reference FOLDER`` writes them as files.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import click

Row = tuple[str, dict[str, Any], bool]


# --- commands ----------------------------------------------------------------------------------

def commands_page() -> str:
    from standardgen.cli import main

    parts = ["# Kommandoer", "",
             "Hver kommandos hjælp, som `standardgen KOMMANDO --help` viser den. Alle kommandoer "
             "slutter med kode 0, når alt er i orden, 1, når inddata har fejl, og 2, når "
             "kommandoen er brugt forkert.", ""]
    for path, command in walk_commands(main, ("standardgen",)):
        ctx = click.Context(command, info_name=" ".join(path))
        parts += [f"## `{' '.join(path)}`", "", "```text", command.get_help(ctx).rstrip(), "```",
                  ""]
    return "\n".join(parts)


def walk_commands(command: click.Command,
                  path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    """Every command and subcommand, the group itself first."""
    yield path, command
    if isinstance(command, click.Group):
        for name in sorted(command.commands):
            yield from walk_commands(command.commands[name], (*path, name))


# --- schemas as tables -------------------------------------------------------------------------

def schema_rows(schema: dict[str, Any], node: dict[str, Any] | None = None, prefix: str = "",
                required: bool = True) -> list[Row]:
    """Every key of a JSON Schema once (two shapes of a list item may share a key)."""
    rows: dict[str, Row] = {}
    for row in _rows(schema, node, prefix, required):
        rows.setdefault(row[0], row)
    return list(rows.values())


def _rows(schema: dict[str, Any], node: dict[str, Any] | None, prefix: str,
          required: bool) -> Iterator[Row]:
    """Every key of a JSON Schema as a dotted path (``citizen.address.city``; list items as
    ``sections[].title``), with its node and whether it is required where its parent is."""
    node = schema if node is None else node
    needed = set(node.get("required", []))
    for name, child in node.get("properties", {}).items():
        path, is_required = f"{prefix}{name}", required and name in needed
        resolved = _unwrap(schema, child)
        yield path, resolved, is_required
        for inner in _objects(schema, child):
            separator = "[]." if _is_list(schema, child) else "."
            yield from _rows(schema, inner, path + separator, is_required)


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target = schema["$defs"][node["$ref"].rsplit("/", 1)[1]]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _options(schema: dict[str, Any], node: dict[str, Any]) -> list[dict[str, Any]]:
    node = _resolve(schema, node)
    if "anyOf" in node:
        return [_resolve(schema, o) for o in node["anyOf"] if o.get("type") != "null"]
    return [node]


def _unwrap(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """The node with a single non-null alternative merged in (``X | None`` in the model)."""
    options = _options(schema, node)
    outer = {k: v for k, v in _resolve(schema, node).items() if k != "anyOf"}
    return {**options[0], **outer} if len(options) == 1 else outer


def _is_list(schema: dict[str, Any], node: dict[str, Any]) -> bool:
    return any(option.get("type") == "array" for option in _options(schema, node))


def _objects(schema: dict[str, Any], node: dict[str, Any]) -> list[dict[str, Any]]:
    """The object shapes below a key: itself, its list's items, or each alternative of them."""
    found = []
    for option in _options(schema, node):
        items = [option] if option.get("type") != "array" else _options(
            schema, option.get("items", {}))
        found += [item for item in items if "properties" in item]
    return found


def _type(node: dict[str, Any]) -> str:
    if "enum" in node:
        return " / ".join(f"`{value}`" for value in node["enum"])
    kind = node.get("type", "")
    if node.get("format") == "date":
        return "dato (ÅÅÅÅ-MM-DD)"
    names = {"string": "tekst", "integer": "heltal", "number": "tal", "boolean": "ja/nej",
             "array": "liste", "object": "gruppe"}
    if isinstance(kind, list):
        return ", ".join(names.get(str(k), str(k)) for k in kind)
    return names.get(kind, "tekst, liste eller gruppe")


def _table(rows: Sequence[tuple[str, ...]], header: tuple[str, ...]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|").replace("\n", " ") for cell in row)
              + " |" for row in rows]
    return "\n".join(lines) + "\n"


# --- case fields and CSV columns ---------------------------------------------------------------

def case_fields_page() -> str:
    from standardgen.cases.read import COLUMNS, LIST_COLUMNS, LIST_SEPARATOR
    from standardgen.cases.schema import schema_of
    from standardgen.standards.profiles import service_profiles

    labels = _desk_labels()
    parts = ["# Sagsfelter og CSV-kolonner", "",
             "En sag er en YAML-fil eller én række i en CSV-fil. CSV-kolonnernes navne er "
             "YAML-nøglerne med punktum imellem. Omfanget (`extent`) følger standardens "
             "serviceprofil; tabellen under hver profil viser dens felter. \"Påkrævet\" er "
             "påkrævet for alle sager; brevtypen kræver og forbyder flere (se "
             "[brevtyperne](brevtyper.md)).", "", "## Felter", ""]
    generic = schema_of("case")
    rows = [(f"`{path}`", _type(node), "ja" if required else "", _label(path, node, labels))
            for path, node, required in schema_rows(generic) if not path.startswith(
                ("extent.", "previous_extent."))]
    parts.append(_table(rows, ("felt", "type", "påkrævet", "betydning")))
    for profile in service_profiles():
        schema = schema_of(f"case-{profile.name}")
        shape = _objects(schema, schema["properties"]["extent"])[0]
        extent = [(f"`{path}`", _type(node), "ja" if required else "", _label(path, node, labels))
                  for path, node, required in schema_rows(schema, shape, "extent.")]
        parts += [f"### Omfang efter {profile.name}: {profile.description}", "",
                  _table(extent, ("felt", "type", "påkrævet", "betydning"))]
    parts += ["## CSV-kolonner", "",
              f"Lister skrives i én celle med `{LIST_SEPARATOR.strip()}` mellem punkterne.", ""]
    parts.append(_table([(f"`{column}`", "liste" if column in LIST_COLUMNS else "",
                          _label(column, {}, labels)) for column in COLUMNS],
                        ("kolonne", "", "betydning")))
    return "\n".join(parts)


def _desk_labels() -> dict[str, str]:
    """The fields' Danish names (the case vocabulary): what the desk, every message and the
    CSV template call them, the vocabulary a caseworker already knows."""
    from standardgen.cases.vocabulary import vocabulary

    return {key: declared.label for key, declared in vocabulary().fields.items()}


def _label(path: str, node: dict[str, Any], labels: dict[str, str]) -> str:
    key = path.replace("[]", "")
    label = labels.get(key, "")
    # A group's description is the model class's docstring, written for developers.
    description = "" if node.get("type") == "object" else str(node.get("description", ""))
    if not label or not description or description.lower().startswith(label.lower()):
        return description or label
    return f"{label}: {description}"


# --- YAML keys of a standard and a municipality file -------------------------------------------

def yaml_keys_page() -> str:
    from standardgen.cases.schema import schema_of

    parts = ["# YAML-nøgler", "",
             "Alle nøgler i en standard og i kommunefilen, fra JSON-skemaerne, som `standardgen "
             "schema` skriver.", ""]
    for kind, title in (("standard", "Standarden (`standards/<slug>.yaml`)"),
                        ("municipality", "Kommunefilen (`standards/municipalities/<id>.yaml`)")):
        schema = schema_of(kind)
        rows = [(f"`{path}`", _type(node), "ja" if required else "", _label(path, node, {}))
                for path, node, required in schema_rows(schema)]
        parts += [f"## {title}", "", _table(rows, ("nøgle", "type", "påkrævet", "betydning"))]
    parts += ["## Serviceprofiler", "", _profiles_table()]
    return "\n".join(parts)


def _profiles_table() -> str:
    from standardgen.standards.profiles import all_profiles

    rows = []
    for profile in all_profiles():
        extent = ", ".join(f"`{name}`" for name in profile.extent) or "(ingen breve)"
        months = f"{profile.follow_up_months} mdr." if profile.follow_up_months else ""
        rows.append((f"`{profile.name}`", profile.description,
                     ", ".join(profile.paragraphs), extent, months))
    return _table(rows, ("profil", "ydelse", "paragraf", "omfang (`extent`)", "opfølgning"))


# --- letter kinds ------------------------------------------------------------

def letter_kinds_page() -> str:
    from standardgen.cases.letter_kinds import field_description, letter_kinds

    need = {"required": "ja", "optional": "nej", "disadvantage": "når den er til ugunst",
            "never": "nej (skrivebordet spørger ikke)"}

    def names(fields: tuple[str, ...]) -> str:
        return ", ".join(f"`{name}`" for name in fields) or "-"

    rows = [(f"`{kind.name}`", kind.label, names(kind.requires), names(kind.forbids),
             need[kind.reasons], need[kind.hearing], f"`{kind.notice}`" if kind.notice else "-",
             "ja" if kind.follow_up_form else "nej", f"`<sagsnummer>{kind.file_suffix}.pdf`")
            for kind in letter_kinds()]
    named = dict.fromkeys(f for kind in letter_kinds() for f in (*kind.requires, *kind.forbids))
    fields = [(f"`{name}`", field_description(name)) for name in named]
    return "\n".join([
        "# Brevtyper", "", "Sagens `result` vælger brevtypen (fra `data/letter_kinds.yaml`).", "",
        _table(rows, ("`result`", "brev", "kræver", "forbyder", "begrundelse", "partshøring",
                      "varsel", "opfølgningsskema", "fil")),
        "Felterne, tabellen nævner:", "", _table(fields, ("felt", "betydning"))])


PAGES: dict[str, Callable[[], str]] = {
    "reference/kommandoer.md": commands_page,
    "reference/sagsfelter.md": case_fields_page,
    "reference/yaml-noegler.md": yaml_keys_page,
    "reference/brevtyper.md": letter_kinds_page,
}


if __name__ == "__main__":  # python -m standardgen.cli.reference FOLDER
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "output/reference")
    for name, page in PAGES.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text(page(), encoding="utf-8")
