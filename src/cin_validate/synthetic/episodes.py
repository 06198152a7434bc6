"""One episode of need, step by step.

An episode first draws its *course* (what happens in it: assessments only, a CIN plan, a
section 47 enquiry and what the conference decides, ...); then each step dates one part:
referral, assessments, the course's plans and enquiries, perhaps a recent enquiry still waiting
for its conference, closure, and the codes that depend on what the episode holds.

Every date stays inside the episode's `Limit`, and the steps keep to what a clean return needs:
nothing before the referral (1103, 1104, 1105, 2889, 4015); activity dates, closures and plan
ends inside the census year (8620, 8736, 4013, 8715, 8930); assessments one after another, only
the last open and only if started after 8670Q's cut-off (8863Q, 8896, 8670Q); at most one
enquiry waiting for its conference, started after 8675Q's cut-off (8839, 8675Q, 8740); a
conference on a weekday (8875, 8870Q), a protection plan starting on its conference (2883,
2885); CIN plans and protection plans that never touch or overlap (4014, 4016, 4017, 8940)
and never both stay open (4001); reviews strictly inside their plan (8841) and never inside a
CIN plan (4003); a closure after every activity (8565) and only when nothing is open (8867,
8868); RC8/RC9 only after assessments alone (2990, 8825Q), and factor 21 only alone (8869,
8873Q).
"""

from __future__ import annotations

from typing import Callable, NamedTuple

from .codes import Codes, Weighted
from .dice import Dice
from .records import Assessment, CINPlan, Enquiry, Episode, ProtectionPlan
from .timeline import Day, Timeline


class Limit(NamedTuple):
    """How far an episode's dates may reach."""

    last_day: Day  # every date of the episode is on or before it
    may_stay_open: bool  # only the child's latest episode may be open at the end of the year


# The course of an episode referred within the census year ...
ASSESSMENT_ONLY = "assessment only"
CIN_PLAN = "CIN plan"
ENQUIRY_WITHOUT_CONFERENCE = "enquiry, no conference needed"
PROTECTION_PLAN = "enquiry, conference, protection plan"
CONFERENCE_WITHOUT_PLAN = "enquiry, conference, then a CIN plan rather than protection"
CIN_PLAN_THEN_PROTECTION = "CIN plan, then enquiry, conference and protection plan"
# ... and of one referred before it (CIN_PLAN too: a plan starting around the year's start).
CIN_PLAN_FROM_BEFORE = "CIN plan since before the year"
PROTECTION_FROM_BEFORE = "protection plan since before the year"
CIN_PLAN_FROM_BEFORE_THEN_PROTECTION = "CIN plan since before the year, then protection"
NO_PLAN = "no plan"

COURSES_IN_YEAR = Weighted({
    ASSESSMENT_ONLY: 38, CIN_PLAN: 22, ENQUIRY_WITHOUT_CONFERENCE: 10, PROTECTION_PLAN: 13,
    CIN_PLAN_THEN_PROTECTION: 9, CONFERENCE_WITHOUT_PLAN: 8,
})
COURSES_FROM_BEFORE = Weighted({
    CIN_PLAN_FROM_BEFORE: 40, PROTECTION_FROM_BEFORE: 22, CIN_PLAN_FROM_BEFORE_THEN_PROTECTION: 10,
    CIN_PLAN: 15, NO_PLAN: 13,
})
# A section 47 enquiry needs an assessment in its episode (2991Q): without one, these courses
# become a CIN plan.
NEED_AN_ASSESSMENT = frozenset({
    ENQUIRY_WITHOUT_CONFERENCE, PROTECTION_PLAN, CONFERENCE_WITHOUT_PLAN,
    CIN_PLAN_THEN_PROTECTION, CIN_PLAN_FROM_BEFORE_THEN_PROTECTION,
})
# Protection plans the child had before this one.
PREVIOUS_PLANS = Weighted({0: 78, 1: 15, 2: 5, 3: 2})


class EpisodeMaker:
    """Makes episodes, step by step, from the return's one seeded stream of draws."""

    def __init__(self, timeline: Timeline, codes: Codes, dice: Dice) -> None:
        self.timeline = timeline
        self.codes = codes
        self.dice = dice

    def episode(self, referral: Day, limit: Limit) -> Episode:
        """An episode referred on `referral`, every step of it inside `limit`."""
        dice = self.dice
        episode = Episode(referral, self.codes.referral_source.draw(dice))
        from_before = self._from_before(episode)
        course = (COURSES_FROM_BEFORE if from_before else COURSES_IN_YEAR).draw(dice)
        self._assessments(episode, course, from_before, limit)
        if course in NEED_AN_ASSESSMENT and not episode.assessments:
            course = CIN_PLAN
        self._COURSES[course](self, episode, limit)
        if limit.may_stay_open:
            self._recent_enquiry(episode, limit)
        self._closure(episode, course, limit)
        self._primary_need(episode)
        self._factors(episode)
        return episode

    def _from_before(self, episode: Episode) -> bool:
        """Referred before the census year (a long-running episode)."""
        return episode.referral < self.timeline.start

    # -- assessments ---------------------------------------------------------------------------

    def _assessments(self, episode: Episode, course: str, from_before: bool,
                     limit: Limit) -> None:
        """One assessment, sometimes two, one after the other and all within the year.

        A long-running episode's first assessment of the year comes a few months into it (and
        some have none); a new one's within days of the referral. Only the last may stay open,
        and only if it started after 8670Q's cut-off.
        """
        dice, timeline = self.dice, self.timeline
        if from_before:
            if course not in (CIN_PLAN, CIN_PLAN_FROM_BEFORE_THEN_PROTECTION) and dice.chance(0.45):
                return
            start = timeline.start + dice.between(0, 199)
        else:
            start = episode.referral + dice.between(0, 3)
        wanted = 1 if dice.chance(0.8) else 2
        while start <= limit.last_day and len(episode.assessments) < wanted:
            # Most take up to six weeks; some run past the 45 working days the guidance allows.
            authorised = start + dice.between(5, 40 if dice.chance(0.8) else 90)
            if authorised > limit.last_day:
                if limit.may_stay_open and start >= timeline.open_assessment_cut_off:
                    episode.assessments.append(Assessment(start))
                    return
                authorised = limit.last_day  # it may not stay open: done by the last day
            episode.assessments.append(Assessment(start, authorised))
            start = authorised + dice.between(30, 199)

    def _after_first_assessment(self, episode: Episode) -> Day:
        """A day soon after the first assessment was authorised (after the referral if none)."""
        if episode.assessments and episode.assessments[0].authorised is not None:
            day = episode.assessments[0].authorised
        else:
            day = episode.referral
        return day + self.dice.between(1, 14)

    def _enquiry_start(self, episode: Episode) -> Day:
        """Within days of the first assessment's start: what it found calls for an enquiry."""
        return episode.assessments[0].start + self.dice.between(0, 5)

    def _before_the_year(self, episode: Episode, within: int) -> Day:
        """A day from the referral of a long-running episode to at most `within` days after it,
        always before the census year starts."""
        return episode.referral + self.dice.between(
            0, min(within, self.timeline.start - episode.referral) - 1)

    # -- courses: the plans and enquiries that follow the assessments --------------------------

    def _no_plan(self, episode: Episode, limit: Limit) -> None:
        pass

    def _cin_plan_course(self, episode: Episode, limit: Limit) -> None:
        if self._from_before(episode):
            start = max(episode.referral, self.timeline.start - 200) + self.dice.between(0, 149)
        else:
            start = self._after_first_assessment(episode)
        self._cin_plan(episode, start, limit)

    def _cin_plan_from_before(self, episode: Episode, limit: Limit) -> None:
        self._cin_plan(episode, self._before_the_year(episode, 200), limit)

    def _protection_from_before(self, episode: Episode, limit: Limit) -> None:
        # A plan that started before the year: no conference of this return starts it (2885).
        end = self._protection_plan(episode, self._before_the_year(episode, 120), limit)
        self._perhaps_cin_plan_after(episode, end, limit)

    def _enquiry_without_conference(self, episode: Episode, limit: Limit) -> None:
        """The enquiry finds no conference is needed (ICPCnotRequired); perhaps a CIN plan."""
        dice = self.dice
        start = self._enquiry_start(episode)
        if start <= limit.last_day:
            target = self._conference_target(start) if dice.chance(0.5) else None
            episode.enquiries.append(Enquiry(start, target, conference_not_required=True))
        if dice.chance(0.5):
            self._cin_plan(episode, self._after_first_assessment(episode), limit)

    def _protection_plan_course(self, episode: Episode, limit: Limit) -> None:
        conference = self._conference_or_cin_plan(episode, limit)
        if conference is not None:
            end = self._protection_plan(episode, conference, limit)
            self._perhaps_cin_plan_after(episode, end, limit)

    def _conference_without_plan(self, episode: Episode, limit: Limit) -> None:
        conference = self._conference_or_cin_plan(episode, limit)
        if conference is not None:
            self._cin_plan(episode, conference + self.dice.between(1, 14), limit)

    def _conference_or_cin_plan(self, episode: Episode, limit: Limit) -> Day | None:
        """An enquiry and its conference, the day of which is returned; when there is no room
        for the conference before the episode ends, a CIN plan instead (and None)."""
        conference = self._enquiry_with_conference(episode, self._enquiry_start(episode), limit)
        if conference is None:
            self._cin_plan(episode, self._after_first_assessment(episode), limit)
        return conference

    def _cin_plan_then_protection(self, episode: Episode, limit: Limit) -> None:
        """A CIN plan, then an enquiry whose conference moves the child to a protection plan."""
        if self._from_before(episode):
            cin_start = self._before_the_year(episode, 200)
        else:
            cin_start = self._after_first_assessment(episode)
        earliest = max(cin_start + 20, self.timeline.start, episode.assessments[0].start)
        conference = None
        if earliest <= limit.last_day:
            start = earliest + self.dice.between(0, 149)
            conference = self._enquiry_with_conference(episode, start, limit)
        if conference is None:
            if cin_start > limit.last_day:
                cin_start = self._after_first_assessment(episode)
            self._cin_plan(episode, cin_start, limit)
            return
        # The CIN plan ends the day before the conference starts the protection plan.
        episode.cin_plans.append(CINPlan(cin_start, conference - 1))
        end = self._protection_plan(episode, conference, limit)
        self._perhaps_cin_plan_after(episode, end, limit)

    _COURSES: dict[str, Callable[[EpisodeMaker, Episode, Limit], None]] = {
        ASSESSMENT_ONLY: _no_plan,
        NO_PLAN: _no_plan,
        CIN_PLAN: _cin_plan_course,
        CIN_PLAN_FROM_BEFORE: _cin_plan_from_before,
        PROTECTION_FROM_BEFORE: _protection_from_before,
        ENQUIRY_WITHOUT_CONFERENCE: _enquiry_without_conference,
        PROTECTION_PLAN: _protection_plan_course,
        CONFERENCE_WITHOUT_PLAN: _conference_without_plan,
        CIN_PLAN_THEN_PROTECTION: _cin_plan_then_protection,
        CIN_PLAN_FROM_BEFORE_THEN_PROTECTION: _cin_plan_then_protection,
    }

    # -- the parts a course is made of ---------------------------------------------------------

    def _enquiry_with_conference(self, episode: Episode, start: Day, limit: Limit) -> Day | None:
        """A section 47 enquiry from `start` whose initial conference, a weekday in the census
        year one to three weeks later, is held within `limit`; the conference day, or None (and
        no enquiry) when it would fall after the limit."""
        conference = max(start + self.dice.between(8, 20), self.timeline.start)
        conference = self.timeline.weekday_on_or_after(conference)
        if conference > limit.last_day:
            return None
        episode.enquiries.append(Enquiry(start, self._conference_target(start), conference))
        return conference

    def _conference_target(self, enquiry_start: Day) -> Day:
        """The target date: a weekday three weeks after the strategy discussion (8870Q)."""
        return self.timeline.weekday_on_or_after(enquiry_start) + 21

    def _recent_enquiry(self, episode: Episode, limit: Limit) -> None:
        """Now and then, an enquiry begun so recently that its conference is not yet due: on or
        after 8675Q's cut-off, in an episode with an assessment (2991Q) and no other enquiry."""
        if episode.enquiries or not episode.assessments or not self.dice.chance(0.08):
            return
        earliest = max(self.timeline.conference_cut_off, episode.referral)
        if earliest > limit.last_day:
            return
        start = self.dice.between(earliest, limit.last_day)
        episode.enquiries.append(self.enquiry_awaiting_conference(start))

    def enquiry_awaiting_conference(self, start: Day) -> Enquiry:
        """An enquiry from `start` with a target date, no conference yet and one required."""
        return Enquiry(start, self._conference_target(start))

    def _cin_plan(self, episode: Episode, start: Day, limit: Limit) -> Day | None:
        """A CIN plan of one to twelve months from `start`; the day it ends, or None when it
        stays open or there is no room for it."""
        if not self._room_for_plan(start, limit):
            return None
        end = self._plan_end(start, limit, shortest=30, spread=330, catch_up=120)
        episode.cin_plans.append(CINPlan(start, end))
        return end

    def _protection_plan(self, episode: Episode, start: Day, limit: Limit) -> Day | None:
        """A protection plan of two to fourteen months from `start`, with its reviews and
        categories of abuse; the day it ends, or None when it stays open or there is no room."""
        if not self._room_for_plan(start, limit):
            return None
        dice, abuse = self.dice, self.codes.category_of_abuse
        end = self._plan_end(start, limit, shortest=60, spread=360, catch_up=150)
        initial = abuse.draw(dice)
        latest = initial if dice.chance(0.85) else abuse.draw(dice)
        episode.protection_plans.append(ProtectionPlan(
            start, end, initial, latest, PREVIOUS_PLANS.draw(dice), self._reviews(start, end)))
        return end

    def _perhaps_cin_plan_after(self, episode: Episode, end: Day | None, limit: Limit) -> None:
        """Half the protection plans that end step down to a CIN plan, after a gap of a day or
        more (a plan starting on the day another ends overlaps it: 4014, 4016, 4017, 8940)."""
        if end is not None and self.dice.chance(0.5):
            self._cin_plan(episode, end + self.dice.between(1, 10), limit)

    @staticmethod
    def _room_for_plan(start: Day, limit: Limit) -> bool:
        """A plan needs a day after its start to end on (start and end never equal: 4012Q,
        8840), unless it may stay open."""
        return start < limit.last_day or (limit.may_stay_open and start == limit.last_day)

    def _plan_end(self, start: Day, limit: Limit, shortest: int, spread: int,
                  catch_up: int) -> Day | None:
        """The day a plan from `start` ends: `shortest` to `shortest + spread` days later, in the
        census year and within the limit; None when it is still open at the end of the year."""
        dice, year_start = self.dice, self.timeline.start
        end = start + shortest + dice.between(0, spread - 1)
        if end < year_start:
            # The return holds only plans open during the year: one from long before it that
            # would have ended already ends within its first `catch_up` days instead.
            end = year_start + dice.between(0, catch_up - 1)
        if end > limit.last_day:
            if limit.may_stay_open:
                return None
            end = dice.between(max(start + 1, year_start), limit.last_day)
        return end

    def _reviews(self, start: Day, end: Day | None) -> list[Day]:
        """Review conferences three to five weeks after the start, then every three to six
        months, strictly inside the plan (8841); of those before the census year, only the
        latest is returned (guide 5.5.1)."""
        dice = self.dice
        last = end - 1 if end is not None else self.timeline.end
        reviews: list[Day] = []
        day = start + dice.between(20, 34)
        while day <= last:
            reviews.append(day)
            day += dice.between(90, 181)
        before_year = sum(1 for review in reviews if review < self.timeline.start)
        return reviews[before_year - 1:] if before_year > 1 else reviews

    # -- closure and the codes that depend on what the episode held ----------------------------

    def _closure(self, episode: Episode, course: str, limit: Limit) -> None:
        """Close the episode on or after its latest activity, in the census year, unless
        something in it is still open; the child's latest episode stays open more often than
        not. Then the reason: "closed after assessment" (RC8, RC9) only when the episode held
        assessments and nothing else."""
        parts = [*episode.assessments, *episode.cin_plans, *episode.enquiries,
                 *episode.protection_plans]
        latest = max(episode.referral, self.timeline.start)
        for part in parts:
            if part.is_open:
                return
            latest = max(latest, part.last_day)
        dice, codes = self.dice, self.codes
        if limit.may_stay_open and not dice.chance(0.45):
            return
        # An assessment that needs nothing more closes the case within days; others take weeks.
        closure = latest + dice.between(0, 3 if course == ASSESSMENT_ONLY else 29)
        episode.closure = closure if closure <= limit.last_day else latest
        only_assessments = bool(episode.assessments) and len(parts) == len(episode.assessments)
        reasons = codes.reason_after_assessment if only_assessments else codes.reason_for_closure
        episode.reason = reasons.draw(dice)

    def _primary_need(self, episode: Episode) -> None:
        """Abuse or neglect (N1) wherever there was an enquiry or a protection plan."""
        if episode.enquiries or episode.protection_plans:
            episode.need = self.codes.abuse_or_neglect
        else:
            episode.need = self.codes.primary_need.draw(self.dice)

    def _factors(self, episode: Episode) -> None:
        """Factors for each completed assessment; factor 21 ("no factors identified") only alone,
        for the single assessment of an episode closed after assessment (8869, 8873Q)."""
        dice, codes = self.dice, self.codes
        may_be_none = (len(episode.assessments) == 1
                       and episode.reason in codes.closed_after_assessment)
        for assessment in episode.assessments:
            if assessment.authorised is None:
                continue  # an open assessment has no factors yet (8614)
            if may_be_none and dice.chance(0.5):
                assessment.factors = codes.no_factors
            else:
                assessment.factors = dice.pick(codes.factor_sets)
