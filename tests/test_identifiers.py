"""Group 1, child identifiers: UPN (1510-1560Q, 8770Q, 8772), LA child ID (1570, 1580, 8500),
sex (4180, 8750), dates of birth and death (8520, 8525Q, 8530Q, 8535Q, 8545Q, 8775Q).

Each test names the spec example it pins (spec: shared/spec/rules/group1-identifiers.md).
"""

from __future__ import annotations

import re

import pytest
from builders import child, episode, make_return, upn_check_letter, valid_upn
from conftest import codes, fired, issues_of, one_issue, values

from cin_validate.checks import implemented
from cin_validate.checks.identifiers import expected_check_letter


GROUP1_CODES = {"100", "1510", "1520", "1530", "1540", "1550", "1560Q", "1570", "1580", "2886Q",
                "2887Q", "2888Q", "4180", "4220", "8500", "8510", "8520", "8525Q", "8530Q",
                "8535Q", "8540", "8545Q", "8750", "8770Q", "8772", "8775Q", "8790", "8794"}


def test_all_28_group1_rules_are_registered():
    assert GROUP1_CODES <= implemented()
    assert len(GROUP1_CODES) == 28


# -- 1510 check letter ---------------------------------------------------------------------

@pytest.mark.parametrize("upn", [
    "H801200001001",  # worked example 1 (DfE's own)
    "T942123424567",  # worked example 2
    "G80120000101A",  # worked example 3, temporary
    "X94212342456C",  # worked example 4, temporary
    " H801200001001 ",  # trimmed first
])
def test_1510_passes_worked_examples(validate, upn):
    assert issues_of(validate, "1510", child(upn=upn)) == []


@pytest.mark.parametrize("upn, letter", [
    ("Z801200001001", "H"),
    ("A942123424567", "T"),
    ("h801200001001", "H"),  # lower case fires
    ("H80120000101A", "G"),  # temporary UPN: the implementation is silent, the spec fires
    ("I801200001001", "H"),  # I, O, S and digits in position 1 always fire
    ("O801200001001", "H"),
    ("S801200001001", "H"),
    ("1801200001001", "H"),
])
def test_1510_fires_on_wrong_check_letter(validate, upn, letter):
    issue = one_issue(validate, "1510", child(id="C7", upn=upn))
    assert issue.fields == ["UPN"]
    assert values(issue, "UPN") == [upn]
    assert issue.child.la_child_id == "C7"
    assert issue.detail == f"the check letter should be {letter}"


@pytest.mark.parametrize("upn", [
    "H80120000100",  # 12 characters: 1550 fires
    "H8012000010010",  # 14 characters
    "H8012E0001001",  # a letter among characters 2-12: 1540 fires
    "Z80120000101I",  # character 13 outside the alphabet: cannot be checked
    "Z80120000101a",
    None, "",
])
def test_1510_silent_when_upn_cannot_be_checked(validate, upn):
    assert issues_of(validate, "1510", child(upn=upn, upn_unknown="UN2")) == []


def test_1510_algorithm_matches_independent_calculation():
    for seed in range(300):
        upn = valid_upn(f"seed{seed}")
        assert expected_check_letter(upn) == upn_check_letter(upn[1:]) == upn[0]
    assert expected_check_letter("Q207000016049") == "P"  # the suppliers' bad vector says Q


# -- 1530 LA code --------------------------------------------------------------------------

@pytest.mark.parametrize("upn", [
    "H801200001001",  # 801 Bristol
    "T942123424567",  # 942 Cumberland, new in 2023
    "K909123424567",  # 909 Cumbria, abolished but valid in a UPN
    "R420123424567",  # boundary 420
    "X943123424567",  # boundary 943
])
def test_1530_passes_recognised_codes(validate, upn):
    report = validate(make_return(child(upn=upn)))
    assert fired(report, "1530") == []
    assert fired(report, "1510") == []  # the examples' check letters are correct


@pytest.mark.parametrize("upn", [
    "W421123424567",  # 421, just above 420
    "B944123424567",  # 944, just above 943
    "E000200005001",  # 000
    "H8O1200001001",  # letter O is not zero
    "R34",  # too short to hold a code: the implementation is silent
    "R",
])
def test_1530_fires_on_unrecognised_or_missing_code(validate, upn):
    issue = one_issue(validate, "1530", child(upn=upn))
    assert issue.fields == ["UPN"]
    assert values(issue, "UPN") == [upn]


@pytest.mark.parametrize("code, fires", [("001", False), ("005", False), ("006", True),
                                         ("660", False), ("681", False), ("682", True),
                                         ("815", False), ("814", True)])
def test_1530_list_boundaries(validate, code, fires):
    last12 = f"{code}123424567"
    upn = upn_check_letter(last12) + last12
    assert len(issues_of(validate, "1530", child(upn=upn))) == (1 if fires else 0)


def test_1530_silent_without_upn(validate):
    assert issues_of(validate, "1530", child(upn=None, upn_unknown="UN2"),
                  child(id="C2", upn="", upn_unknown="UN2")) == []


# -- 1540 characters 5-12 ------------------------------------------------------------------

@pytest.mark.parametrize("upn", ["H801200001001", "G80120000101A", "H80120000100"])
def test_1540_passes(validate, upn):
    assert issues_of(validate, "1540", child(upn=upn)) == []


@pytest.mark.parametrize("upn", [
    "H8012E0001001",  # character 6 is E
    "H8012",  # too short: the implementation is silent
    "H8012000010",  # 11 characters: character 12 is missing
    "H801２00001001",  # a non-ASCII digit is no digit 0-9
])
def test_1540_fires(validate, upn):
    issue = one_issue(validate, "1540", child(upn=upn))
    assert issue.fields == ["UPN"]


# -- 1550 character 13 and length ----------------------------------------------------------

@pytest.mark.parametrize("upn", ["H801200001001", "G80120000101A", "H801200001001 "])
def test_1550_passes(validate, upn):
    assert issues_of(validate, "1550", child(upn=upn)) == []


@pytest.mark.parametrize("upn", [
    "G80120000101I", "G80120000101O", "G80120000101S",
    "G80120000101a",
    "H80120000100",  # 12 characters: the implementation is silent
    "H8012000010010",  # 14 characters (open question O6): fires
])
def test_1550_fires(validate, upn):
    issue = one_issue(validate, "1550", child(upn=upn))
    assert issue.fields == ["UPN"]


def test_O6_1550_fires_for_upn_longer_than_13_characters(validate):
    # Beyond the DfE text (the implementation is silent); no other rule catches it.
    report = validate(make_return(child(upn="H8012000010010")))
    assert len(fired(report, "1550")) == 1
    assert fired(report, "1510") == fired(report, "1540") == fired(report, "1530") == []


def test_O6_one_faulty_upn_triggers_several_rules(validate):
    report = validate(make_return(child(upn="H8012")))
    upn_rules = {code for code in codes(report) if code in {"1510", "1530", "1540", "1550"}}
    assert upn_rules == {"1540", "1550"}


# -- 1560Q former UPN format ---------------------------------------------------------------

@pytest.mark.parametrize("former", [
    "H801200001001",
    "G80120000101A",  # temporary: the implementation fires
    "Z801200001001",  # wrong check letter, right format
    " H801200001001 ",
    None, "",
])
def test_1560Q_passes(validate, former):
    assert issues_of(validate, "1560Q", child(former_upn=former)) == []


def test_O7_1560Q_accepts_i_o_s_in_a_former_upn(validate):
    assert issues_of(validate, "1560Q", child(former_upn="I80120000101O")) == []


@pytest.mark.parametrize("former", [
    "H80120000100",  # 12 characters
    "H8012000O1001",  # letter O among the digits
    "h801200001001",  # lower-case first letter: the implementation passes it
    "G80120000101a",
    "É80120000101A",  # not an ASCII capital
    "H8012000010010",
])
def test_1560Q_fires(validate, former):
    issue = one_issue(validate, "1560Q", child(id="C9", former_upn=former))
    assert issue.fields == ["FormerUPN"]
    assert values(issue, "FormerUPN") == [former]
    assert issue.child.la_child_id == "C9"


# -- 1570, 1580, 8500 LA child ID ----------------------------------------------------------

def test_1570_boundary_20_characters_pass(validate):
    assert issues_of(validate, "1570", child(id="ABCDEFGHIJ1234567890")) == []


def test_1570_boundary_21_characters_fail(validate):
    issue = one_issue(validate, "1570", child(id="ABCDEFGHIJ12345678901"))
    assert issue.fields == ["LAchildID"]
    assert issue.child.la_child_id == "ABCDEFGHIJ12345678901"


@pytest.mark.parametrize("la_child_id", ["DfEX0000001", "  ABCDEFGHIJ1234567890  ", None, ""])
def test_1570_passes_short_trimmed_or_absent(validate, la_child_id):
    assert issues_of(validate, "1570", child(id=la_child_id, upn="H801200001001")) == []


def test_O12_1570_has_no_10_character_limit_from_the_guide(validate):
    assert issues_of(validate, "1570", child(id="ABCDEFGHIJK")) == []


@pytest.mark.parametrize("la_child_id", ["DfEX0000001", " AB123 ", None, ""])
def test_1580_passes(validate, la_child_id):
    assert issues_of(validate, "1580", child(id=la_child_id, upn="H801200001001")) == []


@pytest.mark.parametrize("la_child_id", ["AB-12345", "AB 123", "AB_123", "ABé123", "AB/1"])
def test_1580_fires(validate, la_child_id):
    issue = one_issue(validate, "1580", child(id=la_child_id, upn="H801200001001"))
    assert issue.fields == ["LAchildID"]
    assert values(issue, "LAchildID") == [la_child_id]


def test_8500_passes_with_an_id(validate):
    assert issues_of(validate, "8500", child(id="DfEX0000001")) == []


@pytest.mark.parametrize("la_child_id", [None, "", "   "])
def test_8500_fires_and_names_the_child_by_position(validate, la_child_id):
    found = issues_of(validate, "8500", child(id="C1"),
                   child(id=la_child_id, upn="H801200001001"))
    assert len(found) == 1
    assert found[0].fields == ["LAchildID"]
    assert found[0].child.la_child_id is None
    assert found[0].child.index == 2
    assert found[0].child.label == "Child[2]"


def without(xml: str, group: str) -> str:
    """The child's XML with one whole group (e.g. ChildIdentifiers) left out."""
    return re.sub(rf"<{group}>.*?</{group}>", "", xml)


def test_8500_fires_when_child_identifiers_block_is_absent(validate):
    report = validate(make_return(without(child(id="C1"), "ChildIdentifiers")))
    assert len(fired(report, "8500")) == 1
    assert {"4180", "8525Q"} <= codes(report)


# -- 4180 sex ------------------------------------------------------------------------------

@pytest.mark.parametrize("sex", ["M", "F", "U", " F "])
def test_4180_passes(validate, sex):
    assert issues_of(validate, "4180", child(sex=sex)) == []


@pytest.mark.parametrize("sex", [None, "", "m", "Male", "X", "0", "1", "2", "9"])
def test_4180_fires(validate, sex):
    issue = one_issue(validate, "4180", child(id="C3", sex=sex))
    assert issue.fields == ["Sex"]
    assert issue.child.la_child_id == "C3"


def test_4180_gender_current_does_not_stand_in_for_sex(validate):
    found = issues_of(validate, "4180",
                   child(sex=None, extra_identifiers="<GenderCurrent>1</GenderCurrent>"))
    assert len(found) == 1


# -- 8750 sex of an unborn child -----------------------------------------------------------

UNBORN = dict(dob=None, edob="2025-06-01", upn=None, upn_unknown="UN1", ethnicity="NOBT")


def test_8750_passes_unborn_with_u(validate):
    assert issues_of(validate, "8750", child(sex="U", **UNBORN)) == []


@pytest.mark.parametrize("sex", ["F", None, "u"])
def test_8750_fires_for_unborn_not_u(validate, sex):
    issue = one_issue(validate, "8750", child(sex=sex, **UNBORN))
    assert issue.fields == ["Sex", "PersonBirthDate", "ExpectedPersonBirthDate"]
    assert values(issue, "PersonBirthDate") == [None]
    assert values(issue, "ExpectedPersonBirthDate") == ["2025-06-01"]


@pytest.mark.parametrize("dob, edob", [
    ("2015-01-01", None),  # born
    ("2015-01-01", "2025-06-01"),  # both dates: 8525Q fires, not 8750
    (None, None),  # neither: not unborn
    (None, "2025-13-01"),  # an invalid expected date counts as absent
])
def test_8750_silent_when_not_unborn(validate, dob, edob):
    assert issues_of(validate, "8750", child(dob=dob, edob=edob, sex="F")) == []


# -- 8520 date of birth after ReferenceDate ------------------------------------------------

@pytest.mark.parametrize("dob", ["2025-03-31", "2015-06-01", "2025-04-31"])
def test_8520_passes_boundary_and_invalid(validate, dob):
    assert issues_of(validate, "8520", child(dob=dob)) == []


def test_8520_passes_unborn(validate):
    assert issues_of(validate, "8520", child(sex="U", **UNBORN)) == []


def test_8520_boundary_fails_2025_04_01(validate):
    issue = one_issue(validate, "8520", child(dob="2025-04-01"))
    assert issue.fields == ["PersonBirthDate"]
    assert values(issue, "PersonBirthDate") == ["2025-04-01"]


def test_O10_wrong_but_valid_reference_date_is_used(validate):
    # ReferenceDate 2024-03-31 (100 fires) moves the cut-off back a year.
    assert len(issues_of(validate, "8520", child(dob="2024-04-01"),
                         reference_date="2024-03-31")) == 1
    assert issues_of(validate, "8520", child(dob="2024-03-31"), reference_date="2024-03-31") == []


@pytest.mark.parametrize("header_date", ["31/03/2025", None, "2025-02-30"])
def test_invalid_reference_date_falls_back_to_2025_03_31(validate, header_date):
    assert issues_of(validate, "8520", child(dob="2025-03-31"), reference_date=header_date) == []
    assert len(issues_of(validate, "8520", child(dob="2025-04-01"),
                      reference_date=header_date)) == 1


# -- 8525Q date of birth or expected date of birth -----------------------------------------

@pytest.mark.parametrize("dob, edob", [
    ("2010-01-01", "2025-06-01"),  # both
    (None, None),  # neither
    ("2015-02-30", None),  # an invalid date of birth counts as absent
    ("", ""),
])
def test_8525Q_fires_on_both_or_neither(validate, dob, edob):
    issue = one_issue(validate, "8525Q", child(dob=dob, edob=edob))
    assert issue.fields == ["PersonBirthDate", "ExpectedPersonBirthDate"]


@pytest.mark.parametrize("dob, edob", [("2010-01-01", None), (None, "2025-06-01"),
                                       ("2010-01-01", "2025-13-45")])
def test_8525Q_passes_on_exactly_one(validate, dob, edob):
    assert issues_of(validate, "8525Q", child(dob=dob, edob=edob)) == []


# -- 8530Q expected date of birth range ----------------------------------------------------

@pytest.mark.parametrize("edob", [
    "2025-03-01",  # O1: lower end included (the implementation fires)
    "2025-06-15",
    "2025-12-31",  # O1: upper end included (the implementation fires)
])
def test_O1_8530Q_passes_march_to_december_both_ends(validate, edob):
    assert issues_of(validate, "8530Q", child(dob=None, edob=edob, sex="U")) == []


@pytest.mark.parametrize("edob", ["2025-02-28", "2026-01-01", "2024-11-20"])
def test_8530Q_fires_outside_range(validate, edob):
    issue = one_issue(validate, "8530Q", child(dob=None, edob=edob, sex="U"))
    assert issue.fields == ["ExpectedPersonBirthDate"]
    assert values(issue, "ExpectedPersonBirthDate") == [edob]


def test_8530Q_applies_when_date_of_birth_also_present(validate):
    report = validate(make_return(child(dob="2010-01-01", edob="2026-01-01")))
    assert len(fired(report, "8530Q")) == 1
    assert len(fired(report, "8525Q")) == 1


@pytest.mark.parametrize("edob", [None, "", "2025-13-01", "01/06/2025"])
def test_8530Q_silent_without_valid_expected_date(validate, edob):
    assert issues_of(validate, "8530Q", child(edob=edob)) == []


@pytest.mark.parametrize("reference_date, edob, fires", [
    ("2024-03-31", "2024-03-01", False), ("2024-03-31", "2024-02-29", True),
    ("2024-03-31", "2024-12-31", False), ("2024-03-31", "2025-01-01", True),
    # plus 9 months keeps the day or takes the month's last day (G4)
    ("2025-05-31", "2026-02-28", False), ("2025-05-31", "2026-03-01", True),
])
def test_8530Q_range_follows_the_reference_date(validate, reference_date, edob, fires):
    found = issues_of(validate, "8530Q", child(dob=None, edob=edob, sex="U"),
                   reference_date=reference_date)
    assert len(found) == (1 if fires else 0)


# -- 8535Q death before birth --------------------------------------------------------------

@pytest.mark.parametrize("dob, dod", [
    ("2010-05-05", "2010-05-05"),  # boundary: death on the day of birth
    ("2010-05-05", None),
    ("2010-05-05", "2010-05-32"),  # an invalid death date: silent
])
def test_8535Q_passes(validate, dob, dod):
    assert issues_of(validate, "8535Q", child(dob=dob, dod=dod)) == []


@pytest.mark.parametrize("dob, edob, dod", [
    ("2010-05-05", None, "2010-05-04"),
    (None, "2025-05-05", "2025-01-04"),  # a pregnancy that did not go to term
    ("2010-02-30", None, "2024-06-01"),  # an invalid date of birth counts as absent
])
def test_8535Q_fires(validate, dob, edob, dod):
    issue = one_issue(validate, "8535Q", child(dob=dob, edob=edob, dod=dod, sex="U"))
    assert issue.fields == ["PersonDeathDate", "PersonBirthDate"]
    assert values(issue, "PersonDeathDate") == [dod]


# -- 8545Q death within the census year ----------------------------------------------------

@pytest.mark.parametrize("dod", ["2024-04-01", "2025-03-31", None, "2025-04-31"])
def test_8545Q_passes_boundaries(validate, dod):
    assert issues_of(validate, "8545Q", child(dod=dod)) == []


@pytest.mark.parametrize("dod", ["2024-03-31", "2025-04-01"])
def test_8545Q_fails_boundaries(validate, dod):
    issue = one_issue(validate, "8545Q", child(dod=dod))
    assert issue.fields == ["PersonDeathDate"]


def test_8545Q_census_year_follows_an_invalid_header_fallback(validate):
    # The implementation is silent when the header date is invalid; the spec's fallback applies.
    assert len(issues_of(validate, "8545Q", child(dod="2024-03-31"), reference_date="bad")) == 1


# -- 8770Q UPN or reason for a school-age child --------------------------------------------

def school_age(dob="2019-08-31", upn=None, upn_unknown=None, episodes=None, id="C1"):
    return child(*(episodes or (episode(nfa="0"),)), id=id, dob=dob, upn=upn,
                 upn_unknown=upn_unknown)


@pytest.mark.parametrize("dob, upn_unknown", [
    ("2019-08-31", None),  # boundary: the last school-age birthday
    ("2019-08-31", "UN1"),  # UN1 says "not of school age"
    ("2010-01-01", "UN8"),  # not a reason
    ("2010-01-01", "un2"),  # compared exactly
    ("2010-01-01", ""),
])
def test_8770Q_fires(validate, dob, upn_unknown):
    issue = one_issue(validate, "8770Q", school_age(dob=dob, upn_unknown=upn_unknown))
    assert issue.fields == ["UPN", "UPNunknown", "PersonBirthDate"]
    assert values(issue, "UPN") == [None]
    assert issue.child.la_child_id == "C1"


def test_O2_8770Q_boundary_first_not_school_age_birth_2019_09_01(validate):
    assert issues_of(validate, "8770Q", school_age(dob="2019-09-01")) == []


def test_O2_8770Q_school_age_cut_off_moves_with_reference_date(validate):
    assert len(issues_of(validate, "8770Q", school_age(dob="2018-08-31"),
                      reference_date="2024-03-31")) == 1
    assert issues_of(validate, "8770Q", school_age(dob="2018-09-01"),
                  reference_date="2024-03-31") == []


@pytest.mark.parametrize("reason", ["UN2", "UN3", "UN4", "UN5", "UN6", "UN7", " UN2 "])
def test_8770Q_passes_with_a_reason(validate, reason):
    assert issues_of(validate, "8770Q", school_age(upn_unknown=reason)) == []


@pytest.mark.parametrize("upn", ["H801200001001", "XYZ"])  # a malformed UPN counts as present
def test_8770Q_passes_with_a_upn(validate, upn):
    assert issues_of(validate, "8770Q", school_age(upn=upn)) == []


def test_8770Q_passes_when_every_episode_is_nfa(validate):
    child_xml = school_age(dob="2010-01-01", episodes=(episode(nfa="true"), episode(nfa="1")))
    assert issues_of(validate, "8770Q", child_xml) == []


@pytest.mark.parametrize("nfa", [None, "yes"])
def test_8770Q_needs_an_nfa_that_is_false(validate, nfa):
    assert issues_of(validate, "8770Q", school_age(episodes=(episode(nfa=nfa),))) == []


def test_8770Q_fires_once_with_nfa_true_and_false(validate):
    child_xml = school_age(dob="2010-01-01",
                           episodes=(episode(nfa="true"), episode(nfa="false"), episode(nfa="0")))
    assert len(issues_of(validate, "8770Q", child_xml)) == 1


@pytest.mark.parametrize("dob, edob", [(None, "2025-06-01"), ("2010-02-30", None)])
def test_8770Q_silent_without_valid_date_of_birth(validate, dob, edob):
    assert issues_of(validate, "8770Q", child(episode(nfa="0"), dob=dob, edob=edob, upn=None)) == []


def test_8770Q_silent_without_episodes(validate):
    assert issues_of(validate, "8770Q", child("", dob="2010-01-01", upn=None)) == []


# -- 8772 UN7 with further action ----------------------------------------------------------

@pytest.mark.parametrize("nfa", ["0", "false", None, "yes"])
def test_8772_fires_on_an_episode_not_nfa(validate, nfa):
    issue = one_issue(validate, "8772", child(episode(nfa=nfa), upn=None, upn_unknown="UN7"))
    assert issue.fields == ["UPNunknown", "ReferralNFA"]
    assert values(issue, "UPNunknown") == ["UN7"]


def test_8772_one_issue_pointing_at_the_second_episode(validate):
    issue = one_issue(validate, "8772", child(episode(nfa="true"), episode(nfa="false"),
                                              upn=None, upn_unknown="UN7"))
    nfa_places = [place for place in issue.places if place.field == "ReferralNFA"]
    assert [(place.path, place.value) for place in nfa_places] == [("CINdetails[2]", "false")]


def test_8772_one_issue_for_several_further_action_episodes(validate):
    issue = one_issue(validate, "8772", child(episode(nfa="0"), episode(nfa="false"),
                                              upn=None, upn_unknown=" UN7 "))
    assert values(issue, "ReferralNFA") == ["0", "false"]


def test_8772_passes_when_every_episode_is_nfa(validate):
    child_xml = child(episode(nfa="true"), episode(nfa="TRUE"), episode(nfa="1"), upn=None,
                      upn_unknown="UN7")
    assert issues_of(validate, "8772", child_xml) == []


@pytest.mark.parametrize("reason", ["UN6", "un7", None])
def test_8772_passes_for_other_reasons(validate, reason):
    assert issues_of(validate, "8772", child(episode(nfa="0"), upn=None, upn_unknown=reason)) == []


def test_O11_8772_silent_for_un7_child_without_episodes(validate):
    assert issues_of(validate, "8772", child("", upn=None, upn_unknown="UN7")) == []


# -- 8775Q over 25 -------------------------------------------------------------------------

def closed(date):
    return episode(close=date, reason="RC1")


@pytest.mark.parametrize("dob, episodes", [
    ("2000-03-31", (episode(),)),  # boundary: turns 25 on ReferenceDate
    ("1999-06-15", (closed("2024-06-15"),)),  # closed on the 25th birthday itself
    ("1999-06-15", (closed("2024-06-14"),)),
    ("1996-02-29", (closed("2021-02-28"),)),  # the 25th birthday counts as 2021-02-28
    ("1990-01-01", ("",)),  # no episodes
    (None, (episode(),)),
])
def test_8775Q_passes(validate, dob, episodes):
    assert issues_of(validate, "8775Q", child(*episodes, dob=dob)) == []


@pytest.mark.parametrize("dob, episodes", [
    ("2000-03-30", (episode(),)),  # boundary: an open episode
    ("1999-06-15", (closed("2024-06-16"),)),
    ("1996-02-29", (closed("2021-03-01"),)),
    ("1990-01-01", (closed("2024-13-01"),)),  # an invalid closure date leaves it open
])
def test_8775Q_fires(validate, dob, episodes):
    issue = one_issue(validate, "8775Q", child(*episodes, dob=dob))
    assert issue.fields == ["PersonBirthDate", "CINclosureDate"]
    assert values(issue, "PersonBirthDate") == [dob]


def test_8775Q_one_issue_pointing_at_the_open_episode_only(validate):
    issue = one_issue(validate, "8775Q", child(closed("2024-06-14"), episode(), dob="1999-06-15"))
    closures = [(place.path, place.value) for place in issue.places
                if place.field == "CINclosureDate"]
    assert closures == [("CINdetails[2]", None)]


def test_8775Q_points_at_every_qualifying_episode(validate):
    issue = one_issue(validate, "8775Q", child(closed("2024-06-16"), closed("2024-06-14"),
                                               episode(), dob="1999-06-15"))
    closures = [place.path for place in issue.places if place.field == "CINclosureDate"]
    assert closures == ["CINdetails[1]", "CINdetails[3]"]


# -- messages and notes (open questions O3, O5) ------------------------------------------

@pytest.mark.parametrize("code, xml, message", [
    ("8525Q", child(dob=None), "Either Date of Birth or Expected Date of Birth must be provided "
     "(but not both)"),
    ("8535Q", child(dob="2010-05-05", dod="2010-05-04"), "Please check and either amend data or "
     "provide a reason: Child\u2019s date of death should not be prior to the date of birth"),
    ("8545Q", child(dod="2024-03-31"), "Please check and either amend data or provide a reason: "
     "Child's date of death should be within the census year"),
    ("1560Q", child(former_upn="X"), "Please check and either amend or provide a reason: "
     "Former UPN wrongly formatted"),
])
def test_O3_messages_are_emitted_exactly_as_the_spec_gives_them(validate, code, xml, message):
    assert [issue.message for issue in issues_of(validate, code, xml)] == [message]


def test_O5_8530Q_note_is_printed_as_the_guide_prints_it(validate):
    report = validate(make_return(child(dob=None, edob="2026-01-01", sex="U")))
    assert ("8530Q: All records have been checked and can confirm that the data has been amended "
            "(where required) and the data is now correct in all instances") in report.notes


# -- readings and boundaries of the group 1 spec -----------------------------------------------

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


@pytest.mark.parametrize("dob", ["01/04/2025", "2025-4-01", "2025-04-01T00:00:00"])
def test_8520_loosely_written_birth_date_is_absent(validate, dob):
    report = validate(make_return(child(dob=dob)))
    assert fired(report, "8520") == []
    assert len(fired(report, "8525Q")) == 1  # neither date is valid


@pytest.mark.parametrize("dod", ["01/04/2025", "2024-03-31T00:00:00"])
def test_8545Q_and_8535Q_silent_for_a_loosely_written_death_date(validate, dod):
    report = validate(make_return(child(dod=dod, dob=None, edob="2025-06-01", sex="U")))
    assert fired(report, "8545Q") == fired(report, "8535Q") == []


@pytest.mark.parametrize("dod, fires", [("2023-03-31", True), ("2023-04-01", False),
                                        ("2024-03-31", False), ("2024-04-01", True)])
def test_8545Q_census_year_shifts_with_a_valid_header(validate, dod, fires):
    assert len(issues_of(validate, "8545Q", child(dod=dod),
                         reference_date="2024-03-31")) == int(fires)


@pytest.mark.parametrize("edob, fires", [("2025-02-28", True), ("2025-03-01", False),
                                         ("2025-12-31", False), ("2026-01-01", True)])
@pytest.mark.parametrize("header_date", [None, "2025-03-31T00:00:00", "2025-02-30"])
def test_8530Q_range_falls_back_to_the_years_reference_date(validate, header_date, edob, fires):
    assert len(issues_of(validate, "8530Q", child(dob=None, edob=edob, sex="U"),
                 reference_date=header_date)) == int(fires)


@pytest.mark.parametrize("dob, fires", [("1999-03-30", True), ("1999-03-31", False)])
def test_8775Q_over_25_shifts_with_a_valid_header(validate, dob, fires):
    assert len(issues_of(validate, "8775Q", child(dob=dob),
                         reference_date="2024-03-31")) == int(fires)


@pytest.mark.parametrize("dob, fires", [("2000-03-30", True), ("2000-03-31", False)])
def test_8775Q_over_25_falls_back_to_the_years_reference_date(validate, dob, fires):
    assert len(issues_of(validate, "8775Q", child(dob=dob),
                         reference_date="31/03/2025")) == int(fires)


@pytest.mark.parametrize("dob, fires", [("2019-08-31", True), ("2019-09-01", False)])
def test_8770Q_school_age_falls_back_to_the_years_reference_date(validate, dob, fires):
    xml = child(episode(nfa="0"), dob=dob, upn=None)
    assert len(issues_of(validate, "8770Q", xml, reference_date="")) == int(fires)


@pytest.mark.parametrize("dob, fires", [("2025-03-31", False), ("2025-04-01", True)])
def test_8520_whitespace_only_header_falls_back(validate, dob, fires):
    assert len(issues_of(validate, "8520", child(dob=dob), reference_date="  ")) == int(fires)


@pytest.mark.parametrize("upn", ["", "   "])
def test_8770Q_empty_upn_is_absent(validate, upn):
    issue = issues_of(validate, "8770Q", child(episode(nfa="0"), dob="2019-08-31", upn=upn))
    assert len(issue) == 1
    assert values(issue[0], "UPN") == [None]


@pytest.mark.parametrize("nfa", ["FALSE", " False ", " 0 "])
def test_8770Q_false_in_any_case_and_trimmed(validate, nfa):
    assert len(issues_of(validate, "8770Q", child(episode(nfa=nfa), dob="2010-01-01",
                         upn=None))) == 1


def test_8772_empty_cindetails_is_no_episode(validate):
    assert issues_of(validate, "8772", child("<CINdetails/>", upn=None, upn_unknown="UN7")) == []
    assert len(issues_of(validate, "8772", child("<CINdetails> <ReferralNFA/> </CINdetails>",
                                         upn=None, upn_unknown="UN7"))) == 1


@pytest.mark.parametrize("nfa", [" true ", "True", " 1 "])
def test_8772_true_in_any_case_and_trimmed(validate, nfa):
    assert issues_of(validate, "8772", child(episode(nfa=nfa), upn=None, upn_unknown="UN7")) == []


def test_8750_sex_is_trimmed(validate):
    assert issues_of(validate, "8750", child(dob=None, edob="2025-06-01", sex=" U ")) == []


def test_8525Q_invalid_expected_date_with_a_date_of_birth_passes(validate):
    assert issues_of(validate, "8525Q", child(dob="2010-01-01", edob="2025-06-01T00:00:00")) == []


def test_8772_children_sharing_an_id_are_not_mixed(validate):
    assert issues_of(validate, "8772",
                  child(episode(nfa="true"), upn=None, upn_unknown="UN7", id="C1"),
                  child(episode(nfa="false"), upn="H801200001001", id="C1")) == []


def test_8770Q_children_sharing_an_id_are_not_mixed(validate):
    assert issues_of(validate, "8770Q",
                  child(episode(nfa="true"), dob="2010-01-01", upn=None, id="C1"),
                  child(episode(nfa="false"), dob="2020-01-01", upn=None, id="C1")) == []


def test_8775Q_children_sharing_an_id_are_not_mixed(validate):
    assert issues_of(validate, "8775Q",
                  child(episode(close="2024-06-14", reason="RC1"), dob="1999-06-15", id="C1"),
                  child(episode(), dob="2010-01-01", upn="T942123424567", id="C1")) == []


def test_issue_for_each_of_two_children_sharing_an_id_names_its_position(validate):
    found = issues_of(validate, "4180", child(sex="X", id="C1"),
                   child(sex="Y", upn="T942123424567", id="C1"))
    assert [(issue.child.la_child_id, issue.child.index) for issue in found] == [("C1", 1),
                                                                                 ("C1", 2)]


def test_a_value_holding_an_element_is_still_absent(validate):
    xml = child(id="C1").replace("<Sex>M</Sex>", "<Sex><X>M</X></Sex>")
    report = validate(make_return(xml))
    assert len(fired(report, "4180")) == 1
    assert len(fired(report, "S06")) == 1
