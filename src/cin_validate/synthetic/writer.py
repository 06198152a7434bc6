"""Writing a generated return as XML text, indented as a typical producer's export is.

Elements come in the order of spec xml-structure.md; module 5's groups close each
<CINdetails>, after its <ChildProtectionPlans> (rules/2026-27-module5.md).
"""

from __future__ import annotations

from ..years import Collection
from .records import (Assessment, Child, CINPlan, Enquiry, Episode, PreProceedings,
                      ProtectionPlan)
from .timeline import Timeline

DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'
FOOTER = "  </Children>\n</Message>\n"
SOFTWARE_CODE = "cin-validate-synthetic"


def _flag(value: bool | None) -> str | None:
    return None if value is None else "true" if value else "false"


def _optional(out: list[str], depth: int, element: str, value: object) -> None:
    """`<element>value</element>` on a line of its own, indented `depth` levels, when the
    record has the value."""
    if value is not None:
        out.append(f"{'  ' * depth}<{element}>{value}</{element}>\n")


class XmlWriter:
    """The text of a return's header, of each child and of its footer."""

    def __init__(self, timeline: Timeline) -> None:
        self.timeline = timeline
        self.days = timeline.days
        # Lists of codes written so far (factor and disability sets come from small pools).
        self._code_lists: dict[tuple[str, tuple[str, ...]], str] = {}

    def header(self, collection: Collection, la: str, serial_no: int) -> str:
        """The header names the collection year (its <Year> and ReferenceDate), so validation
        picks that year with no option; it was written on the morning after ReferenceDate."""
        written = self.days[self.timeline.end + 1]
        return (
            DECLARATION
            + "<Message>\n"
            "  <Header>\n"
            "    <CollectionDetails>\n"
            "      <Collection>CIN</Collection>\n"
            f"      <Year>{collection.header_year}</Year>\n"
            f"      <ReferenceDate>{self.days[self.timeline.end]}</ReferenceDate>\n"
            "    </CollectionDetails>\n"
            "    <Source>\n"
            "      <SourceLevel>L</SourceLevel>\n"
            f"      <LEA>{la}</LEA>\n"
            f"      <SoftwareCode>{SOFTWARE_CODE}</SoftwareCode>\n"
            "      <Release>1</Release>\n"
            f"      <SerialNo>{serial_no}</SerialNo>\n"
            f"      <DateTime>{written}T09:00:00</DateTime>\n"
            "    </Source>\n"
            "  </Header>\n"
            "  <Children>\n"
        )

    def _date(self, day: int | None) -> str | None:
        """A day of the timeline as CCYY-MM-DD, or None for none."""
        return None if day is None else self.days[day]

    def child(self, child: Child) -> str:
        out: list[str] = ["    <Child>\n"]
        self._identifiers(out, child)
        self._characteristics(out, child)
        for episode in child.episodes:
            self._episode(out, episode)
        out.append("    </Child>\n")
        return "".join(out)

    def _identifiers(self, out: list[str], child: Child) -> None:
        out.append("      <ChildIdentifiers>\n"
                   f"        <LAchildID>{child.la_child_id}</LAchildID>\n")
        _optional(out, 4, "UPN", child.upn)
        _optional(out, 4, "FormerUPN", child.former_upn)
        _optional(out, 4, "UPNunknown", child.upn_unknown)
        _optional(out, 4, "PersonBirthDate", self._date(child.birth))
        _optional(out, 4, "ExpectedPersonBirthDate", self._date(child.expected_birth))
        out.append(f"        <Sex>{child.sex}</Sex>\n      </ChildIdentifiers>\n")

    def _characteristics(self, out: list[str], child: Child) -> None:
        out.append("      <ChildCharacteristics>\n"
                   f"        <Ethnicity>{child.ethnicity}</Ethnicity>\n")
        if child.disabilities:
            out.append(self._code_list(child.disabilities, 4, "Disabilities", "Disability"))
        out.append("      </ChildCharacteristics>\n")

    def _code_list(self, codes: tuple[str, ...], depth: int, container: str, item: str) -> str:
        """A list container (<Disabilities>) holding an element per code, `depth` levels in;
        each list is written once and then reused."""
        text = self._code_lists.get((container, codes))
        if text is None:
            indent = "  " * depth
            text = self._code_lists[container, codes] = (
                f"{indent}<{container}>\n"
                + "".join(f"{indent}  <{item}>{code}</{item}>\n" for code in codes)
                + f"{indent}</{container}>\n")
        return text

    def _episode(self, out: list[str], episode: Episode) -> None:
        days = self.days
        out.append("      <CINdetails>\n"
                   f"        <CINreferralDate>{days[episode.referral]}</CINreferralDate>\n"
                   f"        <ReferralSource>{episode.source}</ReferralSource>\n")
        _optional(out, 4, "PrimaryNeedCode", episode.need)
        _optional(out, 4, "CINclosureDate", self._date(episode.closure))
        _optional(out, 4, "ReasonForClosure", episode.reason)
        for assessment in episode.assessments:
            self._assessment(out, assessment)
        for plan in episode.cin_plans:
            self._cin_plan(out, plan)
        for enquiry in episode.enquiries:
            self._enquiry(out, enquiry)
        out.append("        <ReferralNFA>false</ReferralNFA>\n")
        for protection in episode.protection_plans:
            self._protection_plan(out, protection)
        for group in episode.pre_proceedings:
            self._pre_proceedings(out, group)
        out.append("      </CINdetails>\n")

    def _assessment(self, out: list[str], assessment: Assessment) -> None:
        out.append("        <Assessments>\n          <AssessmentActualStartDate>"
                   f"{self.days[assessment.start]}</AssessmentActualStartDate>\n")
        _optional(out, 5, "AssessmentAuthorisationDate", self._date(assessment.authorised))
        if assessment.factors:
            out.append(self._code_list(assessment.factors, 5, "FactorsIdentifiedAtAssessment",
                                        "AssessmentFactors"))
        out.append("        </Assessments>\n")

    def _cin_plan(self, out: list[str], plan: CINPlan) -> None:
        out.append("        <CINPlanDates>\n"
                   f"          <CINPlanStartDate>{self.days[plan.start]}</CINPlanStartDate>\n")
        _optional(out, 5, "CINPlanEndDate", self._date(plan.end))
        out.append("        </CINPlanDates>\n")

    def _enquiry(self, out: list[str], enquiry: Enquiry) -> None:
        days = self.days
        out.append("        <Section47>\n"
                   f"          <S47ActualStartDate>{days[enquiry.start]}</S47ActualStartDate>\n")
        _optional(out, 5, "InitialCPCtarget", self._date(enquiry.conference_target))
        _optional(out, 5, "DateOfInitialCPC", self._date(enquiry.conference))
        out.append("          <ICPCnotRequired>"
                   f"{_flag(enquiry.conference_not_required)}</ICPCnotRequired>\n"
                   "        </Section47>\n")

    def _protection_plan(self, out: list[str], plan: ProtectionPlan) -> None:
        days = self.days
        out.append("        <ChildProtectionPlans>\n"
                   f"          <CPPstartDate>{days[plan.start]}</CPPstartDate>\n")
        _optional(out, 5, "CPPendDate", self._date(plan.end))
        out.append(
            f"          <InitialCategoryOfAbuse>{plan.initial_category}</InitialCategoryOfAbuse>\n"
            f"          <LatestCategoryOfAbuse>{plan.latest_category}</LatestCategoryOfAbuse>\n"
            f"          <NumberOfPreviousCPP>{plan.previous_plans}</NumberOfPreviousCPP>\n")
        if plan.reviews:
            out.append("          <Reviews>\n")
            out.extend(f"            <CPPreviewDate>{days[review]}</CPPreviewDate>\n"
                       for review in plan.reviews)
            out.append("          </Reviews>\n")
        out.append("        </ChildProtectionPlans>\n")

    def _pre_proceedings(self, out: list[str], group: PreProceedings) -> None:
        days = self.days
        out.append("        <PreProceedingsandFGDM>\n"
                   f"          <PPStartDate>{days[group.start]}</PPStartDate>\n")
        _optional(out, 5, "LBPSentDate", self._date(group.letter_sent))
        _optional(out, 5, "FGDMMeetingOffer", _flag(group.fgdm_offered))
        _optional(out, 5, "FGDMMeetingFac", _flag(group.fgdm_facilitated))
        _optional(out, 5, "InitialPPMeetingDate", self._date(group.initial_meeting))
        _optional(out, 5, "ReviewMeetingsCount", group.review_meetings)
        _optional(out, 5, "StepDecisionDate", self._date(group.step_decision))
        _optional(out, 5, "PPOutcome", group.outcome)
        _optional(out, 5, "CourtAppDate", self._date(group.court_application))
        _optional(out, 5, "LetterInitCPDate", self._date(group.care_proceedings_letter))
        out.append("        </PreProceedingsandFGDM>\n")
