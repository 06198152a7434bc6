"""The return as typed data: one dataclass per part of the return.

Every node keeps, besides its typed values, where it came from: `path` (its place inside the
child, counted from 1 in document order, e.g. "CINdetails[2]/Assessments[1]"), `line` (the line
of its element) and `source` (for each value element that was written: its trimmed text and
line), so that reports can quote what the file said. A value that is absent, empty or not
readable (a bad date, say) is None in the typed field (rules README "Empty means absent").

The status words the rule files share ("open episode", "open S47 enquiry", "interval of a
plan") are defined here once, as properties and methods of the node they describe.

Nodes are plain slotted dataclasses, not frozen ones: one is built for every group of every
child, and a frozen one costs four times as much to build. Nothing changes a node once the
parser has made it (checks only read them).
"""

from __future__ import annotations

import copyreg
import dataclasses
import operator
from bisect import bisect_left, insort
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Iterator, Mapping, Optional, Sequence



# What one value element said: (its trimmed text, None when empty; its line). A plain tuple
# rather than a class: one is built for every value of every child, and a tuple costs a tenth.
Source = tuple[Optional[str], Optional[int]]


def pickled_by_fields(cls: type) -> type:
    """Pickle the frozen dataclass `cls` (of two fields or more) as its constructor's arguments,
    in half the time of the default for a slotted class, to write and to read back: a report's
    issues (`issuelog`) are pickled when there are many, with their children and places."""
    fields = operator.attrgetter(*(each.name for each in dataclasses.fields(cls)))
    copyreg.pickle(cls, lambda instance: (cls, fields(instance)))
    return cls


@dataclass(slots=True)
class Header:
    collection: str | None = None
    year: str | None = None
    reference_date_text: str | None = None
    reference_date: date | None = None
    source_level: str | None = None
    lea: str | None = None
    software_code: str | None = None
    release: str | None = None
    serial_no: str | None = None
    date_time: str | None = None
    path: str = "Header"
    line: int | None = None
    source: Mapping[str, Source] = field(default_factory=dict, repr=False, compare=False)


@dataclass(slots=True)
class Identifiers:
    la_child_id: str | None = None
    upn: str | None = None
    former_upn: str | None = None
    upn_unknown: str | None = None
    birth_date: date | None = None
    expected_birth_date: date | None = None
    sex: str | None = None
    death_date: date | None = None
    path: str = "ChildIdentifiers"
    line: int | None = None
    source: Mapping[str, Source] = field(default_factory=dict, repr=False, compare=False)

    @property
    def is_unborn(self) -> bool:
        """No valid date of birth but a valid expected date of birth (group 1 G5)."""
        return self.birth_date is None and self.expected_birth_date is not None


@dataclass(slots=True)
class CodeItem:
    """One non-empty value of a list container (a <Disability>, an <AssessmentFactors>).

    A node of its own so that an issue can point at each element: `at(item, "Disability")`.
    """

    code: str
    path: str = ""  # the container, e.g. "ChildCharacteristics/Disabilities[1]"
    line: int | None = None
    source: Mapping[str, Source] = field(default_factory=dict, repr=False, compare=False)


@dataclass(slots=True)
class Characteristics:
    ethnicity: str | None = None
    disabilities: tuple[str, ...] = ()  # non-empty trimmed codes, duplicates kept
    disability_items: tuple[CodeItem, ...] = ()  # the same values as nodes, to point at
    path: str = "ChildCharacteristics"
    line: int | None = None
    source: Mapping[str, Source] = field(default_factory=dict, repr=False, compare=False)


def interval(start: date | None, end: date | None, open_until: date) -> tuple[date, date] | None:
    """Both ends inclusive; an open item lasts until `open_until` (the ReferenceDate).

    None when the start is unknown or the end falls before the start (an empty interval).
    """
    if start is None:
        return None
    end = end if end is not None else open_until
    return (start, end) if end >= start else None


def until_before(start: date | None, end: date | None) -> tuple[date, date] | None:
    """The days from `start` up to, not including, `end`, as an inclusive interval; None when
    either is unknown or there are no such days."""
    if start is None or end is None or end <= start:
        return None
    return start, end - timedelta(days=1)  # end > start, so never before the first date


# Up to this many (day, span) pairs, comparing each pair is quicker than sorting and sweeping.
_FEW_PAIRS = 64


def within_others(days: Sequence[tuple[object, date | None]],
                  spans: Sequence[tuple[object, tuple[date, date] | None]],
                  shown: int) -> Iterator[tuple[object, list, int]]:
    """Each item of `days` whose date falls within the inclusive spans of other items of
    `spans`: (the item, the first `shown` of those others in the order of `spans`, how many
    there are in all), in the order of `days`.

    "Other" is a different element, never an equal one (group 4 P3): an item is not within its
    own span, but two identical items are each within the other. A date or span that is None
    takes no part.

    A real child has a handful of items: each day is compared with each span. Past
    `_FEW_PAIRS` pairs the days are swept in date order instead, keeping the spans that cover
    the current day in document order, so n items that all overlap cost n log n plus
    n * `shown`, never n * n (issue 16).
    """
    if len(days) * len(spans) <= _FEW_PAIRS:
        for item, day in days:
            if day is not None:
                others = [other for other, span in spans if span is not None
                          and span[0] <= day <= span[1] and other is not item]
                if others:
                    yield item, others[:shown], len(others)
        return
    covering = [(span[0], span[1], position) for position, (_, span) in enumerate(spans)
                if span is not None]
    if not covering:
        return
    by_first = sorted(covering)
    by_last = sorted(covering, key=lambda span: span[1])
    position_of = {id(item): position for position, (item, _) in enumerate(spans)}
    active: list[int] = []  # positions in `spans` of the spans covering `day`, ascending
    added = removed = 0
    found: dict[int, tuple[object, list, int]] = {}
    for day, index in sorted((day, index) for index, (_, day) in enumerate(days)
                             if day is not None):
        while added < len(by_first) and by_first[added][0] <= day:
            insort(active, by_first[added][2])
            added += 1
        while removed < len(by_last) and by_last[removed][1] < day:
            del active[bisect_left(active, by_last[removed][2])]  # added: first <= last < day
            removed += 1
        item = days[index][0]
        own = position_of.get(id(item))
        at_own = bisect_left(active, own) if own is not None else len(active)
        is_active = at_own < len(active) and active[at_own] == own
        total = len(active) - is_active
        if total:
            others = [spans[position][0] for position in active[:shown + 1]
                      if position != own][:shown]
            found[index] = (item, others, total)
    for index in sorted(found):
        yield found[index]


def starting_within_others(items: Sequence, reference_date: date,
                           shown: int) -> Iterator[tuple[object, list, int]]:
    """Each item whose start date falls within other items' intervals (`within_others`).

    Items are anything with `start_date` and `interval(reference_date)` (S47 groups, plans,
    assessments). Items without a valid start are skipped.
    """
    if len(items) < 2:
        return
    yield from within_others([(item, item.start_date) for item in items],
                             [(item, item.interval(reference_date)) for item in items], shown)


@dataclass(slots=True)
class Assessment:
    start_date: date | None = None
    internal_review_date: date | None = None
    authorisation_date: date | None = None
    factors: tuple[str, ...] = ()  # non-empty trimmed codes, duplicates kept
    factor_items: tuple[CodeItem, ...] = ()  # the same values as nodes, to point at
    path: str = ""
    line: int | None = None
    source: Mapping[str, Source] = field(default_factory=dict, repr=False, compare=False)

    @property
    def is_open(self) -> bool:
        """No valid authorisation date, whatever the start date (group 3 D5)."""
        return self.authorisation_date is None

    def interval(self, reference_date: date) -> tuple[date, date] | None:
        return interval(self.start_date, self.authorisation_date, reference_date)


class _Plan:
    """What a CIN plan and a child protection plan share: open while they have no valid end
    date (group 3 D5, group 4 P7), lasting from start to end, or to ReferenceDate while open."""

    __slots__ = ()

    @property
    def is_open(self) -> bool:
        return self.end_date is None

    def interval(self, reference_date: date) -> tuple[date, date] | None:
        return interval(self.start_date, self.end_date, reference_date)


@dataclass(slots=True)
class CINPlan(_Plan):
    start_date: date | None = None
    end_date: date | None = None
    path: str = ""
    line: int | None = None
    source: Mapping[str, Source] = field(default_factory=dict, repr=False, compare=False)


@dataclass(slots=True)
class Section47:
    start_date: date | None = None
    icpc_target: date | None = None
    icpc_date: date | None = None  # the S47-level DateOfInitialCPC
    icpc_not_required: bool | None = None
    path: str = ""
    line: int | None = None
    source: Mapping[str, Source] = field(default_factory=dict, repr=False, compare=False)

    @property
    def icpc_held(self) -> bool:
        return self.icpc_date is not None

    @property
    def is_open(self) -> bool:
        """No conference held and ICPCnotRequired not true (group 4 P6)."""
        return self.icpc_date is None and self.icpc_not_required is not True

    def interval(self, reference_date: date) -> tuple[date, date] | None:
        """Start to conference, or to ReferenceDate while open; none when closed without one."""
        if self.icpc_held:
            return interval(self.start_date, self.icpc_date, reference_date)
        if self.is_open:
            return interval(self.start_date, None, reference_date)
        return None


@dataclass(slots=True)
class Review:
    date: date | None = None
    path: str = ""
    line: int | None = None
    source: Mapping[str, Source] = field(default_factory=dict, repr=False, compare=False)


@dataclass(slots=True)
class ReviewsGroup:
    """One present <Reviews> element (at least one child element) and its review dates."""

    reviews: tuple[Review, ...] = ()  # its CPPreviewDate elements, empty or invalid ones too
    path: str = ""
    line: int | None = None
    source: Mapping[str, Source] = field(default_factory=dict, repr=False, compare=False)


@dataclass(slots=True)
class ProtectionPlan(_Plan):
    """One <ChildProtectionPlans> group: a child protection plan."""

    start_date: date | None = None
    end_date: date | None = None
    initial_category: str | None = None
    latest_category: str | None = None
    previous_plans: int | None = None  # NumberOfPreviousCPP when it is an integer
    reviews: tuple[Review, ...] = ()  # every CPPreviewDate of its <Reviews>, each separately
    review_groups: tuple[ReviewsGroup, ...] = ()  # each present <Reviews>, usually one
    path: str = ""
    line: int | None = None
    source: Mapping[str, Source] = field(default_factory=dict, repr=False, compare=False)


@dataclass(slots=True)
class PreProceedings:
    """One <PreProceedingsandFGDM> group (2026-27 on): a pre-proceedings episode.

    Module 5 of the 2026-27 collection (rules/2026-27-module5.md); the N-numbers are the DfE's.
    """

    start_date: date | None = None  # PPStartDate (N00826): the decision to commence
    letter_sent_date: date | None = None  # LBPSentDate (N00827): letter before proceedings
    fgdm_offered: bool | None = None  # FGDMMeetingOffer (N00828)
    fgdm_facilitated: bool | None = None  # FGDMMeetingFac (N00829)
    initial_meeting_date: date | None = None  # InitialPPMeetingDate (N00830)
    review_meetings: int | None = None  # ReviewMeetingsCount (N00831) when it is an integer
    step_decision_date: date | None = None  # StepDecisionDate: step up or down
    outcome: str | None = None  # PPOutcome (N00833), code set CS131, as written
    court_application_date: date | None = None  # CourtAppDate (N00834)
    care_proceedings_letter_date: date | None = None  # LetterInitCPDate
    path: str = ""
    line: int | None = None
    source: Mapping[str, Source] = field(default_factory=dict, repr=False, compare=False)

    @property
    def has_values(self) -> bool:
        """At least one of its values is written (valid or not): module 5 data (8995Q)."""
        return any(text is not None for text, _line in self.source.values())

    @property
    def review_meetings_given(self) -> bool:
        """ReviewMeetingsCount is a whole number 0 or more ("present" for 9015Q)."""
        return self.review_meetings is not None and self.review_meetings >= 0


@dataclass(slots=True)
class Episode:
    """One <CINdetails> element: an episode of need."""

    referral_date: date | None = None
    referral_source: str | None = None
    primary_need: str | None = None
    closure_date: date | None = None
    reason_for_closure: str | None = None
    initial_cpc_date: date | None = None  # the CIN-level DateOfInitialCPC (transfer-in cases)
    referral_nfa: bool | None = None
    assessments: tuple[Assessment, ...] = ()
    cin_plans: tuple[CINPlan, ...] = ()
    section47s: tuple[Section47, ...] = ()
    protection_plans: tuple[ProtectionPlan, ...] = ()
    pre_proceedings: tuple[PreProceedings, ...] = ()  # 2026-27 on
    path: str = ""
    line: int | None = None
    source: Mapping[str, Source] = field(default_factory=dict, repr=False, compare=False)

    @property
    def is_open(self) -> bool:
        """No valid closure date (an invalid one leaves the episode open; group 2 S5)."""
        return self.closure_date is None

    @property
    def is_nfa(self) -> bool:
        """ReferralNFA is true: a referral with no further action."""
        return self.referral_nfa is True

    @property
    def is_further_action(self) -> bool:
        """ReferralNFA is false; an episode whose flag is not given is neither."""
        return self.referral_nfa is False

    @property
    def closed_after_assessment(self) -> bool:
        """ReasonForClosure is exactly RC8 or RC9 (case closed after assessment; guide B6)."""
        return self.reason_for_closure in ("RC8", "RC9")


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class ChildRef:
    """Enough to name a child in a report after the child itself is gone (frozen, so hashable:
    it outlives the child in reports and indexes)."""

    index: int  # position in the return, from 1
    la_child_id: str | None
    line: int | None

    @property
    def label(self) -> str:
        return self.la_child_id if self.la_child_id is not None else f"Child[{self.index}]"


@dataclass(slots=True)
class Child:
    ref: ChildRef
    identifiers: Identifiers
    characteristics: Characteristics
    episodes: tuple[Episode, ...] = ()
    path: str = ""
    line: int | None = None
    source: Mapping[str, Source] = field(default_factory=dict, repr=False, compare=False)

    def further_action_episodes(self) -> tuple[Episode, ...]:
        """Episodes whose ReferralNFA is false: referrals going on to further action."""
        return tuple(episode for episode in self.episodes if episode.is_further_action)

    def assessments(self) -> Iterator[tuple[Episode, Assessment]]:
        for episode in self.episodes:
            for assessment in episode.assessments:
                yield episode, assessment

    def cin_plans(self) -> Iterator[tuple[Episode, CINPlan]]:
        for episode in self.episodes:
            for plan in episode.cin_plans:
                yield episode, plan

    def section47s(self) -> Iterator[tuple[Episode, Section47]]:
        for episode in self.episodes:
            for s47 in episode.section47s:
                yield episode, s47

    def protection_plans(self) -> Iterator[tuple[Episode, ProtectionPlan]]:
        for episode in self.episodes:
            for plan in episode.protection_plans:
                yield episode, plan

    def pre_proceedings(self) -> Iterator[tuple[Episode, PreProceedings]]:
        for episode in self.episodes:
            for group in episode.pre_proceedings:
                yield episode, group

