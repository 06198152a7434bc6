"""The Markdown summary of a run for GitHub Actions' job summary page (`$GITHUB_STEP_SUMMARY`).

GitHub shows only the first annotations of a step that writes thousands; the summary page
shows, for each file, its verdict under `--fail-on`, the rule set and its status, the counts by
rule and the auto-OK notes. It names no child and quotes no value: only file names, codes,
the catalogue's messages and counts. GitHub expects each step to append to the file.
"""

from __future__ import annotations

from typing import Sequence, TextIO

from .. import policy
from ..report import Report
from .plain import visible

VARIABLE = "GITHUB_STEP_SUMMARY"


def _code(text: str) -> str:
    """A file name as a Markdown code span: shown as written, never read as Markdown."""
    return "`" + visible(text).replace("`", "'") + "`"


def _cell(text: str) -> str:
    return visible(" ".join(text.split())).replace("|", "\\|").replace("<", "&lt;")


def _report(report: Report, verdict: str, fail_on: str) -> list[str]:
    collection = report.collection
    shown = policy.shown_verdict(verdict, report, fail_on).upper()
    lines = [f"**{shown}** under `--fail-on {fail_on}`: {report.counts_text} in "
             f"{report.children:,} children.",
             "",
             f"Rule set {collection.year} ({collection.status}: {collection.status_note}).",
             ""]
    if report.baseline is not None:
        lines += [_cell(report.baseline.text) + ".", ""]
    rows = report.by_rule()
    if rows:
        lines += ["| Code | Type | Count | Message |", "| --- | --- | ---: | --- |"]
        lines += [f"| {code} | {severity} | {count} | {_cell(message)} |"
                  for code, severity, message, count in rows]
        lines.append("")
    if report.notes:
        lines += ["Return-level notes to paste into COLLECT (auto-OK queries fired; paste one "
                  "only after checking every record its query names):", "", "```text",
                  *report.notes, "```", ""]
    return lines


def render(out: TextIO, results: Sequence, fail_on: str) -> None:
    for result in results:
        lines = [f"## cin-validate: {_code(result.path)}", ""]
        if result.report is None:
            lines += [f"**{result.verdict.upper()}**: {_cell(result.error or '')}", ""]
        else:
            lines += _report(result.report, result.verdict, fail_on)
        out.write("\n".join(lines) + "\n")
