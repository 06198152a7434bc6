"""Run the registered checks over a return as it streams, and build the report."""

from __future__ import annotations

import gc
import os
from contextlib import contextmanager
from typing import Callable, Iterable

from . import catalogue
from .checks import RETURN_CHECKS, child_check_groups
from .checks.base import Context, Finding, Place
from .dates import CensusPeriod
from .model import Child, ChildRef, Header
from .parse import ReturnReader, Structural
from .report import Issue, Report


class CheckFailed(Exception):
    """A check raised an exception: a bug in cin-validate, not in the return.

    A MemoryError is no bug: it passes through, and callers report the return as too large
    to validate (exit 2).
    """

    def __init__(self, code: str, child: ChildRef | None):
        where = f" on child {child.index}" if child else ""
        super().__init__(f"internal error in the check for rule {code}{where}")
        self.code, self.child = code, child


def context_for(header: Header | None) -> Context:
    header = header or Header()
    return Context(header=header, period=CensusPeriod(header.reference_date))


class Selection:
    """Which DfE rules run and which structural notices show: all by default.

    `selection.resolve` builds one from `--select` / `--ignore` patterns.
    """

    def __init__(self, codes: Iterable[str] | None = None):
        self.codes = frozenset(codes) if codes is not None else None

    def __contains__(self, code: str) -> bool:
        return self.codes is None or code in self.codes


def _structural_issue(notice: Structural, child: ChildRef | None) -> Issue:
    info = catalogue.structural_rules()[notice.code]
    place = Place(notice.path, notice.field, notice.text, notice.line)
    return Issue(notice.code, info.severity, info.message, child, (place,))


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

    Options are those of `_validate`: `selection`, `on_child`, `observe`.
    """
    with _cyclic_gc_paused():
        return _validate(path, **options)


def _validate(path: str | os.PathLike, *, selection: Selection | None = None,
                  on_child: Callable[[int], None] | None = None,
                  observe: Callable[[Child, Context], None] | None = None) -> Report:
    """Stream the return through every selected check and build the report.

    `observe`, when given, also sees each child with the rules' context as it streams (the
    year-on-year measures are counted this way, in the same pass).
    """
    selection = selection or Selection()
    rules = catalogue.dfe_rules()
    order = {code: position for position, code in enumerate(rules)}
    check_groups = child_check_groups(lambda code: code in rules and code in selection)
    return_check_types = [(code, cls) for code, cls in RETURN_CHECKS.items()
                          if code in rules and code in selection]

    def issue(code: str, finding: Finding, child: ChildRef | None) -> Issue:
        info = rules[code]
        return Issue(code, info.severity, info.message, finding.child or child,
                     finding.places, finding.detail)

    reader = ReturnReader(path)
    issues: list[Issue] = []
    ctx: Context | None = None
    return_checks: list = []
    children = episodes = 0

    def start() -> Context:
        nonlocal return_checks
        started = context_for(reader.header)
        return_checks = [(code, cls(started)) for code, cls in return_check_types]
        return started

    for child, notices in reader:
        ctx = ctx or start()
        children += 1
        episodes += len(child.episodes)
        ref = child.ref
        for notice in notices:
            if notice.code in selection:  # `--ignore S01` hides a structural notice
                issues.append(_structural_issue(notice, ref))
        for applies_to, checks in check_groups:
            if applies_to is not None and not applies_to(child):
                continue  # e.g. the CIN plan rules, for a child without a CIN plan
            for code, check in checks:
                # A plain loop: this runs about a hundred times per child, so no intermediate
                # generator expression or list is built for the common empty result.
                try:
                    for finding in check(child, ctx):
                        issues.append(issue(code, finding, ref))
                except MemoryError:
                    raise
                except Exception as error:
                    raise CheckFailed(code, ref) from error
        for code, check in return_checks:
            try:
                check.observe(child)
            except MemoryError:
                raise
            except Exception as error:
                raise CheckFailed(code, ref) from error
        if observe is not None:
            observe(child, ctx)
        if on_child is not None:
            on_child(children)

    ctx = ctx or start()
    for code, check in return_checks:
        try:
            issues.extend(issue(code, finding, None) for finding in check.finish())
        except MemoryError:
            raise
        except Exception as error:
            raise CheckFailed(code, None) from error
    issues.extend(_structural_issue(notice, None) for notice in reader.header_notices
                  if notice.code in selection)

    # Return-level issues first, then by child and the catalogue's order of rules.
    issues.sort(key=lambda i: (i.child.index if i.child else 0, order.get(i.code, len(order)),
                               i.code))
    fired = {i.code for i in issues}
    # In the order of guide section 1.9, which is the order of the rule numbers.
    notes = [info.auto_ok_note for code, info in sorted(rules.items(), key=lambda r: r[0].zfill(6))
             if info.auto_ok_note and code in fired]
    checked = (tuple(code for _, checks in check_groups for code, _ in checks)
               + tuple(code for code, _ in return_check_types))
    return Report(file=os.fspath(path), header=ctx.header, reference_date=ctx.reference_date,
                  children=children, episodes=episodes, issues=issues,
                  rules_checked=tuple(sorted(checked, key=order.get)), rules_total=len(rules),
                  notes=notes)
