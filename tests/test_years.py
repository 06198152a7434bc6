"""Collection years (spec years.md): which year a return is validated against, what each year
changes, the dates each must produce, and how every output names the rule set and its status."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from builders import assessment, child, episode, header, make_return, pre_proceedings, s47
from click.testing import CliRunner
from conftest import codes, fired

from cin_validate import years
from cin_validate.checks.assessments import open_assessment_cutoff
from cin_validate.checks.base import context_for
from cin_validate.cli import main
from cin_validate.dates import working_days_before
from cin_validate.model import Header

# years.md's table, as the spec writes it: the tests pin what the calendar computes.
TABLE = {
    # year: (<Year>, ReferenceDate, period start, 8670Q cut-off, 8675Q cut-off, 8569Q "C", status)
    "2024-25": ("2025", "2025-03-31", "2024-04-01", "2025-01-27", "2025-03-10", "2024-03-28",
                "verified"),
    "2025-26": ("2026", "2026-03-31", "2025-04-01", "2026-01-27", "2026-03-10", "2025-03-31",
                "provisional"),
    "2026-27": ("2027", "2027-03-31", "2026-04-01", "2027-01-25", "2027-03-08", "2026-03-31",
                "preview"),
}
D = date.fromisoformat
DAY = timedelta(days=1)


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_the_tool_holds_exactly_the_years_of_the_spec():
    assert list(years.held()) == list(TABLE)
    for year, (header_year, reference, *_rest, status) in TABLE.items():
        collection = years.get(year)
        assert (collection.header_year, collection.reference_date.isoformat(),
                collection.status) == (header_year, reference, status)
    assert years.default().year == "2024-25"


@pytest.mark.parametrize("year", TABLE)
def test_census_period_and_working_day_cut_offs_of_each_year(year):
    _y, reference, start, cut_8670q, cut_8675q, c_8569q, _s = TABLE[year]
    ctx = context_for(None, years.get(year))
    assert (ctx.period.start, ctx.period.end) == (D(start), D(reference))
    assert open_assessment_cutoff(ctx) == D(cut_8670q)
    assert ctx.period.working_days_before_end(15) == D(cut_8675q)
    assert working_days_before(ctx.period.start, 1) == D(c_8569q)


def one_child_return(year: str, *groups: str, **episode_kwargs) -> str:
    header_year, reference, *_ = TABLE[year]
    return make_return(child(episode(*groups, **episode_kwargs), id="C1"),
                       reference_date=reference, year=header_year)


@pytest.mark.parametrize("year", TABLE)
def test_8670Q_boundary_moves_with_the_year(validate, year):
    cut_off = D(TABLE[year][3])
    on = one_child_return(year, assessment(start=cut_off.isoformat(), auth=None, factors=None))
    before = one_child_return(year, assessment(start=(cut_off - DAY).isoformat(), auth=None,
                                               factors=None))
    assert fired(validate(on), "8670Q") == [] and len(fired(validate(before), "8670Q")) == 1


@pytest.mark.parametrize("year", TABLE)
def test_8675Q_boundary_moves_with_the_year(validate, year):
    cut_off = D(TABLE[year][4])

    def enquiry(start: date) -> str:
        return one_child_return(year, s47(start=start.isoformat(), not_required="false"))

    assert fired(validate(enquiry(cut_off)), "8675Q") == []
    assert len(fired(validate(enquiry(cut_off - DAY)), "8675Q")) == 1


@pytest.mark.parametrize("year", TABLE)
def test_8569Q_boundary_moves_with_the_year(validate, year):
    c = D(TABLE[year][5])

    def nfa_referral(day: date) -> str:
        return one_child_return(year, "", ref=day.isoformat(), nfa="true")

    assert fired(validate(nfa_referral(c)), "8569Q") == []
    assert len(fired(validate(nfa_referral(c - DAY)), "8569Q")) == 1


def test_cut_offs_are_not_written_as_literals_in_the_source():
    """The calendar computes them (years.md): no string or date(...) literal in src/ holds one
    (docstrings may name them as examples)."""
    import ast
    from pathlib import Path

    cut_offs = {D(day) for _y, _r, _s, *days, _st in TABLE.values() for day in days[:3]}
    found = []
    for path in Path(years.__file__).parent.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef))
                      and node.body and isinstance(node.body[0], ast.Expr)}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                    and id(node) not in docstrings):
                found += [(path.name, day) for day in cut_offs if day.isoformat() in node.value]
            if isinstance(node, ast.Call) and len(node.args) == 3 and all(
                    isinstance(arg, ast.Constant) for arg in node.args):
                found += [(path.name, day) for day in cut_offs
                          if tuple(arg.value for arg in node.args) == (day.year, day.month, day.day)]
    assert found == []


# -- choosing the year -------------------------------------------------------------------------

@pytest.mark.parametrize("reference, year_text, expected, how", [
    ("2025-03-31", "2025", "2024-25", years.BY_REFERENCE_DATE),
    ("2026-03-31", "2026", "2025-26", years.BY_REFERENCE_DATE),
    ("2027-03-31", "2027", "2026-27", years.BY_REFERENCE_DATE),
    ("2026-03-31", "2025", "2025-26", years.BY_REFERENCE_DATE),  # the date comes before <Year>
    ("2025-04-01", "2025", "2024-25", years.BY_YEAR),  # mistyped date: <Year> names it
    ("31/03/2026", "2026", "2025-26", years.BY_YEAR),
    (None, " 2027 ", "2026-27", years.BY_YEAR),
    ("2024-03-31", "2024", "2024-25", years.BY_DEFAULT),  # a 2023-24 return
    (None, None, "2024-25", years.BY_DEFAULT),
    ("2028-03-31", "2028", "2024-25", years.BY_DEFAULT),
])
def test_choose_follows_years_md(reference, year_text, expected, how):
    from cin_validate.values import parse_date

    head = Header(reference_date_text=reference, reference_date=parse_date(reference),
                  year=year_text.strip() if year_text else None)
    choice = years.choose(head)
    assert (choice.collection.year, choice.chosen_by) == (expected, how)


def test_the_year_option_always_wins():
    head = Header(reference_date_text="2025-03-31", reference_date=D("2025-03-31"), year="2025")
    choice = years.choose(head, "2026-27")
    assert (choice.collection.year, choice.chosen_by) == ("2026-27", years.BY_OPTION)
    assert years.choose(None, "2025-26").collection.year == "2025-26"


def test_an_unknown_year_is_refused_with_the_held_ones():
    with pytest.raises(years.UnknownYear, match="2024-25, 2025-26, 2026-27"):
        years.get("2023-24")


def test_header_naming_no_held_year_gets_notice_S09_first_and_is_validated_as_2024_25(validate):
    xml = make_return(child(id="C1"), reference_date="2024-03-31", year="2024")
    report = validate(xml)
    assert report.collection.year == "2024-25" and report.chosen_by == years.BY_DEFAULT
    assert report.issues[0].code == "S09" and report.issues[0].severity == "notice"
    assert "ReferenceDate 2024-03-31 and Year 2024" in report.issues[0].detail
    assert "--year" in report.issues[0].detail
    assert len(fired(report, "100")) == 1  # 2024-25 expects 2025-03-31
    assert report.reference_date == D("2024-03-31")  # a valid date is still used (G1)


def test_a_return_without_header_gets_S07_and_S09(validate):
    xml = make_return(child(id="C1"), header_xml="")
    report = validate(xml)
    assert {"S07", "S09", "100"} <= codes(report)
    assert report.reference_date == D("2025-03-31")


def test_a_held_year_named_by_the_header_gets_no_notice(validate):
    for year, (header_year, reference, *_rest) in TABLE.items():
        report = validate(make_return(child(id="C1"), reference_date=reference, year=header_year))
        assert report.collection.year == year and "S09" not in codes(report)
        assert fired(report, "100") == []


@pytest.mark.parametrize("year", TABLE)
def test_the_wrong_year_option_fires_rule_100_with_its_expected_date(tmp_path, year):
    path = tmp_path / "return.xml"
    path.write_text(make_return(child(id="C1")), encoding="utf-8")  # a 2024-25 header
    result = run(path, "--year", year, "--format", "json")
    data = json.loads(result.stdout)
    rule_100 = [i for i in data["issues"] if i["code"] == "100"]
    assert data["rule_set"]["year"] == year and data["rule_set"]["chosen_by"] == "option"
    assert bool(rule_100) == (year != "2024-25")
    if rule_100:
        assert rule_100[0]["detail"] == f"expected {TABLE[year][1]}"


def test_the_fallback_reference_date_is_the_chosen_years(validate):
    bad = header(reference_date="31/03/2027", year="2027")
    report = validate(make_return(child(id="C1"), header_xml=bad))
    assert report.collection.year == "2026-27"
    assert report.reference_date == D("2027-03-31") and len(fired(report, "100")) == 1


# -- what each year changes --------------------------------------------------------------------

def test_2025_26_relabels_primary_need_N1_and_keeps_every_code():
    old, new = (years.get(y).codeset("primary-need") for y in ("2024-25", "2025-26"))
    assert new["N1"] == "Abuse, neglect and exploitation" and old["N1"] != new["N1"]
    assert set(old) == set(new)
    assert all(old[code] == new[code] for code in old if code != "N1")
    for name in years.default().codesets:
        assert years.get("2025-26").codes[name] == years.default().codes[name]


def test_2026_27_adds_the_module_5_group_and_its_code_set():
    assert years.get("2026-27").elements == {"PreProceedingsandFGDM"}
    assert years.get("2025-26").elements == frozenset()
    assert years.get("2026-27").codes["pre-proceedings-outcome"] == {"A", "B", "C"}
    assert "pre-proceedings-outcome" not in years.get("2025-26").codesets


def test_later_years_copy_nothing_of_2024_25():
    """Data, not copies: a later year's folders hold only what it adds or changes."""
    from cin_validate.data import data_path

    for year in ("2025-26", "2026-27"):
        files = {p.name for p in (data_path("rules") / year).iterdir()}
        assert files <= {"collection.toml", "module5-pre-proceedings.toml"}
        codeset_folder = data_path("codesets") / year
        if codeset_folder.is_dir():
            assert {p.name for p in codeset_folder.iterdir()} <= {"pre-proceedings-outcome.csv"}


# -- how outputs name the rule set ---------------------------------------------------------------

@pytest.fixture
def returns(tmp_path):
    """A return of each year with no error: one child referred and assessed in that year."""
    made = {}
    for year, (header_year, reference, start, *_rest) in TABLE.items():
        start = D(start)
        groups = (pre_proceedings(),) if year == "2026-27" else ()
        on = {days: (start + timedelta(days=days)).isoformat() for days in (60, 61, 80)}
        group = episode(assessment(start=on[61], auth=on[80]), *groups, ref=on[60])
        path = tmp_path / f"{year}.xml"
        path.write_text(make_return(child(group, id="C1"), reference_date=reference,
                                    year=header_year), encoding="utf-8")
        made[year] = path
    return made


@pytest.mark.parametrize("year", TABLE)
def test_json_rule_set_object_and_the_collection_key_keeps_its_meaning(returns, year):
    data = json.loads(run(returns[year], "--format", "json").stdout)
    collection = years.get(year)
    assert {key: data["rule_set"][key] for key in ("year", "status", "reference_date", "rules")} \
        == {"year": year, "status": collection.status,
            "reference_date": collection.reference_date.isoformat(),
            "rules": len(collection.rules)}
    assert data["rule_set"]["chosen_by"] == "reference_date"
    assert data["collection"] == {"collection": "CIN", "year": TABLE[year][0]}
    assert data["summary"]["rules_total"] == len(collection.rules)


def test_terminal_verdict_names_the_rule_set_and_never_dresses_a_preview_as_verified(returns):
    verified = run(returns["2024-25"]).stdout
    assert "PASS: no errors  ·  rule set 2024-25 (verified)" in verified
    for year in ("2025-26", "2026-27"):
        out = run(returns[year]).stdout
        status = years.get(year).status
        verdict = [line for line in out.splitlines() if line.startswith(("PASS", "FAIL"))][0]
        assert f"rule set {year} is {status.upper()}" in verdict
        assert f"Rule set          {year} ({status}" in out or f"{year} ({status}" in out


def test_terminal_says_first_when_the_header_names_no_held_year(tmp_path):
    path = tmp_path / "old.xml"
    path.write_text(make_return(child(id="C1"), reference_date="2024-03-31", year="2024"))
    first = run(path).stdout.splitlines()[0]
    assert first.startswith("Note: the header names no collection year cin-validate holds")
    assert "2024-25 (verified)" in first and "--year" in first


def test_github_junit_html_xlsx_name_the_rule_set(returns, tmp_path):
    import xml.etree.ElementTree as ET

    import openpyxl

    github = run(returns["2025-26"], "--format", "github").stdout.splitlines()[0]
    assert github.startswith("::warning ") and "2025-26 rule set, provisional" in github
    junit = ET.fromstring(run(returns["2026-27"], "--format", "junit").stdout)
    suite = junit.find("testsuite")
    properties = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert properties["rule_set"] == "2026-27" and properties["rule_set_status"] == "preview"
    assert "[2026-27 rules: preview]" in suite.get("name")
    html = run(returns["2026-27"], "--format", "html").stdout
    assert "children in need census 2026 to 2027" in html.lower()
    assert 'class="verdict pass unverified"' in html and "2026-27 rules: preview" in html
    out = tmp_path / "r.xlsx"
    assert run(returns["2025-26"], "-o", out).exit_code == 0
    sheet = openpyxl.load_workbook(out)["Summary"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    head = rows[3]
    assert rows[4][head.index("Rule set")] == "2025-26"
    assert rows[4][head.index("Rule set status")] == "provisional"
    assert "2025 to 2026" in rows[0][0]


def test_several_files_of_different_years_each_name_their_own(returns):
    result = run(returns["2024-25"], returns["2026-27"], "--format", "json", "--jobs", "1")
    data = json.loads(result.stdout)
    assert [d["rule_set"]["year"] for d in data] == ["2024-25", "2026-27"]
    summary = run(returns["2024-25"], returns["2026-27"], "--jobs", "1").stdout
    assert "2024-25 (verified)" in summary and "2026-27 (preview)" in summary


# -- choosing with options and configuration -------------------------------------------------------

def test_year_from_the_configuration_file_and_the_command_line_wins(returns, tmp_path):
    (returns["2024-25"].parent / "cin-validate.toml").write_text('year = "2025-26"\n')
    data = json.loads(run(returns["2024-25"], "--format", "json").stdout)
    assert data["rule_set"]["year"] == "2025-26" and data["rule_set"]["chosen_by"] == "option"
    data = json.loads(run(returns["2024-25"], "--format", "json", "--year", "2024-25").stdout)
    assert data["rule_set"]["year"] == "2024-25"


def test_an_unknown_year_is_a_command_line_mistake(returns, tmp_path):
    result = run(returns["2024-25"], "--year", "2023-24")
    assert result.exit_code == 2 and "2024-25" in result.output
    (tmp_path / "cin-validate.toml").write_text('year = "2030-31"\n')
    result = run(returns["2024-25"])
    assert result.exit_code == 2 and "year must be one of 2024-25, 2025-26, 2026-27" in result.output


def test_rules_and_explain_follow_the_year(returns):
    listing = run("rules", "--year", "2026-27").stdout
    assert "Rule set 2026-27" in listing and "preview" in listing
    assert "{0} of {0} rules checked".format(len(years.get("2026-27").rules)) in listing
    assert "from the message" in listing and "quoted" in listing
    base = "{0} of {0} rules checked".format(len(years.get("2024-25").rules))
    assert base in run("rules").stdout
    assert base in run("rules", "--year", "2025-26").stdout
    explained = run("explain", "9009", "--year", "2026-27").stdout
    assert "from the message" in explained and "2026-27: preview" in explained
    assert "checks.pre_proceedings.step_decision_date_invalid" in explained
    refused = run("explain", "9009", "--year", "2024-25")
    assert refused.exit_code == 2 and "new in 2026-27" in refused.output
    carried = run("explain", "8670Q", "--year", "2025-26").stdout
    assert "2024-25 (verified), 2025-26 (provisional), 2026-27 (preview)" in carried
    assert "checks.assessments.open_assessment_too_long (checks/assessments.py:" in carried


def test_explain_for_a_later_year_says_that_year_s_dates():
    # The rule texts give 2024-25's dates; rule 100 expects the year's own ReferenceDate.
    later = " ".join(run("explain", "100", "--year", "2026-27").stdout.split())  # unwrapped
    assert "not exactly the collection year's ReferenceDate (2025-03-31 in 2024-25)" in later
    assert "Dates in 2026-27" in later
    assert "ReferenceDate is 2027-03-31 and the census year 2026-04-01 to 2027-03-31" in later
    assert "Dates in 2025-26" in run("explain", "8545Q", "--year", "2025-26").stdout
    assert "Dates in" not in run("explain", "100", "--year", "2024-25").stdout  # its own year
    assert "Dates in" not in run("explain", "1510", "--year", "2026-27").stdout  # gives no date
    assert "Dates in" not in run("explain", "9005", "--year", "2026-27").stdout  # written for it


def test_stats_follows_the_year_and_counts_pre_proceedings_groups(returns):
    data = json.loads(run("stats", returns["2026-27"], "--format", "json").stdout)
    assert data["pre_proceedings_groups"] == 1 and data["rule_set"]["year"] == "2026-27"
    assert "Pre-proceedings groups" in run("stats", returns["2026-27"]).stdout
    as_2025_26 = json.loads(run("stats", returns["2026-27"], "--format", "json",
                                "--year", "2025-26").stdout)
    assert as_2025_26["pre_proceedings_groups"] == 0  # the element is unknown in 2025-26
    assert as_2025_26["rule_set"]["year"] == "2025-26"


def test_details_show_module_5_values(returns, tmp_path):
    path = tmp_path / "pp.xml"
    path.write_text(one_child_return("2026-27", pre_proceedings(outcome="Z")), encoding="utf-8")
    out = run(path, "--details").stdout
    assert "9011" in out and "PPOutcome" in out and "Z" in out


# -- year on year across years ---------------------------------------------------------------------

def test_previous_works_across_years_and_refuses_the_same_or_a_later_year(returns, tmp_path):
    result = run(returns["2025-26"], "--previous", returns["2024-25"], "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["year_on_year_measures"]["last"]["period_end"] == "2025-03-31"
    assert data["year_on_year_measures"]["this"]["period_end"] == "2026-03-31"
    same = run(returns["2025-26"], "--previous", returns["2025-26"])
    assert same.exit_code == 2
    assert "2026-03-31, the same as this return's (2026-03-31)" in same.output
    later = run(returns["2025-26"], "--previous", returns["2026-27"])
    assert later.exit_code == 2 and "later than" in later.output
    counts = tmp_path / "counts.json"
    assert run("stats", returns["2026-27"], "--format", "json", "-o", counts).exit_code == 0
    refused = run(returns["2025-26"], "--previous-counts", counts)
    assert refused.exit_code == 2 and "2027-03-31" in refused.output
    assert run("notes", returns["2024-25"], "--previous", returns["2025-26"]).exit_code == 2
