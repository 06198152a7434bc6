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


def child_check_groups(wanted) -> list[tuple[Callable[[Child], bool] | None, list]]:
    """The wanted child checks by module, each with its module's `applies_to` guard.

    A module whose rules can only fire on a part some children lack (a CIN plan, a section 47
    enquiry, a child protection plan) says so with `applies_to(child)`; the engine then skips
    its checks for children without that part. Modules without a guard run for every child.
    """
    groups = []
    for module in MODULES:
        checks = [(code, check) for code, check in module.CHILD_CHECKS.items() if wanted(code)]
        if checks:
            groups.append((getattr(module, "applies_to", None), checks))
    return groups


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
