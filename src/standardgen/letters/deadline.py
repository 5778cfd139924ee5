"""When the citizen is taken to have received the decision, and the last day to complain.

Digital Post counts as received the day it is sent; ordinary post some working days later
(weekends and Danish public holidays skipped). The complaint must reach the municipality within
a number of weeks after receipt; a last day that falls on a closed day moves to the next open
one. The numbers and the closed days come from the wording file (with their legal source), not
from here.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from standardgen.cases.model import Channel
from standardgen.cases.wording import ClosedDays


@lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[dt.date]:
    import holidays  # imported lazily: only letters need it

    return frozenset(holidays.country_holidays("DK", years=year))


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(start: dt.date, days: int) -> dt.date:
    day = start
    for _ in range(days):
        day += dt.timedelta(days=1)
        while not is_working_day(day):
            day += dt.timedelta(days=1)
    return day


def receipt_date(decision: dt.date, channel: Channel, post_working_days: int) -> dt.date:
    if channel is Channel.digital_post:
        return decision
    return add_working_days(decision, post_working_days)


@lru_cache(maxsize=8)
def _weekdays(closed: ClosedDays) -> frozenset[int]:
    return frozenset(weekday.number for weekday in closed.weekdays)


def is_closed(day: dt.date, closed: ClosedDays) -> bool:
    """Whether a deadline may not end on ``day`` (the days are in the wording file)."""
    return (day.weekday() in _weekdays(closed)
            or f"{day.month:02d}-{day.day:02d}" in closed.dates
            or (closed.public_holidays and day in _holidays(day.year)))


def last_complaint_day(received: dt.date, weeks: int, closed: ClosedDays) -> dt.date:
    """``weeks`` after receipt; a deadline that ends on a closed day (a weekend, a holiday,
    grundlovsdag, 24 or 31 December) ends on the next day that is open."""
    day = received + dt.timedelta(weeks=weeks)
    while is_closed(day, closed):
        day += dt.timedelta(days=1)
    return day
