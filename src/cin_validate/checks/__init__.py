"""The registry of checks: which code runs for which rule, one module per part of the return.

Each module ends with a visible table: `CHILD_CHECKS` (code -> function run on each child) and
`RETURN_CHECKS` (code -> class that sees the whole return). Adding a rule means one function in
its module's table and one entry in the catalogue under `rules/`; a test proves the two agree.

A check's docstring ends with its examples, e.g. "Passes: A{2025-01-27, —}. Fails:
A{2025-01-26, —}.", in the notation of `tests/notation.py`; `tests/cases/<code>.toml` holds the
same examples with what each failing one must point at, and `tests/test_rule_examples.py` runs
them and keeps the docstring equal to the case file.
"""

from __future__ import annotations

import inspect
from typing import Callable

from ..model import Child
from . import (assessments, characteristics, cin_plans, episodes, header, identifiers,
               pre_proceedings, protection_plans, return_level, section47)
from .base import ChildCheck, ReturnCheck
from .facts import facts_of, needs_of

MODULES = (header, identifiers, characteristics, return_level, episodes, assessments, cin_plans,
           section47, protection_plans, pre_proceedings)


def _merge(table_name: str) -> dict:
    merged: dict = {}
    for module in MODULES:
        for code, check in getattr(module, table_name).items():
            if code in merged:
                raise RuntimeError(f"rule {code} is registered twice")
            merged[code] = check
    return merged


CHILD_CHECKS: dict[str, ChildCheck] = _merge("CHILD_CHECKS")
RETURN_CHECKS: dict[str, type[ReturnCheck]] = _merge("RETURN_CHECKS")


class ChildRules:
    """The wanted child checks, and which of them can fire on a given child.

    A rule declares with `facts.needs` what a child must hold for it to fire (a CIN plan, a
    date of death...); `for_child` leaves out the rules whose needs the child does not meet.
    The choice depends only on the child's facts, so it is made once for each combination of
    facts that occurs, not for each child.
    """

    def __init__(self, wanted: Callable[[str], bool]) -> None:
        self.checks: list[tuple[str, ChildCheck]] = [
            (code, check) for module in MODULES for code, check in module.CHILD_CHECKS.items()
            if wanted(code)]
        self._by_facts: dict[int, list[tuple[str, ChildCheck]]] = {}

    def for_child(self, child: Child) -> list[tuple[str, ChildCheck]]:
        held = facts_of(child)
        checks = self._by_facts.get(held)
        if checks is None:
            checks = self._by_facts[held] = [(code, check) for code, check in self.checks
                                             if needs_of(check) & held == needs_of(check)]
        return checks


def where_checked(code: str) -> str | None:
    """Where a rule's check lives: "cin_validate.checks.assessments.open_assessment_too_long
    (checks/assessments.py:55)", so a rule's code is one step from `explain`."""
    check = CHILD_CHECKS.get(code) or RETURN_CHECKS.get(code)
    if check is None:
        return None
    _lines, first = inspect.getsourcelines(check)
    module = check.__module__
    path = "/".join(module.split(".")[1:]) + ".py"
    return f"{module}.{check.__qualname__} ({path}:{first})"


def implemented() -> frozenset[str]:
    """Every rule code with an implementation."""
    if CHILD_CHECKS.keys() & RETURN_CHECKS.keys():
        raise RuntimeError("a rule is registered both per child and per return")
    return frozenset(CHILD_CHECKS) | frozenset(RETURN_CHECKS)
