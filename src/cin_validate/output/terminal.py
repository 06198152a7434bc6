"""The report for people at a terminal, drawn with Rich (plain when piped or with NO_COLOR).

Every value from a file or a path goes to Rich through `_plain`: as `Text`, never read as
markup, with the characters that would act on a terminal shown as escapes (`plain.visible`).
"""

from __future__ import annotations

import errno
import io
import os
import re
import sys
import textwrap
from typing import TextIO

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .. import policy, years
from ..dates import CensusPeriod
from ..report import Issue, Report, counted
from ..yony import MEASURES, Measures
from .plain import visible
from .source import SourceLines, excerpt

_STYLE = {"error": "bold red", "query": "yellow", "notice": "cyan"}


def _plain(value, style: str = "") -> Text:
    """A value from a file or a path (or a text quoting one), as Rich must show it."""
    return Text(visible(str(value)), style=style)


# Piped output and report files are read whole (less, a CI log, an editor): long messages wrap
# at this width rather than 80, unless COLUMNS says otherwise; nothing is padded to it.
PIPED_WIDTH = 160
# Spaces Rich pads a line's end with, before the codes that end its styles.
_TRAILING_SPACES = re.compile(r"[ \t]+((?:\x1b\[[0-9;]*m)*)$")


class _Console(Console):
    def on_broken_pipe(self) -> None:
        # Rich would exit 1 ("the return fails"); `exits.standard_output` says what it means.
        self.quiet = True
        raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))


class _Trimmed:
    """A text stream that writes each line without the spaces Rich pads tables and grids
    with, so that no line ends in spaces; everything else is the stream's own."""

    def __init__(self, out: TextIO):
        self._out = out
        self._partial = ""

    def write(self, text: str) -> int:
        *lines, self._partial = (self._partial + text).split("\n")
        if lines:
            self._out.write("".join(_TRAILING_SPACES.sub(r"\1", line) + "\n" for line in lines))
        return len(text)

    def flush(self) -> None:
        if self._partial:  # Rich ends what it prints with a new line: this is rare
            self._out.write(self._partial)
            self._partial = ""
        self._out.flush()

    def __getattr__(self, name):  # isatty, fileno, encoding: the stream's
        return getattr(self._out, name)


def make_console(file: TextIO | None = None, *, stderr: bool = False) -> Console:
    """The console every report and command draws with: at a terminal its width (or COLUMNS);
    piped or into a file up to `PIPED_WIDTH` columns (or COLUMNS), in plain text. Either way
    no line ends in spaces."""
    out = _Trimmed(file or (sys.stderr if stderr else sys.stdout))
    console = _Console(file=out, highlight=False, soft_wrap=False)
    if not console.is_terminal and not os.environ.get("COLUMNS", "").isdigit():
        console = _Console(file=out, highlight=False, soft_wrap=False, width=PIPED_WIDTH)
    return console


def _facts(report: Report) -> Table:
    header = report.header
    la_name = report.collection.codeset("la-codes").get(header.lea or "", "")
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold")
    facts.add_column()
    written = header.reference_date_text or "(absent)"
    effective = report.reference_date.isoformat()
    reference = written if written == effective else f"{written} (rules used {effective})"
    rows = [
        ("File", report.file),
        ("Local authority", " ".join(part for part in (header.lea or "(absent)", la_name) if part)),
        ("Collection", f"{header.collection or '?'} {header.year or ''}".strip()),
        ("Rule set", report.rule_set_text),
        ("Reference date", reference),
        ("Census period", _period(report)),
        ("Children", f"{report.children:,}"),
        ("Episodes", f"{report.episodes:,}"),
    ]
    for name, value in rows:
        facts.add_row(name, _plain(value))
    return facts


def _period(report: Report) -> str:
    period = CensusPeriod(report.reference_date)
    return f"{period.start.isoformat()} to {period.end.isoformat()}"


def _summary(report: Report) -> Text:
    text = Text()
    text.append(counted(report.errors, "error"),
                style=_STYLE["error"] if report.errors else "green")
    text.append(", ")
    text.append(counted(report.queries, "query", "queries"),
                style=_STYLE["query"] if report.queries else "green")
    text.append(f", {counted(report.notices, 'structural notice')}")
    text.append(f"  ·  {len(report.rules_checked)} of {report.rules_total} rules checked")
    return text


def _by_rule(report: Report) -> Table:
    table = Table(title="Issues by rule", box=box.SIMPLE_HEAD, title_justify="left", expand=False)
    table.add_column("Code", no_wrap=True)
    table.add_column("Type", no_wrap=True)
    table.add_column("Count", justify="right")
    table.add_column("Message", overflow="fold")
    for code, severity, message, count in report.by_rule():
        table.add_row(code, Text(severity, style=_STYLE.get(severity, "")), f"{count:,}",
                      Text(message))
    return table


def issue_lines(issue: Issue, source: SourceLines | None = None, *, width: int = PIPED_WIDTH,
                redacted: bool = False) -> list[str]:
    """One issue as `--details` shows it: its rule, severity and message (with the check's
    detail), each element it points at as `Field = value (line N)` (as written; — when absent),
    then the lines of the return it points at with those elements marked (`source.excerpt`)."""
    head = f"{issue.code} {issue.severity}: {issue.message}"
    if issue.detail_text:
        head += f" ({issue.detail_text})"
    lines = textwrap.wrap(visible(head), width, subsequent_indent="    ",
                          break_on_hyphens=False) or [visible(head)]
    lines += ["  " + line for line in _filled([visible(_pair(place)) for place in issue.places],
                                              width - 2)]
    if source is not None:
        lines += ["  " + line for line in excerpt(issue, source, width - 2, redacted=redacted)]
    return lines


def _filled(parts: list[str], width: int) -> list[str]:
    """`parts` joined by ", " into lines of at most `width`, never cutting one (a value, as
    written, stays whole)."""
    lines: list[str] = []
    for part in parts:
        if lines and len(lines[-1]) + 2 + len(part) <= width:
            lines[-1] += f", {part}"
        else:
            if lines:
                lines[-1] += ","
            lines.append(part)
    return lines


def _pair(place) -> str:
    if place.value is None:
        return f"{place.field} = —"
    return f"{place.field} = {place.value}" + (f" (line {place.line})" if place.line else "")


def _child_heading(child) -> str:
    if child is None:
        return "Return level"
    where = f"child {child.index}" + (f", line {child.line}" if child.line else "")
    name = child.la_child_id if child.la_child_id is not None else "(no LAchildID)"
    return visible(f"{name}  ({where})")


def _write_details(report: Report, console: Console, *, redacted: bool) -> None:
    """Every issue, child by child, a few lines each with the lines of the return it points at,
    written as text as the issues are read: a table would be laid out whole, in memory, before
    its first line is shown; the return's lines are read forward once (`SourceLines`)."""
    console.print(Text("Issues by child", style="bold"))
    out, width = console.file, console.width
    shown = object()  # the child whose issues are being written
    with SourceLines(report.file) as source:
        for issue in report.issues:
            child = issue.child.index if issue.child else None
            if child != shown:
                shown = child
                out.write(f"\n{_child_heading(issue.child)}\n")
            out.write("".join(f"  {line}\n" for line in
                              issue_lines(issue, source, width=width - 2, redacted=redacted)))
    out.write("\n")


def _year_on_year(report: Report) -> Table:
    """All seven YonY checks, fired or not (guide section 1.10)."""
    comparison = report.year_on_year
    title = _plain(f"Year-on-year checks against {comparison.last.file} (guide 1.10)")
    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left")
    for name in ("Code", "Measure", "Last year", "This year", "Change", "Threshold", "Result"):
        table.add_column(name, no_wrap=name != "Measure",
                         justify="right" if name in ("Last year", "This year", "Change",
                                                     "Threshold") else "left")
    labels = {measure.code: measure.label for measure in MEASURES}
    for result in comparison.results:
        verdict = (Text("query", style=_STYLE["query"]) if result.fires
                   else Text("ok", style="green"))
        if result.fires and result.last == 0:
            verdict.append(" (last year 0)")
        table.add_row(result.code, Text(labels[result.code]), f"{result.last:,}",
                      f"{result.this:,}", result.change_text, f"{result.threshold}%", verdict)
    return table


def yony_rules_table(rules: dict) -> Table:
    """The `rules` command's section for YonY 01 to 07 (not among the DfE's 109 rules)."""
    table = Table(title="Year-on-year checks (guide section 1.10; run with --previous LAST.xml)",
                  box=None, pad_edge=False, title_justify="left")
    for name in ("Code", "Type", "Threshold", "Message"):
        table.add_column(name, overflow="fold", no_wrap=name != "Message")
    for code, info in rules.items():
        table.add_row(code, info.severity, f"{info.threshold}%", Text(info.message))
    return table


def render_stats(measures: Measures, console: Console) -> None:
    """`cin-validate stats`: the headline measures the YonY checks compare."""
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold")
    facts.add_column()
    collection = measures.collection or years.default()
    la_name = collection.codeset("la-codes").get(measures.la or "", "")
    written = measures.reference_date or "(absent)"
    effective = measures.effective_reference_date.isoformat()
    for name, value in (
            ("File", measures.file),
            ("Local authority", " ".join(p for p in (measures.la or "(absent)", la_name) if p)),
            ("Reference date", written if written == effective
             else f"{written} (counted to {effective})"),
            ("Census period", f"{measures.period_start.isoformat()} to "
                              f"{measures.period_end.isoformat()}"),
            ("Read as", collection.label())):
        facts.add_row(name, _plain(value))
    console.print(facts)
    table = Table(title="Headline measures (guide 1.10)", box=box.SIMPLE_HEAD,
                  title_justify="left")
    table.add_column("Check", no_wrap=True)
    table.add_column("Measure")
    table.add_column("Key", no_wrap=True)
    table.add_column("Count", justify="right")
    for measure in MEASURES:
        table.add_row(measure.code, Text(measure.label), measure.key,
                      f"{measures.counts[measure.key]:,}")
    if "PreProceedingsandFGDM" in collection.elements:
        table.add_row("", Text("Pre-proceedings groups (module 5; no year-on-year check)"),
                      "pre_proceedings_groups", f"{measures.pre_proceedings_groups or 0:,}")
    console.print(table)
    if measures.structural_notices:
        console.print(Text(f"{measures.structural_notices} structural notice(s): values they "
                           "spoil (an invalid date, say) are not counted. `cin-validate FILE` "
                           "lists them.", style="dim"))


def render_stats_text(measures: Measures) -> str:
    buffer = io.StringIO()
    render_stats(measures, make_console(buffer))
    return buffer.getvalue()


def render(report: Report, console: Console, *, details: bool = False,
           fail_on: str = policy.DEFAULT_FAIL_ON, redacted: bool = False) -> None:
    if report.year_note is not None:
        console.print(Text(report.year_note, style="bold yellow"))
    console.print(Text(f"cin-validate · {report.collection.title}", style="bold"))
    console.print(_facts(report))
    console.print()
    console.print(_summary(report))
    if report.baseline is not None:
        console.print(_plain(report.baseline.text, style="bold"))
    if report.issues:
        console.print(_by_rule(report))
        if details:
            _write_details(report, console, redacted=redacted)
        else:
            console.print(Text("Add --details to list every issue by child with its lines of "
                               "the return (shows child IDs and values).", style="dim"))
    if report.year_on_year is not None:
        console.print(_year_on_year(report))
        for warning in report.year_on_year.warnings:
            console.print(_plain(f"Warning: {warning}", style=_STYLE["query"]))
    if report.notes:
        # No border and no wrapping: each note must survive a copy from the terminal intact.
        console.print()
        console.print(Text("Return-level notes to paste into COLLECT (auto-OK queries fired):",
                           style="bold"))
        for note in report.notes:
            console.print(Text(note), soft_wrap=True)
        console.print(Text("Paste a note only after checking every record its query names. "
                           "`cin-validate notes FILE` prints them alone.", style="dim"))
    console.print(verdict_line(report, fail_on), soft_wrap=True)  # one line, for logs and grep


def verdict_line(report: Report, fail_on: str = policy.DEFAULT_FAIL_ON) -> Text:
    """PASS or FAIL under the exit policy (`--fail-on`), saying what made it fail, and against
    which rule set: a provisional or preview verdict never looks like a verified one."""
    failing = policy.failing(report, fail_on)
    collection = report.collection
    if failing:
        line = Text(f"FAIL: the return has {_severities(failing)}"
                    + (" (--fail-on query)" if fail_on == "query" else ""), style="bold red")
    elif not_failed := policy.not_failed(report, fail_on):
        line = Text(f"NOT FAILED (--fail-on {fail_on}): the return has "
                    f"{_severities(not_failed)}, which this policy does not fail",
                    style="bold yellow")
    else:
        passed = policy.FAIL_ON_POLICIES[fail_on].passed
        if any(policy.is_year_on_year(code) for code, *_ in report.issues.tally()):
            passed += " (year-on-year queries never fail a run)"  # beside "6 queries"
        line = Text(passed, style="bold green" if collection.is_verified else "bold yellow")
    if collection.is_verified:
        line.append(f"  ·  rule set {collection.label()}")
    else:
        line.append(f"  ·  rule set {collection.year} is {collection.status.upper()}: "
                    f"{collection.status_note}", style="bold yellow")
    return line


def _severities(severities: list[str]) -> str:
    words = {"error": "errors", "query": "queries"}
    return " and ".join(words[severity] for severity in severities)


def render_summary(results, console: Console, fail_on: str = policy.DEFAULT_FAIL_ON) -> None:
    """One row per file: the table shown after validating several returns."""
    table = Table(title="Summary", box=box.SIMPLE_HEAD, title_justify="left")
    for name in ("File", "LA", "Rule set", "Children", "Errors", "Queries", "Verdict"):
        table.add_column(name, overflow="fold",
                         justify="right" if name in ("Children", "Errors", "Queries") else "left")
    style = {policy.PASS: "bold green", policy.NOT_FAILED: "bold yellow",
             policy.FAIL: "bold red", policy.UNREADABLE: "bold red", policy.INTERNAL: "bold red"}
    shown = [policy.shown_verdict(result.verdict, result.report, fail_on) for result in results]
    for result, verdict in zip(results, shown):
        report = result.report
        cells = ([_plain(report.la or ""), report.collection.label(), f"{report.children:,}",
                  f"{report.errors:,}", f"{report.queries:,}"] if report else [""] * 5)
        table.add_row(_plain(result.path), *cells, Text(verdict, style=style.get(verdict, "")))
    console.print(table)
    for result in results:
        if result.report is None:
            console.print(_plain(f"{result.verdict}: {result.error}", style="red"))
    counts = {word: shown.count(word) for word in style}
    console.print(Text(", ".join(f"{n} {word}" for word, n in counts.items() if n)
                       + f" of {len(results)} files"))


def render_brief(report: Report, console: Console,
                 fail_on: str = policy.DEFAULT_FAIL_ON) -> None:
    """`--quiet`: the counts and the verdict on one line."""
    line = _plain(f"{report.file}: ")
    line.append_text(_summary(report))
    if report.baseline is not None:
        line.append_text(_plain(f"  ·  {report.baseline.brief}"))
    line.append("  ")
    line.append_text(verdict_line(report, fail_on))
    console.print(line, soft_wrap=True)  # one line whatever the width: for logs and grep


def render_text(out: TextIO, results, *, several: bool, details: bool = False,
                quiet: bool = False, fail_on: str = policy.DEFAULT_FAIL_ON,
                redacted: bool = False) -> None:
    """The terminal format as plain text into `out` (a file): one report, or several files'
    reports (unless quiet) and the summary table, which also says why one file could not be
    read."""
    console = make_console(out)
    if several or results[0].report is None:
        render_many(results, console, details=details, quiet=quiet, fail_on=fail_on,
                    redacted=redacted)
    elif quiet:
        render_brief(results[0].report, console, fail_on)
    else:
        render(results[0].report, console, details=details, fail_on=fail_on, redacted=redacted)


def render_many(results, console: Console, *, details: bool = False, quiet: bool = False,
                fail_on: str = policy.DEFAULT_FAIL_ON, redacted: bool = False) -> None:
    if not quiet:
        for result in results:
            if result.report is not None:
                render(result.report, console, details=details, fail_on=fail_on,
                       redacted=redacted)
                line = "-" if console.options.ascii_only else "─"  # as Rich's own boxes do
                console.print(Text(line * min(console.width, 80), style="dim"))
    render_summary(results, console, fail_on)
