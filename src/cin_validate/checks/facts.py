"""What a child holds, as a few facts worked out once per child, and what each rule needs.

Most child rules can only fire on a child that holds some part of the return: a CIN plan, a
section 47 enquiry, a date of death, a closed episode, two assessments to compare, a factor
code a rule looks for. A rule says so with `@needs(...)`; the engine works out each child's
facts once (`facts_of`) and runs only the rules whose needs the child meets. A typical child
holds a few of these, so more than half the rules are never called for it, and calling a rule
that finds nothing costs as much as most rules' work.

A declaration is a promise that the rule never reports a child lacking a fact it names;
`tests/test_registry.py` checks every rule's promise on a varied corpus. A rule that may fire
on any child declares nothing.

Each fact is one bit, so a child's facts are one int and a rule's needs one mask.
"""

from __future__ import annotations

from typing import Callable, TypeVar

from ..model import Child

UPN = 1 << 0  # a UPN
EXPECTED_BIRTH = 1 << 1  # a valid expected date of birth
DEATH = 1 << 2  # a valid date of death
SEVERAL_EPISODES = 1 << 3
NOT_FURTHER_ACTION = 1 << 4  # an episode whose ReferralNFA is not false (true, or not given)
CLOSURE = 1 << 5  # an episode with a valid closure date or a reason for closure
ASSESSMENT = 1 << 6
OPEN_ASSESSMENT = 1 << 7  # an assessment without a valid authorisation date
CIN_PLAN = 1 << 8
SECTION47 = 1 << 9
PROTECTION_PLAN = 1 << 10
PRE_PROCEEDINGS = 1 << 11  # a <PreProceedingsandFGDM> group (2026-27 on)
NO_UPN = 1 << 12  # no UPN: the rules asking why one is missing
FORMER_UPN = 1 << 13  # a former UPN
SEVERAL_DISABILITIES = 1 << 14  # two or more disability values (most children have one)
FACTOR_21 = 1 << 15  # an assessment with factor 21, "no factors identified"
LEGACY_FACTOR = 1 << 16  # an assessment with factor 18A or 19A, in any letter case
SEVERAL_ASSESSMENTS = 1 << 17  # an episode with two or more assessments (one inside another)
SEVERAL_CIN_PLANS = 1 << 18  # two or more CIN plans, in any episodes (overlaps)

# The factor codes those two facts look for, named once for the rules that use them too.
NO_FACTORS_IDENTIFIED = "21"
# 18A and 19A left the codeset in 2024-25 but 8897Q accepts them: 8945Q and 8950Q query them,
# written in any letter case.
LEGACY_FACTORS = frozenset({"18A", "19A"})


def in_any_case(code: str) -> frozenset[str]:
    """The ways a factor code may be written: "18A" and "18a" (the digits have no case)."""
    return frozenset({code, code.lower()})


LEGACY_SPELLINGS = frozenset().union(*map(in_any_case, LEGACY_FACTORS))

Check = TypeVar("Check", bound=Callable)


def needs(*facts: int) -> Callable[[Check], Check]:
    """Declare what a child must hold for the rule to fire: `@needs(CIN_PLAN, DEATH)`."""
    def declare(check: Check) -> Check:
        check.needs = 0
        for fact in facts:
            check.needs |= fact
        return check
    return declare


def needs_of(check: Callable) -> int:
    """What a rule declared it needs (0 for a rule that may fire on any child)."""
    return getattr(check, "needs", 0)


def facts_of(child: Child) -> int:
    """The facts `child` holds, as one int."""
    ids = child.identifiers
    held = UPN if ids.upn is not None else NO_UPN
    if ids.former_upn is not None:
        held |= FORMER_UPN
    if ids.expected_birth_date is not None:
        held |= EXPECTED_BIRTH
    if ids.death_date is not None:
        held |= DEATH
    if len(child.characteristics.disabilities) > 1:
        held |= SEVERAL_DISABILITIES
    if len(child.episodes) > 1:
        held |= SEVERAL_EPISODES
    cin_plans = 0
    for episode in child.episodes:
        if not episode.is_further_action:
            held |= NOT_FURTHER_ACTION
        if episode.closure_date is not None or episode.reason_for_closure is not None:
            held |= CLOSURE
        if len(episode.assessments) > 1:
            held |= SEVERAL_ASSESSMENTS
        for assessment in episode.assessments:
            held |= ASSESSMENT
            if assessment.is_open:
                held |= OPEN_ASSESSMENT
            factors = assessment.factors
            if NO_FACTORS_IDENTIFIED in factors:
                held |= FACTOR_21
            if not LEGACY_SPELLINGS.isdisjoint(factors):
                held |= LEGACY_FACTOR
        if episode.cin_plans:
            held |= CIN_PLAN
            cin_plans += len(episode.cin_plans)
        if episode.section47s:
            held |= SECTION47
        if episode.protection_plans:
            held |= PROTECTION_PLAN
        if episode.pre_proceedings:
            held |= PRE_PROCEEDINGS
    if cin_plans > 1:
        held |= SEVERAL_CIN_PLANS
    return held
