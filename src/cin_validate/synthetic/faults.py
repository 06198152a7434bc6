"""Deliberate faults: with `problems > 0`, that share of children gets one typical fault each.

Each fault names the DfE rule it is meant to trigger (others may fire with it). A fault is used
only in a year whose rules include its rule (module 5's from 2026-27), and only on a child that
has what it damages: each fault's `find` looks at a child and returns how to damage it, or
None. Faults are applied after a child is made, with their own random stream, so the same seed
gives the same children whatever `problems` is; only the faulted children differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable, Iterator

from ..years import Collection
from .children import ChildMaker, with_wrong_check_letter
from .dice import Dice
from .records import Child, Episode, PreProceedings

Damage = Callable[[Dice], None]


@dataclass(frozen=True)
class Fault:
    name: str
    rule: str  # the DfE rule it triggers
    find: Callable[[Child, ChildMaker], Damage | None]  # how to damage a child, if it can


# -- identifiers and characteristics (group 1) ---------------------------------------------------

def _wrong_upn_check_letter(child: Child, maker: ChildMaker) -> Damage | None:
    if child.upn is None:
        return None

    def damage(dice: Dice) -> None:
        child.upn = with_wrong_check_letter(child.upn, dice)
    return damage


def _expected_birth_passed(child: Child, maker: ChildMaker) -> Damage | None:
    """An unborn child whose due date passed weeks ago."""
    if child.expected_birth is None:
        return None

    def damage(dice: Dice) -> None:
        child.expected_birth = maker.timeline.expected_birth_earliest - dice.between(1, 60)
    return damage


def _invalid_ethnicity(child: Child, maker: ChildMaker) -> Damage:
    def damage(dice: Dice) -> None:
        child.ethnicity = dice.pick(("WHIT", "wbri", "XXXX", "ASIA"))
    return damage


# -- episodes (group 2) --------------------------------------------------------------------------

def _missing_primary_need(child: Child, maker: ChildMaker) -> Damage:
    def damage(dice: Dice) -> None:
        dice.pick(child.episodes).need = None
    return damage


def _referral_date_as_dd_mm_ccyy(child: Child, maker: ChildMaker) -> Damage:
    def damage(dice: Dice) -> None:
        episode = dice.pick(child.episodes)
        day = date.fromordinal(episode.referral)
        episode.referral = f"{day.day:02d}/{day.month:02d}/{day.year}"
    return damage


def _closed(child: Child) -> list[Episode]:
    return [episode for episode in child.episodes if episode.closure is not None]


def _closure_before_referral(child: Child, maker: ChildMaker) -> Damage | None:
    closed = _closed(child)
    if not closed:
        return None

    def damage(dice: Dice) -> None:
        episode = dice.pick(closed)
        episode.closure = episode.referral - dice.between(1, 20)
    return damage


def _missing_reason_for_closure(child: Child, maker: ChildMaker) -> Damage | None:
    closed = _closed(child)
    if not closed:
        return None

    def damage(dice: Dice) -> None:
        episode = dice.pick(closed)
        episode.reason = None
        for assessment in episode.assessments:  # factor 21 without RC8/RC9 would raise 8873Q
            if assessment.factors == maker.codes.no_factors:
                assessment.factors = dice.pick(maker.codes.factor_sets)
    return damage


# -- assessments and enquiries of the latest episode, when it is open (groups 3 and 4) -----------

def _open_with_assessments(child: Child) -> Episode | None:
    latest = child.episodes[-1]
    return latest if latest.closure is None and latest.assessments else None


def _overdue_open_assessment(child: Child, maker: ChildMaker) -> Damage | None:
    """The last assessment still open, started before 8670Q's cut-off (after the one before)."""
    episode = _open_with_assessments(child)
    if episode is None:
        return None
    cut_off = maker.timeline.open_assessment_cut_off
    earlier = episode.assessments[:-1]
    earliest = max([episode.referral, maker.timeline.start]
                   + [assessment.authorised + 1 for assessment in earlier])
    if earliest >= cut_off:
        return None

    def damage(dice: Dice) -> None:
        last = episode.assessments[-1]
        if not earliest <= last.start < cut_off:
            last.start = dice.between(earliest, cut_off - 1)
        last.authorised, last.factors = None, ()
    return damage


def _overdue_enquiry(child: Child, maker: ChildMaker) -> Damage | None:
    """One more enquiry, started before 8675Q's cut-off and still without a conference: after
    every other enquiry of the episode (8890), none of which may be waiting too (8839)."""
    episode = _open_with_assessments(child)
    if episode is None or any(enquiry.is_open for enquiry in episode.enquiries):
        return None
    cut_off = maker.timeline.conference_cut_off
    earliest = max([episode.referral, maker.timeline.start]
                   + [enquiry.last_day + 1 for enquiry in episode.enquiries])
    if earliest >= cut_off:
        return None

    def damage(dice: Dice) -> None:
        start = dice.between(earliest, cut_off - 1)
        episode.enquiries.append(maker.episodes.enquiry_awaiting_conference(start))
    return damage


# -- module 5: pre-proceedings (2026-27 on) ------------------------------------------------------

def _groups(child: Child) -> Iterator[PreProceedings]:
    for episode in child.episodes:
        yield from episode.pre_proceedings


def _damage_a_group(wanted: Callable[[PreProceedings], bool],
                    damage_group: Callable[[PreProceedings, ChildMaker, Dice], None]
                    ) -> Callable[[Child, ChildMaker], Damage | None]:
    """A fault that damages one of the child's pre-proceedings groups for which `wanted` holds."""
    def find(child: Child, maker: ChildMaker) -> Damage | None:
        groups = [group for group in _groups(child) if wanted(group)]
        if not groups:
            return None
        return lambda dice: damage_group(dice.pick(groups), maker, dice)
    return find


def _start_before_year(group: PreProceedings, maker: ChildMaker, dice: Dice) -> None:
    group.start = maker.timeline.start - dice.between(1, 60)


def _letter_before_start(group: PreProceedings, maker: ChildMaker, dice: Dice) -> None:
    group.letter_sent = group.start - dice.between(1, 10)


def _offer_not_said(group: PreProceedings, maker: ChildMaker, dice: Dice) -> None:
    group.fgdm_offered = None


def _invalid_outcome(group: PreProceedings, maker: ChildMaker, dice: Dice) -> None:
    group.outcome = dice.pick(("a", "D", "AB", "0"))


def _review_meetings_not_counted(group: PreProceedings, maker: ChildMaker, dice: Dice) -> None:
    group.review_meetings = None


def _any(group: PreProceedings) -> bool:
    return True


def _letter_sent(group: PreProceedings) -> bool:
    return group.letter_sent is not None


def _initial_meeting_held(group: PreProceedings) -> bool:
    return group.initial_meeting is not None


ALL_FAULTS = (
    Fault("upn_check_letter", "1510", _wrong_upn_check_letter),
    Fault("closure_before_referral", "8630", _closure_before_referral),
    Fault("old_open_assessment", "8670Q", _overdue_open_assessment),
    Fault("missing_reason_for_closure", "8805", _missing_reason_for_closure),
    Fault("expected_birth_out_of_range", "8530Q", _expected_birth_passed),
    Fault("old_s47_without_icpc", "8675Q", _overdue_enquiry),
    Fault("missing_primary_need", "8610", _missing_primary_need),
    Fault("invalid_ethnicity", "4220", _invalid_ethnicity),
    Fault("bad_referral_date_format", "8600", _referral_date_as_dd_mm_ccyy),
    Fault("pre_proceedings_start_outside_year", "9005", _damage_a_group(_any, _start_before_year)),
    Fault("letter_before_pre_proceedings", "9006",
          _damage_a_group(_letter_sent, _letter_before_start)),
    Fault("letter_without_fgdm_offer", "9007", _damage_a_group(_letter_sent, _offer_not_said)),
    Fault("invalid_pre_proceedings_outcome", "9011", _damage_a_group(_any, _invalid_outcome)),
    Fault("review_meetings_not_counted", "9015Q",
          _damage_a_group(_initial_meeting_held, _review_meetings_not_counted)),
)
#: fault name -> the DfE rule it is meant to trigger (other rules may fire as well)
FAULTS: dict[str, str] = {fault.name: fault.rule for fault in ALL_FAULTS}


def _faults_in(collection: Collection) -> tuple[Fault, ...]:
    """The faults a return of this collection year may hold: those whose rule is one of its."""
    return tuple(fault for fault in ALL_FAULTS if fault.rule in collection.rules)


def faults_of(collection: Collection) -> dict[str, str]:
    """Fault name -> rule, for the faults a return of this collection year may hold."""
    return {fault.name: fault.rule for fault in _faults_in(collection)}


class FaultMaker:
    """Gives `problems` of the children one fault each, from its own seeded stream."""

    def __init__(self, maker: ChildMaker, collection: Collection, seed: int,
                 problems: float) -> None:
        self.maker = maker
        self.problems = problems
        self.dice = Dice(f"cin-synthetic-faults-{seed}")
        self.faults = _faults_in(collection)

    def perhaps_damage(self, child: Child) -> str | None:
        """Damage the child (with chance `problems`) by one of the faults it can have; the
        fault's name, or None."""
        if not self.dice.chance(self.problems):
            return None
        found = [(fault, damage) for fault in self.faults
                 if (damage := fault.find(child, self.maker)) is not None]
        fault, damage = self.dice.pick(found)
        damage(self.dice)
        return fault.name
