"""Child protection plans and their reviews (group 4).

Examples use the spec's notation: P{start, end} is one <ChildProtectionPlans> group ("—" for
an absent value), S{start, conference, flag} a <Section47> group and E{...} an episode.
ReferenceDate is 2025-03-31 throughout, so the census year is 2024-04-01 to 2025-03-31.
"""

from __future__ import annotations

from typing import Iterable

from ..model import Child, starting_within_others
from .base import (OTHERS_SHOWN, Context, Finding, Place, and_more, at, at_each, first_few,
                   found)
from .facts import DEATH, PROTECTION_PLAN, needs



class MorePlansThanConferences:
    """2883: more plans start in the census year than initial conferences take place in it.

    Totals over the whole return, nothing matched or de-duplicated: plans with a CPPstartDate in
    the year against CIN-level plus S47-level DateOfInitialCPC in the year.
    Passes: P{2025-03-31, —} and S{2025-03-10, 2025-03-31, false}.
    Fails: P{2024-04-02, —} and S{2024-03-20, 2024-03-28, false} (conference before the year).
    """

    def __init__(self, ctx: Context) -> None:
        self.period = ctx.period
        self.plans = self.cin_level = self.s47_level = 0

    def observe(self, child: Child) -> None:
        period = self.period
        for episode in child.episodes:  # most episodes have neither enquiries nor plans
            self.cin_level += episode.initial_cpc_date in period
            if episode.section47s:
                self.s47_level += sum(s47.icpc_date in period for s47 in episode.section47s)
            if episode.protection_plans:
                self.plans += sum(plan.start_date in period for plan in episode.protection_plans)

    def finish(self) -> Iterable[Finding]:
        conferences = self.cin_level + self.s47_level
        if self.plans > conferences:
            counted = (Place("CINdetails/ChildProtectionPlans", "CPPstartDate", None, None),
                       Place("CINdetails", "DateOfInitialCPC", None, None),
                       Place("CINdetails/Section47", "DateOfInitialCPC", None, None))
            yield Finding(counted, detail=(
                f"{self.plans} plans start in the census year, {conferences} initial conferences "
                f"take place ({self.cin_level} CIN-level, {self.s47_level} S47-level)"))


@needs(PROTECTION_PLAN)
def plan_start_not_on_conference_day(child: Child, ctx: Context) -> Iterable[Finding]:
    """2885: a plan starting in the census year starts on its episode's conference day.

    The conference is an S47 one when the episode has S47 groups needing one (ICPCnotRequired
    not true); only without such groups does the CIN-level date count (open question 4).
    One issue per plan, naming the conference dates compared (at most OTHERS_SHOWN).
    Passes: E{S{2024-05-01, 2024-05-20, false}, P{2024-05-20, —}}.
    Fails: E{CIN-level 2024-06-17, S{2024-09-02, —, false}, P{2024-06-17, —}}.
    """
    for episode in child.episodes:
        if not episode.protection_plans:
            continue
        associated = [s47 for s47 in episode.section47s if s47.icpc_not_required is not True]
        conference_days = ({s47.icpc_date for s47 in associated} if associated
                           else {episode.initial_cpc_date})
        compared = more = None  # the same for every plan of the episode: built once
        for plan in episode.protection_plans:
            if plan.start_date in ctx.period and plan.start_date not in conference_days:
                if compared is None:
                    shown, more = first_few(associated, "Section 47 conference dates")
                    compared = (at_each(shown, "DateOfInitialCPC") if associated
                                else at(episode, "DateOfInitialCPC"))
                yield Finding(at(plan, "CPPstartDate") + compared, detail=more)


@needs(PROTECTION_PLAN)
def start_missing_or_after_reference_date(child: Child, ctx: Context) -> Iterable[Finding]:
    """8720: a plan needs a valid start on or before ReferenceDate; there is no lower limit.

    Passes: P{2023-11-06, —}; P{2025-03-31, —}.
    Fails: P{2025-04-01, —}; P{—, —}.
    """
    for _, plan in child.protection_plans():
        if plan.start_date is None or plan.start_date > ctx.reference_date:
            yield found(plan, "CPPstartDate")


@needs(PROTECTION_PLAN)
def previous_plans_missing(child: Child, ctx: Context) -> Iterable[Finding]:
    """8730: NumberOfPreviousCPP must be a whole number of zero or more.

    Passes: P{…, previous 0}; P{…, previous +2}.
    Fails: P{…, previous —}; P{…, previous ""}; P{…, previous -1}; P{…, previous abc};
    P{…, previous 1.5}.
    """
    for _, plan in child.protection_plans():
        if plan.previous_plans is None or plan.previous_plans < 0:
            yield found(plan, "NumberOfPreviousCPP")


@needs(PROTECTION_PLAN)
def starts_and_ends_same_day(child: Child, ctx: Context) -> Iterable[Finding]:
    """8840: a plan cannot start and end on the same day.

    Passes: P{2024-09-02, 2024-09-03}.
    Fails: P{2024-09-02, 2024-09-02}.
    """
    for _, plan in child.protection_plans():
        if plan.start_date is not None and plan.start_date == plan.end_date:
            yield found(plan, "CPPstartDate", "CPPendDate")


@needs(PROTECTION_PLAN)
def review_not_after_start(child: Child, ctx: Context) -> Iterable[Finding]:
    """8841: each review date of a plan must be after the plan's own start; the start day fires.

    Every CPPreviewDate of every <Reviews> is checked, one issue each.
    Passes: P{2024-05-20, —, reviews[2024-05-21]}.
    Fails: P{2024-05-20, —, reviews[2024-05-20]}.
    """
    for _, plan in child.protection_plans():
        if plan.start_date is None:
            continue
        for review in plan.reviews:
            if review.date is not None and review.date <= plan.start_date:
                yield Finding(at(plan, "CPPstartDate") + at(review, "CPPreviewDate"))


@needs(PROTECTION_PLAN)
def reviews_without_date(child: Child, ctx: Context) -> Iterable[Finding]:
    """8842Q: a present <Reviews> group holds no valid CPPreviewDate.

    An empty <Reviews/> is no group and is silent; a valid date beside an empty one passes.
    Passes: P{…, reviews[2024-08-01, ""]}.
    Fails: P{…, reviews[""]}; P{…, reviews[2024-02-30]}.
    """
    for _, plan in child.protection_plans():
        for group in plan.review_groups:
            if any(review.date is not None for review in group.reviews):
                continue
            # A group of unknown elements only has no CPPreviewDate to show: name the group.
            yield Finding(at_each(group.reviews, "CPPreviewDate")
                          or (Place(plan.path, "Reviews", None, group.line),))


@needs(PROTECTION_PLAN)
def initial_category_invalid(child: Child, ctx: Context) -> Iterable[Finding]:
    """8905: InitialCategoryOfAbuse must be one of NEG, PHY, SAB, EMO, MUL (case-sensitive).

    Passes: P{…, initial ` EMO `}.
    Fails: P{…, initial —}; P{…, initial ""}; P{…, initial neg}; P{…, initial CSE}.
    """
    for _, plan in child.protection_plans():
        if plan.initial_category not in ctx.codes["category-of-abuse"]:
            yield found(plan, "InitialCategoryOfAbuse")


@needs(PROTECTION_PLAN)
def latest_category_invalid(child: Child, ctx: Context) -> Iterable[Finding]:
    """8910: LatestCategoryOfAbuse must be one of NEG, PHY, SAB, EMO, MUL (case-sensitive).

    Passes: P{…, latest PHY}.
    Fails: P{…, latest —}; P{…, latest Neg}; P{…, latest NONE}.
    """
    for _, plan in child.protection_plans():
        if plan.latest_category not in ctx.codes["category-of-abuse"]:
            yield found(plan, "LatestCategoryOfAbuse")


def _plans_dated_after_death(child: Child, date_of, field: str) -> Iterable[Finding]:
    """One finding per plan whose `date_of(plan)` is after the child's date of death."""
    death = child.identifiers.death_date
    if death is None:
        return
    for _, plan in child.protection_plans():
        day = date_of(plan)
        if day is not None and day > death:
            yield Finding(at(plan, field) + at(child.identifiers, "PersonDeathDate"))


@needs(PROTECTION_PLAN, DEATH)
def starts_after_death(child: Child, ctx: Context) -> Iterable[Finding]:
    """8915: a plan cannot start after the child's date of death; the same day passes.

    With DOD 2024-06-30.
    Passes: P{2024-06-30, —}.
    Fails: P{2024-07-01, —}.
    """
    return _plans_dated_after_death(child, lambda plan: plan.start_date, "CPPstartDate")


@needs(PROTECTION_PLAN, DEATH)
def ends_after_death(child: Child, ctx: Context) -> Iterable[Finding]:
    """8920: a plan cannot end after the child's date of death; open plans are silent.

    The DfE text asks for an end on or before death, not for an end (open question 5).
    With DOD 2024-06-30.
    Passes: P{2024-06-03, 2024-06-30}; P{2024-06-03, —}.
    Fails: P{2024-06-03, 2024-07-01}.
    """
    return _plans_dated_after_death(child, lambda plan: plan.end_date, "CPPendDate")


@needs(PROTECTION_PLAN)
def ends_before_start(child: Child, ctx: Context) -> Iterable[Finding]:
    """8925: a plan's end date cannot be before its start date (the same day is 8840's).

    Passes: P{2024-09-02, 2024-09-02}.
    Fails: P{2024-09-02, 2024-09-01}.
    """
    for _, plan in child.protection_plans():
        if (plan.start_date is not None and plan.end_date is not None
                and plan.end_date < plan.start_date):
            yield found(plan, "CPPstartDate", "CPPendDate")


@needs(PROTECTION_PLAN)
def end_outside_census_year(child: Child, ctx: Context) -> Iterable[Finding]:
    """8930: a plan's end date must fall within the census year, both ends included.

    Passes: P{2024-03-01, 2024-04-01}.
    Fails: P{2024-03-01, 2024-03-31}.
    """
    for _, plan in child.protection_plans():
        if plan.end_date is not None and plan.end_date not in ctx.period:
            yield found(plan, "CPPendDate")


@needs(PROTECTION_PLAN)
def several_open_plans(child: Child, ctx: Context) -> Iterable[Finding]:
    """8935: a child has two or more open plans, counted across all episodes (open question 6).

    Passes: P{2024-05-01, 2024-06-01} and P{2024-06-03, —}.
    Fails: E{P{2024-05-01, —}} and E{P{2024-09-02, —}}.
    """
    open_plans = [plan for _, plan in child.protection_plans() if plan.is_open]
    if len(open_plans) >= 2:
        yield Finding(at_each(open_plans, "CPPendDate", "CPPstartDate"))


@needs(PROTECTION_PLAN)
def starts_during_another(child: Child, ctx: Context) -> Iterable[Finding]:
    """8940: a plan starts on or between another plan's start and end, across episodes.

    An open plan lasts until ReferenceDate; touching counts (open question 9). One issue per
    plan that starts inside others, naming them (at most OTHERS_SHOWN).
    Passes: P{2024-05-01, 2024-06-03} and P{2024-06-04, —}.
    Fails: P{2024-05-01, 2024-06-03} and P{2024-06-03, —} (the second is flagged).
    """
    plans = [plan for episode in child.episodes for plan in episode.protection_plans]
    for plan, others, total in starting_within_others(plans, ctx.reference_date, OTHERS_SHOWN):
        yield Finding(at(plan, "CPPstartDate") + at_each(others, "CPPstartDate", "CPPendDate"),
                      detail=and_more(total - len(others),
                                      "child protection plans it starts inside"))


CHILD_CHECKS = {
    "2885": plan_start_not_on_conference_day,
    "8720": start_missing_or_after_reference_date,
    "8730": previous_plans_missing,
    "8840": starts_and_ends_same_day,
    "8841": review_not_after_start,
    "8842Q": reviews_without_date,
    "8905": initial_category_invalid,
    "8910": latest_category_invalid,
    "8915": starts_after_death,
    "8920": ends_after_death,
    "8925": ends_before_start,
    "8930": end_outside_census_year,
    "8935": several_open_plans,
    "8940": starts_during_another,
}
RETURN_CHECKS = {
    "2883": MorePlansThanConferences,
}
