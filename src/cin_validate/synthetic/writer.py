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


def _flag(value: bool) -> str:
    return "true" if value else "false"


class XmlWriter:
    """The text of a return's header, of each child and of its footer."""

    def __init__(self, timeline: Timeline) -> None:
        self.timeline = timeline
        self.days = timeline.days
        # Groups of codes written so far (factor and disability sets come from small pools).
        self._factor_groups: dict[tuple[str, ...], str] = {}
        self._disability_groups: dict[tuple[str, ...], str] = {}

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
        if child.upn is not None:
            out.append(f"        <UPN>{child.upn}</UPN>\n")
        if child.former_upn is not None:
            out.append(f"        <FormerUPN>{child.former_upn}</FormerUPN>\n")
        if child.upn_unknown is not None:
            out.append(f"        <UPNunknown>{child.upn_unknown}</UPNunknown>\n")
        if child.birth is not None:
            out.append(f"        <PersonBirthDate>{self.days[child.birth]}</PersonBirthDate>\n")
        if child.expected_birth is not None:
            out.append("        <ExpectedPersonBirthDate>"
                       f"{self.days[child.expected_birth]}</ExpectedPersonBirthDate>\n")
        out.append(f"        <Sex>{child.sex}</Sex>\n      </ChildIdentifiers>\n")

    def _characteristics(self, out: list[str], child: Child) -> None:
        out.append("      <ChildCharacteristics>\n"
                   f"        <Ethnicity>{child.ethnicity}</Ethnicity>\n")
        if child.disabilities:
            out.append(self._disabilities(child.disabilities))
        out.append("      </ChildCharacteristics>\n")

    def _disabilities(self, codes: tuple[str, ...]) -> str:
        text = self._disability_groups.get(codes)
        if text is None:
            text = self._disability_groups[codes] = (
                "        <Disabilities>\n"
                + "".join(f"          <Disability>{code}</Disability>\n" for code in codes)
                + "        </Disabilities>\n")
        return text

    def _episode(self, out: list[str], episode: Episode) -> None:
        days = self.days
        out.append("      <CINdetails>\n"
                   f"        <CINreferralDate>{days[episode.referral]}</CINreferralDate>\n"
                   f"        <ReferralSource>{episode.source}</ReferralSource>\n")
        if episode.need is not None:
            out.append(f"        <PrimaryNeedCode>{episode.need}</PrimaryNeedCode>\n")
        if episode.closure is not None:
            out.append(f"        <CINclosureDate>{days[episode.closure]}</CINclosureDate>\n")
        if episode.reason is not None:
            out.append(f"        <ReasonForClosure>{episode.reason}</ReasonForClosure>\n")
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
        if assessment.authorised is not None:
            out.append("          <AssessmentAuthorisationDate>"
                       f"{self.days[assessment.authorised]}</AssessmentAuthorisationDate>\n")
        if assessment.factors:
            out.append(self._factors(assessment.factors))
        out.append("        </Assessments>\n")

    def _factors(self, codes: tuple[str, ...]) -> str:
        text = self._factor_groups.get(codes)
        if text is None:
            text = self._factor_groups[codes] = (
                "          <FactorsIdentifiedAtAssessment>\n"
                + "".join(f"            <AssessmentFactors>{code}</AssessmentFactors>\n"
                          for code in codes)
                + "          </FactorsIdentifiedAtAssessment>\n")
        return text

    def _cin_plan(self, out: list[str], plan: CINPlan) -> None:
        out.append("        <CINPlanDates>\n"
                   f"          <CINPlanStartDate>{self.days[plan.start]}</CINPlanStartDate>\n")
        if plan.end is not None:
            out.append(f"          <CINPlanEndDate>{self.days[plan.end]}</CINPlanEndDate>\n")
        out.append("        </CINPlanDates>\n")

    def _enquiry(self, out: list[str], enquiry: Enquiry) -> None:
        days = self.days
        out.append("        <Section47>\n"
                   f"          <S47ActualStartDate>{days[enquiry.start]}</S47ActualStartDate>\n")
        if enquiry.conference_target is not None:
            out.append("          <InitialCPCtarget>"
                       f"{days[enquiry.conference_target]}</InitialCPCtarget>\n")
        if enquiry.conference is not None:
            out.append("          <DateOfInitialCPC>"
                       f"{days[enquiry.conference]}</DateOfInitialCPC>\n")
        out.append("          <ICPCnotRequired>"
                   f"{_flag(enquiry.conference_not_required)}</ICPCnotRequired>\n"
                   "        </Section47>\n")

    def _protection_plan(self, out: list[str], plan: ProtectionPlan) -> None:
        days = self.days
        out.append("        <ChildProtectionPlans>\n"
                   f"          <CPPstartDate>{days[plan.start]}</CPPstartDate>\n")
        if plan.end is not None:
            out.append(f"          <CPPendDate>{days[plan.end]}</CPPendDate>\n")
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
        if group.letter_sent is not None:
            out.append(f"          <LBPSentDate>{days[group.letter_sent]}</LBPSentDate>\n")
        if group.fgdm_offered is not None:
            out.append("          <FGDMMeetingOffer>"
                       f"{_flag(group.fgdm_offered)}</FGDMMeetingOffer>\n")
        if group.fgdm_facilitated is not None:
            out.append("          <FGDMMeetingFac>"
                       f"{_flag(group.fgdm_facilitated)}</FGDMMeetingFac>\n")
        if group.initial_meeting is not None:
            out.append("          <InitialPPMeetingDate>"
                       f"{days[group.initial_meeting]}</InitialPPMeetingDate>\n")
        if group.review_meetings is not None:
            out.append("          <ReviewMeetingsCount>"
                       f"{group.review_meetings}</ReviewMeetingsCount>\n")
        if group.step_decision is not None:
            out.append("          <StepDecisionDate>"
                       f"{days[group.step_decision]}</StepDecisionDate>\n")
        if group.outcome is not None:
            out.append(f"          <PPOutcome>{group.outcome}</PPOutcome>\n")
        if group.court_application is not None:
            out.append(f"          <CourtAppDate>{days[group.court_application]}</CourtAppDate>\n")
        if group.care_proceedings_letter is not None:
            out.append("          <LetterInitCPDate>"
                       f"{days[group.care_proceedings_letter]}</LetterInitCPDate>\n")
        out.append("        </PreProceedingsandFGDM>\n")
