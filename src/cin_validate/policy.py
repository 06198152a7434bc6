"""The exit policy: which issues can fail a run, and the verdict and exit code of each file.

Exit codes (README, "Exit codes"):
  0  every file validated and passed the policy
  1  at least one file validated but failed the policy (`--fail-on`)
  2  a file could not be validated (unreadable, not a return), or the command line was wrong
  3  an internal error in cin-validate itself

`counts_for_exit` is the one place that decides whether an issue can fail a run: structural
notices never do, nor do the year-on-year checks (`yony.is_year_on_year`), whatever their
severity; DfE errors do under `--fail-on error`, errors and queries under `--fail-on query`.
"""

from __future__ import annotations

from typing import Iterable

from .report import Issue, Report
from .yony import is_year_on_year

FAIL_ON = ("error", "query", "never")
DEFAULT_FAIL_ON = "error"

EXIT_OK, EXIT_FAILED, EXIT_INVALID, EXIT_INTERNAL = 0, 1, 2, 3

# Verdict words, as shown in the summary table and the reports, and their exit codes.
PASS, FAIL, UNREADABLE, INTERNAL = "pass", "fail", "unreadable", "internal error"
EXIT_CODE = {PASS: EXIT_OK, FAIL: EXIT_FAILED, UNREADABLE: EXIT_INVALID, INTERNAL: EXIT_INTERNAL}

_FAILING_SEVERITIES = {"error": ("error",), "query": ("error", "query"), "never": ()}


def counts_for_exit(issue: Issue) -> bool:
    """Whether this issue can fail a run at all: a DfE error or query, never a notice or YonY."""
    return issue.severity in ("error", "query") and not is_year_on_year(issue.code)


def failing(report: Report, fail_on: str = DEFAULT_FAIL_ON) -> list[Issue]:
    """The issues that make this report fail the policy."""
    severities = _FAILING_SEVERITIES[fail_on]
    return [issue for issue in report.issues
            if counts_for_exit(issue) and issue.severity in severities]


def verdict(report: Report | None, fail_on: str = DEFAULT_FAIL_ON, *,
            internal: bool = False) -> str:
    """PASS or FAIL for a validated report; UNREADABLE (or INTERNAL) when there is none."""
    if report is None:
        return INTERNAL if internal else UNREADABLE
    return FAIL if failing(report, fail_on) else PASS


def exit_code(verdicts: Iterable[str]) -> int:
    """The worst verdict's exit code: internal error > unreadable > fail > pass."""
    return max((EXIT_CODE[word] for word in verdicts), default=EXIT_OK)

