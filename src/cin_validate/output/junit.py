"""JUnit XML, as GitLab, Azure DevOps and Jenkins display test reports.

One <testsuite> per validated file; in it one <testcase> per rule checked and one test case
"Structure" for the structural notices. A rule that did not fire passes; one whose issues fail
the run under `--fail-on` is a <failure> listing every instance; one that fired but does not fail
the run (queries under the default policy, everything under `--fail-on never`, the
year-on-year checks, structural notices) is <skipped>, its instances in <system-out>: a CI
server never shows failed tests on a run that passed. A file that could not be validated is a
suite with one <error>.
Like `github`, only codes, messages, fields, child IDs and lines are written: never a value
as written, and the report is drawn without personal values, even in details (its registry
entry in `formats` says so).

Written suite by suite as ElementTree would indent it: each suite's counts come from its
report's tally; the instances of its rules are gathered in one reading of its issues, a line
of text each, since a rule's failure lists them all together. The lines wait in an anonymous
temporary file, not in memory, so memory does not grow with the number of issues.
"""

from __future__ import annotations

import re
import tempfile
from array import array
from datetime import datetime, timezone
from typing import Iterable, Iterator, Sequence, TextIO
from xml.sax.saxutils import escape

from .. import policy, years
from ..report import Issue, Report

STRUCTURE = "Structure"
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# As ElementTree writes an attribute's value (between double quotes).
_IN_ATTRIBUTE = {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#09;"}


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _short(text: str, limit: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _tag(name: str, attributes: dict, *, empty: bool = False) -> str:
    """A start tag (or an empty element) with every value cleaned and escaped."""
    written = "".join(f' {key}="{escape(_clean(str(value)), _IN_ATTRIBUTE)}"'
                      for key, value in attributes.items())
    return f"<{name}{written} />" if empty else f"<{name}{written}>"


def _text(text: str) -> str:
    return escape(_clean(text))


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
    fired = [code for code, severity, _, _ in report.issues.tally() if severity != "notice"]
    codes += [code for code in fired if code not in codes]
    return list(dict.fromkeys(codes))


class _InstancesByRule:
    """Each rule's instance lines in report order, written to an anonymous temporary file as
    the issues are read; only where each line is (two numbers) stays in memory."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()
        self._end = 0
        self._where: dict[str, array] = {}

    def add(self, code: str, line: str) -> None:
        data = line.encode("utf-8", "surrogatepass")
        self._where.setdefault(code, array("q")).extend((self._end, len(data)))
        self._file.write(data)
        self._end += len(data)

    def pop(self, code: str) -> Iterator[str]:
        """The lines of `code`, in the order added (none for a rule with none)."""
        where = self._where.pop(code, ())
        for position in range(0, len(where), 2):
            self._file.seek(where[position])
            yield self._file.read(where[position + 1]).decode("utf-8", "surrogatepass")

    def close(self) -> None:
        self._file.close()


class _Suite:
    """One validated file's test suite."""

    def __init__(self, result, fail_on: str):
        report = self.report = result.report
        self.result, self.fail_on = result, fail_on
        self.tally = {code: (severity, message, count)
                      for code, severity, message, count in report.issues.tally()}
        self.codes = _codes_tested(report)
        self.notices = report.notices

    @property
    def counts(self) -> dict[str, int]:
        fired = [(code, severity) for code, (severity, _, _) in self.tally.items()
                 if severity != "notice"]
        failures = sum(policy.fails(code, severity, self.fail_on) for code, severity in fired)
        return {"tests": len(self.codes) + 1, "failures": failures, "errors": 0,
                "skipped": len(fired) - failures + bool(self.notices)}

    def lines(self) -> Iterator[str]:
        report, collection = self.report, self.report.collection
        instances = _InstancesByRule()
        try:
            yield from self._lines(report, collection, instances)
        finally:
            instances.close()

    def _lines(self, report: Report, collection, instances: _InstancesByRule) -> Iterator[str]:
        for issue in report.issues:
            instance = _instance(issue)
            if issue.severity == "notice":
                instances.add(STRUCTURE, f"{issue.code} {issue.message}: {instance}")
            else:
                instances.add(issue.code, instance)
        # A verdict against provisional or preview rules says so in the name every viewer shows.
        unverified = ("" if collection.is_verified
                      else f" [{collection.year} rules: {collection.status}]")
        counts = self.counts
        yield "  " + _tag("testsuite", {
            "name": f"cin-validate {report.file}{unverified}", "tests": counts["tests"],
            "failures": counts["failures"], "errors": "0", "skipped": counts["skipped"],
            "time": f"{self.result.seconds:.3f}",
            "timestamp": datetime.now(timezone.utc).replace(microsecond=0).isoformat()})
        yield "    <properties>"
        for name, value in (("file", report.file), ("la", report.la or ""),
                            ("reference_date", report.header.reference_date_text or ""),
                            ("children", report.children), ("episodes", report.episodes),
                            ("errors", report.errors), ("queries", report.queries),
                            ("notices", report.notices),
                            ("rules_checked", len(report.rules_checked)),
                            ("rules_total", report.rules_total), ("verdict", self.result.verdict),
                            ("rule_set", collection.year), ("rule_set_status", collection.status),
                            ("rule_set_note", collection.status_note),
                            ("rule_set_chosen_by", report.chosen_by),
                            ("fail_on", self.fail_on),
                            *_since_baseline(report)):
            yield "      " + _tag("property", {"name": name, "value": value}, empty=True)
        yield "    </properties>"
        for code in self.codes:
            info = years.lookup(code, collection)
            module = info.module if info else ""
            severity, fired_message, count = self.tally.get(code, (None, code, 0))
            message = info.message if info else fired_message
            case = {"classname": f"cin-validate.{module or 'rules'}".replace(" ", "_"),
                    "name": f"{code} {_short(message)}", "file": report.file, "time": "0"}
            yield from _case(case, severity, count,
                             f"{count} {severity}{'s' * (count != 1)}: {message}",
                             instances.pop(code),
                             fails=bool(severity) and policy.fails(code, severity, self.fail_on),
                             fail_on=self.fail_on)
        notices = self.notices
        yield from _case({"classname": f"cin-validate.{STRUCTURE}",
                          "name": f"{STRUCTURE}: elements and values as the {collection.year} "
                                  "return specifies", "file": report.file, "time": "0"},
                         "notice", notices,
                         f"{notices} structural notice{'s' * (notices != 1)} (values treated as "
                         "absent by the DfE rules)", instances.pop(STRUCTURE),
                         fails=False, fail_on=self.fail_on)
        yield "  </testsuite>"


def _since_baseline(report: Report) -> list[tuple[str, object]]:
    """With --baseline: the suite's failures are the new issues'; these say what was left out."""
    since = report.baseline
    if since is None:
        return []
    return [("baseline", since.file), ("baseline_new", since.new),
            ("baseline_fixed", since.fixed), ("baseline_unchanged", since.unchanged)]


def _case(attributes: dict, severity: str | None, count: int, message: str,
          instances: Iterable[str], *, fails: bool, fail_on: str) -> Iterator[str]:
    """A test case: passed when nothing fired; else a failure listing every instance when they
    fail the run, or skipped with the instances beside it when they do not. Yields lines, an
    instance each, so that no rule's instances are held together."""
    if not count:
        yield "    " + _tag("testcase", attributes, empty=True)
        return
    yield "    " + _tag("testcase", attributes)
    if fails:
        start = "      " + _tag("failure", {"type": severity, "message": message})
        end = "</failure>"
    else:
        start = ("      " + _tag("skipped", {"message": f"{message}; does not fail the run "
                                                        f"under --fail-on {fail_on}"}, empty=True)
                 + "\n      <system-out>")
        end = "</system-out>"
    for instance in instances:  # the text of the element: each instance on a line of its own
        yield start + _text(instance)
        start = ""
    yield start + end
    yield "    </testcase>"


def _unreadable(result) -> list[str]:
    return ["  " + _tag("testsuite", {"name": f"cin-validate {result.path}", "tests": "1",
                                      "failures": "0", "errors": "1", "skipped": "0",
                                      "time": f"{result.seconds:.3f}"}),
            "    " + _tag("testcase", {"classname": "cin-validate",
                                       "name": "the file can be validated",
                                       "file": result.path, "time": "0"}),
            "      " + _tag("error", {"type": result.verdict or "unreadable",
                                      "message": result.error or ""})
            + _text((result.error or "") + "\n") + "</error>",
            "    </testcase>",
            "  </testsuite>"]


def render(out: TextIO, results: Sequence, fail_on: str = policy.DEFAULT_FAIL_ON) -> None:
    """The suites in the order given, each written as soon as its instances are gathered."""
    suites = [_Suite(result, fail_on) if result.report is not None else None
              for result in results]
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for suite in suites:
        counts = suite.counts if suite else {"tests": 1, "failures": 0, "errors": 1, "skipped": 0}
        for key in totals:
            totals[key] += counts[key]
    seconds = sum(result.seconds for result in results)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n'
              + _tag("testsuites", {"name": "cin-validate", **totals, "time": f"{seconds:.3f}"})
              + "\n")
    for suite, result in zip(suites, results):
        for line in (suite.lines() if suite else _unreadable(result)):
            out.write(line + "\n")
    out.write("</testsuites>\n")
