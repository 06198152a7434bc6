"""The command line: `cin-validate FILE`, `notes`, `rules`, `explain`, `stats`.

Every way out is one of the README's exit codes, all defined in `policy` (which also decides
the verdict of each file: with several files, the exit code is the worst file's); how each
ends, in one line, is `exits`. Whatever a subcommand does not expect is exit 3, an internal
error, in one line (`_DefaultToValidate.invoke`).

`validate` reads its options in three steps, each in its own function: `_settings` (command
line over configuration file), the validation itself (one file in-process, several through
`batch`), and `_write` (the chosen format, drawn by `output.formats`).
"""

from __future__ import annotations

import difflib
import json
import os
import signal
import sys
import time
import traceback
from dataclasses import dataclass
from functools import partial
from typing import Callable

import click
from rich.table import Table
from rich.text import Text

from . import (api, baseline, batch, catalogue, config, engine, exits, policy, privacy, years,
               yony)
from .checks import implemented, where_checked
from .dates import CensusPeriod
from .engine import CheckFailed
from .output import formats, progress, stepsummary, terminal
from .selection import NothingSelected, Selection, SelectionError, split_patterns
from .selection import resolve as resolve_selection
from .exits import fail as _fail
from .output.files import OutputError, check_output, is_special, write_output
from .parse import ReturnError
from .policy import EXIT_INTERNAL, EXIT_INVALID
from .report import Report
from .values import DATE_TEXT
from .version import __version__

REDACT_KEY_VARIABLE = "CIN_VALIDATE_REDACT_KEY"
# Paths of returns as given. Whether a file can be read is found out by reading it, and said
# in one line for that file (a folder where one return is read: "is a directory, not a
# return"): click's own check would stop the whole run with a three-line usage error.
_PATH = click.Path(readable=False)
_FILE = click.Path(dir_okay=False, readable=False)
_DEBUG = "cin_validate.debug"  # in click's context `meta`, shared by every context of a run
# The extensions that pick a format, as --help and the errors name them: ".xml (junit)".
_EXTENSIONS_TEXT = ", ".join(extension if extension[1:] == name else f"{extension} ({name})"
                             for extension, name in formats.EXTENSIONS.items())


class _DefaultToValidate(click.Group):
    """`cin-validate FILE` means `cin-validate validate FILE`.

    Whatever a subcommand does, it ends with one of the README's exit codes and at most one
    line on standard error (`exits`), never with a traceback that CI would read as a verdict.
    """

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = ["validate", *args]
        return super().parse_args(ctx, args)

    def invoke(self, ctx):
        exits.replace_what_cannot_be_shown()
        exits.silent_when_out_of_memory()
        try:
            with exits.sigterm_raises():
                return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise  # click's own endings: an exit code, a usage error (exit 2)
        except KeyboardInterrupt:
            exits.stopped_by(signal.SIGINT)
        except exits.Terminated:
            exits.stopped_by(signal.SIGTERM)
        except Exception as error:
            exits.internal_error(error, debug=_debugging())


def _debugging() -> bool:
    context = click.get_current_context(silent=True)
    return bool(context and context.meta.get(_DEBUG))


def _debug_option(command):
    """--debug (hidden): show the traceback of an internal error. Kept in the context's `meta`
    for the group's handler, which catches what the command does not."""

    def remember(ctx, _param, value):
        if value:
            ctx.meta[_DEBUG] = True

    return click.option("--debug", is_flag=True, hidden=True, expose_value=False,
                        callback=remember, help="Show tracebacks of internal errors.")(command)


def _run(path: str, last: yony.Measures | None = None, *, year: str | None = None,
         select: tuple[str, ...] = (), ignore: tuple[str, ...] = (),
         on_child: Callable[[int], None] | None = None) -> Report:
    """Validate one file through the Python API (with the YonY checks against `last` when
    given), turning every failure but a file that cannot be read (`ReturnError`, which the
    caller reports) into one line and a distinct exit code."""
    try:
        return api.validate(path, year=year, select=select, ignore=ignore, previous=last,
                            on_child=on_child)
    except (yony.PreviousNotEarlier, NothingSelected) as error:
        _fail(str(error), EXIT_INVALID)
    except CheckFailed as error:
        if _debugging():
            traceback.print_exception(error.__cause__)
        _fail(f"{path}: {error} (run with --debug for details)", EXIT_INTERNAL)
    except MemoryError:
        _fail(f"{path}: too large to validate in the memory available", EXIT_INVALID)
    except OSError as error:
        _fail(batch.temporary_data_failed(path, error), EXIT_INVALID)
    raise AssertionError("unreachable")


def _year_option(help_text: str):
    return click.option("--year", type=click.Choice(list(years.held())), default=None,
                        help=help_text)


def _previous_options(command):
    """--previous and --previous-counts: add the year-on-year checks YonY 01 to 07."""
    command = click.option(
        "--previous-counts", type=_FILE, metavar="LAST.json",
        help="Last year's figures instead of its return: the JSON that "
             "`cin-validate stats LAST.xml --format json` wrote.")(command)
    return click.option(
        "--previous", type=_PATH, metavar="LAST.xml",
        help="Last year's return: add the year-on-year checks YonY 01 to 07 (guide 1.10), "
             "queries that never fail the run.")(command)


def _measure(path: str, option: str = "", year: str | None = None) -> yony.Measures:
    """The headline measures of a return (no DfE rule runs); a failure is one line, exit 2."""
    try:
        return yony.measure_file(path, year)
    except ReturnError as error:
        _fail(f"{option}{error.one_line()}", EXIT_INVALID)
    except MemoryError:
        _fail(f"{option}{path}: too large to read in the memory available", EXIT_INVALID)
    raise AssertionError("unreachable")


def _run_year_on_year(path: str, previous: str | None, previous_counts: str | None,
                      **options) -> Report:
    """`_run`, plus the YonY checks against last year's return or figures when given.

    `options` go to `api.validate` (`year`, `select`, `ignore`, `on_child`). Last year's
    return is only counted, as the year its own header names (never this run's `--year`).
    """
    if previous is None and previous_counts is None:
        return _run(path, **options)
    if previous is not None and previous_counts is not None:
        _fail("give --previous or --previous-counts, not both", EXIT_INVALID)
    if previous_counts is not None:
        try:
            last = yony.load_counts(previous_counts)
        except yony.CountsError as error:
            _fail(f"--previous-counts {error.one_line()}", EXIT_INVALID)
    else:
        last = _measure(previous, "--previous ")
    return _run(path, last=last, **options)


def _main_help() -> str:
    held = ", ".join(collection.label() for collection in years.held().values())
    return f"""Validate a children in need (CIN) census XML return offline, with the DfE's
    validation rules, before you upload it to COLLECT. Collection years: {held}.

    \b
    cin-validate return.xml            report in the terminal
    cin-validate return.xml --details  ... with every issue by child and its lines of XML
    cin-validate return.xml -o report.html -o report.json   reports in files
    cin-validate return.xml --baseline checked.json   only what is new since checked.json
    cin-validate notes return.xml      the auto-OK return-level notes alone
    cin-validate return.xml --previous last-year.xml   ... with the year-on-year checks
    cin-validate stats return.xml      the headline counts those checks compare
    cin-validate rules                 the rule catalogue
    cin-validate explain 8670Q         one rule
    cin-validate validate --help       every option of validating a return
    """


@click.group(cls=_DefaultToValidate, help=_main_help(),
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cin-validate")
def main() -> None:
    """The command group: `cin-validate FILE` is `cin-validate validate FILE`."""


def _validate_options(command):
    """The options of `validate` (formats, policy, rules, privacy, files), as --help lists them."""
    options = [
        _year_option("The collection year to validate against  [default: the one the header's "
                     "ReferenceDate or Year names, else 2024-25]"),
        click.option("--format", "fmt", type=click.Choice(formats.FORMATS), default=None,
                     help="How to write the report  [default: from --output's extension, "
                          "else the configuration file's, else terminal]"),
        click.option("--output", "-o", type=_FILE, multiple=True,
                     help="Write the report to this file, atomically, instead of standard "
                          f"output; {_EXTENSIONS_TEXT} pick the format. Repeat it for several "
                          "formats from one run."),
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
        click.option("--redact-key", metavar="KEY",
                     help=f"Key making --redact pseudonyms the same in every run; the key, "
                          f"given here or in {REDACT_KEY_VARIABLE}, implies --redact."),
        click.option("--baseline", "baseline_file", type=_FILE, metavar="LAST.json",
                     help="A JSON report of an earlier run: report only the issues new since "
                          "then (and how many were fixed); --fail-on applies to the new ones."),
        click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
                     help="Files validated in parallel  [default: the number of cores]"),
        click.option("--quiet", "-q", is_flag=True,
                     help="No progress bar; in the terminal, only the counts and the verdict."),
        click.option("--details", "-d", is_flag=True,
                     help="List every issue by child, with the lines of the return it "
                          "points at (shows child IDs and the values as written)."),
        click.option("--config", "config_file", type=_FILE,
                     help="Settings from this file, not the cin-validate.toml or "
                          "pyproject.toml found beside the return."),
        click.option("--no-config", is_flag=True, help="Use no configuration file."),
        _debug_option,
    ]
    for option in reversed(options):
        command = option(command)
    return command


@main.command(short_help="Validate returns (the default: cin-validate FILE).")
@click.argument("files", nargs=-1, required=True, type=_PATH, metavar="FILE...")
@_validate_options
@_previous_options
def validate(files: tuple[str, ...], year: str | None, fmt: str | None, output: tuple[str, ...],
             fail_on: str | None,
             select: tuple[str, ...], ignore: tuple[str, ...], redact: bool,
             redact_key: str | None, baseline_file: str | None, jobs: int | None, quiet: bool,
             details: bool, config_file: str | None, no_config: bool, previous: str | None,
             previous_counts: str | None) -> None:
    """Validate each FILE (a folder means its .xml files) and report errors, queries and the
    auto-OK notes; with several files, one summary table and the worst verdict's exit code."""
    redact_key = _redact_key(redact_key)
    redact = redact or redact_key is not None
    run = _settings(files, year=year, fmt=fmt, output=output, fail_on=fail_on, select=select,
                    ignore=ignore, config_file=config_file, no_config=no_config,
                    previous=previous, previous_counts=previous_counts,
                    baseline_file=baseline_file)
    if run.several and (previous or previous_counts):
        _fail("--previous compares one return with last year's: give one file", EXIT_INVALID)
    known = _baseline(baseline_file, redacted=redact, keyed=redact_key is not None)
    show = progress.wanted(run.paths, quiet=quiet)
    if run.several:
        results = _validate_many(run, jobs=jobs or os.cpu_count() or 1, show=show)
    else:
        results = [_validate_alone(run, previous, previous_counts, show=show)]
    try:
        if redact:
            pseudonyms = privacy.Pseudonyms(redact_key)
            for result in results:
                if result.report is not None:
                    result.report = privacy.redact(result.report, pseudonyms)
        if known is not None:  # after redaction: identities as the report shows them
            for result in results:
                if result.report is not None:
                    result.report = baseline.apply(result.report, known, alone=len(results) == 1)
        results = batch.judge(results, run.fail_on)
        _write(run, results, details=details, quiet=quiet, redacted=redact)
        _write_step_summary(run, results)
    except MemoryError:  # like a return too large to read: one line and exit 2, no traceback
        _fail(f"{', '.join(run.paths)}: too large to validate in the memory available "
              "(writing the report)", EXIT_INVALID)
    sys.exit(batch.exit_code(results))


def _validate_alone(run: _Run, previous: str | None, previous_counts: str | None, *,
                    show: bool) -> batch.FileResult:
    """The one file given. One that cannot be read is its line on standard error and exit 2,
    and still a result for the machine-readable formats, which say so as for several files
    (a CI job parsing the report, or uploading it, finds why)."""
    path, start = run.paths[0], time.perf_counter()
    try:
        with progress.bar(run.paths, enabled=show, per_child=True) as bar:
            on_child = (lambda count: bar.child(path, count)) if bar else None
            report = _run_year_on_year(path, previous, previous_counts, year=run.year,
                                       select=run.select, ignore=run.ignore, on_child=on_child)
    except ReturnError as error:
        result = batch.FileResult.unreadable(path, error)
        exits.error_line(result.error)
        return result
    return batch.FileResult(path, report, seconds=time.perf_counter() - start)


def _baseline(path: str | None, *, redacted: bool, keyed: bool) -> baseline.Baseline | None:
    """The baseline's identities, read before anything is validated; a baseline that cannot
    be read, or cannot match this run, is exit 2."""
    if path is None:
        return None
    try:
        known = baseline.load(path)
        known.check(redacted=redacted, keyed=keyed)
    except baseline.BaselineError as error:
        _fail(str(error), EXIT_INVALID)
    except MemoryError:
        _fail(f"--baseline {path}: too large to read in the memory available", EXIT_INVALID)
    return known


def _redact_key(option: str | None) -> str | None:
    """--redact-key, else the environment's key, else None (a random key per run).

    An empty key (say, a CI secret that is not set) is an error: it never turns redaction off.
    """
    key, source = option, "--redact-key"
    if key is None:
        key, source = os.environ.get(REDACT_KEY_VARIABLE), REDACT_KEY_VARIABLE
    if key is not None and not key.strip():
        _fail(f"{source} is empty: give a key, or use --redact alone for a random one",
              EXIT_INVALID)
    return key


@dataclass
class _Run:
    """What one `validate` run does, once the command line and the configuration are merged."""

    paths: list[str]
    several: bool  # several files given (or a folder): JSON is a list, a summary table is shown
    targets: list[tuple[str | None, str]]  # (output file or None for stdout, format)
    fail_on: str
    select: tuple[str, ...]  # the rule patterns, as given (command line, else configuration)
    ignore: tuple[str, ...]
    selection: Selection  # resolved from them, once, before anything is validated
    inputs: dict[str, str]  # every file the run reads -> what it is; never written over
    year: str | None  # --year (or the configuration file's); None: each header decides


def _settings(files: tuple[str, ...], *, year, fmt, output, fail_on, select, ignore,
              config_file, no_config, previous, previous_counts, baseline_file=None) -> _Run:
    """The command line over the configuration file over the defaults; bad ones exit 2."""
    try:
        paths = batch.expand(files)
    except batch.FolderUnreadable as error:
        _fail(str(error), EXIT_INVALID)
    if not paths:
        _fail(f"no .xml file in {', '.join(files)}", EXIT_INVALID)
    try:
        settings = config.for_files(list(files), config_file, enabled=not no_config)
    except config.ConfigError as error:
        _fail(str(error), EXIT_INVALID)
    inputs = {path: "the return being validated" for path in paths}
    for path, what in ((previous, "last year's return (--previous)"),
                       (previous_counts, "last year's counts (--previous-counts)"),
                       (baseline_file, "the baseline (--baseline)"),
                       (settings.path, "the configuration file")):
        if path:
            inputs[path] = what
    targets = _targets(fmt, output, settings.get("format"))
    _check_outputs(targets, inputs)
    output, chosen = targets[0]
    if output is None and formats.BY_NAME[chosen].binary and sys.stdout.isatty():
        _fail(f"{chosen} is a binary format: give --output "
              f"FILE{formats.BY_NAME[chosen].extensions[0]}", EXIT_INVALID)
    select = tuple(split_patterns(select or settings.get("select", ())))
    ignore = tuple(split_patterns(ignore or settings.get("ignore", ())))
    try:
        selection = resolve_selection(select, ignore)
    except SelectionError as error:
        _fail(str(error), EXIT_INVALID)
    several = len(files) > 1 or any(os.path.isdir(path) for path in files)
    return _Run(paths, several, targets,
                fail_on or settings.get("fail-on") or policy.DEFAULT_FAIL_ON, select, ignore,
                selection, inputs, year or settings.get("year"))


def _check_outputs(targets, inputs: dict[str, str]) -> None:
    """Refuse an output that may not be written now, before validating or writing anything."""
    for output, _fmt in targets:
        if output is not None:
            try:
                check_output(output, inputs)
            except OutputError as error:
                _fail(str(error), EXIT_INVALID)


def _targets(fmt: str | None, outputs: tuple[str, ...], configured: str | None):
    """Where each rendering goes: --format, else the extension, else the configuration file.

    Several --output files each take the format of their extension, all from the same run (so
    --redact gives each child the same pseudonym in all of them).
    """
    if not outputs:
        return [(None, fmt or configured or "terminal")]
    if fmt and len(outputs) > 1:
        _fail("--format goes with one --output; with several, each file's extension picks its "
              "format", EXIT_INVALID)
    if len({os.path.abspath(output) for output in outputs}) < len(outputs):
        _fail("the same --output file is given twice", EXIT_INVALID)
    return [(output, fmt or _format_of(output, configured, alone=len(outputs) == 1))
            for output in outputs]


def _format_of(output: str, configured: str | None, *, alone: bool) -> str:
    """The format an output file's extension picks. A device or FIFO (`-o /dev/stdout`) has
    no extension to speak of: it takes the configured format, else terminal text. Any other
    name must say, or a report.xls would silently be terminal text."""
    chosen = formats.for_output(output)
    if chosen is not None:
        return chosen
    if is_special(output):
        return configured or "terminal"
    extension = os.path.splitext(output)[1].lower()
    close = difflib.get_close_matches(extension, formats.EXTENSIONS, n=1) if extension else []
    hint = f"; did you mean {close[0]}?" if close else ""
    _fail(f"--output {output}: the extension does not say which format{hint} (use "
          f"{_EXTENSIONS_TEXT}{', or give --format' if alone else ''})", EXIT_INVALID)


def _validate_many(run: _Run, *, jobs: int, show: bool) -> list[batch.FileResult]:
    """Every file, in parallel when `jobs` > 1; a file that fails is reported, not fatal."""
    per_child = min(jobs, len(run.paths)) == 1
    with progress.bar(run.paths, enabled=show, per_child=per_child) as bar:
        results = batch.validate_all(run.paths, selection=run.selection, year=run.year, jobs=jobs,
                                     on_child=bar.child if bar and per_child else None,
                                     on_done=bar.file_done if bar else None)
    debug = _debugging()
    for result in results:
        if result.error:
            hint = " (run with --debug for details)" if result.internal and not debug else ""
            exits.error_line(f"{result.error}{hint}")
            if debug and result.trace:
                click.echo(result.trace, err=True)
    return results


def _write(run: _Run, results: list[batch.FileResult], *, details: bool, quiet: bool,
           redacted: bool) -> None:
    """Draw the results in each chosen format to the terminal, standard output or a file, each
    written as it is drawn."""
    options = formats.Options(several=run.several, fail_on=run.fail_on, details=details,
                              quiet=quiet, redacted=redacted)
    for output, fmt in run.targets:
        if fmt == "terminal" and output is None:
            with exits.standard_output():
                _show(run, results, details=details, quiet=quiet, redacted=redacted)
            continue
        draw = partial(formats.write, fmt, results=results, options=options)
        if output is None:
            with exits.standard_output() as out:
                draw(out)
            continue
        _write_file(output, draw, run.inputs)


def _write_step_summary(run: _Run, results: list[batch.FileResult]) -> None:
    """In GitHub Actions, append the run's Markdown summary to the step's summary page."""
    path = os.environ.get(stepsummary.VARIABLE)
    if not path:
        return
    try:
        with open(path, "a", encoding="utf-8") as out:
            stepsummary.render(out, results, run.fail_on)
    except OSError as error:
        _fail(f"{stepsummary.VARIABLE} {path}: cannot write: {error.strerror or error}",
              EXIT_INVALID)


def _show(run: _Run, results: list[batch.FileResult], *, details: bool, quiet: bool,
          redacted: bool) -> None:
    """The terminal format, drawn live on standard output."""
    if not run.several and results[0].report is None:
        return  # the one file could not be read: its line on standard error says why
    console = terminal.make_console()
    if run.several:
        terminal.render_many(results, console, details=details, quiet=quiet,
                             fail_on=run.fail_on, redacted=redacted)
    elif quiet:
        terminal.render_brief(results[0].report, console, run.fail_on)
    else:
        terminal.render(results[0].report, console, details=details, fail_on=run.fail_on,
                        redacted=redacted)


def _write_file(output: str, draw, inputs: dict[str, str]) -> None:
    try:
        write_output(output, draw, protect=inputs)
    except OutputError as error:
        _fail(str(error), EXIT_INVALID)


def _configured_year(file: str) -> str | None:
    """The configuration file's `year` for FILE, for the commands without the full settings."""
    try:
        return config.for_files([file]).get("year")
    except config.ConfigError as error:
        _fail(str(error), EXIT_INVALID)
    raise AssertionError("unreachable")


@main.command(short_help="Only the auto-OK notes to paste into COLLECT.")
@click.argument("file", type=_PATH)
@_debug_option
@_year_option("The collection year to validate against  [default: as the header names it]")
@_previous_options
def notes(file: str, year: str | None, previous: str | None,
          previous_counts: str | None) -> None:
    """Print only the auto-OK return-level notes for FILE, ready to paste into COLLECT."""
    try:
        report = _run_year_on_year(file, previous, previous_counts,
                                   year=year or _configured_year(file))
    except ReturnError as error:
        _fail(error.one_line(), EXIT_INVALID)
    with exits.standard_output():
        for note in report.notes:
            click.echo(note)
    if not report.notes:
        click.echo("No auto-OK query fired: no return-level note is needed.", err=True)


@main.command(name="rules", short_help="The rules of a collection year.")
@_debug_option
@_year_option("The collection year whose rule set to list  [default: 2024-25]")
def list_rules(year: str | None) -> None:
    """List a collection year's DfE rules: each rule's year, how sure it is, whether checked."""
    collection = years.get(year) if year else years.default()
    done = implemented()
    table = Table(box=None, pad_edge=False)
    for name in ("Code", "Type", "Module", "Year", "Sureness", "Checked", "Message"):
        table.add_column(name, overflow="fold", no_wrap=name != "Message")
    rules = collection.rules
    for code, info in rules.items():
        table.add_row(code, info.severity, info.module, info.year, info.sureness,
                      "yes" if code in done else "no", Text(info.message))
    others = [held.label() for held in years.held().values() if held is not collection]
    yony_rules = terminal.yony_rules_table(catalogue.yony_rules())
    console = terminal.make_console()
    with exits.standard_output():
        console.print(Text(f"Rule set {collection.year}: {collection.title}, "
                           f"{collection.status} ({collection.status_note})", style="bold"))
        console.print(table)
        console.print(f"{len(done & rules.keys())} of {len(rules)} rules checked")
        if others:
            console.print(Text(f"Other collection years held: {', '.join(others)} "
                               "(cin-validate rules --year YEAR)", style="dim"))
        console.print()
        console.print(yony_rules)


def _nearest_code(text: str) -> str:
    """", did you mean 8670Q?" for 8670: a code's Q is easily forgotten, a digit mistyped."""
    codes = [*years.all_rules(), *catalogue.structural_rules(), *catalogue.yony_rules()]
    key = text.strip().upper()
    close = [code for code in codes if code.upper() == f"{key}Q" or f"{code.upper()}Q" == key]
    close = close or difflib.get_close_matches(key, codes, n=1, cutoff=0.75)
    return f"; did you mean {close[0]}?" if close else ""


def _checked_by(code: str) -> str:
    """Where a rule or notice is checked; the structural notices are the reader's own."""
    if code == engine.FIRST_NOTICE:
        return "cin_validate.engine, as it chooses the collection year from the header"
    if code in catalogue.structural_rules():
        return "the reader of the return as it reads the file (cin_validate.parse)"
    return where_checked(code) or "no check is registered"


def _dates_in(collection: years.Collection, info: catalogue.RuleInfo) -> list[tuple[str, str]]:
    """The rule texts give the dates of the year they were written for (2024-25); explained
    for another year, a row says what that year's are. No row when the text gives no date."""
    written = years.get(info.year)
    if collection is written or not DATE_TEXT.search(info.summary):
        return []
    period = CensusPeriod(collection.reference_date)
    return [(f"Dates in {collection.year}",
             f"Checks gives {written.year}'s dates (ReferenceDate "
             f"{written.reference_date.isoformat()}). In {collection.year} the ReferenceDate is "
             f"{period.end.isoformat()} and the census year {period.start.isoformat()} to "
             f"{period.end.isoformat()}: dates counted from them move with them, working days "
             f"are counted on that year's bank holidays, fixed dates (such as 2013-04-01) stay.")]


SURENESS = {
    catalogue.VERIFIED: "verified against the DfE's own rule text",
    "quoted": "quoted: the DfE condition survives word for word in public sources",
    "from the message": "from the message: only the DfE message survives; the condition is "
                        "read from it",
}


@main.command(short_help="One rule: what it checks, its years, its note.")
@click.argument("code", nargs=-1, required=True)
@_debug_option
@_year_option("Explain the rule as this collection year holds it  [default: any year]")
def explain(code: tuple[str, ...], year: str | None) -> None:
    """Show one rule: its message, what it checks, its years, its auto-OK note, its code."""
    text = " ".join(code).strip()
    collection = years.get(year) if year else None
    info = years.lookup(text.upper(), collection) or years.lookup(text, collection)
    if info is None:
        elsewhere = years.lookup(text.upper())
        if collection is not None and elsewhere is not None:
            _fail(f"rule {elsewhere.code} is not in the {collection.year} rule set; it is new in "
                  f"{elsewhere.year} (--year {elsewhere.year})", EXIT_INVALID)
        _fail(f"no rule {text!r} in the catalogue{_nearest_code(text)} (see `cin-validate rules`)",
              EXIT_INVALID)
    console = terminal.make_console()
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    rows = [("Rule", info.code), ("Type", info.severity), ("Module", info.module),
            ("Message", info.message), ("Checks", info.summary), ("One issue", info.instance),
            ("Fields", ", ".join(info.fields))]
    if info.is_dfe:
        holding = [held.label() for held in years.held().values() if info.code in held.rules]
        rows += [("Collection years", ", ".join(holding)),
                 ("Sureness", f"{SURENESS.get(info.sureness, info.sureness)} ({info.year})")]
        if collection is not None:
            rows.append(("Rule set", f"{collection.year}: {collection.status}, "
                                     f"{collection.status_note}"))
            rows += _dates_in(collection, info)
    if yony.is_year_on_year(info.code):
        rows.append(("Checked here", "yes, with --previous LAST.xml or --previous-counts "
                                     "LAST.json"))
        rows.append(("Threshold", f"a change of {info.threshold}% or more either way"))
    else:
        rows.append(("Checked by", _checked_by(info.code)))
    for name, value in rows:
        if value:
            grid.add_row(name, Text(value))
    with exits.standard_output():
        console.print(grid)
        if info.auto_ok_note:  # on one line, never wrapped: it is pasted into COLLECT as it is
            console.print(Text("Auto-OK note", style="bold"))
            console.print(Text(info.auto_ok_note), soft_wrap=True)


# The formats of `stats`, by the extension of its output file.
STATS_EXTENSIONS = {".json": "json", ".txt": "terminal"}
_STATS_EXTENSIONS_TEXT = ", ".join(f"{extension} ({name})"
                                   for extension, name in STATS_EXTENSIONS.items())


def _stats_format(output: str | None) -> str:
    """The format `stats` writes to `output`: its extension's, terminal text for standard
    output or a device; any other name is exit 2."""
    if output is None or is_special(output):
        return "terminal"
    extension = os.path.splitext(output)[1].lower()
    if extension not in STATS_EXTENSIONS:
        _fail(f"--output {output}: the extension does not say which format (use "
              f"{_STATS_EXTENSIONS_TEXT}, or give --format)", EXIT_INVALID)
    return STATS_EXTENSIONS[extension]


@main.command(short_help="The headline counts the year-on-year checks compare.")
@click.argument("file", type=_PATH)
@click.option("--format", "fmt", type=click.Choice(list(STATS_EXTENSIONS.values())),
              default=None, help="How to write the measures; json is what --previous-counts "
              "reads  [default: from --output's extension, else terminal]")
@click.option("--output", "-o", type=_FILE,
              help=f"Write to this file (atomically) instead of standard output; "
                   f"{_STATS_EXTENSIONS_TEXT} pick the format.")
@_debug_option
@_year_option("Read FILE as this collection year  [default: as the header names it]")
def stats(file: str, fmt: str | None, output: str | None, year: str | None) -> None:
    """Count FILE's headline measures: what the year-on-year checks YonY 01 to 07 compare.

    Keep `cin-validate stats RETURN.xml --format json -o counts.json` with each year's return:
    next year, `cin-validate NEXT.xml --previous-counts counts.json` runs the checks.
    """
    inputs = {file: "the return being counted"}
    if output:
        _check_outputs([(output, fmt)], inputs)
    fmt = fmt or _stats_format(output)
    measures = _measure(file, year=year or _configured_year(file))
    if fmt == "terminal" and not output:
        with exits.standard_output():
            terminal.render_stats(measures, terminal.make_console())
        return
    text = (json.dumps(measures.to_dict(), ensure_ascii=False, indent=2) + "\n" if fmt == "json"
            else terminal.render_stats_text(measures))
    if output:
        _write_file(output, lambda out: out.write(text.encode("utf-8")), inputs)
    else:
        with exits.standard_output():
            click.echo(text, nl=False)


if __name__ == "__main__":  # `python -m cin_validate.cli FILE` works too
    main(prog_name="cin-validate")
