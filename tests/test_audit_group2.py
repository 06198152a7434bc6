"""Group 2 audit: boundaries and readings of group2-cin-details.md not pinned by test_episodes.py.

Each test names the spec section it pins (S1 ReferenceDate, S2 reading values, S3 one child,
S5 episode status, and the rule sections). Builders as in test_episodes.py.
"""

from __future__ import annotations

import pytest
from builders import assessment, child, cpp, episode, make_return, s47
from conftest import fired, where

NO_GROUPS = ""




def closed_rc7(ref, close, nfa="false"):
    return episode(NO_GROUPS, ref=ref, close=close, reason="RC7", nfa=nfa)


def open_episode(ref, nfa="false"):
    return episode(NO_GROUPS, ref=ref, nfa=nfa)


# -- S1: the ReferenceDate falls back to 2025-03-31 and shifts with a valid header ------------

HEADERS_MEANING_2025_03_31 = ["2025-03-31", "31/03/2025", "2025-02-29", "", None]


@pytest.mark.parametrize("reference_date", HEADERS_MEANING_2025_03_31)
@pytest.mark.parametrize("ref, expected", [("2024-03-27", 1), ("2024-03-28", 0)])
def test_8569Q_cut_off_with_absent_or_invalid_header_is_2024_03_28(issues, reference_date, ref,
                                                                   expected):
    found = issues("8569Q", open_episode(ref, nfa="true"), reference_date=reference_date)
    assert len(found) == expected


@pytest.mark.parametrize("reference_date", HEADERS_MEANING_2025_03_31)
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
