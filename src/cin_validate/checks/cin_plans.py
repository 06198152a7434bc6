"""CIN plans, on their own and against child protection plans, reviews and death (group 3).

Spec: group3-assessments-cin-plans.md. A CIN plan or a child protection plan (CPP) is *open*
when it has no valid end date (D5). Examples below use the spec's notation C{start..end},
C{start, open}, P{start..end, reviews[...]} and E{...}, with ReferenceDate 2025-03-31.
"""

from __future__ import annotations

from datetime import date
from typing import Iterable, Iterator

from ..model import (Child, CINPlan, ProtectionPlan, interval, starting_within_others,
                     until_before, within_others)
from .base import OTHERS_SHOWN, Context, Finding, and_more, at, at_each, found, one_per_pair
from .facts import (CIN_PLAN, DEATH, NOT_FURTHER_ACTION, PROTECTION_PLAN, SEVERAL_CIN_PLANS,
                    needs)

Plan = CINPlan | ProtectionPlan


def _running(plan: Plan, reference_date: date) -> tuple[date, date] | None:
    """The days a plan runs for 4003, 4016 and 4017: from its start to the day before its end,
    or to ReferenceDate while it is open (both inclusive).

    The end day is excluded: a CIN plan may end on the day a CPP starts (or the reverse), and
    a CPP review held on the day a CIN plan ends is allowed (4003, 4016, 4017).
    """
    if plan.end_date is not None:
        return until_before(plan.start_date, plan.end_date)
    return interval(plan.start_date, None, reference_date)


def _starting_during(starters: Iterable[Plan], spans: Iterable[Plan],
                     reference_date: date) -> Iterator[tuple[Plan, list[Plan], int]]:
    """Each plan of `starters` that starts while plans of `spans` run: (the plan, the first
    OTHERS_SHOWN of those, how many there are)."""
    return within_others([(plan, plan.start_date) for plan in starters],
                         [(plan, _running(plan, reference_date)) for plan in spans],
                         OTHERS_SHOWN)


def _plans_after_death(child: Child, date_of, field: str) -> Iterable[Finding]:
    """One finding per dead child whose CIN plans have `date_of(plan)` after the death date."""
    death = child.identifiers.death_date
    if death is None:
        return
    late = [plan for _, plan in child.cin_plans()
            if (day := date_of(plan)) is not None and day > death]
    if late:
        yield Finding(at(child.identifiers, "PersonDeathDate") + at_each(late, field))


@needs(CIN_PLAN, NOT_FURTHER_ACTION)
def cin_plan_on_nfa_referral(child: Child, ctx: Context) -> Iterable[Finding]:
    """4000: a referral with no further action (ReferralNFA true or 1) has no CIN plan.

    Passes: E{NFA false} with C{2024-06-03, open}.
    Fails: E{NFA true} with C{2024-06-03, open}.
    """
    for episode in child.episodes:
        if episode.is_nfa and episode.cin_plans:
            yield Finding(at(episode, "ReferralNFA")
                          + at_each(episode.cin_plans, "CINPlanStartDate"))


@needs(CIN_PLAN, PROTECTION_PLAN)
def open_cin_plan_with_open_protection_plan(child: Child, ctx: Context) -> Iterable[Finding]:
    """4001: an episode must not hold both an open CPP and an open CIN plan (any start dates).

    Passes: P{2024-09-02, open} and C{2024-06-03..2024-09-02}.
    Fails: P{2024-09-02, open} and C{2024-06-03, open}.
    """
    for episode in child.episodes:
        if not episode.cin_plans or not episode.protection_plans:
            continue
        open_cpps = [p for p in episode.protection_plans if p.is_open]
        open_plans = [c for c in episode.cin_plans if c.is_open]
        if open_cpps and open_plans:
            yield Finding(at_each(open_cpps, "CPPendDate")
                          + at_each(open_plans, "CINPlanEndDate"))


@needs(CIN_PLAN, PROTECTION_PLAN)
def review_during_cin_plan(child: Child, ctx: Context) -> Iterable[Finding]:
    """4003: a CPP review falls on or after a closed CIN plan's start and before its end.

    Only plans of the review's own episode with both dates valid are used (O3); a review on
    its own CPP's end date is allowed. One issue per review date, listing the plans (at most
    OTHERS_SHOWN, then how many more).
    Passes: C{2024-05-01..2024-07-01} and P{2024-04-15..2024-07-15, reviews[2024-07-01]}.
    Fails: C{2024-05-01..2024-10-01} and P{2024-04-15..2024-06-10, reviews[2024-05-01]}.
    """
    for episode in child.episodes:
        if not episode.protection_plans:
            continue
        closed = [c for c in episode.cin_plans if not c.is_open]
        if not closed:
            continue
        reviews = [((cpp, review), review.date) for cpp in episode.protection_plans
                   for review in cpp.reviews if review.date != cpp.end_date]
        spans = [(plan, _running(plan, ctx.reference_date)) for plan in closed]
        for (cpp, review), hits, total in within_others(reviews, spans, OTHERS_SHOWN):
            yield Finding(at(review, "CPPreviewDate")
                          + at_each(hits, "CINPlanStartDate", "CINPlanEndDate")
                          + at(cpp, "CPPendDate"),
                          detail=and_more(total - len(hits), "CIN plans it falls inside"))


@needs(SEVERAL_CIN_PLANS)
def several_open_cin_plans_in_episode(child: Child, ctx: Context) -> Iterable[Finding]:
    """4004: at most one open CIN plan per episode; points at the open ones only.

    Passes: C{2024-06-03..2024-11-01} and C{2024-11-04, open}.
    Fails: C{2024-06-03, open} and C{2024-11-04, open}.
    """
    for episode in child.episodes:
        open_plans = [c for c in episode.cin_plans if c.is_open]
        if len(open_plans) > 1:
            yield Finding(at_each(open_plans, "CINPlanEndDate"))


@needs(CIN_PLAN, DEATH)
def cin_plan_starts_after_death(child: Child, ctx: Context) -> Iterable[Finding]:
    """4008: no CIN plan starts after the child's date of death; one issue per child.

    With DOD 2024-11-20.
    Passes: C{2024-11-20, open}.
    Fails: C{2024-11-21, open}.
    """
    return _plans_after_death(child, lambda plan: plan.start_date, "CINPlanStartDate")


@needs(CIN_PLAN, DEATH)
def cin_plan_ends_after_death(child: Child, ctx: Context) -> Iterable[Finding]:
    """4009Q: no CIN plan ends after the child's date of death; open plans are silent (O7).

    With DOD 2024-11-20.
    Passes: C{2024-06-03..2024-11-20}; C{2024-06-03, open}.
    Fails: C{2024-06-03..2024-11-21}.
    """
    return _plans_after_death(child, lambda plan: plan.end_date, "CINPlanEndDate")


@needs(CIN_PLAN)
def cin_plan_start_missing_or_after_census(child: Child, ctx: Context) -> Iterable[Finding]:
    """4010: a CIN plan needs a valid start date on or before ReferenceDate (no lower bound).

    Passes: C{2019-06-03, open}.
    Fails: C{2025-04-01, open}; C{—..2024-06-28}.
    """
    for episode in child.episodes:
        for plan in episode.cin_plans:
            if plan.start_date is None or plan.start_date > ctx.reference_date:
                yield found(plan, "CINPlanStartDate")


@needs(CIN_PLAN)
def cin_plan_ends_before_start(child: Child, ctx: Context) -> Iterable[Finding]:
    """4011: a CIN plan's end date is not before its start date.

    Passes: C{2024-06-10..2024-06-10}.
    Fails: C{2024-06-10..2024-06-09}.
    """
    for episode in child.episodes:
        for plan in episode.cin_plans:
            if plan.start_date and plan.end_date and plan.end_date < plan.start_date:
                yield found(plan, "CINPlanEndDate", "CINPlanStartDate")


@needs(CIN_PLAN)
def cin_plan_starts_and_ends_same_day(child: Child, ctx: Context) -> Iterable[Finding]:
    """4012Q: a CIN plan should not start and end on the same day.

    Passes: C{2024-06-10..2024-06-11}.
    Fails: C{2024-06-10..2024-06-10}.
    """
    for episode in child.episodes:
        for plan in episode.cin_plans:
            if plan.start_date is not None and plan.start_date == plan.end_date:
                yield found(plan, "CINPlanStartDate", "CINPlanEndDate")


@needs(CIN_PLAN)
def cin_plan_end_outside_census_year(child: Child, ctx: Context) -> Iterable[Finding]:
    """4013: a valid CIN plan end date falls within the census year, both ends included.

    Passes: C{2023-01-09..2024-04-01}.
    Fails: C{2023-01-09..2024-03-31}.
    """
    for episode in child.episodes:
        for plan in episode.cin_plans:
            if plan.end_date is not None and plan.end_date not in ctx.period:
                yield found(plan, "CINPlanEndDate")


@needs(SEVERAL_CIN_PLANS)
def overlapping_cin_plans(child: Child, ctx: Context) -> Iterable[Finding]:
    """4014: no CIN plan of a child starts on or between another's start and end (any episode).

    An open plan lasts to ReferenceDate; touching plans overlap (O2) and identical plans fire
    on each other (O4). One issue per ordered pair (X starts inside Y), for at most
    OTHERS_SHOWN plans Y per X; the last one says how many more (rules/decisions.md).
    Passes: C{2024-05-01..2024-07-01} and C{2024-07-02, open}.
    Fails: C{2024-05-01..2024-07-01} and C{2024-07-01..2024-09-02}.
    """
    plans = [plan for episode in child.episodes for plan in episode.cin_plans]
    for x, ys, total in starting_within_others(plans, ctx.reference_date, OTHERS_SHOWN):
        yield from one_per_pair(at(x, "CINPlanStartDate"),
                                [at(y, "CINPlanStartDate", "CINPlanEndDate") for y in ys],
                                and_more(total - len(ys), "CIN plans it starts inside"))


@needs(CIN_PLAN)
def cin_plan_before_referral(child: Child, ctx: Context) -> Iterable[Finding]:
    """4015: a CIN plan does not start before its own episode's referral date.

    Passes: E{ref 2024-05-13} with C{2024-05-13, open}.
    Fails: E{ref 2024-05-13} with C{2024-05-10, open}.
    """
    for episode in child.episodes:
        referral = episode.referral_date
        if referral is None:
            continue
        for plan in episode.cin_plans:
            if plan.start_date is not None and plan.start_date < referral:
                yield Finding(at(plan, "CINPlanStartDate") + at(episode, "CINreferralDate"))


@needs(CIN_PLAN, PROTECTION_PLAN)
def cin_plan_starts_during_protection_plan(child: Child, ctx: Context) -> Iterable[Finding]:
    """4016: no CIN plan starts while a CPP of the child runs (its end day excluded).

    One issue per CIN plan, listing the CPPs it starts during (at most OTHERS_SHOWN).
    With P{2024-06-03..2024-09-02}.
    Passes: C{2024-09-02, open}.
    Fails: C{2024-09-01..2024-10-01}.
    """
    cpps = [cpp for episode in child.episodes for cpp in episode.protection_plans]
    if not cpps:
        return
    plans = (plan for episode in child.episodes for plan in episode.cin_plans)
    for plan, hits, total in _starting_during(plans, cpps, ctx.reference_date):
        yield Finding(at(plan, "CINPlanStartDate") + at_each(hits, "CPPstartDate", "CPPendDate"),
                      detail=and_more(total - len(hits), "child protection plans it starts during"))


@needs(CIN_PLAN, PROTECTION_PLAN)
def protection_plan_starts_during_cin_plan(child: Child, ctx: Context) -> Iterable[Finding]:
    """4017: no CPP starts while a CIN plan of the child runs (its end day excluded).

    One issue per CPP, listing the CIN plans it starts during (at most OTHERS_SHOWN).
    With C{2024-05-01..2024-06-03}.
    Passes: P{2024-06-03, open}.
    Fails: P{2024-06-02, open}.
    """
    plans = [plan for episode in child.episodes for plan in episode.cin_plans]
    cpps = [cpp for episode in child.episodes for cpp in episode.protection_plans]
    if not plans or not cpps:
        return
    for cpp, hits, total in _starting_during(cpps, plans, ctx.reference_date):
        yield Finding(at(cpp, "CPPstartDate")
                      + at_each(hits, "CINPlanStartDate", "CINPlanEndDate"),
                      detail=and_more(total - len(hits), "CIN plans it starts during"))


CHILD_CHECKS = {
    "4000": cin_plan_on_nfa_referral,
    "4001": open_cin_plan_with_open_protection_plan,
    "4003": review_during_cin_plan,
    "4004": several_open_cin_plans_in_episode,
    "4008": cin_plan_starts_after_death,
    "4009Q": cin_plan_ends_after_death,
    "4010": cin_plan_start_missing_or_after_census,
    "4011": cin_plan_ends_before_start,
    "4012Q": cin_plan_starts_and_ends_same_day,
    "4013": cin_plan_end_outside_census_year,
    "4014": overlapping_cin_plans,
    "4015": cin_plan_before_referral,
    "4016": cin_plan_starts_during_protection_plan,
    "4017": protection_plan_starts_during_cin_plan,
}
RETURN_CHECKS: dict = {}
