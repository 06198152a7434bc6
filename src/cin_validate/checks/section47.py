"""Section 47 enquiries and initial conferences, including 8675Q (group 4).

Examples use the spec's notation for one <Section47> group: S{start, conference, flag}, where
the flag is ICPCnotRequired and "—" is an absent value; E{...} is an episode. ReferenceDate is
2025-03-31 throughout, so the census year is 2024-04-01 to 2025-03-31.

"Conference" here is always the S47-level DateOfInitialCPC (group 4 P6); the CIN-level one of
transfer-in episodes is named as such.
"""

from __future__ import annotations

from typing import Iterable

from ..dates import is_weekend
from ..model import Child, Section47, starting_within_others
from .base import OTHERS_SHOWN, Context, Finding, and_more, at, at_each, first_few, found
from .facts import CLOSURE, SECTION47, needs

# 8675Q's N in "ReferenceDate minus N working days" (group 4 P4)
CONFERENCE_DUE_WORKING_DAYS = 15


def awaits_conference(s47: Section47) -> bool:
    """No conference yet and ICPCnotRequired exactly false: guide 4.12 option C.

    Stricter than `Section47.is_open`: a flag that is not given does not count (8675Q, 8740).
    """
    return s47.icpc_date is None and s47.icpc_not_required is False


@needs(SECTION47)
def conference_recorded_at_both_levels(child: Child, ctx: Context) -> Iterable[Finding]:
    """2884: an S47 conference date equals a CIN-level conference date of the same child.

    Child-wide: the CIN-level date may sit in any episode of the same <Child> (open question 3).
    One issue per S47 group, naming the episodes (at most OTHERS_SHOWN).
    Passes: E{CIN-level 2024-05-20, S{2024-10-07, 2024-10-25, false}}.
    Fails: E{CIN-level 2024-05-20, S{2024-05-01, 2024-05-20, false}}.
    """
    transfer_ins: dict = {}  # CIN-level conference date -> the episodes holding it
    for episode in child.episodes:
        if episode.initial_cpc_date is not None:
            transfer_ins.setdefault(episode.initial_cpc_date, []).append(episode)
    if not transfer_ins:
        return
    for _, s47 in child.section47s():
        same_day = transfer_ins.get(s47.icpc_date)
        if same_day:
            shown, more = first_few(same_day, "CIN-level conference dates on the same day")
            yield Finding(at_each(shown, "DateOfInitialCPC") + at(s47, "DateOfInitialCPC"),
                          detail=more)


@needs(SECTION47)
def start_missing_or_after_conference(child: Child, ctx: Context) -> Iterable[Finding]:
    """8615: a group with a conference needs a valid start on or before the conference day.

    Passes: S{2024-05-20, 2024-05-20, false}.
    Fails: S{2024-05-21, 2024-05-20, false}; S{—, 2024-05-20, false}.
    """
    for _, s47 in child.section47s():
        if s47.icpc_held and (s47.start_date is None or s47.start_date > s47.icpc_date):
            yield found(s47, "S47ActualStartDate", "DateOfInitialCPC")


@needs(SECTION47)
def conference_overdue_at_year_end(child: Child, ctx: Context) -> Iterable[Finding]:
    """8675Q: awaiting a conference, and started before ReferenceDate minus 15 working days.

    The cut-off (2025-03-10) is itself silent: its target date, start plus 15 working days,
    is ReferenceDate, so the conference is not yet late (open question 1).
    Passes: S{2025-03-10, —, false}.
    Fails: S{2025-03-09, —, false} (a Sunday).
    """
    cut_off = ctx.period.working_days_before_end(CONFERENCE_DUE_WORKING_DAYS)
    for _, s47 in child.section47s():
        if awaits_conference(s47) and s47.start_date is not None and s47.start_date < cut_off:
            yield found(s47, "S47ActualStartDate", "DateOfInitialCPC", "ICPCnotRequired")


@needs(SECTION47)
def conference_outside_census_year(child: Child, ctx: Context) -> Iterable[Finding]:
    """8715: an S47 conference date must fall within the census year, both ends included.

    The CIN-level date is not checked: a transfer-in conference may be years old.
    Passes: S{2024-03-28, 2024-04-01, false}.
    Fails: S{2024-03-28, 2024-03-31, false}.
    """
    for _, s47 in child.section47s():
        if s47.icpc_held and s47.icpc_date not in ctx.period:
            yield found(s47, "DateOfInitialCPC")


@needs(SECTION47)
def unconferenced_start_outside_census_year(child: Child, ctx: Context) -> Iterable[Finding]:
    """8740: a group still awaiting its conference must have started in the census year.

    Passes: S{2024-04-01, —, false}; S{2024-03-28, —, true} (no conference needed).
    Fails: S{2024-03-31, —, false}.
    """
    for _, s47 in child.section47s():
        if (awaits_conference(s47) and s47.start_date is not None
                and s47.start_date not in ctx.period):
            yield found(s47, "S47ActualStartDate", "DateOfInitialCPC", "ICPCnotRequired")


@needs(SECTION47)
def several_open_in_episode(child: Child, ctx: Context) -> Iterable[Finding]:
    """8839: an episode holds two or more open S47 groups (no conference, flag not true).

    Passes: E{S{2024-05-01, —, true}, S{2024-09-02, —, 0}}.
    Fails: E{S{2024-05-01, —, false}, S{2024-09-02, —, —}}.
    """
    for episode in child.episodes:
        if len(episode.section47s) < 2:
            continue
        open_groups = [s47 for s47 in episode.section47s if s47.is_open]
        if len(open_groups) >= 2:
            yield Finding(at_each(open_groups, "DateOfInitialCPC", "ICPCnotRequired"))


@needs(SECTION47, CLOSURE)
def closed_episode_with_open_enquiry(child: Child, ctx: Context) -> Iterable[Finding]:
    """8868: a closed episode still holds an open S47 group (no conference, flag not true).

    A group with a conference is completed whatever its flag says.
    Passes: E{closed 2024-10-25, S{2024-05-01, 2024-05-20, true}}.
    Fails: E{closed 2024-10-25, S{2024-05-01, —, false}}.
    """
    for episode in child.episodes:
        if episode.is_open or not episode.section47s:
            continue
        open_groups = [s47 for s47 in episode.section47s if s47.is_open]
        if open_groups:
            yield Finding(at(episode, "CINclosureDate")
                          + at_each(open_groups, "DateOfInitialCPC", "ICPCnotRequired"))


@needs(SECTION47)
def target_on_weekend(child: Child, ctx: Context) -> Iterable[Finding]:
    """8870Q: the conference target date falls on a Saturday or Sunday.

    Weekday bank holidays are not weekends.
    Passes: S{target 2024-12-25} (a Wednesday bank holiday).
    Fails: S{target 2025-03-29} (a Saturday).
    """
    for _, s47 in child.section47s():
        if s47.icpc_target is not None and is_weekend(s47.icpc_target):
            yield found(s47, "InitialCPCtarget")


@needs(SECTION47)
def conference_on_weekend(child: Child, ctx: Context) -> Iterable[Finding]:
    """8875: the S47 conference date falls on a Saturday or Sunday (CIN-level not checked).

    Passes: S{2024-06-03, 2024-06-17, false}.
    Fails: S{2024-06-03, 2024-06-15, false}.
    """
    for _, s47 in child.section47s():
        if s47.icpc_held and is_weekend(s47.icpc_date):
            yield found(s47, "DateOfInitialCPC")


@needs(SECTION47)
def starts_during_another(child: Child, ctx: Context) -> Iterable[Finding]:
    """8890: an S47 group starts on or between another group's start and end, same episode.

    The other's end is its conference, or ReferenceDate while it is open; a group closed without
    a conference has no interval. One issue per late starter, naming the groups it falls in
    (at most OTHERS_SHOWN).
    Passes: E{S{2024-05-01, 2024-05-20, 0}, S{2024-05-21, —, true}}.
    Fails: E{S{2024-05-01, 2024-05-20, 0}, S{2024-05-20, —, true}}.
    """
    for episode in child.episodes:
        for s47, others, total in starting_within_others(episode.section47s, ctx.reference_date,
                                                         OTHERS_SHOWN):
            yield Finding(at(s47, "S47ActualStartDate")
                          + at_each(others, "S47ActualStartDate", "DateOfInitialCPC"),
                          detail=and_more(total - len(others),
                                          "Section 47 enquiries it starts inside"))


CHILD_CHECKS = {
    "2884": conference_recorded_at_both_levels,
    "8615": start_missing_or_after_conference,
    "8675Q": conference_overdue_at_year_end,
    "8715": conference_outside_census_year,
    "8740": unconferenced_start_outside_census_year,
    "8839": several_open_in_episode,
    "8868": closed_episode_with_open_enquiry,
    "8870Q": target_on_weekend,
    "8875": conference_on_weekend,
    "8890": starts_during_another,
}
RETURN_CHECKS: dict = {}
