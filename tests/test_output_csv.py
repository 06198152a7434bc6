"""`--format csv`: one row per issue; UTF-8 with a BOM, every field quoted; round-trips."""

import csv
import io

from output_helpers import PROBLEMS, problems_report, run

from cin_validate.output import csvfmt


def rows(data: bytes) -> list[dict]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_round_trips_one_row_per_issue_with_values_as_written():
    report = problems_report()
    result = run(PROBLEMS, "--format", "csv")
    data = result.stdout_bytes
    table = rows(data)
    assert len(table) == len(report.issues)
    assert list(table[0]) == list(csvfmt.COLUMNS)
    for row, issue in zip(table, report.issues):
        assert row["Code"] == issue.code and row["Severity"] == issue.severity
        assert row["Message"] == issue.message
        assert row["Child ID"] == (issue.child.label if issue.child else "")
        assert row["Fields"].split("; ") == [p.field for p in issue.places] or not issue.places
        assert row["Line"] == str(issue.line or "")
        assert row["File"] == str(PROBLEMS)
    by_code = {row["Code"]: row for row in table}
    assert by_code["S02"]["Values"] == "23/08/2014"  # as written, not as read
    # quoted: every field of every record starts with a quote
    for line in data.decode("utf-8-sig").split("\r\n")[:-1]:
        assert line.startswith('"') and line.endswith('"')


def test_cells_excel_would_run_as_formulas_are_neutralised():
    assert csvfmt.safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert csvfmt.safe_cell("+1") == "'+1" and csvfmt.safe_cell("@x") == "'@x"
    assert csvfmt.safe_cell("-1") == "-1" and csvfmt.safe_cell("-x") == "'-x"
    assert csvfmt.safe_cell("C001") == "C001"


def test_output_by_extension_and_several_files_in_one_table(tmp_path):
    out = tmp_path / "issues.csv"
    missing = tmp_path / "missing.xml"
    result = run(PROBLEMS, missing, "--output", out, "--jobs", "1")
    assert result.exit_code == 2
    table = rows(out.read_bytes())
    assert len(table) == len(problems_report().issues) + 1
    assert table[-1]["Severity"] == "unreadable" and table[-1]["File"] == str(missing)
