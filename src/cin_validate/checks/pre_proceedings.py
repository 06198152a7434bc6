"""Module 5, pre-proceedings and family group decision making (2026-27 preview).

Spec: rules/2026-27-module5.md. One <PreProceedingsandFGDM> group is one pre-proceedings episode
(`model.PreProceedings`); a group with no child element is no group. "Present" means a valid
value: a real CCYY-MM-DD date, a boolean true/false/1/0, a whole number 0 or more, a non-empty
code. These rules exist only in the 2026-27 collection (the engine runs a collection's rules
only). Examples use PP{field value, ...} with ReferenceDate 2027-03-31 (census year
2026-04-01 to 2027-03-31); fields not named are absent.
"""

from __future__ import annotations

from datetime import date
from typing import Iterable

from ..model import Child, PreProceedings
from .base import Context, Finding, Place, found
from .facts import PRE_PROCEEDINGS, needs

OUTCOMES = "pre-proceedings-outcome"  # code set CS131: A, B, C


def _groups(child: Child) -> Iterable[PreProceedings]:
    for episode in child.episodes:
        yield from episode.pre_proceedings


def _outside_or_before(day: date | None, earliest: date | None, ctx: Context) -> bool:
    """A present date outside the census year, or before an `earliest` date that is present.

    The shape of 9006, 9009, 9012 and 9013: "within the reporting year and on or after ...";
    the same day as `earliest` passes.
    """
    if day is None:
        return False
    return day not in ctx.period or (earliest is not None and day < earliest)


@needs(PRE_PROCEEDINGS)
def start_date_missing(child: Child, ctx: Context) -> Iterable[Finding]:
    """9000Q: each group needs a valid PPStartDate (absent, empty and invalid all fire).

    Passes: PP{PPStartDate 2026-09-09}.
    Fails: PP{LBPSentDate 2026-09-20}; PP{PPStartDate 09/09/2026}.
    """
    for group in _groups(child):
        if group.start_date is None:
            yield found(group, "PPStartDate")


@needs(PRE_PROCEEDINGS)
def start_date_outside_year(child: Child, ctx: Context) -> Iterable[Finding]:
    """9005: a present PPStartDate falls within the census year; both ends pass.

    Passes: PP{PPStartDate 2026-04-01}; PP{PPStartDate 2027-03-31}.
    Fails: PP{PPStartDate 2026-03-31}; PP{PPStartDate 2027-04-01}.
    """
    for group in _groups(child):
        if group.start_date is not None and group.start_date not in ctx.period:
            yield found(group, "PPStartDate")


@needs(PRE_PROCEEDINGS)
def letter_before_proceedings_date_invalid(child: Child, ctx: Context) -> Iterable[Finding]:
    """9006: a present LBPSentDate is within the year and on or after a present PPStartDate.

    Passes: PP{PPStartDate 2026-09-09, LBPSentDate 2026-09-09}; PP{LBPSentDate 2026-09-20}.
    Fails: PP{PPStartDate 2026-09-09, LBPSentDate 2026-09-08}; PP{LBPSentDate 2027-04-01}.
    """
    for group in _groups(child):
        if _outside_or_before(group.letter_sent_date, group.start_date, ctx):
            yield found(group, "LBPSentDate", "PPStartDate")


@needs(PRE_PROCEEDINGS)
def letter_sent_without_fgdm_offer(child: Child, ctx: Context) -> Iterable[Finding]:
    """9007: a present LBPSentDate needs FGDMMeetingOffer given (true or false).

    Passes: PP{LBPSentDate 2026-09-20, FGDMMeetingOffer false}.
    Fails: PP{LBPSentDate 2026-09-20}; PP{LBPSentDate 2026-09-20, FGDMMeetingOffer yes}.
    """
    for group in _groups(child):
        if group.letter_sent_date is not None and group.fgdm_offered is None:
            yield found(group, "FGDMMeetingOffer", "LBPSentDate")


@needs(PRE_PROCEEDINGS)
def initial_meeting_outside_year(child: Child, ctx: Context) -> Iterable[Finding]:
    """9008: a present InitialPPMeetingDate falls within the census year; both ends pass.

    Passes: PP{InitialPPMeetingDate 2027-03-31}.
    Fails: PP{InitialPPMeetingDate 2026-03-31}.
    """
    for group in _groups(child):
        date_ = group.initial_meeting_date
        if date_ is not None and date_ not in ctx.period:
            yield found(group, "InitialPPMeetingDate")


@needs(PRE_PROCEEDINGS)
def step_decision_date_invalid(child: Child, ctx: Context) -> Iterable[Finding]:
    """9009: a present StepDecisionDate is within the year and on or after a present PPStartDate.

    Passes: PP{PPStartDate 2026-09-09, StepDecisionDate 2026-09-09}.
    Fails: PP{PPStartDate 2026-09-09, StepDecisionDate 2026-09-08}; PP{StepDecisionDate 2027-04-01}.
    """
    for group in _groups(child):
        if _outside_or_before(group.step_decision_date, group.start_date, ctx):
            yield found(group, "StepDecisionDate", "PPStartDate")


@needs(PRE_PROCEEDINGS)
def fgdm_offered_without_facilitated(child: Child, ctx: Context) -> Iterable[Finding]:
    """9010Q: FGDMMeetingOffer true (true or 1) needs FGDMMeetingFac given.

    Passes: PP{FGDMMeetingOffer 0}; PP{FGDMMeetingOffer true, FGDMMeetingFac false}.
    Fails: PP{FGDMMeetingOffer true}; PP{FGDMMeetingOffer 1, FGDMMeetingFac maybe}.
    """
    for group in _groups(child):
        if group.fgdm_offered is True and group.fgdm_facilitated is None:
            yield found(group, "FGDMMeetingFac", "FGDMMeetingOffer")


@needs(PRE_PROCEEDINGS)
def outcome_invalid(child: Child, ctx: Context) -> Iterable[Finding]:
    """9011: a non-empty PPOutcome is A, B or C (code set CS131, exact case, trimmed).

    Passes: PP{PPOutcome ` A `}; PP{PPStartDate 2026-09-09} (no outcome).
    Fails: PP{PPOutcome a}; PP{PPOutcome D}.
    """
    outcomes = ctx.codes[OUTCOMES]
    for group in _groups(child):
        if group.outcome is not None and group.outcome not in outcomes:
            yield found(group, "PPOutcome")


@needs(PRE_PROCEEDINGS)
def court_application_date_invalid(child: Child, ctx: Context) -> Iterable[Finding]:
    """9012: a present CourtAppDate is within the year and on or after a present
    StepDecisionDate (the decision to step up to care proceedings).

    Passes: PP{StepDecisionDate 2026-12-01, CourtAppDate 2026-12-01}.
    Fails: PP{StepDecisionDate 2026-12-01, CourtAppDate 2026-11-30}; PP{CourtAppDate 2027-04-01}.
    """
    for group in _groups(child):
        if _outside_or_before(group.court_application_date, group.step_decision_date, ctx):
            yield found(group, "CourtAppDate", "StepDecisionDate")


@needs(PRE_PROCEEDINGS)
def care_proceedings_letter_date_invalid(child: Child, ctx: Context) -> Iterable[Finding]:
    """9013: a present LetterInitCPDate is within the year and on or after a present CourtAppDate.

    Passes: PP{CourtAppDate 2026-12-18, LetterInitCPDate 2026-12-18}.
    Fails: PP{CourtAppDate 2026-12-18, LetterInitCPDate 2026-12-17};
    PP{LetterInitCPDate 2026-03-31}.
    """
    for group in _groups(child):
        if _outside_or_before(group.care_proceedings_letter_date, group.court_application_date,
                              ctx):
            yield found(group, "LetterInitCPDate", "CourtAppDate")


@needs(PRE_PROCEEDINGS)
def review_meetings_count_missing(child: Child, ctx: Context) -> Iterable[Finding]:
    """9015Q: a present InitialPPMeetingDate needs ReviewMeetingsCount, a whole number 0 or more.

    Passes: PP{InitialPPMeetingDate 2026-09-28, ReviewMeetingsCount 0}.
    Fails: PP{InitialPPMeetingDate 2026-09-28};
    PP{InitialPPMeetingDate 2026-09-28, ReviewMeetingsCount -1};
    PP{InitialPPMeetingDate 2026-09-28, ReviewMeetingsCount 2.5}.
    """
    for group in _groups(child):
        if group.initial_meeting_date is not None and not group.review_meetings_given:
            yield found(group, "ReviewMeetingsCount", "InitialPPMeetingDate")


class NoPreProceedingsData:
    """8995Q: some child has a <PreProceedingsandFGDM> group holding a non-empty value.

    Once per return, naming no child.
    Passes: PP{PPOutcome X} (any written value counts).
    Fails: E{ref 2026-06-01} (no group); `<PreProceedingsandFGDM/>`; PP{PPOutcome ""}; no children.
    """

    def __init__(self, ctx: Context) -> None:
        self.seen = False

    def observe(self, child: Child) -> None:
        if not self.seen:
            self.seen = any(group.has_values for group in _groups(child))

    def finish(self) -> Iterable[Finding]:
        if not self.seen:  # a return-level count: no child, no value, no line
            yield Finding((Place("CINdetails", "PreProceedingsandFGDM", None, None),))


CHILD_CHECKS = {
    "9000Q": start_date_missing,
    "9005": start_date_outside_year,
    "9006": letter_before_proceedings_date_invalid,
    "9007": letter_sent_without_fgdm_offer,
    "9008": initial_meeting_outside_year,
    "9009": step_decision_date_invalid,
    "9010Q": fgdm_offered_without_facilitated,
    "9011": outcome_invalid,
    "9012": court_application_date_invalid,
    "9013": care_proceedings_letter_date_invalid,
    "9015Q": review_meetings_count_missing,
}
RETURN_CHECKS = {"8995Q": NoPreProceedingsData}
