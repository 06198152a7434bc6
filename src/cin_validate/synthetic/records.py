"""The generated return's records: one small mutable record per part of a child.

They hold days (`timeline.Day`) and codes, not text: the steps in `children.py` and
`episodes.py` fill them in, a fault (`faults.py`) may then damage one, and `writer.py` writes it.
A date field may hold a string only after a fault has replaced it with a badly written date.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .timeline import Day


@dataclass(slots=True)
class Assessment:
    start: Day
    authorised: Day | None = None  # None: still open at the end of the census year
    factors: tuple[str, ...] = ()  # factors identified; only a completed assessment has them

    @property
    def is_open(self) -> bool:
        return self.authorised is None

    @property
    def last_day(self) -> Day:
        return self.start if self.authorised is None else self.authorised


@dataclass(slots=True)
class CINPlan:
    start: Day
    end: Day | None = None  # None: still open

    @property
    def is_open(self) -> bool:
        return self.end is None

    @property
    def last_day(self) -> Day:
        return self.start if self.end is None else self.end


@dataclass(slots=True)
class Enquiry:
    """A section 47 enquiry, and the initial child protection conference it may lead to."""

    start: Day
    conference_target: Day | None = None
    conference: Day | None = None
    conference_not_required: bool = False

    @property
    def is_open(self) -> bool:
        """Still waiting for its conference (8675Q's subject)."""
        return self.conference is None and not self.conference_not_required

    @property
    def last_day(self) -> Day:
        return self.start if self.conference is None else self.conference


@dataclass(slots=True)
class ProtectionPlan:
    start: Day
    end: Day | None  # None: still open
    initial_category: str  # of abuse
    latest_category: str
    previous_plans: int
    reviews: list[Day] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return self.end is None

    @property
    def last_day(self) -> Day:
        if self.end is not None:
            return self.end
        return self.reviews[-1] if self.reviews else self.start


@dataclass(slots=True)
class PreProceedings:
    """A <PreProceedingsandFGDM> group (module 5, from 2026-27): one pre-proceedings episode.

    Its steps come in this order, each on or after the one before; a group still going on at
    the end of the episode or of the year stops after its latest step (later fields absent).
    """

    start: Day  # the decision to commence pre-proceedings (PPStartDate)
    letter_sent: Day | None = None  # the letter before proceedings (LBPSentDate)
    fgdm_offered: bool | None = None  # a family group decision meeting offered in the letter
    fgdm_facilitated: bool | None = None
    initial_meeting: Day | None = None
    review_meetings: int | None = None  # held after the initial meeting
    step_decision: Day | None = None  # the decision to step up to proceedings or down
    outcome: str | None = None  # code set pre-proceedings-outcome (CS131)
    court_application: Day | None = None
    care_proceedings_letter: Day | None = None  # the letter to initiate care proceedings

    @property
    def last_day(self) -> Day:
        return max(day for day in (self.start, self.letter_sent, self.initial_meeting,
                                   self.step_decision, self.court_application,
                                   self.care_proceedings_letter) if day is not None)


@dataclass(slots=True)
class Episode:
    """A <CINdetails>: one episode of need. ReferralNFA is always false (further action)."""

    referral: Day | str
    source: str
    need: str | None = None  # primary need code
    closure: Day | None = None
    reason: str | None = None  # reason for closure
    assessments: list[Assessment] = field(default_factory=list)
    cin_plans: list[CINPlan] = field(default_factory=list)
    enquiries: list[Enquiry] = field(default_factory=list)
    protection_plans: list[ProtectionPlan] = field(default_factory=list)
    pre_proceedings: list[PreProceedings] = field(default_factory=list)


@dataclass(slots=True)
class Child:
    la_child_id: str
    sex: str
    ethnicity: str
    birth: Day | None = None
    expected_birth: Day | None = None  # an unborn child has this instead of a birth date
    upn: str | None = None
    former_upn: str | None = None
    upn_unknown: str | None = None  # why there is no UPN (code set upn-unknown)
    disabilities: tuple[str, ...] = ()  # () writes no <Disabilities> group (unborn children)
    episodes: list[Episode] = field(default_factory=list)
