"""`--select` and `--ignore`: which rules run, as ruff does it, by codes and families.

A pattern is a rule code (`8670Q`) or the start of codes (`85` is every code from 8500 to
8599Q, `S0` every structural notice), case-insensitive, spaces ignored (`yony01` = `YonY 01`).
With `--select`, only the DfE rules it matches run (all of them without it); `--ignore` then
takes rules away. Structural notices (S01...) are not rules and always show, unless `--ignore`
names them. A pattern that matches no code at all is a mistake on the command line (exit 2),
and so is a selection that leaves no DfE rule to check (`--select S01`): it would check
nothing and pass.
"""

from __future__ import annotations

from typing import Iterable, Sequence

from . import catalogue, years


class SelectionError(ValueError):
    pass


class NothingSelected(SelectionError):
    """The selection holds no rule of the collection year a return is validated against."""


class Selection:
    """Which DfE rules run and which structural notices show: all by default.

    `resolve` builds one from `--select` / `--ignore` patterns.
    """

    def __init__(self, codes: Iterable[str] | None = None):
        self.codes = frozenset(codes) if codes is not None else None

    def __contains__(self, code: str) -> bool:
        return self.codes is None or code in self.codes


def split_patterns(values: Iterable[str] | str | None) -> list[str]:
    """`["8670Q,8675Q", "85"]` -> `["8670Q", "8675Q", "85"]`; also a single string."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    return [part.strip() for value in values for part in str(value).split(",") if part.strip()]


def _key(text: str) -> str:
    return "".join(text.split()).upper()


def all_codes() -> list[str]:
    """Every code a pattern may name: the DfE rules of every year held, the structural codes,
    the YonY checks."""
    return [*years.all_rules(), *catalogue.structural_rules(), *catalogue.yony_rules()]


def matching(pattern: str, codes: Iterable[str]) -> list[str]:
    key = _key(pattern)
    return [code for code in codes if _key(code).startswith(key)]


def resolve(select: Sequence[str] = (), ignore: Sequence[str] = ()) -> Selection:
    """The engine's `Selection` for these patterns (`Selection()`, everything, when none)."""
    select, ignore = split_patterns(select), split_patterns(ignore)
    if not select and not ignore:
        return Selection()
    codes = all_codes()
    for option, patterns in (("--select", select), ("--ignore", ignore)):
        for pattern in patterns:
            if not matching(pattern, codes):
                raise SelectionError(f"{option} {pattern}: no rule code starts with "
                                     f"{pattern!r} (see `cin-validate rules`)")
    structural = set(catalogue.structural_rules())
    if select:
        chosen = {code for pattern in select for code in matching(pattern, codes)}
        chosen |= structural  # notices always show unless ignored
    else:
        chosen = set(codes)
    for pattern in ignore:
        chosen -= set(matching(pattern, codes))
    if not chosen & years.all_rules().keys():
        given = " ".join([*(f"--select {p}" for p in select), *(f"--ignore {p}" for p in ignore)])
        raise SelectionError(f"{given} leaves no DfE rule to check (structural notices and YonY "
                             "checks are not DfE rules; see `cin-validate rules`)")
    return Selection(chosen)
