"""``standardgen new --case`` and ``--examples``: a case to start from.

A case scaffold is written from the case JSON Schema of one standard and one letter kind (the
same schema the desk's form comes from, :func:`standardgen.cases.check.case_schema`): the
standard's service profile decides the extent's fields, the kind what is required and what is
left out. Every field gets a Danish comment in the case vocabulary's words
(``data/case_fields.yaml``) and a ``[[VEJLEDNING: ...]]`` value; ``letter`` refuses the case
until each is replaced.

The examples are complete, fictitious cases, one per letter kind, with the standards and the
municipality they need (``examples/solbakke`` of the repository, shipped inside the wheel).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from standardgen.cases.vocabulary import generic, vocabulary
from standardgen.core.codes import Code
from standardgen.core.problems import InputError, Problem, Severity, display_path

_PACKAGED = Path(__file__).resolve().parent.parent / "examples"
_CHECKOUT = Path(__file__).resolve().parents[3] / "examples" / "solbakke"
_INDENT = "  "


def examples_folder() -> Path:
    """The examples that come with standardgen (the wheel's copy, or a checkout's)."""
    return _PACKAGED if _PACKAGED.is_dir() else _CHECKOUT


def copy_examples(target: Path) -> list[Path]:
    """The examples into ``target``, which must not exist yet."""
    if target.exists():
        raise InputError([Problem(display_path(target), 0, 0, Severity.ERROR,
                                  "mappen findes allerede; vælg en anden med --out",
                                  Code.EXISTS)])
    shutil.copytree(examples_folder(), target)
    return sorted(p for p in target.rglob("*") if p.is_file())


def render_case(schema: dict[str, Any], kind_label: str) -> str:
    """The scaffold's YAML text for a case schema (standard and kind fixed in it)."""
    lines = [
        f"# Ny sag: {kind_label}. Lavet af `standardgen new --case`.",
        "# Erstat al tekst i [[VEJLEDNING: ...]] med sagens oplysninger, og slet de valgfri",
        "# felter, sagen ikke bruger. `standardgen letter` skriver intet brev, så længe der står",
        "# vejledning tilbage. Sagen indeholder personoplysninger: den hører til i sager/, som git",
        "# ignorerer.",
        "",
    ]
    _emit(schema, schema, "", 0, lines)
    return "\n".join(lines) + "\n"


def _emit(schema: dict[str, Any], node: dict[str, Any], prefix: str, depth: int,
          lines: list[str], first: str = "") -> None:
    required = set(node.get("required", []))
    for index, (name, prop) in enumerate(node.get("properties", {}).items()):
        path = f"{prefix}{name}"
        pad = _INDENT * depth
        lead = first if index == 0 and first else pad
        shape = _shape(schema, prop)
        lines.append(f"{pad}# {_comment(path, shape, name in required)}")
        if "const" in shape:
            lines.append(f"{lead}{name}: {_scalar(shape['const'])}")
        elif "properties" in shape:
            lines.append(f"{lead}{name}:")
            _emit(schema, shape, path + ".", depth + 1, lines)
        elif shape.get("type") == "array":
            _array(schema, shape, path, depth, lead + f"{name}:", lines)
        else:
            lines.append(f"{lead}{name}: {_scalar(_marker(path, shape))}")


def _array(schema: dict[str, Any], shape: dict[str, Any], path: str, depth: int, head: str,
           lines: list[str]) -> None:
    lines.append(head)
    item = _shape(schema, shape.get("items", {}))
    pad = _INDENT * (depth + 1)
    if "properties" in item:
        _emit(schema, item, path + ".", depth + 2, lines, first=pad + "- ")
    else:
        lines.append(f"{pad}- {_scalar(_marker(path, item))}")


def _shape(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """The node with its reference resolved and ``X | None`` reduced to X."""
    while "$ref" in node:
        node = {**schema["$defs"][node["$ref"].rsplit("/", 1)[1]],
                **{k: v for k, v in node.items() if k != "$ref"}}
    options = [o for o in node.get("anyOf", []) if o.get("type") != "null"]
    if len(options) == 1:
        rest = {k: v for k, v in node.items() if k != "anyOf"}
        return {**_shape(schema, options[0]), **rest}
    return node


def _comment(path: str, shape: dict[str, Any], required: bool) -> str:
    # A group's description is its model's docstring (for developers); a field's is Danish.
    own = "" if "properties" in shape else str(shape.get("description", "")).rstrip(".")
    label = _label(path) or own or path
    need = "påkrævet" if required else "valgfri; slet den, hvis sagen ikke bruger den"
    hint = _hint(path)
    return f"{label} ({need})" + (f". {hint}" if hint else "")


def _label(path: str) -> str:
    """The field's Danish name (the case vocabulary: the desk and every message use it)."""
    declared = vocabulary().fields.get(generic(path))
    return declared.label if declared is not None else ""


def _hint(path: str) -> str:
    # The vocabulary's hints, not the desk's: the desk reads Danish dates, a case file ISO.
    return vocabulary().hint(path)


def _marker(path: str, shape: dict[str, Any]) -> str:
    what = str(shape.get("description") or _label(path) or path).rstrip(".")
    options = vocabulary().options.get(path)
    if "enum" in shape:
        named = [f"{value} ({options[value]})" if options and value in options else str(value)
                 for value in shape["enum"]]
        what += "; en af: " + ", ".join(named)
    elif shape.get("format") == "date" and "ÅÅÅÅ" not in what:
        what += "; skriv ÅÅÅÅ-MM-DD"
    elif shape.get("type") in ("integer", "number"):
        what += "; et tal"
    return f"[[VEJLEDNING: {what}]]"


def _scalar(value: object) -> str:
    # JSON's string syntax is valid YAML: every value is quoted safely.
    return json.dumps(value, ensure_ascii=False)
