"""Run the registered checks over a return as it streams, and build the report."""

from __future__ import annotations

import gc
import heapq
import os
from contextlib import contextmanager
from itertools import chain, islice
from typing import Callable, Iterable, Iterator

from . import catalogue, years, yony
from .checks import RETURN_CHECKS, ChildRules
from .checks.base import Context, Finding, Place, context_for
from .issuelog import IssueLog
from .model import Child, ChildRef
from .parse import ReturnReader, Structural
from .report import Issue, Report
from .selection import NothingSelected, Selection

# The notice that the header named no collection year we hold comes before everything else.
FIRST_NOTICE = "S09"

# How many children are read before they are checked (see `_validate`): 64 children of a
# typical return are about half a megabyte of model, so memory stays flat.
BATCH = 64


# What a check may raise that is no bug in it: memory or temporary disk space ran out (the
# duplicate index of 1520 and 8510 is a temporary table). Callers report the return as not
# validated here (exit 2).
_NOT_A_BUG = (MemoryError, OSError)


class CheckFailed(Exception):
    """A check raised an exception: a bug in cin-validate, not in the return.

    Running out of memory or of temporary disk space is no bug (`_NOT_A_BUG`): it passes
    through, and callers report the return as not validated here (exit 2).
    """

    def __init__(self, code: str, child: ChildRef | None):
        where = f" on child {child.index}" if child else ""
        super().__init__(f"internal error in the check for rule {code}{where}")
        self.code, self.child = code, child


def _structural_issue(notice: Structural, child: ChildRef | None,
                      detail: str | None = None) -> Issue:
    info = catalogue.structural_rules()[notice.code]
    place = Place(notice.path, notice.field, notice.text, notice.line)
    return Issue(notice.code, info.severity, info.message, child, (place,), detail)


def _default_year_notice(reader: ReturnReader) -> Issue:
    """S09: the header named no collection year we hold, so the default year was used."""
    header = reader.header
    line = header.source.get("ReferenceDate", (None, header.line))[1] if header else None
    notice = Structural(FIRST_NOTICE, "Header", "ReferenceDate",
                        header.reference_date_text if header else None, line)
    return _structural_issue(notice, None, years.default_notice_text(header, reader.choice))


def _batches(items: Iterable, size: int) -> Iterator[list]:
    """`items` in lists of `size` (the last one shorter): itertools.batched, from Python 3.12."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


@contextmanager
def _cyclic_gc_paused():
    """Pause the cyclic garbage collector while a return streams through.

    The model is made of frozen dataclasses and tuples that form no reference cycles, so
    reference counting frees every finished child; the cyclic collector would only rescan the
    return-level state (duplicate IDs, counters) again and again as it grows, about 5-10% of
    the time of a large return.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def validate_file(path: str | os.PathLike, **options) -> Report:
    """Validate one return; raises `parse.ReturnError` when the file cannot be validated.

    Options are those of `_validate`: `year`, `selection`, `on_child`, `previous`.
    """
    with _cyclic_gc_paused():
        return _validate(path, **options)


def _validate(path: str | os.PathLike, *, year: str | None = None,
              selection: Selection | None = None,
              on_child: Callable[[int], None] | None = None,
              previous: yony.Measures | None = None) -> Report:
    """Stream the return through every selected check of its collection year; build the report.

    `year` ("2025-26") is `--year`; without it the header decides (`years.choose`).
    `previous`, last year's measures (`yony.measure_file` or `yony.load_counts`), adds the
    year-on-year checks: this year's measures are counted in the same pass as the rules.
    Raises `yony.PreviousNotEarlier` when last year's return is not of an earlier year.

    The report's order: return-level issues first (the year-on-year queries last of them), then
    each child's in child order, each child's in the catalogue's order of rules. The children's
    issues are put in order child by child as they stream, into an `IssueLog`; the return
    checks' issues about a child (the duplicates, 1520 and 8510) come at the end, and are
    merged into their children's places.
    """
    selection = selection or Selection()
    reader = ReturnReader(path, year)
    children_issues = IssueLog()
    ctx: Context | None = None
    rules: dict = {}
    order: dict[str, int] = {}
    child_rules: ChildRules | None = None
    return_checks: list = []
    children = episodes = 0
    measures = yony.MeasureCounter() if previous is not None else None

    def issue(code: str, finding: Finding, child: ChildRef | None) -> Issue:
        info = rules[code]
        return Issue(code, info.severity, info.message, finding.child or child,
                     finding.places, finding.detail, finding.others)

    def in_report_order(issue: Issue) -> tuple:
        return (issue.child.index if issue.child else 0, order.get(issue.code, len(order)),
                issue.code)

    def start() -> Context:
        """Once the collection year is known: its context, its rules and their checks."""
        nonlocal rules, order, child_rules, return_checks
        started = context_for(reader.header, reader.choice.collection)
        rules = started.collection.rules
        order = {code: position for position, code in enumerate((FIRST_NOTICE, *rules))}
        child_rules = ChildRules(lambda code: code in rules and code in selection)
        return_checks = [(code, cls(started)) for code, cls in RETURN_CHECKS.items()
                         if code in rules and code in selection]
        if not child_rules.checks and not return_checks:
            raise NothingSelected(f"{os.fspath(path)}: the rules selected (--select, --ignore) "
                                  f"include none of the {started.collection.year} rule set")
        return started

    def check_child(child: Child, notices: list[Structural]) -> None:
        """Run the checks on one child: its issues go to the log, the return checks see it."""
        ref = child.ref
        found: list[Issue] = []
        for notice in notices:
            if notice.code in selection:  # `--ignore S01` hides a structural notice
                found.append(_structural_issue(notice, ref))
        # Only the rules that can fire on this child: not the CIN plan rules for a child
        # without a CIN plan (`checks.facts`).
        for code, check in child_rules.for_child(child):
            # A plain loop: this runs about fifty times per child, so no intermediate
            # generator expression or list is built for the common empty result.
            try:
                for finding in check(child, ctx):
                    found.append(issue(code, finding, ref))
            except _NOT_A_BUG:
                raise
            except Exception as error:
                raise CheckFailed(code, ref) from error
        if found:
            found.sort(key=in_report_order)
            children_issues.extend(found)
        for code, check in return_checks:
            try:
                check.observe(child)
            except _NOT_A_BUG:
                raise
            except Exception as error:
                raise CheckFailed(code, ref) from error
        if measures is not None:
            measures.observe(child, ctx)

    # Children are read a batch at a time, then checked: the parser, then the checks, each run
    # many times in a row with their code and data warm in the processor's caches (measured at
    # 50,000 children: about 8% faster than checking each child as soon as it is read).
    for batch in _batches(reader, BATCH):
        ctx = ctx or start()
        for child, notices in batch:
            check_child(child, notices)
            children += 1
            episodes += len(child.episodes)
            if on_child is not None:
                on_child(children)

    ctx = ctx or start()
    return_level: list[Issue] = []
    # The issues of the return checks that name children (the duplicates, 1520 and 8510): one
    # stream each, in child order, merged into the children's places as the log is written.
    late: list[Iterator[Issue]] = []
    for code, check in return_checks:
        if getattr(check, "names_children", False):
            late.append(_finished(code, check, issue))
        else:
            return_level.extend(_finished(code, check, issue))
    return_level.extend(_structural_issue(notice, None) for notice in reader.header_notices
                        if notice.code in selection)
    if reader.choice.is_default_fallback and FIRST_NOTICE in selection:
        return_level.append(_default_year_notice(reader))
    return_level.sort(key=in_report_order)

    comparison, yony_notes = None, []
    if measures is not None:
        # No check naming children reports a notice, so the notices are all counted by now.
        notices = (children_issues.counts()["notice"]
                   + sum(i.severity == "notice" for i in return_level))
        comparison = yony.compare(measures.finish(path, ctx.header, ctx.collection, notices),
                                  previous)
        queries, yony_notes = _year_on_year(comparison, selection)
        return_level += queries
    issues = IssueLog(chain(return_level,
                            heapq.merge(children_issues, *late, key=in_report_order)))
    fired = {code for code, *_ in issues.tally()}
    # In the order of guide section 1.9, which is the order of the rule numbers.
    notes = [info.auto_ok_note for code, info in sorted(rules.items(), key=lambda r: r[0].zfill(6))
             if info.auto_ok_note and code in fired] + yony_notes
    checked = (tuple(code for code, _ in child_rules.checks)
               + tuple(code for code, _ in return_checks))
    return Report(file=os.fspath(path), header=ctx.header, reference_date=ctx.reference_date,
                  children=children, episodes=episodes, issues=issues,
                  rules_checked=tuple(sorted(checked, key=order.get)), rules_total=len(rules),
                  notes=notes, year_on_year=comparison, collection=ctx.collection,
                  chosen_by=reader.choice.chosen_by)


def _finished(code: str, check, issue: Callable) -> Iterator[Issue]:
    """A return check's issues once every child has been seen."""
    try:
        for finding in check.finish():
            yield issue(code, finding, None)
    except _NOT_A_BUG:
        raise
    except Exception as error:
        raise CheckFailed(code, None) from error


def _year_on_year(comparison: yony.Comparison,
                  selection: Selection) -> tuple[list[Issue], list[str]]:
    """Each fired YonY check is a return-level query, to go after the other return-level issues,
    and its note, after the DfE rules' notes, in check order (`year_on_year` keeps all seven).
    A check left out by `--select`/`--ignore` adds neither."""
    rules = catalogue.yony_rules()
    fired = [result for result in comparison.fired if result.code in selection]
    queries = [Issue(result.code, rules[result.code].severity, rules[result.code].message, None,
                     (), result.detail) for result in fired]
    notes = [rules[result.code].auto_ok_note for result in fired
             if rules[result.code].auto_ok_note]
    return queries, notes
