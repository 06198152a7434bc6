"""CIN details: referral, no further action, closure, episodes and activity (group 2).

Spec: group2-cin-details.md. Examples use its notation (S8), with ReferenceDate 2025-03-31:
`E{ref R, close C, RCx, NFA v}` an episode, `A{start, auth}` an assessment, `S{start, cpc,
notreq}` a Section 47, `P{start..end}` a child protection plan, `C{start..end}` a CIN plan.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Iterable, Iterator, NamedTuple

from ..dates import working_days_before
from ..model import Child, Episode, until_before, within_others
from .base import (OTHERS_SHOWN, Context, Finding, Place, and_more, at, at_each, first_few,
                   found, one_per_pair)
from .facts import ASSESSMENT, CLOSURE, DEATH, NOT_FURTHER_ACTION, PROTECTION_PLAN, SECTION47, SEVERAL_EPISODES, needs


SOURCE_REQUIRED_FROM = date(2013, 4, 1)  # 8866: referrals from this day on need a source
FORTY_WEEKS = timedelta(days=280)  # 8606


# -- what an episode holds: its dated elements and its groups (S6) ---------------------------

class Dated(NamedTuple):
    """A date element in the episode itself (`group` None) or in each of its groups."""

    group: str | None  # the Episode attribute holding the groups, e.g. "assessments"
    element: str  # the XML element, for reporting
    attribute: str  # the model attribute holding its valid date

    def in_episode(self, episode: Episode) -> Iterator[tuple[object, date]]:
        """(node, date) for every valid date of this element in the episode."""
        nodes = (episode,) if self.group is None else getattr(episode, self.group)
        for node in nodes:
            day = getattr(node, self.attribute)
            if day is not None:
                yield node, day

    def places(self, episode: Episode, later_than: date | None = None) -> tuple[Place, ...]:
        """Every valid date of this element in the episode (only those after `later_than`)."""
        places: list[Place] = []
        for node, day in self.in_episode(episode):
            if later_than is None or day > later_than:
                places += at(node, self.element)
        return tuple(places)


class Group(NamedTuple):
    """A kind of group whose mere presence in an episode counts (S3: empty groups are absent)."""

    group: str  # the Episode attribute holding the groups, e.g. "section47s"
    element: str  # the group's XML element

    def places(self, episode: Episode, later_than: date | None = None) -> tuple[Place, ...]:
        """The group element of every present group, at the group's own path so that two
        groups stay apart (`CINdetails[1]/Section47[2]`); a group has no date, so `later_than`
        plays no part."""
        return tuple(Place(node.path, self.element, None, node.line)
                     for node in getattr(episode, self.group))


ASSESSMENT_START = Dated("assessments", "AssessmentActualStartDate", "start_date")
ASSESSMENT_AUTHORISED = Dated("assessments", "AssessmentAuthorisationDate", "authorisation_date")
S47_START = Dated("section47s", "S47ActualStartDate", "start_date")
S47_CONFERENCE = Dated("section47s", "DateOfInitialCPC", "icpc_date")
CIN_CONFERENCE = Dated(None, "DateOfInitialCPC", "initial_cpc_date")  # transfer-in cases
PLAN_START = Dated("protection_plans", "CPPstartDate", "start_date")
PLAN_END = Dated("protection_plans", "CPPendDate", "end_date")
CIN_PLAN_START = Dated("cin_plans", "CINPlanStartDate", "start_date")
CIN_PLAN_END = Dated("cin_plans", "CINPlanEndDate", "end_date")

SECTION47S = Group("section47s", "Section47")
PROTECTION_PLANS = Group("protection_plans", "ChildProtectionPlans")
CIN_PLANS = Group("cin_plans", "CINPlanDates")

# The four "activity" lists of S6: each rule has its own, complete list.
ACTIVITY_AFTER_CLOSURE = (ASSESSMENT_START, ASSESSMENT_AUTHORISED, S47_START, CIN_CONFERENCE,
                          S47_CONFERENCE, PLAN_END, CIN_PLAN_START, CIN_PLAN_END)  # 8565
ACTIVITY_AFTER_ASSESSMENT_CLOSURE = (SECTION47S, PROTECTION_PLANS, CIN_PLANS,
                                     CIN_CONFERENCE)  # 2990: assessments are allowed
ACTIVITY_ON_NFA = (ASSESSMENT_START, ASSESSMENT_AUTHORISED, S47_START, CIN_CONFERENCE,
                   S47_CONFERENCE)  # 8831
PROTECTION_ON_NFA = (PROTECTION_PLANS,)  # 8832


def activity(episode: Episode, items: Iterable[Dated | Group],
             later_than: date | None = None) -> tuple[Place, ...]:
    """Places of the episode's activity in one S6 list (dates only after `later_than`, if given)."""
    places: list[Place] = []
    for item in items:
        places += item.places(episode, later_than)
    return tuple(places)


def _dated_before_referral(child: Child, item: Dated) -> Iterator[Finding]:
    """One finding per `item` date strictly before its own episode's referral date."""
    for episode in child.episodes:
        referral = episode.referral_date
        if referral is None:
            continue
        for node, day in item.in_episode(episode):
            if day < referral:
                yield Finding(at(node, item.element) + at(episode, "CINreferralDate"))


def open_further_action(episode: Episode) -> bool:
    """No valid closure date and ReferralNFA false (S5), the case 8815, 8816 and 8820 watch."""
    return episode.is_open and episode.is_further_action


# -- referral ---------------------------------------------------------------------------

def referral_missing_or_late(child: Child, ctx: Context) -> Iterator[Finding]:
    """8600: an episode needs a valid referral date on or before ReferenceDate; no lower limit.

    Passes: E{ref 2025-03-31}.
    Fails: E{ref 2025-04-01}; E{ref —}; E{ref 31/03/2025}.
    """
    for episode in child.episodes:
        referral = episode.referral_date
        if referral is None or referral > ctx.reference_date:
            yield found(episode, "CINreferralDate")


def referral_long_before_birth(child: Child, ctx: Context) -> Iterator[Finding]:
    """8606: a referral may not be more than 280 days before the date of birth or expected birth.

    With DOB 2024-12-31.
    Passes: E{ref 2024-03-26}.
    Fails: E{ref 2024-03-25}.
    """
    identifiers = child.identifiers
    births = [(name, day) for name, day in (("PersonBirthDate", identifiers.birth_date),
                                            ("ExpectedPersonBirthDate",
                                             identifiers.expected_birth_date))
              if day is not None]
    if not births:
        return
    for episode in child.episodes:
        referral = episode.referral_date
        if referral is None:
            continue
        # Subtracting two dates cannot overflow, unlike `birth - FORTY_WEEKS` for year 1.
        too_early = [name for name, birth in births if birth - referral > FORTY_WEEKS]
        if too_early:
            yield Finding(at(episode, "CINreferralDate") + at(identifiers, *too_early))


def referral_source_invalid(child: Child, ctx: Context) -> Iterator[Finding]:
    """8866: a referral from 2013-04-01 on needs one of the 22 referral source codes.

    Passes: E{ref 2024-05-01, source 1A}; E{ref 2013-03-31, source —}.
    Fails: E{ref 2013-04-01, source —}; E{ref 2024-05-01, source 1a}.
    """
    for episode in child.episodes:
        referral = episode.referral_date
        if (referral is not None and referral >= SOURCE_REQUIRED_FROM
                and episode.referral_source not in ctx.codes["referral-source"]):
            yield found(episode, "CINreferralDate", "ReferralSource")


@needs(DEATH)
def referral_after_death(child: Child, ctx: Context) -> Iterator[Finding]:
    """8555Q: a child cannot be referred after its date of death; the same day passes.

    With DOD 2024-06-01.
    Passes: E{ref 2024-06-01}.
    Fails: E{ref 2024-06-02}.
    """
    death = child.identifiers.death_date
    if death is None:
        return
    for episode in child.episodes:
        if episode.referral_date is not None and episode.referral_date > death:
            yield Finding(at(child.identifiers, "PersonDeathDate")
                          + at(episode, "CINreferralDate"))


@needs(ASSESSMENT)
def assessment_before_referral(child: Child, ctx: Context) -> Iterable[Finding]:
    """1103: an assessment cannot start before its own episode's referral date.

    Passes: E{ref 2024-06-10} with A{2024-06-10, —}.
    Fails: E{ref 2024-06-10} with A{2024-06-09, —}.
    """
    return _dated_before_referral(child, ASSESSMENT_START)


@needs(SECTION47)
def conference_before_referral(child: Child, ctx: Context) -> Iterable[Finding]:
    """1104: an S47 initial conference cannot be before the referral (CIN-level date not checked).

    Passes: E{ref 2024-06-10} with S{2024-06-10, 2024-06-10, false}.
    Fails: E{ref 2024-06-10} with S{2024-06-03, 2024-06-09, false}.
    """
    return _dated_before_referral(child, S47_CONFERENCE)


@needs(PROTECTION_PLAN)
def protection_plan_before_referral(child: Child, ctx: Context) -> Iterable[Finding]:
    """1105: a child protection plan cannot start before its own episode's referral date.

    Passes: E{ref 2024-06-10} with P{2024-06-10, open}.
    Fails: E{ref 2024-06-10} with P{2024-06-09, open}.
    """
    return _dated_before_referral(child, PLAN_START)


@needs(SECTION47)
def section47_before_referral(child: Child, ctx: Context) -> Iterable[Finding]:
    """2889: a Section 47 enquiry cannot start before its own episode's referral date.

    Passes: E{ref 2024-06-10} with S{2024-06-10, —, false}.
    Fails: E{ref 2024-06-10} with S{2024-06-09, —, false}.
    """
    return _dated_before_referral(child, S47_START)


def primary_need_invalid(child: Child, ctx: Context) -> Iterator[Finding]:
    """8650: a primary need code, when given, must be N0 to N9 (case-sensitive).

    Passes: E{need N0}; E{need ` N1 `}; E{need —}.
    Fails: E{need N10}; E{need n1}; E{need NO} (letter O).
    """
    for episode in child.episodes:
        if episode.primary_need is not None and episode.primary_need not in ctx.codes["primary-need"]:
            yield found(episode, "PrimaryNeedCode")


# -- no further action ------------------------------------------------------------------

@needs(NOT_FURTHER_ACTION)
def nfa_flag_missing_or_invalid(child: Child, ctx: Context) -> Iterator[Finding]:
    """8568: ReferralNFA must be true, false, 1 or 0 (any case, trimmed).

    Passes: E{NFA TRUE}; E{NFA ` 0 `}.
    Fails: E{NFA —}; E{NFA yes}; E{NFA 1.0}.
    """
    for episode in child.episodes:
        if episode.referral_nfa is None:
            yield found(episode, "ReferralNFA")


@needs(NOT_FURTHER_ACTION)
def nfa_referral_before_census(child: Child, ctx: Context) -> Iterator[Finding]:
    """8569Q: a referral before 1 working day before the census start must have ReferralNFA false.

    The NFA decision is made within one working day, so only a referral on or after that working
    day (2024-03-28 for the Easter start 2024-04-01) may be an NFA case of this census.
    Passes: E{ref 2024-03-28, NFA true}; E{ref 2023-11-06, NFA false}.
    Fails: E{ref 2024-03-27, NFA true}; E{ref 2023-11-06, NFA —}.
    """
    cut_off = working_days_before(ctx.period.start, 1)
    for episode in child.episodes:
        referral = episode.referral_date
        if referral is not None and referral < cut_off and not episode.is_further_action:
            yield found(episode, "CINreferralDate", "ReferralNFA")


def primary_need_missing(child: Child, ctx: Context) -> Iterator[Finding]:
    """8610: a referral that led to further action needs a primary need code.

    Passes: E{NFA false, need N0}; E{NFA true, need —}.
    Fails: E{NFA FALSE, need —}.
    """
    for episode in child.episodes:
        if episode.is_further_action and episode.primary_need is None:
            yield found(episode, "ReferralNFA", "PrimaryNeedCode")


@needs(NOT_FURTHER_ACTION)
def nfa_with_activity(child: Child, ctx: Context) -> Iterator[Finding]:
    """8831: an NFA episode cannot hold assessment or S47 dates or a conference date (S6).

    Passes: E{ref 2024-05-01, NFA true} with C{2024-05-02, —}.
    Fails: E{ref 2024-05-01, NFA true} with A{2024-05-02, —}.
    """
    for episode in child.episodes:
        if episode.is_nfa:
            places = activity(episode, ACTIVITY_ON_NFA)
            if places:
                yield Finding(at(episode, "ReferralNFA") + places)


@needs(NOT_FURTHER_ACTION, PROTECTION_PLAN)
def nfa_with_protection_plan(child: Child, ctx: Context) -> Iterator[Finding]:
    """8832: an NFA episode cannot hold a child protection plan, whatever its dates.

    Passes: E{ref 2024-05-01, NFA false} with P{2024-05-02, open}.
    Fails: E{ref 2024-05-01, NFA true} with P{2024-05-02, open}.
    """
    for episode in child.episodes:
        if episode.is_nfa:
            places = activity(episode, PROTECTION_ON_NFA)
            if places:
                yield Finding(at(episode, "ReferralNFA") + places)


# -- closure ----------------------------------------------------------------------------

@needs(CLOSURE)
def closure_outside_census_year(child: Child, ctx: Context) -> Iterator[Finding]:
    """8620: a closure date must fall within the census year, both ends included.

    Passes: E{close 2024-04-01, RC7}; E{close 2025-03-31, RC7}.
    Fails: E{close 2024-03-31, RC7}; E{close 2025-04-01, RC7}.
    """
    for episode in child.episodes:
        if episode.closure_date is not None and episode.closure_date not in ctx.period:
            yield found(episode, "CINclosureDate")


@needs(CLOSURE)
def closure_before_referral(child: Child, ctx: Context) -> Iterator[Finding]:
    """8630: an episode cannot close before its referral; closing the same day is allowed.

    Passes: E{ref 2024-06-01, close 2024-06-01, RC7}.
    Fails: E{ref 2024-06-01, close 2024-05-31, RC7}.
    """
    for episode in child.episodes:
        referral, closure = episode.referral_date, episode.closure_date
        if referral is not None and closure is not None and closure < referral:
            yield found(episode, "CINreferralDate", "CINclosureDate")


@needs(CLOSURE)
def closure_reason_invalid(child: Child, ctx: Context) -> Iterator[Finding]:
    """8640: a reason for closure, when given, must be RC1 to RC9 (case-sensitive).

    Passes: E{close 2024-06-14, RC8}; E{close 2024-06-14, reason ` RC7 `}; E{reason —}.
    Fails: E{close 2024-06-14, RC10}; E{close 2024-06-14, reason rc1};
    E{close 2024-06-14, reason `RC 1`}.
    """
    for episode in child.episodes:
        reason = episode.reason_for_closure
        if reason is not None and reason not in ctx.codes["reason-for-closure"]:
            yield found(episode, "ReasonForClosure")


@needs(CLOSURE)
def closure_without_reason(child: Child, ctx: Context) -> Iterator[Finding]:
    """8805: a valid closure date needs a reason for closure (any value; 8640 checks the code).

    Passes: E{ref 2024-05-01, close 2024-06-01, reason XX}.
    Fails: E{ref 2024-05-01, close 2024-06-01}.
    """
    for episode in child.episodes:
        if episode.closure_date is not None and episode.reason_for_closure is None:
            yield found(episode, "CINclosureDate", "ReasonForClosure")


@needs(CLOSURE)
def reason_without_closure(child: Child, ctx: Context) -> Iterator[Finding]:
    """8810: a reason for closure needs a valid closure date (an invalid date counts as absent).

    Passes: E{ref 2024-05-01, close 2024-06-01, RC7}.
    Fails: E{ref 2024-05-01, close 2024-06-31, RC7}.
    """
    for episode in child.episodes:
        if episode.reason_for_closure is not None and episode.closure_date is None:
            yield found(episode, "ReasonForClosure", "CINclosureDate")


@needs(CLOSURE)
def died_without_death_date(child: Child, ctx: Context) -> Iterator[Finding]:
    """8585Q: an episode closed as RC2 (died) needs the child's valid date of death.

    Passes: DOD 2024-09-08 with E{ref 2024-05-01, close 2024-09-10, RC2}.
    Fails: E{ref 2024-05-01, close 2024-09-10, RC2};
    DOD 2024-09-31 with E{ref 2024-05-01, close 2024-09-10, RC2}.
    """
    if child.identifiers.death_date is not None:
        return
    for episode in child.episodes:
        if episode.reason_for_closure == "RC2":
            yield Finding(at(episode, "ReasonForClosure")
                          + at(child.identifiers, "PersonDeathDate"))


@needs(CLOSURE)
def activity_after_closure(child: Child, ctx: Context) -> Iterator[Finding]:
    """8565: no activity date of a closed episode (S6 list) may be later than its closure date.

    Passes: E{ref 2024-05-01, close 2024-07-01, RC7} with A{2024-05-02, 2024-07-01}.
    Fails: E{ref 2024-05-01, close 2024-07-01, RC7} with A{2024-05-02, 2024-07-02};
    E{ref 2024-05-01, close 2024-07-01, RC7} with P{2024-05-20..2024-07-02}.
    """
    for episode in child.episodes:
        closure = episode.closure_date
        if closure is not None:
            places = activity(episode, ACTIVITY_AFTER_CLOSURE, later_than=closure)
            if places:
                yield Finding(at(episode, "CINclosureDate") + places)


@needs(CLOSURE)
def activity_after_assessment_closure(child: Child, ctx: Context) -> Iterator[Finding]:
    """2990: an RC8 or RC9 episode holds no S47, plan or CIN plan, nor a CIN-level conference.

    Passes: E{ref 2024-05-01, close 2024-06-14, RC8} with A{2024-05-02, 2024-06-14}.
    Fails: E{ref 2024-05-01, close 2024-06-14, RC8} with S{2024-05-02, —, true}.
    """
    for episode in child.episodes:
        if episode.closed_after_assessment:
            places = activity(episode, ACTIVITY_AFTER_ASSESSMENT_CLOSURE)
            if places:
                yield Finding(at(episode, "ReasonForClosure") + places)


@needs(CLOSURE)
def assessment_closure_without_assessment(child: Child, ctx: Context) -> Iterator[Finding]:
    """8825Q: an RC8 or RC9 episode must hold an assessment (any present group counts).

    Passes: E{ref 2024-05-01, close 2024-06-14, RC9} with A{—, 2024-06-14}.
    Fails: E{ref 2024-05-01, close 2024-06-14, RC8};
    E{ref 2024-05-01, close 2024-06-14, RC8, `<Assessments/>`}.
    """
    for episode in child.episodes:
        if episode.closed_after_assessment and not episode.assessments:
            yield found(episode, "ReasonForClosure")


@needs(SECTION47)
def section47_without_assessment(child: Child, ctx: Context) -> Iterator[Finding]:
    """2991Q: an episode with a Section 47 enquiry must hold an assessment; one issue per episode.

    Passes: E{ref 2024-05-01} with S{2024-05-03, —, true} and A{2024-05-02, —}.
    Fails: E{ref 2024-05-01} with S{2024-05-03, —, true}.
    """
    for episode in child.episodes:
        if episode.section47s and not episode.assessments:
            yield Finding(at_each(episode.section47s, "S47ActualStartDate")
                          + at(episode, "CINreferralDate"))


# -- episodes and their order -------------------------------------------------------------

def no_episode(child: Child, ctx: Context) -> Iterator[Finding]:
    """8590: a child must have at least one present <CINdetails> (an empty one is no episode).

    Passes: E{ref 2024-06-03}.
    Fails: no episodes; `<CINdetails/>`.
    """
    if not child.episodes:
        yield found(child.identifiers, "LAchildID")


@needs(SEVERAL_EPISODES)
def several_open_further_action(child: Child, ctx: Context) -> Iterator[Finding]:
    """8815: at most one open further-action episode per child; one issue naming all of them.

    Passes: E{ref 2023-05-02, NFA false} and E{ref 2024-09-02, NFA true}.
    Fails: E{ref 2023-05-02, NFA false} and E{ref 2024-09-02, NFA 0}.
    """
    if len(child.episodes) < 2:
        return
    counted = [episode for episode in child.episodes if open_further_action(episode)]
    if len(counted) > 1:
        yield Finding(at_each(counted, "CINclosureDate", "ReferralNFA"))


@needs(SEVERAL_EPISODES)
def open_episode_not_latest(child: Child, ctx: Context) -> Iterator[Finding]:
    """8816: an open further-action episode must have the child's latest referral date (ties pass).

    Passes: E{ref 2024-05-01, close 2024-06-01, RC7} and E{ref 2024-05-01, NFA false}.
    Fails: E{ref 2024-05-01, NFA false} and E{ref 2024-08-01, NFA true}.
    """
    if len(child.episodes) < 2:
        return  # an only episode is the latest
    candidates = [e for e in child.episodes
                  if open_further_action(e) and e.referral_date is not None]
    if not candidates:
        return
    latest = max(e.referral_date for e in child.episodes if e.referral_date is not None)
    not_latest = [episode for episode in candidates if episode.referral_date < latest]
    if not not_latest:
        return
    shown, more = first_few([other for other in child.episodes if other.referral_date == latest],
                            "episodes with the latest referral date")
    latest_places = at_each(shown, "CINreferralDate")
    for episode in not_latest:
        yield Finding(at(episode, "CINreferralDate", "CINclosureDate", "ReferralNFA")
                      + latest_places, detail=more)


def _span(episode: Episode, reference_date: date) -> tuple[date, date] | None:
    """The days an episode covers for 8820, both ends inclusive: from its referral to the day
    before its closure date, or before ReferenceDate while it is an open further-action one.

    An open episode whose flag is true or not given covers nothing.
    """
    if episode.closure_date is not None:
        return until_before(episode.referral_date, episode.closure_date)
    if episode.is_further_action:
        return until_before(episode.referral_date, reference_date)
    return None


@needs(SEVERAL_EPISODES)
def overlapping_episodes(child: Child, ctx: Context) -> Iterator[Finding]:
    """8820: no referral may fall inside another episode of the child; one issue per ordered pair.

    An episode may start on the day the previous one closed. At most OTHERS_SHOWN pairs per
    episode A; the last one says how many more (rules/decisions.md).
    Passes: E{ref 2024-05-01, close 2024-07-01, RC7} and E{ref 2024-07-01, close 2024-08-01, RC7}.
    Fails: E{ref 2024-05-01, close 2024-07-01, RC7} and E{ref 2024-06-30, close 2024-08-01, RC7}.
    """
    episodes = child.episodes
    if len(episodes) < 2:
        return
    referrals = [(episode, episode.referral_date) for episode in episodes]
    spans = [(episode, _span(episode, ctx.reference_date)) for episode in episodes]
    for a, bs, total in within_others(referrals, spans, OTHERS_SHOWN):
        more = and_more(total - len(bs), "episodes its referral date falls inside")
        yield from one_per_pair(at(a, "CINreferralDate"),
                                [at(b, "CINreferralDate", "CINclosureDate") for b in bs], more)


CHILD_CHECKS = {
    # referral
    "8600": referral_missing_or_late,
    "8606": referral_long_before_birth,
    "8866": referral_source_invalid,
    "8555Q": referral_after_death,
    "1103": assessment_before_referral,
    "1104": conference_before_referral,
    "1105": protection_plan_before_referral,
    "2889": section47_before_referral,
    "8650": primary_need_invalid,
    # no further action
    "8568": nfa_flag_missing_or_invalid,
    "8569Q": nfa_referral_before_census,
    "8610": primary_need_missing,
    "8831": nfa_with_activity,
    "8832": nfa_with_protection_plan,
    # closure
    "8620": closure_outside_census_year,
    "8630": closure_before_referral,
    "8640": closure_reason_invalid,
    "8805": closure_without_reason,
    "8810": reason_without_closure,
    "8585Q": died_without_death_date,
    # activity
    "8565": activity_after_closure,
    "2990": activity_after_assessment_closure,
    "8825Q": assessment_closure_without_assessment,
    "2991Q": section47_without_assessment,
    # episodes and their order
    "8590": no_episode,
    "8815": several_open_further_action,
    "8816": open_episode_not_latest,
    "8820": overlapping_episodes,
}
RETURN_CHECKS: dict = {}
