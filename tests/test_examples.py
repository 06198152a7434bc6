"""The shipped examples do what the README says, end to end through the command line."""

import json
from pathlib import Path

from click.testing import CliRunner
from lxml import etree

from cin_validate import catalogue, years
from cin_validate.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
GUIDE = Path(__file__).resolve().parents[2] / "shared" / "spec" / "cin-census-2024-25-guide.txt"

# What examples/problems.xml holds: the XML comment above each child says why.
EXPECTED_PROBLEMS = {
    ("C002", "1510"), ("C003", "8565"), ("C003", "8630"), ("C003", "S01"), ("C004", "8670Q"),
    ("C005", "8675Q"), ("C006", "8530Q"), ("C007", "8825Q"), ("C008", "8614"), ("C008", "S02"),
}
EXPECTED_NOTES = [
    "8530Q: All records have been checked and can confirm that the data has been amended (where required) and the data is now correct in all instances",
    "8670Q: All records have been checked and can confirm that the data has been amended (where required). All remaining queries relate to open assessments longer than 45 working days.",
    "8675Q: All records have been checked and can confirm that the data has been amended (where required). All remaining queries relate to initial child protection conferences that took place after the year end.",
    "8825Q: All records have been checked and can confirm that the data has been amended (where required). All remaining queries relate to assessments that were completed in the previous reporting period or where an assessment was not required.",
]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_clean_example_passes_with_no_errors_and_no_queries():
    result = run(EXAMPLES / "clean.xml", "--format", "json")
    assert result.exit_code == 0
    summary = json.loads(result.stdout)["summary"]
    assert (summary["errors"], summary["queries"], summary["notices"]) == (0, 0, 0)
    assert summary["rules_checked"] == len(years.default().rules)


def test_clean_2026_27_example_passes_with_no_option_and_shows_module_5():
    """A preview year's return: the header names 2026-27, so no --year is needed; its module 5
    groups (some children one, some two, at every stage) fire none of the 12 new rules."""
    path = EXAMPLES / "clean-2026-27.xml"
    for options in ([], ["--fail-on", "query"]):
        result = run(path, "--format", "json", *options)
        assert result.exit_code == 0, result.stdout
    data = json.loads(result.stdout)
    assert (data["rule_set"]["year"], data["rule_set"]["status"]) == ("2026-27", "preview")
    summary = data["summary"]
    assert (summary["errors"], summary["queries"], summary["notices"]) == (0, 0, 0)
    assert summary["rules_checked"] == 121
    root = etree.parse(str(path)).getroot()
    per_child = [len(child.findall("CINdetails/PreProceedingsandFGDM"))
                 for child in root.iter("Child")]
    assert {0, 1, 2} <= set(per_child)
    assert root.find(".//PreProceedingsandFGDM/LetterInitCPDate") is not None


def test_problems_example_fails_with_exactly_its_documented_problems():
    result = run(EXAMPLES / "problems.xml", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    found = {(i["child_id"], i["code"]) for i in data["issues"]}
    assert found == EXPECTED_PROBLEMS
    assert data["notes"] == EXPECTED_NOTES


def test_notes_command_prints_exactly_the_notes():
    result = run("notes", EXAMPLES / "problems.xml")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == EXPECTED_NOTES


def test_terminal_report_of_problems_shows_the_notes_unwrapped():
    out = run(EXAMPLES / "problems.xml").stdout
    for note in EXPECTED_NOTES:
        assert note in out.splitlines()
    assert "FAIL" in out


def test_notes_are_the_guide_text_character_for_character():
    if not GUIDE.exists():
        import pytest
        pytest.skip(f"the DfE guide is not beside this checkout ({GUIDE})")
    guide_lines = set(GUIDE.read_text(encoding="utf-8").splitlines())
    for info in years.default().rules.values():
        if info.auto_ok_note:
            assert info.auto_ok_note in guide_lines, info.code


def test_issues_by_rule_list_errors_then_queries_then_notices():
    from cin_validate.engine import validate_file

    rows = validate_file(EXAMPLES / "problems.xml").by_rule()
    assert [row[1] for row in rows] == ["error"] * 4 + ["query"] * 4 + ["notice"] * 2
    assert rows[0][0] == "1510" and rows[4][0] == "8670Q"
