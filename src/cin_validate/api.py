"""The Python API, for notebooks and scripts: `cin_validate.validate(path) -> Report`.

It is what the command line validates one file with (`cli`), not a second way to validate:

    import cin_validate, pandas
    report = cin_validate.validate("return.xml", previous="last-year.xml")
    issues = pandas.DataFrame(report.to_records())

Raises `parse.ReturnError` (`cin_validate.ReturnError`: `.path`, `.line`, `.message`) when the
return, or last year's, cannot be validated; `ValueError` for a year or a rule pattern it does
not know, or a previous return that is not of an earlier year (`years.UnknownYear`,
`selection.SelectionError`, `yony.PreviousNotEarlier`); `yony.CountsError` for last year's
figures that are not a stats JSON.
"""

from __future__ import annotations

import os
from typing import Callable, Iterable

from . import years, yony
from .engine import validate_file
from .report import Report
from .selection import resolve

Patterns = str | Iterable[str]


def validate(path: str | os.PathLike, *, year: str | None = None, select: Patterns = (),
             ignore: Patterns = (), previous: str | os.PathLike | yony.Measures | None = None,
             on_child: Callable[[int], None] | None = None) -> Report:
    """Validate one return and give its report.

    - `year`: the collection year to validate against ("2025-26"), as `--year`; by default the
      one the return's header names.
    - `select`, `ignore`: rule codes or prefixes, as `--select` and `--ignore` take them
      ("8670Q,8675Q" or ["85", "1510"]).
    - `previous`: last year's return (a path), the JSON its `cin-validate stats --format json`
      wrote (a path ending .json), or its `yony.Measures`: adds the year-on-year checks.
    - `on_child(n)`: called as each child is validated (a progress bar).
    """
    if year is not None:
        years.get(year)  # an unknown year is a ValueError now, not part way through the file
    selection = resolve(_patterns(select), _patterns(ignore))
    return validate_file(path, year=year, selection=selection, on_child=on_child,
                         previous=_measures(previous))


def _patterns(patterns: Patterns) -> list[str]:
    return [patterns] if isinstance(patterns, str) else list(patterns)


def _measures(previous) -> yony.Measures | None:
    if previous is None or isinstance(previous, yony.Measures):
        return previous
    if os.fspath(previous).lower().endswith(".json"):
        return yony.load_counts(previous)
    return yony.measure_file(previous)
