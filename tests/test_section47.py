"""Group 4, Section 47 enquiries and initial conferences: 2884, 8615, 8675Q, 8715, 8740, 8839,
8868, 8870Q, 8875, 8890 (spec: rules/group4-s47-cpp.md).

Every return here has ReferenceDate 2025-03-31 unless a test says otherwise; the tests look only
at the rule under test, so rules of other groups may fire on the same return.
"""

from __future__ import annotations

import pytest

from builders import LAST_YEARS_REFERENCE_DATE, child, el, episode, make_return, one_episode, s47
from conftest import FALLBACK_HEADERS, fired, places

NOTE_8675Q = ("8675Q: All records have been checked and can confirm that the data has been "
              "amended (where required). All remaining queries relate to initial child protection "
              "conferences that took place after the year end.")


# --- 2884: conference recorded at both the CIN and the S47 level ---------------------------


def test_2884_fails_same_date_in_same_episode(validate):
    report = validate(one_episode(s47("2024-05-01", cpc="2024-05-20", not_required="false"),
                                  cpc="2024-05-20"))
    [issue] = fired(report, "2884")
    assert issue.child.la_child_id == "C1"
    assert issue.fields == ["DateOfInitialCPC"]
    assert places(issue) == [("CINdetails[1]", "DateOfInitialCPC", "2024-05-20"),
                             ("CINdetails[1]/Section47[1]", "DateOfInitialCPC", "2024-05-20")]


@pytest.mark.parametrize("cin_level, s47_level", [
    ("2024-05-20", "2024-10-25"),  # transfer-in with a later local S47 and its own conference
    (None, "2024-05-20"),
    ("2024-05-20", None),
    (None, None),
    ("2024-02-30", "2024-02-30"),  # invalid dates are never compared, even when equal as text
])
def test_2884_passes_when_dates_differ_or_either_is_missing(validate, cin_level, s47_level):
    report = validate(one_episode(s47("2024-10-07", cpc=s47_level, not_required="false"),
                                  cpc=cin_level))
    assert fired(report, "2884") == []


def test_2884_open_question_3_child_wide_across_episodes(validate):
    report = validate(make_return(child(
        episode(ref="2024-05-01", close="2024-08-01", reason="RC1", cpc="2024-05-20"),
        episode(s47("2024-09-02", cpc="2024-05-20", not_required="false"), ref="2024-09-02"))))
    [issue] = fired(report, "2884")
    assert places(issue) == [("CINdetails[1]", "DateOfInitialCPC", "2024-05-20"),
                             ("CINdetails[2]/Section47[1]", "DateOfInitialCPC", "2024-05-20")]


def test_2884_one_issue_per_matching_s47_group(validate):
    report = validate(one_episode(s47("2024-05-01", cpc="2024-05-20", not_required="false"),
                                  s47("2024-05-02", cpc="2024-05-20", not_required="false"),
                                  s47("2024-05-03", cpc="2024-05-21", not_required="false"),
                                  cpc="2024-05-20"))
    assert [issue.places[-1].path for issue in fired(report, "2884")] == [
        "CINdetails[1]/Section47[1]", "CINdetails[1]/Section47[2]"]


def test_2884_never_pairs_different_child_elements_even_with_the_same_id(validate):
    report = validate(make_return(
        child(episode(cpc="2024-05-20"), id="C1"),
        child(episode(s47("2024-05-01", cpc="2024-05-20", not_required="false")), id="C1")))
    assert fired(report, "2884") == []


# --- 8615: S47 start present and not after the conference ----------------------------------


@pytest.mark.parametrize("start, cpc", [
    ("2024-05-21", "2024-05-20"),
    (None, "2024-05-20"),
    ("", "2024-05-20"),
    ("2024-13-01", "2024-05-20"),
])
def test_8615_fails_start_after_conference_missing_or_invalid(validate, start, cpc):
    report = validate(one_episode(s47(start, cpc=cpc, not_required="false")))
    [issue] = fired(report, "8615")
    assert issue.fields == ["S47ActualStartDate", "DateOfInitialCPC"]
    assert places(issue)[1] == ("CINdetails[1]/Section47[1]", "DateOfInitialCPC", cpc)


@pytest.mark.parametrize("start, cpc", [
    ("2024-05-20", "2024-05-20"),  # boundary: the same day is allowed
    ("2024-05-19", "2024-05-20"),
    (None, None),  # no conference: not this rule's case
    (None, "2024-05-32"),  # an invalid conference date is absent
])
def test_8615_passes(validate, start, cpc):
    assert fired(validate(one_episode(s47(start, cpc=cpc, not_required="false"))), "8615") == []


# --- 8675Q: no conference and started more than 15 working days before year end -------------


@pytest.mark.parametrize("start", [
    "2025-03-07",  # last firing working day (Friday)
    "2025-03-08",  # Saturday: S47 start dates may be non-working days
    "2025-03-09",  # Sunday, the last firing date
    "2024-06-03",
    "2023-05-02",  # no lower limit
])
def test_8675Q_fires_before_cut_off_2025_03_10(validate, start):
    report = validate(one_episode(s47(start, not_required="false")))
    [issue] = fired(report, "8675Q")
    assert issue.severity == "query"
    assert issue.fields == ["S47ActualStartDate", "DateOfInitialCPC", "ICPCnotRequired"]
    assert places(issue) == [("CINdetails[1]/Section47[1]", "S47ActualStartDate", start),
                             ("CINdetails[1]/Section47[1]", "DateOfInitialCPC", None),
                             ("CINdetails[1]/Section47[1]", "ICPCnotRequired", "false")]
    assert report.notes.count(NOTE_8675Q) == 1


@pytest.mark.parametrize("start", ["2025-03-10", "2025-03-11", "2025-03-31"])
def test_8675Q_boundary_first_non_firing_start_2025_03_10(validate, start):
    """Open question 1: the cut-off day itself is silent (the implementation fires on it)."""
    report = validate(one_episode(s47(start, not_required="false")))
    assert fired(report, "8675Q") == []
    assert NOTE_8675Q not in report.notes


@pytest.mark.parametrize("flag", ["false", "0", "FALSE", " False "])
def test_8675Q_flag_false_in_any_case_fires(validate, flag):
    assert len(fired(validate(one_episode(s47("2024-06-03", not_required=flag))), "8675Q")) == 1


@pytest.mark.parametrize("group", [
    s47("2024-06-03", not_required="true"),
    s47("2024-06-03", not_required="1"),
    s47("2024-06-03", not_required=None),  # flag not given: not false
    s47("2024-06-03", not_required=""),
    s47("2024-06-03", not_required="no"),
    s47("2024-06-03", cpc="2024-06-17", not_required="false"),
    s47(None, not_required="false"),
    s47("2024-06-31", not_required="false"),  # invalid start
])
def test_8675Q_silent(validate, group):
    assert fired(validate(one_episode(group)), "8675Q") == []


def test_8675Q_invalid_conference_date_counts_as_absent(validate):
    report = validate(one_episode(s47("2024-06-03", cpc="17/06/2024", not_required="false")))
    assert len(fired(report, "8675Q")) == 1


def test_8675Q_one_issue_per_group_and_one_note(validate):
    report = validate(make_return(
        child(episode(s47("2024-06-03", not_required="false"),
                      s47("2024-09-02", not_required="false")), id="C1"),
        child(episode(s47("2024-10-01", not_required="0")), id="C2")))
    assert [(i.child.la_child_id, i.places[0].path) for i in fired(report, "8675Q")] == [
        ("C1", "CINdetails[1]/Section47[1]"), ("C1", "CINdetails[1]/Section47[2]"),
        ("C2", "CINdetails[1]/Section47[1]")]
    assert report.notes.count(NOTE_8675Q) == 1


@pytest.mark.parametrize("start, fires", [("2024-03-07", True), ("2024-03-08", False)])
def test_8675Q_cut_off_follows_header_reference_date(validate, start, fires):
    """ReferenceDate 2024-03-31 (a Sunday; Good Friday 2024-03-29): the cut-off is 2024-03-08."""
    report = validate(one_episode(s47(start, not_required="false"), ref="2023-06-01",
                                  reference_date="2024-03-31"))
    assert len(fired(report, "8675Q")) == fires


# --- 8715: S47 conference within the census year -------------------------------------------


@pytest.mark.parametrize("cpc, fires", [
    ("2024-03-31", True),  # boundary, also a Sunday (8875)
    ("2024-03-28", True),
    ("2024-04-01", False),
    ("2025-03-31", False),
    ("2025-04-01", True),
    (None, False),
    ("2024-03-32", False),  # invalid: silent
])
def test_8715_census_year_boundaries(validate, cpc, fires):
    report = validate(one_episode(s47("2024-03-20", cpc=cpc, not_required="false")))
    issues = fired(report, "8715")
    assert len(issues) == fires
    if fires:
        assert places(issues[0]) == [("CINdetails[1]/Section47[1]", "DateOfInitialCPC", cpc)]


def test_8715_and_8875_fire_together_on_sunday_2024_03_31(validate):
    report = validate(one_episode(s47("2024-03-20", cpc="2024-03-31", not_required="false")))
    assert len(fired(report, "8715")) == len(fired(report, "8875")) == 1


def test_8715_open_question_8_cin_level_conference_not_checked(validate):
    report = validate(one_episode(cpc="2023-03-28", ref="2023-03-01"))
    assert fired(report, "8715") == []


def test_8715_period_follows_header_reference_date(validate):
    xml = one_episode(s47("2023-05-01", cpc="2023-05-02", not_required="false"),
                      reference_date="2024-03-31")
    assert fired(validate(xml), "8715") == []


# --- 8740: unconferenced S47 must start in the census year ---------------------------------


@pytest.mark.parametrize("group, fires", [
    (s47("2024-03-31", not_required="false"), True),  # boundary; a Sunday start is allowed
    (s47("2024-04-01", not_required="false"), False),
    (s47("2025-03-31", not_required="false"), False),
    (s47("2025-04-01", not_required="0"), True),
    (s47("2024-03-28", not_required="FALSE"), True),
    (s47("2024-03-28", not_required="true"), False),  # no conference needed
    (s47("2024-03-28", not_required=None), False),  # flag not given
    (s47("2024-03-28", cpc="2024-04-15", not_required="false"), False),
    (s47("2024-03-28", cpc="2024-04-31", not_required="false"), True),  # invalid CPC is absent
    (s47(None, not_required="false"), False),
    (s47("2024-3-28", not_required="false"), False),  # invalid start
])
def test_8740(validate, group, fires):
    issues = fired(validate(one_episode(group, ref="2024-03-01")), "8740")
    assert len(issues) == fires
    if fires:
        assert issues[0].fields == ["S47ActualStartDate", "DateOfInitialCPC", "ICPCnotRequired"]


# --- 8839: two or more open S47 groups in one episode --------------------------------------


@pytest.mark.parametrize("second_flag", ["0", None, "", "maybe"])
def test_8839_fails_two_open_groups(validate, second_flag):
    report = validate(one_episode(s47("2024-05-01", not_required="false"),
                                  s47("2024-09-02", not_required=second_flag)))
    [issue] = fired(report, "8839")
    assert issue.fields == ["DateOfInitialCPC", "ICPCnotRequired"]
    assert [p.path for p in issue.places] == ["CINdetails[1]/Section47[1]"] * 2 + [
        "CINdetails[1]/Section47[2]"] * 2


@pytest.mark.parametrize("groups", [
    (s47("2024-05-01", not_required="TRUE"), s47("2024-09-02", not_required="0")),
    (s47("2024-05-01", not_required="false"), s47("2024-09-02", not_required="true")),
    (s47("2024-05-01", cpc="2024-05-20", not_required="false"),
     s47("2024-09-02", not_required="false")),
    (s47("2024-05-01", not_required="false"),),
])
def test_8839_passes(validate, groups):
    assert fired(validate(one_episode(*groups)), "8839") == []


def test_8839_invalid_conference_counts_as_absent(validate):
    report = validate(one_episode(s47("2024-05-01", cpc="2024-05-20T10:00", not_required="0"),
                                  s47("2024-09-02", not_required="0")))
    assert len(fired(report, "8839")) == 1


def test_8839_names_only_open_groups(validate):
    report = validate(one_episode(s47("2024-05-01", not_required="false"),
                                  s47("2024-06-01", not_required="true"),
                                  s47("2024-09-02", not_required="false")))
    [issue] = fired(report, "8839")
    assert {p.path for p in issue.places} == {"CINdetails[1]/Section47[1]",
                                               "CINdetails[1]/Section47[3]"}


def test_8839_counts_within_one_episode_and_reports_per_episode(validate):
    one_each = make_return(child(
        episode(s47("2024-05-01", not_required="false"), ref="2024-05-01"),
        episode(s47("2024-09-02", not_required="false"), ref="2024-09-02")))
    assert fired(validate(one_each), "8839") == []
    two_each = make_return(child(
        episode(s47("2024-05-01", not_required="0"), s47("2024-05-02", not_required="0"),
                ref="2024-05-01"),
        episode(s47("2024-09-02", not_required="0"), s47("2024-09-03", not_required="0"),
                ref="2024-09-02")))
    assert [i.places[0].path for i in fired(validate(two_each), "8839")] == [
        "CINdetails[1]/Section47[1]", "CINdetails[2]/Section47[1]"]


# --- 8868: closed episode with an open S47 -------------------------------------------------


@pytest.mark.parametrize("flag", ["false", None])
def test_8868_fails_closed_episode_with_open_s47(validate, flag):
    report = validate(one_episode(s47("2024-05-01", not_required=flag),
                                  close="2024-10-25", reason="RC1"))
    [issue] = fired(report, "8868")
    assert issue.fields == ["CINclosureDate", "DateOfInitialCPC", "ICPCnotRequired"]
    assert places(issue) == [("CINdetails[1]", "CINclosureDate", "2024-10-25"),
                             ("CINdetails[1]/Section47[1]", "DateOfInitialCPC", None),
                             ("CINdetails[1]/Section47[1]", "ICPCnotRequired", flag)]


@pytest.mark.parametrize("group, close", [
    (s47("2024-05-01", cpc="2024-05-20", not_required="false"), "2024-10-25"),
    (s47("2024-05-01", not_required="1"), "2024-10-25"),
    (s47("2024-05-01", not_required="0"), None),  # the episode is still open
    (s47("2024-05-01", not_required="0"), "2024-10-32"),  # invalid closure: still open
    # the implementation fires here; a conference date completes the group whatever the flag
    (s47("2024-05-01", cpc="2024-05-20", not_required="true"), "2024-10-25"),
    ("", "2024-10-25"),  # no S47 at all
])
def test_8868_passes(validate, group, close):
    assert fired(validate(one_episode(group, close=close, reason="RC1")), "8868") == []


def test_8868_one_issue_per_episode_naming_only_open_groups(validate):
    report = validate(one_episode(s47("2024-05-01", not_required="0"),
                                  s47("2024-06-01", not_required="true"),
                                  s47("2024-07-01", not_required="0"),
                                  close="2024-10-25", reason="RC1"))
    [issue] = fired(report, "8868")
    assert [p.path for p in issue.places] == [
        "CINdetails[1]", "CINdetails[1]/Section47[1]", "CINdetails[1]/Section47[1]",
        "CINdetails[1]/Section47[3]", "CINdetails[1]/Section47[3]"]


# --- 8870Q and 8875: weekend target and conference dates -----------------------------------


@pytest.mark.parametrize("target, fires", [
    ("2025-03-29", True),  # Saturday
    ("2024-12-22", True),  # Sunday
    ("2025-03-28", False),  # Friday
    ("2025-03-31", False),  # Monday
    ("2024-12-25", False),  # Wednesday bank holiday: not a weekend
    ("2024-08-26", False),  # Monday bank holiday
    (None, False),
    ("29-03-2025", False),  # invalid: silent
])
def test_8870Q_target_on_weekend(validate, target, fires):
    report = validate(one_episode(s47("2024-12-01", target=target, not_required="false")))
    issues = fired(report, "8870Q")
    assert len(issues) == fires
    if fires:
        assert issues[0].severity == "query"
        assert places(issues[0]) == [("CINdetails[1]/Section47[1]", "InitialCPCtarget", target)]


@pytest.mark.parametrize("cpc, fires", [
    ("2024-06-15", True),  # Saturday
    ("2024-06-16", True),  # Sunday
    ("2024-06-17", False),  # Monday
    ("2024-12-25", False),  # Wednesday bank holiday
    ("2024-08-26", False),  # Monday bank holiday
    (None, False),
    ("2024-06-15 ", True),  # surrounding whitespace is not significant
    ("15/06/2024", False),
])
def test_8875_conference_on_weekend(validate, cpc, fires):
    report = validate(one_episode(s47("2024-06-03", cpc=cpc, not_required="false")))
    issues = fired(report, "8875")
    assert len(issues) == fires
    if fires:
        assert issues[0].fields == ["DateOfInitialCPC"]
        assert issues[0].places[0].path == "CINdetails[1]/Section47[1]"


def test_8875_open_question_8_cin_level_weekend_not_checked(validate):
    report = validate(one_episode(cpc="2024-06-15", ref="2024-06-01"))
    assert fired(report, "8875") == []


# --- 8890: an S47 starts while another in the same episode is ongoing ----------------------

B_CONFERENCED = s47("2024-05-01", cpc="2024-05-20", not_required="0")


@pytest.mark.parametrize("a_start, fires", [
    ("2024-05-01", True),  # A starts the day B starts
    ("2024-05-20", True),  # boundary: A starts on B's conference day
    ("2024-05-21", False),  # boundary: the day after
    ("2024-04-30", False),
])
def test_8890_boundaries_against_conferenced_group(validate, a_start, fires):
    # A has no conference and no need for one, so it has no interval of its own
    report = validate(one_episode(B_CONFERENCED, s47(a_start, not_required="true")))
    issues = fired(report, "8890")
    assert len(issues) == fires
    if fires:
        assert issues[0].fields == ["S47ActualStartDate", "DateOfInitialCPC"]
        assert places(issues[0]) == [
            ("CINdetails[1]/Section47[2]", "S47ActualStartDate", a_start),
            ("CINdetails[1]/Section47[1]", "S47ActualStartDate", "2024-05-01"),
            ("CINdetails[1]/Section47[1]", "DateOfInitialCPC", "2024-05-20")]


@pytest.mark.parametrize("b_flag", ["0", None, "false"])
def test_8890_open_group_runs_to_reference_date(validate, b_flag):
    report = validate(one_episode(s47("2024-05-01", not_required=b_flag),
                                  s47("2025-03-31", not_required="true")))
    [issue] = fired(report, "8890")
    assert issue.places[0].path == "CINdetails[1]/Section47[2]"


def test_8890_open_b_flag_absent_flags_only_a(validate):
    report = validate(one_episode(s47("2024-05-01", not_required=None),
                                  s47("2024-06-01", cpc="2024-06-10", not_required="false")))
    assert [i.places[0].path for i in fired(report, "8890")] == ["CINdetails[1]/Section47[2]"]


@pytest.mark.parametrize("b", [
    s47("2024-05-01", not_required="true"),  # closed without a conference: no interval
    s47("2024-05-01", not_required="TRUE"),
    s47(None, cpc="2024-05-20", not_required="0"),  # no valid start: skipped
    s47("2024-05-00", cpc="2024-05-20", not_required="0"),
    s47("2024-06-01", cpc="2024-05-20", not_required="0"),  # conference before start: empty
])
def test_8890_groups_without_interval_are_never_collided_with(validate, b):
    report = validate(one_episode(b, s47("2024-05-02", not_required="true")))
    assert fired(report, "8890") == []


def test_8890_conferenced_group_keeps_interval_even_with_flag_true(validate):
    report = validate(one_episode(s47("2024-05-01", cpc="2024-05-20", not_required="true"),
                                  s47("2024-05-10", not_required="true")))
    assert len(fired(report, "8890")) == 1


def test_8890_invalid_conference_makes_b_open(validate):
    report = validate(one_episode(s47("2024-05-01", cpc="2024-05-2", not_required="0"),
                                  s47("2024-12-02", not_required="true")))
    assert len(fired(report, "8890")) == 1


def test_8890_different_episodes_never_compared(validate):
    report = validate(make_return(child(
        episode(B_CONFERENCED, ref="2024-05-01"),
        episode(s47("2024-05-10", not_required="true"), ref="2024-05-10"))))
    assert fired(report, "8890") == []


def test_8890_identical_groups_both_flagged(validate):
    report = validate(one_episode(B_CONFERENCED, B_CONFERENCED))
    issues = fired(report, "8890")
    assert [(i.places[0].path, i.places[1].path) for i in issues] == [
        ("CINdetails[1]/Section47[1]", "CINdetails[1]/Section47[2]"),
        ("CINdetails[1]/Section47[2]", "CINdetails[1]/Section47[1]")]


def test_8890_one_issue_per_group_naming_every_collision(validate):
    report = validate(one_episode(s47("2024-05-01", cpc="2024-05-20", not_required="0"),
                                  s47("2024-05-10", cpc="2024-05-30", not_required="0"),
                                  s47("2024-05-15", not_required="true")))
    issues = fired(report, "8890")
    # 2 starts inside 1; 3 starts inside 1 and 2, one issue naming both
    assert [[p.path for p in i.places if p.field == "S47ActualStartDate"] for i in issues] == [
        ["CINdetails[1]/Section47[2]", "CINdetails[1]/Section47[1]"],
        ["CINdetails[1]/Section47[3]", "CINdetails[1]/Section47[1]", "CINdetails[1]/Section47[2]"]]


# -- the ReferenceDate falls back when absent or invalid, moves when valid (P1) ----------------

@pytest.mark.parametrize("head", FALLBACK_HEADERS)
@pytest.mark.parametrize("start, fires", [("2025-03-09", True), ("2025-03-10", False)])
def test_8675Q_cut_off_2025_03_10_when_reference_date_falls_back(validate, head, start, fires):
    report = validate(one_episode(s47(start, not_required="false"), **head))
    assert len(fired(report, "8675Q")) == fires


@pytest.mark.parametrize("head", FALLBACK_HEADERS)
def test_period_rules_use_the_years_reference_date_when_it_falls_back(validate, head):
    report = validate(one_episode(
        s47("2024-03-31", not_required="false"),  # 8740: before 2024-04-01
        s47("2024-04-02", cpc="2025-04-01", not_required="false"),  # 8715: after 2025-03-31
        ref="2024-03-01", **head))
    assert [i.places[0].path for i in fired(report, "8740")] == ["CINdetails[1]/Section47[1]"]
    assert [i.places[0].path for i in fired(report, "8715")] == ["CINdetails[1]/Section47[2]"]


@pytest.mark.parametrize("start, fires", [
    ("2023-03-31", True), ("2023-04-01", False), ("2024-03-31", False), ("2024-04-01", True),
])
def test_8740_period_follows_header_reference_date(validate, start, fires):
    report = validate(one_episode(s47(start, not_required="false"), ref="2023-03-01",
                                  reference_date=LAST_YEARS_REFERENCE_DATE))
    assert len(fired(report, "8740")) == fires


@pytest.mark.parametrize("a_start, fires", [("2024-03-31", True), ("2024-04-01", False)])
def test_8890_open_group_lasts_to_header_reference_date(validate, a_start, fires):
    report = validate(one_episode(s47("2024-01-02", not_required="false"),
                                  s47(a_start, not_required="true"), ref="2024-01-02",
                                  reference_date=LAST_YEARS_REFERENCE_DATE))
    assert len(fired(report, "8890")) == fires


# -- empty groups (P2), conference levels (P6), groups apart (P3) ------------------------------

def test_empty_section47_groups_are_never_open(validate):
    report = validate(one_episode("<Section47/>", "<Section47>  </Section47>",
                                  close="2024-10-25", reason="RC1"))
    assert fired(report, "8839") == [] and fired(report, "8868") == []


def test_section47_groups_holding_only_empty_elements_are_open(validate):
    empty_flag = "<Section47>" + el("ICPCnotRequired", "") + "</Section47>"
    report = validate(one_episode(empty_flag, empty_flag, close="2024-10-25", reason="RC1"))
    [issue] = fired(report, "8839")
    assert [p.path for p in issue.places] == ["CINdetails[1]/Section47[1]"] * 2 + [
        "CINdetails[1]/Section47[2]"] * 2
    assert len(fired(report, "8868")) == 1


def test_cin_level_conference_never_completes_an_s47_group(validate):
    report = validate(one_episode(s47("2024-03-28", not_required="false"),
                                  s47("2024-06-03", not_required="0"),
                                  cpc="2024-06-17", close="2024-10-25", reason="RC1"))
    assert len(fired(report, "8675Q")) == 2
    assert len(fired(report, "8740")) == 1
    assert len(fired(report, "8839")) == 1
    assert len(fired(report, "8868")) == 1
    # the second group starts inside the first, which is open (no S47-level conference)
    assert [i.places[0].path for i in fired(report, "8890")] == ["CINdetails[1]/Section47[2]"]


def test_8615_ignores_cin_level_conference(validate):
    report = validate(one_episode(s47("2024-06-20", not_required="true"), cpc="2024-06-17"))
    assert fired(report, "8615") == []


def test_8890_two_open_groups_starting_the_same_day_flag_each_other(validate):
    report = validate(one_episode(s47("2024-05-01", not_required="false"),
                                  s47("2024-05-01", not_required=None)))
    issues = fired(report, "8890")
    assert [(i.places[0].path, i.places[1].path) for i in issues] == [
        ("CINdetails[1]/Section47[1]", "CINdetails[1]/Section47[2]"),
        ("CINdetails[1]/Section47[2]", "CINdetails[1]/Section47[1]")]
    assert all(i.child.la_child_id == "C1" for i in issues)


def test_2884_two_episodes_with_the_same_cin_level_date_give_one_issue_per_s47(validate):
    report = validate(make_return(child(
        episode(ref="2024-05-01", close="2024-08-01", reason="RC1", cpc="2024-05-20"),
        episode(s47("2024-09-02", cpc="2024-05-20", not_required="false"), ref="2024-09-02",
                cpc="2024-05-20"))))
    [issue] = fired(report, "2884")
    assert [p.path for p in issue.places] == ["CINdetails[1]", "CINdetails[2]",
                                              "CINdetails[2]/Section47[1]"]
