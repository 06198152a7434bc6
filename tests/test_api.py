"""The Python API for notebooks and scripts: `cin_validate.validate`, `Report.to_records()`,
`cin_validate.ReturnError`; the README's notebook example run as written."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import types
from pathlib import Path

import pytest
from output_helpers import PROBLEMS, run

import cin_validate
from cin_validate import api, yony
from cin_validate.engine import validate_file
from cin_validate.parse import ReturnError
from cin_validate.report import Report

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
EXAMPLES = ROOT / "examples"
RECORD_KEYS = ["file", "code", "severity", "message", "child_id", "child_index", "child_line",
               "line", "fields", "values", "detail", "rule_set"]


def last_year_of(path: Path, folder: Path) -> Path:
    """A copy of a 2024-25 return dated a year earlier: last year's, for the YonY checks."""
    text = path.read_text(encoding="utf-8").replace("<Year>2025</Year>", "<Year>2024</Year>")
    last = folder / "last-year.xml"
    last.write_text(text.replace("2025-03-31</ReferenceDate>", "2024-03-31</ReferenceDate>"),
                    encoding="utf-8")
    return last


def test_validate_gives_the_report_the_engine_gives():
    report = cin_validate.validate(PROBLEMS)
    assert isinstance(report, cin_validate.Report) and cin_validate.Report is Report
    assert report.to_dict() == validate_file(PROBLEMS).to_dict()


def test_select_ignore_and_year_as_the_command_line_takes_them():
    only = cin_validate.validate(PROBLEMS, select="1510,1520")
    assert set(only.rules_checked) == {"1510", "1520"}
    assert "8670Q" not in cin_validate.validate(PROBLEMS, ignore=["8670Q"]).rules_checked
    assert cin_validate.validate(PROBLEMS, year="2026-27").collection.year == "2026-27"
    with pytest.raises(ValueError, match="no rule code starts with .99999."):
        cin_validate.validate(PROBLEMS, select="99999")
    with pytest.raises(ValueError, match="no collection year '1999-00'"):
        cin_validate.validate(PROBLEMS, year="1999-00")


def test_previous_is_last_years_return_its_counts_or_its_measures(tmp_path):
    last = last_year_of(EXAMPLES / "clean.xml", tmp_path)
    counts = tmp_path / "last-year-counts.json"
    assert run("stats", last, "--format", "json", "-o", counts).exit_code == 0
    reports = [cin_validate.validate(EXAMPLES / "clean.xml", previous=previous)
               for previous in (last, str(counts), yony.measure_file(last))]
    tables = [[result.to_dict() for result in report.year_on_year.results] for report in reports]
    assert tables[0] and tables[0] == tables[1] == tables[2]


def test_a_file_that_cannot_be_validated_raises_return_error_with_where_and_why(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text("<Message>\n<Header>\n")
    with pytest.raises(cin_validate.ReturnError) as raised:
        cin_validate.validate(bad)
    error = raised.value
    assert cin_validate.ReturnError is ReturnError
    assert (error.path, error.line) == (str(bad), 3) and error.message
    with pytest.raises(cin_validate.ReturnError):
        cin_validate.validate(tmp_path / "missing.xml")


def test_records_are_flat_dicts_with_the_same_keys_one_per_issue_in_report_order():
    report = cin_validate.validate(PROBLEMS)
    records = report.to_records()
    assert len(records) == len(report.issues) > 5
    assert all(list(record) == RECORD_KEYS for record in records)
    flat = (str, int, type(None))
    assert all(isinstance(value, flat) for record in records for value in record.values())
    for record, issue in zip(records, report.issues):
        assert (record["code"], record["line"], record["file"]) == (issue.code, issue.line,
                                                                     str(PROBLEMS))
        assert record["child_id"] == (issue.child.la_child_id if issue.child else None)
        assert record["fields"] == "; ".join(place.field for place in issue.places)
    assert json.loads(json.dumps(records)) == records  # plain data


def test_importing_the_package_loads_nothing_but_its_names():
    """`import cin_validate` stays light: the API and its libraries load on first use."""
    code = ("import sys, cin_validate; print(sorted(m for m in sys.modules if m.startswith("
            "('cin_validate', 'lxml', 'rich', 'click'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.split() == ["['cin_validate',", "'cin_validate.version']"]
    assert "validate" in dir(cin_validate) and cin_validate.__version__
    with pytest.raises(AttributeError):
        cin_validate.no_such_name  # noqa: B018


def test_the_command_line_validates_one_file_through_the_api(monkeypatch):
    seen = []
    real = api.validate

    def spy(path, **options):
        seen.append((str(path), sorted(options)))
        return real(path, **options)

    monkeypatch.setattr(api, "validate", spy)
    assert run(PROBLEMS, "--select", "1510", "--no-config").exit_code == 1
    assert seen == [(str(PROBLEMS), ["ignore", "on_child", "previous", "select", "year"])]


class _DataFrame:
    """What pandas.DataFrame needs to make one row per record and one column per key."""

    def __init__(self, records):
        assert isinstance(records, list) and records
        keys = list(records[0])
        assert all(isinstance(record, dict) and list(record) == keys for record in records)
        self.columns, self.rows = keys, records


def test_the_readme_notebook_example_runs_as_written(tmp_path, monkeypatch):
    (block,) = re.findall(r"```python\n(.*?)```", README, re.DOTALL)
    assert len(block.strip().splitlines()) == 3
    (tmp_path / "return.xml").write_bytes(PROBLEMS.read_bytes())
    last_year_of(PROBLEMS, tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setitem(sys.modules, "pandas", types.SimpleNamespace(DataFrame=_DataFrame))
    names: dict = {}
    exec(block, names)  # noqa: S102 - the README's own example
    issues = names["issues"]
    assert issues.columns == RECORD_KEYS
    assert len(issues.rows) == len(names["report"].issues)
