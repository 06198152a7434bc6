"""The rule catalogue: metadata of every rule, read from the TOML files in `rules/`.

The code of a rule lives in `checks/`; what it is called, its severity, its official message,
the fields it points at and its auto-OK note live here, as data. Which rules a collection year
holds is `years.Collection.rules`: each year's folder (`rules/2024-25/`, ...) adds its own rule
files to the year it extends. Beside them: our structural notices and the year-on-year checks,
which are the same in every year.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .data import data_path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

STRUCTURAL_FILE = "structural.toml"
YONY_FILE = "yony.toml"  # the year-on-year checks of guide section 1.10, not DfE validation rules
COLLECTION_FILE = "collection.toml"  # a year folder's own facts (years.py), not a rule file

# How sure a rule's condition is. The 2024-25 rules were checked against the DfE's own text; a
# later year's new rules say how much of the DfE wording survives (rules/2026-27-module5.md).
VERIFIED = "verified"


@dataclass(frozen=True)
class RuleInfo:
    code: str
    severity: str  # "error", "query" or (structural codes of our own) "notice"
    module: str
    message: str
    fields: tuple[str, ...] = ()
    instance: str = ""
    summary: str = ""
    auto_ok_note: str | None = None
    group: str = ""  # the catalogue file it comes from
    threshold: int | None = None  # year-on-year checks: the percentage change that fires
    year: str = ""  # the collection year that introduced a DfE rule ("2024-25")
    sureness: str = VERIFIED  # VERIFIED, "quoted" or "from the message"

    @property
    def is_dfe(self) -> bool:
        return self.severity in ("error", "query")


def read_toml(path: Path) -> dict:
    with open(path, "rb") as handle:
        return tomllib.load(handle)


def _read(path: Path, year: str = "") -> list[RuleInfo]:
    entries = read_toml(path).get("rule", [])
    group = path.name.removesuffix(".toml")
    return [RuleInfo(code=e["code"], severity=e["severity"], module=e.get("module", ""),
                     message=e["message"], fields=tuple(e.get("fields", ())),
                     instance=e.get("instance", ""), summary=e.get("summary", ""),
                     auto_ok_note=e.get("auto_ok_note"), group=group,
                     threshold=e.get("threshold"), year=year,
                     sureness=e.get("sureness", VERIFIED)) for e in entries]


def year_rules(year: str) -> list[RuleInfo]:
    """The DfE rules a year's folder adds (`rules/<year>/*.toml`), in file order then file name
    order; `collection.toml` holds the year's facts, not rules."""
    folder = data_path("rules") / year
    return [info for path in sorted(folder.glob("*.toml")) if path.name != COLLECTION_FILE
            for info in _read(path, year)]


@lru_cache(maxsize=1)
def structural_rules() -> dict[str, RuleInfo]:
    """cin-validate's own codes for structural problems (S01...), never confused with the DfE's."""
    return {info.code: info for info in _read(data_path("rules") / STRUCTURAL_FILE)}


@lru_cache(maxsize=1)
def yony_rules() -> dict[str, RuleInfo]:
    """The year-on-year checks YonY 01..07 (guide section 1.10), by code, in guide order."""
    return {info.code: info for info in _read(data_path("rules") / YONY_FILE)}


_YONY_CODE = re.compile(r"\s*yony\s*[-_]?\s*0*([1-9][0-9]?)\s*", re.IGNORECASE)


def yony_code(text: str) -> str | None:
    """The guide's spelling of a year-on-year code: "YONY03", "yony 3" -> "YonY 03"."""
    match = _YONY_CODE.fullmatch(text)
    return f"YonY {int(match[1]):02d}" if match else None


def lookup_own(code: str) -> RuleInfo | None:
    """A structural notice or a year-on-year check: the codes that are the same every year."""
    yony = yony_code(code)
    if yony is not None:
        return yony_rules().get(yony)
    return structural_rules().get(code)
