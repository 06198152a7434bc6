"""Group 3: assessment and factor rules (spec group3-assessments-cin-plans.md).

Each test builds a small return; the examples are the spec's, named after its notation
A{start, auth, [factors]} and E{...}, with ReferenceDate 2025-03-31 unless a test says otherwise.
"""

from __future__ import annotations

from datetime import date

import pytest
from builders import (REFERENCE_DATE, UNREAD_REFERENCE_DATES, A, assessment, child, episode,
                      make_return, one_episode)
from conftest import codes, count, fired, paths, values

from cin_validate import catalogue, years
from cin_validate.checks import assessments
from cin_validate.dates import CensusPeriod

NOTE_8670Q = ("8670Q: All records have been checked and can confirm that the data has been "
              "amended (where required). All remaining queries relate to open assessments longer "
              "than 45 working days.")


def test_group3_assessment_rules_are_registered_with_their_catalogue_entries():
    group = {code for code, info in years.default().rules.items()
             if info.group == "group3-assessments-cin-plans" and not code.startswith("40")}
    assert set(assessments.CHILD_CHECKS) == group
    assert assessments.RETURN_CHECKS == {}


# -- 8608 --------------------------------------------------------------------------------------

@pytest.mark.parametrize("start, auth, fires", [
    ("2024-10-02", "2024-10-01", True),
    ("2024-10-01", "2024-10-01", False),  # boundary: same day passes
    ("2024-10-02", None, False),
    (None, "2024-10-01", False),
    ("2024-10-02", "01/10/2024", False),  # an invalid date is absent: silent
    ("2024-10-32", "2024-10-01", False),
])
def test_8608_start_after_authorisation(validate, start, auth, fires):
    report = validate(one_episode(A(start, auth, ["1A"])))
    assert len(fired(report, "8608")) == (1 if fires else 0)


def test_8608_one_issue_per_offending_assessment_with_its_fields(validate):
    report = validate(one_episode(A("2024-06-01", "2024-07-01", ["1A"]),
                                  A("2024-10-02", "2024-10-01", ["1A"]),
                                  A("2024-11-02", "2024-11-01", ["1A"])))
    issues = fired(report, "8608")
    assert len(issues) == 2
    assert issues[0].fields == ["AssessmentActualStartDate", "AssessmentAuthorisationDate"]
    assert issues[0].child.la_child_id == "C1"
    assert paths(issues[0]) == ["CINdetails[1]/Assessments[2]"] * 2
    assert values(issues[1]) == ["2024-11-02", "2024-11-01"]


# -- 8614 --------------------------------------------------------------------------------------

@pytest.mark.parametrize("auth, factors, fires", [
    (None, ["3B"], True),
    ("2025-02-30", ["3B"], True),  # the invalid authorisation date counts as absent
    (None, ["ZZ"], True),  # any non-empty value counts, valid code or not
    ("2025-03-20", ["3B"], False),
    (None, [], False),  # <FactorsIdentifiedAtAssessment/> empty
    (None, ["", " "], False),  # only empty <AssessmentFactors/>: no factors
    (None, None, False),  # no factors list at all
])
def test_8614_factors_on_open_assessment(validate, auth, factors, fires):
    report = validate(one_episode(A("2025-02-10", auth, factors)))
    assert len(fired(report, "8614")) == (1 if fires else 0)


def test_8614_points_at_authorisation_date_and_every_non_empty_factor(validate):
    report = validate(one_episode(A("2025-02-10", None, ["3B", "", "4C"]),
                                  A("2025-02-11", None, ["1A"])))
    issues = fired(report, "8614")
    assert len(issues) == 2  # one per assessment
    assert issues[0].fields == ["AssessmentAuthorisationDate", "AssessmentFactors"]
    assert values(issues[0]) == [None, "3B", "4C"]
    assert paths(issues[0])[1] == "CINdetails[1]/Assessments[1]/FactorsIdentifiedAtAssessment[1]"


def test_8614_start_date_plays_no_part(validate):
    assert fired(validate(one_episode(A(None, None, ["3B"]))), "8614")


# -- 8670Q -------------------------------------------------------------------------------------

def test_8670Q_cutoff_is_2025_01_27_for_reference_date_2025_03_31():
    assert CensusPeriod(date(2025, 3, 31)).working_days_before_end(45) == date(2025, 1, 27)


@pytest.mark.parametrize("reference_date, cutoff", [
    # a Sunday header; Good Friday 2024-03-29 is not a working day: 28 Mar is day 1, 26 Jan day 45
    (date(2024, 3, 31), date(2024, 1, 26)),
    # back across New Year and Christmas 2023 (1 Jan, 25 and 26 Dec are bank holidays)
    (date(2024, 1, 31), date(2023, 11, 24)),
])
def test_8670Q_cutoff_moves_with_the_header_year(reference_date, cutoff):
    assert CensusPeriod(reference_date).working_days_before_end(45) == cutoff


@pytest.mark.parametrize("start, fires", [
    ("2025-01-24", True),  # Friday: the last working day that fires
    ("2025-01-25", True),  # Saturday
    ("2025-01-26", True),  # Sunday: the last firing start date
    ("2025-01-27", False),  # Monday, exactly 45 working days: not "more than 45" (the impl. fires)
    ("2025-01-28", False),
    ("2024-02-05", True),  # no lower bound (8736 fires too)
    ("2025-04-01", False),  # after ReferenceDate: 8736's business
    ("", False),  # absent start: silent (8736 reports it)
    ("26/01/2025", False),  # invalid start: silent
])
def test_8670Q_open_assessment_start_boundaries(validate, start, fires):
    report = validate(one_episode(A(start, None)))
    assert len(fired(report, "8670Q")) == (1 if fires else 0)


def test_8670Q_boundary_first_non_firing_start_2025_01_27(validate):
    report = validate(one_episode(A("2025-01-27", None)))
    assert "8670Q" not in codes(report)
    assert NOTE_8670Q not in report.notes


def test_8670Q_last_firing_start_2025_01_26_points_at_both_dates(validate):
    report = validate(one_episode(A("2025-01-26", None)))
    (issue,) = fired(report, "8670Q")
    assert issue.severity == "query"
    assert issue.fields == ["AssessmentActualStartDate", "AssessmentAuthorisationDate"]
    assert values(issue) == ["2025-01-26", None]
    assert issue.child.la_child_id == "C1"


def test_8670Q_completed_assessment_passes(validate):
    assert "8670Q" not in codes(validate(one_episode(A("2024-11-04", "2025-01-15", ["1A"]))))


def test_8670Q_invalid_authorisation_date_counts_as_open(validate):
    assert fired(validate(one_episode(A("2025-01-24", "2025-02-30"))), "8670Q")


def test_8670Q_auto_ok_note_appears_exactly_once_when_it_fires(validate):
    report = validate(one_episode(A("2025-01-24", None), A("2025-01-20", None)))
    assert len(fired(report, "8670Q")) == 2  # one per assessment
    assert report.notes.count(NOTE_8670Q) == 1


@pytest.mark.parametrize("start, fires", [("2024-01-25", True), ("2024-01-26", False)])
def test_8670Q_cutoff_follows_a_2024_03_31_header(validate, start, fires):
    report = validate(one_episode(A(start, None), ref="2023-12-01", reference_date="2024-03-31"))
    assert len(fired(report, "8670Q")) == (1 if fires else 0)


# -- 8696 --------------------------------------------------------------------------------------

@pytest.mark.parametrize("start, auth, fires", [
    ("2024-02-01", "2024-03-31", True),
    ("2024-02-01", "2024-04-01", False),  # boundary: census start
    ("2025-03-03", "2025-03-31", False),  # boundary: ReferenceDate
    ("2025-03-03", "2025-04-01", True),
    ("2025-03-03", None, False),
    ("2025-03-03", "2025-04-31", False),  # invalid: silent
])
def test_8696_authorisation_date_within_census_year(validate, start, auth, fires):
    report = validate(one_episode(A(start, auth, ["1A"])))
    issues = fired(report, "8696")
    assert len(issues) == (1 if fires else 0)
    if fires:
        assert issues[0].fields == ["AssessmentAuthorisationDate"]


def test_8696_census_year_follows_the_header(validate):
    report = validate(one_episode(A("2024-02-01", "2024-03-31", ["1A"]), ref="2024-01-02",
                                  reference_date="2024-03-31"))
    assert "8696" not in codes(report)


# -- 8736 --------------------------------------------------------------------------------------

@pytest.mark.parametrize("start, auth, fires", [
    ("2024-03-31", None, True),
    ("2024-04-01", None, False),  # boundary: census start
    ("2025-03-31", None, False),  # boundary: ReferenceDate
    ("2025-04-01", None, True),
    ("", None, True),  # missing start on an open assessment fires
    ("31/03/2025", None, True),  # invalid start (the implementation would read it)
    ("2023-11-01", "2024-05-01", False),  # completed: never checked
    ("2023-11-01", "2024-05-32", True),  # invalid authorisation date: open
])
def test_8736_open_assessment_start_within_census_year(validate, start, auth, fires):
    report = validate(one_episode(A(start, auth)))
    issues = fired(report, "8736")
    assert len(issues) == (1 if fires else 0)
    if fires:
        assert issues[0].fields == ["AssessmentActualStartDate", "AssessmentAuthorisationDate"]


def test_8736_group_without_start_element_fires(validate):
    report = validate(one_episode(assessment(start=None, auth=None, factors=None,
                                             review="2024-05-01")))
    assert len(fired(report, "8736")) == 1


def test_8736_O10_empty_assessments_group_is_ignored(validate):
    report = validate(one_episode("<Assessments/>", "<Assessments>  <!-- x --> </Assessments>"))
    assert not codes(report) & {"8736", "8670Q", "8896", "8863Q"}


# -- 8863Q -------------------------------------------------------------------------------------

Y = A("2024-06-03", "2024-07-15", ["1A"])


@pytest.mark.parametrize("x_start, fires", [
    ("2024-07-01", True),
    ("2024-07-15", True),  # boundary: X starts on the day Y was authorised
    ("2024-07-16", False),  # boundary: the day after
])
def test_8863Q_x_starts_inside_completed_y(validate, x_start, fires):
    report = validate(one_episode(Y, A(x_start, "2024-08-01", ["1A"])))
    issues = fired(report, "8863Q")
    assert len(issues) == (1 if fires else 0)
    if fires:  # the issue is X's; Y started before X, so Y does not fire
        assert issues[0].fields == ["AssessmentActualStartDate", "AssessmentAuthorisationDate"]
        assert paths(issues[0]) == ["CINdetails[1]/Assessments[2]"] + [
            "CINdetails[1]/Assessments[1]"] * 2
        assert values(issues[0]) == [x_start, "2024-06-03", "2024-07-15"]


def test_8863Q_open_y_lasts_until_reference_date(validate):
    report = validate(one_episode(A("2024-09-02", None), A("2025-01-06", "2025-02-03", ["1A"])))
    (issue,) = fired(report, "8863Q")
    assert paths(issue)[0] == "CINdetails[1]/Assessments[2]"


def test_8863Q_invalid_authorisation_of_y_makes_it_open(validate):
    report = validate(one_episode(A("2024-09-02", "2024-09-31"),
                                  A("2025-01-06", "2025-02-03", ["1A"])))
    assert len(fired(report, "8863Q")) == 1


def test_8863Q_x_after_reference_date_inside_open_y_does_not_fire(validate):
    report = validate(one_episode(A("2024-09-02", None), A("2025-04-01", None)))
    assert "8863Q" not in codes(report)


def test_8863Q_same_start_dates_fire_twice(validate):
    report = validate(one_episode(A("2024-06-03", "2024-06-28", ["1A"]), A("2024-06-03", None)))
    assert len(fired(report, "8863Q")) == 2


def test_8863Q_O4_identical_assessments_fire_on_each_other(validate):
    same = A("2024-06-03", "2024-06-28", ["1A"])
    report = validate(one_episode(same, same))
    assert sorted(paths(i)[0] for i in fired(report, "8863Q")) == [
        "CINdetails[1]/Assessments[1]", "CINdetails[1]/Assessments[2]"]


def test_8863Q_different_episodes_are_never_compared(validate):
    report = validate(make_return(child(
        episode(A("2024-06-03", "2024-07-01", ["1A"])),
        episode(A("2024-06-15", "2024-07-10", ["1A"]), ref="2024-06-14"), id="C1")))
    assert "8863Q" not in codes(report)


def test_8863Q_one_issue_per_x_listing_every_y(validate):
    report = validate(one_episode(A("2024-06-03", "2024-09-30", ["1A"]),
                                  A("2024-07-01", "2024-09-30", ["1A"]),
                                  A("2024-08-01", "2024-08-15", ["1A"])))
    issues = fired(report, "8863Q")
    assert len(issues) == 2  # the second starts inside the first; the third inside both
    third = [i for i in issues if paths(i)[0] == "CINdetails[1]/Assessments[3]"]
    assert len(third) == 1 and len(third[0].places) == 5


@pytest.mark.parametrize("first, second", [
    (A(None, "2024-07-15", ["1A"]), A("2024-07-01", "2024-08-01", ["1A"])),
    (A("2024-06-03", "2024-07-15", ["1A"]), A("01/07/2024", "2024-08-01", ["1A"])),
])
def test_8863Q_pair_without_valid_start_is_skipped(validate, first, second):
    assert "8863Q" not in codes(validate(one_episode(first, second)))


# -- 8867 --------------------------------------------------------------------------------------

CLOSED = dict(ref="2024-09-16", close="2024-11-29", reason="RC8")


def test_8867_closed_episode_with_open_assessment(validate):
    (issue,) = fired(validate(one_episode(A("2024-09-17", None), **CLOSED)), "8867")
    assert issue.fields == ["CINclosureDate", "AssessmentAuthorisationDate"]
    assert values(issue) == ["2024-11-29", None]
    assert paths(issue) == ["CINdetails[1]", "CINdetails[1]/Assessments[1]"]


def test_8867_points_only_at_the_open_assessment(validate):
    report = validate(one_episode(A("2024-09-17", "2024-10-01", ["1A"]), A("2024-10-07", None),
                                  **CLOSED))
    (issue,) = fired(report, "8867")
    assert paths(issue)[1:] == ["CINdetails[1]/Assessments[2]"]


def test_8867_one_issue_per_episode_however_many_open(validate):
    report = validate(one_episode(A("2024-09-17", None), A("2024-10-07", None), **CLOSED))
    (issue,) = fired(report, "8867")
    assert len(issue.places) == 3


def test_8867_one_issue_per_closed_episode(validate):
    report = validate(make_return(child(episode(A("2024-09-17", None), **CLOSED),
                                        episode(A("2024-12-02", None), ref="2024-12-01",
                                                close="2024-12-20", reason="RC8"), id="C1")))
    assert len(fired(report, "8867")) == 2


@pytest.mark.parametrize("groups, close", [
    ((A("2024-09-17", "2024-11-15", ["1A"]),), "2024-11-29"),  # completed assessment
    ((A("2024-09-17", None),), None),  # open episode
    ((A("2024-09-17", None),), "2024-11-31"),  # invalid closure date: open episode
    (("",), "2024-11-29"),  # no assessments
])
def test_8867_passes(validate, groups, close):
    report = validate(one_episode(*groups, ref="2024-09-16", close=close, reason="RC8"))
    assert "8867" not in codes(report)


def test_8867_invalid_authorisation_date_counts_as_open(validate):
    assert fired(validate(one_episode(A("2024-09-17", "2024-13-01", ["1A"]), **CLOSED)), "8867")


# -- 8869 --------------------------------------------------------------------------------------

@pytest.mark.parametrize("factors, fires", [
    (["21", "1B"], True),
    (["21", "99"], True),  # an invalid code is another factor (8897Q fires too)
    (["21"], False),
    (["1B", "3A"], False),
    (["21", "21"], False),  # 8898's duplicate, not a combination
    (["21", ""], False),  # empty values are ignored
    ([" 21 ", "4B"], True),  # trimmed
])
def test_8869_code_21_with_other_factors(validate, factors, fires):
    report = validate(one_episode(A("2024-06-03", "2024-07-01", factors)))
    issues = fired(report, "8869")
    assert len(issues) == (1 if fires else 0)
    if fires:
        assert issues[0].fields == ["AssessmentFactors"]
        assert values(issues[0]) == [f.strip() for f in factors]


# -- 8873Q -------------------------------------------------------------------------------------

def single_21(reason, close="2024-07-05", factors=("21",)):
    return one_episode(A("2024-06-03", "2024-07-05", list(factors)), close=close, reason=reason)


@pytest.mark.parametrize("reason, close, factors, fires", [
    ("RC7", "2024-07-05", ["21"], True),
    ("RC7", "2024-07-05", ["21", "4B"], True),  # 8869 fires too
    ("RC8", "2024-07-05", ["21"], False),
    ("RC9", "2024-07-05", ["21"], False),
    (" RC8 ", "2024-07-05", ["21"], False),  # trimmed (the implementation fires)
    ("rc8", "2024-07-05", ["21"], True),  # codes are case-sensitive (D3)
    ("RC7", "2024-07-05", ["1A"], False),
    ("RC7", "2024-07-05", ["121"], False),  # exactly 21, not "contains 21"
    ("RC7", "2024-07-05", [], False),  # no factors
])
def test_8873Q_single_assessment_with_21(validate, reason, close, factors, fires):
    report = validate(single_21(reason, close, factors))
    assert len(fired(report, "8873Q")) == (1 if fires else 0)


def test_8873Q_O6_open_episode_without_reason_fires(validate):
    (issue,) = fired(validate(single_21(reason=None, close=None)), "8873Q")
    assert issue.fields == ["AssessmentFactors", "ReasonForClosure"]
    assert values(issue) == ["21", None]
    assert paths(issue) == ["CINdetails[1]/Assessments[1]/FactorsIdentifiedAtAssessment[1]",
                            "CINdetails[1]"]


def test_8873Q_points_at_the_21_factor_only(validate):
    (issue,) = fired(validate(single_21("RC7", factors=("4B", "21"))), "8873Q")
    assert values(issue) == ["21", "RC7"]


def test_8873Q_two_assessments_pass(validate):
    report = validate(one_episode(A("2024-06-03", "2024-06-20", ["1B"]),
                                  A("2024-07-01", "2024-09-30", ["21"]),
                                  close="2024-09-30", reason="RC7"))
    assert "8873Q" not in codes(report)


def test_8873Q_empty_assessments_group_is_not_a_second_assessment(validate):
    report = validate(one_episode(A("2024-06-03", "2024-07-05", ["21"]), "<Assessments/>",
                                  close="2024-07-05", reason="RC7"))
    assert len(fired(report, "8873Q")) == 1


def test_8873Q_open_assessment_with_21_still_fires(validate):
    report = validate(one_episode(A("2025-02-03", None, ["21"]), reason="RC7"))
    assert {"8873Q", "8614"} <= codes(report)


# -- 8896 --------------------------------------------------------------------------------------

def test_8896_two_open_assessments_in_one_episode(validate):
    report = validate(one_episode(A("2025-01-06", None), A("2025-02-03", None)))
    (issue,) = fired(report, "8896")
    assert issue.fields == ["AssessmentAuthorisationDate"]
    assert paths(issue) == ["CINdetails[1]/Assessments[1]", "CINdetails[1]/Assessments[2]"]


def test_8896_points_at_open_assessments_only(validate):
    report = validate(one_episode(A("2024-12-02", "2024-12-20", ["1A"]), A("2025-01-06", None),
                                  A("2025-02-03", "2025-02-31"), A("2025-03-03", None)))
    (issue,) = fired(report, "8896")  # one per episode; the invalid date counts as open
    assert paths(issue) == [f"CINdetails[1]/Assessments[{n}]" for n in (2, 3, 4)]


@pytest.mark.parametrize("groups", [
    (A("2025-01-06", "2025-01-31", ["1A"]), A("2025-02-03", None)),
    (A("2025-01-06", None),),
])
def test_8896_passes(validate, groups):
    assert "8896" not in codes(validate(one_episode(*groups)))


def test_8896_open_assessments_of_different_episodes_are_not_counted_together(validate):
    report = validate(make_return(child(episode(A("2025-01-06", None)),
                                        episode(A("2025-02-03", None), ref="2025-02-03"),
                                        id="C1")))
    assert "8896" not in codes(report)


# -- 8897Q -------------------------------------------------------------------------------------

@pytest.mark.parametrize("start, auth, factors, fires", [
    ("2024-03-04", "2024-04-01", None, True),  # boundary: authorised on the census start
    ("2024-03-04", "2024-03-31", None, False),  # before the census year (8696 fires)
    ("2024-08-05", "2024-09-10", ["18C", "4B"], False),
    ("2024-08-05", "2024-09-10", ["18A"], False),  # left to 8945Q
    ("2024-08-05", "2024-09-10", ["19A"], False),  # left to 8950Q
    ("2025-03-03", None, None, False),  # open: not checked
    ("2025-03-03", "2025-03-32", None, False),  # invalid authorisation date: open
    ("2025-03-03", "2025-04-10", None, True),  # no upper bound (8696 fires too)
    ("2024-08-05", "2024-09-10", [], True),  # empty <FactorsIdentifiedAtAssessment/>
    ("2024-08-05", "2024-09-10", ["", ""], True),  # only empty <AssessmentFactors/>
    ("2024-08-05", "2024-09-10", ["1a"], True),  # case-sensitive
    ("2024-08-05", "2024-09-10", [" 1A "], False),  # trimmed
])
def test_8897Q_completed_assessment_factors(validate, start, auth, factors, fires):
    report = validate(one_episode(A(start, auth, factors)))
    assert len(fired(report, "8897Q")) == (1 if fires else 0)


def test_8897Q_no_factors_points_at_the_missing_factors_list(validate):
    (issue,) = fired(validate(one_episode(A("2024-08-05", "2024-09-10"))), "8897Q")
    assert issue.fields == ["AssessmentAuthorisationDate", "FactorsIdentifiedAtAssessment"]
    assert values(issue) == ["2024-09-10", None]


def test_8897Q_O5_every_present_code_must_be_valid(validate):
    report = validate(one_episode(A("2024-08-05", "2024-09-10", ["1A", "25A"])))
    (issue,) = fired(report, "8897Q")
    assert issue.fields == ["AssessmentAuthorisationDate", "AssessmentFactors"]
    assert values(issue) == ["2024-09-10", "1A", "25A"]


def test_8897Q_cut_off_follows_the_header(validate):
    report = validate(one_episode(A("2023-03-04", "2023-04-01"), ref="2023-03-01",
                                  reference_date="2024-03-31"))
    assert len(fired(report, "8897Q")) == 1


# -- 8898 --------------------------------------------------------------------------------------

@pytest.mark.parametrize("factors, duplicated", [
    (["2B", "3B", "2B"], ["2B", "2B"]),
    (["21", "21"], ["21", "21"]),
    (["2B", "2B", "3B", "3B"], ["2B", "2B", "3B", "3B"]),  # still one issue
    (["2B", " 2B "], ["2B", "2B"]),  # trimmed
    (["2B", "3B"], None),
    (["2b", "2B"], None),  # compared exactly
    (["2B", "", ""], None),  # empty values ignored
])
def test_8898_duplicated_factor(validate, factors, duplicated):
    issues = fired(validate(one_episode(A("2024-06-03", "2024-07-01", factors))), "8898")
    if duplicated is None:
        assert issues == []
    else:
        (issue,) = issues
        assert issue.fields == ["AssessmentFactors"]
        assert values(issue) == duplicated


def test_8898_same_code_in_two_assessments_passes(validate):
    report = validate(one_episode(A("2024-06-03", "2024-07-01", ["2B"]),
                                  A("2024-08-01", "2024-09-02", ["2B"])))
    assert "8898" not in codes(report)


def test_8898_points_at_each_duplicated_element_by_its_line(validate):
    xml = one_episode(A("2024-06-03", "2024-07-01", ["2B", "3B", "2B"]))
    xml = xml.replace("<AssessmentFactors>", "\n<AssessmentFactors>")
    (issue,) = fired(validate(xml), "8898")
    first = issue.places[0].line
    assert [place.line for place in issue.places] == [first, first + 2]


# -- 8945Q and 8950Q ---------------------------------------------------------------------------

@pytest.mark.parametrize("code, factors, holding", [
    ("8945Q", ["18A"], ["18A"]),
    ("8945Q", ["18a", "3B"], ["18a"]),  # case-insensitive; points only at 18a
    ("8945Q", [" 18A ", "18A"], ["18A", "18A"]),  # one issue however many times
    ("8945Q", ["18B"], None),
    ("8945Q", ["18C", "19B"], None),
    ("8950Q", ["19A"], ["19A"]),
    ("8950Q", ["2B", "19a"], ["19a"]),
    ("8950Q", ["19B"], None),
    ("8950Q", ["19C"], None),
])
def test_8945Q_8950Q_retired_factor_codes(validate, code, factors, holding):
    issues = fired(validate(one_episode(A("2024-06-03", "2024-07-01", factors))), code)
    if holding is None:
        assert issues == []
    else:
        (issue,) = issues
        assert issue.severity == "query"
        assert issue.fields == ["AssessmentFactors"]
        assert values(issue) == holding


@pytest.mark.parametrize("code, factor", [("8945Q", "18A"), ("8950Q", "19A")])
def test_8945Q_8950Q_apply_to_open_assessments_too(validate, code, factor):
    assert len(fired(validate(one_episode(A("2025-03-03", None, [factor]))), code)) == 1


@pytest.mark.parametrize("code", ["8945Q", "8950Q"])
def test_8945Q_8950Q_assessment_without_factors_is_silent(validate, code):
    assert code not in codes(validate(one_episode(A("2024-06-03", "2024-07-01"))))


# -- the ReferenceDate: a header's invalid date falls back, a valid one moves ------------------

@pytest.mark.parametrize("header_date", UNREAD_REFERENCE_DATES)
@pytest.mark.parametrize("start, fires", [("2025-01-26", True), ("2025-01-27", False)])
def test_8670Q_invalid_or_absent_header_falls_back_to_cutoff_2025_01_27(validate, header_date,
                                                                        start, fires):
    report = validate(one_episode(A(start, None), reference_date=header_date))
    assert report.reference_date.isoformat() == REFERENCE_DATE
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
])
def test_invalid_or_absent_header_uses_the_years_census_year(validate, header_date, code,
                                                               group, fires):
    assert count(validate(one_episode(group, reference_date=header_date)), code) == (
        1 if fires else 0)


@pytest.mark.parametrize("code, groups, fires", [
    # open Y / open plans last to the fallback ReferenceDate 2025-03-31
    ("8863Q", (A("2024-09-02", None), A("2025-03-31", None)), True),
    ("8863Q", (A("2024-09-02", None), A("2025-04-01", None)), False),
])
def test_open_items_last_to_the_years_date_when_the_header_date_is_invalid(validate, code, groups,
                                                                           fires):
    report = validate(one_episode(*groups, reference_date="2025-13-01"))
    assert count(report, code) == (1 if fires else 0)


@pytest.mark.parametrize("code, group, fires", [
    # header 2024-03-31: census year 2023-04-01 .. 2024-03-31
    ("8736", A("2023-03-31", None), True),
    ("8736", A("2023-04-01", None), False),
    ("8736", A("2024-03-31", None), False),
    ("8736", A("2024-04-01", None), True),
    ("8696", A("2023-03-01", "2023-04-01", ["1A"]), False),
    ("8696", A("2024-03-01", "2024-04-01", ["1A"]), True),
    ("8897Q", A("2023-03-04", "2023-03-31"), False),
])
def test_census_year_shifts_with_a_valid_header(validate, code, group, fires):
    report = validate(one_episode(group, reference_date="2024-03-31"))
    assert report.reference_date.isoformat() == "2024-03-31"
    assert count(report, code) == (1 if fires else 0)


@pytest.mark.parametrize("code, groups, fires", [
    # header 2024-03-31: open items last to 2024-03-31, not 2025-03-31
    ("8863Q", (A("2023-09-04", None), A("2024-03-31", None)), True),
    ("8863Q", (A("2023-09-04", None), A("2024-04-01", None)), False),
])
def test_open_items_last_to_a_shifted_header_date(validate, code, groups, fires):
    report = validate(one_episode(*groups, reference_date="2024-03-31"))
    assert count(report, code) == (1 if fires else 0)


# -- empty and present-but-empty groups (D4, O10), every instance apart ------------------------

EMPTY_ASSESSMENTS = ("<Assessments/>", "<Assessments>  <!-- a comment --> </Assessments>")


def test_empty_assessments_groups_are_ignored_by_every_assessment_rule(validate):
    report = validate(one_episode(*EMPTY_ASSESSMENTS, ref="2024-09-16", close="2024-11-29",
                                  reason="RC7"))
    assessment_rules = {"8608", "8614", "8670Q", "8696", "8736", "8863Q", "8867", "8869",
                        "8873Q", "8896", "8897Q", "8898", "8945Q", "8950Q"}
    assert not codes(report) & assessment_rules


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


# -- rules firing together, as the spec's examples say -----------------------------------------

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


def test_8873Q_open_assessment_with_21_fires_8614_too(validate):
    report = validate(one_episode(A("2025-02-03", None, ["21"]), ref="2025-02-03"))
    assert count(report, "8873Q") == 1  # open episode, no reason for closure
    assert count(report, "8614") == 1
