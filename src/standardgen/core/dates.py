"""Danish dates from CLDR (Babel), never a hand-written month table."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from babel.dates import format_date


# Cached: a batch of letters formats the same few dates (approval, decision) thousands of times,
# and Babel takes ~50 µs a call.
@lru_cache(maxsize=4096)
def long_date(day: dt.date) -> str:
    """``26. april 2023``"""
    return format_date(day, format="d. MMMM y", locale="da")


def short_date(day: dt.date) -> str:
    """``26.04.2023``"""
    return format_date(day, format="dd.MM.y", locale="da")
