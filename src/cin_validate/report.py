"""The report: one object that every output format renders from.

Issues are data (code, severity, message, child, places), never printed strings, held in an
`IssueLog` (flat memory however many there are). The JSON shape produced by `Report.to_dict` is
a public contract: keys may be added, never renamed or removed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from . import years
from .checks.base import Others, Place
from .issuelog import IssueLog, Issues
from .model import ChildRef, Header, pickled_by_fields
from .yony import Comparison

SEVERITIES = ("error", "query", "notice")


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Issue:
    code: str
    severity: str  # "error" | "query" (DfE rules) | "notice" (our structural codes)
    message: str
    child: ChildRef | None  # None for a return-level issue
    places: tuple[Place, ...]
    detail: str | None = None  # the check's words beside the message, e.g. "3 of 100 (3.00%)"
    others: Others | None = None  # the other children it concerns (duplicates), as data

    @property
    def detail_text(self) -> str | None:
        """The detail as every format shows it: the check's words, then the other children."""
        parts = [self.detail] if self.detail else []
        if self.others is not None:
            parts.append(_others_text(self.others))
        return "; ".join(parts) or None

    @property
    def fields(self) -> list[str]:
        return list(dict.fromkeys(place.field for place in self.places))

    @property
    def fields_text(self) -> str:
        """Each element it points at, in order: `CINreferralDate; CINclosureDate`."""
        return "; ".join(place.field for place in self.places)

    @property
    def values_text(self) -> str | None:
        """Their values as written, in the same order (absent ones empty); None if none is."""
        values = "; ".join(place.value or "" for place in self.places)
        return values if values.strip("; ") else None

    @property
    def line(self) -> int | None:
        """The first pointed-at element written in the file, else the first group's line."""
        for place in self.places:
            if place.value is not None and place.line:
                return place.line
        for place in self.places:
            if place.line:
                return place.line
        return self.child.line if self.child else None

    def location(self, place: Place) -> str:
        inside = "/".join(part for part in (place.path, place.field) if part)
        if self.child is None:
            return inside
        return f"Child[{self.child.index}]/{inside}"

    def to_record(self, file: str, rule_set: str) -> dict:
        """One flat row (`Report.to_records`): strings, numbers and None, nothing nested."""
        child = self.child
        return {"file": file, "code": self.code, "severity": self.severity,
                "message": self.message, "child_id": child.la_child_id if child else None,
                "child_index": child.index if child else None,
                "child_line": child.line if child else None, "line": self.line,
                "fields": self.fields_text, "values": self.values_text,
                "detail": self.detail_text, "rule_set": rule_set}

    def to_dict(self) -> dict:
        child = self.child
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "child_id": child.la_child_id if child else None,
            "fields": self.fields,
            "line": self.line,
            "child_index": child.index if child else None,
            "child_line": child.line if child else None,
            "detail": self.detail_text,
            "locations": [{"path": self.location(place), "field": place.field,
                           "value": place.value, "line": place.line} for place in self.places],
            # the other children the detail names ("also ..."), [] for most rules
            "other_children": [{"child_id": other.la_child_id, "child_index": other.index,
                                "child_line": other.line}
                               for other in (self.others.children if self.others else ())],
        }


def counted(count: int, one: str, many: str | None = None) -> str:
    """`1 error`, `4 errors`; `1 query`, `2 queries` with `many` given."""
    return f"{count} {one if count == 1 else many or one + 's'}"


def census_heading(reports) -> str:
    """What a report about these returns is titled: their collection year's census, or the
    census in general when they are of several years (or none could be read)."""
    titles = {report.collection.title for report in reports if report is not None}
    title = titles.pop() if len(titles) == 1 else "children in need census"
    return title[:1].upper() + title[1:]


def _others_text(others: Others) -> str:
    """Who the others are, as the detail says it: `also C2, C3 and 4 more`."""
    names = [f"Child[{ref.index}]" if others.by_position else ref.label for ref in others.children]
    return f"also {', '.join(names)}" + (f" and {others.more} more" if others.more > 0 else "")


@dataclass(frozen=True)
class SinceBaseline:
    """What `--baseline` found (`baseline.apply`): the report then holds only the new issues."""

    file: str  # the baseline, as given
    new: int
    fixed: int  # in the baseline, no longer found
    unchanged: int  # found again, left out of the report

    def to_dict(self) -> dict:
        return {"file": self.file, "new": self.new, "fixed": self.fixed,
                "unchanged": self.unchanged}

    @property
    def text(self) -> str:
        """As a report says it, under its counts (which are the new issues')."""
        return (f"Baseline {self.file}: {counted(self.new, 'new issue')} shown; "
                f"{self.fixed} fixed since; {self.unchanged} unchanged, not shown")

    @property
    def brief(self) -> str:
        """As one-line summaries say it."""
        return f"since the baseline: {self.new} new, {self.fixed} fixed, {self.unchanged} unchanged"


@dataclass
class Report:
    file: str
    header: Header
    reference_date: date  # the effective ReferenceDate the rules used
    children: int = 0
    episodes: int = 0
    issues: Issues = field(default_factory=IssueLog)  # in report order (`engine._validate`)
    rules_checked: tuple[str, ...] = ()  # DfE codes that ran
    rules_total: int = 0  # DfE codes in the catalogue
    notes: list[str] = field(default_factory=list)  # auto-OK return-level notes, exact text
    year_on_year: Comparison | None = None  # with --previous / --previous-counts
    # The collection year validated against (its rules, dates and status) and how it was chosen.
    collection: years.Collection = field(default_factory=years.default)
    chosen_by: str = years.BY_DEFAULT
    baseline: SinceBaseline | None = None  # with --baseline: the issues are the new ones

    def __post_init__(self):
        if not isinstance(self.issues, Issues):  # a list of issues, as a test may give
            self.issues = IssueLog(self.issues)

    @property
    def counts(self) -> Counter:
        return self.issues.counts()

    @property
    def errors(self) -> int:
        return self.counts["error"]

    @property
    def queries(self) -> int:
        return self.counts["query"]

    @property
    def notices(self) -> int:
        return self.counts["notice"]

    @property
    def counts_text(self) -> str:
        """`4 errors, 1 query, 0 structural notices`, as the summaries write it."""
        return ", ".join((counted(self.errors, "error"),
                          counted(self.queries, "query", "queries"),
                          counted(self.notices, "structural notice")))

    @property
    def la(self) -> str | None:
        return self.header.lea

    @property
    def rule_set(self) -> dict:
        """JSON `rule_set` (years.md): the collection used, its status and how it was chosen."""
        return {**self.collection.to_dict(), "chosen_by": self.chosen_by}

    @property
    def rule_set_text(self) -> str:
        """The collection validated against, its status and why: "2025-26 (provisional: ...)"."""
        collection = self.collection
        return f"{collection.year} ({collection.status}: {collection.status_note})"

    @property
    def year_note(self) -> str | None:
        """Said before anything else when the header named no collection year we hold."""
        if self.chosen_by != years.BY_DEFAULT:
            return None
        return (f"Note: the header names no collection year cin-validate holds "
                f"({', '.join(years.held())}); validated against {self.collection.label()}. "
                "Choose another with --year.")

    def by_rule(self) -> list[tuple[str, str, str, int]]:
        """(code, severity, message, count) per rule that fired: errors, then queries, then
        notices, each in the order the rules first fired (the catalogue's order by child)."""
        rank = {severity: position for position, severity in enumerate(SEVERITIES)}
        return sorted(self.issues.tally(), key=lambda row: rank.get(row[1], len(rank)))

    def to_records(self) -> list[dict]:
        """Every issue as a flat dict with the same keys, in report order, for
        `pandas.DataFrame(report.to_records())`: file, code, severity, message, child_id,
        child_index, child_line, line, fields and values ("; "-separated, in the same order),
        detail, rule_set (the collection year validated against)."""
        return [issue.to_record(self.file, self.collection.year) for issue in self.issues]

    def to_dict(self, issues=None) -> dict:
        """The JSON object; `issues` goes in its place when given (the JSON writer streams the
        issues there), else the list of every issue's dict."""
        counts = self.counts
        return {
            "file": self.file,
            "reference_date": self.header.reference_date_text,
            "la": self.header.lea,
            "summary": {
                "children": self.children,
                "errors": counts["error"],
                "queries": counts["query"],
                "rules_checked": len(self.rules_checked),
                "rules_total": self.rules_total,
                "notices": counts["notice"],
                "episodes": self.episodes,
            },
            "issues": [issue.to_dict() for issue in self.issues] if issues is None else issues,
            "notes": list(self.notes),
            "effective_reference_date": self.reference_date.isoformat(),
            "collection": {"collection": self.header.collection, "year": self.header.year},
            # all seven YonY checks, fired or not; [] when no previous year was given
            "year_on_year": ([result.to_dict() for result in self.year_on_year.results]
                             if self.year_on_year else []),
            "year_on_year_measures": self.year_on_year.to_dict() if self.year_on_year else None,
            "rule_set": self.rule_set,
            # with --baseline: {file, new, fixed, unchanged}; `issues` are then the new ones
            "baseline": self.baseline.to_dict() if self.baseline else None,
        }
