"""The JSON report: the public contract CI jobs parse (see README, "JSON output").

Written issue by issue, in flat memory, with the very bytes of
`json.dumps(report.to_dict(), ensure_ascii=False, indent=2)` (a list of such objects for several
files): the report's object is written key by key, each value with `json.dumps` as it would
sit at its depth of nesting, and its issues one at a time where the list goes.
"""

from __future__ import annotations

import json
from typing import Iterable, Iterator, Sequence, TextIO

from ..issuelog import Issues

_INDENT = "  "
_ENCODER = json.JSONEncoder(ensure_ascii=False, indent=2)  # what json.dumps would make each time


def render(out: TextIO, results: Sequence, several: bool) -> None:
    """One file's object, or a list with one object per file, in the order given."""
    chunks = (_array((file_dict(result) for result in results), 0, _object) if several
              else _object(file_dict(results[0]), 0))
    for chunk in chunks:
        out.write(chunk)
    out.write("\n")


def file_dict(result) -> dict:
    """One file's object: its report's usual object plus "verdict"; or why it was not read.
    The report's issues are left in place, to be written one at a time."""
    if result.report is not None:
        return {**result.report.to_dict(issues=result.report.issues), "verdict": result.verdict}
    return {"file": result.path, "verdict": result.verdict, "error": result.error,
            "error_line": result.line}


def _dumps(value, level: int) -> str:
    """`value` as `json.dumps(..., indent=2)` writes it `level` deep in a larger document (a
    string never holds a raw newline: JSON escapes it)."""
    return _ENCODER.encode(value).replace("\n", "\n" + _INDENT * level)


def _object(value: dict, level: int) -> Iterator[str]:
    """An object whose `Issues` values are written one issue at a time."""
    inside = "\n" + _INDENT * (level + 1)
    separator = "{"
    for key, item in value.items():
        yield f"{separator}{inside}{_dumps(key, 0)}: "
        if isinstance(item, Issues):
            yield from _array(item, level + 1, _issue)
        else:
            yield _dumps(item, level + 1)
        separator = ","
    yield "{}" if separator == "{" else "\n" + _INDENT * level + "}"


def _issue(issue, level: int) -> Iterator[str]:
    yield _dumps(issue.to_dict(), level)


def _array(items: Iterable, level: int, encode) -> Iterator[str]:
    """A list, each item written by `encode(item, level)` as it comes."""
    inside = "\n" + _INDENT * (level + 1)
    separator = "["
    for item in items:
        yield separator + inside
        yield from encode(item, level + 1)
        separator = ","
    yield "[]" if separator == "[" else "\n" + _INDENT * level + "]"
