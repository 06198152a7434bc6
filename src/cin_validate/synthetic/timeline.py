"""The census year of a generated return, as whole days, and every date limit the rules set.

Each limit is taken from where the validator defines it (the collection's ReferenceDate, the
census period and working-day cut-offs of `dates.py` through the rules' context, the age and
birth ranges of `checks.identifiers`), so a generated return moves with its collection year and
with the bank-holiday calendar, and agrees with the checks by construction.

A `Day` is a proleptic Gregorian ordinal (`date.toordinal()`), so "three weeks later" is
`day + 21`: the generator takes millions of such steps, and adding ints is several times faster
than adding `timedelta`s. Days become text only when written (`Timeline.days`).
"""

from __future__ import annotations

from datetime import date
from typing import Mapping

from ..checks.assessments import open_assessment_cutoff
from ..checks.base import context_for
from ..checks.identifiers import expected_birth_range, school_age_cutoff
from ..checks.section47 import CONFERENCE_DUE_WORKING_DAYS
from ..dates import is_weekend
from ..years import Collection

Day = int  # date.toordinal(): 1 is 0001-01-01


class Timeline:
    """The dates of one collection year that the generated children are drawn around."""

    __slots__ = ("reference_date", "start", "end", "open_assessment_cut_off",
                 "conference_cut_off", "school_age_cut_off", "expected_birth_earliest",
                 "days")

    def __init__(self, collection: Collection) -> None:
        ctx = context_for(None, collection)  # no header: the collection's own ReferenceDate
        period = ctx.period
        self.reference_date: date = period.reference_date
        self.start: Day = period.start.toordinal()  # first day of the census year
        self.end: Day = period.end.toordinal()  # ReferenceDate, its last day
        # An assessment still open at the end must have started on or after this day (8670Q),
        # an enquiry still waiting for its conference on or after this one (8675Q).
        self.open_assessment_cut_off: Day = open_assessment_cutoff(ctx).toordinal()
        self.conference_cut_off: Day = period.working_days_before_end(
            CONFERENCE_DUE_WORKING_DAYS).toordinal()
        # Born on or before this day: of school age, so a missing UPN needs a reason (8770Q).
        self.school_age_cut_off: Day = school_age_cutoff(self.reference_date).toordinal()
        # An expected date of birth before this day is long past (8530Q).
        self.expected_birth_earliest: Day = expected_birth_range(self.reference_date)[0].toordinal()
        # CCYY-MM-DD of each day (`days[day]`), made once for every day a child can have (the
        # oldest are born 18 years before ReferenceDate, the latest due within a year after it),
        # so that memory stays flat however many children are written.
        self.days: Mapping[Day | str, str] = _DayTexts(self.end - 18 * 366, self.end + 366)

    @staticmethod
    def weekday_on_or_after(day: Day) -> Day:
        """The day itself, or the Monday after when it falls on a weekend."""
        while is_weekend(date.fromordinal(day)):
            day += 1
        return day


class _DayTexts(dict):
    """Day -> CCYY-MM-DD for the days from `first` to `last`; any other day is added when asked
    for, and a string (a fault's badly written date) stands for itself."""

    def __init__(self, first: Day, last: Day) -> None:
        super().__init__((day, date.fromordinal(day).isoformat()) for day in range(first, last + 1))

    def __missing__(self, day: Day | str) -> str:
        text = self[day] = day if isinstance(day, str) else date.fromordinal(day).isoformat()
        return text
