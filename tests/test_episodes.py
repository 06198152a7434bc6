"""Group 2: CIN details, referrals and closure (spec: rules/group2-cin-details.md).

Every example of the spec is a case below, named after it. The spec's notation (S8) maps onto
the builders: `E{ref R, close C, RCx, NFA v}` is `episode(ref=R, close=C, reason=RCx, nfa=v)`,
`A{start, auth}` is `assessment(start, auth)`, `S{start, cpc, notreq}` is `s47(start, cpc=...,
not_required=...)`, `P{start..end}` is `cpp(start, end)` and `C{start..end}` is
`cin_plan(start, end)`. ReferenceDate is 2025-03-31 unless a test says otherwise.
"""

from __future__ import annotations

import pytest
from builders import (NO_GROUPS, REFERENCE_DATE, UNREAD_REFERENCE_DATES, assessment, child,
                      cin_plan, closed_rc7, cpp, episode, make_return, open_episode, s47)
from conftest import fired, values, where

from cin_validate import catalogue, years
from cin_validate.checks import episodes as group2

EMPTY_ASSESSMENTS = "<Assessments/>"
EMPTY_S47 = "<Section47/>"
EMPTY_CIN_PLAN = "<CINPlanDates/>"
EMPTY_CPP = "<ChildProtectionPlans/>"

GROUP2_CODES = {
    "1103", "1104", "1105", "2889", "2990", "2991Q", "8555Q", "8565", "8568", "8569Q", "8585Q",
    "8590", "8600", "8606", "8610", "8620", "8630", "8640", "8650", "8805", "8810", "8815",
    "8816", "8820", "8825Q", "8831", "8832", "8866",
}


def test_all_28_rules_are_registered_in_the_episodes_module():
    assert set(group2.CHILD_CHECKS) == GROUP2_CODES
    assert GROUP2_CODES <= set(years.default().rules)


# =============================================================================================
# Referral
# =============================================================================================

# -- 8600 ---------------------------------------------------------------------------------

@pytest.mark.parametrize("ref, expected", [
    ("2025-04-01", 1),  # Fails: after ReferenceDate
    (None, 1),  # Fails: absent
    ("", 1),  # Fails: empty
    ("2025-02-29", 1),  # Fails: not a real date
    ("31/03/2025", 1),  # Fails: not CCYY-MM-DD (the implementation passes it)
    ("2025-03-31", 0),  # Passes (boundary): ReferenceDate itself
    ("2019-06-03", 0),  # Passes: no lower limit
    (" 2025-03-31 ", 0),  # Passes: surrounding spaces are trimmed
])
def test_8600_referral_missing_or_after_reference_date(issues, ref, expected):
    found = issues("8600", episode(ref=ref))
    assert len(found) == expected
    for issue in found:
        assert where(issue) == [("CINdetails[1]", "CINreferralDate")]
        assert issue.child.la_child_id == "C1"


def test_8600_one_issue_per_episode(issues):
    assert len(issues("8600", episode(ref=None), episode(ref="2025-04-01"),
                      episode(ref="2024-05-01", close="2024-06-01", reason="RC7"))) == 2


@pytest.mark.parametrize("reference_date, ref, expected", [
    ("2024-03-31", "2024-04-01", 1),  # a wrong but valid header date is used as written
    ("2024-03-31", "2024-03-31", 0),
    ("31/03/2025", "2025-03-31", 0),  # an invalid header date falls back to 2025-03-31
    ("31/03/2025", "2025-04-01", 1),
    (None, "2025-04-01", 1),  # so does an absent one
])
def test_8600_uses_the_effective_reference_date(issues, reference_date, ref, expected):
    assert len(issues("8600", episode(ref=ref), reference_date=reference_date)) == expected


# -- 8606 ---------------------------------------------------------------------------------

@pytest.mark.parametrize("dob, edob, ref, expected_fields", [
    # DOB 2024-12-31: DOB - 280 days = 2024-03-26
    ("2024-12-31", None, "2024-03-25", ["CINreferralDate", "PersonBirthDate"]),  # 281 days
    ("2024-12-31", None, "2024-03-26", None),  # Passes (boundary): exactly 280 days
    ("2024-12-31", None, "2025-01-10", None),  # Passes: referral after the birth
    # EDOB 2025-06-30, no DOB: EDOB - 280 days = 2024-09-23
    (None, "2025-06-30", "2024-09-22", ["CINreferralDate", "ExpectedPersonBirthDate"]),
    (None, "2025-06-30", "2024-09-23", None),  # Passes (boundary)
    (None, None, "2020-01-01", None),  # Passes: no birth date at all (silent)
    ("2024-12-32", None, "2020-01-01", None),  # an invalid DOB is not used
    ("2024-12-31", None, None, None),  # no referral date: silent (8600 reports it)
    ("2024-12-31", None, "2024-12-32", None),  # invalid referral date: silent
    # both dates are checked when both are present; the issue names whichever triggered
    ("2024-12-31", "2025-06-30", "2024-09-22", ["CINreferralDate", "ExpectedPersonBirthDate"]),
    ("2024-12-31", "2025-06-30", "2024-03-25",
     ["CINreferralDate", "PersonBirthDate", "ExpectedPersonBirthDate"]),
    ("2025-06-30", "2024-12-31", "2024-09-22", ["CINreferralDate", "PersonBirthDate"]),
])
def test_8606_referral_more_than_280_days_before_birth(issues, dob, edob, ref, expected_fields):
    found = issues("8606", episode(ref=ref), dob=dob, edob=edob)
    if expected_fields is None:
        assert found == []
    else:
        assert len(found) == 1
        assert found[0].fields == expected_fields
        assert found[0].places[1].path == "ChildIdentifiers"


def test_8606_boundary_across_a_leap_year_edge(issues):
    # DOB 2025-03-01: 280 days earlier is 2024-05-25 (2024-02-29 lies outside the window).
    assert len(issues("8606", episode(ref="2024-05-24"), dob="2025-03-01")) == 1
    assert issues("8606", episode(ref="2024-05-25"), dob="2025-03-01") == []


def test_8606_one_issue_per_episode_even_with_equal_referral_dates(issues):
    found = issues("8606", episode(ref="2024-03-01"), episode(ref="2024-03-01"), dob="2024-12-31")
    assert [issue.places[0].path for issue in found] == ["CINdetails[1]", "CINdetails[2]"]


def test_8606_year_one_birth_date_does_not_crash(issues):
    assert issues("8606", episode(ref="2024-05-01"), dob="0001-01-01") == []


# -- 8866 ---------------------------------------------------------------------------------

@pytest.mark.parametrize("ref, source, expected", [
    ("2024-05-01", None, 1),  # Fails: no ReferralSource
    ("2024-05-01", "11", 1),
    ("2024-05-01", "1a", 1),  # case-sensitive
    ("2024-05-01", "04", 1),
    ("2024-05-01", "5E", 1),
    ("2024-05-01", "", 1),  # <ReferralSource/>
    ("2013-04-01", None, 1),  # Fails (boundary): on 2013-04-01
    ("2013-03-31", None, 0),  # Passes (boundary): earlier referrals are not checked
    ("2013-03-31", "ZZ", 0),
    ("2024-05-01", "1A", 0),
    ("2024-05-01", "4", 0),
    ("2024-05-01", "10", 0),
    ("2024-05-01", " 5D ", 0),  # trimmed (the implementation fires)
    (None, "ZZ", 0),  # Passes (silent): no referral date, 8600 fires
    ("2024-13-01", "ZZ", 0),  # invalid referral date: silent
])
def test_8866_referral_source_missing_or_invalid(issues, ref, source, expected):
    found = issues("8866", episode(ref=ref, source=source))
    assert len(found) == expected
    for issue in found:
        assert issue.fields == ["CINreferralDate", "ReferralSource"]


def test_8866_nfa_referrals_need_a_source_too(issues):
    assert len(issues("8866", episode(NO_GROUPS, source=None, nfa="true"))) == 1


# -- 8555Q --------------------------------------------------------------------------------

@pytest.mark.parametrize("dod, episodes, expected", [
    ("2024-06-01", [episode(ref="2024-06-02")], 1),  # Fails
    ("2024-06-01", [episode(ref="2024-06-01")], 0),  # Passes (boundary): the day of death
    ("2024-06-01", [episode(ref="2024-05-31", close="2024-06-03", reason="RC2")], 0),
    (None, [episode(ref="2024-06-02")], 0),  # no DOD: silent
    ("2024-06-31", [episode(ref="2024-06-02")], 0),  # invalid DOD: silent
    ("2024-06-01", [episode(ref=None)], 0),  # no referral date: silent
    # one issue per episode, also when two episodes share a referral date
    ("2024-06-01", [episode(ref="2024-07-01"), episode(ref="2024-07-01")], 2),
])
def test_8555Q_referral_after_death(issues, dod, episodes, expected):
    found = issues("8555Q", *episodes, dod=dod)
    assert len(found) == expected
    for issue in found:
        assert where(issue)[0] == ("ChildIdentifiers", "PersonDeathDate")
        assert issue.fields == ["PersonDeathDate", "CINreferralDate"]
        assert issue.severity == "query"


# -- 1103, 1104, 1105, 2889: a date of the episode before its own referral date ------------
# Episode E{ref 2024-06-10, NFA false} in every case.

BEFORE_REFERRAL_CASES = [
    # (rule, group, element that fires, expected)
    ("1103", assessment("2024-06-07", "2024-07-01"), "AssessmentActualStartDate", 1),
    ("1103", assessment("2024-06-09", None), "AssessmentActualStartDate", 1),  # boundary
    ("1103", assessment("2024-06-10", None), None, 0),  # boundary: the same day passes
    ("1103", assessment(None, "2024-07-01"), None, 0),  # no start date: silent
    ("1103", assessment("2024-06-31", None), None, 0),  # invalid start date: silent
    ("1104", s47("2024-06-03", cpc="2024-06-07", not_required="false"), "DateOfInitialCPC", 1),
    ("1104", s47("2024-06-03", cpc="2024-06-09", not_required="false"), "DateOfInitialCPC", 1),
    ("1104", s47("2024-06-10", cpc="2024-06-10", not_required="false"), None, 0),
    ("1104", s47("2024-06-10", cpc=None, not_required="true"), None, 0),
    ("1105", cpp("2024-06-07", None), "CPPstartDate", 1),
    ("1105", cpp("2024-06-09", "2024-12-02"), "CPPstartDate", 1),  # boundary
    ("1105", cpp("2024-06-10", None), None, 0),  # boundary
    ("1105", cpp(None, None), None, 0),  # no start: silent (8720 reports it)
    ("2889", s47("2024-05-31", not_required="true"), "S47ActualStartDate", 1),
    ("2889", s47("2024-06-09", not_required="false"), "S47ActualStartDate", 1),  # boundary
    ("2889", s47("2024-06-10", not_required="false"), None, 0),  # boundary
    ("2889", s47(None, cpc="2024-06-20", not_required="false"), None, 0),  # silent
]


@pytest.mark.parametrize("code, group, element, expected", BEFORE_REFERRAL_CASES)
def test_dated_item_before_own_referral_date(issues, code, group, element, expected):
    found = issues(code, episode(group, ref="2024-06-10"))
    assert len(found) == expected
    for issue in found:
        group_path = issue.places[0].path
        assert group_path.startswith("CINdetails[1]/") and group_path.endswith("[1]")
        assert where(issue)[0][1] == element
        assert where(issue)[1] == ("CINdetails[1]", "CINreferralDate")
        assert values(issue)[1] == "2024-06-10"


@pytest.mark.parametrize("code, group", [
    ("1103", assessment("2024-06-01", None)),
    ("1104", s47("2024-06-01", cpc="2024-06-01", not_required="false")),
    ("1105", cpp("2024-06-01", None)),
    ("2889", s47("2024-06-01", not_required="true")),
])
def test_dated_item_before_referral_is_silent_without_a_valid_referral_date(issues, code, group):
    assert issues(code, episode(group, ref=None)) == []
    assert issues(code, episode(group, ref="2024-06-31")) == []


@pytest.mark.parametrize("code, group", [
    ("1103", assessment("2024-06-07", None)),
    ("1104", s47("2024-06-03", cpc="2024-06-07", not_required="false")),
    ("1105", cpp("2024-06-07", None)),
    ("2889", s47("2024-06-07", not_required="true")),
])
def test_dated_item_before_referral_one_issue_per_group_even_if_identical(issues, code, group):
    # the implementation merges equal (child, date, referral date); report one per group
    found = issues(code, episode(group, group, ref="2024-06-10"))
    assert [issue.places[0].path[-3:] for issue in found] == ["[1]", "[2]"]


def test_1103_only_the_own_episode_referral_date_counts(issues):
    found = issues("1103",
                   episode(NO_GROUPS, ref="2024-06-01", close="2024-06-05", reason="RC7"),
                   episode(assessment("2024-06-03", None), ref="2024-06-10"))
    assert len(found) == 1
    assert where(found[0]) == [("CINdetails[2]/Assessments[1]", "AssessmentActualStartDate"),
                               ("CINdetails[2]", "CINreferralDate")]


def test_1104_Q6_cin_level_conference_date_is_not_checked(issues):
    # Open question Q6: only the S47-level DateOfInitialCPC is compared with the referral.
    assert issues("1104", episode(NO_GROUPS, ref="2024-06-10", cpc="2024-06-07")) == []


def test_1104_and_2889_both_fire_on_an_early_s47(issues, validate):
    report = validate(make_return(child(episode(
        s47("2024-06-03", cpc="2024-06-07", not_required="false"), ref="2024-06-10"))))
    assert len(fired(report, "1104")) == 1 and len(fired(report, "2889")) == 1


# -- 8650 ---------------------------------------------------------------------------------

@pytest.mark.parametrize("need, expected", [
    ("N10", 1), ("n1", 1), ("1", 1), ("NO", 1),  # Fails (NO is the letter O)
    ("N0", 0), ("N9", 0), (None, 0), ("", 0),  # Passes; absent/empty is 8610's concern
    (" N1 ", 0),  # Passes (per this spec): trimmed
])
def test_8650_primary_need_code_invalid(issues, need, expected):
    found = issues("8650", episode(need=need))
    assert len(found) == expected
    for issue in found:
        assert where(issue) == [("CINdetails[1]", "PrimaryNeedCode")]


# =============================================================================================
# No further action
# =============================================================================================

# -- 8568 ---------------------------------------------------------------------------------

@pytest.mark.parametrize("nfa, expected", [
    (None, 1), ("", 1), ("yes", 1), ("2", 1), ("1.0", 1), ("Y", 1), ("-1", 1),  # Fails
    ("true", 0), ("false", 0), ("1", 0), ("0", 0), ("TRUE", 0), ("False", 0),  # Passes
    (" true ", 0),  # Passes: trimmed (the implementation fires)
])
def test_8568_nfa_flag_missing_or_invalid(issues, nfa, expected):
    found = issues("8568", episode(nfa=nfa))
    assert len(found) == expected
    for issue in found:
        assert where(issue) == [("CINdetails[1]", "ReferralNFA")]


def test_8568_one_issue_per_episode(issues):
    assert len(issues("8568", episode(nfa=None), episode(nfa="yes"), episode(nfa="0"))) == 2


# -- 8569Q --------------------------------------------------------------------------------
# Cut-off C = 1 working day before the census start 2024-04-01 (Easter Monday) = 2024-03-28.

@pytest.mark.parametrize("ref, expected", [
    ("2024-03-27", 1),  # Wed: the last date that fires
    ("2024-03-28", 0),  # Thu: the last working day before the census year (implementation fires)
    ("2024-03-29", 0),  # Good Friday (implementation fires)
    ("2024-03-30", 0),  # Saturday of the Easter weekend
    ("2024-03-31", 0),  # Sunday (implementation fires)
    ("2024-04-01", 0),  # Easter Monday, census day 1 (implementation fires)
    ("2024-04-02", 0),
])
def test_8569Q_boundary_table_around_easter_2024(issues, ref, expected):
    found = issues("8569Q", episode(NO_GROUPS, ref=ref, nfa="true"))
    assert len(found) == expected
    for issue in found:
        assert where(issue) == [("CINdetails[1]", "CINreferralDate"),
                                ("CINdetails[1]", "ReferralNFA")]


@pytest.mark.parametrize("ref, close, reason, nfa, expected", [
    ("2023-11-06", None, None, "1", 1),  # Fails: NFA 1
    ("2023-11-06", "2024-05-10", "RC7", "false", 0),  # Passes
    ("2023-11-06", None, None, "FALSE", 0),  # Passes: FALSE is false
    ("2023-11-06", None, None, " 0 ", 0),  # Passes: ` 0 ` is false
    (None, None, None, "true", 0),  # no referral date: silent
    ("2023-11-31", None, None, "true", 0),  # invalid referral date: silent
    ("2010-01-04", None, None, "True", 1),  # no lower limit
])
def test_8569Q_flag_and_date(issues, ref, close, reason, nfa, expected):
    found = issues("8569Q", episode(NO_GROUPS, ref=ref, close=close, reason=reason, nfa=nfa))
    assert len(found) == expected


@pytest.mark.parametrize("nfa", [None, "", "yes"])
def test_8569Q_Q2_flag_not_given_fires(validate, nfa):
    # Open question Q2: the DfE text says the flag "must be false", so "not given" fires too.
    report = validate(make_return(child(episode(NO_GROUPS, ref="2023-11-06", nfa=nfa))))
    assert len(fired(report, "8569Q")) == 1
    assert len(fired(report, "8568")) == 1


@pytest.mark.parametrize("reference_date, last_firing, first_silent", [
    # census start 2023-04-01 is a Saturday: 1 working day before is Fri 2023-03-31
    ("2024-03-31", "2023-03-30", "2023-03-31"),
    # census start 2025-04-01 is a Tuesday: 1 working day before is Mon 2025-03-31
    ("2026-03-31", "2025-03-28", "2025-03-31"),
])
def test_8569Q_cut_off_follows_the_header_reference_date(issues, reference_date, last_firing,
                                                         first_silent):
    fires = issues("8569Q", episode(NO_GROUPS, ref=last_firing, nfa="true"),
                   reference_date=reference_date)
    silent = issues("8569Q", episode(NO_GROUPS, ref=first_silent, nfa="true"),
                    reference_date=reference_date)
    assert (len(fires), len(silent)) == (1, 0)


# -- 8610 ---------------------------------------------------------------------------------

@pytest.mark.parametrize("nfa, need, expected", [
    ("false", None, 1),  # Fails: no PrimaryNeedCode
    ("0", "", 1),  # Fails: <PrimaryNeedCode/>
    ("FALSE", None, 1),  # Fails (per this spec; the implementation is silent)
    ("false", " ", 1),  # Fails (per this spec): a single space is empty
    ("true", None, 0),  # Passes
    (None, None, 0),  # Passes: flag absent (8568 fires)
    ("false", "N0", 0),  # Passes
    ("false", "X1", 0),  # Passes here: 8650 fires
])
def test_8610_primary_need_missing_for_further_action(issues, nfa, need, expected):
    found = issues("8610", episode(nfa=nfa, need=need))
    assert len(found) == expected
    for issue in found:
        assert issue.fields == ["ReferralNFA", "PrimaryNeedCode"]


# -- 8831 ---------------------------------------------------------------------------------
# Episode E{ref 2024-05-01} in every case.

@pytest.mark.parametrize("nfa, groups, cpc, expected_fields", [
    ("true", [assessment("2024-05-02", None)], None, ["AssessmentActualStartDate"]),
    ("1", [assessment(None, "2024-05-10")], None, ["AssessmentAuthorisationDate"]),
    ("true", [s47("2024-05-02", not_required="true")], None, ["S47ActualStartDate"]),
    ("true", [NO_GROUPS], "2024-05-20", ["DateOfInitialCPC"]),  # CIN-level conference
    ("TRUE", [assessment("2024-05-02", None)], None, ["AssessmentActualStartDate"]),
    # Q7: the S47-level conference date counts (the implementation is silent)
    ("true", [s47(None, cpc="2024-05-20", not_required="false")], None, ["DateOfInitialCPC"]),
    ("true", [cin_plan("2024-05-02", None)], None, None),  # Passes: 4000 reports it
    ("true", [cpp("2024-05-02", None)], None, None),  # Passes: 8832 reports it
    ("true", [assessment(None, None, factors=None, review="2024-05-10")], None, None),
    ("true", [assessment(None, None, factors=("1A",))], None, None),  # factors alone
    ("false", [assessment("2024-05-02", None)], None, None),  # Passes: not NFA
    (None, [assessment("2024-05-02", None)], None, None),  # flag not given: silent
    ("true", [assessment("2024-05-32", None)], "2024-02-30", None),  # Q9: invalid dates
])
def test_8831_activity_on_nfa_episode(issues, nfa, groups, cpc, expected_fields):
    found = issues("8831", episode(*groups, ref="2024-05-01", nfa=nfa, cpc=cpc))
    if expected_fields is None:
        assert found == []
    else:
        assert len(found) == 1
        assert found[0].fields == ["ReferralNFA", *expected_fields]
        assert where(found[0])[0] == ("CINdetails[1]", "ReferralNFA")


def test_8831_one_issue_per_episode_listing_every_item(issues):
    found = issues("8831", episode(assessment("2024-05-02", "2024-05-10"),
                                   s47("2024-05-03", cpc="2024-05-09", not_required="false"),
                                   ref="2024-05-01", cpc="2024-05-20", nfa="true"))
    assert len(found) == 1
    assert where(found[0]) == [
        ("CINdetails[1]", "ReferralNFA"),
        ("CINdetails[1]/Assessments[1]", "AssessmentActualStartDate"),
        ("CINdetails[1]/Assessments[1]", "AssessmentAuthorisationDate"),
        ("CINdetails[1]/Section47[1]", "S47ActualStartDate"),
        ("CINdetails[1]", "DateOfInitialCPC"),
        ("CINdetails[1]/Section47[1]", "DateOfInitialCPC"),
    ]


# -- 8832 ---------------------------------------------------------------------------------

@pytest.mark.parametrize("nfa, groups, expected_plans", [
    ("true", [cpp("2024-05-02", None)], 1),  # Fails
    ("true", [cpp("2024-05-02", None), cpp("2024-06-02", None)], 2),  # Fails once, names both
    (" TRUE ", [cpp("2024-05-02", None)], 1),  # Fails (per this spec)
    ("true", [cpp(None, None)], 1),  # a plan counts whatever its dates
    ("false", [cpp("2024-05-02", None)], 0),  # Passes
    (None, [cpp("2024-05-02", None)], 0),  # flag not given: silent
    ("true", [EMPTY_CPP], 0),  # Passes (per this spec): empty group ignored
])
def test_8832_protection_plan_on_nfa_episode(issues, nfa, groups, expected_plans):
    found = issues("8832", episode(*groups, ref="2024-05-01", nfa=nfa))
    if not expected_plans:
        assert found == []
        return
    assert len(found) == 1
    assert where(found[0]) == [("CINdetails[1]", "ReferralNFA")] + [
        (f"CINdetails[1]/ChildProtectionPlans[{n}]", "ChildProtectionPlans")
        for n in range(1, expected_plans + 1)]


def test_8832_points_at_the_plans_of_the_right_child(validate):
    # The implementation reports child A's second plan for child B's NFA plan.
    report = validate(make_return(
        child(episode(cpp("2024-05-02", "2024-06-01"), cpp("2024-07-01", "2024-08-01"),
                      cpp("2024-09-01", None), ref="2024-05-01"), id="A"),
        child(episode(cpp("2024-05-02", None), ref="2024-05-01", nfa="true"), id="B"),
    ))
    found = fired(report, "8832")
    assert [issue.child.la_child_id for issue in found] == ["B"]


# =============================================================================================
# Closure
# =============================================================================================

# -- 8620 ---------------------------------------------------------------------------------

@pytest.mark.parametrize("close, expected", [
    ("2024-03-31", 1),  # Fails (boundary): the day before the census year
    ("2025-04-01", 1),  # Fails (boundary): the day after
    ("2024-04-01", 0),  # Passes (boundary)
    ("2025-03-31", 0),  # Passes (boundary)
    ("2024-06-31", 0),  # invalid: silent
    (None, 0),
])
def test_8620_closure_outside_census_year(issues, close, expected):
    found = issues("8620", episode(NO_GROUPS, ref="2024-01-02", close=close, reason="RC7"))
    assert len(found) == expected
    for issue in found:
        assert where(issue) == [("CINdetails[1]", "CINclosureDate")]


def test_8620_census_year_follows_the_header(issues):
    found = issues("8620", episode(NO_GROUPS, ref="2023-01-02", close="2024-04-01", reason="RC7"),
                   reference_date="2024-03-31")
    assert len(found) == 1


# -- 8630 ---------------------------------------------------------------------------------

@pytest.mark.parametrize("ref, close, expected", [
    ("2024-06-01", "2024-05-31", 1),  # Fails (boundary)
    ("2024-06-01", "2024-06-01", 0),  # Passes (boundary): the same day
    ("2024-06-01", "2024-08-15", 0),
    ("2024-06-01", None, 0),  # open: silent
    (None, "2024-05-31", 0),  # no referral date: silent
    ("2024-06-01", "2024-05-32", 0),  # invalid closure: silent
])
def test_8630_closure_before_referral(issues, ref, close, expected):
    found = issues("8630", episode(NO_GROUPS, ref=ref, close=close, reason="RC7"))
    assert len(found) == expected
    for issue in found:
        assert issue.fields == ["CINreferralDate", "CINclosureDate"]


def test_8630_one_issue_per_episode_even_if_identical(issues):
    same = episode(NO_GROUPS, ref="2024-06-01", close="2024-05-31", reason="RC7")
    assert len(issues("8630", same, same)) == 2


# -- 8640 ---------------------------------------------------------------------------------

@pytest.mark.parametrize("reason, expected", [
    ("RC10", 1), ("rc1", 1), ("RC 1", 1), ("RC0", 1), ("7", 1),  # Fails
    ("RC1", 0), ("RC8", 0), ("RC9", 0), (None, 0), ("", 0),  # Passes
    (" RC7 ", 0),  # Passes (per this spec): trimmed
])
def test_8640_reason_for_closure_invalid(issues, reason, expected):
    found = issues("8640", episode(NO_GROUPS, ref="2024-05-01", close="2024-06-01", reason=reason))
    assert len(found) == expected
    for issue in found:
        assert where(issue) == [("CINdetails[1]", "ReasonForClosure")]


def test_8640_checked_without_a_closure_date(issues):
    assert len(issues("8640", episode(NO_GROUPS, ref="2024-05-01", reason="XYZ"))) == 1


# -- 8805 ---------------------------------------------------------------------------------

@pytest.mark.parametrize("close, reason, expected", [
    ("2024-06-01", None, 1),  # Fails
    ("2024-06-01", "", 1),  # Fails: <ReasonForClosure/>
    ("2024-06-01", "RC7", 0),
    ("2024-06-01", "XX", 0),  # any non-empty reason (8640 fires)
    (None, None, 0),
    ("2024-06-31", None, 0),  # invalid closure date counts as absent: silent
])
def test_8805_closure_date_without_reason(issues, close, reason, expected):
    found = issues("8805", episode(NO_GROUPS, ref="2024-05-01", close=close, reason=reason))
    assert len(found) == expected
    for issue in found:
        assert issue.fields == ["CINclosureDate", "ReasonForClosure"]


# -- 8810 ---------------------------------------------------------------------------------

@pytest.mark.parametrize("close, reason, expected", [
    (None, "RC7", 1),  # Fails
    ("2024-06-31", "RC7", 1),  # Fails: an invalid date counts as absent
    ("", "RC7", 1),
    (None, "XYZ", 1),  # Fails: any value (8640 also fires)
    ("2024-06-01", "RC7", 0),
    (None, None, 0),
])
def test_8810_reason_without_closure_date(issues, close, reason, expected):
    found = issues("8810", episode(NO_GROUPS, ref="2024-05-01", close=close, reason=reason))
    assert len(found) == expected
    for issue in found:
        assert issue.fields == ["ReasonForClosure", "CINclosureDate"]


# -- 8585Q --------------------------------------------------------------------------------

@pytest.mark.parametrize("dod, reasons, expected", [
    (None, ["RC2"], 1),  # Fails: no DOD
    ("2024-09-31", ["RC2"], 1),  # Fails: DOD not a real date
    ("", ["RC2"], 1),  # Fails: empty DOD
    (None, ["RC2", "RC2"], 2),  # Fails twice: one issue per episode
    (None, [" RC2 "], 1),  # trimmed
    ("2024-09-08", ["RC2"], 0),  # Passes
    (None, ["RC7"], 0),  # Passes
    (None, ["rc2"], 0),  # not RC2: silent (8640 fires)
])
def test_8585Q_died_without_date_of_death(issues, dod, reasons, expected):
    found = issues("8585Q", *[episode(NO_GROUPS, ref="2024-05-01", close="2024-09-10", reason=r)
                              for r in reasons], dod=dod)
    assert len(found) == expected
    for issue in found:
        assert where(issue)[1] == ("ChildIdentifiers", "PersonDeathDate")
        assert issue.fields == ["ReasonForClosure", "PersonDeathDate"]


def test_8585Q_closure_date_plays_no_part(validate):
    report = validate(make_return(child(episode(NO_GROUPS, ref="2024-05-01", reason="RC2"))))
    assert len(fired(report, "8585Q")) == 1 and len(fired(report, "8810")) == 1


# =============================================================================================
# Activity (S6)
# =============================================================================================

# -- 8565 ---------------------------------------------------------------------------------
# Closed episode E{ref 2024-05-01, close 2024-07-01, RC7, NFA false}.

def closed(*groups, close="2024-07-01", cpc=None):
    return episode(*groups, ref="2024-05-01", close=close, reason="RC7", cpc=cpc)


@pytest.mark.parametrize("groups, cpc, expected", [
    ([assessment("2024-05-02", "2024-07-02")], None,
     [("CINdetails[1]/Assessments[1]", "AssessmentAuthorisationDate")]),
    ([assessment("2024-07-02", None)], None,
     [("CINdetails[1]/Assessments[1]", "AssessmentActualStartDate")]),
    ([assessment("2024-05-02", "2024-07-01")], None, []),  # Passes (boundary)
    ([s47("2024-07-02", not_required="true")], None,
     [("CINdetails[1]/Section47[1]", "S47ActualStartDate")]),
    ([s47("2024-06-03", cpc="2024-07-02", not_required="false")], None,
     [("CINdetails[1]/Section47[1]", "DateOfInitialCPC")]),
    ([NO_GROUPS], "2024-07-02", [("CINdetails[1]", "DateOfInitialCPC")]),  # CIN level
    ([cpp("2024-05-20", "2024-07-02")], None,
     [("CINdetails[1]/ChildProtectionPlans[1]", "CPPendDate")]),  # the implementation misses
    ([cin_plan("2024-05-20", "2024-07-02")], None,
     [("CINdetails[1]/CINPlanDates[1]", "CINPlanEndDate")]),  # the implementation crashes
    ([cin_plan("2024-07-02", None)], None,
     [("CINdetails[1]/CINPlanDates[1]", "CINPlanStartDate")]),
    ([cpp("2024-07-02", None)], None, []),  # Passes here: CPPstartDate is not in the list
    ([cpp("2024-05-20", "2024-07-01", reviews=("2024-07-05",))], None, []),  # reviews neither
    ([assessment("2024-05-02", None)], None, []),  # Passes: open assessment (8867 fires)
    ([assessment("2024-05-02", "2024-06-30", review="2024-07-05")], None, []),
    ([s47("2024-05-02", target="2024-07-20", not_required="false")], None, []),
    ([assessment("2024-05-02", "2024-07-32")], None, []),  # invalid date ignored
])
def test_8565_activity_after_closure(issues, groups, cpc, expected):
    found = issues("8565", closed(*groups, cpc=cpc))
    if not expected:
        assert found == []
    else:
        assert len(found) == 1
        assert where(found[0]) == [("CINdetails[1]", "CINclosureDate"), *expected]


def test_8565_fails_once_naming_every_late_date(issues):
    found = issues("8565", closed(assessment("2024-05-02", "2024-07-05"),
                                  cin_plan("2024-07-03", None)))
    assert len(found) == 1
    assert found[0].fields == ["CINclosureDate", "AssessmentAuthorisationDate", "CINPlanStartDate"]
    assert values(found[0]) == ["2024-07-01", "2024-07-05", "2024-07-03"]


@pytest.mark.parametrize("close", [None, "2024-07-32"])
def test_8565_open_episode_is_not_checked(issues, close):
    assert issues("8565", closed(assessment("2024-05-02", "2024-07-02"), close=close)) == []


def test_8565_one_issue_per_closed_episode_and_no_cross_episode_activity(issues):
    found = issues("8565",
                   closed(assessment("2024-05-02", "2024-07-02")),
                   episode(assessment("2024-08-02", "2024-09-02"), ref="2024-08-01",
                           close="2024-10-01", reason="RC7"),
                   episode(assessment("2024-11-02", "2024-12-02"), ref="2024-11-01",
                           close="2024-11-10", reason="RC7"))
    assert [issue.places[0].path for issue in found] == ["CINdetails[1]", "CINdetails[3]"]


# -- 2990 ---------------------------------------------------------------------------------
# Episode E{ref 2024-05-01, close 2024-06-14, RCx, NFA false} with A{2024-05-02, 2024-06-14}.

A_DONE = assessment("2024-05-02", "2024-06-14")


def after_assessment(reason, *groups, cpc=None, close="2024-06-14"):
    return episode(A_DONE, *groups, ref="2024-05-01", close=close, reason=reason, cpc=cpc)


@pytest.mark.parametrize("reason, groups, cpc, expected", [
    ("RC8", [s47("2024-05-02", not_required="true")], None, ["Section47"]),
    ("RC9", [cin_plan("2024-05-20", "2024-06-14")], None, ["CINPlanDates"]),
    ("RC9", [cpp("2024-05-20", "2024-06-14")], None, ["ChildProtectionPlans"]),
    ("RC8", [], "2024-05-20", ["DateOfInitialCPC"]),
    (" RC8 ", [s47("2024-05-02", not_required="true")], None, ["Section47"]),  # trimmed
    ("RC8", [s47("2024-05-32", not_required="true")], None, ["Section47"]),  # any content
    ("RC8", [], None, []),  # Passes: only the assessment
    ("RC8", [assessment("2024-05-03", "2024-06-10")], None, []),  # two assessments
    ("RC7", [s47("2024-05-02", not_required="true")], None, []),
    ("rc8", [s47("2024-05-02", not_required="true")], None, []),  # case-sensitive
    (None, [s47("2024-05-02", not_required="true")], None, []),
    ("RC8", [EMPTY_CIN_PLAN, EMPTY_S47, EMPTY_CPP], None, []),  # empty groups ignored
    ("RC8", [], "2024-05-32", []),  # invalid CIN-level conference date: absent
])
def test_2990_activity_on_case_closed_after_assessment(issues, reason, groups, cpc, expected):
    found = issues("2990", after_assessment(reason, *groups, cpc=cpc))
    if not expected:
        assert found == []
    else:
        assert len(found) == 1
        assert found[0].fields == ["ReasonForClosure", *expected]
        assert where(found[0])[0] == ("CINdetails[1]", "ReasonForClosure")


def test_2990_one_issue_naming_every_group_with_its_line(issues):
    found = issues("2990", after_assessment(
        "RC9", s47("2024-05-02", not_required="true"), s47("2024-05-03", not_required="true"),
        cpp("2024-05-20", "2024-06-14"), cin_plan("2024-05-20", "2024-06-14"),
        cpc="2024-05-20"))
    assert len(found) == 1
    assert where(found[0]) == [
        ("CINdetails[1]", "ReasonForClosure"),
        ("CINdetails[1]/Section47[1]", "Section47"),
        ("CINdetails[1]/Section47[2]", "Section47"),
        ("CINdetails[1]/ChildProtectionPlans[1]", "ChildProtectionPlans"),
        ("CINdetails[1]/CINPlanDates[1]", "CINPlanDates"),
        ("CINdetails[1]", "DateOfInitialCPC"),
    ]


def test_2990_closure_date_not_needed_and_other_episodes_do_not_count(validate):
    report = validate(make_return(child(
        after_assessment("RC8", s47("2024-05-02", not_required="true"), close=None),
        after_assessment("RC8"),
        episode(s47("2024-08-02"), ref="2024-08-01"))))
    found = fired(report, "2990")
    assert [issue.places[0].path for issue in found] == ["CINdetails[1]"]
    assert len(fired(report, "8810")) == 1


# -- 8825Q --------------------------------------------------------------------------------

AUTO_OK_8825Q = ("8825Q: All records have been checked and can confirm that the data has been "
                 "amended (where required). All remaining queries relate to assessments that "
                 "were completed in the previous reporting period or where an assessment was not "
                 "required.")
AUTO_OK_2991Q = ("2991Q: All records have been checked and can confirm that the data has been "
                 "amended (where required) and the data is now correct in all instances")


@pytest.mark.parametrize("reason, close, groups, expected", [
    ("RC8", "2024-06-14", [NO_GROUPS], 1),  # Fails: no assessment
    ("RC9", None, [NO_GROUPS], 1),  # Fails: no closure date either (8810 also fires)
    ("RC8", "2024-06-14", [EMPTY_ASSESSMENTS], 1),  # Fails (per this spec): empty group
    (" RC8", "2024-06-14", [NO_GROUPS], 1),  # Fails (per this spec): trimmed
    ("RC8", "2024-06-14", [assessment("2024-05-02", "2024-06-14")], 0),  # Passes
    ("RC9", "2024-06-14", [assessment(None, "2024-06-14")], 0),  # a group with content counts
    ("RC9", "2024-06-14", [assessment(None, None, factors=("21",))], 0),
    ("RC7", "2024-06-14", [NO_GROUPS], 0),  # Passes
    ("rc8", "2024-06-14", [NO_GROUPS], 0),
])
def test_8825Q_closed_after_assessment_without_assessment(issues, reason, close, groups,
                                                          expected):
    found = issues("8825Q", episode(*groups, ref="2024-05-01", close=close, reason=reason))
    assert len(found) == expected
    for issue in found:
        assert where(issue) == [("CINdetails[1]", "ReasonForClosure")]
        assert issue.severity == "query"


def test_8825Q_assessments_in_other_episodes_do_not_count(issues):
    found = issues("8825Q",
                   episode(NO_GROUPS, ref="2024-05-01", close="2024-06-14", reason="RC8"),
                   episode(assessment("2024-07-02", "2024-07-20"), ref="2024-07-01"))
    assert [issue.places[0].path for issue in found] == ["CINdetails[1]"]


def test_8825Q_auto_ok_note_is_emitted_exactly(validate):
    report = validate(make_return(child(
        episode(NO_GROUPS, ref="2024-05-01", close="2024-06-14", reason="RC8"))))
    assert AUTO_OK_8825Q in report.notes
    assert AUTO_OK_2991Q not in report.notes


# -- 2991Q --------------------------------------------------------------------------------

def test_2991Q_fails_s47_without_assessment(issues):
    found = issues("2991Q", episode(s47("2024-05-03", not_required="true"), ref="2024-05-01"))
    assert len(found) == 1
    assert where(found[0]) == [("CINdetails[1]/Section47[1]", "S47ActualStartDate"),
                               ("CINdetails[1]", "CINreferralDate")]
    assert found[0].severity == "query"


def test_2991Q_fails_once_naming_both_s47_groups(issues):
    found = issues("2991Q", episode(s47("2024-05-03"), s47("2024-05-20"), ref="2024-05-01"))
    assert len(found) == 1
    assert [place.path for place in found[0].places] == [
        "CINdetails[1]/Section47[1]", "CINdetails[1]/Section47[2]", "CINdetails[1]"]


def test_2991Q_assessment_in_another_episode_does_not_count(issues):
    found = issues("2991Q",
                   episode(assessment("2024-05-02", "2024-06-14"), ref="2024-05-01",
                           close="2024-06-14", reason="RC7"),
                   episode(s47("2024-09-03", not_required="false"), ref="2024-09-02"))
    assert [issue.places[-1].path for issue in found] == ["CINdetails[2]"]


@pytest.mark.parametrize("groups, expected", [
    ([s47("2024-05-03"), EMPTY_ASSESSMENTS], 1),  # Fails (per this spec): empty assessment
    ([s47("2024-05-32")], 1),  # an S47 counts whatever its content
    ([s47(None, not_required="true")], 1),
    ([s47("2024-05-03"), assessment("2024-05-02", None)], 0),  # Passes
    ([s47("2024-05-03"), assessment(None, None, review="2024-05-10", factors=None)], 0),
    ([EMPTY_S47], 0),  # Passes (per this spec): only an empty <Section47/>
    ([NO_GROUPS], 0),
])
def test_2991Q_present_groups_only(issues, groups, expected):
    assert len(issues("2991Q", episode(*groups, ref="2024-05-01"))) == expected


def test_2991Q_auto_ok_note_is_emitted_exactly(validate):
    report = validate(make_return(child(episode(s47("2024-05-03"), ref="2024-05-01"))))
    assert report.notes == [AUTO_OK_2991Q]


# =============================================================================================
# Episodes and their order
# =============================================================================================

# -- 8590 ---------------------------------------------------------------------------------

@pytest.mark.parametrize("episodes, expected", [
    ([""], 1),  # Fails: no <CINdetails> at all
    (["<CINdetails/>"], 1),  # Fails (per this spec): an empty episode is no episode
    (["<CINdetails>  <!-- nothing --> </CINdetails>"], 1),
    (["<CINdetails><ReferralNFA/></CINdetails>"], 0),  # Passes: content does not matter
    ([episode()], 0),
])
def test_8590_child_without_episode(issues, episodes, expected):
    found = issues("8590", *episodes)
    assert len(found) == expected
    for issue in found:
        assert where(issue) == [("ChildIdentifiers", "LAchildID")]
        assert values(issue) == ["C1"]


def test_8590_children_are_not_matched_by_id(validate):
    report = validate(make_return(child(id="C2"), child("", id="C2")))
    found = fired(report, "8590")
    assert [(issue.child.index, issue.child.la_child_id) for issue in found] == [(2, "C2")]


# -- 8815 ---------------------------------------------------------------------------------

@pytest.mark.parametrize("episodes, counted", [
    # Fails: both open further-action: one issue naming E1 and E2
    ([episode(ref="2023-05-02"), episode(ref="2024-09-02")], [1, 2]),
    # Fails (per this spec): FALSE and 0 are false
    ([episode(ref="2023-05-02", nfa="FALSE"), episode(ref="2024-09-02", nfa="0")], [1, 2]),
    # Fails: an invalid closure date leaves E1 open
    ([episode(ref="2023-05-02", close="2024-06-31", reason="RC7"), episode(ref="2024-09-02")],
     [1, 2]),
    # three open further-action episodes: still one issue
    ([episode(ref="2023-05-02"), episode(ref="2024-09-02"), episode(ref="2024-10-02")],
     [1, 2, 3]),
    # Passes: the other open episodes are NFA
    ([episode(ref="2023-05-02"), episode(NO_GROUPS, ref="2024-09-02", nfa="true"),
      episode(NO_GROUPS, ref="2024-10-07", nfa="1")], []),
    # Passes: E1 closed
    ([episode(ref="2023-05-02", close="2024-06-03", reason="RC7"), episode(ref="2024-09-02")],
     []),
    # Passes (Q3): E1's flag is absent, so E1 is not counted (8568 fires)
    ([episode(ref="2023-05-02", nfa=None), episode(ref="2024-09-02")], []),
    # only counted episodes are named, not the open NFA one in between
    ([episode(ref="2023-05-02"), episode(NO_GROUPS, ref="2024-01-02", nfa="true"),
      episode(ref="2024-09-02")], [1, 3]),
])
def test_8815_more_than_one_open_further_action_episode(issues, episodes, counted):
    found = issues("8815", *episodes)
    if not counted:
        assert found == []
        return
    assert len(found) == 1
    assert where(found[0]) == [(f"CINdetails[{n}]", name) for n in counted
                               for name in ("CINclosureDate", "ReferralNFA")]


def test_8815_Q3_flag_not_given_is_not_counted(validate):
    report = validate(make_return(child(episode(ref="2023-05-02", nfa=None),
                                        episode(ref="2024-09-02", nfa="maybe"))))
    assert fired(report, "8815") == []
    assert len(fired(report, "8568")) == 2


# -- 8816 ---------------------------------------------------------------------------------

def test_8816_fails_on_open_episode_with_a_later_referral(validate):
    report = validate(make_return(child(
        episode(ref="2024-05-01"),
        episode(ref="2024-08-01", close="2024-09-01", reason="RC7"))))
    found = fired(report, "8816")
    assert len(found) == 1
    assert where(found[0]) == [("CINdetails[1]", "CINreferralDate"),
                               ("CINdetails[1]", "CINclosureDate"),
                               ("CINdetails[1]", "ReferralNFA"),
                               ("CINdetails[2]", "CINreferralDate")]
    assert len(fired(report, "8820")) == 1  # E2's referral falls inside open E1


def test_8816_document_order_plays_no_part(issues):
    found = issues("8816",
                   episode(ref="2024-08-01", close="2024-09-01", reason="RC7"),
                   episode(ref="2024-05-01"))
    assert len(found) == 1 and found[0].places[0].path == "CINdetails[2]"


@pytest.mark.parametrize("episodes, failing", [
    # Fails: a later NFA referral makes E1 not the latest
    ([episode(ref="2024-05-01"), episode(NO_GROUPS, ref="2024-08-01", nfa="true")], [1]),
    # Passes: E2 is the latest
    ([episode(ref="2024-05-01", close="2024-06-01", reason="RC7"), episode(ref="2024-08-01")],
     []),
    # Passes (tie, Q4): E1 closed listed first, E2 open second (the implementation fires on E2)
    ([episode(ref="2024-05-01", close="2024-06-01", reason="RC7"), episode(ref="2024-05-01")],
     []),
    # Passes (tie, Q4) in the other order too
    ([episode(ref="2024-05-01"), episode(ref="2024-05-01", close="2024-06-01", reason="RC7")],
     []),
    # Passes: E1 is not a further-action episode
    ([episode(NO_GROUPS, ref="2024-05-01", nfa="true"), episode(ref="2024-08-01")], []),
    # Passes: flag not given
    ([episode(ref="2024-05-01", nfa=None), episode(ref="2024-08-01", close="2024-09-01",
                                                   reason="RC7")], []),
    # Passes (silent): E1 has no referral date
    ([episode(ref=None), episode(ref="2024-08-01", close="2024-09-01", reason="RC7")], []),
    # an episode with an invalid referral date is not "another episode" either
    ([episode(ref="2024-05-01"), episode(ref="2024-08-32", close="2024-09-01", reason="RC7")],
     []),
    # an invalid closure date makes E1 open
    ([episode(ref="2024-05-01", close="2024-06-31", reason="RC7"), episode(ref="2024-08-01",
                                                                           close="2024-09-01",
                                                                           reason="RC7")],
     [1]),
    # one issue per open further-action episode that is not the latest
    ([episode(ref="2024-05-01"), episode(ref="2024-06-01"),
      episode(ref="2024-08-01", close="2024-09-01", reason="RC7")], [1, 2]),
])
def test_8816_open_further_action_episode_not_latest(issues, episodes, failing):
    found = issues("8816", *episodes)
    assert [issue.places[0].path for issue in found] == [f"CINdetails[{n}]" for n in failing]


def test_8816_names_every_episode_holding_the_latest_date(issues):
    found = issues("8816", episode(ref="2024-05-01"),
                   episode(NO_GROUPS, ref="2024-08-01", nfa="true"),
                   episode(ref="2024-08-01", close="2024-09-01", reason="RC7"))
    assert len(found) == 1
    assert where(found[0])[3:] == [("CINdetails[2]", "CINreferralDate"),
                                   ("CINdetails[3]", "CINreferralDate")]


# -- 8820 ---------------------------------------------------------------------------------

@pytest.mark.parametrize("episodes, pairs", [
    # Fails: A (2nd) inside B (1st); one issue
    ([closed_rc7("2024-05-01", "2024-07-01"), closed_rc7("2024-06-30", "2024-08-01")], [(2, 1)]),
    # Passes (boundary): A starts on the day B closed
    ([closed_rc7("2024-05-01", "2024-07-01"), closed_rc7("2024-07-01", "2024-08-01")], []),
    # Fails twice: same referral date, each inside the other
    ([closed_rc7("2024-05-01", "2024-07-01"), closed_rc7("2024-05-01", "2024-08-01")],
     [(1, 2), (2, 1)]),
    # Fails: open further-action B runs up to 2025-03-30
    ([open_episode("2024-05-01"), closed_rc7("2025-03-30", "2025-03-31")], [(2, 1)]),
    # Passes (boundary, Q5): a referral on ReferenceDate is not inside an open episode
    ([open_episode("2024-05-01"), closed_rc7("2025-03-31", "2025-03-31")], []),
    # Fails: an NFA referral during an open case
    ([open_episode("2024-05-01"), open_episode("2024-09-02", nfa="true")], [(2, 1)]),
    # Passes: open NFA B has no span (case c)
    ([open_episode("2024-05-01", nfa="true"), closed_rc7("2024-06-01", "2024-07-01")], []),
    # Fails: a closed NFA episode has a span
    ([closed_rc7("2024-05-01", "2024-05-20", nfa="true"), closed_rc7("2024-05-10", "2024-06-01")],
     [(2, 1)]),
    # Passes: open B with the flag absent has no span
    ([open_episode("2024-05-01", nfa=None), closed_rc7("2024-06-01", "2024-07-01")], []),
    # a pair with an absent or invalid referral date is skipped
    ([closed_rc7(None, "2024-07-01"), closed_rc7("2024-06-01", "2024-08-01")], []),
    ([closed_rc7("2024-05-01", "2024-07-01"), closed_rc7("2024-06-31", "2024-08-01")], []),
    # an invalid closure date makes B open: further-action B then runs to ReferenceDate
    ([closed_rc7("2024-05-01", "2024-05-32"), closed_rc7("2024-09-01", "2024-10-01")], [(2, 1)]),
    ([closed_rc7("2024-05-01", "2024-05-32", nfa="true"), closed_rc7("2024-09-01", "2024-10-01")],
     []),
    # B closed before its referral (8630) has an empty span; A's span still holds B's referral
    ([closed_rc7("2024-06-01", "2024-05-01"), closed_rc7("2024-05-15", "2024-05-20")], []),
    ([closed_rc7("2024-06-01", "2024-05-01"), closed_rc7("2024-05-15", "2024-07-01")], [(1, 2)]),
    # a referral on B's closure date itself is outside B; on B's referral date it is inside
    ([closed_rc7("2024-05-01", "2024-05-01"), closed_rc7("2024-05-01", "2024-06-01")], [(1, 2)]),
])
def test_8820_overlapping_episodes(issues, episodes, pairs):
    found = issues("8820", *episodes)
    assert [(int(i.places[0].path[11:-1]), int(i.places[1].path[11:-1])) for i in found] == pairs
    for issue in found:
        assert [place.field for place in issue.places] == [
            "CINreferralDate", "CINreferralDate", "CINclosureDate"]
        assert issue.places[1].path == issue.places[2].path


def test_8820_fires_with_8815_and_8816_on_two_open_episodes(validate):
    report = validate(make_return(child(episode(ref="2023-05-02"), episode(ref="2024-09-02"))))
    assert len(fired(report, "8815")) == 1
    assert [i.places[0].path for i in fired(report, "8816")] == ["CINdetails[1]"]
    assert [(i.places[0].path, i.places[1].path) for i in fired(report, "8820")] == [
        ("CINdetails[2]", "CINdetails[1]")]


def test_8820_never_combines_two_children_with_the_same_id(validate):
    report = validate(make_return(child(closed_rc7("2024-05-01", "2024-07-01"), id="C1"),
                                  child(closed_rc7("2024-06-01", "2024-08-01"), id="C1")))
    assert fired(report, "8820") == []


# =============================================================================================
# A clean child raises nothing from this group
# =============================================================================================

def test_default_child_is_clean_for_group2(validate):
    report = validate(make_return(child(
        episode(assessment("2024-05-02", "2024-05-20"), ref="2024-05-01", close="2024-06-01",
                reason="RC8"),
        episode(assessment(), s47(), cpp(), cin_plan(), ref="2024-06-03"),
    )))
    assert {issue.code for issue in report.issues} & GROUP2_CODES == set()


# =============================================================================================
# Readings and boundaries across the group (spec S1 ReferenceDate, S2 reading values, S3 one
# child, S5 episode status, and the rule sections)
# =============================================================================================

# -- S1: the ReferenceDate falls back to the year's and shifts with a valid header --------------

# The year's own ReferenceDate, and headers whose ReferenceDate is no valid date, so that the
# rules use the year's instead (S1).
HEADERS_MEANING_THE_YEARS_DATE = [REFERENCE_DATE, *UNREAD_REFERENCE_DATES]


@pytest.mark.parametrize("reference_date", HEADERS_MEANING_THE_YEARS_DATE)
@pytest.mark.parametrize("ref, expected", [("2024-03-27", 1), ("2024-03-28", 0)])
def test_8569Q_cut_off_with_absent_or_invalid_header_is_2024_03_28(issues, reference_date, ref,
                                                                   expected):
    found = issues("8569Q", open_episode(ref, nfa="true"), reference_date=reference_date)
    assert len(found) == expected


@pytest.mark.parametrize("reference_date", HEADERS_MEANING_THE_YEARS_DATE)
@pytest.mark.parametrize("close, expected", [
    ("2024-03-31", 1), ("2024-04-01", 0), ("2025-03-31", 0), ("2025-04-01", 1)])
def test_8620_census_year_with_absent_or_invalid_header(issues, reference_date, close, expected):
    found = issues("8620", closed_rc7("2024-01-02", close), reference_date=reference_date)
    assert len(found) == expected


@pytest.mark.parametrize("close, expected", [
    ("2023-03-31", 1), ("2023-04-01", 0), ("2024-03-31", 0), ("2024-04-01", 1)])
def test_8620_census_year_shifts_with_a_valid_header(issues, close, expected):
    found = issues("8620", closed_rc7("2022-01-04", close), reference_date="2024-03-31")
    assert len(found) == expected


@pytest.mark.parametrize("reference_date, a_ref, expected", [
    # header 2024-03-31: the open further-action episode lasts up to and including 2024-03-30
    ("2024-03-31", "2024-03-30", 1),
    ("2024-03-31", "2024-03-31", 0),
    ("2024-03-31", "2024-04-01", 0),
    # an invalid or absent header: up to and including 2025-03-30
    ("2025-13-31", "2025-03-30", 1),
    ("2025-13-31", "2025-03-31", 0),
    (None, "2025-03-30", 1),
    (None, "2025-03-31", 0),
])
def test_8820_open_episode_lasts_to_the_effective_reference_date(issues, reference_date, a_ref,
                                                                 expected):
    found = issues("8820", open_episode("2023-05-01"), closed_rc7(a_ref, a_ref),
                   reference_date=reference_date)
    assert [(i.places[0].path, i.places[1].path) for i in found] == [
        ("CINdetails[2]", "CINdetails[1]")] * expected


def test_8820_boundary_referral_on_reference_date_is_reported_by_8816_instead(validate):
    report = validate(make_return(child(open_episode("2024-05-01"),
                                        closed_rc7("2025-03-31", "2025-03-31"))))
    assert fired(report, "8820") == []
    assert [i.places[0].path for i in fired(report, "8816")] == ["CINdetails[1]"]


# -- S2: a flag that is not true/false/1/0 is "not given" in every rule ----------------------

@pytest.mark.parametrize("flag", ["yes", "Y", "2", "1.0", "-1", "t", "f", "no"])
def test_invalid_flag_is_neither_nfa_nor_further_action(validate, flag):
    report = validate(make_return(child(
        # an open episode whose flag is invalid, followed by an open further-action episode
        episode(assessment("2024-05-02", None), cpp("2024-05-10", None), ref="2024-05-01",
                need=None, nfa=flag),
        open_episode("2024-08-01"))))
    assert len(fired(report, "8568")) == 1
    assert fired(report, "8610") == []  # needs false
    assert fired(report, "8831") == []  # needs true
    assert fired(report, "8832") == []  # needs true
    assert fired(report, "8815") == []  # not counted (Q3)
    assert fired(report, "8816") == []  # not checked as E
    # an open episode whose flag is not given has no span (8820 case c)
    assert fired(report, "8820") == []


@pytest.mark.parametrize("flag", ["yes", "2"])
def test_8569Q_invalid_flag_is_not_false_so_it_fires(issues, flag):
    assert len(issues("8569Q", open_episode("2023-11-06", nfa=flag))) == 1


@pytest.mark.parametrize("flag", [" False ", "fAlSe", "\n0\n"])
def test_false_in_any_case_and_trimmed_counts_as_further_action(validate, flag):
    report = validate(make_return(child(
        episode(NO_GROUPS, ref="2024-05-01", need=None, nfa=flag),
        open_episode("2024-08-01"))))
    assert len(fired(report, "8610")) == 1
    assert len(fired(report, "8815")) == 1
    assert len(fired(report, "8816")) == 1
    assert len(fired(report, "8820")) == 1
    assert fired(report, "8568") == []


@pytest.mark.parametrize("flag", [" True ", "tRUE", " 1 "])
def test_true_in_any_case_and_trimmed_counts_as_nfa(validate, flag):
    report = validate(make_return(child(
        episode(assessment("2024-05-02", None), cpp("2024-05-10", None), ref="2024-05-01",
                nfa=flag))))
    assert len(fired(report, "8831")) == 1
    assert len(fired(report, "8832")) == 1


# -- S2: dates with whitespace are read; malformed ones are absent ---------------------------

def test_dates_with_surrounding_whitespace_are_compared(issues):
    found = issues("1103", episode(assessment(" 2024-06-09 ", None), ref="\n2024-06-10\t"))
    assert len(found) == 1


@pytest.mark.parametrize("bad", ["2024-07-02T00:00:00", "02/07/2024", "2024-7-2", "2024-02-30"])
def test_8565_malformed_activity_date_is_ignored(issues, bad):
    found = issues("8565", episode(assessment("2024-05-02", bad), ref="2024-05-01",
                                   close="2024-07-01", reason="RC7"))
    assert found == []


@pytest.mark.parametrize("bad", ["2024-07-01T00:00:00", "01/07/2024"])
def test_8810_malformed_closure_date_counts_as_absent(issues, bad):
    assert len(issues("8810", closed_rc7("2024-05-01", bad))) == 1
    assert issues("8805", episode(NO_GROUPS, ref="2024-05-01", close=bad)) == []


# -- S3: rules never combine two <Child> elements, even with the same LAchildID --------------

def test_8585Q_death_date_of_another_child_with_the_same_id_does_not_count(validate):
    report = validate(make_return(
        child(closed_rc7("2024-05-01", "2024-06-01"), id="C1", dod="2024-06-01"),
        child(episode(NO_GROUPS, ref="2024-05-01", close="2024-09-10", reason="RC2"), id="C1")))
    found = fired(report, "8585Q")
    assert [issue.child.index for issue in found] == [2]


def test_8555Q_death_date_of_another_child_with_the_same_id_does_not_count(validate):
    report = validate(make_return(
        child(closed_rc7("2024-05-01", "2024-06-01"), id="C1", dod="2024-06-01"),
        child(open_episode("2024-09-02"), id="C1")))
    assert fired(report, "8555Q") == []


def test_8606_birth_date_of_another_child_with_the_same_id_does_not_count(validate):
    report = validate(make_return(
        child(open_episode("2024-05-01"), id="C1", dob="2025-03-01"),
        child(open_episode("2024-05-01"), id="C1", dob="2010-01-01")))
    assert [issue.child.index for issue in fired(report, "8606")] == [1]


def test_8815_and_8816_episodes_of_another_child_with_the_same_id_do_not_count(validate):
    report = validate(make_return(child(open_episode("2024-05-01"), id="C1"),
                                  child(open_episode("2024-08-01"), id="C1")))
    assert fired(report, "8815") == []
    assert fired(report, "8816") == []


def test_2991Q_assessment_of_another_child_with_the_same_id_does_not_count(validate):
    report = validate(make_return(
        child(episode(assessment("2024-05-02", "2024-05-20"), ref="2024-05-01"), id="C1"),
        child(episode(s47("2024-05-03"), ref="2024-05-01"), id="C1")))
    assert [issue.child.index for issue in fired(report, "2991Q")] == [2]


# -- S3: empty groups and empty episodes -----------------------------------------------------

def test_empty_episode_between_real_ones_keeps_document_positions(issues):
    # An empty <CINdetails/> is no episode, but positions still count it (S7: paths count
    # elements in document order).
    found = issues("8600", episode(ref="2024-05-01", close="2024-06-01", reason="RC7"),
                   "<CINdetails/>", episode(ref=None))
    assert [issue.places[0].path for issue in found] == ["CINdetails[3]"]


def test_empty_episodes_do_not_count_for_8815_or_8820(validate):
    report = validate(make_return(child(open_episode("2024-05-01"), "<CINdetails/>",
                                        "<CINdetails> </CINdetails>")))
    assert fired(report, "8590") == []
    assert fired(report, "8815") == []
    assert fired(report, "8820") == []


def test_episode_holding_only_empty_values_is_present(validate):
    # "A group with at least one child element is present, even if every child is empty."
    report = validate(make_return(child(
        "<CINdetails><CINreferralDate/><ReferralNFA/></CINdetails>")))
    assert fired(report, "8590") == []
    assert len(fired(report, "8600")) == 1
    assert len(fired(report, "8568")) == 1
    assert fired(report, "8866") == []  # silent without a referral date


@pytest.mark.parametrize("group, code", [
    ("<Section47><ICPCnotRequired>true</ICPCnotRequired></Section47>", "2990"),
    ("<CINPlanDates><CINPlanStartDate/></CINPlanDates>", "2990"),
    ("<ChildProtectionPlans><CPPstartDate> </CPPstartDate></ChildProtectionPlans>", "2990"),
])
def test_2990_group_with_only_empty_or_undated_children_is_present(issues, group, code):
    found = issues(code, episode(assessment("2024-05-02", "2024-06-14"), group,
                                 ref="2024-05-01", close="2024-06-14", reason="RC9"))
    assert len(found) == 1


def test_8825Q_assessment_with_only_an_empty_start_date_counts(issues):
    # "<Assessments><AssessmentActualStartDate/></Assessments> is an assessment with no start."
    found = issues("8825Q", episode("<Assessments><AssessmentActualStartDate/></Assessments>",
                                    ref="2024-05-01", close="2024-06-14", reason="RC8"))
    assert found == []


def test_2991Q_s47_with_only_the_flag_counts(issues):
    found = issues("2991Q", episode("<Section47><ICPCnotRequired>true</ICPCnotRequired>"
                                    "</Section47>", ref="2024-05-01"))
    assert len(found) == 1
    assert where(found[0]) == [("CINdetails[1]/Section47[1]", "S47ActualStartDate"),
                               ("CINdetails[1]", "CINreferralDate")]
    assert found[0].places[0].value is None


# -- rule details not pinned elsewhere -------------------------------------------------------

def test_8815_referral_dates_play_no_part(issues):
    found = issues("8815", open_episode(None), open_episode("2024-13-01"))
    assert len(found) == 1
    assert where(found[0]) == [("CINdetails[1]", "CINclosureDate"), ("CINdetails[1]", "ReferralNFA"),
                               ("CINdetails[2]", "CINclosureDate"), ("CINdetails[2]", "ReferralNFA")]


def test_8815_one_issue_per_child_not_per_return(validate):
    report = validate(make_return(
        child(open_episode("2024-05-01"), open_episode("2024-08-01"), id="C1"),
        child(open_episode("2024-05-01"), open_episode("2024-08-01"), id="C2")))
    assert [issue.child.la_child_id for issue in fired(report, "8815")] == ["C1", "C2"]


def test_8816_closure_date_of_the_later_episode_plays_no_part(issues):
    # "Latest" is by referral date only: a later referral that closed earlier still counts.
    found = issues("8816", open_episode("2024-05-01"), closed_rc7("2024-08-01", "2024-08-01"))
    assert len(found) == 1


def test_8816_latest_episode_invalid_closure_is_open_and_still_latest(issues):
    found = issues("8816", closed_rc7("2024-05-01", "2024-06-01"),
                   closed_rc7("2024-08-01", "2024-08-32"))
    assert found == []


def test_8816_values_quote_the_file(issues):
    found = issues("8816", closed_rc7("2024-05-01", "2024-13-01"), open_episode("2024-08-01",
                                                                                nfa="true"))
    assert len(found) == 1
    assert [place.value for place in found[0].places] == [
        "2024-05-01", "2024-13-01", "false", "2024-08-01"]


def test_8820_identical_episodes_are_two_instances(issues):
    same = closed_rc7("2024-05-01", "2024-07-01")
    assert len(issues("8820", same, same)) == 2


def test_8820_zero_length_closed_episode_contains_nothing(issues):
    assert issues("8820", closed_rc7("2024-05-01", "2024-05-01"),
                  closed_rc7("2024-05-01", "2024-05-01")) == []


def test_8820_three_episodes_give_one_issue_per_ordered_pair(issues):
    found = issues("8820", closed_rc7("2024-05-01", "2024-09-01"),
                   closed_rc7("2024-06-01", "2024-07-01"), closed_rc7("2024-06-15", "2024-08-01"))
    pairs = sorted((i.places[0].path[-2], i.places[1].path[-2]) for i in found)
    assert pairs == [("2", "1"), ("3", "1"), ("3", "2")]


def test_8565_cpp_start_and_review_are_not_activity_but_end_is(issues):
    found = issues("8565", episode(cpp("2024-07-05", "2024-07-10", reviews=("2024-07-08",)),
                                   ref="2024-05-01", close="2024-07-01", reason="RC7"))
    assert len(found) == 1
    assert where(found[0]) == [("CINdetails[1]", "CINclosureDate"),
                               ("CINdetails[1]/ChildProtectionPlans[1]", "CPPendDate")]


def test_8565_every_s47_group_is_checked(issues):
    found = issues("8565", episode(s47("2024-05-02", cpc="2024-05-20", not_required="false"),
                                   s47("2024-06-02", cpc="2024-07-02", not_required="false"),
                                   ref="2024-05-01", close="2024-07-01", reason="RC7"))
    assert len(found) == 1
    assert where(found[0])[1:] == [("CINdetails[1]/Section47[2]", "DateOfInitialCPC")]


def test_8565_activity_in_a_later_episode_is_not_checked(issues):
    found = issues("8565", closed_rc7("2024-05-01", "2024-07-01"),
                   episode(assessment("2024-08-02", None), ref="2024-08-01"))
    assert found == []


def test_8831_one_issue_per_nfa_episode(issues):
    nfa_with_assessment = episode(assessment("2024-05-02", None), ref="2024-05-01", nfa="true")
    found = issues("8831", nfa_with_assessment, nfa_with_assessment)
    assert [issue.places[0].path for issue in found] == ["CINdetails[1]", "CINdetails[2]"]


def test_8832_fields_and_values(issues):
    found = issues("8832", episode(cpp("2024-05-02", None), ref="2024-05-01", nfa=" TRUE "))
    assert len(found) == 1
    assert found[0].fields == ["ReferralNFA", "ChildProtectionPlans"]
    assert found[0].places[0].value == "TRUE"


def test_2990_rc8_and_8825Q_together(validate):
    # RC8 with an S47 and no assessment: 2990 (the S47) and 8825Q (no assessment) both fire,
    # and 2991Q fires on the S47 without an assessment.
    report = validate(make_return(child(episode(
        s47("2024-05-02"), ref="2024-05-01", close="2024-06-14", reason="RC8"))))
    assert len(fired(report, "2990")) == 1
    assert len(fired(report, "8825Q")) == 1
    assert len(fired(report, "2991Q")) == 1


@pytest.mark.parametrize("reason", ["RC8", "RC9", " RC9\n"])
def test_2990_assessments_and_factors_are_allowed(issues, reason):
    found = issues("2990", episode(assessment("2024-05-02", "2024-06-14", factors=("1A", "2B")),
                                   assessment("2024-05-03", None), ref="2024-05-01",
                                   close="2024-06-14", reason=reason))
    assert found == []


@pytest.mark.parametrize("dod, ref, expected", [
    (" 2024-06-01 ", "2024-06-02", 1),
    ("2024-06-01", "2024-06-02T00:00:00", 0),  # invalid referral date: silent
])
def test_8555Q_reading_values(issues, dod, ref, expected):
    assert len(issues("8555Q", open_episode(ref), dod=dod)) == expected


@pytest.mark.parametrize("dob, ref, expected", [
    # DOB 2025-03-31: 280 days before is 2024-06-24
    ("2025-03-31", "2024-06-23", 1),
    ("2025-03-31", "2024-06-24", 0),
])
def test_8606_second_boundary(issues, dob, ref, expected):
    assert len(issues("8606", open_episode(ref), dob=dob)) == expected


@pytest.mark.parametrize("source", ["1A", "1B", "1C", "1D", "2A", "2B", "3A", "3B", "3C", "3D",
                                    "3E", "3F", "4", "5A", "5B", "5C", "5D", "6", "7", "8", "9",
                                    "10"])
def test_8866_all_22_sources_pass(issues, source):
    assert issues("8866", open_episode("2024-05-01").replace(
        "<ReferralSource>1A</ReferralSource>", f"<ReferralSource>{source}</ReferralSource>")) == []


@pytest.mark.parametrize("source", ["1E", "3G", "5", "3", "1", "11", "0", "A1", "1 A"])
def test_8866_codes_outside_the_set_fire(issues, source):
    assert len(issues("8866", episode(NO_GROUPS, ref="2024-05-01", source=source))) == 1


def test_8866_fires_on_an_nfa_episode_with_a_pre_census_referral(issues):
    # the NFA flag plays no part; neither does the census year
    assert len(issues("8866", episode(NO_GROUPS, ref="2015-01-05", source=None,
                                      nfa="true"))) == 1


# -- S1 at the edge of the calendar: a valid year-1 ReferenceDate must not crash -------------

@pytest.mark.parametrize("reference_date, fires_8569Q", [
    ("0001-03-31", 0), ("0001-01-01", 0),  # no census year before: no cut-off to be before
    ("0002-04-01", 1),  # census start 0001-04-02: a referral on 0001-01-01 is before its cut-off
])
def test_group2_survives_a_reference_date_at_the_start_of_the_calendar(tmp_path, reference_date,
                                                                       fires_8569Q):
    from cin_validate.checks import episodes as group2
    from cin_validate.engine import validate_file
    from cin_validate.selection import Selection

    path = tmp_path / "return.xml"
    path.write_text(make_return(child(open_episode("0001-01-01", nfa="true"),
                                      open_episode("0001-02-01")), reference_date=reference_date))
    report = validate_file(path, selection=Selection(group2.CHILD_CHECKS))
    assert report.reference_date.isoformat() == reference_date
    assert len(fired(report, "8569Q")) == fires_8569Q
