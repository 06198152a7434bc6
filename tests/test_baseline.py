"""`--baseline LAST.json`: only the issues new since an earlier JSON report, how many were fixed,
and `--fail-on` applied to the new ones alone."""

from __future__ import annotations

import json

import pytest
from builders import assessment, child, episode, make_return
from output_helpers import run

from cin_validate import baseline
from cin_validate.engine import validate_file

# Eight disability codes keep the return-level query 2887Q quiet.
CODES = ("AUT", "BEH", "COMM", "CON", "DDA", "HAND", "HEAR", "INC")
OPEN_ASSESSMENT = episode(assessment(start="2024-11-04", auth=None, factors=None))  # 8670Q


def kid(child_id: str, *episodes: str, **values) -> str:
    return child(*episodes, id=child_id, disabilities=CODES, **values)


LAST_NIGHT = make_return(kid("E1", sex="X"), kid("E2", sex="X"), kid("Q1", OPEN_ASSESSMENT))
# E1 corrected, E2 and Q1 as they were (a line further down), E3 new.
TONIGHT = make_return(kid("N0"), kid("E1"), kid("E2", sex="X"), kid("Q1", OPEN_ASSESSMENT),
                      kid("E3", sex="X"))


@pytest.fixture
def files(tmp_path):
    last, tonight = tmp_path / "last.xml", tmp_path / "tonight.xml"
    last.write_text(LAST_NIGHT)
    tonight.write_text(TONIGHT)
    report = tmp_path / "last.json"
    assert run(last, "-o", report, "--no-config").exit_code == 1
    return tonight, report


def json_of(*args):
    result = run(*args, "--format", "json", "--no-config")
    return result.exit_code, json.loads(result.stdout)


def test_only_new_issues_are_reported_with_how_many_were_fixed(files):
    tonight, last = files
    code, data = json_of(tonight, "--baseline", last)
    assert [(i["code"], i["child_id"]) for i in data["issues"]] == [("4180", "E3")]
    assert data["baseline"] == {"file": str(last), "new": 1, "fixed": 1, "unchanged": 2}
    assert data["summary"]["errors"] == 1 and data["summary"]["queries"] == 0
    assert code == 1  # the new error fails the run


def test_the_same_return_again_has_nothing_new_and_passes_any_policy(files, tmp_path):
    last_xml = tmp_path / "last.xml"
    code, data = json_of(last_xml, "--baseline", files[1], "--fail-on", "query")
    assert code == 0 and data["issues"] == []
    assert data["baseline"] == {"file": str(files[1]), "new": 0, "fixed": 0, "unchanged": 3}


def test_fail_on_applies_to_the_new_issues_only(tmp_path):
    """Last night's errors are known; tonight adds only a query."""
    last, tonight, report = tmp_path / "a.xml", tmp_path / "b.xml", tmp_path / "a.json"
    last.write_text(make_return(kid("E1", sex="X")))
    tonight.write_text(make_return(kid("E1", sex="X"), kid("Q1", OPEN_ASSESSMENT)))
    run(last, "-o", report, "--no-config")
    assert run(tonight, "--no-config").exit_code == 1  # without a baseline, E1's error fails
    assert run(tonight, "--baseline", report, "--no-config").exit_code == 0
    assert run(tonight, "--baseline", report, "--fail-on", "query",
               "--no-config").exit_code == 1


def test_the_same_issue_twice_is_counted(tmp_path):
    """One child can have the same issue twice with the same values (two episodes, each with
    an assessment open since the same day): each copy in the baseline matches one copy now."""
    only = ("--select", "8670Q")
    last, report = tmp_path / "a.xml", tmp_path / "a.json"
    last.write_text(make_return(kid("D1", OPEN_ASSESSMENT, OPEN_ASSESSMENT)))
    run(last, "-o", report, "--no-config", *only)
    known = validate_file(last).issues
    known = [issue for issue in known if issue.code == "8670Q"]
    assert len(known) == 2 and len({baseline.identity(i.to_dict()) for i in known}) == 1
    thrice, once = tmp_path / "thrice.xml", tmp_path / "once.xml"
    thrice.write_text(make_return(kid("D1", *[OPEN_ASSESSMENT] * 3)))
    once.write_text(make_return(kid("D1", OPEN_ASSESSMENT)))
    assert json_of(thrice, "--baseline", report, *only)[1]["baseline"] == {
        "file": str(report), "new": 1, "fixed": 0, "unchanged": 2}
    assert json_of(once, "--baseline", report, *only)[1]["baseline"] == {
        "file": str(report), "new": 0, "fixed": 1, "unchanged": 1}


def test_an_issues_identity_is_its_code_child_and_values_not_its_line_or_detail():
    issue = {"code": "4180", "child_id": "E2", "line": 6, "detail": None,
             "locations": [{"path": "Child[2]/ChildIdentifiers[1]", "field": "Sex",
                            "value": "X", "line": 6}]}
    moved = {**issue, "line": 9, "detail": "x",
             "locations": [{**issue["locations"][0], "line": 9, "path": "Child[4]/..."}]}
    assert baseline.identity(issue) == baseline.identity(moved)
    for changed in ({**issue, "code": "4220"}, {**issue, "child_id": "E3"},
                    {**issue, "locations": [{**issue["locations"][0], "value": "Y"}]},
                    {**issue, "locations": [{**issue["locations"][0], "field": "UPN"}]}):
        assert baseline.identity(changed) != baseline.identity(issue)


def test_the_terminal_says_what_the_baseline_left_out(files):
    tonight, last = files
    out = run(tonight, "--baseline", last, "--no-config").stdout
    assert (f"Baseline {last}: 1 new issue shown; 1 fixed since; 2 unchanged, not shown"
            in " ".join(out.split()))


def test_with_a_key_a_redacted_baseline_matches_a_redacted_run(files, tmp_path):
    tonight, _ = files
    last_xml, redacted = tmp_path / "last.xml", tmp_path / "redacted.json"
    run(last_xml, "-o", redacted, "--redact-key", "k1", "--no-config")
    code, data = json_of(tonight, "--baseline", redacted, "--redact-key", "k1")
    assert data["baseline"]["unchanged"] == 2 and data["baseline"]["new"] == 1
    assert data["issues"][0]["child_id"].startswith("anon-")
    other_key = json_of(tonight, "--baseline", redacted, "--redact-key", "k2")[1]
    assert other_key["baseline"]["unchanged"] == 0  # another key, other pseudonyms


@pytest.mark.parametrize("args, words", [
    (("--redact",), "a random key's pseudonyms match no earlier run"),
    ((), "names children by pseudonyms"),
])
def test_a_baseline_that_cannot_match_is_exit_2(files, tmp_path, args, words):
    tonight, last = files
    redacted = tmp_path / "redacted.json"
    run(tmp_path / "last.xml", "-o", redacted, "--redact-key", "k1", "--no-config")
    baseline_file = last if args else redacted
    result = run(tonight, "--baseline", baseline_file, *args, "--no-config")
    assert result.exit_code == 2 and words in result.stderr, result.stderr


def test_a_report_of_a_baseline_run_is_no_baseline(files, tmp_path):
    """It holds only that run's new issues: used as a baseline, the rest would come back."""
    tonight, last = files
    partial = tmp_path / "partial.json"
    run(tonight, "--baseline", last, "-o", partial, "--no-config")
    result = run(tonight, "--baseline", partial, "--no-config")
    assert result.exit_code == 2 and "written by a run with --baseline" in result.stderr


@pytest.mark.parametrize("content, words", [
    ("not json", "not a JSON report of cin-validate"),
    ('{"children": 3}', "not a JSON report of cin-validate"),
    ('{"file": "x", "issues": [{"code": 1}]}', "not a JSON report of cin-validate"),
    ('{"file": "x", "issues": [', "not a JSON report of cin-validate"),
])
def test_a_file_that_is_no_json_report_is_exit_2_in_one_line(tmp_path, files, content, words):
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    result = run(files[0], "--baseline", bad, "--no-config")
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith(f"cin-validate: error: --baseline {bad}")
    assert words in result.stderr and len(result.stderr.splitlines()) == 1
    missing = run(files[0], "--baseline", tmp_path / "missing.json", "--no-config")
    assert missing.exit_code == 2 and "no such file" in missing.stderr


def test_the_baseline_is_never_written_over(files):
    tonight, last = files
    before = last.read_bytes()
    result = run(tonight, "--baseline", last, "-o", last, "--no-config")
    assert result.exit_code == 2 and "refusing to overwrite the baseline" in result.stderr
    assert last.read_bytes() == before


def test_the_baseline_is_read_as_a_stream_in_pieces(files, monkeypatch):
    """Flat memory: the old report is read a piece at a time, only its issues' identities
    kept; pieces as small as a few bytes give the same identities."""
    _, last = files
    whole = baseline.load(last)
    monkeypatch.setattr(baseline, "PIECE", 5)
    in_pieces = baseline.load(last)
    assert in_pieces.pools == whole.pools
    assert [sum(pool.values()) for pool in whole.pools.values()] == [3]


def test_several_files_are_matched_by_file_name(files, tmp_path):
    tonight, _ = files
    last_xml = tmp_path / "last.xml"
    both = tmp_path / "both.json"
    assert run(last_xml, tonight, "-o", both, "--no-config").exit_code == 1
    result = run(last_xml, tonight, "--baseline", both, "--format", "json", "--no-config")
    data = json.loads(result.stdout)
    assert [entry["baseline"]["new"] for entry in data] == [0, 0]
    assert result.exit_code == 0


def test_a_folder_holding_one_export_matches_a_one_file_baseline_whatever_its_name(tmp_path):
    """The README's nightly job validates a folder holding one export that carries its date:
    tonight's file matches last night's baseline although their names differ."""
    folder = tmp_path / "returns"
    folder.mkdir()
    (folder / "cin-2025-01-01.xml").write_text(LAST_NIGHT)
    last = tmp_path / "last.json"
    assert run(folder, "-o", last, "--no-config").exit_code == 1
    (folder / "cin-2025-01-01.xml").rename(folder / "cin-2025-01-02.xml")
    result = run(folder, "--baseline", last, "--fail-on", "query", "--format", "json",
                 "--no-config")
    (data,) = json.loads(result.stdout)
    assert data["baseline"]["new"] == 0 and data["baseline"]["unchanged"] == 3
    assert result.exit_code == 0


def test_without_a_baseline_the_json_says_null(files):
    assert json_of(files[0])[1]["baseline"] is None


def test_every_summary_says_what_the_baseline_left_out(files, tmp_path):
    tonight, last = files
    html, junit, step = tmp_path / "r.html", tmp_path / "r.xml", tmp_path / "step.md"
    result = run(tonight, "--baseline", last, "-o", html, "-o", junit, "--no-config",
                 env={"GITHUB_STEP_SUMMARY": str(step)})
    assert result.exit_code == 1
    text = f"Baseline {last}: 1 new issue shown; 1 fixed since; 2 unchanged, not shown"
    assert text in html.read_text() and text in step.read_text()
    assert '<property name="baseline_fixed" value="1" />' in junit.read_text()
    brief = "since the baseline: 1 new, 1 fixed, 2 unchanged"
    assert brief in run(tonight, "--baseline", last, "-q", "--no-config").stdout
    concise = run(tonight, "--baseline", last, "--format", "concise", "--no-config").stdout
    assert brief in concise.splitlines()[-1] and len(concise.splitlines()) == 2


def test_the_counts_of_stats_and_a_report_are_told_apart(files, tmp_path):
    """Each JSON is for its own option: the error says which one it is for."""
    tonight, report = files
    counts = tmp_path / "counts.json"
    assert run("stats", tonight, "-o", counts).exit_code == 0
    as_baseline = run(tonight, "--baseline", counts, "--no-config")
    assert as_baseline.exit_code == 2 and "which --previous-counts takes" in as_baseline.stderr
    as_counts = run(tonight, "--previous-counts", report, "--no-config")
    assert as_counts.exit_code == 2 and "which --baseline takes" in as_counts.stderr


def test_the_json_of_one_file_that_could_not_be_read_is_a_baseline_of_no_issue(files, tmp_path):
    """Last night's export was broken: its JSON says so, and tonight every issue is new, as
    when it is one of several files."""
    broken = tmp_path / "broken.xml"
    broken.write_text("<Message><Children>")
    last = tmp_path / "broken.json"
    assert run(broken, "-o", last, "--no-config").exit_code == 2
    code, data = json_of(files[0], "--baseline", last)
    assert data["baseline"] == {"file": str(last), "new": len(data["issues"]), "fixed": 0,
                                "unchanged": 0} and data["issues"]
    assert code == 1
