"""`--format xlsx`: opens with openpyxl; Summary, Issues, Rules, Notes with the right counts."""

from collections import Counter

import openpyxl
from output_helpers import PROBLEMS, problems_report, run


def book(path):
    return openpyxl.load_workbook(path, read_only=False)


def table(sheet, header_row=1):
    rows = list(sheet.iter_rows(min_row=header_row, values_only=True))
    header = rows[0]
    return [dict(zip(header, row)) for row in rows[1:]]


def test_four_sheets_with_the_reports_counts(tmp_path):
    report = problems_report()
    out = tmp_path / "report.xlsx"
    result = run(PROBLEMS, "--output", out)  # the extension picks the format
    assert result.exit_code == (1 if report.errors else 0)
    wb = book(out)
    assert wb.sheetnames == ["Summary", "Issues", "Rules", "Notes"]

    issues = wb["Issues"]
    assert issues.freeze_panes == "A2"
    assert issues.auto_filter.ref and issues.auto_filter.ref.startswith("A1:")
    rows = table(issues)
    assert len(rows) == len(report.issues)
    assert [r["Code"] for r in rows] == [i.code for i in report.issues]
    assert [r["Line"] for r in rows] == [i.line for i in report.issues]

    rules = {r["Code"]: r for r in table(wb["Rules"])}
    fired = Counter(i.code for i in report.issues)
    for code, count in fired.items():
        assert rules[code]["Issues"] == count
    assert sum(r["Issues"] for r in rules.values()) == len(report.issues)
    assert set(report.rules_checked) <= set(rules)
    assert all(r["Message"] for r in rules.values())

    summary = table(wb["Summary"], header_row=4)
    assert len(summary) == 1
    row = summary[0]
    assert (row["Children"], row["Errors"], row["Queries"], row["Notices"]) == (
        report.children, report.errors, report.queries, report.notices)
    assert row["LA"] == "201" and row["Verdict"] == ("fail" if report.errors else "pass")

    notes = table(wb["Notes"])
    assert [n["Note"] for n in notes] == report.notes


def test_xlsx_to_standard_output_when_it_is_not_a_terminal():
    result = run(PROBLEMS, "--format", "xlsx")  # CliRunner's stdout is not a terminal
    assert result.stdout_bytes.startswith(b"PK")


def test_several_files_make_one_workbook(tmp_path):
    other = tmp_path / "copy.xml"
    other.write_bytes(PROBLEMS.read_bytes())
    out = tmp_path / "all.xlsx"
    run(PROBLEMS, other, "--output", out, "--jobs", "1")
    wb = book(out)
    report = problems_report()
    assert len(table(wb["Summary"], header_row=4)) == 2
    assert len(table(wb["Issues"])) == 2 * len(report.issues)
    rules = table(wb["Rules"])
    assert sum(r["Issues"] for r in rules) == 2 * len(report.issues)
    assert all(r["Files"] == 2 for r in rules if r["Issues"])


def test_the_workbooks_temporary_files_are_removed_even_when_it_fails(tmp_path, monkeypatch):
    """xlsxwriter's constant-memory mode writes rows to temporary files: they hold child IDs."""
    import tempfile

    from cin_validate.output import xlsxfmt

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    out = tmp_path / "report.xlsx"
    assert run(PROBLEMS, "--output", out).exit_code == 1
    assert book(out)["Issues"].max_row == len(problems_report().issues) + 1
    issue_rows = xlsxfmt._issue_rows
    in_use = []

    def failing_half_way(reports):
        rows = issue_rows(reports)
        yield next(rows)
        in_use.extend((tmp_path / "tmp").iterdir())
        raise RuntimeError("failed half way")

    monkeypatch.setattr(xlsxfmt, "_issue_rows", failing_half_way)
    result = run(PROBLEMS, "--output", tmp_path / "other.xlsx")
    assert result.exit_code == 3 and "failed half way" in result.stderr
    assert in_use  # the folder was there, with xlsxwriter's files
    assert list((tmp_path / "tmp").iterdir()) == []
    assert not (tmp_path / "other.xlsx").exists()
