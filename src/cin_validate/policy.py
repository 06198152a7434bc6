"""The exit policy: which issues can fail a run, the verdict of each file, and every exit code.

The exit codes (README, "Exit codes") are all defined here, once:
  0  every file validated and passed the policy
  1  at least one file validated but failed the policy (`--fail-on`)
  2  a file could not be validated (unreadable, not a return), or the command line was wrong
  3  an internal error in cin-validate itself
  128 + N  ended by signal N: 130 for SIGINT, 143 for SIGTERM, 141 for a closed pipe (SIGPIPE)

`counts_for_exit` is the one place that decides whether an issue can fail a run: structural
notices never do, nor do the year-on-year checks (`yony.is_year_on_year`), whatever their
severity; DfE errors do under `--fail-on error`, errors and queries under `--fail-on query`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from .report import SEVERITIES, Report
from .yony import is_year_on_year

EXIT_OK, EXIT_FAILED, EXIT_INVALID, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_SIGNAL = 128  # + the signal's number: the status a shell gives a command a signal ended
EXIT_BROKEN_PIPE = EXIT_SIGNAL + 13  # SIGPIPE, by number, as Windows has no signal.SIGPIPE

# Verdict words, as shown in the summary table and the reports, and their exit codes.
PASS, FAIL, UNREADABLE, INTERNAL = "pass", "fail", "unreadable", "internal error"
NOT_FAILED = "not failed"  # shown, never a verdict of its own: see `shown_verdict`
EXIT_CODE = {PASS: EXIT_OK, FAIL: EXIT_FAILED, UNREADABLE: EXIT_INVALID, INTERNAL: EXIT_INTERNAL}


@dataclass(frozen=True)
class FailOn:
    """One value of `--fail-on` (and of the configuration file's `fail-on`)."""

    name: str
    severities: tuple[str, ...]  # the severities of the issues that fail a run
    passed: str  # the verdict when none does
    rule: str  # what fails a return, in a sentence


FAIL_ON_POLICIES = {policy.name: policy for policy in (
    FailOn("error", ("error",), "PASS: no errors", "Errors fail the return"),
    FailOn("query", ("error", "query"), "PASS: no errors or queries",
           "Errors and queries fail the return"),
    FailOn("never", (), "PASS (--fail-on never)", "Nothing fails the return"),
)}
FAIL_ON = tuple(FAIL_ON_POLICIES)
DEFAULT_FAIL_ON = "error"


def counts_for_exit(code: str, severity: str) -> bool:
    """Whether an issue can fail a run at all: a DfE error or query, never a notice or YonY."""
    return severity in ("error", "query") and not is_year_on_year(code)


def fails(code: str, severity: str, fail_on: str = DEFAULT_FAIL_ON) -> bool:
    """Whether an issue of this rule and severity fails the run under `fail_on`."""
    return counts_for_exit(code, severity) and severity in FAIL_ON_POLICIES[fail_on].severities


def failing(report: Report, fail_on: str = DEFAULT_FAIL_ON) -> list[str]:
    """The severities of the issues that make this report fail the policy, errors first; []
    when it passes. Read from the report's tally by rule, never from the issues themselves."""
    found = {severity for code, severity, _message, _count in report.issues.tally()
             if fails(code, severity, fail_on)}
    return [severity for severity in SEVERITIES if severity in found]


def not_failed(report: Report | None, fail_on: str) -> list[str]:
    """The severities of the DfE errors and queries a report has that its policy lets pass
    (`--fail-on never`): such a report is shown NOT FAILED, never PASS, though it exits 0."""
    if report is None or FAIL_ON_POLICIES[fail_on].severities:
        return []
    return failing(report, "query")


def shown_verdict(verdict: str, report: Report | None, fail_on: str) -> str:
    """The verdict as people read it: `not failed` for a pass with errors or queries under
    `--fail-on never`. (The JSON's `verdict` stays `pass`: it says how the run exits.)"""
    return NOT_FAILED if verdict == PASS and not_failed(report, fail_on) else verdict


def verdict(report: Report | None, fail_on: str = DEFAULT_FAIL_ON, *,
            internal: bool = False) -> str:
    """PASS or FAIL for a validated report; UNREADABLE (or INTERNAL) when there is none."""
    if report is None:
        return INTERNAL if internal else UNREADABLE
    return FAIL if failing(report, fail_on) else PASS


def exit_code(verdicts: Iterable[str]) -> int:
    """The worst verdict's exit code: internal error > unreadable > fail > pass."""
    return max((EXIT_CODE[word] for word in verdicts), default=EXIT_OK)
