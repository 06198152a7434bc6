"""Group 4 audit: boundaries and readings of rules/group4-s47-cpp.md not pinned elsewhere.

ReferenceDate fallback and shift (P1), empty groups (P2), which DateOfInitialCPC level a rule
means (P6, P7), identity of groups (P3) and values no rule may crash on (8730).
"""

from __future__ import annotations

import pytest

from builders import child, cpp, el, episode, header, make_return, s47
from conftest import fired


def one_episode(*groups: str, reference_date="2025-03-31", header_xml=None, dod=None,
                **episode_kw) -> str:
    return make_return(child(episode(*groups, **episode_kw), id="C1", dod=dod),
                       reference_date=reference_date, header_xml=header_xml)


def header_without_reference_date() -> str:
    return header().replace("<ReferenceDate>2025-03-31</ReferenceDate>", "")


# --- P1: ReferenceDate falls back to 2025-03-31 when absent or invalid -----------------------

FALLBACKS = [
    pytest.param({"reference_date": "2025-13-31"}, id="invalid"),
    pytest.param({"reference_date": "31/03/2024"}, id="not-ccyy-mm-dd"),
    pytest.param({"reference_date": ""}, id="empty"),
    pytest.param({"header_xml": header_without_reference_date()}, id="absent"),
]


@pytest.mark.parametrize("head", FALLBACKS)
@pytest.mark.parametrize("start, fires", [("2025-03-09", True), ("2025-03-10", False)])
def test_8675Q_cut_off_2025_03_10_when_reference_date_falls_back(validate, head, start, fires):
    report = validate(one_episode(s47(start, not_required="false"), **head))
    assert len(fired(report, "8675Q")) == fires


@pytest.mark.parametrize("head", FALLBACKS)
def test_period_rules_use_2025_03_31_when_reference_date_falls_back(validate, head):
    report = validate(one_episode(
        s47("2024-03-31", not_required="false"),  # 8740: before 2024-04-01
        s47("2024-04-02", cpc="2025-04-01", not_required="false"),  # 8715: after 2025-03-31
        cpp("2025-04-01"),  # 8720: after ReferenceDate
        cpp("2024-03-01", end="2024-03-31"),  # 8930: before the year
        cpp("2024-03-01", end="2025-03-31"),  # 8930: last day passes
        ref="2024-03-01", **head))
    assert [i.places[0].path for i in fired(report, "8740")] == ["CINdetails[1]/Section47[1]"]
    assert [i.places[0].path for i in fired(report, "8715")] == ["CINdetails[1]/Section47[2]"]
    assert [i.places[0].path for i in fired(report, "8720")] == [
        "CINdetails[1]/ChildProtectionPlans[1]"]
    assert [i.places[0].path for i in fired(report, "8930")] == [
        "CINdetails[1]/ChildProtectionPlans[2]"]


# --- P1: a valid but wrong header date (2024-03-31) shifts every period and cut-off ----------

LAST_YEAR = "2024-03-31"  # census year 2023-04-01 .. 2024-03-31


@pytest.mark.parametrize("start, fires", [("2024-03-31", False), ("2024-04-01", True)])
def test_8720_upper_limit_follows_header_reference_date(validate, start, fires):
    report = validate(one_episode(cpp(start), ref="2023-05-01", reference_date=LAST_YEAR))
    assert len(fired(report, "8720")) == fires


@pytest.mark.parametrize("end, fires", [
    ("2023-03-31", True), ("2023-04-01", False), ("2024-03-31", False), ("2024-04-01", True),
])
def test_8930_period_follows_header_reference_date(validate, end, fires):
    report = validate(one_episode(cpp("2023-03-01", end=end), ref="2023-03-01",
                                  reference_date=LAST_YEAR))
    assert len(fired(report, "8930")) == fires


@pytest.mark.parametrize("start, fires", [
    ("2023-03-31", True), ("2023-04-01", False), ("2024-03-31", False), ("2024-04-01", True),
])
def test_8740_period_follows_header_reference_date(validate, start, fires):
    report = validate(one_episode(s47(start, not_required="false"), ref="2023-03-01",
                                  reference_date=LAST_YEAR))
    assert len(fired(report, "8740")) == fires


@pytest.mark.parametrize("start, checked", [
    ("2023-03-31", False), ("2023-04-01", True), ("2024-03-31", True), ("2024-04-01", False),
])
def test_2885_checked_plans_follow_header_reference_date(validate, start, checked):
    report = validate(one_episode(cpp(start), ref="2023-03-01", reference_date=LAST_YEAR))
    assert len(fired(report, "2885")) == checked


@pytest.mark.parametrize("plan_start, cpc, fires", [
    ("2024-03-29", "2023-03-31", True),  # the conference falls before the shifted year
    ("2024-03-29", "2023-04-03", False),
    ("2024-04-01", None, False),  # the plan falls after the shifted year: not counted
])
def test_2883_counts_follow_header_reference_date(validate, plan_start, cpc, fires):
    xml = make_return(child(episode(s47("2023-03-20", cpc=cpc, not_required="false"),
                                    cpp(plan_start), ref="2023-03-20")),
                      reference_date=LAST_YEAR)
    assert len(fired(validate(xml), "2883")) == fires


@pytest.mark.parametrize("a_start, fires", [("2024-03-31", True), ("2024-04-01", False)])
def test_8890_open_group_lasts_to_header_reference_date(validate, a_start, fires):
    report = validate(one_episode(s47("2024-01-02", not_required="false"),
                                  s47(a_start, not_required="true"), ref="2024-01-02",
                                  reference_date=LAST_YEAR))
    assert len(fired(report, "8890")) == fires


@pytest.mark.parametrize("a_start, fires", [("2024-03-31", True), ("2024-04-01", False)])
def test_8940_open_plan_lasts_to_header_reference_date(validate, a_start, fires):
    report = validate(one_episode(cpp("2024-01-02"), cpp(a_start, end="2024-05-01"),
                                  ref="2024-01-02", reference_date=LAST_YEAR))
    assert len(fired(report, "8940")) == fires


# --- P2: empty groups are absent; a group with one (empty) child element is present ----------

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


def test_2885_empty_section47_is_not_associated(validate):
    report = validate(one_episode("<Section47/>", cpp("2024-06-17"), cpc="2024-06-17"))
    assert fired(report, "2885") == []


def test_2885_section47_with_flag_not_given_is_associated(validate):
    report = validate(one_episode(s47("2024-06-01", not_required=""), cpp("2024-06-17"),
                                  cpc="2024-06-17"))
    [issue] = fired(report, "2885")
    assert issue.places[1].path == "CINdetails[1]/Section47[1]"


# --- P6: the S47 rules mean the S47-level DateOfInitialCPC, never the CIN-level one ----------


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


# --- P3: groups are elements; equal values are still two groups ------------------------------


def test_8890_two_open_groups_starting_the_same_day_flag_each_other(validate):
    report = validate(one_episode(s47("2024-05-01", not_required="false"),
                                  s47("2024-05-01", not_required=None)))
    issues = fired(report, "8890")
    assert [(i.places[0].path, i.places[1].path) for i in issues] == [
        ("CINdetails[1]/Section47[1]", "CINdetails[1]/Section47[2]"),
        ("CINdetails[1]/Section47[2]", "CINdetails[1]/Section47[1]")]
    assert all(i.child.la_child_id == "C1" for i in issues)


def test_8935_and_8940_name_the_child_of_each_issue(validate):
    report = validate(make_return(child(episode(cpp("2024-05-01")), id="C1"),
                                  child(episode(cpp("2024-05-01"), cpp("2024-06-03")), id="C2")))
    assert [i.child.la_child_id for i in fired(report, "8935")] == ["C2"]
    assert [i.child.la_child_id for i in fired(report, "8940")] == ["C2"]


def test_2884_two_episodes_with_the_same_cin_level_date_give_one_issue_per_s47(validate):
    report = validate(make_return(child(
        episode(ref="2024-05-01", close="2024-08-01", reason="RC1", cpc="2024-05-20"),
        episode(s47("2024-09-02", cpc="2024-05-20", not_required="false"), ref="2024-09-02",
                cpc="2024-05-20"))))
    [issue] = fired(report, "2884")
    assert [p.path for p in issue.places] == ["CINdetails[1]", "CINdetails[2]",
                                              "CINdetails[2]/Section47[1]"]


# --- 8730: an integer of any length is read, never a crash -----------------------------------


@pytest.mark.parametrize("previous, fires", [
    pytest.param("0" * 5000 + "3", False, id="leading-zeros"),
    pytest.param("9" * 5000, False, id="huge"),
    pytest.param("-" + "9" * 5000, True, id="huge-negative"),
    pytest.param("-" + "0" * 5000, False, id="minus-zero"),
])
def test_8730_very_long_integers(validate, previous, fires):
    report = validate(one_episode(cpp(previous=previous)))
    assert len(fired(report, "8730")) == fires
