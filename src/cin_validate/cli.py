"""The command line: `cin-validate FILE`, `notes`, `rules`, `explain`.

Exit codes (documented in the README; decided in `policy`):
  0  validated, and nothing fails the policy (`--fail-on error`, the default: no errors;
     queries, structural notices and year-on-year queries never fail it)
  1  validated, and something fails the policy (`--fail-on error|query|never`)
  2  a file could not be validated (not XML, truncated, hostile, wrong root, unreadable), or
     the command line or configuration was wrong; with several files, the others are still
     validated and reported
  3  an internal error in cin-validate itself (please report it)
With several files the exit code is the worst file's.

`validate` reads its options in three steps, each in its own function: `_settings` (command
line over configuration file), the validation itself (one file in-process, several through
`batch`), and `_write` (the chosen format, drawn by `output.formats`).
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from dataclasses import dataclass

import click
from rich.table import Table
from rich.text import Text

from . import __version__, batch, catalogue, config, policy, privacy, yony
from .checks import implemented
from .engine import CheckFailed, Selection, validate_file
from .output import formats, progress, terminal
from .selection import SelectionError
from .selection import resolve as resolve_selection
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


def _run(path: str, debug: bool, last: yony.Measures | None = None, **options) -> Report:
    """Validate (with the YonY checks against `last` when given), turning every failure into
    one line and a distinct exit code."""
    try:
        if last is not None:
            return yony.validate_against(path, last, **options)
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
                      previous_counts: str | None, **options) -> Report:
    """`_run`, plus the YonY checks against last year's return or figures when given.

    `options` go to `engine.validate_file` (`selection`, `on_child`).
    """
    if previous is None and previous_counts is None:
        return _run(path, debug, **options)
    if previous is not None and previous_counts is not None:
        _fail("give --previous or --previous-counts, not both", EXIT_INVALID)
    if previous_counts is not None:
        try:
            last = yony.load_counts(previous_counts)
        except yony.CountsError as error:
            _fail(f"--previous-counts {error.one_line()}", EXIT_INVALID)
    else:
        last = _measure(previous, "--previous ")
    return _run(path, debug, last=last, **options)


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


def _validate_options(command):
    """The options of `validate` (formats, policy, rules, privacy, files), as --help lists them."""
    options = [
        click.option("--format", "fmt", type=click.Choice(formats.FORMATS), default=None,
                     help="How to write the report  [default: from --output's extension, "
                          "else the configuration file's, else terminal]"),
        click.option("--output", "-o", type=click.Path(dir_okay=False), multiple=True,
                     help="Write the report to this file, atomically, instead of standard "
                          "output; .json .xml (junit) .csv .xlsx .html .txt pick the format. "
                          "Repeat it for several formats from one run."),
        click.option("--fail-on", type=click.Choice(policy.FAIL_ON), default=None,
                     help="What makes the exit code 1: errors, errors or queries, or never  "
                          "[default: error]"),
        click.option("--select", multiple=True, metavar="CODES",
                     help="Run only these rules: codes or prefixes, comma-separated "
                          "(--select 85,1510)."),
        click.option("--ignore", multiple=True, metavar="CODES",
                     help="Do not run these rules (--ignore 8670Q,8675Q); S01... hides "
                          "structural notices."),
        click.option("--redact", is_flag=True,
                     help="Child IDs become pseudonyms; UPNs and dates of birth and death are "
                          "left out, in every format."),
        click.option("--redact-key", envvar="CIN_VALIDATE_REDACT_KEY", metavar="KEY",
                     help="Key making --redact pseudonyms the same in every run (implies "
                          "--redact; or set CIN_VALIDATE_REDACT_KEY)."),
        click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
                     help="Files validated in parallel  [default: the number of cores]"),
        click.option("--quiet", "-q", is_flag=True,
                     help="No progress bar; in the terminal, only the counts and the verdict."),
        click.option("--details", "-d", is_flag=True,
                     help="List every issue by child (shows child IDs and the values as "
                          "written)."),
        click.option("--config", "config_file", type=click.Path(dir_okay=False),
                     help="Settings from this file, not the cin-validate.toml or "
                          "pyproject.toml found beside the return."),
        click.option("--no-config", is_flag=True, help="Use no configuration file."),
        click.option("--debug", is_flag=True, hidden=True,
                     help="Show tracebacks of internal errors."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(), metavar="FILE...")
@_validate_options
@_previous_options
def validate(files: tuple[str, ...], fmt: str | None, output: tuple[str, ...],
             fail_on: str | None,
             select: tuple[str, ...], ignore: tuple[str, ...], redact: bool,
             redact_key: str | None, jobs: int | None, quiet: bool, details: bool,
             config_file: str | None, no_config: bool, debug: bool, previous: str | None,
             previous_counts: str | None) -> None:
    """Validate each FILE (a folder means its .xml files) and report errors, queries and the
    auto-OK notes; with several files, one summary table and the worst verdict's exit code."""
    ctx = click.get_current_context()
    if redact_key and ctx.get_parameter_source("redact_key") is click.core.ParameterSource.COMMANDLINE:
        redact = True
    run = _settings(files, fmt=fmt, output=output, fail_on=fail_on, select=select,
                    ignore=ignore, config_file=config_file, no_config=no_config)
    if run.several and (previous or previous_counts):
        _fail("--previous compares one return with last year's: give one file", EXIT_INVALID)
    show = progress.wanted(run.paths, quiet=quiet)
    if run.several:
        results = _validate_many(run, jobs=jobs or os.cpu_count() or 1, show=show, debug=debug)
    else:
        path, start = run.paths[0], time.perf_counter()
        with progress.bar(run.paths, enabled=show, per_child=True) as bar:
            on_child = (lambda count: bar.child(path, count)) if bar else None
            report = _run_year_on_year(path, debug, previous, previous_counts,
                                       selection=run.selection, on_child=on_child)
        results = [batch.FileResult(path, report, seconds=time.perf_counter() - start)]
    results = batch.judge(results, run.fail_on)
    try:
        if redact:
            pseudonyms = privacy.Pseudonyms(redact_key if redact_key else None)
            for result in results:
                if result.report is not None:
                    result.report = privacy.redact(result.report, pseudonyms)
        _write(run, results, details=details, quiet=quiet, redacted=redact)
    except MemoryError:  # like a return too large to read: one line and exit 2, no traceback
        _fail(f"{', '.join(run.paths)}: too large to validate in the memory available "
              "(writing the report)", EXIT_INVALID)
    sys.exit(batch.exit_code(results))


@dataclass
class _Run:
    """What one `validate` run does, once the command line and the configuration are merged."""

    paths: list[str]
    several: bool  # several files given (or a folder): JSON is a list, a summary table is shown
    targets: list[tuple[str | None, str]]  # (output file or None for stdout, format)
    fail_on: str
    selection: Selection


def _settings(files: tuple[str, ...], *, fmt, output, fail_on, select, ignore, config_file,
              no_config) -> _Run:
    """The command line over the configuration file over the defaults; bad ones exit 2."""
    paths = batch.expand(files)
    if not paths:
        _fail(f"no .xml file in {', '.join(files)}", EXIT_INVALID)
    try:
        settings = config.for_files(list(files), config_file, enabled=not no_config)
    except config.ConfigError as error:
        _fail(str(error), EXIT_INVALID)
    targets = _targets(fmt, output, settings.get("format"))
    if targets[0] == (None, "xlsx") and sys.stdout.isatty():
        _fail("xlsx is a binary format: give --output FILE.xlsx", EXIT_INVALID)
    try:
        selection = resolve_selection(select or settings.get("select", ()),
                                      ignore or settings.get("ignore", ()))
    except SelectionError as error:
        _fail(str(error), EXIT_INVALID)
    several = len(files) > 1 or any(os.path.isdir(path) for path in files)
    return _Run(paths, several, targets,
                fail_on or settings.get("fail-on") or policy.DEFAULT_FAIL_ON, selection)


def _targets(fmt: str | None, outputs: tuple[str, ...], configured: str | None):
    """Where each rendering goes: --format, else the extension, else the configuration file.

    Several --output files each take the format of their extension, all from the same run (so
    --redact gives each child the same pseudonym in all of them).
    """
    if len(outputs) <= 1:
        output = outputs[0] if outputs else None
        return [(output, fmt or formats.for_output(output) or configured or "terminal")]
    if fmt:
        _fail("--format goes with one --output; with several, each file's extension picks its "
              "format", EXIT_INVALID)
    targets = []
    for output in outputs:
        chosen = formats.for_output(output)
        if chosen is None:
            _fail(f"--output {output}: the extension does not say which format (use "
                  f"{', '.join(formats.EXTENSIONS)})", EXIT_INVALID)
        targets.append((output, chosen))
    if len({os.path.abspath(output) for output in outputs}) < len(outputs):
        _fail("the same --output file is given twice", EXIT_INVALID)
    return targets


def _validate_many(run: _Run, *, jobs: int, show: bool, debug: bool) -> list[batch.FileResult]:
    """Every file, in parallel when `jobs` > 1; a file that fails is reported, not fatal."""
    per_child = min(jobs, len(run.paths)) == 1
    with progress.bar(run.paths, enabled=show, per_child=per_child) as bar:
        results = batch.validate_all(run.paths, selection=run.selection, jobs=jobs,
                                     on_child=bar.child if bar and per_child else None,
                                     on_done=bar.file_done if bar else None)
    for result in results:
        if result.error:
            hint = " (run with --debug for details)" if result.internal and not debug else ""
            click.echo(f"cin-validate: error: {result.error}{hint}", err=True)
            if debug and result.trace:
                click.echo(result.trace, err=True)
    return results


def _write(run: _Run, results: list[batch.FileResult], *, details: bool, quiet: bool,
           redacted: bool) -> None:
    """Draw the results in each chosen format to the terminal, standard output or a file."""
    for output, fmt in run.targets:
        if fmt == "terminal" and output is None:
            console = terminal.make_console()
            if run.several:
                terminal.render_many(results, console, details=details, quiet=quiet,
                                     fail_on=run.fail_on)
            elif quiet:
                terminal.render_brief(results[0].report, console, run.fail_on)
            else:
                terminal.render(results[0].report, console, details=details,
                                fail_on=run.fail_on)
            continue
        data = formats.render(fmt, results, several=run.several, fail_on=run.fail_on,
                              details=details, quiet=quiet, redacted=redacted)
        if output is None:
            click.echo(data, nl=False)  # bytes go to the binary standard output
            continue
        try:
            write_atomic(output, data, protect=tuple(run.paths))
        except OutputError as error:
            _fail(str(error), EXIT_INVALID)


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
