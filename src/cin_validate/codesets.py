"""Reading the code sets of guide appendix B and the LA codes of appendix C from `codesets/`.

Each collection year has a folder (`codesets/2024-25/`); a later year's folder holds only the
code sets it adds or replaces, and its `rules/<year>/collection.toml` the descriptions it changes.
Which code sets a run uses is `years.Collection.codeset(name)`, never a module constant.
"""

from __future__ import annotations

import csv

from .data import data_path


def year_codesets(year: str) -> dict[str, dict[str, str]]:
    """name -> (code -> description) for every `codesets/<year>/<name>.csv`, codes trimmed."""
    folder = data_path("codesets") / year
    found: dict[str, dict[str, str]] = {}
    for path in sorted(folder.glob("*.csv")) if folder.is_dir() else ():
        with open(path, newline="", encoding="utf-8-sig") as handle:
            found[path.stem] = {row["code"].strip(): row.get("description") or ""
                                for row in csv.DictReader(handle)}
    return found
