"""Group 3: CIN plan rules (spec group3-assessments-cin-plans.md).

Each test builds a small return; the examples are the spec's, named after its notation
C{start..end}, C{start, open}, P{start..end, reviews[...]} and E{...}, with ReferenceDate
2025-03-31 unless a test says otherwise. A plan's "open" end is written as None. The
referral date plays no part in these rules but 4015's, whose tests give it.
"""

from __future__ import annotations

import pytest
from builders import C, P, child, episode, make_return, one_episode
from conftest import codes, count, fired, paths, values

from cin_validate import catalogue, years
from cin_validate.checks import cin_plans


def two_episodes(first: tuple, second: tuple, dod=None) -> str:
    """Child C1 with two episodes (both referred 2024-04-01) holding the given groups."""
    return make_return(child(episode(*first, ref="2024-04-01"), episode(*second, ref="2024-04-01"),
                             id="C1", dod=dod))


def test_group3_cin_plan_rules_are_registered_with_their_catalogue_entries():
    group = {code for code, info in years.default().rules.items()
             if info.group == "group3-assessments-cin-plans" and code.startswith("40")}
    assert set(cin_plans.CHILD_CHECKS) == group
    assert cin_plans.RETURN_CHECKS == {}


# -- 4000 --------------------------------------------------------------------------------------

@pytest.mark.parametrize("nfa, groups, fires", [
    ("true", (C("2024-06-03"),), True),
    ("1", (C("2024-06-03"),), True),
    ("TRUE", (C("2024-06-03"),), True),  # the implementation misses TRUE
    ("false", (C("2024-06-03"),), False),
    ("yes", (C("2024-06-03"),), False),  # unrecognised: silent
    (None, (C("2024-06-03"),), False),
    ("true", ("",), False),  # no CINPlanDates
    ("true", ("<CINPlanDates/>",), False),  # an empty group is absent (D4)
    ("true", (C(None, "2024-07-01"),), True),  # whatever its dates
])
def test_4000_cin_plan_on_nfa_referral(validate, nfa, groups, fires):
    report = validate(one_episode(*groups, ref="2024-06-03", nfa=nfa))
    assert count(report, "4000") == (1 if fires else 0)


def test_4000_one_issue_per_episode_pointing_at_each_plan(validate):
    report = validate(one_episode(C("2024-06-03", "2024-07-01"), C("2024-07-02"),
                                  ref="2024-06-03", nfa="true"))
    (issue,) = fired(report, "4000")
    assert issue.fields == ["ReferralNFA", "CINPlanStartDate"]
    assert values(issue) == ["true", "2024-06-03", "2024-07-02"]
    assert paths(issue) == ["CINdetails[1]", "CINdetails[1]/CINPlanDates[1]",
                            "CINdetails[1]/CINPlanDates[2]"]


# -- 4001 --------------------------------------------------------------------------------------

@pytest.mark.parametrize("groups, fires", [
    ((P("2024-09-02"), C("2024-06-03")), True),  # 4017 fires too
    ((P("2024-09-02"), C("2024-06-03", "2024-09-02")), False),
    ((P("2024-09-02", "2024-12-10"), C("2024-12-10")), False),
    ((P("2024-09-02"), C("2024-13-01")), True),  # invalid CIN start still counts (impl. silent)
    ((P("2024-09-02", "2024-12-32"), C("2024-06-03")), True),  # invalid CPP end: open
    ((P("2024-09-02"), C("2024-06-03", "2024-09-31")), True),  # invalid CIN end: open
    ((P("2024-09-02"),), False),
    ((C("2024-06-03"),), False),
])
def test_4001_open_cin_plan_with_open_cpp_in_one_episode(validate, groups, fires):
    assert count(validate(one_episode(*groups)), "4001") == (1 if fires else 0)


def test_4001_plans_in_different_episodes_are_not_compared(validate):
    report = validate(two_episodes((P("2024-09-02"),), (C("2024-06-03"),)))
    assert "4001" not in codes(report)


def test_4001_one_issue_per_episode_pointing_at_each_open_plan(validate):
    report = validate(one_episode(P("2024-09-02"), P("2024-10-01"), P("2024-05-01", "2024-06-01"),
                                  C("2024-06-03"), C("2024-04-02", "2024-05-01")))
    (issue,) = fired(report, "4001")
    assert issue.fields == ["CPPendDate", "CINPlanEndDate"]
    assert paths(issue) == ["CINdetails[1]/ChildProtectionPlans[1]",
                            "CINdetails[1]/ChildProtectionPlans[2]",
                            "CINdetails[1]/CINPlanDates[1]"]


# -- 4003 --------------------------------------------------------------------------------------

@pytest.mark.parametrize("plan, protection, fires", [
    (C("2024-05-01", "2024-10-01"), P("2024-04-15", "2024-06-10", ["2024-05-20"]), True),
    # boundary: the review is on the CIN plan's start day
    (C("2024-05-01", "2024-10-01"), P("2024-04-15", "2024-06-10", ["2024-05-01"]), True),
    # exception: the review is on its own CPP's end date
    (C("2024-05-01", "2024-10-01"), P("2024-04-15", "2024-05-01", ["2024-05-01"]), False),
    # boundary: the review is on the CIN plan's end day
    (C("2024-05-01", "2024-07-01"), P("2024-04-15", "2024-07-15", ["2024-07-01"]), False),
    # a review of an open CPP (the implementation is silent here)
    (C("2024-05-01", "2024-12-02"), P("2024-06-03", None, ["2024-08-01"]), True),
    # an open CIN plan is never used (4001 and 4017 fire)
    (C("2024-05-01"), P("2024-06-03", None, ["2024-08-01"]), False),
    # a CIN plan without a valid start is never used
    (C("2024-05-32", "2024-10-01"), P("2024-04-15", "2024-06-10", ["2024-05-20"]), False),
    # an invalid review date is ignored
    (C("2024-05-01", "2024-10-01"), P("2024-04-15", "2024-06-10", ["20/05/2024"]), False),
])
def test_4003_review_during_cin_plan(validate, plan, protection, fires):
    assert count(validate(one_episode(plan, protection)), "4003") == (1 if fires else 0)


def test_4003_O3_review_on_cin_plan_start_day_fires(validate):
    # O3: start inclusive, end exclusive, as specified (not "strictly between")
    report = validate(one_episode(C("2024-05-01", "2024-10-01"),
                                  P("2024-04-15", "2024-06-10", ["2024-05-01"])))
    (issue,) = fired(report, "4003")
    assert issue.fields == ["CPPreviewDate", "CINPlanStartDate", "CINPlanEndDate", "CPPendDate"]
    assert values(issue) == ["2024-05-01", "2024-05-01", "2024-10-01", "2024-06-10"]
    assert paths(issue)[0] == ("CINdetails[1]/ChildProtectionPlans[1]/Reviews[1]/"
                               "CPPreviewDate[1]")


def test_4003_every_review_date_is_checked_one_issue_each(validate):
    report = validate(one_episode(C("2024-05-01", "2024-10-01"),
                                  P("2024-04-15", "2024-10-10",
                                    ["2024-04-20", "2024-06-20", "2024-09-20"])))
    issues = fired(report, "4003")
    assert [values(i)[0] for i in issues] == ["2024-06-20", "2024-09-20"]


def test_4003_one_issue_per_review_listing_every_plan(validate):
    report = validate(one_episode(C("2024-05-01", "2024-10-01"), C("2024-06-01", "2024-11-01"),
                                  P("2024-04-15", "2024-10-10", ["2024-07-01"])))
    (issue,) = fired(report, "4003")
    assert values(issue) == ["2024-07-01", "2024-05-01", "2024-10-01", "2024-06-01", "2024-11-01",
                             "2024-10-10"]


def test_4003_review_in_another_episode_passes(validate):
    report = validate(two_episodes((C("2024-05-01", "2024-10-01"),),
                                   (P("2024-04-15", "2024-06-10", ["2024-05-20"]),)))
    assert "4003" not in codes(report)


# -- 4004 --------------------------------------------------------------------------------------

def test_4004_two_open_plans_in_one_episode(validate):
    report = validate(one_episode(C("2024-04-02", "2024-05-01"), C("2024-06-03"),
                                  C("2024-11-04")))
    (issue,) = fired(report, "4004")
    assert issue.fields == ["CINPlanEndDate"]
    assert paths(issue) == ["CINdetails[1]/CINPlanDates[2]", "CINdetails[1]/CINPlanDates[3]"]


@pytest.mark.parametrize("groups, fires", [
    ((C("2024-06-03", "2024-11-01"), C("2024-11-04")), False),
    ((C("2024-06-03", "2024-11-31"), C("2024-11-04")), True),  # invalid end: open
    ((C(None, "2024-11-01"), C("2024-11-04", "")), False),  # start dates play no part
    ((C(""), C("2024-11-04", "")), True),
])
def test_4004_open_plans(validate, groups, fires):
    assert count(validate(one_episode(*groups)), "4004") == (1 if fires else 0)


def test_4004_open_plans_of_different_episodes_are_not_counted_together(validate):
    assert "4004" not in codes(validate(two_episodes((C("2024-06-03"),), (C("2024-11-04"),))))


# -- 4008 and 4009Q ----------------------------------------------------------------------------

@pytest.mark.parametrize("code, plan, dod, fires", [
    ("4008", C("2024-11-21"), "2024-11-20", True),
    ("4008", C("2024-11-20"), "2024-11-20", False),  # boundary: same day
    ("4008", C("2025-01-06"), None, False),
    ("4008", C("2025-01-06"), "2024-11-31", False),  # invalid death date: silent
    ("4008", C("21/11/2024"), "2024-11-20", False),  # invalid start: skipped
    ("4009Q", C("2024-06-03", "2024-11-21"), "2024-11-20", True),
    ("4009Q", C("2024-06-03", "2024-11-20"), "2024-11-20", False),  # boundary: same day
    ("4009Q", C("2024-06-03", "2024-12-02"), None, False),
    ("4009Q", C("2024-06-03", "2024-12-02"), "20/11/2024", False),
])
def test_4008_4009Q_cin_plan_after_death(validate, code, plan, dod, fires):
    assert count(validate(one_episode(plan, dod=dod)), code) == (1 if fires else 0)


def test_4009Q_O7_open_plan_of_a_dead_child_is_silent(validate):
    assert "4009Q" not in codes(validate(one_episode(C("2024-06-03"), dod="2024-11-20")))


@pytest.mark.parametrize("code, late, field", [
    ("4008", (C("2024-11-21"), C("2024-12-02")), "CINPlanStartDate"),
    ("4009Q", (C("2024-06-03", "2024-11-21"), C("2024-06-03", "2024-12-02")), "CINPlanEndDate"),
])
def test_4008_4009Q_one_issue_per_child_listing_plans_of_every_episode(validate, code, late,
                                                                       field):
    report = validate(two_episodes((late[0], C("2024-04-02", "2024-05-01")), (late[1],),
                                   dod="2024-11-20"))
    (issue,) = fired(report, code)
    assert issue.fields == ["PersonDeathDate", field]
    assert issue.child.la_child_id == "C1"
    assert paths(issue) == ["ChildIdentifiers", "CINdetails[1]/CINPlanDates[1]",
                            "CINdetails[2]/CINPlanDates[1]"]


# -- 4010 --------------------------------------------------------------------------------------

@pytest.mark.parametrize("group, fires", [
    (C("2025-04-01"), True),
    (C("2025-03-31"), False),  # boundary: ReferenceDate
    (C("2019-06-03"), False),  # no lower bound
    (C(None, "2024-06-28"), True),  # missing start
    (C("", None), True),  # empty start
    (C("03/06/2024"), True),  # invalid start (the implementation reads 2024-03-06)
    ("<CINPlanDates/>", False),  # an empty group is absent
    ("<CINPlanDates><CINPlanStartDate/></CINPlanDates>", True),  # present, start empty
])
def test_4010_start_missing_or_after_reference_date(validate, group, fires):
    report = validate(one_episode(group))
    issues = fired(report, "4010")
    assert len(issues) == (1 if fires else 0)
    if fires:
        assert issues[0].fields == ["CINPlanStartDate"]


def test_4010_one_issue_per_plan(validate):
    assert count(validate(one_episode(C(None, "2024-06-28"), C("2025-04-01"))), "4010") == 2


def test_4010_upper_bound_follows_the_header(validate):
    report = validate(one_episode(C("2024-04-01"), ref="2024-03-01", reference_date="2024-03-31"))
    assert count(report, "4010") == 1


# -- 4011, 4012Q, 4013 -------------------------------------------------------------------------

@pytest.mark.parametrize("code, start, end, fires", [
    ("4011", "2024-06-10", "2024-06-09", True),
    ("4011", "2024-06-10", "2024-06-10", False),  # boundary (4012Q fires)
    ("4011", "2024-06-10", None, False),
    ("4011", "2024-06-31", "2024-06-09", False),  # invalid start: silent
    ("4012Q", "2024-06-10", "2024-06-10", True),
    ("4012Q", "2024-06-10", "2024-06-11", False),
    ("4012Q", "2024-06-10", None, False),
    ("4012Q", "2024-06-10", "10/06/2024", False),  # invalid end: silent
    ("4013", "2023-01-09", "2024-03-31", True),
    ("4013", "2023-01-09", "2024-04-01", False),  # boundary: census start
    ("4013", "2025-01-06", "2025-03-31", False),  # boundary: ReferenceDate
    ("4013", "2025-01-06", "2025-04-01", True),
    ("4013", "2025-01-06", "2025-04-31", False),  # invalid end: silent
])
def test_4011_4012Q_4013_plan_dates(validate, code, start, end, fires):
    assert count(validate(one_episode(C(start, end), ref="2023-01-02")), code) == (
        1 if fires else 0)


@pytest.mark.parametrize("code, fields", [
    ("4011", ["CINPlanEndDate", "CINPlanStartDate"]),
    ("4012Q", ["CINPlanStartDate", "CINPlanEndDate"]),
    ("4013", ["CINPlanEndDate"]),
])
def test_4011_4012Q_4013_one_issue_per_plan_with_fields(validate, code, fields):
    bad = {"4011": C("2024-06-10", "2024-06-09"), "4012Q": C("2024-06-10", "2024-06-10"),
           "4013": C("2024-06-10", "2025-04-01")}[code]
    issues = fired(validate(one_episode(bad, C("2024-04-02", "2024-05-01"), bad)), code)
    assert [paths(i)[0] for i in issues] == ["CINdetails[1]/CINPlanDates[1]",
                                             "CINdetails[1]/CINPlanDates[3]"]
    assert issues[0].fields == fields


# -- 4014 --------------------------------------------------------------------------------------

@pytest.mark.parametrize("y, x, fires", [
    # O2: a plan starting on the day the other ends overlaps it (touching counts)
    (C("2024-05-01", "2024-07-01"), C("2024-07-01", "2024-09-02"), True),
    (C("2024-05-01", "2024-07-01"), C("2024-07-02"), False),  # adjacent
    (C("2024-05-01"), C("2025-03-31", "2025-03-31"), True),  # open Y lasts to ReferenceDate
    (C("2024-05-01"), C("2025-04-01"), False),  # after ReferenceDate (4010 fires)
    (C("2024-05-01", "2024-07-31"), C("2025-01-06"), False),
    (C("2024-05-01", "2024-07-32"), C("2025-01-06"), True),  # invalid Y end: Y is open
    (C(None, "2024-07-01"), C("2024-06-03"), False),  # no valid start: pair skipped
    (C("2024-05-01", "2024-04-01"), C("2024-04-15", "2024-04-20"), False),  # Y ends before start
])
def test_4014_x_starts_inside_y(validate, y, x, fires):
    issues = fired(validate(one_episode(y, x)), "4014")
    assert len(issues) == (1 if fires else 0)
    if fires:
        assert issues[0].fields == ["CINPlanStartDate", "CINPlanEndDate"]
        assert paths(issues[0]) == ["CINdetails[1]/CINPlanDates[2]",
                                    "CINdetails[1]/CINPlanDates[1]",
                                    "CINdetails[1]/CINPlanDates[1]"]


def test_4014_touching_boundary_one_issue_on_x(validate):
    report = validate(one_episode(C("2024-05-01", "2024-07-01"), C("2024-07-01", "2024-09-02")))
    (issue,) = fired(report, "4014")
    assert values(issue) == ["2024-07-01", "2024-05-01", "2024-07-01"]


def test_4014_across_episodes(validate):
    report = validate(two_episodes((C("2024-05-01", "2024-07-01"),),
                                   (C("2024-06-03", "2024-08-01"),)))
    (issue,) = fired(report, "4014")
    assert paths(issue) == ["CINdetails[2]/CINPlanDates[1]", "CINdetails[1]/CINPlanDates[1]",
                            "CINdetails[1]/CINPlanDates[1]"]


def test_4014_O4_identical_plans_give_two_issues(validate):
    same = C("2024-06-03", "2024-08-01")
    assert count(validate(one_episode(same, same)), "4014") == 2


def test_4014_one_issue_per_ordered_pair(validate):
    report = validate(one_episode(C("2024-05-01", "2024-10-01"), C("2024-06-01", "2024-10-01"),
                                  C("2024-07-01", "2024-08-01")))
    issues = fired(report, "4014")
    starts = sorted(values(i)[0] for i in issues)
    assert starts == ["2024-06-01", "2024-07-01", "2024-07-01"]  # the third is inside two


# -- 4015 --------------------------------------------------------------------------------------

@pytest.mark.parametrize("referral, start, fires", [
    ("2024-05-13", "2024-05-10", True),
    ("2024-05-13", "2024-05-13", False),  # boundary: same day
    ("2024-05-13", "2024-05-14", False),
    (None, "2024-05-10", False),
    ("13/05/2024", "2024-05-10", False),  # invalid referral: silent
    ("2024-05-13", "2024-05-32", False),  # invalid start: silent
])
def test_4015_plan_before_referral(validate, referral, start, fires):
    issues = fired(validate(one_episode(C(start), ref=referral)), "4015")
    assert len(issues) == (1 if fires else 0)
    if fires:
        assert issues[0].fields == ["CINPlanStartDate", "CINreferralDate"]
        assert values(issues[0]) == [start, referral]


def test_4015_plan_compared_with_its_own_episode_referral(validate):
    report = validate(make_return(child(episode(ref="2024-05-13"),
                                        episode(C("2024-05-10"), ref="2024-05-01"), id="C1")))
    assert "4015" not in codes(report)


# -- 4016 --------------------------------------------------------------------------------------

@pytest.mark.parametrize("protection, plan, fires", [
    (P("2024-06-03", "2024-09-02"), C("2024-09-02"), False),  # starts on the CPP's end date
    (P("2024-06-03", "2024-09-02"), C("2024-09-01", "2024-10-01"), True),
    (P("2024-06-03", "2024-09-02"), C("2024-06-03", "2024-06-03"), True),  # boundary: same start
    (P("2024-06-03", "2024-09-02"), C("2024-06-02", "2024-06-03"), False),
    (P("2024-10-07"), C("2025-03-31"), True),  # open CPP lasts to ReferenceDate
    (P("2024-10-07"), C("2025-04-01"), False),
    (P("2024-10-07"), C("2024-10-06"), False),  # 4017 fires instead
    (P("2024-10-07", "2024-10-32"), C("2025-01-06", "2025-02-03"), True),  # invalid end: open
    (P("2024-10-32"), C("2025-01-06", "2025-02-03"), False),  # CPP without start: skipped
])
def test_4016_cin_plan_starts_during_cpp(validate, protection, plan, fires):
    assert count(validate(one_episode(protection, plan)), "4016") == (1 if fires else 0)


def test_4016_same_day_plan_fires_4016_and_4012Q_but_not_4017(validate):
    report = validate(one_episode(P("2024-06-03", "2024-09-02"), C("2024-06-03", "2024-06-03")))
    assert {"4016", "4012Q"} <= codes(report)
    assert "4017" not in codes(report)


def test_4016_one_issue_per_cin_plan_listing_every_cpp_across_episodes(validate):
    report = validate(two_episodes((P("2024-06-03", "2024-09-02"), P("2024-07-01")),
                                   (C("2024-08-01", "2024-08-20"),)))
    (issue,) = fired(report, "4016")
    assert issue.fields == ["CINPlanStartDate", "CPPstartDate", "CPPendDate"]
    assert paths(issue) == ["CINdetails[2]/CINPlanDates[1]"] + [
        "CINdetails[1]/ChildProtectionPlans[1]"] * 2 + ["CINdetails[1]/ChildProtectionPlans[2]"] * 2


# -- 4017 --------------------------------------------------------------------------------------

@pytest.mark.parametrize("plan, protection, fires", [
    (C("2024-05-01", "2024-06-03"), P("2024-06-03"), False),  # the usual step-up
    (C("2024-05-01", "2024-06-03"), P("2024-06-02"), True),
    (C("2024-05-01", "2024-06-03"), P("2024-05-01", "2024-07-01"), True),  # boundary; 4016 too
    (C("2024-05-01", "2024-06-03"), P("2024-04-30", "2024-05-01"), False),
    (C("2024-05-01"), P("2025-03-31"), True),  # open CIN plan lasts to ReferenceDate
    (C("2024-05-01"), P("2025-04-01"), False),
    (C("2024-05-01", "2024-06-31"), P("2024-09-02"), True),  # invalid CIN end: open
    (C("2024-05-32", "2024-06-03"), P("2024-05-15"), False),  # CIN plan without start
])
def test_4017_cpp_starts_during_cin_plan(validate, plan, protection, fires):
    assert count(validate(one_episode(plan, protection)), "4017") == (1 if fires else 0)


def test_4017_one_issue_per_cpp_listing_every_cin_plan_across_episodes(validate):
    report = validate(two_episodes((C("2024-05-01", "2024-09-02"), C("2024-06-01")),
                                   (P("2024-07-01"),)))
    (issue,) = fired(report, "4017")
    assert issue.fields == ["CPPstartDate", "CINPlanStartDate", "CINPlanEndDate"]
    assert values(issue) == ["2024-07-01", "2024-05-01", "2024-09-02", "2024-06-01", None]


# -- the ReferenceDate: a header's invalid date falls back, a valid one moves ------------------

@pytest.mark.parametrize("header_date", ["2025-02-30", None])
@pytest.mark.parametrize("code, group, fires", [
    ("4010", C("2025-03-31"), False),
    ("4010", C("2025-04-01"), True),
    ("4013", C("2023-01-09", "2024-03-31"), True),
    ("4013", C("2023-01-09", "2024-04-01"), False),
    ("4013", C("2025-01-06", "2025-04-01"), True),
])
def test_invalid_or_absent_header_uses_the_years_census_year(validate, header_date, code,
                                                               group, fires):
    assert count(validate(one_episode(group, reference_date=header_date)), code) == (
        1 if fires else 0)


@pytest.mark.parametrize("code, groups, fires", [
    # open Y / open plans last to the fallback ReferenceDate 2025-03-31
    ("4014", (C("2024-05-01"), C("2025-03-31", "2025-03-31")), True),
    ("4014", (C("2024-05-01"), C("2025-04-01")), False),
    ("4016", (P("2024-10-07"), C("2025-03-31")), True),
    ("4016", (P("2024-10-07"), C("2025-04-01")), False),
    ("4017", (C("2024-05-01"), P("2025-03-31")), True),
    ("4017", (C("2024-05-01"), P("2025-04-01")), False),
])
def test_open_items_last_to_the_years_date_when_the_header_date_is_invalid(validate, code, groups,
                                                                           fires):
    report = validate(one_episode(*groups, reference_date="2025-13-01"))
    assert count(report, code) == (1 if fires else 0)


@pytest.mark.parametrize("code, group, fires", [
    # header 2024-03-31: census year 2023-04-01 .. 2024-03-31
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


# -- empty and present-but-empty groups (D4, O10), booleans (D3), every instance apart ---------

EMPTY_PLANS = ("<CINPlanDates/>", "<CINPlanDates> <!-- a comment --> </CINPlanDates>")


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


@pytest.mark.parametrize("nfa, fires", [
    ("True", True), (" true ", True), ("tRuE", True), (" 1 ", True),
    ("FALSE", False), ("0", False), ("", False), ("yes", False), ("2", False), ("t", False),
])
def test_4000_referral_nfa_spellings(validate, nfa, fires):
    report = validate(one_episode(C("2024-06-03"), ref="2024-06-03", nfa=nfa))
    assert count(report, "4000") == (1 if fires else 0)


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


# -- rules firing together, as the spec's examples say -----------------------------------------

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
