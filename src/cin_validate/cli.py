"""The command line: `cin-validate FILE`, `notes`, `rules`, `explain`.

Exit codes (documented in the README):
  0  validated, no errors (queries and notices allowed)
  1  validated, at least one error
  2  the file could not be validated (not XML, truncated, hostile, wrong root, unreadable), or
     the command line was wrong
  3  an internal error in cin-validate itself (please report it)
"""

from __future__ import annotations

import json
import sys
import traceback

import click
from rich.table import Table
from rich.text import Text

from . import __version__, catalogue, yony
from .checks import implemented
from .engine import CheckFailed, validate_file
from .output import jsonfmt, terminal
from .output.files import OutputError, write_atomic
from .parse import ReturnError
from .report import Report

EXIT_OK, EXIT_ERRORS, EXIT_INVALID, EXIT_INTERNAL = 0, 1, 2, 3


class _DefaultToValidate(click.Group):
    """`cin-validate FILE` means `cin-validate validate FILE`."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = ["validate", *args]
        return super().parse_args(ctx, args)


def _fail(message: str, code: int) -> None:
    click.echo(f"cin-validate: error: {message}", err=True)
    sys.exit(code)


def _run(path: str, debug: bool, **options) -> Report:
    """Validate, turning every failure into one line and a distinct exit code."""
    try:
        return validate_file(path, **options)
    except ReturnError as error:
        _fail(error.one_line(), EXIT_INVALID)
    except CheckFailed as error:
        if debug:
            traceback.print_exception(error.__cause__)
        _fail(f"{path}: {error} (run with --debug for details)", EXIT_INTERNAL)
    except MemoryError:
        _fail(f"{path}: too large to validate in the memory available", EXIT_INVALID)
    raise AssertionError("unreachable")


def _previous_options(command):
    """--previous and --previous-counts: add the year-on-year checks YonY 01 to 07."""
    command = click.option(
        "--previous-counts", type=click.Path(dir_okay=False), metavar="LAST.json",
        help="Last year's figures instead of its return: the JSON that "
             "`cin-validate stats LAST.xml --format json` wrote.")(command)
    return click.option(
        "--previous", type=click.Path(dir_okay=False), metavar="LAST.xml",
        help="Last year's return: add the year-on-year checks YonY 01 to 07 (guide 1.10), "
             "queries that never fail the run.")(command)


def _measure(path: str, option: str = "") -> yony.Measures:
    """The headline measures of a return (no DfE rule runs); a failure is one line, exit 2."""
    try:
        return yony.measure_file(path)
    except ReturnError as error:
        _fail(f"{option}{error.one_line()}", EXIT_INVALID)
    except MemoryError:
        _fail(f"{option}{path}: too large to read in the memory available", EXIT_INVALID)
    raise AssertionError("unreachable")


def _run_year_on_year(path: str, debug: bool, previous: str | None,
                      previous_counts: str | None) -> Report:
    """`_run`, plus the YonY checks against last year's return or figures when given."""
    if previous is None and previous_counts is None:
        return _run(path, debug)
    if previous is not None and previous_counts is not None:
        _fail("give --previous or --previous-counts, not both", EXIT_INVALID)
    if previous_counts is not None:
        try:
            last = yony.load_counts(previous_counts)
        except yony.CountsError as error:
            _fail(f"--previous-counts {error.one_line()}", EXIT_INVALID)
    else:
        last = _measure(previous, "--previous ")
    counter = yony.MeasureCounter()
    report = _run(path, debug, observe=counter.observe)
    this = counter.finish(path, report.header, report.notices)
    yony.apply(report, yony.compare(this, last))
    return report


@click.group(cls=_DefaultToValidate, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cin-validate")
def main() -> None:
    """Validate a children in need (CIN) census 2024 to 2025 XML return offline, with the DfE's
    validation rules, before you upload it to COLLECT.

    \b
    cin-validate return.xml            report in the terminal
    cin-validate return.xml --details  ... with every issue by child
    cin-validate return.xml --format json --output report.json
    cin-validate notes return.xml      the auto-OK return-level notes alone
    cin-validate return.xml --previous last-year.xml   ... with the year-on-year checks
    cin-validate stats return.xml      the headline counts those checks compare
    cin-validate rules                 the rule catalogue
    cin-validate explain 8670Q         one rule
    """


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["terminal", "json"]), default="terminal",
              show_default=True, help="How to write the report.")
@click.option("--output", "-o", type=click.Path(dir_okay=False),
              help="Write the report to this file (atomically) instead of standard output.")
@click.option("--details", "-d", is_flag=True,
              help="List every issue by child (shows child IDs and the values as written).")
@click.option("--debug", is_flag=True, hidden=True, help="Show tracebacks of internal errors.")
@_previous_options
def validate(file: str, fmt: str, output: str | None, details: bool, debug: bool,
             previous: str | None, previous_counts: str | None) -> None:
    """Validate FILE and report errors, queries and the auto-OK notes."""
    report = _run_year_on_year(file, debug, previous, previous_counts)
    if fmt == "json":
        _emit(jsonfmt.render(report), output, file)
    elif output:
        _emit(terminal.render_text(report, details=details), output, file)
    else:
        terminal.render(report, terminal.make_console(), details=details)
    sys.exit(EXIT_ERRORS if report.errors else EXIT_OK)


def _emit(text: str, output: str | None, source: str) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        write_atomic(output, text.encode("utf-8"), protect=(source,))
    except OutputError as error:
        _fail(str(error), EXIT_INVALID)


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--debug", is_flag=True, hidden=True)
@_previous_options
def notes(file: str, debug: bool, previous: str | None, previous_counts: str | None) -> None:
    """Print only the auto-OK return-level notes for FILE, ready to paste into COLLECT."""
    report = _run_year_on_year(file, debug, previous, previous_counts)
    for note in report.notes:
        click.echo(note)
    if not report.notes:
        click.echo("No auto-OK query fired: no return-level note is needed.", err=True)


@main.command(name="rules")
def list_rules() -> None:
    """List the catalogue of DfE rules and whether each is checked."""
    done = implemented()
    table = Table(box=None, pad_edge=False)
    for name in ("Code", "Type", "Module", "Checked", "Message"):
        table.add_column(name, overflow="fold", no_wrap=name != "Message")
    rules = catalogue.dfe_rules()
    for code, info in rules.items():
        table.add_row(code, info.severity, info.module, "yes" if code in done else "no",
                      Text(info.message))
    console = terminal.make_console()
    console.print(table)
    console.print(f"{len(done & rules.keys())} of {len(rules)} rules checked")
    console.print()
    console.print(terminal.yony_rules_table(catalogue.yony_rules()))


@main.command()
@click.argument("code")
def explain(code: str) -> None:
    """Show one rule: its message, what it checks and its auto-OK note."""
    info = catalogue.lookup(code.strip().upper()) or catalogue.lookup(code.strip())
    if info is None:
        _fail(f"no rule {code!r} in the catalogue (see `cin-validate rules`)", EXIT_INVALID)
    console = terminal.make_console()
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    rows = [("Rule", info.code), ("Type", info.severity), ("Module", info.module),
            ("Message", info.message), ("Checks", info.summary), ("One issue", info.instance),
            ("Fields", ", ".join(info.fields)),
            ("Checked here", "yes" if info.code in implemented() or not info.is_dfe else "no")]
    if yony.is_year_on_year(info.code):
        rows[-1] = ("Checked here", "yes, with --previous LAST.xml or --previous-counts LAST.json")
        rows.append(("Threshold", f"a change of {info.threshold}% or more either way"))
    if info.auto_ok_note:
        rows.append(("Auto-OK note", info.auto_ok_note))
    for name, value in rows:
        if value:
            grid.add_row(name, Text(value))
    console.print(grid)


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["terminal", "json"]), default="terminal",
              show_default=True, help="How to write the measures; json is what "
              "--previous-counts reads.")
@click.option("--output", "-o", type=click.Path(dir_okay=False),
              help="Write to this file (atomically) instead of standard output.")
def stats(file: str, fmt: str, output: str | None) -> None:
    """Count FILE's headline measures: what the year-on-year checks YonY 01 to 07 compare.

    Keep `cin-validate stats RETURN.xml --format json -o counts.json` with each year's return:
    next year, `cin-validate NEXT.xml --previous-counts counts.json` runs the checks.
    """
    measures = _measure(file)
    if fmt == "json":
        _emit(json.dumps(measures.to_dict(), ensure_ascii=False, indent=2) + "\n", output, file)
    elif output:
        _emit(terminal.render_stats_text(measures), output, file)
    else:
        terminal.render_stats(measures, terminal.make_console())
