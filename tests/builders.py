"""Build small CIN returns as XML text for tests.

Every builder writes one part of the return; `None` leaves an element out, "" writes it empty.
The defaults make a plausible, clean child: an open further-action episode referred in the
census year with one completed assessment.

    xml = make_return(
        child(episode(assessment(start="2025-01-24", auth=None)), id="C1"),
        child(id="C2", dob=None, edob="2025-05-01", sex="U"),
    )
"""

from __future__ import annotations

import zlib
from xml.sax.saxutils import escape

from cin_validate import years

# The defaults of a return are the default collection year's: its ReferenceDate and <Year>.
THE_YEAR = years.default()
REFERENCE_DATE = THE_YEAR.reference_date.isoformat()
HEADER_YEAR = THE_YEAR.header_year
_DAY = THE_YEAR.reference_date
# Header ReferenceDates that are no valid date, so that the rules use the year's own instead
# (rules README, "ReferenceDate"): absent, empty, no such day, another format, no leading zero,
# a time part.
UNREAD_REFERENCE_DATES = [None, "", f"{_DAY.year}-02-30", _DAY.strftime("%d/%m/%Y"),
                          f"{_DAY.year}-{_DAY.month}-{_DAY.day}", f"{REFERENCE_DATE}T00:00:00"]
# A valid but wrong header date, a year early: every period and cut-off moves with it.
LAST_YEARS_REFERENCE_DATE = _DAY.replace(year=_DAY.year - 1).isoformat()

AUTO = object()  # "compute a sensible value", e.g. a valid, unique UPN from the child's ID
CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def el(name: str, value) -> str:
    """<name>value</name>; nothing for None; an empty element for ""."""
    if value is None:
        return ""
    if value == "":
        return f"<{name}/>"
    return f"<{name}>{escape(str(value))}</{name}>"


def upn_check_letter(last12: str) -> str:
    """The UPN check letter for characters 2 to 13 (rule 1510's algorithm)."""
    total = 0
    for position, char in enumerate(last12, start=2):
        value = int(char) if char.isdigit() else CHECK_LETTERS.index(char)
        total += position * value
    return CHECK_LETTERS[total % 23]


def valid_upn(seed: str, la: str = "801") -> str:
    """A valid permanent UPN, the same for the same seed."""
    digits = f"{la}{zlib.crc32(seed.encode()) % 10**8:08d}1"
    return upn_check_letter(digits) + digits


def assessment(start="2024-06-04", auth="2024-07-01", factors=("1A",), review=None,
               extra="") -> str:
    factor_xml = ""
    if factors is not None:
        factor_xml = "<FactorsIdentifiedAtAssessment>" + "".join(
            el("AssessmentFactors", code) for code in factors) + "</FactorsIdentifiedAtAssessment>"
    return ("<Assessments>" + el("AssessmentActualStartDate", start)
            + el("AssessmentInternalReviewDate", review)
            + el("AssessmentAuthorisationDate", auth) + factor_xml + extra + "</Assessments>")


def cin_plan(start="2024-07-02", end=None, extra="") -> str:
    return ("<CINPlanDates>" + el("CINPlanStartDate", start) + el("CINPlanEndDate", end)
            + extra + "</CINPlanDates>")


def s47(start="2024-06-05", target=None, cpc=None, not_required="true", extra="") -> str:
    return ("<Section47>" + el("S47ActualStartDate", start) + el("InitialCPCtarget", target)
            + el("DateOfInitialCPC", cpc) + el("ICPCnotRequired", not_required) + extra
            + "</Section47>")


def cpp(start="2024-07-01", end=None, initial="NEG", latest="NEG", previous="0", reviews=(),
        extra="") -> str:
    review_xml = ""
    if reviews is not None and len(reviews):
        review_xml = "<Reviews>" + "".join(el("CPPreviewDate", d) for d in reviews) + "</Reviews>"
    return ("<ChildProtectionPlans>" + el("CPPstartDate", start) + el("CPPendDate", end)
            + el("InitialCategoryOfAbuse", initial) + el("LatestCategoryOfAbuse", latest)
            + el("NumberOfPreviousCPP", previous) + review_xml + extra + "</ChildProtectionPlans>")


def pre_proceedings(start="2026-09-09", letter="2026-09-20", offer="1", facilitated="1",
                    initial="2026-09-28", reviews="3", step="2026-12-01", outcome="A",
                    court="2026-12-18", letter_cp="2027-02-05", extra="") -> str:
    """A <PreProceedingsandFGDM> group (2026-27 on); the defaults are the spec's clean example."""
    return ("<PreProceedingsandFGDM>" + el("PPStartDate", start) + el("LBPSentDate", letter)
            + el("FGDMMeetingOffer", offer) + el("FGDMMeetingFac", facilitated)
            + el("InitialPPMeetingDate", initial) + el("ReviewMeetingsCount", reviews)
            + el("StepDecisionDate", step) + el("PPOutcome", outcome)
            + el("CourtAppDate", court) + el("LetterInitCPDate", letter_cp) + extra
            + "</PreProceedingsandFGDM>")


def episode(*groups: str, ref="2024-06-03", source="1A", need="N1", close=None, reason=None,
            nfa="false", cpc=None, extra="") -> str:
    """A <CINdetails>; `groups` are assessment(), cin_plan(), s47(), cpp(), pre_proceedings()
    strings.

    With no groups given the episode gets one completed assessment; pass `""` for none.
    """
    if not groups:
        groups = (assessment(),)
    return ("<CINdetails>" + el("CINreferralDate", ref) + el("ReferralSource", source)
            + el("PrimaryNeedCode", need) + el("CINclosureDate", close)
            + el("ReasonForClosure", reason) + el("DateOfInitialCPC", cpc) + "".join(groups)
            + el("ReferralNFA", nfa) + extra + "</CINdetails>")


def child(*episodes: str, id="C1", upn=AUTO, former_upn=None, upn_unknown=None,
          dob="2015-06-15", edob=None, sex="M", dod=None, ethnicity="WBRI",
          disabilities=("NONE",), extra_identifiers="", extra="") -> str:
    """A <Child>; with no episodes given it gets one default episode(); pass `""` for none."""
    if not episodes:
        episodes = (episode(),)
    if upn is AUTO:
        upn = valid_upn(str(id))
    disability_xml = ""
    if disabilities is not None:
        disability_xml = "<Disabilities>" + "".join(
            el("Disability", code) for code in disabilities) + "</Disabilities>"
    return ("<Child><ChildIdentifiers>" + el("LAchildID", id) + el("UPN", upn)
            + el("FormerUPN", former_upn) + el("UPNunknown", upn_unknown)
            + el("PersonBirthDate", dob) + el("ExpectedPersonBirthDate", edob) + el("Sex", sex)
            + el("PersonDeathDate", dod) + extra_identifiers + "</ChildIdentifiers>"
            + "<ChildCharacteristics>" + el("Ethnicity", ethnicity) + disability_xml
            + "</ChildCharacteristics>" + "".join(episodes) + extra + "</Child>")


def header(reference_date=REFERENCE_DATE, la="201", year=HEADER_YEAR, collection="CIN") -> str:
    return ("<Header><CollectionDetails>" + el("Collection", collection) + el("Year", year)
            + el("ReferenceDate", reference_date) + "</CollectionDetails><Source>"
            + el("SourceLevel", "L") + el("LEA", la) + el("SoftwareCode", "tests")
            + el("Release", "1") + el("SerialNo", "1") + el("DateTime", "2025-04-01T09:00:00")
            + "</Source></Header>")


def header_without_reference_date() -> str:
    """A header holding every element but <ReferenceDate>."""
    return header(reference_date=None)


def make_return(*children: str, reference_date=REFERENCE_DATE, la="201", year=HEADER_YEAR,
                header_xml: str | None = None) -> str:
    """A whole return; each child on its own line, so issue lines identify children."""
    head = header_xml if header_xml is not None else header(reference_date, la, year)
    body = "\n".join(children)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<Message>\n{head}\n<Children>\n{body}\n'
            f"</Children>\n</Message>\n")


# -- the specs' notation, as builders ---------------------------------------------------------
# A{start, auth, [factors]}, C{start..end}, P{start..end, reviews[...]} and PP{field value, ...}
# (tests/notation.py reads the written notation; these are the same groups for Python callers).

NO_GROUPS = ""  # episode(NO_GROUPS): an episode without any group (no default assessment)


def A(start, auth, factors=None) -> str:
    """A{start, auth, [factors]}; factors None: no <FactorsIdentifiedAtAssessment> at all."""
    return assessment(start=start, auth=auth, factors=factors)


def C(start, end=None) -> str:
    """C{start..end}; end None: an open plan."""
    return cin_plan(start=start, end=end)


def P(start, end=None, reviews=()) -> str:
    """P{start..end, reviews[...]}; end None: an open plan."""
    return cpp(start=start, end=end, reviews=reviews)


PP_FIELDS = ("start", "letter", "offer", "facilitated", "initial", "reviews", "step", "outcome",
             "court", "letter_cp")


def PP(**fields) -> str:
    """PP{...}: a pre-proceedings group holding only the given fields (the builder's names)."""
    return pre_proceedings(**{**dict.fromkeys(PP_FIELDS), **fields})


# -- whole returns of one child -----------------------------------------------------------------

def one_episode(*groups: str, reference_date=REFERENCE_DATE, header_xml=None, dod=None,
                year=HEADER_YEAR, **episode_kwargs) -> str:
    """A return with one child C1 and one episode holding `groups`."""
    return make_return(child(episode(*groups, **episode_kwargs), id="C1", dod=dod),
                       reference_date=reference_date, header_xml=header_xml, year=year)


def open_episode(ref, nfa="false") -> str:
    """E{ref R, NFA v}: an open episode without groups."""
    return episode(NO_GROUPS, ref=ref, nfa=nfa)


def closed_rc7(ref, close, nfa="false") -> str:
    """E{ref R, close C, RC7, NFA v}: an episode closed as RC7, without groups."""
    return episode(NO_GROUPS, ref=ref, close=close, reason="RC7", nfa=nfa)
