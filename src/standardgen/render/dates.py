"""Danish dates from CLDR (Babel), never a hand-written month table."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date


def long_date(day: dt.date) -> str:
    """``26. april 2023``"""
    return format_date(day, format="d. MMMM y", locale="da")


def short_date(day: dt.date) -> str:
    """``26.04.2023``"""
    return format_date(day, format="dd.MM.y", locale="da")
