"""Group 1, rules over the whole return: duplicates (1520, 8510) and percentages
(2886Q, 2887Q, 2888Q).

Each test names the spec example it pins (spec: shared/spec/rules/group1-identifiers.md).
"""

from __future__ import annotations

import tracemalloc

import pytest
from builders import child, make_return
from conftest import fired, issues_of, values

from cin_validate.checks.return_level import _Holders
from cin_validate.model import ChildRef

UPN = "H801200001001"


@pytest.fixture(params=["in memory", "on disk"])
def either_index(request, monkeypatch):
    """The duplicate rules' index of values, as for any real return (in memory) and as for one
    of more than `_Holders.IN_MEMORY` values (on disk): the same issues either way."""
    if request.param == "on disk":
        monkeypatch.setattr(_Holders, "IN_MEMORY", 0)


# -- 1520 duplicate UPN --------------------------------------------------------------------

@pytest.mark.usefixtures("either_index")
def test_1520_fails_twice_for_two_children_with_the_same_upn(validate):
    found = issues_of(validate, "1520", child(id="C1", upn=UPN), child(id="C2", upn=UPN),
                   child(id="C3"))
    assert [issue.child.la_child_id for issue in found] == ["C1", "C2"]
    assert all(issue.fields == ["UPN"] for issue in found)
    assert [issue.places[0].value for issue in found] == [UPN, UPN]
    assert [issue.detail_text for issue in found] == ["also C2", "also C1"]
    assert [[other.la_child_id for other in issue.others.children] for issue in found] == [
        ["C2"], ["C1"]]
    assert found[0].message == "More than one record with the same UPN."  # O3: full stop kept


@pytest.mark.usefixtures("either_index")
def test_1520_k_children_sharing_a_upn_give_k_issues(validate):
    children = [child(id=f"C{n}", upn=UPN) for n in range(1, 9)]
    found = issues_of(validate, "1520", *children)
    assert len(found) == 8
    assert found[0].detail_text == "also C2, C3, C4, C5, C6 and 2 more"
    assert found[7].detail_text == "also C1, C2, C3, C4, C5 and 2 more"
    assert found[3].detail_text == "also C1, C2, C3, C5, C6 and 2 more"
    assert (len(found[3].others.children), found[3].others.more) == (5, 2)


@pytest.mark.usefixtures("either_index")
def test_O9_1520_lower_case_upn_is_a_different_value(validate):
    report = validate(make_return(child(id="C1", upn=UPN), child(id="C3", upn=UPN.lower())))
    assert fired(report, "1520") == []
    assert [issue.child.la_child_id for issue in fired(report, "1510")] == ["C3"]


@pytest.mark.usefixtures("either_index")
def test_1520_trims_before_comparing(validate):
    found = issues_of(validate, "1520", child(id="C1", upn=UPN), child(id="C2", upn=f" {UPN} "))
    assert len(found) == 2


@pytest.mark.usefixtures("either_index")
def test_1520_any_present_value_counts_valid_or_not(validate):
    assert len(issues_of(validate, "1520", child(id="C1", upn="XYZ"), child(id="C2",
                         upn="XYZ"))) == 2


@pytest.mark.parametrize("upn", [None, ""])
@pytest.mark.usefixtures("either_index")
def test_1520_children_without_upn_never_take_part(validate, upn):
    children = [child(id=f"C{n}", upn=upn, upn_unknown="UN2") for n in range(3)]
    assert issues_of(validate, "1520", *children) == []


@pytest.mark.usefixtures("either_index")
def test_1520_former_upn_plays_no_part(validate):
    assert issues_of(validate, "1520", child(id="C1", upn=UPN),
                  child(id="C2", former_upn=UPN)) == []


@pytest.mark.usefixtures("either_index")
def test_1520_two_children_sharing_id_and_upn_get_two_issues(validate):
    # The implementation groups by (LAchildID, UPN) and reports one.
    found = issues_of(validate, "1520", child(id="C1", upn=UPN), child(id="C1", upn=UPN))
    assert [issue.child.index for issue in found] == [1, 2]


# -- 8510 duplicate LA child ID ------------------------------------------------------------

@pytest.mark.usefixtures("either_index")
def test_8510_fails_twice_for_two_children_with_the_same_id(validate):
    found = issues_of(validate, "8510", child(id="C123", upn="H801200001001"),
                   child(id="C9"), child(id="C123", upn="T942123424567"))
    assert [(issue.child.la_child_id, issue.child.index) for issue in found] == [
        ("C123", 1), ("C123", 3)]
    assert all(issue.fields == ["LAchildID"] for issue in found)
    assert [issue.detail_text for issue in found] == ["also Child[3]", "also Child[1]"]


@pytest.mark.usefixtures("either_index")
def test_O9_8510_compares_case_sensitively(validate):
    # COLLECT might treat these as equal; the spec says exact.
    assert issues_of(validate, "8510", child(id="C123"), child(id="c123")) == []


@pytest.mark.usefixtures("either_index")
def test_8510_trims_before_comparing(validate):
    assert len(issues_of(validate, "8510", child(id="C123", upn=UPN),
                      child(id=" C123 ", upn="T942123424567"))) == 2


@pytest.mark.parametrize("la_child_id", [None, ""])
@pytest.mark.usefixtures("either_index")
def test_8510_children_without_id_are_not_duplicates(validate, la_child_id):
    report = validate(make_return(child(id=la_child_id, upn=UPN),
                                  child(id=la_child_id, upn="T942123424567")))
    assert fired(report, "8510") == []
    assert len(fired(report, "8500")) == 2


# -- 2886Q no sex recorded -----------------------------------------------------------------

def return_with(total, special, **special_options):
    """`total` children, of whom `special` are built with `special_options`."""
    children = [child(id=f"S{n}", **special_options) for n in range(special)]
    children += [child(id=f"C{n}") for n in range(total - special)]
    return children


UNBORN = dict(dob=None, edob="2025-06-01", upn=None, upn_unknown="UN1")


@pytest.mark.parametrize("total, without_sex", [(50, 1), (100, 2)])
def test_2886Q_boundary_exactly_2_percent_passes(validate, total, without_sex):
    assert issues_of(validate, "2886Q", *return_with(total, without_sex, sex="U")) == []


@pytest.mark.parametrize("total, without_sex, detail", [
    (50, 2, "2 of 50 children (4.00%)"),
    (100, 3, "3 of 100 children (3.00%)"),
    (49, 1, "1 of 49 children (2.04%)"),
])
def test_2886Q_fires_once_above_2_percent(validate, total, without_sex, detail):
    found = issues_of(validate, "2886Q", *return_with(total, without_sex, sex="U"))
    assert len(found) == 1
    assert found[0].child is None
    assert found[0].fields == ["Sex", "ExpectedPersonBirthDate"]
    assert found[0].detail == detail


@pytest.mark.parametrize("sex", [None, ""])
def test_2886Q_counts_absent_or_empty_sex(validate, sex):
    assert len(issues_of(validate, "2886Q", *return_with(50, 2, sex=sex))) == 1


def test_2886Q_invalid_sex_is_not_counted(validate):
    assert issues_of(validate, "2886Q", *return_with(50, 2, sex="X")) == []


def test_2886Q_unborn_children_are_excluded(validate):
    children = return_with(100, 5, sex="U", **UNBORN)[:5] + return_with(95, 2, sex="U")
    assert len(children) == 100
    assert issues_of(validate, "2886Q", *children) == []


def test_2886Q_any_valid_expected_date_excludes_the_child(validate):
    # G5: "excluding unborns" leaves out everyone with an expected date, born or not.
    both_dates = child(id="B1", sex="U", edob="2025-06-01")
    children = [both_dates] + return_with(49, 1, sex="U")
    assert issues_of(validate, "2886Q", *children) == []


def test_2886Q_invalid_expected_date_is_counted(validate):
    children = return_with(50, 2, sex="U", edob="2025-13-01")
    assert len(issues_of(validate, "2886Q", *children)) == 1


def test_2886Q_denominator_counts_unborn_and_id_less_children(validate):
    # 1 born child without sex among 50 children, 10 of them unborn or without an ID: 2%.
    children = (return_with(10, 10, sex="U", **UNBORN) + [child(id=None, upn=None)]
                + return_with(39, 1, sex="U"))
    assert len(children) == 50
    assert issues_of(validate, "2886Q", *children) == []


def test_2886Q_silent_for_a_return_with_no_children(validate):
    assert issues_of(validate, "2886Q") == []


# -- 2887Q fewer than 8 disability codes ---------------------------------------------------

SEVEN = ["MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR"]


def disabled_children(*lists):
    return [child(id=f"C{n}", disabilities=codes) for n, codes in enumerate(lists)]


def test_2887Q_boundary_seven_codes_fail(validate):
    found = issues_of(validate, "2887Q", *disabled_children(*[(code,) for code in SEVEN],
                                                         ("NONE",), ("NONE",)))
    assert len(found) == 1
    assert found[0].child is None
    assert found[0].fields == ["Disability"]
    assert found[0].detail == "7 codes used: COMM, HAND, HEAR, INC, LD, MOB, PC"


def test_2887Q_boundary_eight_codes_pass(validate):
    children = disabled_children(*[(code,) for code in SEVEN], ("VIS",), ("NONE",))
    assert issues_of(validate, "2887Q", *children) == []


def test_2887Q_fails_when_every_child_has_none(validate):
    found = issues_of(validate, "2887Q", *disabled_children(("NONE",), ("NONE",)))
    assert [issue.detail for issue in found] == ["0 codes used: none"]


def test_2887Q_detail_names_a_single_code(validate):
    found = issues_of(validate, "2887Q", *disabled_children(("NONE",), ("VIS",)))
    assert [issue.detail for issue in found] == ["1 code used: VIS"]


@pytest.mark.parametrize("extra", [("XYZ",), ("vis",), ("",), ("NONE",)])
def test_2887Q_invalid_empty_and_none_values_are_not_counted(validate, extra):
    assert len(issues_of(validate, "2887Q", *disabled_children(*[(code,) for code in SEVEN],
                                                            extra))) == 1


def test_2887Q_each_code_counts_once_however_many_children(validate):
    children = disabled_children(*[tuple(SEVEN)] * 5)
    assert len(issues_of(validate, "2887Q", *children)) == 1


def test_2887Q_counts_codes_of_a_child_that_also_has_none(validate):
    children = disabled_children(tuple(SEVEN), ("NONE", "DDA"))
    assert issues_of(validate, "2887Q", *children) == []


def test_2887Q_the_implementation_inversion_is_not_copied(validate):
    # The implementation fires on 8 real codes and no NONE, and is silent on 2 codes + 8 NONE.
    assert issues_of(validate, "2887Q", *disabled_children(tuple(SEVEN + ["VIS"]))) == []
    assert len(issues_of(validate, "2887Q", *disabled_children(("MOB", "HAND"),
                                                            *[("NONE",)] * 8))) == 1


# -- 2888Q only one disability per child ---------------------------------------------------

def test_2888Q_fails_when_every_disabled_child_has_one_code(validate):
    found = issues_of(validate, "2888Q", *disabled_children(("MOB",), ("HAND",), ("NONE",)))
    assert len(found) == 1
    assert found[0].child is None
    assert found[0].fields == ["Disability"]
    assert found[0].detail == "2 children have one disability code, none has more"


def test_2888Q_passes_when_one_child_has_two_codes(validate):
    children = disabled_children(("MOB",), ("HAND",), ("NONE",), ("MOB", "HAND"))
    assert issues_of(validate, "2888Q", *children) == []


@pytest.mark.parametrize("lists", [
    [("NONE",), ("NONE",)],
    [None, None],
    [("XYZ",), ("NONE",)],
])
def test_O8_2888Q_silent_when_no_child_has_a_code(validate, lists):
    assert issues_of(validate, "2888Q", *disabled_children(*lists)) == []


def test_2888Q_detail_for_a_single_child(validate):
    found = issues_of(validate, "2888Q", *disabled_children(("MOB",)))
    assert [issue.detail for issue in found] == ["1 child has one disability code, none has more"]


@pytest.mark.parametrize("lists", [
    [("MOB", "MOB"), ("HAND",)],  # a repeated code is one disability (the implementation: two)
    [("MOB", "XYZ")],  # an invalid value is not a disability (the implementation: two)
    [("MOB", "NONE")],
    [("MOB", "mob")],
])
def test_O8_2888Q_counts_distinct_valid_codes_only(validate, lists):
    assert len(issues_of(validate, "2888Q", *disabled_children(*lists))) == 1


def test_2888Q_children_sharing_an_id_are_not_combined(validate):
    # G3: the implementation joins on LAchildID and would see [MOB, HAND] for "C1".
    children = [child(id="C1", upn=UPN, disabilities=("MOB",)),
                child(id="C1", upn="T942123424567", disabilities=("HAND",))]
    assert len(issues_of(validate, "2888Q", *children)) == 1


# -- readings of the group 1 spec: absent values, trimming -------------------------------------

@pytest.mark.usefixtures("either_index")
def test_1520_whitespace_only_upns_are_not_duplicates(validate):
    assert issues_of(validate, "1520", child(id="C1", upn="   ", upn_unknown="UN2"),
                  child(id="C2", upn=" ", upn_unknown="UN2")) == []


@pytest.mark.usefixtures("either_index")
def test_8510_whitespace_only_ids_are_not_duplicates(validate):
    report = validate(make_return(child(id="  ", upn="H801200001001"),
                                  child(id=" ", upn="T942123424567")))
    assert fired(report, "8510") == []
    assert [issue.child.index for issue in fired(report, "8500")] == [1, 2]


@pytest.mark.usefixtures("either_index")
def test_8510_three_children_sharing_an_id_give_three_issues(validate):
    found = issues_of(validate, "8510", child(id="C1", upn="H801200001001"),
                   child(id="C1", upn="T942123424567"), child(id="C1", upn=None,
                                                                upn_unknown="UN2"))
    assert [issue.child.index for issue in found] == [1, 2, 3]
    assert all(values(issue, "LAchildID") == ["C1"] for issue in found)


def fifty(special: int, **options):
    return ([child(id=f"S{n}", **options) for n in range(special)]
            + [child(id=f"C{n}") for n in range(50 - special)])


@pytest.mark.parametrize("sex, fires", [(" U ", True), ("u", False), ("0", False), ("M", False)])
def test_2886Q_sex_is_trimmed_and_compared_exactly(validate, sex, fires):
    assert len(issues_of(validate, "2886Q", *fifty(2, sex=sex))) == (1 if fires else 0)


def test_2886Q_date_of_birth_plays_no_part(validate):
    # Neither date: not unborn in the DfE's sense (no expected date), so counted.
    assert len(issues_of(validate, "2886Q", *fifty(2, sex="U", dob=None))) == 1


def test_2886Q_loosely_written_expected_date_is_absent(validate):
    assert len(issues_of(validate, "2886Q", *fifty(2, sex="U", edob="01/06/2025"))) == 1


def test_comment_or_pi_inside_a_value_keeps_its_text(validate):
    xml = (child(id="C1", upn="H801200001001", disabilities=("MOB", "HAND"))
           .replace("<LAchildID>C1", "<LAchildID><!-- id -->C1")
           .replace("<UPN>H8012", "<UPN>H8012<!-- split -->")
           .replace("<Sex>M", "<Sex><?producer x?>M")
           .replace("<Disability>MOB", "<Disability><!-- first -->MOB"))
    report = validate(make_return(xml))
    assert {issue.code for issue in report.issues} == {"2887Q"}
    assert [issue.detail for issue in fired(report, "2887Q")] == ["2 codes used: HAND, MOB"]


@pytest.mark.parametrize("in_memory", [100, 0, 4], ids=["in memory", "on disk", "spilled"])
def test_duplicates_are_found_exactly_in_memory_and_across_batches_on_disk(monkeypatch,
                                                                        in_memory):
    """The values stay in memory up to IN_MEMORY, then all go to disk in batches: a value
    shared across batches is still found, with each child's own line, its count and the first
    holders, in child order; the same rows either way."""
    monkeypatch.setattr(_Holders, "IN_MEMORY", in_memory)
    monkeypatch.setattr(_Holders, "_BATCH", 3)
    holders = _Holders()
    values = ["A", "b", "B", "A", "c", "A", "b"]  # "b" and "B" differ: case-sensitive
    for index, value in enumerate(values, start=1):
        holders.add(value, ChildRef(index, f"C{index}", 10 * index), 10 * index + 2)
    assert (holders._db is None) == (in_memory == 100)
    found = [(ref.index, value, line, count, [r.index for r in first])
             for value, ref, line, count, first in holders.shared()]
    assert found == [(1, "A", 12, 3, [1, 4, 6]), (2, "b", 22, 2, [2, 7]),
                     (4, "A", 42, 3, [1, 4, 6]), (6, "A", 62, 3, [1, 4, 6]),
                     (7, "b", 72, 2, [2, 7])]


@pytest.mark.parametrize("in_memory", [1000, 0], ids=["in memory", "on disk"])
def test_the_first_holders_named_are_the_first_six_in_child_order(monkeypatch, in_memory):
    """Eight children share a value: each issue counts eight and names the first
    OTHERS_SHOWN + 1 holders (the others are taken from them), in memory and on disk alike."""
    monkeypatch.setattr(_Holders, "IN_MEMORY", in_memory)
    holders = _Holders()
    for index in range(1, 11):
        holders.add("X" if index % 5 else "Y", ChildRef(index, f"C{index}", index), index)
    rows = [(ref.index, value, count, [r.index for r in first])
            for value, ref, _line, count, first in holders.shared()]
    first_x = [1, 2, 3, 4, 6, 7]
    assert rows == [(index, "Y", 2, [5, 10]) if index % 5 == 0 else (index, "X", 8, first_x)
                    for index in range(1, 11)]


def test_past_in_memory_the_holder_table_keeps_no_value_in_memory():
    """Memory stays flat whatever the size of the return: once IN_MEMORY values are passed,
    they go to disk, and 300,000 children's values held cost less than 25 MB of Python
    memory (the first IN_MEMORY as objects on their way to disk, then a batch waiting to be
    written); as objects they would take about 70 MB."""
    holders = _Holders()
    tracemalloc.start()
    try:
        for index in range(1, 300_001):
            holders.add(f"H{index:012d}", ChildRef(index, f"C{index}", index), index)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert holders._db is not None
    assert peak < 25 * 2**20
    assert list(holders.shared()) == []
