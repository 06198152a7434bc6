"""How a run ends. Every way out of the command line is one of the README's exit codes with at
most one line on standard error, never a traceback that CI would read as a verdict.

- `fail`: `cin-validate: error: ...`, one line whatever a path in it holds, and an exit code;
- `internal_error`: a bug, exit 3 in one line (the traceback first with --debug);
- `sigterm_raises` and `stopped_by`: SIGTERM stops a run as SIGINT does, with every cleanup
  (temporary files, worker processes), then 130 (SIGINT) or 143 (SIGTERM) in one line;
- `standard_output`: a reader closing the pipe (`| head`) ends the run quietly with 141, as
  SIGPIPE would; standard output that cannot be written (a full disk) is exit 2.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import traceback
from contextlib import contextmanager
from typing import NoReturn

import click

from .output.plain import visible
from .policy import EXIT_BROKEN_PIPE, EXIT_INTERNAL, EXIT_INVALID, EXIT_SIGNAL


class Terminated(BaseException):
    """SIGTERM, raised as Python raises KeyboardInterrupt for SIGINT: a BaseException, so
    that no `except Exception` takes it for a failure, and every cleanup runs."""


def replace_what_cannot_be_shown() -> None:
    """Text for people (the terminal report, error lines) on a stream whose encoding lacks a
    character (Windows writes redirected output in cp1252; a child ID may hold any letter)
    shows it as "?" rather than ending the run. Reports for programs are bytes, in UTF-8."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


def silent_when_out_of_memory() -> None:
    """Running out of memory is one line and exit 2 (the callers catch MemoryError). As it
    unwinds, finalizers (a generator being closed) may fail for want of memory too: Python
    would print each as "Exception ignored in ..." with a traceback. Those say nothing more."""
    report = sys.unraisablehook
    if getattr(report, "silent_when_out_of_memory", False):
        return  # already (a second command run in the same process)

    def hook(unraisable) -> None:
        if not isinstance(unraisable.exc_value, MemoryError):
            report(unraisable)

    hook.silent_when_out_of_memory = True
    sys.unraisablehook = hook


def error_line(message: str) -> None:
    """`cin-validate: error: ...` on standard error: one line, whatever a path in it holds."""
    click.echo(visible(f"cin-validate: error: {message}"), err=True)


def fail(message: str, code: int) -> NoReturn:
    error_line(message)
    sys.exit(code)


def internal_error(error: BaseException, *, debug: bool) -> NoReturn:
    """A bug in cin-validate: exit 3 in one line; with --debug, the traceback first."""
    if debug:
        traceback.print_exception(error)
    hint = "" if debug else " (run with --debug for the traceback; please report it)"
    fail(f"internal error: {type(error).__name__}: {error}{hint}", EXIT_INTERNAL)


@contextmanager
def sigterm_raises():
    """SIGTERM raises `Terminated` while a command runs (unless whoever started us ignores it,
    or this is not the main thread, where signals cannot be handled)."""
    if (threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL):
        yield
        return

    def terminated(_signum, _frame):
        raise Terminated()

    signal.signal(signal.SIGTERM, terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def stopped_by(signum: int) -> NoReturn:
    click.echo(f"cin-validate: interrupted ({signal.Signals(signum).name})", err=True)
    sys.exit(EXIT_SIGNAL + signum)


@contextmanager
def standard_output():
    """Around writing to standard output, given as a binary stream to write into (after any
    text already written to it): a closed pipe is 141, quietly; another failure 2."""
    try:
        sys.stdout.flush()
        yield sys.stdout.buffer
        sys.stdout.flush()
    except OSError as error:
        _let_go_of_standard_output()
        if isinstance(error, BrokenPipeError):
            sys.exit(EXIT_BROKEN_PIPE)
        fail(f"standard output: cannot write: {error.strerror or error}", EXIT_INVALID)


def _let_go_of_standard_output() -> None:
    """Point standard output at /dev/null, or Python's flush at exit fails again, noisily."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):  # not a real file (a test's capture): nothing is left to flush
        pass
