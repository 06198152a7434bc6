"""Group 1 audit: spec examples and boundaries not pinned elsewhere.

Reading conventions (trimming, strict dates, booleans, empty values), the effective
ReferenceDate (fallback and shift with a valid header), and G3 (two <Child> elements are never
combined, even when they share an LAchildID). Spec: shared/spec/rules/group1-identifiers.md.
"""

from __future__ import annotations

import pytest
from builders import child, episode, make_return
from conftest import fired


def issues(validate, code, *children, **return_options):
    return fired(validate(make_return(*children, **return_options)), code)


def count(validate, code, *children, **return_options):
    return len(issues(validate, code, *children, **return_options))


def values(issue, field):
    return [place.value for place in issue.places if place.field == field]


# -- 100 -----------------------------------------------------------------------------------

@pytest.mark.parametrize("reference_date", ["   ", "03/31/2025", "2025-03-31 00:00", "20250331"])
def test_100_fires_for_blank_or_loosely_written_reference_date(validate, reference_date):
    found = issues(validate, "100", child(), reference_date=reference_date)
    assert len(found) == 1
    assert found[0].child is None


def test_100_header_namespace_and_order_do_not_matter(validate):
    header = ("<Header><Source><SourceLevel>L</SourceLevel><LEA>201</LEA></Source>"
              "<CollectionDetails><ReferenceDate>2025-03-31</ReferenceDate>"
              "<Collection>CIN</Collection></CollectionDetails></Header>")
    xml = make_return(child(), header_xml=header).replace(
        "<Message>", '<Message xmlns="http://www.dfe.gov.uk/CIN">')
    assert fired(validate(xml), "100") == []


# -- 1530: the six examples, and 1510 silent for all of them --------------------------------

@pytest.mark.parametrize("upn, fires_1530", [
    ("H801200001001", False), ("T942123424567", False), ("K909123424567", False),
    ("R420123424567", False), ("W421123424567", True), ("X943123424567", False),
    ("B944123424567", True), ("E000200005001", True),
])
def test_1530_examples_have_correct_check_letters(validate, upn, fires_1530):
    report = validate(make_return(child(upn=upn)))
    assert len(fired(report, "1530")) == (1 if fires_1530 else 0)
    assert fired(report, "1510") == []
    assert fired(report, "1540") == fired(report, "1550") == []


# -- 1520 and 8510: whitespace-only values are absent -------------------------------------

def test_1520_whitespace_only_upns_are_not_duplicates(validate):
    assert issues(validate, "1520", child(id="C1", upn="   ", upn_unknown="UN2"),
                  child(id="C2", upn=" ", upn_unknown="UN2")) == []


def test_8510_whitespace_only_ids_are_not_duplicates(validate):
    report = validate(make_return(child(id="  ", upn="H801200001001"),
                                  child(id=" ", upn="T942123424567")))
    assert fired(report, "8510") == []
    assert [issue.child.index for issue in fired(report, "8500")] == [1, 2]


def test_8510_three_children_sharing_an_id_give_three_issues(validate):
    found = issues(validate, "8510", child(id="C1", upn="H801200001001"),
                   child(id="C1", upn="T942123424567"), child(id="C1", upn=None,
                                                                upn_unknown="UN2"))
    assert [issue.child.index for issue in found] == [1, 2, 3]
    assert all(values(issue, "LAchildID") == ["C1"] for issue in found)


# -- 2886Q: reading Sex and the expected date of birth -------------------------------------

def fifty(special: int, **options):
    return ([child(id=f"S{n}", **options) for n in range(special)]
            + [child(id=f"C{n}") for n in range(50 - special)])


@pytest.mark.parametrize("sex, fires", [(" U ", True), ("u", False), ("0", False), ("M", False)])
def test_2886Q_sex_is_trimmed_and_compared_exactly(validate, sex, fires):
    assert count(validate, "2886Q", *fifty(2, sex=sex)) == (1 if fires else 0)


def test_2886Q_date_of_birth_plays_no_part(validate):
    # Neither date: not unborn in the DfE's sense (no expected date), so counted.
    assert count(validate, "2886Q", *fifty(2, sex="U", dob=None)) == 1


def test_2886Q_loosely_written_expected_date_is_absent(validate):
    assert count(validate, "2886Q", *fifty(2, sex="U", edob="01/06/2025")) == 1


# -- dates: loosely written values are absent ----------------------------------------------

@pytest.mark.parametrize("dob", ["01/04/2025", "2025-4-01", "2025-04-01T00:00:00"])
def test_8520_loosely_written_birth_date_is_absent(validate, dob):
    report = validate(make_return(child(dob=dob)))
    assert fired(report, "8520") == []
    assert len(fired(report, "8525Q")) == 1  # neither date is valid


@pytest.mark.parametrize("dod", ["01/04/2025", "2024-03-31T00:00:00"])
def test_8545Q_and_8535Q_silent_for_a_loosely_written_death_date(validate, dod):
    report = validate(make_return(child(dod=dod, dob=None, edob="2025-06-01", sex="U")))
    assert fired(report, "8545Q") == fired(report, "8535Q") == []


# -- the effective ReferenceDate: fallback and shift ---------------------------------------

@pytest.mark.parametrize("dod, fires", [("2023-03-31", True), ("2023-04-01", False),
                                        ("2024-03-31", False), ("2024-04-01", True)])
def test_8545Q_census_year_shifts_with_a_valid_header(validate, dod, fires):
    assert count(validate, "8545Q", child(dod=dod), reference_date="2024-03-31") == int(fires)


@pytest.mark.parametrize("edob, fires", [("2025-02-28", True), ("2025-03-01", False),
                                         ("2025-12-31", False), ("2026-01-01", True)])
@pytest.mark.parametrize("header_date", [None, "2025-03-31T00:00:00", "2025-02-30"])
def test_8530Q_range_falls_back_to_2025_03_31(validate, header_date, edob, fires):
    assert count(validate, "8530Q", child(dob=None, edob=edob, sex="U"),
                 reference_date=header_date) == int(fires)


@pytest.mark.parametrize("dob, fires", [("1999-03-30", True), ("1999-03-31", False)])
def test_8775Q_over_25_shifts_with_a_valid_header(validate, dob, fires):
    assert count(validate, "8775Q", child(dob=dob), reference_date="2024-03-31") == int(fires)


@pytest.mark.parametrize("dob, fires", [("2000-03-30", True), ("2000-03-31", False)])
def test_8775Q_over_25_falls_back_to_2025_03_31(validate, dob, fires):
    assert count(validate, "8775Q", child(dob=dob), reference_date="31/03/2025") == int(fires)


@pytest.mark.parametrize("dob, fires", [("2019-08-31", True), ("2019-09-01", False)])
def test_8770Q_school_age_falls_back_to_2025_03_31(validate, dob, fires):
    xml = child(episode(nfa="0"), dob=dob, upn=None)
    assert count(validate, "8770Q", xml, reference_date="") == int(fires)


@pytest.mark.parametrize("dob, fires", [("2025-03-31", False), ("2025-04-01", True)])
def test_8520_whitespace_only_header_falls_back(validate, dob, fires):
    assert count(validate, "8520", child(dob=dob), reference_date="  ") == int(fires)


# -- 8770Q, 8772, 8540: reading values --------------------------------------------------------

@pytest.mark.parametrize("upn", ["", "   "])
def test_8770Q_empty_upn_is_absent(validate, upn):
    issue = issues(validate, "8770Q", child(episode(nfa="0"), dob="2019-08-31", upn=upn))
    assert len(issue) == 1
    assert values(issue[0], "UPN") == [None]


@pytest.mark.parametrize("nfa", ["FALSE", " False ", " 0 "])
def test_8770Q_false_in_any_case_and_trimmed(validate, nfa):
    assert count(validate, "8770Q", child(episode(nfa=nfa), dob="2010-01-01", upn=None)) == 1


def test_8772_empty_cindetails_is_no_episode(validate):
    assert issues(validate, "8772", child("<CINdetails/>", upn=None, upn_unknown="UN7")) == []
    assert count(validate, "8772", child("<CINdetails> <ReferralNFA/> </CINdetails>",
                                         upn=None, upn_unknown="UN7")) == 1


@pytest.mark.parametrize("nfa", [" true ", "True", " 1 "])
def test_8772_true_in_any_case_and_trimmed(validate, nfa):
    assert issues(validate, "8772", child(episode(nfa=nfa), upn=None, upn_unknown="UN7")) == []


@pytest.mark.parametrize("nfa", ["False", " false "])
def test_8540_false_in_any_case_and_trimmed(validate, nfa):
    assert count(validate, "8540", child(episode(nfa=nfa), dob="2015-01-01",
                                         disabilities=None)) == 1


def test_8540_no_disabilities_points_at_the_empty_container(validate):
    issue = issues(validate, "8540", child(episode(nfa="0"), dob="2015-01-01",
                                           disabilities=("",)))[0]
    assert issue.fields == ["Disabilities", "PersonBirthDate", "ReferralNFA"]
    assert values(issue, "Disabilities") == [None]


def test_8540_true_and_false_episodes_point_only_at_the_false_one(validate):
    issue = issues(validate, "8540", child(episode(nfa="true"), episode(nfa="0"),
                                           dob="2015-01-01", disabilities=None))[0]
    places = [(p.path, p.value) for p in issue.places if p.field == "ReferralNFA"]
    assert places == [("CINdetails[2]", "0")]


def test_8750_sex_is_trimmed(validate):
    assert issues(validate, "8750", child(dob=None, edob="2025-06-01", sex=" U ")) == []


def test_8525Q_invalid_expected_date_with_a_date_of_birth_passes(validate):
    assert issues(validate, "8525Q", child(dob="2010-01-01", edob="2025-06-01T00:00:00")) == []


# -- G3: two <Child> elements sharing an LAchildID are never combined ------------------------

SHARED = dict(id="C1")


def test_8772_children_sharing_an_id_are_not_mixed(validate):
    assert issues(validate, "8772",
                  child(episode(nfa="true"), upn=None, upn_unknown="UN7", **SHARED),
                  child(episode(nfa="false"), upn="H801200001001", **SHARED)) == []


def test_8770Q_children_sharing_an_id_are_not_mixed(validate):
    assert issues(validate, "8770Q",
                  child(episode(nfa="true"), dob="2010-01-01", upn=None, **SHARED),
                  child(episode(nfa="false"), dob="2020-01-01", upn=None, **SHARED)) == []


def test_8540_children_sharing_an_id_are_not_mixed(validate):
    assert issues(validate, "8540",
                  child(episode(nfa="true"), dob="2015-01-01", disabilities=None, **SHARED),
                  child(episode(nfa="false"), dob=None, edob="2025-06-01", sex="U",
                        disabilities=None, **SHARED)) == []


def test_8790_children_sharing_an_id_are_not_mixed(validate):
    assert issues(validate, "8790", child(disabilities=("NONE",), **SHARED),
                  child(disabilities=("MOB",), upn="T942123424567", **SHARED)) == []


def test_8775Q_children_sharing_an_id_are_not_mixed(validate):
    assert issues(validate, "8775Q",
                  child(episode(close="2024-06-14", reason="RC1"), dob="1999-06-15", **SHARED),
                  child(episode(), dob="2010-01-01", upn="T942123424567", **SHARED)) == []


def test_issue_for_each_of_two_children_sharing_an_id_names_its_position(validate):
    found = issues(validate, "4180", child(sex="X", **SHARED),
                   child(sex="Y", upn="T942123424567", **SHARED))
    assert [(issue.child.la_child_id, issue.child.index) for issue in found] == [("C1", 1),
                                                                                 ("C1", 2)]


# -- a comment inside a value element does not hide the value (parse.py) --------------------

def test_comment_or_pi_inside_a_value_keeps_its_text(validate):
    xml = (child(id="C1", upn="H801200001001", disabilities=("MOB", "HAND"))
           .replace("<LAchildID>C1", "<LAchildID><!-- id -->C1")
           .replace("<UPN>H8012", "<UPN>H8012<!-- split -->")
           .replace("<Sex>M", "<Sex><?producer x?>M")
           .replace("<Disability>MOB", "<Disability><!-- first -->MOB"))
    report = validate(make_return(xml))
    assert {issue.code for issue in report.issues} == {"2887Q"}
    assert [issue.detail for issue in fired(report, "2887Q")] == ["2 codes used: HAND, MOB"]


def test_a_value_holding_an_element_is_still_absent(validate):
    xml = child(id="C1").replace("<Sex>M</Sex>", "<Sex><X>M</X></Sex>")
    report = validate(make_return(xml))
    assert len(fired(report, "4180")) == 1
    assert len(fired(report, "S06")) == 1
