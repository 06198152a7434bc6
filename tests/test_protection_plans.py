"""Group 4, child protection plans and reviews: 2883, 2885, 8720, 8730, 8840, 8841, 8842Q, 8905,
8910, 8915, 8920, 8925, 8930, 8935, 8940 (spec: rules/group4-s47-cpp.md).

Every return here has ReferenceDate 2025-03-31 unless a test says otherwise; the tests look only
at the rule under test, so rules of other groups may fire on the same return.
"""

from __future__ import annotations

import pytest

from builders import LAST_YEARS_REFERENCE_DATE, child, cpp, episode, make_return, one_episode, s47
from conftest import FALLBACK_HEADERS, fired, places


PLAN_1 = "CINdetails[1]/ChildProtectionPlans[1]"
PLAN_2 = "CINdetails[1]/ChildProtectionPlans[2]"


# --- 2883: more plans starting than initial conferences (return level) ---------------------


def conferenced(plan_start: str, cpc: str | None, *, id: str) -> str:
    """A child whose episode has one plan and one S47 with conference `cpc`."""
    return child(episode(s47("2024-04-20", cpc=cpc, not_required="false"), cpp(plan_start),
                         ref="2024-04-20"), id=id)


def test_2883_fails_three_plans_two_conferences_once_for_the_return(validate):
    report = validate(make_return(
        conferenced("2024-05-20", "2024-05-20", id="C1"),
        conferenced("2024-09-02", "2024-09-02", id="C2"),
        child(episode(cpp("2025-03-31")), id="C3")))
    [issue] = fired(report, "2883")
    assert issue.child is None
    assert issue.fields == ["CPPstartDate", "DateOfInitialCPC"]
    assert [p.path for p in issue.places] == ["CINdetails/ChildProtectionPlans", "CINdetails",
                                              "CINdetails/Section47"]
    assert "3 plans" in issue.detail and "2 initial conferences" in issue.detail


def test_2883_fails_boundary_conference_before_census_year_not_counted(validate):
    report = validate(make_return(conferenced("2024-04-02", "2024-03-28", id="C1")))
    assert len(fired(report, "2883")) == 1


def test_2883_passes_boundary_plan_before_year_not_counted(validate):
    report = validate(make_return(child(episode(
        s47("2025-03-10", cpc="2025-03-31", not_required="false"),
        cpp("2024-03-28", end="2024-05-01"), cpp("2025-03-31")))))
    assert fired(report, "2883") == []


def test_2883_passes_transfer_in_cin_level_conference(validate):
    report = validate(make_return(child(episode(cpp("2024-06-17"), cpc="2024-06-17"))))
    assert fired(report, "2883") == []


def test_2883_totals_only_no_matching_between_children(validate):
    report = validate(make_return(
        child(episode(cpp("2024-06-17")), id="C1"),
        child(episode(s47("2024-06-01", cpc="2024-06-10", not_required="true")), id="C2")))
    assert fired(report, "2883") == []  # ICPCnotRequired is ignored too


@pytest.mark.parametrize("plan_start, cpc", [
    ("2024-06-17", "2024-06-32"),  # invalid conference date: not counted
    ("2024-06-17", "2025-04-01"),  # conference after the year: not counted
])
def test_2883_uncounted_conferences(validate, plan_start, cpc):
    assert len(fired(validate(make_return(conferenced(plan_start, cpc, id="C1"))), "2883")) == 1


@pytest.mark.parametrize("plan_start", [None, "2024-06-31", "2025-04-01", "2024-03-31"])
def test_2883_uncounted_plans(validate, plan_start):
    report = validate(make_return(child(episode(cpp(plan_start)))))
    assert fired(report, "2883") == []


def test_2883_every_element_counted_separately(validate):
    # two conferences (CIN and S47 level, same day, 2884's business) cover two plans
    report = validate(make_return(child(episode(
        s47("2024-06-01", cpc="2024-06-17", not_required="false"),
        cpp("2024-06-17", end="2024-06-20"), cpp("2024-06-17"), cpc="2024-06-17"))))
    assert fired(report, "2883") == []


# --- 2885: plan starts on the day of its episode's initial conference -----------------------


def test_2885_passes_plan_on_s47_conference_day(validate):
    report = validate(one_episode(s47("2024-05-01", cpc="2024-05-20", not_required="false"),
                                  cpp("2024-05-20")))
    assert fired(report, "2885") == []


def test_2885_fails_plan_day_after_s47_conference(validate):
    report = validate(one_episode(s47("2024-05-01", cpc="2024-05-20", not_required="false"),
                                  cpp("2024-05-21")))
    [issue] = fired(report, "2885")
    assert issue.fields == ["CPPstartDate", "DateOfInitialCPC"]
    assert places(issue) == [(PLAN_1, "CPPstartDate", "2024-05-21"),
                             ("CINdetails[1]/Section47[1]", "DateOfInitialCPC", "2024-05-20")]


def test_2885_passes_cin_level_conference_without_s47(validate):
    assert fired(validate(one_episode(cpp("2024-06-17"), cpc="2024-06-17")), "2885") == []


@pytest.mark.parametrize("flag", ["false", None, "yes"])
def test_2885_open_question_4_associated_s47_hides_cin_level_date(validate, flag):
    report = validate(one_episode(s47("2024-09-02", not_required=flag), cpp("2024-06-17"),
                                  cpc="2024-06-17"))
    [issue] = fired(report, "2885")
    assert places(issue) == [(PLAN_1, "CPPstartDate", "2024-06-17"),
                             ("CINdetails[1]/Section47[1]", "DateOfInitialCPC", None)]


@pytest.mark.parametrize("flag", ["true", "1", "TRUE"])
def test_2885_s47_not_needing_conference_is_not_associated(validate, flag):
    report = validate(one_episode(s47("2024-06-01", not_required=flag), cpp("2024-06-17"),
                                  cpc="2024-06-17"))
    assert fired(report, "2885") == []


def test_2885_flag_true_group_is_left_out_even_when_it_holds_the_matching_conference(validate):
    """Spec step 1 leaves every flag-true group out, whatever it holds; the CIN-level date
    (absent here) then decides. The DfE text's "(a) an S47 DateOfInitialCPC" could also be read
    to accept this contradictory group; the spec's explicit steps are built."""
    report = validate(one_episode(s47("2024-05-01", cpc="2024-05-20", not_required="true"),
                                  cpp("2024-05-20")))
    [issue] = fired(report, "2885")
    assert places(issue) == [(PLAN_1, "CPPstartDate", "2024-05-20"),
                             ("CINdetails[1]", "DateOfInitialCPC", None)]


def test_2885_fails_boundary_first_day_of_year_without_any_conference(validate):
    report = validate(one_episode(cpp("2024-04-01"), ref="2024-03-01"))
    [issue] = fired(report, "2885")
    assert places(issue) == [(PLAN_1, "CPPstartDate", "2024-04-01"),
                             ("CINdetails[1]", "DateOfInitialCPC", None)]


@pytest.mark.parametrize("start", ["2024-03-31", "2025-04-01", None, "2024-04-31"])
def test_2885_not_checked_outside_year_or_without_valid_start(validate, start):
    assert fired(validate(one_episode(cpp(start), ref="2024-03-01")), "2885") == []


def test_2885_conference_in_another_episode_never_matches(validate):
    report = validate(make_return(child(
        episode(s47("2024-05-01", cpc="2024-05-20", not_required="false"), ref="2024-05-01",
                close="2024-05-25", reason="RC1"),
        episode(cpp("2024-05-20"), ref="2024-05-20"))))
    [issue] = fired(report, "2885")
    assert places(issue) == [("CINdetails[2]/ChildProtectionPlans[1]", "CPPstartDate",
                              "2024-05-20"), ("CINdetails[2]", "DateOfInitialCPC", None)]


def test_2885_one_of_several_associated_conferences_matches(validate):
    report = validate(one_episode(s47("2024-05-01", cpc="2024-05-20", not_required="false"),
                                  s47("2024-09-02", cpc="2024-09-20", not_required="false"),
                                  cpp("2024-05-20", end="2024-08-01"), cpp("2024-09-20"),
                                  cpp("2024-10-01")))
    [issue] = fired(report, "2885")  # only the third plan; several plans may share a conference
    assert issue.places[0].path == "CINdetails[1]/ChildProtectionPlans[3]"
    assert [p.path for p in issue.places[1:]] == ["CINdetails[1]/Section47[1]",
                                                  "CINdetails[1]/Section47[2]"]


# --- 8720: plan start present and not after ReferenceDate ----------------------------------


@pytest.mark.parametrize("start, fires", [
    (None, True), ("", True), ("2024-02-30", True),
    ("2025-04-01", True),  # boundary
    ("2025-03-31", False),  # boundary
    ("2023-11-06", False),  # no lower limit
])
def test_8720(validate, start, fires):
    issues = fired(validate(one_episode(cpp(start))), "8720")
    assert len(issues) == fires
    if fires:
        assert places(issues[0]) == [(PLAN_1, "CPPstartDate", start or None)]


# --- 8730: number of previous plans ---------------------------------------------------------


@pytest.mark.parametrize("previous, fires", [
    (None, True), ("", True), ("-1", True), ("abc", True), ("1.5", True), ("2.0", True),
    ("0", False), ("3", False), ("+2", False), (" 4 ", False),
])
def test_8730(validate, previous, fires):
    issues = fired(validate(one_episode(cpp(previous=previous))), "8730")
    assert len(issues) == fires
    if fires:
        assert issues[0].fields == ["NumberOfPreviousCPP"]


def test_8730_reports_every_plan_even_after_a_non_integer(validate):
    report = validate(one_episode(cpp("2024-05-01", end="2024-06-01", previous="abc"),
                                  cpp("2024-07-01", previous=None), cpp("2024-08-01")))
    assert [i.places[0].path for i in fired(report, "8730")] == [PLAN_1, PLAN_2]


# --- 8840: start and end on the same day ---------------------------------------------------


@pytest.mark.parametrize("end, fires", [
    ("2024-09-02", True), ("2024-09-03", False), (None, False), ("2024-09-31", False),
])
def test_8840(validate, end, fires):
    issues = fired(validate(one_episode(cpp("2024-09-02", end=end))), "8840")
    assert len(issues) == fires
    if fires:
        assert places(issues[0]) == [(PLAN_1, "CPPstartDate", "2024-09-02"),
                                     (PLAN_1, "CPPendDate", "2024-09-02")]


# --- 8841: review date after the plan's start ----------------------------------------------


@pytest.mark.parametrize("review, fires", [
    ("2024-05-20", True),  # boundary: the start day fires
    ("2024-05-10", True),
    ("2024-05-21", False),  # boundary
    ("", False),  # 8842Q's business
    ("2024-05-32", False),
])
def test_8841_review_against_start_2024_05_20(validate, review, fires):
    issues = fired(validate(one_episode(cpp("2024-05-20", reviews=[review]))), "8841")
    assert len(issues) == fires
    if fires:
        assert places(issues[0]) == [
            (PLAN_1, "CPPstartDate", "2024-05-20"),
            (PLAN_1 + "/Reviews[1]/CPPreviewDate[1]", "CPPreviewDate", review)]


def test_8841_every_review_date_is_checked_not_only_the_first(validate):
    report = validate(one_episode(cpp("2024-05-20", reviews=["2024-08-01", "2024-05-20"])))
    [issue] = fired(report, "8841")
    assert places(issue)[1] == (PLAN_1 + "/Reviews[1]/CPPreviewDate[2]", "CPPreviewDate",
                                "2024-05-20")


def test_8841_one_issue_per_offending_review_date(validate):
    report = validate(one_episode(cpp("2024-05-20", reviews=["2024-05-01", "2024-05-20",
                                                             "2024-06-01"])))
    assert len(fired(report, "8841")) == 2


def test_8841_passes_last_review_of_previous_year(validate):
    report = validate(one_episode(cpp("2023-06-05", reviews=["2024-02-12", "2024-05-13"]),
                                  ref="2023-05-01"))
    assert fired(report, "8841") == []


def test_8841_review_compared_only_with_its_own_plan(validate):
    report = validate(one_episode(cpp("2024-05-01", end="2024-06-01", reviews=["2024-05-15"]),
                                  cpp("2024-07-01", reviews=["2024-08-01"])))
    assert fired(report, "8841") == []


def test_8841_silent_without_valid_plan_start(validate):
    assert fired(validate(one_episode(cpp(None, reviews=["2024-05-01"]))), "8841") == []


# --- 8842Q: a Reviews group without a valid date -------------------------------------------


@pytest.mark.parametrize("reviews", [[""], ["2024-02-30"], ["", "  "], ["08/01/2024"]])
def test_8842Q_fails_group_without_valid_date(validate, reviews):
    [issue] = fired(validate(one_episode(cpp(reviews=reviews))), "8842Q")
    assert issue.severity == "query"
    assert issue.fields == ["CPPreviewDate"]
    assert [p.path for p in issue.places] == [
        f"{PLAN_1}/Reviews[1]/CPPreviewDate[{n}]" for n in range(1, len(reviews) + 1)]


def test_8842Q_fails_group_holding_no_review_date_element_and_names_the_group(validate):
    report = validate(one_episode(cpp(extra="<Reviews><ReviewNote>x</ReviewNote></Reviews>")))
    [issue] = fired(report, "8842Q")
    assert places(issue) == [(PLAN_1, "Reviews", None)]
    assert issue.line == 5  # the child's line: builders write each child on its own line


@pytest.mark.parametrize("plan", [
    cpp(reviews=["2024-08-01"]),
    cpp(reviews=["2024-08-01", ""]),
    cpp(reviews=()),  # no <Reviews>: having no reviews is allowed
    cpp(extra="<Reviews/>"),  # open question 7: an empty group is absent
    cpp(extra="<Reviews>  </Reviews>"),
])
def test_8842Q_passes(validate, plan):
    assert fired(validate(one_episode(plan)), "8842Q") == []


def test_8842Q_open_question_7_invalid_beside_valid_is_reported_by_no_group_4_rule(validate):
    report = validate(one_episode(cpp("2024-07-01", reviews=["2024-08-01", "2024-08-32"])))
    group4 = {"8841", "8842Q"}
    assert [i for i in report.issues if i.code in group4] == []


def test_8842Q_one_issue_per_reviews_group(validate):
    report = validate(one_episode(cpp(reviews=["2024-08-01"],
                                      extra="<Reviews><CPPreviewDate/></Reviews>"),
                                  cpp("2024-03-01", end="2024-05-01", reviews=["", ""])))
    assert [[p.path for p in i.places] for i in fired(report, "8842Q")] == [
        [f"{PLAN_1}/Reviews[2]/CPPreviewDate[1]"],
        [f"{PLAN_2}/Reviews[1]/CPPreviewDate[1]", f"{PLAN_2}/Reviews[1]/CPPreviewDate[2]"]]


# --- 8905 and 8910: categories of abuse ----------------------------------------------------


@pytest.mark.parametrize("code, fires", [
    (None, True), ("", True), ("neg", True), ("Neg", True), ("CSE", True), ("NONE", True),
    ("NEG", False), ("PHY", False), ("SAB", False), ("EMO", False), ("MUL", False),
    (" EMO ", False),  # surrounding whitespace is not significant
])
@pytest.mark.parametrize("rule, element, field", [
    ("8905", "initial", "InitialCategoryOfAbuse"),
    ("8910", "latest", "LatestCategoryOfAbuse"),
])
def test_8905_8910_category_of_abuse(validate, rule, element, field, code, fires):
    issues = fired(validate(one_episode(cpp(**{element: code}))), rule)
    assert len(issues) == fires
    if fires:
        assert places(issues[0]) == [(PLAN_1, field, code or None)]


def test_8905_and_8910_are_independent(validate):
    report = validate(one_episode(cpp(initial="NEG", latest="neg")))
    assert fired(report, "8905") == [] and len(fired(report, "8910")) == 1


# --- 8915 and 8920: plans and the date of death --------------------------------------------


@pytest.mark.parametrize("start, dod, fires", [
    ("2024-07-01", "2024-06-30", True),
    ("2024-06-30", "2024-06-30", False),  # boundary: the same day is allowed
    ("2024-06-03", "2024-06-30", False),
    ("2024-07-01", None, False),
    ("2024-07-01", "2024-06-31", False),  # invalid death date
])
def test_8915_plan_start_after_death(validate, start, dod, fires):
    issues = fired(validate(one_episode(cpp(start), dod=dod)), "8915")
    assert len(issues) == fires
    if fires:
        assert places(issues[0]) == [(PLAN_1, "CPPstartDate", start),
                                     ("ChildIdentifiers", "PersonDeathDate", dod)]
        assert issues[0].child.la_child_id == "C1"


@pytest.mark.parametrize("end, dod, fires", [
    ("2024-07-01", "2024-06-30", True),
    ("2024-06-30", "2024-06-30", False),  # boundary
    (None, "2024-06-30", False),  # open question 5: an open plan is silent
    ("2024-07-01", None, False),
])
def test_8920_plan_end_after_death(validate, end, dod, fires):
    issues = fired(validate(one_episode(cpp("2024-06-03", end=end), dod=dod)), "8920")
    assert len(issues) == fires
    if fires:
        assert places(issues[0]) == [(PLAN_1, "CPPendDate", end),
                                     ("ChildIdentifiers", "PersonDeathDate", dod)]


def test_8920_open_question_5_open_plan_of_deceased_child_is_silent(validate):
    assert fired(validate(one_episode(cpp("2024-06-03"), dod="2024-06-30")), "8920") == []


# --- 8925: end before start ----------------------------------------------------------------


@pytest.mark.parametrize("end, fires", [
    ("2024-09-01", True), ("2024-09-02", False), ("2024-09-03", False), (None, False),
])
def test_8925(validate, end, fires):
    report = validate(one_episode(cpp("2024-09-02", end=end)))
    issues = fired(report, "8925")
    assert len(issues) == fires
    if fires:
        assert issues[0].fields == ["CPPstartDate", "CPPendDate"]


def test_8925_same_day_is_left_to_8840(validate):
    report = validate(one_episode(cpp("2024-09-02", end="2024-09-02")))
    assert fired(report, "8925") == [] and len(fired(report, "8840")) == 1


# --- 8930: end within the census year ------------------------------------------------------


@pytest.mark.parametrize("end, fires", [
    ("2024-03-31", True), ("2024-04-01", False), ("2025-03-31", False), ("2025-04-01", True),
    (None, False), ("2025-02-29", False),
])
def test_8930(validate, end, fires):
    issues = fired(validate(one_episode(cpp("2024-03-01", end=end), ref="2024-02-01")), "8930")
    assert len(issues) == fires
    if fires:
        assert places(issues[0]) == [(PLAN_1, "CPPendDate", end)]


# --- 8935: more than one open plan (child-wide) --------------------------------------------


def test_8935_two_open_plans_in_one_episode(validate):
    report = validate(one_episode(cpp("2024-05-01"), cpp("2024-06-03")))
    [issue] = fired(report, "8935")
    assert issue.fields == ["CPPendDate", "CPPstartDate"]
    assert places(issue) == [(PLAN_1, "CPPendDate", None), (PLAN_1, "CPPstartDate", "2024-05-01"),
                             (PLAN_2, "CPPendDate", None), (PLAN_2, "CPPstartDate", "2024-06-03")]


def test_8935_open_question_6_open_plans_in_different_episodes(validate):
    report = validate(make_return(child(
        episode(cpp("2024-05-01"), ref="2024-05-01", close="2024-08-01", reason="RC1"),
        episode(cpp("2024-09-02"), ref="2024-09-02"))))
    [issue] = fired(report, "8935")
    assert [p.path for p in issue.places[::2]] == ["CINdetails[1]/ChildProtectionPlans[1]",
                                                   "CINdetails[2]/ChildProtectionPlans[1]"]


@pytest.mark.parametrize("plans", [
    (cpp("2024-05-01", end="2024-06-01"), cpp("2024-06-03")),
    (cpp("2024-05-01"),),
])
def test_8935_passes(validate, plans):
    assert fired(validate(one_episode(*plans)), "8935") == []


def test_8935_plans_without_start_or_with_invalid_end_count_as_open(validate):
    report = validate(one_episode(cpp(None), cpp("2024-06-03", end="2024-13-01"),
                                  cpp("2024-07-01")))
    [issue] = fired(report, "8935")  # three open plans, one issue for the child
    assert len(issue.places) == 6


def test_8935_different_child_elements_are_never_combined(validate):
    report = validate(make_return(child(episode(cpp("2024-05-01")), id="C1"),
                                  child(episode(cpp("2024-06-03")), id="C1")))
    assert fired(report, "8935") == []


# --- 8940: overlapping plans (child-wide) --------------------------------------------------


@pytest.mark.parametrize("a_start, fires", [
    ("2024-06-03", True),  # boundary: touching counts (open question 9)
    ("2024-06-04", False),  # boundary: the day after
    ("2024-05-01", True),  # the same start day: both are flagged, see below
])
def test_8940_against_closed_plan(validate, a_start, fires):
    report = validate(one_episode(cpp("2024-05-01", end="2024-06-03"), cpp(a_start)))
    a_issues = [i for i in fired(report, "8940") if i.places[0].path == PLAN_2]
    assert len(a_issues) == fires
    if fires:
        assert a_issues[0].fields == ["CPPstartDate", "CPPendDate"]
        assert places(a_issues[0]) == [(PLAN_2, "CPPstartDate", a_start),
                                       (PLAN_1, "CPPstartDate", "2024-05-01"),
                                       (PLAN_1, "CPPendDate", "2024-06-03")]


def test_8940_open_plan_runs_to_reference_date(validate):
    report = validate(one_episode(cpp("2024-05-01"), cpp("2025-03-31", end="2025-03-31")))
    assert [i.places[0].path for i in fired(report, "8940")] == [PLAN_2]


def test_8940_open_question_6_across_episodes(validate):
    report = validate(make_return(child(
        episode(cpp("2024-05-01", end="2024-07-01"), ref="2024-05-01", close="2024-08-01",
                reason="RC1"),
        episode(cpp("2024-06-17", end="2024-09-01"), ref="2024-06-17"))))
    [issue] = fired(report, "8940")
    assert issue.places[0].path == "CINdetails[2]/ChildProtectionPlans[1]"
    assert issue.places[1].path == "CINdetails[1]/ChildProtectionPlans[1]"


def test_8940_same_start_day_flags_both_plans(validate):
    report = validate(one_episode(cpp("2024-05-01", end="2024-06-03"),
                                  cpp("2024-05-01", end="2024-06-03")))
    assert [i.places[0].path for i in fired(report, "8940")] == [PLAN_1, PLAN_2]


def test_8940_one_issue_per_plan_naming_every_overlap(validate):
    report = validate(one_episode(cpp("2024-05-01", end="2024-08-01"),
                                  cpp("2024-06-01", end="2024-07-01"), cpp("2024-06-15")))
    issues = fired(report, "8940")
    assert [i.places[0].path for i in issues] == [PLAN_2, PLAN_2[:-2] + "3]"]
    assert len(issues[1].places) == 1 + 2 * 2


@pytest.mark.parametrize("plans", [
    (cpp("2024-05-01"),),  # one plan only
    (cpp("2024-06-03", end="2024-05-01"), cpp("2024-05-15", end="2024-05-20")),  # empty
    (cpp(None, end="2024-09-01"), cpp("2024-05-15")),  # no valid start: skipped both ways
    (cpp("2024-05-00", end="2024-09-01"), cpp("2024-05-15")),
])
def test_8940_passes(validate, plans):
    assert fired(validate(one_episode(*plans)), "8940") == []


def test_8940_invalid_end_makes_the_other_plan_open(validate):
    report = validate(one_episode(cpp("2024-05-01", end="01/06/2024"),
                                  cpp("2025-01-06", end="2025-02-03")))
    assert [i.places[0].path for i in fired(report, "8940")] == [PLAN_2]


def test_8940_different_child_elements_are_never_combined(validate):
    report = validate(make_return(child(episode(cpp("2024-05-01")), id="C1"),
                                  child(episode(cpp("2024-06-03")), id="C1")))
    assert fired(report, "8940") == []


# -- the ReferenceDate falls back when absent or invalid, moves when valid (P1) ----------------

@pytest.mark.parametrize("head", FALLBACK_HEADERS)
def test_period_rules_use_the_years_reference_date_when_it_falls_back(validate, head):
    report = validate(one_episode(
        cpp("2025-04-01"),  # 8720: after ReferenceDate
        cpp("2024-03-01", end="2024-03-31"),  # 8930: before the year
        cpp("2024-03-01", end="2025-03-31"),  # 8930: last day passes
        ref="2024-03-01", **head))
    assert [i.places[0].path for i in fired(report, "8720")] == [
        "CINdetails[1]/ChildProtectionPlans[1]"]
    assert [i.places[0].path for i in fired(report, "8930")] == [
        "CINdetails[1]/ChildProtectionPlans[2]"]


@pytest.mark.parametrize("start, fires", [("2024-03-31", False), ("2024-04-01", True)])
def test_8720_upper_limit_follows_header_reference_date(validate, start, fires):
    report = validate(one_episode(cpp(start), ref="2023-05-01", reference_date=LAST_YEARS_REFERENCE_DATE))
    assert len(fired(report, "8720")) == fires


@pytest.mark.parametrize("end, fires", [
    ("2023-03-31", True), ("2023-04-01", False), ("2024-03-31", False), ("2024-04-01", True),
])
def test_8930_period_follows_header_reference_date(validate, end, fires):
    report = validate(one_episode(cpp("2023-03-01", end=end), ref="2023-03-01",
                                  reference_date=LAST_YEARS_REFERENCE_DATE))
    assert len(fired(report, "8930")) == fires


@pytest.mark.parametrize("start, checked", [
    ("2023-03-31", False), ("2023-04-01", True), ("2024-03-31", True), ("2024-04-01", False),
])
def test_2885_checked_plans_follow_header_reference_date(validate, start, checked):
    report = validate(one_episode(cpp(start), ref="2023-03-01", reference_date=LAST_YEARS_REFERENCE_DATE))
    assert len(fired(report, "2885")) == checked


@pytest.mark.parametrize("plan_start, cpc, fires", [
    ("2024-03-29", "2023-03-31", True),  # the conference falls before the shifted year
    ("2024-03-29", "2023-04-03", False),
    ("2024-04-01", None, False),  # the plan falls after the shifted year: not counted
])
def test_2883_counts_follow_header_reference_date(validate, plan_start, cpc, fires):
    xml = make_return(child(episode(s47("2023-03-20", cpc=cpc, not_required="false"),
                                    cpp(plan_start), ref="2023-03-20")),
                      reference_date=LAST_YEARS_REFERENCE_DATE)
    assert len(fired(validate(xml), "2883")) == fires


@pytest.mark.parametrize("a_start, fires", [("2024-03-31", True), ("2024-04-01", False)])
def test_8940_open_plan_lasts_to_header_reference_date(validate, a_start, fires):
    report = validate(one_episode(cpp("2024-01-02"), cpp(a_start, end="2024-05-01"),
                                  ref="2024-01-02", reference_date=LAST_YEARS_REFERENCE_DATE))
    assert len(fired(report, "8940")) == fires


# -- empty groups (P2), conference levels (P7), values no rule may crash on --------------------

PLAN_RULES = ("8720", "8730", "8905", "8910")


@pytest.mark.parametrize("empty", ["<ChildProtectionPlans/>",
                                   "<ChildProtectionPlans>\n  </ChildProtectionPlans>",
                                   "<ChildProtectionPlans><!-- none --></ChildProtectionPlans>"])
def test_empty_plan_group_is_no_plan(validate, empty):
    report = validate(one_episode(empty, cpp("2024-06-03"), cpp("2024-07-01")))
    assert all(fired(report, code) == [] for code in PLAN_RULES)
    # the empty group is not a third open plan; the two real ones are counted (8935)
    [issue] = fired(report, "8935")
    assert len(issue.places) == 4


def test_plan_group_holding_only_empty_elements_is_a_plan(validate):
    report = validate(one_episode("<ChildProtectionPlans><CPPstartDate/></ChildProtectionPlans>"))
    for code in PLAN_RULES:
        [issue] = fired(report, code)
        assert issue.places[0].path == "CINdetails[1]/ChildProtectionPlans[1]"


def test_2885_empty_section47_is_not_associated(validate):
    report = validate(one_episode("<Section47/>", cpp("2024-06-17"), cpc="2024-06-17"))
    assert fired(report, "2885") == []


def test_2885_section47_with_flag_not_given_is_associated(validate):
    report = validate(one_episode(s47("2024-06-01", not_required=""), cpp("2024-06-17"),
                                  cpc="2024-06-17"))
    [issue] = fired(report, "2885")
    assert issue.places[1].path == "CINdetails[1]/Section47[1]"


def test_8935_and_8940_name_the_child_of_each_issue(validate):
    report = validate(make_return(child(episode(cpp("2024-05-01")), id="C1"),
                                  child(episode(cpp("2024-05-01"), cpp("2024-06-03")), id="C2")))
    assert [i.child.la_child_id for i in fired(report, "8935")] == ["C2"]
    assert [i.child.la_child_id for i in fired(report, "8940")] == ["C2"]


@pytest.mark.parametrize("previous, fires", [
    pytest.param("0" * 5000 + "3", False, id="leading-zeros"),
    pytest.param("9" * 5000, False, id="huge"),
    pytest.param("-" + "9" * 5000, True, id="huge-negative"),
    pytest.param("-" + "0" * 5000, False, id="minus-zero"),
])
def test_8730_very_long_integers(validate, previous, fires):
    report = validate(one_episode(cpp(previous=previous)))
    assert len(fired(report, "8730")) == fires
