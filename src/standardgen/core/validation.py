"""Turn pydantic's validation errors into located Danish problems."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from babel.numbers import format_decimal
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from standardgen.core import patterns
from standardgen.core.codes import Code
from standardgen.core.guidance import MARKER
from standardgen.core.problems import InputError, Problem, Severity, errors
from standardgen.core.yamlsource import Loc, YamlDocument, load_yaml

M = TypeVar("M", bound=BaseModel)
MAX_PROBLEMS = 50  # validation problems shown for one file

_PATTERN_MESSAGES = {
    patterns.SLUG: "må kun indeholde små bogstaver a-z, tal og bindestreger (fx 'min-ydelse')",
    patterns.URL: "skal være en webadresse, der begynder med https:// (eller mailto:)",
    patterns.EMAIL: "skal være en e-mailadresse (fx 'navn@kommune.dk')",
    r"^\d{4}$": "skal være et postnummer med fire cifre",
    # cases.model.CASE_NUMBER: the case number names the letter's file, on any file system.
    r"^[A-Za-z0-9][A-Za-z0-9.\-_]{0,63}$": "må kun have bogstaverne a-z, tal, punktum, "
    "bindestreg og understregning (ingen mellemrum eller skråstreg), fx 2026-104-0001",
    r"^#[0-9a-fA-F]{6}$": "skal være en farvekode som '#004993'",
}

_SIMPLE_MESSAGES = {
    "string_type": "skal være tekst",
    "string_too_short": "må ikke være tom",
    "too_short": "skal have mindst ét punkt",
    "tuple_type": "skal være en liste (linjer, der begynder med '- ')",
    "list_type": "skal være en liste (linjer, der begynder med '- ')",
    "model_type": "skal være en gruppe af nøgler med værdier",
    "dict_type": "skal være en gruppe af nøgler med værdier",
    "model_attributes_type": "skal være en gruppe af nøgler med værdier",
    "int_type": "skal være et heltal",
    "int_parsing": "skal være et heltal",
    "bool_type": "skal være ja (true) eller nej (false)",
    "bool_parsing": "skal være ja (true) eller nej (false)",
    "float_type": "skal være et tal (fx 2,5)",
    "float_parsing": "skal være et tal (fx 2,5)",
    "int_from_float": "skal være et helt tal",
    "finite_number": "skal være et almindeligt tal",
    "string_too_long": "er for lang",
    "too_long": "har for mange punkter",
    "none_required": "skal være tom",
    "frozen_instance": "kan ikke ændres",
    "multiple_of": "har en værdi, der ikke er tilladt",
}

_DATE_TYPES = {"date_type", "date_parsing", "date_from_datetime_parsing",
               "date_from_datetime_inexact", "datetime_from_date_parsing"}


@lru_cache(maxsize=16)
def field_names(cls: type[BaseModel]) -> tuple[str, ...]:
    """Every key that may appear anywhere in a document of type ``cls`` (from its schema)."""
    names: set[str] = set()

    def collect(node: Any) -> None:
        if isinstance(node, dict):
            names.update(node.get("properties", {}))
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    collect(cls.model_json_schema())
    return tuple(sorted(names))


# The Danish name of the field at a loc (cases: cases.vocabulary); messages then say "Name: ...".
Namer = Callable[[Loc], str]


def parse(document: YamlDocument, cls: type[M],
          namer: Namer | None = None) -> tuple[M | None, list[Problem]]:
    """Validate ``document`` as ``cls``. The problems are the document's own (a duplicate key)
    and every validation error, located; the model is None when it did not validate. With
    ``namer``, each message names its field in Danish instead of by its key."""
    try:
        return cls.model_validate(document.data), list(document.problems)
    except ValidationError as exc:
        names = field_names(cls)
        found = [error for error in _without_echoes(exc.errors()) if not is_guidance(error)]
        # A file with 150,000 unknown keys took 90 s (a suggestion for each); the first
        # problems are the ones an author acts on.
        rest = found[MAX_PROBLEMS:]
        found = found[:MAX_PROBLEMS]
        hints = _colon_texts(document, found, names)
        problems = [_problem(document, error, names, namer) for error in found
                    if not any(_within(document, error, loc) for loc in hints)]
        if rest:
            problems.append(too_many(document.name, len(rest)))
        return None, [*document.problems, *hints.values(), *problems]


def too_many(name: str, rest: int) -> Problem:
    """The problem that stands for the ``rest`` not shown after the first ``MAX_PROBLEMS``."""
    return Problem(name, 0, 0, Severity.ERROR,
                   f"kontrollen af filen stoppede efter de første {MAX_PROBLEMS} fejl; {rest} "
                   "fejl mere er ikke vist (ret de viste, og kør igen)", Code.TOO_MANY_PROBLEMS)


def load(path: Path, cls: type[M]) -> M:
    """A file that must be right as it is (wording, reference data, a version to compare):
    the model, or :class:`InputError` with every error in it."""
    return parse_valid(load_yaml(path), cls)


def parse_valid(document: YamlDocument, cls: type[M]) -> M:
    """As :func:`load`, for a document already read: the model, or :class:`InputError` with
    every error (a duplicate key too, which ``parse`` reports beside a model)."""
    model, problems = parse(document, cls)
    if model is None or errors(problems):
        raise InputError(errors(problems))
    return model


def is_guidance(error: ErrorDetails) -> bool:
    """The value is a guidance marker still to be replaced (reported as such, not as a type).

    ``check`` reports each marker itself (guidance.guidance_problems), so a field that holds one
    is not also "not an e-mail address".
    """
    value = error.get("input")
    return isinstance(value, str) and MARKER in value


def _colon_texts(document: YamlDocument, found: list[ErrorDetails],
                 names: tuple[str, ...]) -> dict[Loc, Problem]:
    """`- Bemærk: maden leveres kl. 12` is YAML for a key 'Bemærk' with a value, not a text; the
    model then reports a missing 'id', a missing 'text' and an unknown key. Say the one thing that
    helps: the text needs quotes. A list item that is a single unknown key with a text (or
    nothing) after it, and that has errors, is such a text."""
    hints: dict[Loc, Problem] = {}
    for error in found:
        loc = _document_loc(document, tuple(error["loc"]))
        for end in range(len(loc), 0, -1):
            item = _value_at(document.data, loc[:end])
            if (isinstance(loc[end - 1], int) and isinstance(item, dict) and len(item) == 1
                    and next(iter(item)) not in names
                    and isinstance(next(iter(item.values())), str | None)
                    and _holds_texts(document, loc[:end - 1])):
                key, value = next(iter(item.items()))
                text = f"{key}: {value}" if value is not None else f"{key}:"
                hints[loc[:end]] = document.problem(
                    loc[:end], f"teksten '{text}' indeholder kolon og mellemrum og læses derfor "
                    f"som et felt; sæt hele teksten i anførselstegn: - \"{text}\"",
                    code=Code.QUOTE_TEXT)
                break
    return hints


def _holds_texts(document: YamlDocument, loc: Loc) -> bool:
    """A list of texts (a section's content, a bullet list, a case's facts), not of groups: it
    is named so, or another of its items is a text."""
    items = _value_at(document.data, loc)
    named = bool(loc) and loc[-1] in ("content", "list", "facts", "considerations", "disclosed")
    return named or any(isinstance(item, str) for item in items)


def _document_loc(document: YamlDocument, loc: tuple[int | str, ...]) -> Loc:
    """The part of pydantic's ``loc`` that is in the document (without union member names)."""
    known: Loc = ()
    for element in loc:
        if (*known, element) in document.value_marks:
            known = (*known, element)
    return known


def _value_at(data: Any, loc: Loc) -> Any:
    for element in loc:
        data = data[element]  # the loc was taken from this document's own marks
    return data


def _within(document: YamlDocument, error: ErrorDetails, loc: Loc) -> bool:
    return _document_loc(document, tuple(error["loc"]))[: len(loc)] == loc


def _without_echoes(errors: list[ErrorDetails]) -> list[ErrorDetails]:
    """Drop 'too short' for a list whose items have errors of their own: pydantic counts only
    the items that validated, so one bad item in a one-item list also made the list "empty"."""
    def has_inner(outer: ErrorDetails) -> bool:
        loc = tuple(outer["loc"])
        return any(tuple(e["loc"])[: len(loc)] == loc and len(e["loc"]) > len(loc) for e in errors)

    return [e for e in errors if not (e["type"] == "too_short" and has_inner(e))]


def _problem(document: YamlDocument, error: ErrorDetails, names: tuple[str, ...],
             namer: Namer | None = None) -> Problem:
    loc = tuple(error["loc"])
    kind = error["type"]
    if namer is not None:
        return _named(document, error, names, namer)
    if kind == "extra_forbidden":
        return document.problem(loc, _unknown_key(str(loc[-1]), names), key=True,
                                code=Code.UNKNOWN_KEY)
    if kind == "missing":
        field = loc[-1]
        return document.problem(loc[:-1], f"mangler det påkrævede felt '{field}'",
                                    code=Code.MISSING)
    where = _field_name(loc, names)
    # pydantic's own error types (string_pattern_mismatch, int_parsing, ...) are its internals,
    # not ours to promise: every value of the wrong shape has one code.
    return document.problem(loc, f"{where}{error_message(error)}", code=Code.INVALID_VALUE)


def _named(document: YamlDocument, error: ErrorDetails, names: tuple[str, ...],
           namer: Namer) -> Problem:
    """A problem whose message names its field in Danish (``namer``), never by its key."""
    kind = error["type"]
    # The field's own loc, without pydantic's tags (a validator's name in a union).
    loc = tuple(p for p in error["loc"] if isinstance(p, int) or p.isidentifier())
    if kind == "missing":  # located at its nearest line, named by its own loc
        return document.problem(loc, f"{namer(loc)}: skal udfyldes", code=Code.MISSING)
    if kind != "extra_forbidden":
        return document.problem(loc, f"{namer(loc)}: {error_message(error)}",
                                code=Code.INVALID_VALUE)
    label, group = namer(loc), namer(loc[:-1])
    if label != group:  # a field of another service or letter kind
        text = f"{label}: hører ikke til denne sag (standardens ydelse eller brevtypen)"
    else:
        close = difflib.get_close_matches(str(loc[-1]), names, n=1, cutoff=0.75)
        hint = f"; mente du {namer((*loc[:-1], close[0]))}?" if close else ""
        text = f"{group}: ukendt felt '{loc[-1]}'{hint}"
    return document.problem(loc, text, key=True, code=Code.UNKNOWN_KEY)


def _field_name(loc: tuple[int | str, ...], names: tuple[str, ...]) -> str:
    found = [part for part in loc if isinstance(part, str) and part in names]
    return f"'{found[-1]}' " if found else ""


def _unknown_key(key: str, names: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(key, names, n=1, cutoff=0.75)
    hint = f"; mente du '{close[0]}'?" if close else ""
    return f"ukendt felt '{key}'{hint}"


def error_message(error: ErrorDetails) -> str:
    """The Danish message for one of pydantic's errors (any type: its English never shows)."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    if kind in _DATE_TYPES:
        return f"'{value}' er ikke en gyldig dato (skriv ÅÅÅÅ-MM-DD, fx 2023-04-26)"
    if kind == "string_pattern_mismatch":
        return _PATTERN_MESSAGES.get(str(ctx.get("pattern")), "har et ugyldigt format")
    if kind in ("enum", "literal_error"):
        expected = str(ctx.get("expected", "")).replace(" or ", " eller ")
        return f"'{value}' er ikke tilladt; brug en af: {expected}"
    if kind == "value_error":  # our own validators' Danish messages
        return str(ctx.get("error", "har en værdi, der ikke kan bruges her"))
    bound = _BOUNDS.get(kind)
    if bound is not None:
        words, key = bound
        return f"'{danish_number(value)}' {words} {danish_number(ctx.get(key))}"
    if kind in _SIMPLE_MESSAGES:
        return _SIMPLE_MESSAGES[kind]
    # Any other of pydantic's error types: its English message is never shown.
    return f"'{value}' kan ikke bruges her" if isinstance(value, str | int | float) else (
        "har en værdi, der ikke kan bruges her")


_BOUNDS = {"greater_than_equal": ("skal være mindst", "ge"),
           "greater_than": ("skal være større end", "gt"),
           "less_than_equal": ("må højst være", "le"),
           "less_than": ("skal være mindre end", "lt")}


def danish_number(value: object) -> str:
    """A number as Danes write it (0,25; 1.000), anything else as it is."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(format_decimal(value, locale="da"))
    return str(value)
