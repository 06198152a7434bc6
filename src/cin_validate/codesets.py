"""The code sets of guide appendix B and the LA codes of appendix C, read once from `codesets/`."""

from __future__ import annotations

import csv
from functools import lru_cache

from .data import data_path


@lru_cache(maxsize=None)
def codeset(name: str) -> dict[str, str]:
    """Code -> description for `codesets/<name>.csv`, in file order."""
    with open(data_path("codesets") / f"{name}.csv", newline="", encoding="utf-8-sig") as handle:
        return {row["code"].strip(): row.get("description", "") for row in csv.DictReader(handle)}


def codes(name: str) -> frozenset[str]:
    """Just the codes of a code set, for membership tests."""
    return frozenset(codeset(name))
