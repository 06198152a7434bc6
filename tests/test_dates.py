"""The calendar every rule shares: census period, working days, weekends, ages."""

from datetime import date

import pytest

from cin_validate import years
from cin_validate.checks.base import context_for
from cin_validate.model import Header
from cin_validate.dates import (CensusPeriod, add_months, add_years, age_on, is_bank_holiday,
                                is_weekend, is_working_day, working_days_before)

D = date.fromisoformat

# England and Wales bank holidays the rule files list for checking (group 2 S4, group 3 D6).
SPEC_BANK_HOLIDAYS = [
    "2024-01-01", "2024-03-29", "2024-04-01", "2024-05-06", "2024-05-27", "2024-08-26",
    "2024-12-25", "2024-12-26", "2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05",
    "2025-05-26", "2025-08-25", "2025-12-25", "2025-12-26",
]


def test_bank_holidays_2024_2025_are_exactly_the_spec_list():
    found = [d.isoformat() for d in (date.fromordinal(o) for o in
                                     range(D("2024-01-01").toordinal(), D("2025-12-31").toordinal() + 1))
             if is_bank_holiday(d)]
    assert found == SPEC_BANK_HOLIDAYS


def test_other_years_come_from_the_holidays_package():
    assert is_bank_holiday(D("2023-12-25")) and is_bank_holiday(D("2023-05-08"))  # coronation
    assert not is_bank_holiday(D("2024-11-30"))  # St Andrew's Day is Scotland only


@pytest.mark.parametrize("day, n, expected", [
    ("2025-03-31", 45, "2025-01-27"),  # 8670Q cut-off (group 3)
    ("2025-03-31", 15, "2025-03-10"),  # 8675Q cut-off (group 4)
    ("2024-04-01", 1, "2024-03-28"),   # Easter 2024: past Easter Monday's weekend and Good Friday
    ("2025-01-02", 3, "2024-12-27"),   # Christmas 2024 (group 2 S4 worked example)
    ("2024-12-27", 1, "2024-12-24"),   # Christmas 2024, short form
    ("2025-01-06", 5, "2024-12-27"),   # across New Year's Day and the weekend
    ("2024-01-02", 2, "2023-12-28"),   # Christmas 2023 (a 2023-24 header needs it)
    ("2025-04-22", 1, "2025-04-17"),   # Easter 2025: Easter Monday and Good Friday skipped
    ("2025-04-22", 2, "2025-04-16"),
    ("2024-03-31", 1, "2024-03-28"),   # D a Sunday: D itself never counts either way
    ("2025-03-29", 1, "2025-03-28"),   # D a Saturday
    ("2025-03-28", 1, "2025-03-27"),   # D a working day is not counted
])
def test_working_days_before(day, n, expected):
    assert working_days_before(D(day), n) == D(expected)


def test_working_days_before_counts_exactly_n_working_days_in_the_half_open_range():
    end = D("2025-01-06")
    cut = working_days_before(end, 10)
    days = [date.fromordinal(o) for o in range(cut.toordinal(), end.toordinal())]
    assert sum(is_working_day(d) for d in days) == 10


def test_weekend_is_saturday_and_sunday_only():
    assert is_weekend(D("2025-03-29")) and is_weekend(D("2025-03-30"))
    assert not is_weekend(D("2024-12-25"))  # a weekday bank holiday is not a weekend day
    assert not is_working_day(D("2024-12-25"))


def test_census_period_both_ends_inclusive():
    period = CensusPeriod(D("2025-03-31"))
    assert (period.start, period.end) == (D("2024-04-01"), D("2025-03-31"))
    assert D("2024-04-01") in period and D("2025-03-31") in period
    assert D("2024-03-31") not in period and D("2025-04-01") not in period
    assert None not in period


@pytest.mark.parametrize("year", ["2024-25", "2025-26", "2026-27"])
def test_census_period_falls_back_to_the_collection_year_and_shifts_with_a_valid_header(year):
    collection = years.get(year)
    fallback = context_for(Header(reference_date_text="31/03/2025"), collection).period
    assert fallback.reference_date == collection.reference_date
    assert context_for(None, collection).period.end == collection.reference_date
    valid = context_for(Header(reference_date=D("2024-03-31")), collection).period
    assert (valid.start, valid.end) == (D("2023-04-01"), D("2024-03-31"))


def test_a_census_period_shifts_with_its_reference_date():
    shifted = CensusPeriod(D("2024-03-31"))
    assert (shifted.start, shifted.end) == (D("2023-04-01"), D("2024-03-31"))
    # 45 working days before 2024-03-31 (a Sunday, Good Friday on the 29th): 20 in March,
    # 21 in February, 4 in January.
    assert shifted.working_days_before_end(45) == D("2024-01-26")


def test_leap_day_year_arithmetic():
    assert add_years(D("1996-02-29"), 25) == D("2021-02-28")
    assert add_months(D("2025-03-31"), 9) == D("2025-12-31")
    assert add_months(D("2025-01-31"), 1) == D("2025-02-28")
    assert CensusPeriod(D("2024-02-29")).start == D("2023-03-01")


def test_age_on():
    assert age_on(D("2000-03-31"), D("2025-03-31")) == 25
    assert age_on(D("2000-04-01"), D("2025-03-31")) == 24
