"""An Excel workbook for analysts (written with xlsxwriter): Summary, Issues, Rules, Notes.

- Summary: one row per file (LA, reference date, children, errors, queries, verdict...);
- Issues: one row per issue, the CSV's columns, with a frozen header row and an autofilter;
- Rules: each rule checked or fired, its count of issues and its message;
- Notes: the auto-OK return-level notes to paste into COLLECT.
Several files make one workbook; the File column tells them apart. Every text is written as
a string (never as a formula), whatever it starts with.

Written in xlsxwriter's constant-memory mode, straight into the output stream: each row goes
to a temporary file as soon as it is written (its strings inline, not in a shared table), so
a workbook of any number of issues is built in flat memory. xlsxwriter's temporary files go
in a private folder of ours, removed when the workbook is written, or fails, or the run is
interrupted (they hold child IDs and values).
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import datetime
from typing import BinaryIO, Iterable, Iterator, Sequence

import xlsxwriter

from .. import catalogue, years
from ..dates import CensusPeriod
from ..report import census_heading
from ..version import __version__
from . import shown
from .csvfmt import COLUMNS, issue_row

SUMMARY_COLUMNS = ("File", "LA", "LA name", "Reference date", "Census period", "Children",
                   "Episodes", "Errors", "Queries", "Notices", "Rules checked", "Verdict",
                   "Why not validated", "Rule set", "Rule set status")
RULE_COLUMNS = ("Code", "Severity", "Module", "Issues", "Files", "Checked", "Message",
                "Auto-OK note")
_WIDTHS = {"Code": 8, "Severity": 9, "Message": 70, "Child ID": 16, "Fields": 34, "Values": 28,
           "Line": 7, "Detail": 30, "File": 28, "Module": 20, "Issues": 8, "Files": 7,
           "Checked": 8, "Auto-OK note": 60, "LA": 5, "LA name": 18, "Reference date": 14,
           "Census period": 24, "Children": 9, "Episodes": 9, "Errors": 7, "Queries": 8,
           "Notices": 8, "Rules checked": 12, "Verdict": 12, "Why not validated": 50,
           "Rule set": 9, "Rule set status": 14,
           "Note": 120}
_NUMERIC = {"Line", "Issues", "Files", "Children", "Episodes", "Errors", "Queries", "Notices",
            "Rules checked"}




class _Book:
    def __init__(self, out: BinaryIO, folder: str):
        self.book = xlsxwriter.Workbook(out, {"constant_memory": True, "tmpdir": folder,
                                              "strings_to_formulas": False,
                                              "strings_to_urls": False,
                                              "strings_to_numbers": False})
        self.book.set_properties({"title": "cin-validate report", "creator": "cin-validate",
                                  "comments": f"cin-validate {__version__}"})
        fmt = self.book.add_format
        self.head = fmt({"bold": True, "bg_color": "#1F3A5F", "font_color": "#FFFFFF",
                         "border": 1, "valign": "top"})
        self.title = fmt({"bold": True, "font_size": 14})
        self.wrap = fmt({"text_wrap": True, "valign": "top"})
        self.top = fmt({"valign": "top"})
        self.severity = {"error": fmt({"font_color": "#B42318", "bold": True, "valign": "top"}),
                         "query": fmt({"font_color": "#B54708", "bold": True, "valign": "top"}),
                         "notice": fmt({"font_color": "#175CD3", "valign": "top"}),
                         "fail": fmt({"font_color": "#B42318", "bold": True}),
                         "pass": fmt({"font_color": "#067647", "bold": True}),
                         "unreadable": fmt({"font_color": "#B42318", "bold": True}),
                         "internal error": fmt({"font_color": "#B42318", "bold": True})}

    def table(self, name: str, columns: Sequence[str], rows: Iterable[list], *,
              intro: Sequence[tuple[str, object]] = (), wrap: Sequence[str] = ()) -> None:
        """A sheet of `rows` under a header row, after the `intro` lines (text, style) above it:
        every row is written in order, as constant-memory mode requires."""
        sheet = self.book.add_worksheet(name)
        for row, (text, style) in enumerate(intro):
            sheet.write_string(row, 0, shown(text), style)
        first_row = len(intro) + 1 if intro else 0
        for col, column in enumerate(columns):
            sheet.set_column(col, col, _WIDTHS.get(column, 14),
                             self.wrap if column in wrap else self.top)
            sheet.write_string(first_row, col, column, self.head)
        last = first_row
        for last, row in enumerate(rows, start=first_row + 1):
            for col, (column, value) in enumerate(zip(columns, row)):
                if value is None or value == "":
                    continue
                if column in _NUMERIC and isinstance(value, int):
                    sheet.write_number(last, col, value)
                else:
                    style = self.severity.get(value) if column in ("Severity", "Verdict") else None
                    sheet.write_string(last, col, shown(str(value)), style or (
                        self.wrap if column in wrap else self.top))
        sheet.freeze_panes(first_row + 1, 0)
        sheet.autofilter(first_row, 0, max(last, first_row + 1), len(columns) - 1)


def _summary_rows(results: Sequence) -> list[list]:
    rows = []
    for result in results:
        report = result.report
        if report is None:
            rows.append([result.path, None, None, None, None, None, None, None, None, None, None,
                         result.verdict, result.error, None, None])
            continue
        period = CensusPeriod(report.reference_date)
        la_names = report.collection.codeset("la-codes")
        rows.append([report.file, report.la or "", la_names.get(report.la or "", ""),
                     report.header.reference_date_text or "",
                     f"{period.start.isoformat()} to {period.end.isoformat()}",
                     report.children, report.episodes, report.errors, report.queries,
                     report.notices, len(report.rules_checked), result.verdict, "",
                     report.collection.year, report.collection.status])
    return rows


def _rule_rows(results: Sequence) -> list[list]:
    counts: dict[str, int] = {}
    files: dict[str, int] = {}
    checked: dict[str, None] = {}
    seen_messages: dict[str, tuple[str, str]] = {}
    for report in (r.report for r in results if r.report is not None):
        checked.update(dict.fromkeys(report.rules_checked))
        for code, severity, message, count in report.by_rule():
            counts[code] = counts.get(code, 0) + count
            files[code] = files.get(code, 0) + 1
            seen_messages.setdefault(code, (severity, message))
    order = {code: i for i, code in enumerate([*years.all_rules(),
                                              *catalogue.structural_rules()])}
    codes = sorted(dict.fromkeys([*counts, *checked]),
                   key=lambda code: (counts.get(code, 0) == 0, order.get(code, len(order)), code))
    rows = []
    for code in codes:
        info = years.lookup(code)
        severity, message = seen_messages.get(code, (info.severity if info else "",
                                                     info.message if info else ""))
        rows.append([code, severity, info.module if info else "", counts.get(code, 0),
                     files.get(code, 0), "yes" if code in checked else "", message,
                     (info.auto_ok_note or "") if info else ""])
    return rows


def _issue_rows(reports: list) -> Iterator[list]:
    for report in reports:
        for issue in report.issues:
            row: list = issue_row(issue, report)
            row[6] = issue.line if issue.line else None
            yield row


def render(out: BinaryIO, results: Sequence) -> None:
    folder = tempfile.mkdtemp(prefix="cin-validate-xlsx-")
    try:
        _write_book(_Book(out, folder), results)
    except xlsxwriter.exceptions.FileCreateError as error:
        # xlsxwriter wraps the failure to write the stream (a closed pipe, a full disk): let it
        # be what it is, for the caller to end the run as for any other format.
        cause = error.args[0] if error.args else None
        raise (cause if isinstance(cause, OSError) else OSError(str(error))) from None
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _write_book(book: _Book, results: Sequence) -> None:
    validated = [r.report for r in results if r.report is not None]
    errors = sum(r.errors for r in validated)
    queries = sum(r.queries for r in validated)
    counts = (f"{len(results)} file{'s' * (len(results) != 1)}, "
              f"{sum(r.children for r in validated):,} children, {errors:,} errors, "
              f"{queries:,} queries. Written {datetime.now():%Y-%m-%d %H:%M} by "
              f"cin-validate {__version__}.")
    book.table("Summary", SUMMARY_COLUMNS, _summary_rows(results),
               intro=[(f"cin-validate: {census_heading(validated)}", book.title), (counts, None)],
               wrap=("Why not validated",))
    book.table("Issues", COLUMNS, _issue_rows(validated), wrap=("Message", "Detail"))
    book.table("Rules", RULE_COLUMNS, _rule_rows(results), wrap=("Message", "Auto-OK note"))
    notes = [[report.file, note] for report in validated for note in report.notes]
    book.table("Notes", ("File", "Note"), notes, wrap=("Note",))
    book.book.close()
