"""CSV for analysts: one row per issue, opening cleanly in Excel.

UTF-8 with a byte-order mark (so Excel reads the encoding), every field quoted, CRLF line ends.
Columns: Code, Severity, Message, Child ID, Fields, Values, Line, Detail, File, Rule set,
Rule set status. Fields and Values are "; "-separated, in the same order (a value that was not
written is empty). Every row names the rule set its file was validated against and its status
(years.md: every format does, so a preview year's is never hidden). Several files go into one
table (the File column tells them apart); a file that could not be validated is one row with
severity "unreadable" and the reason as its message, and a file with no issue one row with
severity "none", so that every file given has a row.

A cell that Excel would run as a formula (starting with =, +, @, a tab, or a - that does not
start a number) is written with a leading apostrophe, as OWASP advises for CSV injection.
"""

from __future__ import annotations

import csv
import re
from typing import Sequence, TextIO

from ..report import Issue

COLUMNS = ("Code", "Severity", "Message", "Child ID", "Fields", "Values", "Line", "Detail",
           "File", "Rule set", "Rule set status")  # columns are only ever added, at the end
NO_ISSUE = "no issues found"
_NUMBER = re.compile(r"-\d+(\.\d+)?$")


def safe_cell(text: str) -> str:
    if text and (text[0] in "=+@\t\r" or (text[0] == "-" and not _NUMBER.match(text))):
        return "'" + text
    return text


def issue_row(issue: Issue, report) -> list[str]:
    return [issue.code, issue.severity, issue.message,
            issue.child.label if issue.child else "", issue.fields_text,
            issue.values_text or "", str(issue.line or ""), issue.detail_text or "", report.file,
            report.collection.year, report.collection.status]


def _file_row(severity: str, message: str, file: str, line: int | None = None,
              report=None) -> list[str]:
    """A row about a whole file: one that could not be validated, or one with no issue."""
    collection = report.collection if report is not None else None
    return ["", severity, message, "", "", "", str(line or ""), "", file,
            collection.year if collection else "", collection.status if collection else ""]


def render(out: TextIO, results: Sequence) -> None:
    """Row by row into `out`, as the issues are read."""
    out.write("\ufeff")
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for result in results:
        report = result.report
        if report is None:
            rows = [_file_row(result.verdict or "unreadable", result.error or "", result.path,
                              result.line)]
        elif report.issues:
            rows = (issue_row(issue, report) for issue in report.issues)
        else:
            since = f" ({report.baseline.brief})" if report.baseline else ""
            rows = [_file_row("none", NO_ISSUE + since, report.file, report=report)]
        for row in rows:
            writer.writerow([safe_cell(cell) for cell in row])
