"""The JSON report is a public contract: CI jobs parse it. Keys may be added, never removed."""

import json

from builders import child, make_return
from click.testing import CliRunner

from cin_validate.cli import main


def json_report(tmp_path, xml, *extra):
    path = tmp_path / "r.xml"
    path.write_text(xml)
    result = CliRunner().invoke(main, [str(path), "--format", "json", *extra])
    return result, json.loads(result.stdout)


def test_shape_of_the_report(tmp_path):
    xml = make_return(child(id="C1", extra_identifiers="<GenderCurrent>1</GenderCurrent>"),
                      child(id="C2"))
    result, data = json_report(tmp_path, xml)
    assert result.exit_code in (0, 1)
    assert isinstance(data["file"], str) and data["file"].endswith("r.xml")
    assert data["reference_date"] == "2025-03-31"
    assert data["la"] == "201"
    summary = data["summary"]
    for key in ("children", "errors", "queries", "rules_checked"):
        assert isinstance(summary[key], int), key
    assert summary["children"] == 2
    assert isinstance(data["notes"], list)
    assert data["issues"], "the unknown element gives at least one issue"
    for issue in data["issues"]:
        assert isinstance(issue["code"], str)
        assert issue["severity"] in ("error", "query", "notice")
        assert isinstance(issue["message"], str)
        assert issue["child_id"] is None or isinstance(issue["child_id"], str)
        assert isinstance(issue["fields"], list) and all(isinstance(f, str) for f in issue["fields"])
        assert issue["line"] is None or isinstance(issue["line"], int)
        assert issue["other_children"] == []  # only duplicates (1520, 8510) name others
    notice = next(i for i in data["issues"] if i["code"] == "S01")
    assert notice["child_id"] == "C1" and notice["fields"] == ["GenderCurrent"]
    assert notice["line"] == 5
    assert summary["errors"] == sum(i["severity"] == "error" for i in data["issues"])
    assert summary["queries"] == sum(i["severity"] == "query" for i in data["issues"])


def test_a_child_without_an_id_keeps_null_and_its_position(tmp_path):
    _, data = json_report(tmp_path, make_return(child(id=None, extra="<Unknown/>")))
    notice = next(i for i in data["issues"] if i["code"] == "S01")
    assert notice["child_id"] is None
    assert notice["child_index"] == 1 and notice["child_line"] == 5


def test_return_level_issues_have_null_child(tmp_path):
    xml = make_return(child(id="C1")).replace("</Message>", "<Trailer/></Message>")
    _, data = json_report(tmp_path, xml)
    trailer = next(i for i in data["issues"] if i["fields"] == ["Trailer"])
    assert trailer["child_id"] is None and trailer["child_index"] is None


def test_output_file_is_the_same_json_written_whole(tmp_path):
    path = tmp_path / "r.xml"
    path.write_text(make_return(child()))
    out = tmp_path / "report.json"
    result = CliRunner().invoke(main, [str(path), "--format", "json", "--output", str(out)])
    assert result.stdout == ""
    assert json.loads(out.read_text())["summary"]["children"] == 1
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".cin-validate-")] == []


def test_every_top_level_key_is_still_there_and_baseline_is_added(tmp_path):
    """Keys are added, never removed: the ones scripts may read today, and `baseline`."""
    _, data = json_report(tmp_path, make_return(child(id="C1")))
    assert {"file", "reference_date", "la", "summary", "issues", "notes",
            "effective_reference_date", "collection", "year_on_year", "year_on_year_measures",
            "rule_set", "baseline"} <= set(data)
    assert data["baseline"] is None
