"""`--format concise`: one line per issue, for logs and grep, as linters write them.

    returns/cin.xml:12: 8670Q Please check ... no Assessment end date. [child C004]

`FILE:LINE: CODE message (detail) [child ID]`; a return-level issue has no child, an issue
with no line no `LINE:`. Each file ends with one line of its counts, verdict and rule set; a
file that could not be read is its one-line error. Like the other CI formats it shows no value
as written (its registry entry in `formats` says so): only codes, messages, child IDs and lines.
Characters that would act rather than show are written as escapes (`plain.visible`).
"""

from __future__ import annotations

from typing import Sequence, TextIO

from .. import policy
from ..report import Issue, Report
from .plain import visible


def issue_line(file: str, issue: Issue) -> str:
    where = f"{file}:{issue.line}:" if issue.line else f"{file}:"
    text = f"{where} {issue.code} {issue.message}"  # exact: 9015Q holds two spaces
    if issue.detail_text:
        text += f" ({issue.detail_text})"
    if issue.child:
        text += f" [child {issue.child.label}]"
    return visible(text)


def summary_line(report: Report, verdict: str, fail_on: str) -> str:
    collection = report.collection
    shown = policy.shown_verdict(verdict, report, fail_on).upper()
    since = f"; {report.baseline.brief}" if report.baseline else ""
    return visible(f"{report.file}: {report.counts_text}{since}; {shown} under --fail-on "
                   f"{fail_on}; rule set {collection.label()}")


def render(out: TextIO, results: Sequence, fail_on: str) -> None:
    for result in results:
        report = result.report
        if report is None:
            out.write(visible(f"{result.error or result.path} [cannot validate]") + "\n")
            continue
        for issue in report.issues:
            out.write(issue_line(report.file, issue) + "\n")
        out.write(summary_line(report, result.verdict, fail_on) + "\n")
