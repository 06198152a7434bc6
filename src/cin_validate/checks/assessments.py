"""Assessments and their factors, including 8670Q (group 3).

Spec: group3-assessments-cin-plans.md. An assessment is *open* when it has no valid
authorisation date (D5, `Assessment.is_open`); its *factors* are the non-empty trimmed
<AssessmentFactors> values, duplicates kept (D4, `Assessment.factor_items`). Examples below use
the spec's notation A{start, auth, [factors]} with ReferenceDate 2025-03-31.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Iterable

from ..model import Child, starting_within_others
from .base import OTHERS_SHOWN, Context, Finding, Place, and_more, at, at_each, found
from .facts import (ASSESSMENT, CLOSURE, FACTOR_21, LEGACY_FACTOR, LEGACY_FACTORS,
                    NO_FACTORS_IDENTIFIED, OPEN_ASSESSMENT, SEVERAL_ASSESSMENTS, in_any_case,
                    needs)

OPEN_ASSESSMENT_WORKING_DAYS = 45


def _factors_at(items: Iterable) -> tuple[Place, ...]:
    return at_each(items, "AssessmentFactors")


@needs(ASSESSMENT)
def assessment_starts_after_authorisation(child: Child, ctx: Context) -> Iterable[Finding]:
    """8608: a start date strictly later than the authorisation date; the same day passes.

    Passes: A{2024-10-01, 2024-10-01}.
    Fails: A{2024-10-02, 2024-10-01}.
    """
    for episode in child.episodes:
        for a in episode.assessments:
            if a.start_date and a.authorisation_date and a.start_date > a.authorisation_date:
                yield found(a, "AssessmentActualStartDate", "AssessmentAuthorisationDate")


@needs(OPEN_ASSESSMENT)
def factors_on_open_assessment(child: Child, ctx: Context) -> Iterable[Finding]:
    """8614: an open assessment must not carry factors (any non-empty value, valid or not).

    Passes: A{2025-02-10, 2025-03-20, [3B]}.
    Fails: A{2025-02-10, —, [3B]}.
    """
    for episode in child.episodes:
        for a in episode.assessments:
            if a.is_open and a.factor_items:
                yield Finding(at(a, "AssessmentAuthorisationDate") + _factors_at(a.factor_items))


def open_assessment_cutoff(ctx: Context) -> date:
    """ReferenceDate minus 45 working days (D6): 2025-01-27 for 2025-03-31; cached, so cheap."""
    return ctx.period.working_days_before_end(OPEN_ASSESSMENT_WORKING_DAYS)


@needs(OPEN_ASSESSMENT)
def open_assessment_too_long(child: Child, ctx: Context) -> Iterable[Finding]:
    """8670Q: an open assessment started before the 45th working day before ReferenceDate.

    A start on the cut-off day itself (2025-01-27 for 2025-03-31) is exactly 45 working days
    old, not "more than 45", so it passes (open question O1).
    Passes: A{2025-01-27, —}.
    Fails: A{2025-01-26, —}.
    """
    cut_off = open_assessment_cutoff(ctx)
    for episode in child.episodes:
        for a in episode.assessments:
            if a.is_open and a.start_date and a.start_date < cut_off:
                yield found(a, "AssessmentActualStartDate", "AssessmentAuthorisationDate")


@needs(ASSESSMENT)
def authorisation_outside_census_year(child: Child, ctx: Context) -> Iterable[Finding]:
    """8696: a valid authorisation date must fall within the census year, both ends included.

    Passes: A{2024-02-01, 2024-04-01}.
    Fails: A{2025-03-03, 2025-04-01}.
    """
    for episode in child.episodes:
        for a in episode.assessments:
            if a.authorisation_date is not None and a.authorisation_date not in ctx.period:
                yield found(a, "AssessmentAuthorisationDate")


@needs(OPEN_ASSESSMENT)
def open_assessment_start_outside_census_year(child: Child, ctx: Context) -> Iterable[Finding]:
    """8736: an open assessment needs a valid start date within the census year.

    Passes: A{2024-04-01, —}.
    Fails: A{2024-03-31, —}; A{"", ""} (present, no dates).
    """
    for episode in child.episodes:
        for a in episode.assessments:
            if a.is_open and a.start_date not in ctx.period:
                yield found(a, "AssessmentActualStartDate", "AssessmentAuthorisationDate")


@needs(SEVERAL_ASSESSMENTS)
def assessment_starts_during_another(child: Child, ctx: Context) -> Iterable[Finding]:
    """8863Q: an assessment starts on or between the start and end of another of its episode.

    An open assessment lasts to ReferenceDate; identical assessments fire on each other (O4).
    One issue per assessment that starts inside others, listing them (at most OTHERS_SHOWN).
    Passes: A{2024-06-03, 2024-07-15} and A{2024-07-16, 2024-08-01}.
    Fails: A{2024-06-03, 2024-07-15} and A{2024-07-15, 2024-08-01} (the second fires).
    """
    for episode in child.episodes:
        for x, ys, total in starting_within_others(episode.assessments, ctx.reference_date,
                                                   OTHERS_SHOWN):
            yield Finding(at(x, "AssessmentActualStartDate")
                          + at_each(ys, "AssessmentActualStartDate", "AssessmentAuthorisationDate"),
                          detail=and_more(total - len(ys), "assessments it starts inside"))


@needs(CLOSURE, OPEN_ASSESSMENT)
def closed_episode_with_open_assessment(child: Child, ctx: Context) -> Iterable[Finding]:
    """8867: a closed episode must not hold an open assessment; one issue per episode.

    Passes: E{closure 2024-11-29} with A{2024-09-17, 2024-11-15}.
    Fails: E{closure 2024-11-29} with A{2024-09-17, —}.
    """
    for episode in child.episodes:
        if episode.is_open:
            continue
        unfinished = [a for a in episode.assessments if a.is_open]
        if unfinished:
            yield Finding(at(episode, "CINclosureDate")
                          + at_each(unfinished, "AssessmentAuthorisationDate"))


@needs(FACTOR_21)
def factor_21_with_other_factors(child: Child, ctx: Context) -> Iterable[Finding]:
    """8869: factor 21 ("no factors identified") must be the only factor of its assessment.

    21 repeated alone is a duplicate (8898), not a combination.
    Passes: A{…, [21]}; A{…, [21, 21]}.
    Fails: A{…, [21, 1B]}.
    """
    for episode in child.episodes:
        for a in episode.assessments:
            factors = a.factors
            if (NO_FACTORS_IDENTIFIED in factors
                    and factors.count(NO_FACTORS_IDENTIFIED) < len(factors)):
                yield Finding(_factors_at(a.factor_items))


@needs(FACTOR_21)
def single_no_factors_assessment_without_rc8_rc9(child: Child, ctx: Context) -> Iterable[Finding]:
    """8873Q: an episode whose only assessment has factor 21 should close with RC8 or RC9.

    Neither dates nor other factors matter; an episode with no reason for closure (still
    open) fires, as the DfE text reads (O6).
    Passes: E{closure 2024-07-05, RC8} with A{…, [21]}.
    Fails: E{closure 2024-07-05, RC7} with A{…, [21]}.
    """
    for episode in child.episodes:
        if len(episode.assessments) != 1 or episode.closed_after_assessment:
            continue
        (a,) = episode.assessments
        if NO_FACTORS_IDENTIFIED in a.factors:
            no_factors = (i for i in a.factor_items if i.code == NO_FACTORS_IDENTIFIED)
            yield Finding(_factors_at(no_factors) + at(episode, "ReasonForClosure"))


@needs(OPEN_ASSESSMENT)
def several_open_assessments_in_episode(child: Child, ctx: Context) -> Iterable[Finding]:
    """8896: at most one open assessment per episode; points at the open ones only.

    Passes: A{2025-01-06, 2025-01-31} and A{2025-02-03, —}.
    Fails: A{2025-01-06, —} and A{2025-02-03, —}.
    """
    for episode in child.episodes:
        unfinished = [a for a in episode.assessments if a.is_open]
        if len(unfinished) > 1:
            yield Finding(at_each(unfinished, "AssessmentAuthorisationDate"))


def _all_accepted(factors: tuple[str, ...], ctx: Context) -> bool:
    """Every factor is in the year's code set or is a legacy code 8897Q still accepts."""
    valid = ctx.codes["assessment-factors"]
    return all(code in valid or code in LEGACY_FACTORS for code in factors)


@needs(ASSESSMENT)
def completed_assessment_missing_valid_factors(child: Child, ctx: Context) -> Iterable[Finding]:
    """8897Q: an assessment authorised on or after the census start needs factors, all valid.

    "Valid" is the 2024-25 codeset plus 18A and 19A (queried by 8945Q and 8950Q); every
    present code must be valid (open question O5). There is no upper bound on the date.
    Passes: A{2024-08-05, 2024-09-10, [18C, 4B]}.
    Fails: A{2024-03-04, 2024-04-01} (no factors); A{2024-08-05, 2024-09-10, [1A, 25A]}.
    """
    start = ctx.period.start
    for episode in child.episodes:
        for a in episode.assessments:
            if a.authorisation_date is None or a.authorisation_date < start:
                continue
            if not a.factor_items:
                yield found(a, "AssessmentAuthorisationDate", "FactorsIdentifiedAtAssessment")
            elif not _all_accepted(a.factors, ctx):
                yield Finding(at(a, "AssessmentAuthorisationDate") + _factors_at(a.factor_items))


@needs(ASSESSMENT)
def duplicate_factor(child: Child, ctx: Context) -> Iterable[Finding]:
    """8898: no factor code twice in one assessment; one issue however many repeat.

    Passes: A{…, [2B, 3B]}.
    Fails: A{…, [2B, 3B, 2B]}.
    """
    for episode in child.episodes:
        for a in episode.assessments:
            factors = a.factors
            if len(factors) < 2 or len(set(factors)) == len(factors):
                continue
            counts = Counter(factors)
            yield Finding(_factors_at(i for i in a.factor_items if counts[i.code] > 1))


def _legacy_factor(child: Child, code: str) -> Iterable[Finding]:
    """One finding per assessment using a retired factor code, in any letter case."""
    spellings = in_any_case(code)
    for episode in child.episodes:
        for a in episode.assessments:
            if not spellings.isdisjoint(a.factors):
                yield Finding(_factors_at(i for i in a.factor_items if i.code in spellings))


@needs(LEGACY_FACTOR)
def legacy_factor_18a(child: Child, ctx: Context) -> Iterable[Finding]:
    """8945Q: factor 18A was replaced by 18B and 18C in 2024-25.

    Passes: A{…, [18B]}.
    Fails: A{…, [18a, 3B]}.
    """
    return _legacy_factor(child, "18A")


@needs(LEGACY_FACTOR)
def legacy_factor_19a(child: Child, ctx: Context) -> Iterable[Finding]:
    """8950Q: factor 19A was replaced by 19B and 19C in 2024-25.

    Passes: A{…, [19C]}.
    Fails: A{…, [2B, 19a]}.
    """
    return _legacy_factor(child, "19A")


CHILD_CHECKS = {
    "8608": assessment_starts_after_authorisation,
    "8614": factors_on_open_assessment,
    "8670Q": open_assessment_too_long,
    "8696": authorisation_outside_census_year,
    "8736": open_assessment_start_outside_census_year,
    "8863Q": assessment_starts_during_another,
    "8867": closed_episode_with_open_assessment,
    "8869": factor_21_with_other_factors,
    "8873Q": single_no_factors_assessment_without_rc8_rc9,
    "8896": several_open_assessments_in_episode,
    "8897Q": completed_assessment_missing_valid_factors,
    "8898": duplicate_factor,
    "8945Q": legacy_factor_18a,
    "8950Q": legacy_factor_19a,
}
RETURN_CHECKS: dict = {}
