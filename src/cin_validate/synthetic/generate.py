"""Making a whole return: the header, each child as it is made (perhaps with a fault), the
footer, streamed one child at a time."""

from __future__ import annotations

from typing import BinaryIO, Iterator

from .. import years
from ..years import Collection
from .children import ChildMaker
from .faults import FaultMaker
from .writer import FOOTER, XmlWriter

DEFAULT_LA = "201"  # City of London: the header's <LEA> and the LA of most UPNs


def collection_of(year: str | Collection | None) -> Collection:
    """The collection of a year given as "2026-27", as a Collection, or None for the default."""
    if year is None:
        return years.default()
    if isinstance(year, Collection):
        return year
    return years.get(year)


def iter_return(children: int, seed: int = 0, year: str | Collection | None = None,
                la: str = DEFAULT_LA, problems: float = 0.0,
                faults: dict[str, str] | None = None) -> Iterator[bytes]:
    """Yield the return as UTF-8 chunks: the header, one chunk per child, the footer.

    ``faults``, when given, is filled with ``{LAchildID: fault name}`` for every child that was
    given a deliberate fault (``FAULTS[name]`` is the rule it should trigger).
    """
    if children < 0:
        raise ValueError("children must be >= 0")
    if not 0.0 <= problems <= 1.0:
        raise ValueError("problems must be between 0.0 and 1.0")
    collection = collection_of(year)
    if la not in collection.codeset("la-codes"):
        raise ValueError(f"{la!r} is not an LA code of {collection.year} (code set la-codes)")
    maker = ChildMaker(collection, seed, la, children)
    writer = XmlWriter(maker.timeline)
    faulter = FaultMaker(maker, collection, seed, problems) if problems > 0.0 else None
    yield writer.header(collection, la, serial_no=abs(seed) % 1_000_000).encode("utf-8")
    for index in range(children):
        child = maker.child(index)
        if faulter is not None:
            fault = faulter.perhaps_damage(child)
            if fault is not None and faults is not None:
                faults[child.la_child_id] = fault
        yield writer.child(child).encode("utf-8")
    yield FOOTER.encode("utf-8")


def write_return(out: BinaryIO, children: int, seed: int = 0,
                 year: str | Collection | None = None, la: str = DEFAULT_LA,
                 problems: float = 0.0) -> None:
    """Write a complete synthetic return to the binary file object ``out``, one ``out.write``
    per child."""
    write = out.write
    for chunk in iter_return(children, seed, year, la, problems):
        write(chunk)

