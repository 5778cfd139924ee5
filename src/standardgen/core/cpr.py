"""CPR numbers: confidential, so the full number is only ever asked for explicitly.

``str()`` and ``repr()`` of a :class:`Cpr` give the masked form ``DDMMYY-XXXX``: a number that
reaches a log line, an error message, a file name or a template by accident stays masked. Only
``.full`` gives the whole number, and only the letter body asks for it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from pydantic import GetCoreSchemaHandler
from pydantic_core import core_schema

# How people type a CPR number: DDMMYY-SSSS, DDMMYYSSSS, DDMMYY SSSS, with a dot, an en dash,
# U+2010 or another dash, a no-break space; the date part may have dots (DD.MM.YY) as well.
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_SPACES = " \u00a0\u2007\u2009\u202f"
_SEPARATOR = f"[\\{_DASHES}{_SPACES}./]?"  # "-" escaped: it comes first in the class
_SPELLINGS = (rf"(\d{{2}})(?P<sep>[.\-/ ]?)(\d{{2}})(?P=sep)(\d{{2}})\s?{_SEPARATOR}\s?(\d{{4}})")
_PATTERN = re.compile(rf"^{_SPELLINGS}$")
# The same for JSON Schema, whose regular expressions have no back-references.
_SCHEMA_PATTERN = rf"^\d{{2}}[.\-/ ]?\d{{2}}[.\-/ ]?\d{{2}}\s?{_SEPARATOR}\s?\d{{4}}$"
# Anything in free text that looks like a CPR number, in any of those spellings.
_IN_TEXT = re.compile(rf"(?<!\d){_SPELLINGS}(?!\d)")


def _masked(match: re.Match[str]) -> str:
    return f"{match.group(1)}{match.group(3)}{match.group(4)}-XXXX"


def mask_in_text(text: str) -> str:
    """Mask every CPR-like number in ``text`` (a safety net for messages and logs)."""
    return _IN_TEXT.sub(_masked, text)


def looks_like_cpr(text: str) -> bool:
    return _IN_TEXT.search(text) is not None


def find_in_text(text: str) -> Iterator[tuple[int, str]]:
    """Where ``text`` holds a number that passes the CPR checks (any spelling, a real date):
    each match's offset and its masked form. A phone or case number rarely passes the date."""
    for match in _IN_TEXT.finditer(text):
        if _plausible(int(match.group(1)), int(match.group(3))):
            yield match.start(), _masked(match)


class Cpr:
    """A CPR number DDMMYY-SSSS. Modulus 11 is not required: numbers without it exist since 2007."""

    __slots__ = ("_digits",)

    def __init__(self, value: str) -> None:
        match = _PATTERN.match(value.strip())
        if not match:
            raise ValueError("CPR-nummeret skal skrives DDMMÅÅ-XXXX")
        day, _sep, month, _year, serial = match.groups()
        if not _plausible(int(day), int(month)):
            raise ValueError("CPR-nummerets første seks cifre er ikke en gyldig dato")
        self._digits = f"{day}{month}{_year}-{serial}"

    @property
    def full(self) -> str:
        return self._digits

    @property
    def masked(self) -> str:
        return self._digits[:7] + "XXXX"

    def __str__(self) -> str:
        return self.masked

    def __repr__(self) -> str:
        return f"Cpr({self.masked!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Cpr) and other._digits == self._digits

    def __hash__(self) -> int:
        return hash(self._digits)

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls._validate,
            json_schema_input_schema=core_schema.str_schema(pattern=_SCHEMA_PATTERN),
            serialization=core_schema.plain_serializer_function_ser_schema(lambda c: c.masked),
        )

    @classmethod
    def _validate(cls, value: Any) -> Cpr:
        if isinstance(value, Cpr):
            return value
        if not isinstance(value, str):
            raise ValueError("CPR-nummeret skal skrives som tekst: DDMMÅÅ-XXXX")
        return cls(value)


def _plausible(day: int, month: int) -> bool:
    try:
        dt.date(2000, month, day)  # a leap year, so 29 February is accepted
    except ValueError:
        return False
    return True
