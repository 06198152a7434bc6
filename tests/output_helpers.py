"""Shared by the output-format tests: the shipped problem return and running the CLI on it."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from cin_validate.cli import main
from cin_validate.engine import validate_file
from cin_validate.report import Report

PROBLEMS = Path(__file__).parent / "data" / "problems.xml"
PROBLEMS_TEXT = PROBLEMS.read_text(encoding="utf-8")


def run(*args, env=None):
    """`cin-validate ARGS` in this process; result.stdout, result.stderr, result.exit_code."""
    return CliRunner().invoke(main, [str(arg) for arg in args], env=env, catch_exceptions=False)


def problems_report() -> Report:
    return validate_file(PROBLEMS)


def values_of(element: str, text: str = PROBLEMS_TEXT) -> set[str]:
    """Every value of <element> written in the return."""
    return set(re.findall(rf"<{element}>([^<]*)</{element}>", text))


def personal_values(text: str = PROBLEMS_TEXT) -> set[str]:
    """Values that identify a person: UPNs, former UPNs, dates of birth, expected birth, death.

    With each date also as it could be re-written (CCYY-MM-DD and DD/MM/CCYY both ways).
    """
    found: set[str] = set()
    for element in ("UPN", "FormerUPN", "PersonBirthDate", "ExpectedPersonBirthDate",
                    "PersonDeathDate", "NHSNumber"):
        found |= values_of(element, text)
    for value in list(found):
        if re.fullmatch(r"\d{4}-\d\d-\d\d", value):
            y, m, d = value.split("-")
            found.add(f"{d}/{m}/{y}")
        if re.fullmatch(r"\d\d/\d\d/\d{4}", value):
            d, m, y = value.split("/")
            found.add(f"{y}-{m}-{d}")
    return found


def child_ids(text: str = PROBLEMS_TEXT) -> set[str]:
    return values_of("LAchildID", text)
