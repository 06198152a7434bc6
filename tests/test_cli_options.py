"""The options of `cin-validate FILE...`: exit policy, rule selection, configuration files,
several files in parallel, output files, the progress bar's conditions."""

import json
import os
from datetime import date

import pytest
from builders import assessment, child, episode, make_return
from output_helpers import PROBLEMS, problems_report, run
from rich.console import Console

from cin_validate import catalogue, policy, years
from cin_validate.checks import identifiers
from cin_validate.checks.base import Place
from cin_validate.model import ChildRef, Header
from cin_validate.output import progress
from cin_validate.report import Issue, Report
from cin_validate.selection import resolve

# Eight disability codes keep the return-level query 2887Q quiet in one-child returns.
CODES = ("AUT", "BEH", "COMM", "CON", "DDA", "HAND", "HEAR", "INC")


def write(tmp_path, name, xml):
    path = tmp_path / name
    path.write_text(xml)
    return path


@pytest.fixture
def notice_only(tmp_path):
    return write(tmp_path, "notice.xml", make_return(child(id="N1", extra="<Odd/>",
                                                           disabilities=CODES)))


@pytest.fixture
def query_only(tmp_path):
    return write(tmp_path, "query.xml", make_return(child(
        episode(assessment(start="2024-11-04", auth=None, factors=None)), id="Q1",
        disabilities=CODES)))


def summary(path, *args):
    result = run(path, "--format", "json", "--no-config", *args)
    return result.exit_code, json.loads(result.stdout)


# --- the exit policy -----------------------------------------------------------------------

def test_fail_on_error_query_never(query_only, notice_only):
    report = problems_report()
    assert report.errors and report.queries  # the fixture has both
    assert run(PROBLEMS, "-q", "--no-config").exit_code == 1
    assert run(PROBLEMS, "-q", "--fail-on", "query").exit_code == 1
    assert run(PROBLEMS, "-q", "--fail-on", "never").exit_code == 0

    code, data = summary(query_only)
    assert (data["summary"]["errors"], data["summary"]["queries"]) == (0, 1)
    assert code == 0
    assert summary(query_only, "--fail-on", "query")[0] == 1
    assert summary(query_only, "--fail-on", "never")[0] == 0


def test_fail_on_never_says_what_was_found_and_never_pass_over_errors(tmp_path, query_only,
                                                                      notice_only):
    """Exit 0, but no PASS over a return with errors or queries: the verdict says what the
    return has and that the policy does not fail it; in the -q line, the summary table of
    several files and the HTML badge too. A return with nothing to correct still passes."""
    for args in ((), ("-q",)):
        result = run(PROBLEMS, "--fail-on", "never", "--no-config", *args)
        assert result.exit_code == 0
        verdict = result.stdout.splitlines()[-1]
        assert "PASS" not in result.stdout, args
        assert ("NOT FAILED (--fail-on never): the return has errors and queries, which this "
                "policy does not fail") in verdict, verdict
    queries = run(query_only, "--fail-on", "never", "--no-config").stdout.splitlines()[-1]
    assert queries.startswith("NOT FAILED (--fail-on never): the return has queries")
    clean = run(notice_only, "--fail-on", "never", "--no-config").stdout.splitlines()[-1]
    assert clean.startswith("PASS")
    several = run(PROBLEMS, notice_only, "--fail-on", "never", "--no-config", "-q").stdout
    assert "1 pass, 1 not failed of 2 files" in several
    html = tmp_path / "r.html"
    assert run(PROBLEMS, "--fail-on", "never", "-o", html, "--no-config").exit_code == 0
    assert '<span class="verdict not-failed">not failed</span>' in html.read_text()


def test_structural_notices_never_fail(notice_only):
    code, data = summary(notice_only, "--fail-on", "query")
    assert data["summary"]["notices"] == 1 and data["summary"]["errors"] == 0
    assert data["summary"]["queries"] == 0
    assert code == 0


def test_year_on_year_queries_never_count_for_the_exit_policy():
    def issue(code, severity):
        return Issue(code, severity, "m", None, ())

    report = Report("f", Header(), date(2025, 3, 31),
                    issues=[issue("YonY 01", "query"), issue("YonY 02", "error"),
                            issue("S01", "notice")])
    assert not any(policy.counts_for_exit(i.code, i.severity) for i in report.issues)
    assert policy.verdict(report, "query") == policy.PASS
    report.issues.append(issue("8670Q", "query"))
    assert policy.verdict(report, "query") == policy.FAIL
    assert policy.verdict(report, "error") == policy.PASS


def test_terminal_verdict_follows_the_policy(query_only):
    assert "PASS" in run(query_only, "--no-config").stdout
    out = run(query_only, "--fail-on", "query", "--no-config").stdout
    assert "FAIL: the return has queries (--fail-on query)" in out


# --- --select and --ignore -----------------------------------------------------------------

def test_ignore_codes_and_rules_checked_follow_the_selection():
    code, data = summary(PROBLEMS, "--ignore", "8670Q,8675Q")
    codes = {i["code"] for i in data["issues"]}
    assert not codes & {"8670Q", "8675Q"}
    assert data["summary"]["rules_checked"] == len(years.default().rules) - 2
    assert "8670Q" in {i.code for i in problems_report().issues}


def test_select_a_family_keeps_structural_notices_unless_ignored():
    _, data = summary(PROBLEMS, "--select", "85")
    codes = {i["code"] for i in data["issues"]}
    assert codes and all(c.startswith("85") or c.startswith("S") for c in codes)
    assert {"S01", "S02"} <= codes
    expected = [c for c in years.default().rules if c.startswith("85")]
    assert data["summary"]["rules_checked"] == len(expected)
    _, data = summary(PROBLEMS, "--select", "85", "--ignore", "S01", "--ignore", "8525q")
    codes = {i["code"] for i in data["issues"]}
    assert "S01" not in codes and "8525Q" not in codes and "S02" in codes


def test_selection_patterns():
    assert resolve().codes is None
    chosen = resolve(["1510,85"], ["8530Q"]).codes
    assert "1510" in chosen and "8500" in chosen and "8530Q" not in chosen and "1520" not in chosen


def test_unknown_pattern_is_a_usage_error():
    result = run(PROBLEMS, "--ignore", "9999Z")
    assert result.exit_code == 2 and "9999Z" in result.stderr


# --- configuration files -------------------------------------------------------------------

def test_cin_validate_toml_beside_the_file_and_the_command_line_wins(tmp_path):
    path = write(tmp_path, "r.xml", PROBLEMS.read_text())
    (tmp_path / "cin-validate.toml").write_text('fail-on = "never"\nignore = ["8670Q"]\n'
                                                'format = "json"\n')
    result = run(path)
    assert result.exit_code == 0
    data = json.loads(result.stdout)  # format from the file
    assert "8670Q" not in {i["code"] for i in data["issues"]}
    assert run(path, "--fail-on", "error").exit_code == 1
    assert "8670Q" in {i["code"] for i in json.loads(run(path, "--ignore", "S01").stdout)["issues"]}
    assert run(path, "--no-config", "-q").exit_code == 1


def test_pyproject_table_in_a_folder_above(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.cin-validate]\nfail-on = "query"\n'
                                             'select = "15"\n')
    sub = tmp_path / "returns" / "2025"
    sub.mkdir(parents=True)
    (sub / "pyproject.toml").write_text('[project]\nname = "other"\n')  # no table: passed over
    path = write(sub, "r.xml", PROBLEMS.read_text())
    result = run(path, "--format", "json")
    data = json.loads(result.stdout)
    assert {i["code"] for i in data["issues"] if i["severity"] != "notice"} <= {
        c for c in years.default().rules if c.startswith("15")}
    assert result.exit_code == 1


def test_bad_configuration_is_exit_2(tmp_path):
    path = write(tmp_path, "r.xml", PROBLEMS.read_text())
    (tmp_path / "cin-validate.toml").write_text('fail_on = "never"\n')
    result = run(path)
    assert result.exit_code == 2 and "unknown setting 'fail_on'" in result.stderr
    (tmp_path / "cin-validate.toml").write_text('fail-on = "sometimes"\n')
    assert run(path).exit_code == 2
    assert run(path, "--config", tmp_path / "missing.toml").exit_code == 2


# --- several files -------------------------------------------------------------------------

def test_several_files_json_list_summary_and_worst_exit(tmp_path, notice_only, query_only):
    folder = tmp_path / "month"
    folder.mkdir()
    write(folder, "a.xml", PROBLEMS.read_text())
    write(folder, "b.XML", make_return(child(id="B1", disabilities=CODES)))
    (folder / "notes.txt").write_text("not a return")
    result = run(notice_only, query_only, folder, "--format", "json", "--no-config", "-j", "1")
    data = json.loads(result.stdout)
    assert [os.path.basename(d["file"]) for d in data] == ["notice.xml", "query.xml", "a.xml",
                                                           "b.XML"]
    assert [d["verdict"] for d in data] == ["pass", "pass", "fail", "pass"]
    assert result.exit_code == 1
    assert all("summary" in d and "issues" in d for d in data)

    table = run(notice_only, folder, "--no-config", "-j", "1", "-q").stdout
    for column in ("File", "LA", "Children", "Errors", "Queries", "Verdict"):
        assert column in table
    assert "1 fail" in table and "2 pass" in table


def test_an_unreadable_file_is_reported_and_the_others_still_validated(tmp_path, notice_only):
    broken = write(tmp_path, "broken.xml", "<Message><Children><Child>")
    missing = tmp_path / "missing.xml"
    result = run(notice_only, broken, missing, PROBLEMS, "--format", "json", "--no-config",
                 "--fail-on", "never")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert [d["verdict"] for d in data] == ["pass", "unreadable", "unreadable", "pass"]
    assert data[1]["error"] and data[2]["error"].endswith("no such file")
    assert data[3]["summary"]["children"] == problems_report().children
    assert "broken.xml" in result.stderr and "missing.xml" in result.stderr


def test_jobs_in_parallel_give_the_same_reports(tmp_path):
    files = []
    for n in range(4):
        files.append(write(tmp_path, f"r{n}.xml", PROBLEMS.read_text()))
    one = json.loads(run(*files, "--format", "json", "-j", "1", "--no-config").stdout)
    two = json.loads(run(*files, "--format", "json", "-j", "2", "--no-config").stdout)
    assert one == two and len(one) == 4


def test_an_internal_error_in_one_file_is_exit_3_and_the_others_still_run(tmp_path, monkeypatch,
                                                                          notice_only):
    def broken(child, ctx):
        if child.ref.la_child_id == "BOOM":
            raise ZeroDivisionError("bug")
        return ()

    monkeypatch.setitem(identifiers.CHILD_CHECKS, "8500", broken)  # the engine reads module tables
    boom = write(tmp_path, "boom.xml", make_return(child(id="BOOM", disabilities=CODES)))
    result = run(boom, notice_only, "--format", "json", "-j", "1", "--no-config")
    assert result.exit_code == 3
    data = json.loads(result.stdout)
    assert [d["verdict"] for d in data] == ["internal error", "pass"]
    assert "8500" in result.stderr and "--debug" in result.stderr


def test_previous_with_several_files_is_a_usage_error(notice_only):
    result = run(notice_only, PROBLEMS, "--previous", PROBLEMS)
    assert result.exit_code == 2


# --- output files --------------------------------------------------------------------------

@pytest.mark.parametrize("name, start", [("r.json", b"{"), ("r.xml", b"<?xml"),
                                         ("r.csv", b"\xef\xbb\xbf"), ("r.xlsx", b"PK"),
                                         ("r.html", b"<!DOCTYPE html>"),
                                         ("r.txt", b"cin-validate")])
def test_output_extension_picks_the_format(tmp_path, name, start):
    out = tmp_path / name
    result = run(PROBLEMS, "--output", out, "--no-config")
    assert result.stdout == "" and result.exit_code == 1
    assert out.read_bytes().startswith(start)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".cin-validate-")]


def test_format_wins_over_the_extension_and_never_over_the_input(tmp_path):
    out = tmp_path / "report.txt"
    run(PROBLEMS, "--output", out, "--format", "json", "--no-config")
    assert json.loads(out.read_text())["summary"]
    copy = write(tmp_path, "copy.xml", PROBLEMS.read_text())
    result = run(copy, "--output", copy, "--no-config")
    assert result.exit_code == 2 and "refusing to overwrite" in result.stderr
    assert copy.read_text() == PROBLEMS.read_text()


@pytest.mark.parametrize("several", [False, True])
@pytest.mark.parametrize("name", ["report.xls", "report", "report.pdf"])
def test_an_output_whose_extension_says_no_format_is_exit_2_naming_the_formats(tmp_path, name,
                                                                              several):
    """Terminal text in a file called report.xls would be a silent surprise: say which
    extensions pick which format, whether one --output is given or several."""
    out = tmp_path / name
    extra = ["--output", tmp_path / "also.json"] if several else []
    result = run(PROBLEMS, "--output", out, *extra, "--no-config")
    assert result.exit_code == 2 and result.stdout == ""
    assert f"--output {out}: " in result.stderr
    assert ".txt (terminal)" in result.stderr and ".xlsx" in result.stderr
    assert not out.exists() and not (tmp_path / "also.json").exists()
    if name == "report.xls":
        assert "did you mean .xlsx?" in result.stderr


def test_format_names_the_format_of_an_output_file_of_any_name(tmp_path):
    out = tmp_path / "report.out"
    assert run(PROBLEMS, "--output", out, "--format", "csv", "--no-config").exit_code == 1
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")


# --- the progress bar ----------------------------------------------------------------------

def test_progress_bar_only_for_a_person_at_a_terminal_with_a_large_file(tmp_path, monkeypatch):
    big = tmp_path / "big.xml"
    big.write_bytes(b"<Child></Child>" * (progress.LARGE_FILE // 15 + 1))
    small = PROBLEMS
    tty = Console(force_terminal=True, stderr=True)
    pipe = Console(force_terminal=False, stderr=True)
    monkeypatch.delenv("CI", raising=False)
    assert progress.wanted([big], quiet=False, console=tty)
    assert not progress.wanted([small], quiet=False, console=tty)
    assert not progress.wanted([big], quiet=True, console=tty)
    assert not progress.wanted([big], quiet=False, console=pipe)
    monkeypatch.setenv("CI", "true")
    assert not progress.wanted([big], quiet=False, console=tty)
    assert progress.estimate_children(str(big)) == progress.LARGE_FILE // 15 + 1


def test_issue_places_survive_pickling_for_worker_processes():
    import pickle

    report = problems_report()
    again = pickle.loads(pickle.dumps(report))
    assert again.to_dict() == report.to_dict()
    assert Place("p", "f", "v", 1) == pickle.loads(pickle.dumps(Place("p", "f", "v", 1)))
    assert ChildRef(1, "x", 2) == pickle.loads(pickle.dumps(ChildRef(1, "x", 2)))


def test_progress_bar_follows_children_and_files(tmp_path):
    from cin_validate import batch

    path = str(PROBLEMS)
    with progress.bar([path], enabled=True, per_child=True) as bar:
        result = batch.validate_one(path, on_child=lambda n: bar.child(path, n))
        bar.file_done(result)
        assert bar.totals[path] == problems_report().children
    with progress.bar([path, path], enabled=True, per_child=False) as bar:
        bar.file_done(result)
        bar.file_done(result)
        assert bar.progress.tasks[0].completed == 2


def test_a_broken_pyproject_of_another_project_above_is_passed_over(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project\nname = "not ours"\n')  # not TOML
    (tmp_path / "returns").mkdir()
    path = write(tmp_path / "returns", "r.xml", PROBLEMS.read_text())
    result = run(path, "-q")
    assert result.exit_code == 1 and result.stderr == ""  # validated: problems.xml has errors


@pytest.mark.parametrize("name, text", [
    ("pyproject.toml", '[tool.cin-validate\nfail-on = "never"\n'),  # ours, broken
    ("cin-validate.toml", 'fail-on = "never\n'),
])
def test_a_broken_configuration_that_may_be_ours_is_still_exit_2(tmp_path, name, text):
    (tmp_path / name).write_text(text)
    path = write(tmp_path, "r.xml", PROBLEMS.read_text())
    result = run(path, "-q")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"cin-validate: error: {tmp_path / name}: not valid TOML")


def test_a_broken_configuration_given_with_config_is_exit_2(tmp_path):
    config = tmp_path / "pyproject.toml"
    config.write_text('[project\nname = "x"\n')
    result = run(PROBLEMS, "--config", config, "-q")
    assert result.exit_code == 2 and "not valid TOML" in result.stderr


@pytest.mark.parametrize("args, given", [
    (("--select", "S01"), "--select S01"),
    (("--select", "s0"), "--select s0"),
    (("--select", "YonY 01"), "--select YonY 01"),
    (("--select", "85", "--ignore", "8"), "--select 85 --ignore 8"),
    (("--ignore", "1,2,4,8,9"), "--ignore 1 --ignore 2 --ignore 4 --ignore 8 --ignore 9"),
])
def test_a_selection_that_leaves_no_dfe_rule_is_a_usage_error(args, given):
    result = run(PROBLEMS, *args, "--no-config")
    assert result.exit_code == 2
    assert result.stderr == (f"cin-validate: error: {given} leaves no DfE rule to check "
                             "(structural notices and YonY checks are not DfE rules; see "
                             "`cin-validate rules`)\n")


def test_a_configured_selection_that_leaves_no_dfe_rule_is_exit_2(tmp_path):
    path = write(tmp_path, "r.xml", PROBLEMS.read_text())
    (tmp_path / "cin-validate.toml").write_text('select = ["S01"]\n')
    result = run(path)
    assert result.exit_code == 2 and "leaves no DfE rule to check" in result.stderr


def test_a_selection_holding_no_rule_of_the_returns_year_is_a_usage_error():
    """--ignore 1,2,4,8 leaves only module 5 (2026-27), so a 2024-25 return has nothing to check."""
    result = run(PROBLEMS, "--ignore", "1,2,4,8", "--no-config")
    assert result.exit_code == 2
    assert result.stderr == (f"cin-validate: error: {PROBLEMS}: the rules selected (--select, "
                             "--ignore) include none of the 2024-25 rule set\n")
    assert run(PROBLEMS, "--select", "9005", "--no-config").exit_code == 2


def test_an_unknown_configuration_key_suggests_the_nearest(tmp_path):
    path = tmp_path / "r.xml"
    path.write_text(make_return(child()))
    (tmp_path / "cin-validate.toml").write_text('fail_on = "never"\n')
    result = run(path)
    assert result.exit_code == 2
    assert "unknown setting 'fail_on' (did you mean 'fail-on'?" in result.stderr
    (tmp_path / "cin-validate.toml").write_text('colour = "red"\n')
    assert "did you mean" not in run(path).stderr


def test_a_configuration_file_given_with_config_may_have_any_name(tmp_path):
    path = tmp_path / "r.xml"
    path.write_text(make_return(child()))
    settings = tmp_path / "ci-settings.toml"
    settings.write_text('fail-on = "never"\nformat = "json"\n')
    result = run(path, "--config", settings)
    assert result.exit_code == 0 and result.stdout.lstrip().startswith("{")
