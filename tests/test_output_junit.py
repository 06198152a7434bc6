"""`--format junit`: parses as XML; a test case per rule checked, a failure per rule that fired."""

import tracemalloc
import xml.etree.ElementTree as ET

from cin_validate.output.junit import _InstancesByRule
from output_helpers import PROBLEMS, personal_values, problems_report, run


def junit(*args):
    result = run(PROBLEMS, "--format", "junit", *args)
    return result, ET.fromstring(result.stdout.encode("utf-8"))


def test_a_test_case_per_rule_a_failure_per_rule_that_fails_the_run_the_rest_skipped():
    """Under the default policy errors are failures; queries and structural notices, which do
    not fail the run, are skipped test cases that still list every instance."""
    report = problems_report()
    result, root = junit()
    assert result.exit_code == 1
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    cases = suite.findall("testcase")
    assert len(cases) == len(report.rules_checked) + 1  # + the structure test case
    errors = {i.code for i in report.issues if i.severity == "error"}
    others = {i.code for i in report.issues if i.severity == "query"}
    failures = suite.findall("testcase/failure")
    skipped = suite.findall("testcase/skipped")
    assert len(failures) == len(errors) and len(skipped) == len(others) + 1  # + Structure
    assert int(suite.get("failures")) == len(failures) == int(root.get("failures"))
    assert int(suite.get("skipped")) == len(skipped) == int(root.get("skipped"))
    assert int(suite.get("tests")) == len(cases) == int(root.get("tests"))
    assert suite.get("errors") == "0"
    for case in cases:
        code = case.get("name").split()[0]
        failure, skip, out = case.find("failure"), case.find("skipped"), case.find("system-out")
        if case.get("classname") == "cin-validate.Structure":
            assert skip is not None and failure is None
            assert out.text.count("\n") == report.notices
            continue
        issues = [i for i in report.issues if i.code == code]
        assert (failure is not None) == (code in errors), code
        assert (skip is not None) == (code in others), code
        if issues:
            listed = failure if failure is not None else out
            assert (failure if failure is not None else skip).get("message").startswith(
                f"{len(issues)} ")
            if skip is not None:
                assert "; does not fail the run under --fail-on error" in skip.get("message")
            lines = listed.text.strip().splitlines()
            assert len(lines) == len(issues)  # every instance listed
            for line, issue in zip(lines, issues):
                assert line.startswith(f"line {issue.line}: " if issue.line else "line -")
                if issue.child:
                    assert f"child {issue.child.label}" in line
    props = {p.get("name"): p.get("value") for p in suite.find("properties")}
    assert props["children"] == str(report.children) and props["la"] == "201"
    assert props["fail_on"] == "error"


def test_failed_tests_follow_the_exit_code_under_every_policy():
    """GitLab must never show red tests on a green pipeline, nor green tests on a red one."""
    report = problems_report()
    expected = {"error": {i.code for i in report.issues if i.severity == "error"},
                "query": {i.code for i in report.issues if i.severity in ("error", "query")},
                "never": set()}
    for fail_on, failing in expected.items():
        result, root = junit("--fail-on", fail_on)
        failed = {case.get("name").split()[0] for case in root.iter("testcase")
                  if case.find("failure") is not None}
        assert failed == failing, fail_on
        assert (result.exit_code == 1) == bool(failed) == (root.get("failures") != "0")
        assert root.find("testsuite").get("name").endswith("problems.xml")


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


def test_instances_wait_on_disk_in_report_order_whatever_their_number():
    """A rule's instances are listed together, after every issue is read: 100,000 of them
    cost less than 2 MB of memory (as strings about 10 MB), and come back in order, by rule."""
    store = _InstancesByRule()
    tracemalloc.start()
    try:
        for number in range(100_000):
            store.add("8606" if number % 2 else "4180", f"Child C{number}: line {number} ü")
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2 * 2**20
    assert list(store.pop("4180"))[:2] == ["Child C0: line 0 ü", "Child C2: line 2 ü"]
    assert len(list(store.pop("8606"))) == 50_000
    assert list(store.pop("8606")) == [] and list(store.pop("1510")) == []
    store.close()
