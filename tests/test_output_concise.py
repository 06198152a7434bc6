"""`--format concise`: one line per issue for logs and grep, as linters write them:
`FILE:LINE: CODE message [child ID]`."""

import re

from output_helpers import PROBLEMS, personal_values, problems_report, run

from cin_validate.output import formats

LINE = re.compile(r"^(?P<file>.+?):(?:(?P<line>\d+):)? (?P<code>\S+(?: \d\d)?) (?P<rest>.*)$")


def test_one_line_per_issue_in_report_order_then_the_files_summary():
    report = problems_report()
    result = run(PROBLEMS, "--format", "concise", "--no-config")
    assert result.exit_code == 1
    *lines, summary = result.stdout.splitlines()
    assert len(lines) == len(report.issues)
    for line, issue in zip(lines, report.issues):
        match = LINE.match(line)
        assert match, line
        assert match["file"] == str(PROBLEMS) and match["code"] == issue.code
        assert int(match["line"] or 0) == (issue.line or 0)
        assert match["rest"].startswith(issue.message)
        if issue.child:
            assert match["rest"].endswith(f" [child {issue.child.label}]")
    assert summary == (f"{PROBLEMS}: {report.errors} errors, {report.queries} queries, "
                       f"{report.notices} structural notices; FAIL under --fail-on error; rule "
                       "set 2024-25 (verified)")


def test_concise_names_children_but_never_shows_a_personal_value():
    text = run(PROBLEMS, "--format", "concise", "--no-config").stdout
    assert "QX7ECHO" in text
    for value in personal_values():
        assert value not in text, value
    redacted = run(PROBLEMS, "--format", "concise", "--redact", "--no-config").stdout
    assert "QX7ECHO" not in redacted and "[child anon-" in redacted


def test_an_unreadable_file_is_its_one_line_error(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text("<Message><Header>")
    result = run(PROBLEMS, bad, "--format", "concise", "--jobs", "1", "--no-config")
    assert result.exit_code == 2
    last = result.stdout.splitlines()[-1]
    assert last.startswith(f"{bad}:") and "cannot validate" in last


def test_concise_is_in_the_registry_without_personal_values():
    fmt = formats.BY_NAME["concise"]
    assert fmt.child_ids and not fmt.personal_values and not fmt.extensions
