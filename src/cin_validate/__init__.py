"""cin-validate: offline validator for the English children in need (CIN) census return.

The path from a file to a verdict reads in this order:
parse (secure, streaming lxml) -> model (typed dataclasses) -> engine (registry of checks)
-> checks (one module per part of the return) -> report (one object, many renderings).

For notebooks and scripts (README, "Python API"):

    import cin_validate
    report = cin_validate.validate("return.xml", previous="last-year.xml")
    records = report.to_records()  # flat dicts, one per issue: pandas.DataFrame(records)

Importing the package loads only these names; the validator and its libraries load on first use.
"""

from __future__ import annotations

import importlib

from .version import __version__

# Public name -> the module that defines it, imported when the name is first used.
_PUBLIC = {"validate": "api", "Report": "report", "ReturnError": "parse"}
__all__ = ["__version__", *_PUBLIC]


def __getattr__(name: str):
    if name not in _PUBLIC:
        raise AttributeError(f"module 'cin_validate' has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_PUBLIC[name]}", __name__), name)


def __dir__() -> list[str]:
    return sorted([*globals(), *_PUBLIC])
