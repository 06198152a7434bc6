"""Group 1, child characteristics: ethnicity (4220) and disability (8540, 8790, 8794).

Each test names the spec example it pins (spec: shared/spec/rules/group1-identifiers.md).
"""

from __future__ import annotations

import re

import pytest
from builders import child, episode
from conftest import issues_of, one_issue, values


# -- 4220 ethnicity ------------------------------------------------------------------------

@pytest.mark.parametrize("ethnicity", ["WBRI", "NOBT", "REFU", " WBRI ", "MWBC", "OOTH"])
def test_4220_passes(validate, ethnicity):
    assert issues_of(validate, "4220", child(ethnicity=ethnicity)) == []


@pytest.mark.parametrize("ethnicity", [None, "", "wbri", "WBR", "WHITE", "ABAB"])
def test_4220_fires(validate, ethnicity):
    issue = one_issue(validate, "4220", child(id="C5", ethnicity=ethnicity))
    assert issue.fields == ["Ethnicity"]
    assert issue.child.la_child_id == "C5"


def test_4220_fires_when_child_characteristics_block_is_absent(validate):
    xml = re.sub(r"<ChildCharacteristics>.*?</ChildCharacteristics>", "", child(id="C1"))
    assert "<Ethnicity>" not in xml
    assert len(issues_of(validate, "4220", xml)) == 1


def test_4220_unborn_children_are_not_exempt(validate):
    unborn = dict(dob=None, edob="2025-06-01", sex="U", upn=None, upn_unknown="UN1")
    assert len(issues_of(validate, "4220", child(ethnicity=None, **unborn))) == 1
    assert issues_of(validate, "4220", child(ethnicity="NOBT", **unborn)) == []


# -- 8540 disability missing or invalid ----------------------------------------------------

def born_2015(*episodes, disabilities, id="C1", **options):
    return child(*(episodes or (episode(nfa="0"),)), id=id, dob="2015-01-01",
                 disabilities=disabilities, **options)


@pytest.mark.parametrize("disabilities", [
    None,  # no <Disabilities>
    (),  # <Disabilities></Disabilities>
    ("",),  # only an empty <Disability/>
    ("", "  "),
])
def test_8540_fires_with_no_disability_values(validate, disabilities):
    issue = one_issue(validate, "8540", born_2015(disabilities=disabilities))
    assert issue.fields == ["Disabilities", "PersonBirthDate", "ReferralNFA"]
    assert values(issue, "ReferralNFA") == ["0"]
    assert values(issue, "PersonBirthDate") == ["2015-01-01"]


@pytest.mark.parametrize("disabilities", [("MOB",), ("NONE",), ("NONE", ""), (" HAND ", "VIS")])
def test_8540_passes_with_valid_values(validate, disabilities):
    assert issues_of(validate, "8540", born_2015(disabilities=disabilities)) == []


@pytest.mark.parametrize("disabilities, nfa, invalid", [
    (("MOB", "XYZ"), "false", ["XYZ"]),
    (("mob",), "0", ["mob"]),  # lower case is invalid
    (("none", "MOB", "X"), "0", ["none", "X"]),
])
def test_8540_fires_on_invalid_values_pointing_at_each(validate, disabilities, nfa, invalid):
    issue = one_issue(validate, "8540", born_2015(episode(nfa=nfa), disabilities=disabilities))
    assert issue.fields == ["Disability", "PersonBirthDate", "ReferralNFA"]
    assert values(issue, "Disability") == invalid


def test_8540_fires_with_nfa_false_in_capitals(validate):
    # The implementation recognises only `false` and `0`, so it is silent here.
    assert len(issues_of(validate, "8540", born_2015(episode(nfa="FALSE"), disabilities=None))) == 1


@pytest.mark.parametrize("nfa", ["true", None, "yes"])
def test_8540_silent_without_a_false_nfa(validate, nfa):
    assert issues_of(validate, "8540", born_2015(episode(nfa=nfa), disabilities=None)) == []


def test_8540_silent_without_episodes(validate):
    assert issues_of(validate, "8540", born_2015("", disabilities=None)) == []


@pytest.mark.parametrize("dob, edob", [(None, "2025-06-01"), ("2015-02-30", None)])
def test_8540_silent_without_a_valid_date_of_birth(validate, dob, edob):
    xml = child(episode(nfa="0"), dob=dob, edob=edob, sex="U", disabilities=None)
    assert issues_of(validate, "8540", xml) == []


def test_8540_one_issue_pointing_at_every_false_nfa(validate):
    xml = born_2015(episode(nfa="0"), episode(nfa="true"), episode(nfa="false"),
                    disabilities=("XYZ",))
    issue = one_issue(validate, "8540", xml)
    nfa = [(place.path, place.value) for place in issue.places if place.field == "ReferralNFA"]
    assert nfa == [("CINdetails[1]", "0"), ("CINdetails[3]", "false")]


# -- 8790 NONE with other values -----------------------------------------------------------

@pytest.mark.parametrize("disabilities, pointed", [
    (("NONE", "MOB"), ["NONE", "MOB"]),
    (("NONE", "XYZ"), ["NONE", "XYZ"]),  # invalid values count as "other"
    (("MOB", "NONE", "HAND", "NONE"), ["MOB", "NONE", "HAND", "NONE"]),  # one issue
    (("NONE", "", "mob"), ["NONE", "mob"]),  # empty elements are not pointed at
])
def test_8790_fires_once_pointing_at_every_disability(validate, disabilities, pointed):
    issue = one_issue(validate, "8790", child(id="C4", disabilities=disabilities))
    assert issue.fields == ["Disability"]
    assert values(issue, "Disability") == pointed
    assert issue.child.la_child_id == "C4"


@pytest.mark.parametrize("disabilities", [
    ("NONE",), ("NONE", "NONE"), ("MOB", "HAND"), ("NONE", ""), ("none", "MOB"), None,
])
def test_8790_passes(validate, disabilities):
    assert issues_of(validate, "8790", child(disabilities=disabilities)) == []


def test_8790_disability_places_carry_their_own_lines(validate):
    xml = child(disabilities=("NONE", "MOB")).replace("</Disability><Disability>",
                                                      "</Disability>\n<Disability>")
    issue = one_issue(validate, "8790", xml)
    lines = [place.line for place in issue.places]
    assert lines[1] == lines[0] + 1


# -- 8794 repeated disability --------------------------------------------------------------

@pytest.mark.parametrize("disabilities, pointed", [
    (("MOB", "MOB"), ["MOB", "MOB"]),
    (("NONE", "NONE"), ["NONE", "NONE"]),
    (("MOB", "HAND", "MOB", "HAND"), ["MOB", "HAND", "MOB", "HAND"]),  # one issue
    (("MOB", "HAND", "MOB"), ["MOB", "MOB"]),  # only the repeated elements
    (("MOB", " MOB "), ["MOB", "MOB"]),  # trimmed before comparing
    (("XYZ", "XYZ"), ["XYZ", "XYZ"]),  # validity plays no part
])
def test_8794_fires_once_pointing_at_repeated_elements(validate, disabilities, pointed):
    issue = one_issue(validate, "8794", child(disabilities=disabilities))
    assert issue.fields == ["Disability"]
    assert values(issue, "Disability") == pointed


@pytest.mark.parametrize("disabilities", [("MOB", "HAND"), ("MOB", "mob"), ("", ""),
                                          ("NONE", ""), None])
def test_8794_passes(validate, disabilities):
    assert issues_of(validate, "8794", child(disabilities=disabilities)) == []


def test_8794_same_code_for_two_children_passes(validate):
    assert issues_of(validate, "8794", child(id="C1", disabilities=("NONE",)),
                  child(id="C2", disabilities=("NONE",))) == []


def test_8794_children_sharing_an_id_are_not_mixed(validate):
    # The implementation groups by LAchildID and fires here.
    assert issues_of(validate, "8794", child(id="C1", upn="H801200001001", disabilities=("NONE",)),
                  child(id="C1", upn="T942123424567", disabilities=("NONE",))) == []


# -- readings of the group 1 spec, and children sharing an ID (G3) -----------------------------

@pytest.mark.parametrize("nfa", ["False", " false "])
def test_8540_false_in_any_case_and_trimmed(validate, nfa):
    assert len(issues_of(validate, "8540", child(episode(nfa=nfa), dob="2015-01-01",
                                         disabilities=None))) == 1


def test_8540_no_disabilities_points_at_the_empty_container(validate):
    issue = issues_of(validate, "8540", child(episode(nfa="0"), dob="2015-01-01",
                                           disabilities=("",)))[0]
    assert issue.fields == ["Disabilities", "PersonBirthDate", "ReferralNFA"]
    assert values(issue, "Disabilities") == [None]


def test_8540_true_and_false_episodes_point_only_at_the_false_one(validate):
    issue = issues_of(validate, "8540", child(episode(nfa="true"), episode(nfa="0"),
                                           dob="2015-01-01", disabilities=None))[0]
    places = [(p.path, p.value) for p in issue.places if p.field == "ReferralNFA"]
    assert places == [("CINdetails[2]", "0")]


def test_8540_children_sharing_an_id_are_not_mixed(validate):
    assert issues_of(validate, "8540",
                  child(episode(nfa="true"), dob="2015-01-01", disabilities=None, id="C1"),
                  child(episode(nfa="false"), dob=None, edob="2025-06-01", sex="U",
                        disabilities=None, id="C1")) == []


def test_8790_children_sharing_an_id_are_not_mixed(validate):
    assert issues_of(validate, "8790", child(disabilities=("NONE",), id="C1"),
                  child(disabilities=("MOB",), upn="T942123424567", id="C1")) == []
