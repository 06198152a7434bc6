"""Which formats exist, which file extension picks which, and drawing any of them to bytes.

Each format is its own module and draws only from the reports (`batch.FileResult`s): this is
the one switch between them. The terminal format printed live to a console is the CLI's.
"""

from __future__ import annotations

import os
from typing import Sequence

from . import csvfmt, github, htmlfmt, jsonfmt, junit, terminal, xlsxfmt

FORMATS = ("terminal", "json", "github", "junit", "csv", "xlsx", "html")
EXTENSIONS = {".json": "json", ".xml": "junit", ".csv": "csv", ".xlsx": "xlsx", ".html": "html",
              ".htm": "html", ".txt": "terminal"}


def for_output(path: str | None) -> str | None:
    """The format an output file's extension asks for, None when it says nothing we know."""
    if not path:
        return None
    return EXTENSIONS.get(os.path.splitext(path)[1].lower())


def render(fmt: str, results: Sequence, *, several: bool, fail_on: str, details: bool = False,
           quiet: bool = False, redacted: bool = False) -> bytes:
    """The whole output of `fmt` for these results, as the bytes to write."""
    if fmt == "json":
        text = (jsonfmt.render_many(results) if several else jsonfmt.render(results[0].report))
    elif fmt == "github":
        text = github.render(results)
    elif fmt == "junit":
        text = junit.render(results)
    elif fmt == "csv":
        return csvfmt.render(results)
    elif fmt == "xlsx":
        return xlsxfmt.render(results)
    elif fmt == "html":
        text = htmlfmt.render(results, fail_on=fail_on, redacted=redacted)
    elif fmt == "terminal":
        text = (terminal.render_many_text(results, details=details, quiet=quiet, fail_on=fail_on)
                if several else terminal.render_text(results[0].report, details=details,
                                                     fail_on=fail_on, quiet=quiet))
    else:  # pragma: no cover - click checks the choice
        raise ValueError(f"unknown format {fmt!r}")
    return text.encode("utf-8")
