"""Return-level checks over all children: duplicates and percentages (group 1).

Each keeps only small facts while the children stream past: for the duplicate rules the value
with the child's reference and place, for the percentages a few counters.
"""

from __future__ import annotations

from typing import Iterable

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


class _SharedIdentifier:
    """Children whose trimmed `field` of ChildIdentifiers equals another child's, exactly.

    Absent values never take part; k children sharing a value give k issues, each naming the
    first few others.
    """

    field = ""
    attribute = ""
    by_position = False  # name the others Child[n] rather than by their LAchildID

    def __init__(self, ctx: Context) -> None:
        # One small (child, line of the element) pair per value: this is the one aggregate
        # that grows with the return, so the places to report are built only for duplicates.
        self.first: dict[str, tuple[ChildRef, int | None]] = {}
        self.shared: dict[str, list[tuple[ChildRef, int | None]]] = {}

    def observe(self, child: Child) -> None:
        identifiers = child.identifiers
        value = getattr(identifiers, self.attribute)
        if value is None:
            return
        holder = (child.ref, identifiers.source[self.field][1] or identifiers.line)
        first = self.first.setdefault(value, holder)
        if first is not holder:
            self.shared.setdefault(value, [first]).append(holder)

    def finish(self) -> Iterable[Finding]:
        for value, holders in self.shared.items():
            for ref, line in holders:
                place = Place("ChildIdentifiers", self.field, value, line)
                yield Finding((place,), child=ref, others=self.others(ref, holders))

    def others(self, ref: ChildRef, holders: list) -> Others:
        # Only the first few holders are looked at: k holders cost O(k), not O(k * k).
        named = tuple(other for other, _ in holders[:OTHERS_SHOWN + 1]
                      if other is not ref)[:OTHERS_SHOWN]
        return Others(named, more=len(holders) - 1 - len(named), by_position=self.by_position)


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
