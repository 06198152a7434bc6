"""One child, step by step: who they are, their UPN, characteristics, episodes and, from
2026-27, their pre-proceedings (module 5).

A clean child keeps to group 1's rules: a unique LA child ID (8510) and, when it has one, a
unique UPN with a correct check letter and a known LA code (1510, 1520, 1530); a school-age
child without a UPN has a reason other than UN1 (8770Q); born children are 0 to 17 with sex M
or F and a <Disabilities> group (8540, 8790, 8794, 2886Q); unborn ones (about 1.5%) are due
one week to six months after ReferenceDate with sex U (8530Q, 8750); nobody dies (8535Q ...).
A child has one or two episodes that never overlap (8815, 8816, 8820); only the latest may stay
open.
"""

from __future__ import annotations

from ..checks.identifiers import CHECK_LETTERS, expected_check_letter
from ..years import Collection
from .codes import Codes
from .dice import Dice
from .episodes import EpisodeMaker, Limit
from .records import Child, Episode, PreProceedings
from .timeline import Day, Timeline

PRE_PROCEEDINGS_GROUP = "PreProceedingsandFGDM"  # module 5's group, in `collection.elements`
# The first children of a return hold every disability code between them, so that even a
# one-child return uses eight or more (2887Q) and has a child with several (2888Q).
LEADING_CHILDREN = 4


class UpnMaker:
    """Unique UPNs (1520) with a correct check letter (1510) and a known LA code (1530).

    Characters 5-13 are the child's index scrambled (times 3**18, coprime with 10**9, plus a
    seeded offset, mod 10**9): one-to-one below a billion children, yet not in order.
    """

    _SCRAMBLE = 3 ** 18
    _SERIALS = 10 ** 9

    def __init__(self, home_la: str, la_codes: tuple[str, ...], seed: int) -> None:
        self.home_la = home_la
        self.la_codes = la_codes
        self.offset = Dice(f"cin-synthetic-upn-{seed}").randrange(self._SERIALS)

    def upn(self, index: int, dice: Dice) -> str:
        """Mostly issued by the return's own LA; one in five by another."""
        la = self.home_la if dice.chance(0.8) else dice.pick(self.la_codes)
        serial = (index * self._SCRAMBLE + self.offset) % self._SERIALS
        return with_check_letter(f"{la}{serial:09d}")

    def former_upn(self, index: int) -> str:
        """A temporary UPN (its last character a letter) of the child's earlier school."""
        serial = (index * 7 + 12345) % 10 ** 8
        la = self.la_codes[index % len(self.la_codes)]
        return with_check_letter(f"{la}{serial:08d}{CHECK_LETTERS[index % len(CHECK_LETTERS)]}")


def with_check_letter(body: str) -> str:
    """UPN characters 2-13 behind the check letter rule 1510 computes from them (the rule's own
    code: `expected_check_letter` reads characters 2-13 of a whole UPN, so any first one does)."""
    return expected_check_letter(CHECK_LETTERS[0] + body) + body


def with_wrong_check_letter(upn: str, dice: Dice) -> str:
    """The same UPN behind any other check letter."""
    letters = CHECK_LETTERS
    wrong = letters[(letters.index(upn[0]) + dice.between(1, len(letters) - 1)) % len(letters)]
    return wrong + upn[1:]


class ChildMaker:
    """Makes the children of one return, in order, from one seeded stream."""

    def __init__(self, collection: Collection, seed: int, la: str, children: int) -> None:
        self.timeline = Timeline(collection)
        self.codes = codes = Codes(collection, seed)
        self.dice = Dice(seed)
        self.episodes = EpisodeMaker(self.timeline, codes, self.dice)
        self.upns = UpnMaker(la, codes.upn_la_codes, seed)
        self.with_pre_proceedings = PRE_PROCEEDINGS_GROUP in collection.elements
        self.to_year_end = Limit(self.timeline.end, may_stay_open=True)  # the latest episode's
        self.leading = max(1, min(children, LEADING_CHILDREN))
        self.leading_disabilities = tuple(codes.disabilities[first::self.leading]
                                          for first in range(self.leading))

    def child(self, index: int) -> Child:
        """The child at `index` (from 0) of the return."""
        la_child_id = f"DfEX{index + 1:07d}"
        if index >= self.leading and self.dice.chance(0.015):
            child = self._unborn(la_child_id)
        else:
            child = self._born(la_child_id, index)
        if self.with_pre_proceedings:
            self._pre_proceedings(child, index)
        return child

    # -- identity and characteristics ----------------------------------------------------------

    def _unborn(self, la_child_id: str) -> Child:
        """Due one week to six months after ReferenceDate; referred in the year, at most 40
        weeks before the due date (8606); no UPN yet, no disabilities recorded."""
        dice, codes, timeline = self.dice, self.codes, self.timeline
        due = timeline.end + dice.between(7, 180)
        ethnicity = codes.unborn_ethnicity if dice.chance(0.8) else codes.ethnicity.draw(dice)
        child = Child(la_child_id, codes.unborn_sex, ethnicity, expected_birth=due,
                      upn_unknown=codes.not_of_school_age)
        referral = dice.between(max(timeline.start, due - 270), timeline.end)
        child.episodes.append(self.episodes.episode(referral, self.to_year_end))
        return child

    def _born(self, la_child_id: str, index: int) -> Child:
        dice, codes = self.dice, self.codes
        birth = self._birth_day()
        child = Child(la_child_id, codes.sex.draw(dice), codes.ethnicity.draw(dice), birth=birth,
                      disabilities=self._disabilities(index))
        self._upn_or_reason(child, index)
        self._episodes(child, birth)
        return child

    def _birth_day(self) -> Day:
        """Aged two weeks to 17 years at ReferenceDate, more often a baby or a teenager."""
        dice, end = self.dice, self.timeline.end
        kind = dice.random()
        if kind < 0.12:
            return end - 14 - dice.between(0, 699)  # under two
        if kind < 0.35:
            return end - 4700 - dice.between(0, 1849)  # about 12 to 17
        return end - 14 - dice.between(0, 6549)

    def _disabilities(self, index: int) -> tuple[str, ...]:
        if index < self.leading:
            return self.leading_disabilities[index]
        if self.dice.chance(0.09):
            return self.dice.pick(self.codes.disability_sets)
        return self.codes.no_disability

    def _upn_or_reason(self, child: Child, index: int) -> None:
        """Most school-age children have a UPN (a few a former one too), the rest a reason; a
        third of younger ones have one, the rest UN1 ("not of school age")."""
        dice = self.dice
        if child.birth <= self.timeline.school_age_cut_off:
            if dice.chance(0.94):
                child.upn = self.upns.upn(index, dice)
                if dice.chance(0.01):
                    child.former_upn = self.upns.former_upn(index)
            else:
                child.upn_unknown = self.codes.school_age_upn_unknown.draw(dice)
        elif dice.chance(0.3):
            child.upn = self.upns.upn(index, dice)
        else:
            child.upn_unknown = self.codes.not_of_school_age

    # -- episodes ------------------------------------------------------------------------------

    def _episodes(self, child: Child, birth: Day) -> None:
        """One episode open at some time in the census year, or (16%) a closed one and then
        another: the first closes by three months before the year ends and the second is
        referred after it closed. Three in ten children born a month before the year or
        earlier were referred up to four years before it."""
        dice, timeline, episodes = self.dice, self.timeline, self.episodes
        start, end = timeline.start, timeline.end
        if birth < start - 30 and dice.chance(0.3):
            referral = dice.between(max(birth, end - 4 * 365), start - 1)
        else:
            referral = dice.between(max(birth, start), end)
        earliest_closure = max(referral, start) + 30
        if earliest_closure <= end - 90 and dice.chance(0.16):
            closed = episodes.episode(
                referral, Limit(dice.between(earliest_closure, end - 90), may_stay_open=False))
            child.episodes.append(closed)
            referral = closed.closure + dice.between(1, 60)
        child.episodes.append(episodes.episode(referral, self.to_year_end))

    # -- module 5: pre-proceedings -------------------------------------------------------------

    def _pre_proceedings(self, child: Child, index: int) -> None:
        """One or two pre-proceedings groups for some children, most often those with a
        protection plan, in one of their episodes.

        The first child always has one: 8995Q queries a return in which no child has any.
        """
        dice = self.dice
        protected = any(episode.protection_plans for episode in child.episodes)
        if index > 0 and not dice.chance(0.35 if protected else 0.05):
            return
        episode = dice.pick(child.episodes)
        first_day, last_day = self._span_in_year(episode)
        for _ in range(1 if dice.chance(0.8) else 2):
            if first_day > last_day:
                break
            group = self._pre_proceedings_group(first_day, last_day)
            episode.pre_proceedings.append(group)
            first_day = group.last_day + dice.between(7, 60)

    def _span_in_year(self, episode: Episode) -> tuple[Day, Day]:
        """The days of the census year on which the episode is open."""
        timeline = self.timeline
        last_day = episode.closure if episode.closure is not None else timeline.end
        return max(episode.referral, timeline.start), last_day

    def _pre_proceedings_group(self, first_day: Day, last_day: Day) -> PreProceedings:
        """A pre-proceedings episode from a day in [first_day, last_day], each step on or after
        the one before (9006, 9009, 9012, 9013) and inside the census year (9005-9013); it stops
        after the last step that fits before `last_day`: still going on then.

        A sent letter says whether a family group decision meeting was offered (9007), an
        offer whether one was facilitated (9010Q), and an initial meeting how many reviews
        followed (9015Q). Whether a case goes to court is drawn apart from the outcome code,
        because what A, B and C mean is not public.
        """
        dice = self.dice
        group = PreProceedings(dice.between(first_day, last_day))
        letter_sent = group.start + dice.between(2, 20)
        if letter_sent > last_day:
            return group
        group.letter_sent = letter_sent
        group.fgdm_offered = dice.chance(0.8)
        if group.fgdm_offered:
            group.fgdm_facilitated = dice.chance(0.6)
        initial_meeting = letter_sent + dice.between(5, 30)
        if initial_meeting > last_day:
            return group
        group.initial_meeting = initial_meeting
        group.review_meetings = dice.between(0, 3)
        step_decision = initial_meeting + dice.between(28, 120)
        if step_decision > last_day:
            return group
        group.step_decision = step_decision
        group.outcome = self.codes.pre_proceedings_outcome.draw(dice)
        if not dice.chance(0.4):
            return group  # stepped down: no care proceedings
        court_application = step_decision + dice.between(1, 30)
        if court_application > last_day:
            return group
        group.court_application = court_application
        letter = court_application + dice.between(0, 14)
        if letter <= last_day:
            group.care_proceedings_letter = letter
        return group
