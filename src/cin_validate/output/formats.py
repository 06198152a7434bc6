"""The output formats, each declared once, and drawing any of them into a stream.

Each format is its own module and draws only from the reports (`batch.FileResult`s). `REGISTRY`
declares each once: its name, the output-file extensions that pick it, how it is drawn, whether
it is binary, whether it names children and whether it shows values that identify a person.
Everything else is derived from it: `FORMATS` (what `--format` and the configuration file
accept), `EXTENSIONS`, and the reports without personal values that the CI formats draw.

A format is drawn as it is written, issue by issue, into a stream: a temporary file that
`output.files` renames into place, a device, or standard output. The terminal format printed
live to a console is the CLI's.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from typing import BinaryIO, Callable, Sequence

from ..privacy import without_personal_values
from . import concise, csvfmt, encoded, github, htmlfmt, jsonfmt, junit, terminal, xlsxfmt


@dataclass(frozen=True)
class Options:
    """What the command line asked of the report, for the formats that use it."""

    several: bool  # several files were given: JSON is a list, the terminal adds a summary
    fail_on: str
    details: bool = False
    quiet: bool = False
    redacted: bool = False


@dataclass(frozen=True)
class Format:
    name: str
    extensions: tuple[str, ...]  # of an output file, lower case: the first is the usual one
    # draw(out, results, options): `out` is a text stream (`Utf8`), or binary for a binary format
    draw: Callable[..., None]
    binary: bool = False  # bytes for a file (or a redirected standard output), not a terminal
    # Names the children with issues, by their IDs (by pseudonyms under --redact).
    child_ids: bool = True
    # May show UPNs and dates of birth as written (never under --redact); when not, it is drawn
    # from the reports without them (`privacy.without_personal_values`).
    personal_values: bool = True


REGISTRY = (
    # Names children, and shows values as written, only with --details.
    Format("terminal", (".txt",),
           lambda out, results, o: terminal.render_text(
               out, results, several=o.several, details=o.details, quiet=o.quiet,
               fail_on=o.fail_on, redacted=o.redacted),
           child_ids=False),
    Format("json", (".json",), lambda out, results, o: jsonfmt.render(out, results, o.several)),
    # CI logs are widely readable: only codes, messages, fields, child IDs and lines.
    Format("github", (), lambda out, results, o: github.render(out, results),
           personal_values=False),
    Format("junit", (".xml",), lambda out, results, o: junit.render(out, results, o.fail_on),
           personal_values=False),
    Format("csv", (".csv",), lambda out, results, o: csvfmt.render(out, results)),
    Format("xlsx", (".xlsx",), lambda out, results, o: xlsxfmt.render(out, results),
           binary=True),
    Format("html", (".html", ".htm"),
           lambda out, results, o: htmlfmt.render(out, results, fail_on=o.fail_on,
                                                  redacted=o.redacted)),
    # One line per issue for logs and grep; no extension picks it (give --format concise).
    Format("concise", (), lambda out, results, o: concise.render(out, results, o.fail_on),
           personal_values=False),
)
BY_NAME = {fmt.name: fmt for fmt in REGISTRY}
FORMATS = tuple(BY_NAME)
EXTENSIONS = {extension: fmt.name for fmt in REGISTRY for extension in fmt.extensions}


def for_output(path: str | None) -> str | None:
    """The format an output file's extension asks for, None when it says nothing we know."""
    if not path:
        return None
    return EXTENSIONS.get(os.path.splitext(path)[1].lower())


class Utf8:
    """A text stream writing UTF-8 into a binary one, in pieces of about 64 KB: what the text
    formats, Rich and the csv module write into."""

    _PIECE = 1 << 16

    def __init__(self, binary: BinaryIO):
        self._binary = binary
        self._pending: list[str] = []
        self._size = 0

    def write(self, text: str) -> int:
        self._pending.append(text)
        self._size += len(text)
        if self._size >= self._PIECE:
            self.flush()
        return len(text)

    def flush(self) -> None:
        self._binary.write(encoded("".join(self._pending)))
        self._pending, self._size = [], 0


def write(name: str, out: BinaryIO, results: Sequence, options: Options) -> None:
    """Draw `results` in the format `name` into the binary stream `out`, as it goes."""
    fmt = BY_NAME[name]
    if not fmt.personal_values:
        results = [_without_personal_values(result) for result in results]
    if fmt.binary:
        fmt.draw(out, results, options)
        return
    text = Utf8(out)
    fmt.draw(text, results, options)
    text.flush()


def _without_personal_values(result):
    if result.report is None:
        return result
    return dataclasses.replace(result, report=without_personal_values(result.report))
