"""Year-on-year checks (guide section 1.10): a return's headline measures and YonY 01 to 07.

COLLECT compares each return with the LA's return of the year before and raises a query when a
headline count moves by the check's threshold or more. Here the same counts are made offline:

- `MeasureCounter` counts the seven headline measures of one return as it streams, each
  against that return's own census period (the year ending on its effective ReferenceDate,
  as `checks.base.context_for` decides), so last year's return is counted over last year;
- `measure_file` streams a return with the secure `ReturnReader` for the measures alone (no DfE
  rule runs; structural problems never stop it; invalid dates count as absent);
- `compare` turns last year's and this year's measures into the seven `Result`s; the engine
  (`engine.validate_file(..., previous=...)`) counts this year's measures in the same pass as
  the rules and adds each fired check to the report as a return-level query with its exact note.

The exact reading of each count is written in `rules/yony.toml` (`summary`) and pinned by
tests/test_yony.py. YonY checks are queries: they never make the exit code 1 on their own;
`is_year_on_year` is the one predicate that tells them apart from the DfE's 109 rules.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Mapping

from . import catalogue, years
from .checks.base import Context, context_for
from .dates import CensusPeriod, add_years
from .model import Child, Header, ProtectionPlan
from .parse import ReturnReader
from .values import parse_date


def is_year_on_year(code: str) -> bool:
    """A year-on-year check ("YonY 01".."YonY 07"), not one of the DfE's validation rules."""
    return code.startswith("YonY")


@dataclass(frozen=True, slots=True)
class Measure:
    key: str  # stable key in `stats --format json` and in the JSON report
    code: str  # the check that compares it, as the guide writes it
    label: str


MEASURES = (
    Measure("children", "YonY 01", "Child records"),
    Measure("referrals", "YonY 02", "Referrals in the year"),
    Measure("assessments_authorised", "YonY 03", "Assessments authorised in the year"),
    Measure("s47_enquiries", "YonY 04", "Section 47 enquiries started in the year"),
    Measure("cpp_open", "YonY 05", "Child protection plans open at the reference date"),
    Measure("cpp_started", "YonY 06", "Child protection plans starting in the year"),
    Measure("cpp_ended", "YonY 07", "Child protection plans ending in the year"),
)
KEYS = tuple(measure.key for measure in MEASURES)


def cpp_open_at(plan: ProtectionPlan, reference_date: date) -> bool:
    """YonY 05: started on or before the ReferenceDate, and not ended on or before it.

    The guide's "CPP end date >= 01/04/2025" means an end date after the ReferenceDate (or none):
    a plan that ends on the ReferenceDate itself is not open at it. Without a valid start date
    a plan is not counted; an invalid end date is absent, so that plan is open.
    """
    return (plan.start_date is not None and plan.start_date <= reference_date
            and (plan.end_date is None or plan.end_date > reference_date))


# Counted beside the measures, compared by no check: module 5 groups (2026-27 on).
PRE_PROCEEDINGS = "pre_proceedings_groups"


# ---------------------------------------------------------------------------------------------
# the measures of one return


@dataclass(frozen=True)
class Measures:
    """The headline measures of one return (or of last year's figures read from JSON)."""

    file: str
    la: str | None
    reference_date: str | None  # the header's ReferenceDate as written
    effective_reference_date: date  # the one the counts used (2025-03-31 when absent or invalid)
    period_start: date
    period_end: date
    counts: Mapping[str, int]
    structural_notices: int | None = None  # None when read from a stats JSON without it
    collection: years.Collection | None = field(default=None, compare=False)  # None from JSON
    pre_proceedings_groups: int | None = None  # present <PreProceedingsandFGDM> groups

    def to_dict(self) -> dict:
        """The JSON of `cin-validate stats --format json` (read back by `load_counts`)."""
        return {
            "file": self.file,
            "la": self.la,
            "reference_date": self.reference_date,
            "effective_reference_date": self.effective_reference_date.isoformat(),
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "measures": {key: self.counts[key] for key in KEYS},
            "checks": {measure.key: measure.code for measure in MEASURES},
            "structural_notices": self.structural_notices,
            PRE_PROCEEDINGS: self.pre_proceedings_groups,
            "rule_set": self.collection.to_dict() if self.collection else None,
        }


class MeasureCounter:
    """Counts the measures child by child; keeps only counts and the S47 keys already seen."""

    def __init__(self) -> None:
        self.counts = dict.fromkeys(KEYS, 0)
        self.pre_proceedings = 0
        self.ctx: Context | None = None  # the context of the first child: one period per return
        self._s47_seen: set[tuple[str | None, str | None, date]] = set()

    def observe(self, child: Child, ctx: Context) -> None:
        self.ctx = self.ctx or ctx
        period, counts = self.ctx.period, self.counts
        reference_date = period.reference_date
        key_of_child = (self.ctx.header.lea, child.identifiers.la_child_id)
        counts["children"] += 1
        for episode in child.episodes:
            if episode.referral_date in period:
                counts["referrals"] += 1
            for assessment in episode.assessments:
                if assessment.authorisation_date in period:
                    counts["assessments_authorised"] += 1
            for s47 in episode.section47s:
                if s47.start_date in period:
                    key = (*key_of_child, s47.start_date)
                    if key not in self._s47_seen:
                        self._s47_seen.add(key)
                        counts["s47_enquiries"] += 1
            for plan in episode.protection_plans:
                if cpp_open_at(plan, reference_date):
                    counts["cpp_open"] += 1
                if plan.start_date in period:
                    counts["cpp_started"] += 1
                if plan.end_date in period:
                    counts["cpp_ended"] += 1
            self.pre_proceedings += len(episode.pre_proceedings)

    def finish(self, file: str | os.PathLike, header: Header | None,
               collection: years.Collection, structural_notices: int | None = None) -> Measures:
        """The measures; `header` gives the period when the return had no child at all."""
        ctx = self.ctx or context_for(header, collection)
        header = header or Header()
        return Measures(file=os.fspath(file), la=header.lea,
                        reference_date=header.reference_date_text,
                        effective_reference_date=ctx.period.reference_date,
                        period_start=ctx.period.start, period_end=ctx.period.end,
                        counts=dict(self.counts), structural_notices=structural_notices,
                        collection=collection, pre_proceedings_groups=self.pre_proceedings)


def measure_file(path: str | os.PathLike, year: str | None = None) -> Measures:
    """The measures of one return, streamed; raises `parse.ReturnError` when it cannot be read.

    No DfE rule runs. Structural problems are counted, never fatal; what they spoil is absent.
    The return is read as the collection year `year`, or the one its header names.
    """
    reader = ReturnReader(path, year)
    counter = MeasureCounter()
    ctx: Context | None = None
    notices = 0
    for child, child_notices in reader:
        # as the engine does: the header read so far, the year chosen before the first child
        ctx = ctx or context_for(reader.header, reader.choice.collection)
        counter.observe(child, ctx)
        notices += len(child_notices)
    return counter.finish(path, reader.header if ctx is None else ctx.header,
                          reader.choice.collection, notices + len(reader.header_notices))


class CountsError(Exception):
    """A --previous-counts file that is not the JSON `cin-validate stats --format json` wrote."""

    def __init__(self, path: str, message: str):
        self.path, self.message = path, message
        super().__init__(f"{path}: {message}")

    def one_line(self) -> str:
        return f"{self.path}: {self.message}"


def _iso(value, path: str, key: str, required: bool) -> date | None:
    if value is None and not required:
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise CountsError(path, f'"{key}" must be a date written CCYY-MM-DD') from None


def measures_from_dict(data, path: str) -> Measures:
    """Last year's measures from the JSON that `stats --format json` wrote; checks its shape."""
    if not isinstance(data, dict) or not isinstance(data.get("measures"), dict):
        report = isinstance(data, list) or isinstance(data, dict) and "issues" in data
        raise CountsError(path, 'not the JSON of `cin-validate stats --format json` (no '
                          '"measures" object)' + ("; it is a report of cin-validate, which "
                                                  "--baseline takes" if report else ""))
    counts: dict[str, int] = {}
    for key in KEYS:
        value = data["measures"].get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise CountsError(path, f'"measures"."{key}" must be a whole number 0 or more, '
                              f"got {json.dumps(value)}")
        counts[key] = value
    end = _iso(data.get("period_end") or data.get("effective_reference_date"), path,
               "period_end", required=True)
    effective = _iso(data.get("effective_reference_date"), path, "effective_reference_date",
                     required=False) or end
    start = _iso(data.get("period_start"), path, "period_start", required=False)
    la, written = data.get("la"), data.get("reference_date")
    notices = data.get("structural_notices")
    groups = data.get(PRE_PROCEEDINGS)
    return Measures(file=data["file"] if isinstance(data.get("file"), str) else path,
                    la=la if isinstance(la, str) else None,
                    reference_date=written if isinstance(written, str) else None,
                    effective_reference_date=effective,
                    period_start=start or CensusPeriod(end).start,
                    period_end=end, counts=counts,
                    structural_notices=notices if isinstance(notices, int) else None,
                    pre_proceedings_groups=groups if isinstance(groups, int) else None)


def load_counts(path: str | os.PathLike) -> Measures:
    """Read a --previous-counts file; raises `CountsError` with a one-line reason."""
    path = os.fspath(path)
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError:
        raise CountsError(path, "no such file") from None
    except IsADirectoryError:
        raise CountsError(path, "is a directory, not a JSON file") from None
    except UnicodeDecodeError:
        raise CountsError(path, "not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise CountsError(path, f"not JSON: {error.msg} (line {error.lineno})") from None
    except (ValueError, RecursionError):  # a number past Python's 4,300 digits; deep nesting
        raise CountsError(path, "not JSON that can be read: a number too long or values "
                          "nested too deeply") from None
    except OSError as error:
        raise CountsError(path, f"cannot be read: {error.strerror or error}") from None
    return measures_from_dict(data, path)


# ---------------------------------------------------------------------------------------------
# the checks


def percent_text(change: Fraction) -> str:
    """A signed percentage with two decimals, cut toward zero (never rounded up).

    Cutting keeps the shown figure on the same side of a whole-number threshold as the exact
    one: 14.999...% shows as +14.99%, never as +15.00%.
    """
    hundredths = int(change * 100)  # int() of a Fraction cuts toward zero
    sign = "+" if hundredths > 0 else "-" if hundredths < 0 else ""
    whole, part = divmod(abs(hundredths), 100)
    return f"{sign}{whole}.{part:02d}%"


@dataclass(frozen=True)
class Result:
    """One year-on-year check: the two counts, the change and whether it fires."""

    code: str
    measure: str  # the measure's key
    last: int
    this: int
    threshold: int  # per cent

    @property
    def change(self) -> Fraction | None:
        """(this - last) / last * 100, exact; None when last year's count is 0."""
        if self.last == 0:
            return None
        return Fraction((self.this - self.last) * 100, self.last)

    @property
    def fires(self) -> bool:
        """A change of the threshold or more either way; from 0 to anything but 0 fires."""
        change = self.change
        if change is None:
            return self.this != 0
        return abs(change) >= self.threshold

    @property
    def change_percent(self) -> float | None:
        """The change for JSON: cut toward zero at two decimals (see `percent_text`)."""
        change = self.change
        return None if change is None else int(change * 100) / 100

    @property
    def change_text(self) -> str:
        change = self.change
        if change is None:
            return "n/a (last year 0)" if self.this else "none (both 0)"
        return percent_text(change)

    @property
    def reason(self) -> str:
        change = self.change
        if change is None:
            if self.this == 0:
                return "last year's count and this year's are both 0: no change"
            return (f"last year's count was 0 and this year's is {self.this}: a percentage change "
                    "from 0 cannot be computed, and any rise from 0 counts as a change of "
                    f"{self.threshold}% or more")
        if self.fires:
            return (f"a change of {percent_text(change)} is {self.threshold}% or more "
                    "(increase or decrease)")
        return f"a change of {percent_text(change)} is less than {self.threshold}% either way"

    @property
    def detail(self) -> str:
        return (f"last year {self.last:,}, this year {self.this:,}: change {self.change_text}, "
                f"threshold {self.threshold}%; {self.reason}")

    def to_dict(self) -> dict:
        return {"code": self.code, "measure": self.measure, "last": self.last,
                "this": self.this, "change_percent": self.change_percent,
                "threshold_percent": self.threshold, "fires": self.fires,
                "reason": self.reason}


def check(code: str, last: int, this: int) -> Result:
    """One check with its catalogue threshold."""
    info = catalogue.yony_rules()[code]
    measure = next(m.key for m in MEASURES if m.code == code)
    return Result(code, measure, last, this, int(info.threshold))


@dataclass(frozen=True)
class Comparison:
    """This year's return against last year's: the seven results, and what looks amiss."""

    this: Measures
    last: Measures
    results: tuple[Result, ...]
    warnings: tuple[str, ...] = field(default=())

    @property
    def fired(self) -> tuple[Result, ...]:
        return tuple(result for result in self.results if result.fires)

    def to_dict(self) -> dict:
        """The report's "year_on_year_measures": both years' figures and the warnings."""
        return {"this": self.this.to_dict(), "last": self.last.to_dict(),
                "warnings": list(self.warnings)}


def _warnings(this: Measures, last: Measures) -> tuple[str, ...]:
    found = []
    if this.la and last.la and this.la != last.la:
        found.append(f"last year's figures are for LA {last.la}, this return is for LA "
                     f"{this.la}")
    expected = add_years(this.effective_reference_date, -1)
    if last.effective_reference_date != expected:
        found.append(f"last year's figures were counted to {last.effective_reference_date}, "
                     f"not to {expected} (one year before this return's ReferenceDate "
                     f"{this.effective_reference_date}): check that the right file was given")
    return tuple(found)


class PreviousNotEarlier(ValueError):
    """The "previous" return is of the same year as this one, or a later one (years.md)."""


def _check_order(this: Measures, last: Measures) -> None:
    """Both header ReferenceDates valid, and last year's not before this year's: a mistake."""
    this_date, last_date = parse_date(this.reference_date), parse_date(last.reference_date)
    if this_date is not None and last_date is not None and last_date >= this_date:
        same = "the same as" if last_date == this_date else "later than"
        raise PreviousNotEarlier(
            f"the previous return {last.file} has ReferenceDate {last_date.isoformat()}, "
            f"{same} this return's ({this_date.isoformat()}): --previous takes the return of "
            "the year before")


def compare(this: Measures, last: Measures) -> Comparison:
    """This year's measures against last year's; raises `PreviousNotEarlier` when last year's
    return is not of an earlier year."""
    _check_order(this, last)
    results = tuple(check(measure.code, last.counts[measure.key], this.counts[measure.key])
                    for measure in MEASURES)
    return Comparison(this, last, results, _warnings(this, last))
