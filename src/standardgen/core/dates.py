"""Danish dates from CLDR (Babel), never a hand-written month table: written, and read as people
type them."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache, lru_cache

from babel.dates import format_date, get_month_names


# Cached: a batch of letters formats the same few dates (approval, decision) thousands of times,
# and Babel takes ~50 µs a call.
@lru_cache(maxsize=4096)
def long_date(day: dt.date) -> str:
    """``26. april 2023``"""
    return format_date(day, format="d. MMMM y", locale="da")


def short_date(day: dt.date) -> str:
    """``26.04.2023``"""
    return format_date(day, format="dd.MM.y", locale="da")


# --- Danish dates in -------------------------------------------------------------------------
# Accepted: 04.05.2026, 4.5.2026, 4/5-2026, 04-05-2026, 2026-05-04 and "4. maj 2026" (month names
# from CLDR, also abbreviated). Day before month, always; a two-digit year is refused as
# ambiguous (1926 or 2026?), and a day that does not exist is refused with the reason.

_NUMERIC = re.compile(r"^(\d{1,2})\s*[./-]\s*(\d{1,2})\s*[./-]\s*(\d{2,4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WORDS = re.compile(r"^(\d{1,2})\.?\s+([a-zæøå]+)\.?\s+(\d{2,4})$")
EXAMPLE = "4.5.2026"


class DateError(ValueError):
    """A typed date that cannot be read; the message is Danish and says what to write."""


@cache
def _months() -> dict[str, int]:
    names: dict[str, int] = {}
    for width in ("wide", "abbreviated"):
        for number, name in get_month_names(width, locale="da").items():
            names[str(name).rstrip(".").casefold()] = int(number)
    return names


def parse_date(text: str) -> dt.date:
    """The date ``text`` means; :class:`DateError` with a Danish reason when it means none."""
    value = text.strip()
    iso = _ISO.match(value)
    if iso:
        return _day(int(iso[1]), int(iso[2]), int(iso[3]), value)
    numeric = _NUMERIC.match(value)
    if numeric:
        return _day(_year(numeric[3], value), int(numeric[2]), int(numeric[1]), value)
    words = _WORDS.match(value.casefold())
    if words:
        month = _months().get(words[2])
        if month is None:
            raise DateError(f"'{value}': '{words[2]}' er ikke et dansk månedsnavn")
        return _day(_year(words[3], value), month, int(words[1]), value)
    raise DateError(f"'{value}' er ikke en dato; skriv dag, måned og år, fx {EXAMPLE}")


def _year(digits: str, value: str) -> int:
    if len(digits) != 4:
        raise DateError(f"'{value}': skriv året med fire cifre, fx {EXAMPLE}")
    return int(digits)


def _day(year: int, month: int, day: int, value: str) -> dt.date:
    if not 1 <= month <= 12:
        raise DateError(f"'{value}': der er ingen måned {month}")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise DateError(f"'{value}': datoen findes ikke (måneden har ikke {day} dage)") from None


def iso_or_same(text: str) -> str:
    """``text`` as an ISO date when it reads as a Danish date, else unchanged (the validation
    then says, located, what is wrong with it)."""
    try:
        return parse_date(text).isoformat()
    except DateError:
        return text
