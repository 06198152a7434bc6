"""The rule catalogue: metadata of every rule, read from the TOML files in `rules/`.

The code of a rule lives in `checks/`; what it is called, its severity, its official message,
the fields it points at and its auto-OK note live here, as data.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import lru_cache

from .data import data_path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

DFE_RULE_FILES = ("group1-identifiers.toml", "group2-cin-details.toml",
                  "group3-assessments-cin-plans.toml", "group4-s47-cpp.toml")
STRUCTURAL_FILE = "structural.toml"
YONY_FILE = "yony.toml"  # the year-on-year checks of guide section 1.10, not among the 109 rules


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

    @property
    def is_dfe(self) -> bool:
        return self.severity in ("error", "query")


def _read(filename: str) -> list[RuleInfo]:
    with open(data_path("rules") / filename, "rb") as handle:
        entries = tomllib.load(handle).get("rule", [])
    group = filename.removesuffix(".toml")
    return [RuleInfo(code=e["code"], severity=e["severity"], module=e.get("module", ""),
                     message=e["message"], fields=tuple(e.get("fields", ())),
                     instance=e.get("instance", ""), summary=e.get("summary", ""),
                     auto_ok_note=e.get("auto_ok_note"), group=group,
                     threshold=e.get("threshold")) for e in entries]


@lru_cache(maxsize=1)
def dfe_rules() -> dict[str, RuleInfo]:
    """The DfE's validation rules for 2024-25, by code, in catalogue order."""
    rules: dict[str, RuleInfo] = {}
    for filename in DFE_RULE_FILES:
        path = data_path("rules") / filename
        if path.exists():
            for info in _read(filename):
                rules[info.code] = info
    return rules


@lru_cache(maxsize=1)
def structural_rules() -> dict[str, RuleInfo]:
    """cin-validate's own codes for structural problems (S01...), never confused with the DfE's."""
    return {info.code: info for info in _read(STRUCTURAL_FILE)}


@lru_cache(maxsize=1)
def yony_rules() -> dict[str, RuleInfo]:
    """The year-on-year checks YonY 01..07 (guide section 1.10), by code, in guide order."""
    return {info.code: info for info in _read(YONY_FILE)}


_YONY_CODE = re.compile(r"\s*yony\s*[-_]?\s*0*([1-9][0-9]?)\s*", re.IGNORECASE)


def yony_code(text: str) -> str | None:
    """The guide's spelling of a year-on-year code: "YONY03", "yony 3" -> "YonY 03"."""
    match = _YONY_CODE.fullmatch(text)
    return f"YonY {int(match[1]):02d}" if match else None


def lookup(code: str) -> RuleInfo | None:
    yony = yony_code(code)
    if yony is not None:
        return yony_rules().get(yony)
    return dfe_rules().get(code) or structural_rules().get(code)
