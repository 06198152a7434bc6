"""Audit of group 3 (spec group3-assessments-cin-plans.md): boundaries and examples that the
first round of tests did not pin.

- ReferenceDate: a valid header date is used as written and shifts every cut-off, an absent
  or invalid one (D2: another format, an impossible date, a time part) falls back to
  2025-03-31 (D1, rules README, O9).
- Groups (D4, O10): a group with no child element is absent for every rule; one holding only
  empty elements is present (an open assessment or plan with no dates).
- Instances (D4): every group and every <CPPreviewDate> is separate, even when identical.
- Booleans (D3): true/1 and false/0 in any case, trimmed; anything else is not given.
- The co-firing rules the spec's examples name.
"""

from __future__ import annotations

import pytest
from builders import assessment, child, cin_plan, cpp, episode, make_return
from conftest import codes, fired

# Header ReferenceDate values that are not valid dates (D2): the rules fall back to 2025-03-31.
INVALID_HEADER_DATES = [None, "", "2025-02-30", "31/03/2025", "2025-3-31", "2025-03-31T00:00:00"]


def A(start, auth, factors=None) -> str:
    return assessment(start=start, auth=auth, factors=factors)


def C(start, end=None) -> str:
    return cin_plan(start=start, end=end)


def P(start, end=None, reviews=()) -> str:
    return cpp(start=start, end=end, reviews=reviews)


def one_episode(*groups: str, reference_date="2025-03-31", **episode_kwargs) -> str:
    episode_kwargs.setdefault("ref", "2023-01-02")
    return make_return(child(episode(*groups, **episode_kwargs), id="C1"),
                       reference_date=reference_date)


def count(report, code: str) -> int:
    return len(fired(report, code))


def paths(issue) -> list:
    return [place.path for place in issue.places]


def values(issue) -> list:
    return [place.value for place in issue.places]


# -- ReferenceDate fallback: absent or invalid header dates mean 2025-03-31 --------------------

@pytest.mark.parametrize("header_date", INVALID_HEADER_DATES)
@pytest.mark.parametrize("start, fires", [("2025-01-26", True), ("2025-01-27", False)])
def test_8670Q_invalid_or_absent_header_falls_back_to_cutoff_2025_01_27(validate, header_date,
                                                                        start, fires):
    report = validate(one_episode(A(start, None), reference_date=header_date))
    assert report.reference_date.isoformat() == "2025-03-31"
    assert count(report, "8670Q") == (1 if fires else 0)


@pytest.mark.parametrize("header_date", ["2025-02-30", None])
@pytest.mark.parametrize("code, group, fires", [
    ("8696", A("2024-02-01", "2024-03-31", ["1A"]), True),
    ("8696", A("2024-02-01", "2024-04-01", ["1A"]), False),
    ("8696", A("2025-03-03", "2025-04-01", ["1A"]), True),
    ("8736", A("2024-03-31", None), True),
    ("8736", A("2024-04-01", None), False),
    ("8736", A("2025-03-31", None), False),
    ("8736", A("2025-04-01", None), True),
    ("8897Q", A("2024-03-04", "2024-04-01"), True),
    ("8897Q", A("2024-03-04", "2024-03-31"), False),
    ("4010", C("2025-03-31"), False),
    ("4010", C("2025-04-01"), True),
    ("4013", C("2023-01-09", "2024-03-31"), True),
    ("4013", C("2023-01-09", "2024-04-01"), False),
    ("4013", C("2025-01-06", "2025-04-01"), True),
])
def test_invalid_or_absent_header_uses_the_2024_25_census_year(validate, header_date, code,
                                                               group, fires):
    assert count(validate(one_episode(group, reference_date=header_date)), code) == (
        1 if fires else 0)


@pytest.mark.parametrize("code, groups, fires", [
    # open Y / open plans last to the fallback ReferenceDate 2025-03-31
    ("8863Q", (A("2024-09-02", None), A("2025-03-31", None)), True),
    ("8863Q", (A("2024-09-02", None), A("2025-04-01", None)), False),
    ("4014", (C("2024-05-01"), C("2025-03-31", "2025-03-31")), True),
    ("4014", (C("2024-05-01"), C("2025-04-01")), False),
    ("4016", (P("2024-10-07"), C("2025-03-31")), True),
    ("4016", (P("2024-10-07"), C("2025-04-01")), False),
    ("4017", (C("2024-05-01"), P("2025-03-31")), True),
    ("4017", (C("2024-05-01"), P("2025-04-01")), False),
])
def test_open_items_last_to_2025_03_31_when_the_header_date_is_invalid(validate, code, groups,
                                                                      fires):
    report = validate(one_episode(*groups, reference_date="2025-13-01"))
    assert count(report, code) == (1 if fires else 0)


# -- ReferenceDate shift: a valid header date (even a wrong one) moves every cut-off -----------

@pytest.mark.parametrize("code, group, fires", [
    # header 2024-03-31: census year 2023-04-01 .. 2024-03-31
    ("8736", A("2023-03-31", None), True),
    ("8736", A("2023-04-01", None), False),
    ("8736", A("2024-03-31", None), False),
    ("8736", A("2024-04-01", None), True),
    ("8696", A("2023-03-01", "2023-04-01", ["1A"]), False),
    ("8696", A("2024-03-01", "2024-04-01", ["1A"]), True),
    ("8897Q", A("2023-03-04", "2023-03-31"), False),
    ("4013", C("2023-01-09", "2023-03-31"), True),
    ("4013", C("2023-01-09", "2023-04-01"), False),
    ("4013", C("2024-01-08", "2024-03-31"), False),
    ("4013", C("2024-01-08", "2024-04-01"), True),
    ("4010", C("2024-03-31"), False),
    ("4010", C("2024-04-01"), True),
])
def test_census_year_shifts_with_a_valid_header(validate, code, group, fires):
    report = validate(one_episode(group, reference_date="2024-03-31"))
    assert report.reference_date.isoformat() == "2024-03-31"
    assert count(report, code) == (1 if fires else 0)


@pytest.mark.parametrize("code, groups, fires", [
    # header 2024-03-31: open items last to 2024-03-31, not 2025-03-31
    ("8863Q", (A("2023-09-04", None), A("2024-03-31", None)), True),
    ("8863Q", (A("2023-09-04", None), A("2024-04-01", None)), False),
    ("4014", (C("2023-05-01"), C("2024-03-31", "2024-03-31")), True),
    ("4014", (C("2023-05-01"), C("2024-04-01")), False),
    ("4016", (P("2023-10-02"), C("2024-03-31")), True),
    ("4016", (P("2023-10-02"), C("2024-04-01")), False),
    ("4017", (C("2023-05-01"), P("2024-03-31")), True),
    ("4017", (C("2023-05-01"), P("2024-04-01")), False),
])
def test_open_items_last_to_a_shifted_header_date(validate, code, groups, fires):
    report = validate(one_episode(*groups, reference_date="2024-03-31"))
    assert count(report, code) == (1 if fires else 0)


# -- Empty and present-but-empty groups (D4, O10) ----------------------------------------------

EMPTY_ASSESSMENTS = ("<Assessments/>", "<Assessments>  <!-- a comment --> </Assessments>")
EMPTY_PLANS = ("<CINPlanDates/>", "<CINPlanDates> <!-- a comment --> </CINPlanDates>")


def test_empty_assessments_groups_are_ignored_by_every_assessment_rule(validate):
    report = validate(one_episode(*EMPTY_ASSESSMENTS, ref="2024-09-16", close="2024-11-29",
                                  reason="RC7"))
    assessment_rules = {"8608", "8614", "8670Q", "8696", "8736", "8863Q", "8867", "8869",
                        "8873Q", "8896", "8897Q", "8898", "8945Q", "8950Q"}
    assert not codes(report) & assessment_rules


def test_empty_cin_plan_groups_are_ignored_by_every_cin_plan_rule(validate):
    report = validate(make_return(child(
        episode(*EMPTY_PLANS, P("2024-09-02", None, ["2024-10-01"]), ref="2024-06-03",
                nfa="true"),
        id="C1", dod="2024-06-03")))
    plan_rules = {"4000", "4001", "4003", "4004", "4008", "4009Q", "4010", "4011", "4012Q",
                  "4013", "4014", "4015", "4016", "4017"}
    assert not codes(report) & plan_rules


def test_empty_cpp_group_is_not_an_open_cpp_for_4001(validate):
    assert "4001" not in codes(validate(one_episode("<ChildProtectionPlans/>",
                                                    C("2024-06-03"))))


@pytest.mark.parametrize("group", [
    "<Assessments><AssessmentActualStartDate/></Assessments>",  # the spec's D4 example
    "<Assessments><FactorsIdentifiedAtAssessment/></Assessments>",
])
def test_present_assessment_without_dates_is_open(validate, group):
    report = validate(one_episode(group, A("2024-10-07", None), ref="2024-09-16",
                                  close="2024-11-29", reason="RC7"))
    assert count(report, "8736") == 1  # no start date on an open assessment
    (issue,) = fired(report, "8896")  # two open assessments in the episode
    assert paths(issue) == ["CINdetails[1]/Assessments[1]", "CINdetails[1]/Assessments[2]"]
    (issue,) = fired(report, "8867")
    assert paths(issue)[1:] == ["CINdetails[1]/Assessments[1]", "CINdetails[1]/Assessments[2]"]
    (issue,) = fired(report, "8670Q")  # silent for the one without a start date
    assert paths(issue)[0] == "CINdetails[1]/Assessments[2]"


def test_present_cin_plan_without_dates_is_open_and_has_no_start(validate):
    group = "<CINPlanDates><CINPlanEndDate/></CINPlanDates>"
    report = validate(one_episode(group, C("2024-06-03"), P("2024-09-02"), ref="2024-06-03"))
    (issue,) = fired(report, "4010")
    assert paths(issue) == ["CINdetails[1]/CINPlanDates[1]"]
    (issue,) = fired(report, "4004")
    assert paths(issue) == ["CINdetails[1]/CINPlanDates[1]", "CINdetails[1]/CINPlanDates[2]"]
    (issue,) = fired(report, "4001")
    assert paths(issue)[1:] == ["CINdetails[1]/CINPlanDates[1]", "CINdetails[1]/CINPlanDates[2]"]
    assert count(report, "4014") == 0  # a plan without a valid start is skipped


def test_4000_present_plan_without_dates_counts(validate):
    group = "<CINPlanDates><CINPlanStartDate> </CINPlanStartDate></CINPlanDates>"
    (issue,) = fired(validate(one_episode(group, ref="2024-06-03", nfa="true")), "4000")
    assert values(issue) == ["true", None]


# -- Booleans (D3) -----------------------------------------------------------------------------

@pytest.mark.parametrize("nfa, fires", [
    ("True", True), (" true ", True), ("tRuE", True), (" 1 ", True),
    ("FALSE", False), ("0", False), ("", False), ("yes", False), ("2", False), ("t", False),
])
def test_4000_referral_nfa_spellings(validate, nfa, fires):
    report = validate(one_episode(C("2024-06-03"), ref="2024-06-03", nfa=nfa))
    assert count(report, "4000") == (1 if fires else 0)


# -- Every instance separate (D4) --------------------------------------------------------------

def test_4003_identical_review_dates_are_two_issues(validate):
    report = validate(one_episode(C("2024-05-01", "2024-10-01"),
                                  P("2024-04-15", "2024-06-10", ["2024-05-20", "2024-05-20"])))
    issues = fired(report, "4003")
    assert [paths(i)[0] for i in issues] == [
        "CINdetails[1]/ChildProtectionPlans[1]/Reviews[1]/CPPreviewDate[1]",
        "CINdetails[1]/ChildProtectionPlans[1]/Reviews[1]/CPPreviewDate[2]"]


def test_4003_review_exception_is_the_reviews_own_cpp_end_date_only(validate):
    # The review of the second CPP falls on the first CPP's end date: no exception for it.
    report = validate(one_episode(C("2024-05-01", "2024-10-01"),
                                  P("2024-04-15", "2024-06-10"),
                                  P("2024-06-10", None, ["2024-06-10"])))
    (issue,) = fired(report, "4003")
    assert values(issue)[0] == "2024-06-10"
    assert paths(issue)[-1] == "CINdetails[1]/ChildProtectionPlans[2]"


def test_4016_identical_cin_plans_inside_a_cpp_give_one_issue_each(validate):
    same = C("2024-07-01", "2024-08-01")
    report = validate(one_episode(P("2024-06-03", "2024-09-02"), same, same))
    assert [paths(i)[0] for i in fired(report, "4016")] == [
        "CINdetails[1]/CINPlanDates[1]", "CINdetails[1]/CINPlanDates[2]"]


def test_4017_identical_cpps_inside_a_cin_plan_give_one_issue_each(validate):
    same = P("2024-07-01", "2024-08-01")
    report = validate(one_episode(C("2024-06-03", "2024-09-02"), same, same))
    assert [paths(i)[0] for i in fired(report, "4017")] == [
        "CINdetails[1]/ChildProtectionPlans[1]", "CINdetails[1]/ChildProtectionPlans[2]"]


def test_8869_and_8898_are_per_assessment(validate):
    report = validate(one_episode(A("2024-06-03", "2024-06-20", ["21", "1B"]),
                                  A("2024-07-01", "2024-07-20", ["2B", "2B"]),
                                  A("2024-08-01", "2024-08-20", ["21", "1B", "1B"])))
    assert [paths(i)[0] for i in fired(report, "8869")] == [
        "CINdetails[1]/Assessments[1]/FactorsIdentifiedAtAssessment[1]",
        "CINdetails[1]/Assessments[3]/FactorsIdentifiedAtAssessment[1]"]
    assert [paths(i)[0] for i in fired(report, "8898")] == [
        "CINdetails[1]/Assessments[2]/FactorsIdentifiedAtAssessment[1]",
        "CINdetails[1]/Assessments[3]/FactorsIdentifiedAtAssessment[1]"]


# -- Rules that never combine two <Child> elements ---------------------------------------------

def test_cross_episode_rules_never_pair_two_children_with_the_same_id(validate):
    report = validate(make_return(
        child(episode(C("2024-05-01", "2024-10-01"), P("2024-04-15", "2024-06-10"),
                      ref="2024-04-01"), id="C1"),
        child(episode(C("2024-06-03", "2024-08-01"), P("2024-07-01", "2024-07-20"),
                      ref="2024-04-01"), id="C1")))
    issues = {i.code: i for i in report.issues}
    # child 1: its CIN plan starts inside its own CPP (4016); nothing pairs across children
    assert count(report, "4016") == 1 and issues["4016"].child.index == 1
    assert count(report, "4017") == 1 and issues["4017"].child.index == 2
    assert "4014" not in codes(report)


# -- Co-firing named in the spec's examples ----------------------------------------------------

def test_8670Q_open_assessment_from_before_the_census_year_fires_8736_too(validate):
    report = validate(one_episode(A("2024-02-05", None)))
    assert {"8670Q", "8736"} <= codes(report)


def test_8670Q_no_dates_is_silent_and_8736_fires(validate):
    report = validate(one_episode(A("", "")))
    assert "8670Q" not in codes(report)
    assert count(report, "8736") == 1


def test_8897Q_authorised_after_year_end_fires_8696_too(validate):
    report = validate(one_episode(A("2025-03-03", "2025-04-10")))
    assert {"8897Q", "8696"} <= codes(report)


def test_8897Q_authorised_before_census_year_passes_and_8696_fires(validate):
    report = validate(one_episode(A("2024-03-04", "2024-03-31")))
    assert "8897Q" not in codes(report)
    assert "8696" in codes(report)


def test_8869_with_invalid_code_fires_8897Q_too(validate):
    report = validate(one_episode(A("2024-06-03", "2024-07-01", ["21", "99"])))
    assert {"8869", "8897Q"} <= codes(report)


def test_8945Q_18a_passes_8897Q(validate):
    report = validate(one_episode(A("2024-08-05", "2024-09-10", ["18A"])))
    assert "8945Q" in codes(report)
    assert "8897Q" not in codes(report)


def test_4001_example_fires_4017_too(validate):
    report = validate(one_episode(P("2024-09-02"), C("2024-06-03")))
    assert {"4001", "4017"} <= codes(report)


def test_4004_example_fires_4014_too(validate):
    report = validate(one_episode(C("2024-06-03"), C("2024-11-04")))
    (issue,) = fired(report, "4004")
    assert paths(issue) == ["CINdetails[1]/CINPlanDates[1]", "CINdetails[1]/CINPlanDates[2]"]
    assert count(report, "4014") == 1


def test_4011_boundary_fires_4012Q(validate):
    report = validate(one_episode(C("2024-06-10", "2024-06-10")))
    assert "4011" not in codes(report)
    assert count(report, "4012Q") == 1


def test_4010_after_reference_date_is_not_a_4014_overlap(validate):
    report = validate(one_episode(C("2024-05-01"), C("2025-04-01")))
    assert count(report, "4010") == 1
    assert "4014" not in codes(report)


def test_4017_boundary_same_start_fires_4016_too(validate):
    report = validate(one_episode(C("2024-05-01", "2024-06-03"), P("2024-05-01", "2024-07-01")))
    assert count(report, "4017") == 1
    assert count(report, "4016") == 1


def test_4016_open_cpp_cin_plan_before_it_fires_4017_instead(validate):
    report = validate(one_episode(P("2024-10-07"), C("2024-10-06")))
    assert "4016" not in codes(report)
    assert count(report, "4017") == 1


@pytest.mark.parametrize("plan, protection, fires_4016", [
    # the spec's 4003 examples and what they say about 4016
    (C("2024-05-01", "2024-10-01"), P("2024-04-15", "2024-06-10", ["2024-05-20"]), True),
    (C("2024-05-01", "2024-10-01"), P("2024-04-15", "2024-05-01", ["2024-05-01"]), False),
    (C("2024-05-01", "2024-07-01"), P("2024-04-15", "2024-07-15", ["2024-07-01"]), True),
])
def test_4003_examples_and_4016(validate, plan, protection, fires_4016):
    report = validate(one_episode(plan, protection))
    assert count(report, "4016") == (1 if fires_4016 else 0)


def test_4003_open_plans_silent_but_4001_and_4017_fire(validate):
    report = validate(one_episode(C("2024-05-01"), P("2024-06-03", None, ["2024-08-01"])))
    assert "4003" not in codes(report)
    assert {"4001", "4017"} <= codes(report)


def test_8873Q_open_assessment_with_21_fires_8614_too(validate):
    report = validate(one_episode(A("2025-02-03", None, ["21"]), ref="2025-02-03"))
    assert count(report, "8873Q") == 1  # open episode, no reason for closure
    assert count(report, "8614") == 1
