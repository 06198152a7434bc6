"""JUnit XML, as GitLab, Azure DevOps and Jenkins display test reports.

One <testsuite> per validated file; in it one <testcase> per rule checked (passed when it did
not fire, one <failure> listing every instance when it did) and one test case "Structure" for
the structural notices. A file that could not be validated is a suite with one <error>.
Like `github`, only codes, messages, fields, child IDs and lines are written: never a value
as written, and personal values are stripped even from details (`privacy`).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from typing import Sequence

from .. import years
from ..privacy import without_personal_values
from ..report import Issue, Report

STRUCTURE = "Structure"
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _short(text: str, limit: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _instance(issue: Issue) -> str:
    parts = [f"line {issue.line}" if issue.line else "line -",
             f"child {issue.child.label}" if issue.child else "return level"]
    if issue.fields:
        parts.append(", ".join(issue.fields))
    text = ": ".join(parts)
    if issue.detail_text:
        text += f" ({issue.detail_text})"
    return text


def _codes_tested(report: Report) -> list[str]:
    codes = list(report.rules_checked)
    comparison = getattr(report, "year_on_year", None)
    if comparison is not None:
        codes += [result.code for result in comparison.results]
    fired = [issue.code for issue in report.issues if issue.severity != "notice"]
    codes += [code for code in dict.fromkeys(fired) if code not in codes]
    return list(dict.fromkeys(codes))


def _suite(report: Report, seconds: float, verdict: str) -> ET.Element:
    report = without_personal_values(report)
    by_code: dict[str, list[Issue]] = {}
    notices: list[Issue] = []
    for issue in report.issues:
        if issue.severity == "notice":
            notices.append(issue)
        else:
            by_code.setdefault(issue.code, []).append(issue)
    codes = _codes_tested(report)
    failures = len(by_code) + bool(notices)
    collection = report.collection
    # A verdict against provisional or preview rules says so in the name every viewer shows.
    unverified = "" if collection.is_verified else f" [{collection.year} rules: {collection.status}]"
    suite = ET.Element("testsuite", {
        "name": _clean(f"cin-validate {report.file}{unverified}"), "tests": str(len(codes) + 1),
        "failures": str(failures), "errors": "0", "skipped": "0", "time": f"{seconds:.3f}",
        "timestamp": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
    })
    properties = ET.SubElement(suite, "properties")
    for name, value in (("file", report.file), ("la", report.la or ""),
                        ("reference_date", report.header.reference_date_text or ""),
                        ("children", report.children), ("episodes", report.episodes),
                        ("errors", report.errors), ("queries", report.queries),
                        ("notices", report.notices),
                        ("rules_checked", len(report.rules_checked)),
                        ("rules_total", report.rules_total), ("verdict", verdict),
                        ("rule_set", collection.year), ("rule_set_status", collection.status),
                        ("rule_set_note", collection.status_note),
                        ("rule_set_chosen_by", report.chosen_by)):
        ET.SubElement(properties, "property", {"name": name, "value": _clean(str(value))})
    for code in codes:
        info = years.lookup(code, collection)
        module = info.module if info else ""
        issues = by_code.get(code, [])
        message = info.message if info else (issues[0].message if issues else code)
        case = ET.SubElement(suite, "testcase", {
            "classname": _clean(f"cin-validate.{module or 'rules'}".replace(" ", "_")),
            "name": _clean(f"{code} {_short(message)}"), "file": _clean(report.file),
            "time": "0"})
        if issues:
            severity = issues[0].severity
            failure = ET.SubElement(case, "failure", {
                "type": severity,
                "message": _clean(f"{len(issues)} {severity}{'s' * (len(issues) != 1)}: "
                                  f"{' '.join(message.split())}")})
            failure.text = _clean("\n".join(_instance(issue) for issue in issues) + "\n")
    case = ET.SubElement(suite, "testcase", {
        "classname": f"cin-validate.{STRUCTURE}",
        "name": f"{STRUCTURE}: elements and values as the {collection.year} return specifies",
        "file": _clean(report.file), "time": "0"})
    if notices:
        failure = ET.SubElement(case, "failure", {
            "type": "notice",
            "message": f"{len(notices)} structural notice{'s' * (len(notices) != 1)} "
                       "(values treated as absent by the DfE rules)"})
        failure.text = _clean("\n".join(f"{issue.code} {issue.message}: {_instance(issue)}"
                                         for issue in notices) + "\n")
    return suite


def _unreadable(result) -> ET.Element:
    suite = ET.Element("testsuite", {"name": _clean(f"cin-validate {result.path}"), "tests": "1",
                                     "failures": "0", "errors": "1", "skipped": "0",
                                     "time": f"{result.seconds:.3f}"})
    case = ET.SubElement(suite, "testcase", {"classname": "cin-validate",
                                             "name": "the file can be validated",
                                             "file": _clean(result.path), "time": "0"})
    error = ET.SubElement(case, "error", {"type": result.verdict or "unreadable",
                                          "message": _clean(result.error or "")})
    error.text = _clean((result.error or "") + "\n")
    return suite


def render(results: Sequence) -> str:
    root = ET.Element("testsuites", {"name": "cin-validate"})
    totals = {"tests": 0, "failures": 0, "errors": 0}
    seconds = 0.0
    for result in results:
        suite = (_suite(result.report, result.seconds, result.verdict)
                 if result.report is not None else _unreadable(result))
        root.append(suite)
        for key in totals:
            totals[key] += int(suite.get(key))
        seconds += result.seconds
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("time", f"{seconds:.3f}")
    ET.indent(root, space="  ")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            + ET.tostring(root, encoding="unicode") + "\n")
