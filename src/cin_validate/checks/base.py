"""What a check receives and what it returns.

A child check is a plain function `check(child, ctx) -> Iterable[Finding]`, run on each child as
it streams. A return check is a small class that sees every child (`observe`) and reports at the
end (`finish`); it keeps only the few facts it needs, never whole children. A check says *what*
it found and *where* (a `Finding` with its `Place`s); the code, severity and message come from
the catalogue in `rules/`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable, Iterable, Iterator, Mapping, Protocol, Sequence

from ..dates import CensusPeriod
from ..model import Child, ChildRef, Header, pickled_by_fields
from ..years import Collection


@dataclass(frozen=True, slots=True)
class Context:
    """Facts about the whole return that every check may use."""

    header: Header
    period: CensusPeriod
    collection: Collection  # the year validated against: its rules, code sets and dates
    codes: Mapping[str, frozenset[str]]  # its code sets by name: `ctx.codes["sex"]`

    @property
    def reference_date(self) -> date:
        """The effective ReferenceDate: the header's when valid, else the collection's."""
        return self.period.reference_date


def context_for(header: Header | None, collection: Collection) -> Context:
    """The context of a return: the census period ends on the header's ReferenceDate when it is
    a valid date (a wrong one is used too, and rule 100 reports it), else on the collection's
    (rules README, "ReferenceDate")."""
    header = header or Header()
    reference_date = header.reference_date or collection.reference_date
    return Context(header=header, period=CensusPeriod(reference_date), collection=collection,
                   codes=collection.codes)


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Place:
    """One element an issue points at: where it is, and what the file said there."""

    path: str  # the group inside the child, e.g. "CINdetails[1]/Assessments[2]"; "" is the child
    field: str  # the element's name; it may be absent from the file, to show what is missing
    value: str | None  # the trimmed text as written, None when absent or empty
    line: int | None  # the element's line, else the line of its group


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Others:
    """The other children an issue names ("also C2, C3 and 4 more"), kept as data rather than
    as words, so that `--redact` gives each its pseudonym (`privacy`)."""

    children: tuple[ChildRef, ...]  # the first few, named
    more: int = 0  # how many others there are beyond them
    by_position: bool = False  # named Child[n] even with an ID (8510: the ID they all share)


@dataclass(frozen=True, slots=True)
class Finding:
    """What a check found: the places to point at, and optionally which child and a detail."""

    places: tuple[Place, ...]
    child: ChildRef | None = None  # set by return checks only; child checks get it from the engine
    # Context beside the official message, e.g. "3 of 100 (3.0%)": never a child's ID (name
    # other children with `others`); a detail about a personal value is left out by --redact.
    detail: str | None = None
    others: Others | None = None  # other children it concerns (duplicates: 1520, 8510)


def at(node, *fields: str) -> tuple[Place, ...]:
    """Places for `fields` of a model node (Child, Episode, Assessment, ...), quoting the file.

    Concatenate to point at several nodes: `Finding(at(episode, "CINclosureDate") + at(a, ...))`.
    """
    places = []
    for name in fields:
        source = node.source.get(name)
        if source is not None:
            text, line = source
            places.append(Place(node.path, name, text, line or node.line))
        else:
            places.append(Place(node.path, name, None, node.line))
    return tuple(places)


def at_each(nodes: Iterable, *fields: str) -> tuple[Place, ...]:
    """`at` for several nodes in turn, e.g. the absent end date of every open plan of an episode."""
    return tuple(place for node in nodes for place in at(node, *fields))


def found(node, *fields: str, detail: str | None = None) -> Finding:
    """The common case: one finding pointing at fields of one node."""
    return Finding(at(node, *fields), detail=detail)


# How many others one issue names, and how many issues one item gets from a rule that reports
# pairs: k items that all clash must give k lines of output, never k * k (issue 16). Returns
# with up to this many clashing items per child are reported in full.
OTHERS_SHOWN = 5


def and_more(more: int, what: str = "") -> str | None:
    """"and K more WHAT": what a list cut to OTHERS_SHOWN leaves out; None when nothing is."""
    if more <= 0:
        return None
    return f"and {more} more {what}" if what else f"and {more} more"


def first_few(items: Sequence, what: str) -> tuple[Sequence, str | None]:
    """The first OTHERS_SHOWN of `items` to name, and "and K more WHAT" for the rest (a detail)."""
    shown = items[:OTHERS_SHOWN]
    return shown, and_more(len(items) - len(shown), what)


def one_per_pair(first: tuple[Place, ...], others: Sequence[tuple[Place, ...]],
                 more: str | None) -> Iterator[Finding]:
    """A rule counted per ordered pair: one finding for `first` with each of `others` in turn,
    the last one saying what was left out (`more`, from `and_more`)."""
    for number, places in enumerate(others, start=1):
        yield Finding(first + places, detail=more if number == len(others) else None)


ChildCheck = Callable[[Child, Context], Iterable[Finding]]


class ReturnCheck(Protocol):
    """A check over the whole return; one instance per validation run."""

    def __init__(self, ctx: Context) -> None: ...

    def observe(self, child: Child) -> None: ...

    def finish(self) -> Iterable[Finding]: ...
