"""The report for people at a terminal, drawn with Rich (plain when piped or with NO_COLOR)."""

from __future__ import annotations

import io

from rich import box
from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..codesets import codeset
from ..dates import CensusPeriod
from ..report import Report

_STYLE = {"error": "bold red", "query": "yellow", "notice": "cyan"}


def make_console(file=None, *, stderr: bool = False) -> Console:
    console = Console(file=file, stderr=stderr, highlight=False, soft_wrap=False)
    if not console.is_terminal:
        # Piped output is read whole (less, a CI log): do not squeeze it into 80 columns.
        console = Console(file=file, stderr=stderr, highlight=False, width=max(console.width, 160))
    return console


def _facts(report: Report) -> Table:
    header = report.header
    la_name = codeset("la-codes").get(header.lea or "", "")
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
        ("Reference date", reference),
        ("Census period", _period(report)),
        ("Children", f"{report.children:,}"),
        ("Episodes", f"{report.episodes:,}"),
    ]
    for name, value in rows:
        facts.add_row(name, Text(str(value)))
    return facts


def _period(report: Report) -> str:
    period = CensusPeriod(report.reference_date)
    return f"{period.start.isoformat()} to {period.end.isoformat()}"


def _summary(report: Report) -> Text:
    text = Text()
    text.append(f"{report.errors} error{'s' * (report.errors != 1)}",
                style=_STYLE["error"] if report.errors else "green")
    text.append(", ")
    text.append(f"{report.queries} quer{'ies' if report.queries != 1 else 'y'}",
                style=_STYLE["query"] if report.queries else "green")
    text.append(f", {report.notices} structural notice{'s' * (report.notices != 1)}")
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


def _details(report: Report) -> Table:
    table = Table(title="Issues by child", box=box.SIMPLE_HEAD, title_justify="left")
    for name in ("Child", "Code", "Fields", "Values", "Line"):
        table.add_column(name, overflow="fold", justify="right" if name == "Line" else "left")
    for issue in report.issues:
        child = issue.child.label if issue.child else "(return)"
        values = ", ".join("—" if place.value is None else place.value for place in issue.places)
        if issue.detail:
            values = f"{values}  ({issue.detail})" if values.strip("—, ") else issue.detail
        table.add_row(Text(child), issue.code, Text(", ".join(issue.fields)), Text(values),
                      str(issue.line or ""))
    return table


def render(report: Report, console: Console, *, details: bool = False) -> None:
    console.print(Text("cin-validate · children in need census 2024 to 2025", style="bold"))
    console.print(_facts(report))
    console.print()
    console.print(_summary(report))
    if report.issues:
        console.print(_by_rule(report))
        if details:
            console.print(_details(report))
        else:
            console.print(Text("Add --details to list every issue by child (shows child IDs and "
                               "values).", style="dim"))
    if report.notes:
        body = Text("\n".join(report.notes))
        console.print(Panel(body, title="Return-level notes to paste into COLLECT (auto-OK)",
                            title_align="left", box=box.ASCII if not console.is_terminal else box.ROUNDED))
        console.print(Text("Paste them only after checking every record the query names. "
                           "`cin-validate notes FILE` prints them alone.", style="dim"))
    verdict = (Text("FAIL: the return has errors", style="bold red") if report.errors
               else Text("PASS: no errors", style="bold green"))
    console.print(verdict)


def render_text(report: Report, *, details: bool = False) -> str:
    """The same report as plain text, for a file."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=160, no_color=True, highlight=False)
    render(report, console, details=details)
    return buffer.getvalue()
