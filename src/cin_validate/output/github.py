"""GitHub Actions workflow commands: one annotation per issue, at the line of the return.

    ::error file=returns/cin.xml,line=12,title=1510::UPN invalid (...) [child C002; UPN]

Each file's annotations start with a `::notice` (a `::warning` for provisional or preview
rules) naming the collection year validated against and its status.
Errors are `::error`, queries `::warning`, structural notices `::notice`. CI logs are widely
readable, so only codes, messages, fields, child IDs and lines are printed: never a value as
written, and the report is drawn without personal values (its registry entry in `formats`
says so), even in details.
Characters that would act rather than show (controls, bidirectional overrides) are written
as escapes (`plain.visible`); then the workflow-command rules: `%`, CR and LF in the message,
also `:` and `,` in properties (file, title).
"""

from __future__ import annotations

from typing import Sequence, TextIO

from ..report import Issue, Report
from .plain import visible

COMMAND = {"error": "error", "query": "warning", "notice": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(kind: str, message: str, **properties) -> str:
    """One workflow command; values from the return or a path show as written (`visible`)."""
    props = ",".join(f"{name}={escape_property(visible(str(value)))}"
                     for name, value in properties.items() if value is not None)
    data = escape_data(visible(message))
    return f"::{kind} {props}::{data}" if props else f"::{kind}::{data}"


def _message(issue: Issue) -> str:
    where = [f"child {issue.child.label}" if issue.child else "return level"]
    if issue.fields:
        where.append(", ".join(issue.fields))
    text = f"{issue.message} [{'; '.join(where)}]"
    if issue.detail_text:
        text += f" ({issue.detail_text})"
    return text


def _rule_set(report: Report) -> str:
    """The collection year used and how sure its rules are: never hidden behind a verdict."""
    collection = report.collection
    kind = "notice" if collection.is_verified else "warning"
    return _command(kind, f"validated against the {collection.year} rule set, "
                          f"{collection.status}: {collection.status_note}",
                    file=report.file, title=f"rule set {collection.year} ({collection.status})")


def render(out: TextIO, results: Sequence) -> None:
    """Every file's annotations one after the other, one issue at a time; a file that could not
    be read is one error."""
    for result in results:
        report = result.report
        if report is None:
            out.write(_command("error", result.error or "could not be validated",
                               file=result.path, line=result.line, title="cannot validate")
                      + "\n")
            continue
        out.write(_rule_set(report) + "\n")
        for issue in report.issues:
            out.write(_command(COMMAND.get(issue.severity, "notice"), _message(issue),
                               file=report.file, line=issue.line, title=issue.code) + "\n")
