"""Child characteristics: ethnicity and disability (group 1).

A child's disability values are the trimmed texts of its non-empty `<Disability>` elements,
duplicates kept (G3); the examples write them as `[MOB, HAND]`.
"""

from __future__ import annotations

from collections import Counter
from typing import Iterable

from ..model import Characteristics, Child
from .base import Context, Finding, at, at_each, found
from .facts import SEVERAL_DISABILITIES, needs

NO_DISABILITY = "NONE"


def recorded_disabilities(characteristics: Characteristics, ctx: Context) -> frozenset[str]:
    """The distinct valid disability codes other than NONE (2887Q, 2888Q)."""
    return ctx.codes["disability"].intersection(characteristics.disabilities) - {NO_DISABILITY}


def ethnicity_missing_or_invalid(child: Child, ctx: Context) -> Iterable[Finding]:
    """4220: Ethnicity is one of the 20 codes; unborn children use NOBT.

    A child without <ChildCharacteristics> fails too.
    Passes: `WBRI`; `NOBT`.
    Fails: —; `wbri`; `WHITE`.
    """
    if child.characteristics.ethnicity not in ctx.codes["ethnicity"]:
        yield found(child.characteristics, "Ethnicity")


def disability_missing_or_invalid(child: Child, ctx: Context) -> Iterable[Finding]:
    """8540: a born child with a further-action referral has disabilities, all valid codes.

    With DOB 2015-01-01.
    Passes: [MOB] with E{NFA 0}; [NONE] with E{NFA 0}; Disabilities — with E{NFA true}.
    Fails: Disabilities — with E{NFA 0}; [MOB, XYZ] with E{NFA 0}; [mob] with E{NFA 0}.
    """
    chars = child.characteristics
    disabilities = ctx.codes["disability"]
    invalid = [item for item in chars.disability_items if item.code not in disabilities]
    if chars.disabilities and not invalid:
        return
    if child.identifiers.birth_date is None:
        return
    further_action = child.further_action_episodes()
    if not further_action:
        return
    # With no values at all, point at the (absent or empty) <Disabilities> container.
    pointed = at_each(invalid, "Disability") if invalid else at(chars, "Disabilities")
    yield Finding(pointed + at(child.identifiers, "PersonBirthDate")
                  + at_each(further_action, "ReferralNFA"))


@needs(SEVERAL_DISABILITIES)
def none_with_other_disabilities(child: Child, ctx: Context) -> Iterable[Finding]:
    """8790: NONE is the only disability value when it is given.

    Passes: [NONE]; [NONE, NONE] (8794's); [MOB, HAND].
    Fails: [NONE, MOB]; [NONE, XYZ].
    """
    values = child.characteristics.disabilities
    if NO_DISABILITY in values and any(value != NO_DISABILITY for value in values):
        yield Finding(at_each(child.characteristics.disability_items, "Disability"))


@needs(SEVERAL_DISABILITIES)
def disability_repeated(child: Child, ctx: Context) -> Iterable[Finding]:
    """8794: no disability value appears twice for one child.

    Passes: [MOB, HAND]; [MOB, mob].
    Fails: [MOB, MOB]; [MOB, HAND, MOB, HAND] (one issue).
    """
    values = child.characteristics.disabilities
    if len(set(values)) == len(values):
        return
    counts = Counter(values)
    repeated = [item for item in child.characteristics.disability_items if counts[item.code] > 1]
    yield Finding(at_each(repeated, "Disability"))


CHILD_CHECKS = {
    "4220": ethnicity_missing_or_invalid,
    "8540": disability_missing_or_invalid,
    "8790": none_with_other_disabilities,
    "8794": disability_repeated,
}
RETURN_CHECKS: dict = {}
