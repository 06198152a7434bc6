"""`--format junit`: parses as XML; a test case per rule checked, a failure per rule that fired."""

import xml.etree.ElementTree as ET

from output_helpers import PROBLEMS, personal_values, problems_report, run


def junit(*args):
    result = run(PROBLEMS, "--format", "junit", *args)
    return result, ET.fromstring(result.stdout.encode("utf-8"))


def test_one_failure_per_fired_rule_and_one_for_structure():
    report = problems_report()
    result, root = junit()
    assert result.exit_code == (1 if report.errors else 0)
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    cases = suite.findall("testcase")
    fired_rules = {i.code for i in report.issues if i.severity != "notice"}
    assert len(cases) == len(report.rules_checked) + 1  # + the structure test case
    failures = suite.findall("testcase/failure")
    assert len(failures) == len(fired_rules) + (1 if report.notices else 0)
    assert int(suite.get("failures")) == len(failures) == int(root.get("failures"))
    assert int(suite.get("tests")) == len(cases) == int(root.get("tests"))
    assert suite.get("errors") == "0"
    for case in cases:
        failure = case.find("failure")
        code = case.get("name").split()[0]
        if case.get("classname") == "cin-validate.Structure":
            assert failure is not None and failure.get("type") == "notice"
            assert failure.text.count("\n") == report.notices
            continue
        issues = [i for i in report.issues if i.code == code]
        assert (failure is not None) == bool(issues), code
        if issues:
            assert failure.get("type") == issues[0].severity
            assert failure.get("message").startswith(f"{len(issues)} ")
            lines = failure.text.strip().splitlines()
            assert len(lines) == len(issues)  # every instance listed
            for line, issue in zip(lines, issues):
                assert line.startswith(f"line {issue.line}: " if issue.line else "line -")
                if issue.child:
                    assert f"child {issue.child.label}" in line
    props = {p.get("name"): p.get("value") for p in suite.find("properties")}
    assert props["children"] == str(report.children) and props["la"] == "201"


def test_no_upn_or_date_of_birth_even_without_redact():
    out = run(PROBLEMS, "--format", "junit").stdout
    for value in personal_values():
        assert value not in out, value
    assert "QX7ECHO" in out  # child IDs are kept: they are how an analyst finds the record


def test_several_files_make_one_suite_each_and_an_error_for_the_unreadable(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text("not xml")
    result = run(PROBLEMS, bad, "--format", "junit", "--jobs", "1")
    assert result.exit_code == 2
    root = ET.fromstring(result.stdout.encode("utf-8"))
    suites = root.findall("testsuite")
    assert len(suites) == 2
    assert suites[1].get("errors") == "1" and suites[1].find("testcase/error") is not None
    assert root.get("errors") == "1"


def test_output_file_by_extension_xml_is_junit(tmp_path):
    out = tmp_path / "report.xml"
    result = run(PROBLEMS, "--output", out)
    assert result.stdout == ""
    assert ET.parse(out).getroot().tag == "testsuites"
