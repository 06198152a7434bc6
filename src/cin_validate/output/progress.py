"""A progress bar on stderr for large returns: only for a person watching a terminal.

Shown only when stderr is a terminal, a file is large (`LARGE_FILE` bytes or more), the
environment variable CI is not set and `--quiet` was not given; never in a pipe or a log.
"""

from __future__ import annotations

import mmap
import os
from contextlib import contextmanager
from typing import Iterator, Sequence

from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn,
                           SpinnerColumn, Task, TextColumn, TimeRemainingColumn)
from rich.text import Text

from .plain import visible

LARGE_FILE = 5 * 1024 * 1024


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def wanted(paths: Sequence[str], *, quiet: bool, console: Console | None = None) -> bool:
    if quiet or os.environ.get("CI"):
        return False
    console = console or Console(stderr=True)
    if not console.is_terminal or console.is_dumb_terminal:
        return False
    return any(_size(path) >= LARGE_FILE for path in paths)


def estimate_children(path: str) -> int | None:
    """About how many <Child> elements the file has (start and end tags both end in "Child>").

    A quick scan of the bytes, for the bar's length and time left; None when it cannot tell.
    """
    try:
        with open(path, "rb") as handle, mmap.mmap(handle.fileno(), 0,
                                                   access=mmap.ACCESS_READ) as data:
            count, position = 0, data.find(b"Child>")
            while position != -1:
                count += 1
                position = data.find(b"Child>", position + 6)
    except (OSError, ValueError):
        return None
    return count // 2 or None


class _Rate(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = task.speed
        return Text(f"{speed:,.0f}/s" if speed else "", style="progress.data.speed")


class Bar:
    """Children validated in this process (`child`), or files done by workers (`file_done`)."""

    def __init__(self, progress: Progress, paths: Sequence[str], per_child: bool):
        self.progress = progress
        self.per_child = per_child
        self.tasks: dict[str, int] = {}
        self.totals: dict[str, int | None] = {}
        if not per_child:
            self.files = progress.add_task("files", total=len(paths), children=0, unit="files")

    def child(self, path: str, count: int) -> None:
        task = self.tasks.get(path)
        if task is None:
            for other in self.tasks.values():
                self.progress.update(other, visible=False)
            self.totals[path] = estimate_children(path)
            task = self.tasks[path] = self.progress.add_task(
                visible(os.path.basename(path)), total=self.totals[path], unit="children")
        if count % 64 == 0 or count < 64:
            total = self.totals[path]
            if total is not None and count > total:
                self.totals[path] = count
                self.progress.update(task, total=count)
            self.progress.update(task, completed=count)

    def file_done(self, result) -> None:
        if self.per_child:
            task = self.tasks.get(result.path)
            if task is not None and result.report is not None:
                self.progress.update(task, completed=result.report.children,
                                     total=result.report.children)
            return
        self.progress.advance(self.files)
        self.progress.refresh()


@contextmanager
def bar(paths: Sequence[str], *, enabled: bool, per_child: bool) -> Iterator[Bar | None]:
    """A live bar when `enabled`: per child in this process, else per file done by workers.

    Workers are forked processes: the per-file bar refreshes on each file, with no thread.
    """
    if not enabled:
        yield None
        return
    # A file's name is shown as written, never read as markup.
    columns = [SpinnerColumn(), TextColumn("{task.description}", style="bold", markup=False),
               BarColumn(bar_width=24),
               MofNCompleteColumn(), TextColumn("{task.fields[unit]}"),
               *([_Rate()] if per_child else []),
               TimeRemainingColumn(), TextColumn("left")]
    progress = Progress(*columns, console=Console(stderr=True), transient=True,
                        auto_refresh=per_child)
    with progress:
        yield Bar(progress, paths, per_child)
