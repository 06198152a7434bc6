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


def _synthetic(path, year: str, problems: float = 0.0):
    from cin_validate.synthetic import write_return

    with open(path, "wb") as out:
        write_return(out, children=5, seed=1, year=year, problems=problems)
    return path


def test_every_row_names_the_rule_set_and_its_status(tmp_path):
    """years.md: every output format names the collection used and its status."""
    provisional = _synthetic(tmp_path / "r25.xml", "2025-26", problems=1.0)
    table = rows(run(provisional, "--format", "csv", "--no-config").stdout_bytes)
    assert table and all(row["Severity"] in ("error", "query", "notice") for row in table)
    assert {(row["Rule set"], row["Rule set status"]) for row in table} == {
        ("2025-26", "provisional")}
    assert list(csvfmt.COLUMNS[-2:]) == ["Rule set", "Rule set status"]  # added at the end


def test_a_file_without_issues_is_one_row_so_a_preview_year_is_never_hidden(tmp_path):
    """A clean 2026-27 return, beside a faulty 2024-25 one and an unreadable file: each file
    given has its rows, the clean one a row of severity "none" naming its preview rule set."""
    clean = _synthetic(tmp_path / "r27.xml", "2026-27")
    missing = tmp_path / "missing.xml"
    result = run(PROBLEMS, clean, missing, "--format", "csv", "--jobs", "1", "--no-config")
    table = rows(result.stdout_bytes)
    assert len(table) == len(problems_report().issues) + 2
    assert [row for row in table if row["File"] == str(clean)] == [{
        "Code": "", "Severity": "none", "Message": "no issues found", "Child ID": "",
        "Fields": "", "Values": "", "Line": "", "Detail": "", "File": str(clean),
        "Rule set": "2026-27", "Rule set status": "preview"}]
    unreadable = table[-1]
    assert unreadable["Severity"] == "unreadable" and unreadable["Rule set"] == ""
    assert {row["Rule set"] for row in table if row["File"] == str(PROBLEMS)} == {"2024-25"}


def test_no_new_issue_since_the_baseline_says_so(tmp_path):
    last = tmp_path / "last.json"
    assert run(PROBLEMS, "-o", last, "--no-config").exit_code == 1
    table = rows(run(PROBLEMS, "--baseline", last, "--format", "csv",
                     "--no-config").stdout_bytes)
    assert [(row["Severity"], row["Message"]) for row in table] == [
        ("none", f"no issues found (since the baseline: 0 new, 0 fixed, "
                 f"{len(problems_report().issues)} unchanged)")]
