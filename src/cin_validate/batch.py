"""Validate several returns: expand folders, run them in parallel, keep going past bad files.

Each file gives a `FileResult`: its report, or the one-line reason it could not be validated.
With more than one file and `jobs` > 1 the files are validated in worker processes
(`concurrent.futures.ProcessPoolExecutor`); with one file or `jobs=1` in this process. An
interrupted run (SIGINT, SIGTERM) stops its workers at once: none outlives it.
"""

from __future__ import annotations

import os
import signal
import tempfile
import time
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from . import policy
from .engine import CheckFailed, validate_file
from .selection import NothingSelected, Selection
from .parse import ReturnError
from .report import Report

_INTERRUPTS = {signal.SIGINT, signal.SIGTERM}


@dataclass
class FileResult:
    path: str
    report: Report | None = None
    error: str | None = None  # one line: why the file could not be validated
    line: int | None = None  # where in the file it could not be read, when known
    internal: bool = False  # the error is a bug in cin-validate, not in the file
    trace: str | None = None  # the traceback of an internal error (shown with --debug)
    verdict: str = ""  # set by `judge`: policy.PASS, FAIL, UNREADABLE or INTERNAL
    seconds: float = 0.0  # wall time spent validating it

    @classmethod
    def unreadable(cls, path: str, error: ReturnError) -> FileResult:
        """A file that could not be read: why, and where in it."""
        return cls(path, error=error.one_line(), line=error.line)


class FolderUnreadable(OSError):
    """A folder given cannot be listed (no permission): a command-line mistake, exit 2."""


def expand(paths: Sequence[str]) -> list[str]:
    """Files as given, and each folder's `*.xml` files (not its subfolders), sorted; no repeats.

    A path that does not exist is kept: it is reported as unreadable with the others. A folder
    that cannot be listed raises `FolderUnreadable`.
    """
    files: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            try:
                found = sorted(str(p) for p in Path(path).iterdir()
                               if p.suffix.lower() == ".xml" and p.is_file())
            except OSError as error:
                raise FolderUnreadable(f"{path}: the folder cannot be read: "
                                       f"{error.strerror or error}") from None
            files.extend(found)
        else:
            files.append(path)
    seen: set[str] = set()
    unique = []
    for path in files:
        key = os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def validate_one(path: str, selection: Selection | None = None,
                 on_child: Callable[[int], None] | None = None,
                 year: str | None = None) -> FileResult:
    """Validate one file; every failure becomes a `FileResult` with its reason."""
    start = time.perf_counter()
    result = _validate_one(path, selection, on_child, year)
    result.seconds = time.perf_counter() - start
    return result


def temporary_data_failed(path: str, error: OSError) -> str:
    """The line for a return whose temporary data (the issue log past 5,000 issues, the
    duplicate index of 1520 and 8510) could not be written: the machine's failure, exit 2."""
    return (f"{path}: cannot be validated here: temporary data could not be written "
            f"({error.strerror or error}); free space in {tempfile.gettempdir()} or set TMPDIR")


def _validate_one(path: str, selection: Selection | None,
                  on_child: Callable[[int], None] | None, year: str | None) -> FileResult:
    try:
        return FileResult(path, validate_file(path, year=year, selection=selection,
                                              on_child=on_child))
    except NothingSelected as error:
        return FileResult(path, error=str(error))
    except ReturnError as error:
        return FileResult.unreadable(path, error)
    except CheckFailed as error:
        trace = "".join(traceback.format_exception(error.__cause__ or error))
        return FileResult(path, error=f"{path}: {error}", internal=True, trace=trace)
    except MemoryError:
        return FileResult(path, error=f"{path}: too large to validate in the memory available")
    except OSError as error:
        return FileResult(path, error=temporary_data_failed(path, error))
    except Exception as error:  # a bug: keep the other files going, exit 3 at the end
        trace = "".join(traceback.format_exception(error))
        return FileResult(path, error=f"{path}: internal error: {type(error).__name__}: {error}",
                          internal=True, trace=trace)


def _worker(path: str, selection: Selection | None, year: str | None) -> FileResult:
    return validate_one(path, selection, year=year)


def _worker_started() -> None:
    """Interrupts are the main process's to handle: it stops the workers itself. Ctrl-C
    reaches every process of the terminal's group, and would end a worker with a traceback;
    a worker inherits the main process's SIGTERM handler, which only it should run."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _INTERRUPTS)  # held by `_interrupts_held`


@contextmanager
def _interrupts_held():
    """Hold SIGINT and SIGTERM while workers start: a worker inherits the mask, so that no
    interrupt reaches it before `_worker_started` runs. Held ones arrive when released."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows has no signal masks
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _INTERRUPTS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Cancel the files not started and end the workers busy with the others, now.

    The executor has no public way to end busy workers (before Python 3.14), hence
    `_processes`; left alone, its shutdown would wait for every file to be validated.
    """
    workers = list((pool._processes or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for worker in workers:
        worker.terminate()
    for worker in workers:
        worker.join()


def validate_all(paths: Sequence[str], *, selection: Selection | None = None,
                 year: str | None = None, jobs: int = 1,
                 on_child: Callable[[str, int], None] | None = None,
                 on_done: Callable[[FileResult], None] | None = None) -> list[FileResult]:
    """Validate every file; results in the order given.

    `on_child(path, n)` is called as children stream, only in this process (`jobs=1`);
    `on_done(result)` as each file is finished, in any order.
    """
    results: list[FileResult] = []
    jobs = max(1, min(jobs, len(paths)))
    if jobs == 1:
        for path in paths:
            callback = (lambda n, path=path: on_child(path, n)) if on_child else None
            result = validate_one(path, selection, callback, year)
            if on_done:
                on_done(result)
            results.append(result)
        return results
    done: dict[str, FileResult] = {}
    with ProcessPoolExecutor(max_workers=jobs, initializer=_worker_started) as pool:
        try:
            with _interrupts_held():  # the workers start as the files are submitted
                futures = {pool.submit(_worker, path, selection, year): path for path in paths}
            for future in as_completed(futures):
                path = futures[future]
                try:
                    result = future.result()
                except Exception as error:  # the worker died (killed, out of memory)
                    result = FileResult(path, error=f"{path}: the worker validating it "
                                        f"failed: {type(error).__name__}: {error}",
                                        internal=True)
                if on_done:
                    on_done(result)
                done[path] = result
        except BaseException:  # interrupted: KeyboardInterrupt, or SIGTERM as the CLI raises it
            _stop_workers(pool)
            raise
    return [done[path] for path in paths]


def judge(results: Sequence[FileResult], fail_on: str) -> list[FileResult]:
    """Set each result's verdict under the exit policy; returns the same results."""
    for result in results:
        result.verdict = policy.verdict(result.report, fail_on, internal=result.internal)
    return list(results)


def exit_code(results: Sequence[FileResult]) -> int:
    return policy.exit_code(result.verdict for result in results)

