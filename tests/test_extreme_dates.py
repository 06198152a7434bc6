"""Every check survives the first and last dates of the calendar in every date field.

A date in year 1 or 9999 is a valid CCYY-MM-DD date, so it reaches the rules; date arithmetic
near either end ("25 years before", "plus 9 months", "45 working days before") must still
compare, never crash the run.
"""

import pytest
from builders import assessment, child, cin_plan, cpp, episode, make_return, s47

from cin_validate.dates import add_days, add_months, add_years

EXTREMES = ["0001-01-01", "0001-03-31", "9999-12-31"]


def returns_with(value: str):
    """One return per date field, that field set to `value`."""
    yield "dob", child(dob=value)
    yield "edob", child(dob=None, edob=value, sex="U")
    yield "dod", child(dod=value)
    yield "referral", child(episode(ref=value))
    yield "closure", child(episode(close=value, reason="RC1"))
    yield "cin-level cpc", child(episode(cpc=value))
    yield "assessment", child(episode(assessment(start=value, auth=value, review=value)))
    yield "cin plan", child(episode(cin_plan(start=value, end=value)))
    yield "s47", child(episode(assessment(), s47(start=value, target=value, cpc=value)))
    yield "cpp", child(episode(cpp(start=value, end=value, reviews=(value,))))


@pytest.mark.parametrize("reference_date", ["2025-03-31", *EXTREMES])
@pytest.mark.parametrize("value", EXTREMES)
def test_no_check_crashes_on_the_ends_of_the_calendar(validate, reference_date, value):
    for field, xml_child in returns_with(value):
        report = validate(make_return(xml_child, reference_date=reference_date))
        assert report.children == 1, field


def test_date_arithmetic_saturates_at_the_ends():
    from datetime import date

    assert add_years(date(1, 3, 31), -25) == date.min
    assert add_years(date(9999, 1, 1), 25) == date.max
    assert add_months(date(9999, 6, 30), 9) == date.max
    assert add_days(date(1, 1, 15), -30) == date.min
    assert add_years(date(2000, 3, 31), -25) == date(1975, 3, 31)  # ordinary dates unchanged
