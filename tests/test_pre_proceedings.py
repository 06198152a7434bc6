"""2026-27 module 5: pre-proceedings and FGDM (spec rules/2026-27-module5.md).

Every rule: its failing case, its passing case, each boundary and example the spec names.
Returns are 2026-27 ones (ReferenceDate 2027-03-31, Year 2027) unless a test says otherwise;
`PP(...)` is one <PreProceedingsandFGDM> group with only the fields given.
"""

from __future__ import annotations

import pytest
from builders import PP, child, episode, make_return, one_episode, pre_proceedings
from conftest import codes, fired, where
from output_helpers import run

from cin_validate import years

YEAR = years.get("2026-27")
REFERENCE_DATE = YEAR.reference_date.isoformat()  # 2027-03-31
MODULE5 = ("8995Q", "9000Q", "9005", "9006", "9007", "9008", "9009", "9010Q", "9011", "9012",
           "9013", "9015Q")


def return_of(*groups: str, reference_date=REFERENCE_DATE, year=YEAR.header_year,
              **episode_kwargs) -> str:
    """A 2026-27 return of one child and one episode holding `groups`."""
    return one_episode(*groups, reference_date=reference_date, year=year, **episode_kwargs)


@pytest.fixture
def pp(validate):
    """pp(code, *groups) -> that rule's issues in a 2026-27 return of one child and episode."""
    def run(code, *groups, **kwargs):
        return fired(validate(return_of(*groups, **kwargs)), code)
    return run


def test_the_spec_clean_example_fires_no_module_5_rule(validate):
    report = validate(return_of(pre_proceedings()))
    assert report.collection is YEAR
    assert codes(report) & set(MODULE5) == set()


def test_module_5_rules_run_only_in_2026_27(validate):
    group = PP(start="2027-04-01", outcome="D")
    earlier = [held for held in years.held().values() if held is not YEAR]
    for year, reference_date in ((c.header_year, c.reference_date.isoformat()) for c in earlier):
        report = validate(return_of(group, reference_date=reference_date, year=year))
        assert codes(report) & set(MODULE5) == set()
        assert "S01" in codes(report)  # the element is unknown before 2026-27
        s01 = [i for i in fired(report, "S01") if i.places[0].field == "PreProceedingsandFGDM"]
        assert len(s01) == 1
    report = validate(return_of(group))
    assert {"9005", "9011"} <= codes(report)
    assert not [i for i in fired(report, "S01") if i.places[0].field == "PreProceedingsandFGDM"]


# -- 8995Q -------------------------------------------------------------------------------------

def test_8995Q_fires_once_when_no_child_has_module_5_data(validate):
    (issue,) = fired(validate(return_of("")), "8995Q")
    assert issue.child is None
    assert issue.message == ("Please check and provide a reason why no module 5 (pre-proceedings "
                             "and FGM) data has been provided for any child.")


def test_8995Q_fires_on_a_return_with_no_children(validate):
    xml = make_return(reference_date=REFERENCE_DATE, year=YEAR.header_year)
    assert len(fired(validate(xml), "8995Q")) == 1


def test_8995Q_fires_when_only_empty_groups_appear(validate):
    empty_groups = return_of("<PreProceedingsandFGDM/>", PP(start="", outcome=""))
    assert len(fired(validate(empty_groups), "8995Q")) == 1


def test_8995Q_passes_when_one_child_has_any_written_value_valid_or_not(validate):
    for group in (PP(outcome="X"), PP(start="09/09/2026"), pre_proceedings()):
        xml = make_return(child(id="C1"), child(episode(group), id="C2"),
                          reference_date=REFERENCE_DATE, year=YEAR.header_year)
        assert fired(validate(xml), "8995Q") == []


def test_8995Q_does_not_run_before_2026_27(validate):
    before = years.default()
    assert fired(validate(return_of("", reference_date=before.reference_date.isoformat(),
                                    year=before.header_year)), "8995Q") == []


# -- 9000Q -------------------------------------------------------------------------------------

@pytest.mark.parametrize("start", [None, "", "  ", "2026-02-30", "09/09/2026"])
def test_9000Q_fires_for_each_group_without_a_valid_start(pp, start):
    (issue,) = pp("9000Q", PP(start=start, outcome="A"))
    assert where(issue) == [("CINdetails[1]/PreProceedingsandFGDM[1]", "PPStartDate")]


def test_9000Q_passes_with_a_start_date_and_counts_per_group(pp):
    assert pp("9000Q", PP(start="2026-09-09")) == []
    assert len(pp("9000Q", PP(outcome="A"), PP(outcome="B"), PP(start="2026-09-09"))) == 2


def test_9000Q_an_empty_group_is_no_group(pp):
    assert pp("9000Q", "<PreProceedingsandFGDM/>") == []
    assert len(pp("9000Q", "<PreProceedingsandFGDM><PPOutcome/></PreProceedingsandFGDM>")) == 1


# -- 9005 --------------------------------------------------------------------------------------

@pytest.mark.parametrize("start, fires", [
    ("2026-04-01", False), ("2027-03-31", False),  # both ends of the census year pass
    ("2026-03-31", True), ("2027-04-01", True),
    ("2026-09-09", False), (None, False), ("2027-04-31", False),  # absent or invalid: silent
])
def test_9005_start_date_within_the_census_year(pp, start, fires):
    issues = pp("9005", PP(start=start))
    assert len(issues) == fires
    if fires:
        assert [p.field for p in issues[0].places] == ["PPStartDate"]


def test_9005_census_year_shifts_with_a_valid_header_date(pp):
    # --year 2026-27 with a wrong but valid ReferenceDate: the period shifts with it (G1)
    assert len(pp("9005", PP(start="2026-09-09"), reference_date="2026-03-31", year="2027")) == 0


# -- 9006 --------------------------------------------------------------------------------------

@pytest.mark.parametrize("start, letter, fires", [
    ("2026-09-09", "2026-09-09", False),  # the same day passes
    ("2026-09-09", "2026-09-08", True),  # a day before fails
    ("2026-09-09", "2026-09-20", False),
    (None, "2026-09-20", False),  # no start: passes if within the year
    (None, "2027-04-01", True), ("2026-04-01", "2026-03-31", True),
    ("2026-09-09", "2027-03-31", False), ("2026-09-09", "2027-04-01", True),
    ("2026-09-09", None, False), ("2026-09-09", "bad", False),
    ("bad", "2026-09-01", False),  # an invalid start is absent
])
def test_9006_letter_before_proceedings_within_year_and_not_before_start(pp, start, letter, fires):
    issues = pp("9006", PP(start=start, letter=letter))
    assert len(issues) == fires
    if fires:
        assert [p.field for p in issues[0].places] == ["LBPSentDate", "PPStartDate"]


def test_9006_letter_without_start_also_gives_9000Q(validate):
    report = validate(return_of(PP(letter="2026-09-20", offer="0")))
    assert fired(report, "9006") == [] and len(fired(report, "9000Q")) == 1


# -- 9007 --------------------------------------------------------------------------------------

@pytest.mark.parametrize("letter, offer, fires", [
    ("2026-09-20", None, True), ("2026-09-20", "", True), ("2026-09-20", "yes", True),
    ("2026-09-20", "false", False), ("2026-09-20", "0", False), ("2026-09-20", "TRUE", False),
    (None, None, False),  # no letter: nothing to confirm
    ("20/09/2026", None, False),  # an invalid letter date is absent
    (None, "true", False),  # the direction: an offer without a letter is not this rule
])
def test_9007_a_sent_letter_needs_the_offer_flag(pp, letter, offer, fires):
    issues = pp("9007", PP(start="2026-09-09", letter=letter, offer=offer, facilitated="0"))
    assert len(issues) == fires
    if fires:
        assert [p.field for p in issues[0].places] == ["FGDMMeetingOffer", "LBPSentDate"]


# -- 9008 --------------------------------------------------------------------------------------

@pytest.mark.parametrize("initial, fires", [
    ("2026-04-01", False), ("2027-03-31", False), ("2026-03-31", True), ("2027-04-01", True),
    (None, False), ("2026-13-01", False),
])
def test_9008_first_meeting_within_the_census_year(pp, initial, fires):
    issues = pp("9008", PP(initial=initial, reviews="0"))
    assert len(issues) == fires
    if fires:
        assert [p.field for p in issues[0].places] == ["InitialPPMeetingDate"]


# -- 9009 --------------------------------------------------------------------------------------

@pytest.mark.parametrize("start, step, fires", [
    ("2026-09-09", "2026-09-09", False), ("2026-09-09", "2026-09-08", True),
    ("2026-09-09", "2027-03-31", False), ("2026-09-09", "2027-04-01", True),
    (None, "2026-04-01", False), (None, "2026-03-31", True),
    ("2026-09-09", None, False), ("2026-09-09", "2026/12/01", False),
])
def test_9009_step_decision_within_year_and_not_before_start(pp, start, step, fires):
    issues = pp("9009", PP(start=start, step=step))
    assert len(issues) == fires
    if fires:
        assert [p.field for p in issues[0].places] == ["StepDecisionDate", "PPStartDate"]


# -- 9010Q -------------------------------------------------------------------------------------

@pytest.mark.parametrize("offer, facilitated, fires", [
    ("true", None, True), ("1", None, True), (" True ", "", True), ("true", "maybe", True),
    ("true", "false", False), ("1", "1", False),
    ("0", None, False), ("false", None, False),  # no offer: nothing to confirm
    (None, None, False), ("yes", None, False),  # not given is not true
])
def test_9010Q_an_offered_meeting_needs_the_facilitated_flag(pp, offer, facilitated, fires):
    issues = pp("9010Q", PP(offer=offer, facilitated=facilitated))
    assert len(issues) == fires
    if fires:
        assert [p.field for p in issues[0].places] == ["FGDMMeetingFac", "FGDMMeetingOffer"]


# -- 9011 --------------------------------------------------------------------------------------

@pytest.mark.parametrize("outcome, fires", [
    ("A", False), ("B", False), ("C", False), (" A ", False), (None, False), ("", False),
    ("a", True), ("D", True), ("AB", True), ("1", True),
])
def test_9011_outcome_is_a_cs131_code(pp, outcome, fires):
    issues = pp("9011", PP(outcome=outcome))
    assert len(issues) == fires
    if fires:
        assert [(p.field, p.value) for p in issues[0].places] == [("PPOutcome", outcome.strip())]


# -- 9012 --------------------------------------------------------------------------------------

@pytest.mark.parametrize("step, court, fires", [
    ("2026-12-01", "2026-12-01", False), ("2026-12-01", "2026-11-30", True),
    ("2026-12-01", "2026-12-18", False), (None, "2026-11-30", False),
    (None, "2027-04-01", True), ("2026-12-01", "2027-03-31", False),
    ("2026-04-01", "2026-03-31", True), ("2026-12-01", None, False),
    ("2026-12-01", "18/12/2026", False),
])
def test_9012_court_application_within_year_and_not_before_step_decision(pp, step, court, fires):
    issues = pp("9012", PP(step=step, court=court))
    assert len(issues) == fires
    if fires:
        assert [p.field for p in issues[0].places] == ["CourtAppDate", "StepDecisionDate"]


def test_9012_compares_with_the_step_decision_not_the_start(pp):
    assert pp("9012", PP(start="2026-12-20", step="2026-12-01", court="2026-12-18")) == []


# -- 9013 --------------------------------------------------------------------------------------

@pytest.mark.parametrize("court, letter_cp, fires", [
    ("2026-12-18", "2026-12-18", False), ("2026-12-18", "2026-12-17", True),
    ("2026-12-18", "2027-02-05", False), (None, "2026-04-01", False),
    (None, "2026-03-31", True), ("2026-12-18", "2027-04-01", True),
    ("2026-12-18", None, False), ("2026-12-18", "2027-02-30", False),
])
def test_9013_care_proceedings_letter_within_year_and_not_before_court(pp, court, letter_cp,
                                                                       fires):
    issues = pp("9013", PP(court=court, letter_cp=letter_cp))
    assert len(issues) == fires
    if fires:
        assert [p.field for p in issues[0].places] == ["LetterInitCPDate", "CourtAppDate"]


# -- 9015Q -------------------------------------------------------------------------------------

@pytest.mark.parametrize("initial, reviews, fires", [
    ("2026-09-28", "0", False),  # 0 is present
    ("2026-09-28", "3", False), ("2026-09-28", " 12 ", False),
    ("2026-09-28", None, True),  # absent fires
    ("2026-09-28", "", True), ("2026-09-28", "-1", True), ("2026-09-28", "2.5", True),
    ("2026-09-28", "three", True),
    (None, None, False),  # no initial meeting: nothing to count
    ("28/09/2026", None, False),  # an invalid date is absent
])
def test_9015Q_an_initial_meeting_needs_the_count_of_review_meetings(pp, initial, reviews, fires):
    issues = pp("9015Q", PP(initial=initial, reviews=reviews))
    assert len(issues) == fires
    if fires:
        assert [p.field for p in issues[0].places] == ["ReviewMeetingsCount",
                                                       "InitialPPMeetingDate"]


def test_9015Q_message_keeps_the_dfe_double_space(pp):
    (issue,) = pp("9015Q", PP(initial="2026-09-28"))
    assert "were held  following" in issue.message


HELD = "Please check: if review meetings were held  following the initial"


@pytest.mark.parametrize(("options", "printed"), [
    (("--format", "json"), HELD), (("--format", "csv"), HELD),
    (("--format", "concise"), f"9015Q {HELD}"), (("--format", "junit"), f"1 query: {HELD}"),
    (("--format", "github"), HELD), (("--format", "html"), f"(query): 1 \u2014 {HELD}"),
    (("--format", "terminal", "--details"), f"9015Q query: {HELD}"),
])
def test_9015Q_message_is_printed_exactly_in_every_format(tmp_path, options, printed):
    # The DfE message holds two spaces ("held  following"): the rules README says to print
    # every message character for character, so no format may tidy it.
    path = tmp_path / "return.xml"
    path.write_text(return_of(PP(start="2026-09-01", initial="2026-09-28")), encoding="utf-8")
    assert printed in run(path, *options, env={"COLUMNS": "400"}).stdout


# -- reading the group -------------------------------------------------------------------------

def test_bad_values_in_a_group_are_structural_notices_and_absent(validate):
    group = PP(start="09/09/2026", offer="yes", reviews="x", letter="2026-09-20")
    report = validate(return_of(group))
    notices = {(i.code, i.places[0].field) for i in report.issues if i.severity == "notice"}
    assert {("S02", "PPStartDate"), ("S04", "FGDMMeetingOffer"),
            ("S05", "ReviewMeetingsCount")} <= notices
    assert len(fired(report, "9000Q")) == 1 and len(fired(report, "9007")) == 1


def test_groups_are_read_in_any_order_with_values_lines_and_repeats(validate, tmp_path):
    group = ("<PreProceedingsandFGDM>\n<PPOutcome>C</PPOutcome>\n<PPStartDate>2026-03-31"
             "</PPStartDate>\n<PPStartDate>2026-09-09</PPStartDate>\n</PreProceedingsandFGDM>")
    report = validate(return_of(group))
    (issue,) = fired(report, "9005")
    assert issue.places[0].value == "2026-03-31"  # the first one is used
    assert any(i.code == "S03" and i.places[0].field == "PPStartDate" for i in report.issues)
    assert issue.line is not None and issue.child.la_child_id == "C1"


def test_several_groups_and_episodes_are_separate_instances(validate):
    xml = make_return(child(episode(PP(start="2027-04-01"), PP(start="2026-03-01")),
                            episode(PP(start="2027-05-01"), ref="2026-05-01"), id="C1"),
                      reference_date=REFERENCE_DATE, year=YEAR.header_year)
    issues = fired(validate(xml), "9005")
    assert [i.places[0].path for i in issues] == [
        "CINdetails[1]/PreProceedingsandFGDM[1]", "CINdetails[1]/PreProceedingsandFGDM[2]",
        "CINdetails[2]/PreProceedingsandFGDM[1]"]
