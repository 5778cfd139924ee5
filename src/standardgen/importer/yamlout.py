"""Write imported data as a standard YAML file an author can read: schema line, comments, order."""

from __future__ import annotations

import io
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

HEADER = """yaml-language-server: $schema=../schema/standard.schema.json

Kvalitetsstandard importeret fra Word med `standardgen import {source}`.
Kontrollér teksten mod Word-dokumentet, og ret det, `standardgen check` nævner; tekst i
[[VEJLEDNING: ...]] fandtes ikke i dokumentet og skal skrives.
Afsnit kan indeholde afsnit (tekst), punktlister (list:) og *kursiv*, **fed** og <https://links>."""

_ROLE_NOTE = {
    "legal_basis": "Paragraffen vises fra legal_basis ovenfor.",
    "contact": "Adressen vises fra contact nedenfor og kommunefilen.",
}


def yaml_engine() -> YAML:
    engine = YAML()
    engine.width = 100
    engine.indent(mapping=2, sequence=4, offset=2)
    engine.preserve_quotes = True
    return engine


def commented(data: Any) -> Any:
    if isinstance(data, dict):
        out = CommentedMap()
        for key, value in data.items():
            out[key] = commented(value)
        return out
    if isinstance(data, list):
        return CommentedSeq(commented(value) for value in data)
    return data


def render(data: dict[str, Any], source: str, unrecognised: set[str]) -> str:
    """The YAML text; ``unrecognised`` are section ids whose heading was not recognised."""
    root = commented(data)
    root.yaml_set_start_comment(HEADER.format(source=source))
    sections = root["sections"]
    for i, section in enumerate(sections):
        note = _ROLE_NOTE.get(section["role"]) if "content" not in section else None
        if section["id"] in unrecognised:
            note = ("Overskriften blev ikke genkendt: vælg afsnittets role "
                    "(fx purpose, activities, criteria).")
        if note:
            sections.yaml_set_comment_before_after_key(i, before=note, indent=2)
    return _spaced(dump(root))


def dump(root: Any) -> str:
    buffer = io.StringIO()
    yaml_engine().dump(root, buffer)
    # ruamel leaves a space at the end of a folded line; YAML drops it when reading a plain or
    # quoted scalar (the only kinds written here), so it is removed.
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"


def _spaced(text: str) -> str:
    """A blank line before each top-level field and after the opening comment, as authors write."""
    out: list[str] = []
    for line in text.splitlines():
        if re.match(r"^[a-z_]+:\s*$", line) and out and out[-1]:
            out.append("")
        out.append(line)
    return "\n".join(out) + "\n"
