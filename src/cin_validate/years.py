"""Collection years: which census a return belongs to, and everything that depends on it.

A *collection* is one year's census (../shared/spec/years.md): its header `<Year>`, its
ReferenceDate (rule 100's expected date and the fallback when the header's is not a date), its
rule set, its code sets, the groups its return may hold, its title and how sure its rules are.
Each is data: `rules/<year>/collection.toml` states the year's facts and only what differs from
the year it `extends`; `rules/<year>/*.toml` adds its new rules; `codesets/<year>/*.csv` adds or
replaces code sets. Every part of a run (catalogue, checks, parser, reports, stats, generator)
takes the collection from the run's context, never from a module constant.

Which collection a return is validated against (years.md), decided once by `choose`:
1. `--year` (or the configuration file's `year`); 2. the header's ReferenceDate, when it is a
valid date equal to a held year's; 3. the header's `<Year>`, when it is a held year's;
4. the default year, with notice S09 saying the header names no year the tool holds.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Mapping

from . import catalogue
from .catalogue import RuleInfo
from .codesets import year_codesets
from .data import data_path

DEFAULT_YEAR = "2024-25"  # the verified year: used when the header names no year we hold
STATUSES = ("verified", "provisional", "preview")

# How a collection was chosen (JSON `rule_set.chosen_by`).
BY_OPTION, BY_REFERENCE_DATE, BY_YEAR, BY_DEFAULT = "option", "reference_date", "year", "default"


@dataclass(frozen=True, eq=False)
class Collection:
    """One collection year, with everything it inherits already merged in."""

    year: str  # "2024-25"
    header_year: str  # "2025": the header's <Year>, the year the census ends
    reference_date: date
    title: str  # "children in need census 2024 to 2025"
    status: str  # "verified", "provisional" or "preview"
    status_note: str  # why it has that status, in a few words
    rules: Mapping[str, RuleInfo]  # the DfE rules of this year, by code, in catalogue order
    codesets: Mapping[str, Mapping[str, str]]  # name -> code -> description
    elements: frozenset[str] = frozenset()  # groups of the return that are new since 2024-25
    extends: str | None = None
    # name -> its codes, for the checks' membership tests (built once: checks use it per child)
    codes: Mapping[str, frozenset[str]] = field(default_factory=dict, repr=False)

    @property
    def is_verified(self) -> bool:
        return self.status == "verified"

    def codeset(self, name: str) -> Mapping[str, str]:
        """Code -> description for one code set of this year (`codesets/<year>/<name>.csv`)."""
        return self.codesets[name]

    def label(self) -> str:
        """How reports name it: "2025-26 (provisional)"."""
        return f"{self.year} ({self.status})"

    def to_dict(self) -> dict:
        """JSON `rule_set` (years.md); `chosen_by` is added by the report."""
        return {"year": self.year, "status": self.status,
                "reference_date": self.reference_date.isoformat(), "rules": len(self.rules),
                "title": self.title, "status_note": self.status_note,
                "header_year": self.header_year}


class UnknownYear(ValueError):
    pass


def _year_folders() -> list[str]:
    folder = data_path("rules")
    return sorted(path.name for path in folder.iterdir()
                  if (path / catalogue.COLLECTION_FILE).is_file())


def _load(year: str, loaded: dict[str, Collection]) -> Collection:
    facts = catalogue.read_toml(data_path("rules") / year / catalogue.COLLECTION_FILE)
    if facts.get("year") != year:
        raise RuntimeError(f"rules/{year}/collection.toml names year {facts.get('year')!r}")
    base = loaded[facts["extends"]] if "extends" in facts else None
    rules = dict(base.rules) if base else {}
    for info in catalogue.year_rules(year):
        rules[info.code] = info
    codesets = {name: dict(codes) for name, codes in (base.codesets if base else {}).items()}
    codesets.update(year_codesets(year))
    for name, labels in facts.get("codeset_labels", {}).items():
        unknown = set(labels) - set(codesets[name])
        if unknown:
            raise RuntimeError(f"rules/{year}/collection.toml relabels codes {sorted(unknown)} "
                               f"that code set {name} does not hold")
        codesets[name].update(labels)
    status = facts["status"]
    if status not in STATUSES:
        raise RuntimeError(f"rules/{year}/collection.toml: unknown status {status!r}")
    return Collection(
        year=year, header_year=str(facts["header_year"]), reference_date=facts["reference_date"],
        title=facts["title"], status=status, status_note=facts.get("status_note", ""),
        rules=rules, codesets=codesets,
        codes={name: frozenset(codes) for name, codes in codesets.items()},
        elements=(base.elements if base else frozenset()) | frozenset(facts.get("elements", ())),
        extends=facts.get("extends"))


@lru_cache(maxsize=1)
def held() -> dict[str, Collection]:
    """Every collection year the tool holds, oldest first (a year extends an older one)."""
    loaded: dict[str, Collection] = {}
    for year in _year_folders():
        loaded[year] = _load(year, loaded)
    return loaded


def get(year: str) -> Collection:
    """The collection of a year written "2025-26"; `UnknownYear` names the held ones."""
    found = held().get(year.strip())
    if found is None:
        close = difflib.get_close_matches(year.strip(), list(held()), n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise UnknownYear(f"no collection year {year!r}{hint}; cin-validate holds "
                          f"{', '.join(held())}")
    return found


def default() -> Collection:
    return held()[DEFAULT_YEAR]


def all_rules() -> dict[str, RuleInfo]:
    """Every DfE rule of every held year, by code; a rule is listed with the year that added it."""
    rules: dict[str, RuleInfo] = {}
    for collection in held().values():
        for code, info in collection.rules.items():
            rules.setdefault(code, info)
    return rules


def lookup(code: str, collection: Collection | None = None) -> RuleInfo | None:
    """A code's catalogue entry: a structural notice or YonY check, else a DfE rule of
    `collection` (of any held year when None)."""
    own = catalogue.lookup_own(code)
    if own is not None:
        return own
    return (collection.rules if collection is not None else all_rules()).get(code)


@dataclass(frozen=True)
class Choice:
    """The collection a return is validated against, and how it was chosen."""

    collection: Collection
    chosen_by: str  # BY_OPTION, BY_REFERENCE_DATE, BY_YEAR or BY_DEFAULT

    @property
    def is_default_fallback(self) -> bool:
        """The header named no year we hold: the report must say so first (notice S09)."""
        return self.chosen_by == BY_DEFAULT


def choose(header, year: str | None = None) -> Choice:
    """The collection for a return with this header (`model.Header` or None), as years.md says.

    `year` is `--year` (or the configuration file's), which always wins.
    """
    if year:
        return Choice(get(year), BY_OPTION)
    collections = held().values()
    if header is not None and header.reference_date is not None:
        for collection in collections:
            if collection.reference_date == header.reference_date:
                return Choice(collection, BY_REFERENCE_DATE)
    written = header.year.strip() if header is not None and header.year else None
    for collection in collections:
        if written is not None and collection.header_year == written:
            return Choice(collection, BY_YEAR)
    return Choice(default(), BY_DEFAULT)


def default_notice_text(header, choice: Choice) -> str:
    """What S09's detail says: what the header named, what was used, how to choose another."""
    written = []
    if header is not None and header.reference_date_text:
        written.append(f"ReferenceDate {header.reference_date_text}")
    if header is not None and header.year:
        written.append(f"Year {header.year}")
    named = " and ".join(written) if written else "no ReferenceDate and no Year"
    return (f"the header gives {named}, which is no collection year cin-validate holds "
            f"({', '.join(held())}); validated against {choice.collection.label()}; choose "
            f"another with --year")
