"""Dates the rules share: the census period, working days, weekends and ages.

Written once so that every rule counts the same way (rules README; group 2 S4, group 3 D6,
group 4 P4). Bank holidays come from the `holidays` package (England, which is the England and
Wales list), so a return with any header year works.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays
from dateutil.relativedelta import relativedelta

_ONE_DAY = timedelta(days=1)


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_bank_holiday(day: date) -> bool:
    """An England and Wales bank holiday (including one-off days such as a coronation)."""
    return day in _bank_holidays(day.year)


def is_weekend(day: date) -> bool:
    """Saturday or Sunday; a bank holiday on a weekday is not a weekend day (group 4 P5)."""
    return day.weekday() >= 5


def is_working_day(day: date) -> bool:
    """Monday to Friday and not an England and Wales bank holiday."""
    return not is_weekend(day) and not is_bank_holiday(day)


@lru_cache(maxsize=256)
def working_days_before(day: date, n: int) -> date:
    """The n-th working day strictly before `day`; `day` itself is never counted.

    >>> working_days_before(date(2025, 3, 31), 45)
    datetime.date(2025, 1, 27)
    >>> working_days_before(date(2024, 4, 1), 1)   # Easter Monday: back past Good Friday
    datetime.date(2024, 3, 28)
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    counted = 0
    while counted < n:
        if day == date.min:
            return day  # ran off the calendar (a year-1 ReferenceDate): nothing is before it
        day -= _ONE_DAY
        if is_working_day(day):
            counted += 1
    return day


def _saturating(day: date, step, forward: bool) -> date:
    """`day + step`, or the last (first) date there is when that falls off the calendar.

    A date in year 1 or 9999 is valid in a return, and a rule comparing with "25 years before
    ReferenceDate" must still compare, not crash; nothing real lies beyond either end.
    """
    try:
        return day + step
    except (ValueError, OverflowError):
        return date.max if forward else date.min


def add_days(day: date, days: int) -> date:
    return _saturating(day, timedelta(days=days), days >= 0)


def add_years(day: date, years: int) -> date:
    """Same month and day in another year; 29 February becomes 28 February (group 1 G4)."""
    return _saturating(day, relativedelta(years=years), years >= 0)


def add_months(day: date, months: int) -> date:
    """Same day of the month, or the month's last day when it has no such day (group 1 G4)."""
    return _saturating(day, relativedelta(months=months), months >= 0)


def birthday(birth_date: date, age: int) -> date:
    """The day a person born on `birth_date` reaches `age` (their birth date plus `age` years)."""
    return add_years(birth_date, age)


def age_on(birth_date: date, day: date) -> int:
    """Age in whole years on `day`."""
    return relativedelta(day, birth_date).years


class CensusPeriod:
    """The census year that ends on the effective ReferenceDate, both ends inclusive.

    The effective ReferenceDate is the header's when it is a valid date (a wrong but valid date
    is still used, so the period shifts with it) and the collection year's otherwise (rules
    README); `checks.base.context_for` decides which.
    """

    __slots__ = ("reference_date", "start", "end")

    def __init__(self, reference_date: date):
        self.reference_date = reference_date
        self.end = self.reference_date
        self.start = add_days(add_years(self.reference_date, -1), 1)

    def __contains__(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    def working_days_before_end(self, n: int) -> date:
        """ReferenceDate minus n working days (the cut-off of 8670Q and 8675Q)."""
        return working_days_before(self.end, n)

    def __repr__(self) -> str:
        return f"CensusPeriod({self.start.isoformat()}..{self.end.isoformat()})"
