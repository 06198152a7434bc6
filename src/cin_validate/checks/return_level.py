"""Return-level checks over all children: duplicates and percentages (group 1).

Each keeps only small facts while the children stream past: for the duplicate rules the value
with the child's reference and place (in memory, or in a temporary table on disk for a return
larger than any real one), for the percentages a few counters.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from contextlib import contextmanager
from functools import lru_cache
from operator import itemgetter
from typing import Iterable, Iterator

from ..model import Child, ChildRef
from .base import OTHERS_SHOWN, Context, Finding, Others, Place
from .characteristics import NO_DISABILITY, recorded_disabilities

_UNKNOWN_SEX = "U"
# 2886Q: fire above 2%, computed in integers (50 x M > N).
_NO_SEX_LIMIT = 50
# 2887Q: fewer than this many different codes fires.
_DISABILITY_CODES_EXPECTED = 8


def _counted(field: str, path: str = "ChildIdentifiers") -> Place:
    """A field a return-level issue counts, with no child (and so no value or line)."""
    return Place(path, field, None, None)


@contextmanager
def _on_disk() -> Iterator[None]:
    """SQLite's failures (a full disk, an unwritable temporary folder) as the OSError they are:
    the return cannot be validated here, which is no bug in a check."""
    try:
        yield
    except sqlite3.Error as error:
        raise OSError(f"the temporary table of identifiers: {error}") from error


class _Holders:
    """Which child holds each value of an identifier: in memory for any real return, on disk
    past `IN_MEMORY` values.

    This is the one record of a return that grows with its size (as Python objects, about
    230 bytes a value: 230 MB for a million children). The largest local authorities return
    a few tens of thousands of children, so up to `IN_MEMORY` values stay in a list; past
    that, every value goes to a table in a private temporary SQLite database ("" as its name:
    a file with no name on disk, gone when closed or when the process ends) in batches, and
    only the duplicated ones are read back. Either way a value matches only an equal string
    (SQLite compares TEXT byte for byte), so matching is exact and case-sensitive, and
    `shared` gives the same rows.
    """

    IN_MEMORY = 100_000  # about 23 MB at most, more than any real return holds
    _BATCH = 10_000

    def __init__(self) -> None:
        self._db: sqlite3.Connection | None = None  # made when IN_MEMORY values are passed
        self._pending: list[tuple] = []  # (value, child, its ID, its line, line of the value)

    def add(self, value: str, ref: ChildRef, line: int | None) -> None:
        self._pending.append((value, ref.index, ref.la_child_id, ref.line, line))
        if len(self._pending) >= (self._BATCH if self._db else self.IN_MEMORY):
            self._flush()

    def _flush(self) -> None:
        with _on_disk():
            if self._db is None:
                self._db = sqlite3.connect("")
                self._db.execute("PRAGMA journal_mode = OFF")  # a scratch table: no rollback
                self._db.execute("CREATE TABLE holder (value TEXT, child INTEGER, id TEXT,"
                                 " child_line INTEGER, line INTEGER)")
            self._db.executemany("INSERT INTO holder VALUES (?, ?, ?, ?, ?)", self._pending)
        self._pending = []

    def shared(self) -> Iterator[tuple[str, ChildRef, int | None, int, tuple[ChildRef, ...]]]:
        """(value, child, line of its element, how many hold the value, the first
        OTHERS_SHOWN + 1 of them) for each child holding a value another child holds too,
        in child order."""
        if self._db is None:
            yield from self._shared_in_memory()
        else:
            yield from self._shared_on_disk()

    def _shared_in_memory(self) -> Iterator[tuple]:
        rows = self._pending  # in child order: children add their values as they stream
        holders = Counter(map(itemgetter(0), rows))
        if len(holders) == len(rows):
            return  # the usual case: no value held twice
        shared = [row for row in rows if holders[row[0]] > 1]
        first: dict[str, list[ChildRef]] = {}
        for value, child, la_child_id, child_line, _line in shared:
            named = first.setdefault(value, [])
            if len(named) <= OTHERS_SHOWN:
                named.append(ChildRef(child, la_child_id, child_line))
        for value, child, la_child_id, child_line, line in shared:
            yield (value, ChildRef(child, la_child_id, child_line), line, holders[value],
                   tuple(first[value]))

    def _shared_on_disk(self) -> Iterator[tuple]:
        """`shared` from the table; then the database is closed."""
        self._flush()
        try:
            with _on_disk():
                db = self._db
                db.execute("CREATE TEMP TABLE shared AS SELECT value, COUNT(*) AS holders"
                           " FROM holder GROUP BY value HAVING COUNT(*) > 1")
                if db.execute("SELECT COUNT(*) FROM shared").fetchone()[0]:
                    db.execute("CREATE INDEX holder_value ON holder (value, child)")
                first = lru_cache(maxsize=1024)(self._first_holders)
                for value, child, la_child_id, child_line, line, holders in db.execute(
                        "SELECT value, child, id, child_line, line, holders FROM holder"
                        " JOIN shared USING (value) ORDER BY child"):
                    yield (value, ChildRef(child, la_child_id, child_line), line, holders,
                           first(value))
        finally:
            self._db.close()

    def _first_holders(self, value: str) -> tuple[ChildRef, ...]:
        rows = self._db.execute("SELECT child, id, child_line FROM holder WHERE value = ?"
                                " ORDER BY child LIMIT ?", (value, OTHERS_SHOWN + 1))
        return tuple(ChildRef(*row) for row in rows)


class _SharedIdentifier:
    """Children whose trimmed `field` of ChildIdentifiers equals another child's, exactly.

    Absent values never take part; k children sharing a value give k issues, each naming the
    first few others. The issues name children, and come in child order (`names_children`).
    """

    field = ""
    attribute = ""
    by_position = False  # name the others Child[n] rather than by their LAchildID
    names_children = True

    def __init__(self, ctx: Context) -> None:
        self.holders = _Holders()

    def observe(self, child: Child) -> None:
        identifiers = child.identifiers
        value = getattr(identifiers, self.attribute)
        if value is not None:
            self.holders.add(value, child.ref,
                             identifiers.source[self.field][1] or identifiers.line)

    def finish(self) -> Iterable[Finding]:
        for value, ref, line, holders, first in self.holders.shared():
            place = Place("ChildIdentifiers", self.field, value, line)
            yield Finding((place,), child=ref, others=self.others(ref, holders, first))

    def others(self, ref: ChildRef, holders: int, first: tuple[ChildRef, ...]) -> Others:
        named = tuple(other for other in first if other.index != ref.index)[:OTHERS_SHOWN]
        return Others(named, more=holders - 1 - len(named), by_position=self.by_position)


class DuplicateUpn(_SharedIdentifier):
    """1520: no two children have the same UPN (case-sensitive; FormerUPN plays no part).

    Passes: Child{UPN H801200001001} and Child{UPN h801200001001}; 3 × Child{UPN —}.
    Fails: Child{UPN H801200001001} and Child{UPN H801200001001} (one issue each).
    """

    field, attribute = "UPN", "upn"


class DuplicateLaChildId(_SharedIdentifier):
    """8510: no two children have the same LAchildID (case-sensitive).

    Passes: Child{ID C123} and Child{ID c123}; 2 × Child{ID —}.
    Fails: 2 × Child{ID C123} (one issue each).
    """

    field, attribute = "LAchildID", "la_child_id"
    by_position = True  # their shared ID would not tell them apart


class TooManyWithoutSex:
    """2886Q: at most 2% of children (unborn ones not counted) have Sex absent or U.

    Passes: 49 × Child{} and Child{Sex U};
    98 × Child{}, 2 × Child{Sex U} and 5 × Child{DOB —, EDOB 2025-06-01, Sex U}.
    Fails: 48 × Child{} and 2 × Child{Sex U}.
    """

    def __init__(self, ctx: Context) -> None:
        self.children = 0
        self.without_sex = 0

    def observe(self, child: Child) -> None:
        self.children += 1
        ids = child.identifiers
        # The DfE's "excluding unborns" leaves out anyone with an expected date of birth (G5).
        if ids.expected_birth_date is None and ids.sex in (None, _UNKNOWN_SEX):
            self.without_sex += 1

    def finish(self) -> Iterable[Finding]:
        m, n = self.without_sex, self.children
        if _NO_SEX_LIMIT * m > n:
            yield Finding((_counted("Sex"), _counted("ExpectedPersonBirthDate")),
                          detail=f"{m} of {n} children ({100 * m / n:.2f}%)")


class FewDisabilityCodes:
    """2887Q: the return uses at least 8 different valid disability codes other than NONE.

    Passes: Child{[MOB, HAND, PC, INC]}, Child{[COMM, LD, HEAR, VIS]} and Child{[NONE]}.
    Fails: Child{[MOB, HAND, PC, INC]}, Child{[COMM, LD, HEAR]} and Child{[NONE]}.
    """

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.used: set[str] = set()

    def observe(self, child: Child) -> None:
        if len(self.used) < _DISABILITY_CODES_EXPECTED:
            self.used |= recorded_disabilities(child.characteristics, self.ctx)

    def finish(self) -> Iterable[Finding]:
        if len(self.used) < _DISABILITY_CODES_EXPECTED:
            recordable = self.ctx.codes["disability"] - {NO_DISABILITY}
            listed = [code for code in sorted(recordable) if code in self.used]
            used = f"{len(listed)} code{'' if len(listed) == 1 else 's'} used"
            yield Finding((_counted("Disability", "ChildCharacteristics/Disabilities"),),
                          detail=f"{used}: {', '.join(listed) or 'none'}")


class OnlyOneDisabilityPerChild:
    """2888Q: some child with a disability has two or more different disability codes.

    Silent when no child has a code other than NONE.
    Passes: Child{[MOB]}, Child{[HAND]} and Child{[MOB, HAND]};
    Child{[NONE]} and Child{[NONE]} (no child has a code).
    Fails: Child{[MOB]}, Child{[HAND]} and Child{[NONE]}; Child{[MOB, MOB]} and Child{[HAND]}.
    """

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.with_one = 0
        self.someone_has_several = False

    def observe(self, child: Child) -> None:
        if self.someone_has_several or not child.characteristics.disabilities:
            return
        count = len(recorded_disabilities(child.characteristics, self.ctx))
        if count > 1:
            self.someone_has_several = True
        elif count == 1:
            self.with_one += 1

    def finish(self) -> Iterable[Finding]:
        if self.with_one and not self.someone_has_several:
            children = "1 child has" if self.with_one == 1 else f"{self.with_one} children have"
            yield Finding((_counted("Disability", "ChildCharacteristics/Disabilities"),),
                          detail=f"{children} one disability code, none has more")


CHILD_CHECKS: dict = {}
RETURN_CHECKS = {
    "1520": DuplicateUpn,
    "2886Q": TooManyWithoutSex,
    "2887Q": FewDisabilityCodes,
    "2888Q": OnlyOneDisabilityPerChild,
    "8510": DuplicateLaChildId,
}
