"""`--format github`: one workflow command per issue, at the right line, escaped, no values."""

import re

from output_helpers import (PROBLEMS, PROBLEMS_TEXT, child_ids, personal_values, problems_report,
                            run)

from cin_validate.output import github

# ::error file=F,line=N,title=T::message  (properties: no raw ":" or ",")
COMMAND = re.compile(r"^::(error|warning|notice) (file=[^,:]+(?:,line=\d+)?,title=[^,:]+)::(.*)$")


def parse(line: str) -> tuple[str, dict, str]:
    match = COMMAND.match(line)
    assert match, f"not a workflow command: {line!r}"
    props = dict(part.split("=", 1) for part in match.group(2).split(","))
    return match.group(1), props, match.group(3)


def test_one_command_per_issue_with_the_right_kind_code_and_line():
    report = problems_report()
    result = run(PROBLEMS, "--format", "github")
    assert result.exit_code == (1 if report.errors else 0)
    rule_set, *lines = result.stdout.splitlines()
    assert parse(rule_set)[0] == "notice" and "2024-25 rule set, verified" in rule_set
    assert len(lines) == len(report.issues)
    kinds = {"error": "error", "query": "warning", "notice": "notice"}
    file_lines = PROBLEMS_TEXT.splitlines()
    for line, issue in zip(lines, report.issues):
        kind, props, message = parse(line)
        assert kind == kinds[issue.severity]
        assert props["title"] == issue.code
        assert props["file"] == str(PROBLEMS)
        assert int(props.get("line", 0)) == (issue.line or 0)
        assert issue.message.split(":")[0] in message.replace("%3A", ":")
        if issue.child:
            assert f"child {issue.child.label}" in message
        # the line points at the element the issue names, when the file wrote it
        written = [place for place in issue.places if place.value is not None]
        if written:
            assert f"<{written[0].field}>" in file_lines[issue.line - 1]
    # the fixture gives errors, warnings and notices alike
    assert {parse(line)[0] for line in lines} == {"error", "warning", "notice"}


def test_no_value_as_written_in_the_annotations():
    out = run(PROBLEMS, "--format", "github").stdout
    for value in personal_values():
        assert value not in out
    assert "maybe" not in out  # a ReferralNFA value: CI formats print no values at all


def test_escaping_follows_the_workflow_command_rules():
    assert github.escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert github.escape_property("a:b,c%") == "a%3Ab%2Cc%25"
    line = github._command("error", "x: y, z%", file="dir,1/a:b.xml", line=3, title="T")
    assert line == "::error file=dir%2C1/a%3Ab.xml,line=3,title=T::x: y, z%25"
    # A newline in a value is shown, as every control is (`plain.visible`), never obeyed.
    line = github._command("error", "x\ny", file="a\rb.xml")
    assert line == "::error file=a\\u000db.xml::x\\u000ay"


def test_unreadable_file_is_one_error_annotation(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text("<Message><Children>")
    result = run(bad, PROBLEMS, "--format", "github", "--jobs", "1")
    assert result.exit_code == 2
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"::error file={bad},")
    assert "title=cannot validate" in first


# --- the job summary: $GITHUB_STEP_SUMMARY ---------------------------------------------------

def test_in_github_actions_a_markdown_summary_is_appended_to_the_step_summary(tmp_path):
    """GitHub shows only the first annotations of thousands: the step's summary page gives the
    counts by rule, the notes, the verdict and the rule set, and names no child."""
    summary = tmp_path / "step_summary.md"
    summary.write_text("# an earlier step's summary\n")
    report = problems_report()
    result = run(PROBLEMS, "--format", "github", "--no-config",
                 env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 1
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("# an earlier step's summary\n")  # appended, as GitHub expects
    assert "**FAIL** under `--fail-on error`" in text
    assert "Rule set 2024-25 (verified" in text
    for code, severity, _message, count in report.by_rule():
        assert re.search(rf"^\| {re.escape(code)} \| {severity} \| {count} \|", text,
                         re.MULTILINE), code
    for note in report.notes:
        assert note in text
    for value in child_ids() | personal_values():
        assert value not in text, value


def test_no_step_summary_outside_github_actions(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(PROBLEMS, "--format", "github", "--no-config", env={"GITHUB_STEP_SUMMARY": None})
    assert result.exit_code == 1 and list(tmp_path.iterdir()) == []


def test_a_step_summary_that_cannot_be_written_is_exit_2(tmp_path):
    result = run(PROBLEMS, "--format", "github", "--no-config",
                 env={"GITHUB_STEP_SUMMARY": str(tmp_path)})  # a folder
    assert result.exit_code == 2
    assert result.stderr.startswith(f"cin-validate: error: GITHUB_STEP_SUMMARY {tmp_path}: "
                                    "cannot write: ")
