"""`--redact`: no child ID, UPN or date of birth of the input in any format's output.

And without it, the CI formats (github, junit) still print no UPN or date of birth.
"""

import json
import re
import zipfile

import pytest
from output_helpers import PROBLEMS, child_ids, personal_values, problems_report, run

from cin_validate import privacy
from cin_validate.report import Report

FORMATS = ("terminal", "json", "github", "junit", "csv", "xlsx", "html")


def everything_written(path) -> str:
    """All the text of an output file; an xlsx is a zip of XML parts, read them all."""
    data = path.read_bytes()
    if data[:2] == b"PK":
        with zipfile.ZipFile(path) as book:
            return "\n".join(book.read(name).decode("utf-8", "replace") for name in book.namelist())
    return data.decode("utf-8-sig")


def secrets() -> set[str]:
    found = child_ids() | personal_values()
    assert len(child_ids()) == 10 and len(personal_values()) >= 12  # the fixture is as expected
    return found


@pytest.mark.parametrize("fmt", FORMATS)
def test_redacted_output_holds_no_child_id_upn_or_date_of_birth(tmp_path, fmt):
    out = tmp_path / f"report.{fmt}"
    result = run(PROBLEMS, "--format", fmt, "--output", out, "--redact", "--details")
    assert result.exit_code in (0, 1), result.stderr
    text = everything_written(out)
    assert "anon-" in text
    for secret in secrets():
        assert secret not in text, f"{secret!r} in the {fmt} output"


def test_redacted_terminal_and_stdout(tmp_path):
    for args in ((), ("--details",), ("--format", "json"), ("--format", "csv")):
        result = run(PROBLEMS, "--redact", *args)
        text = result.stdout_bytes.decode("utf-8-sig") + result.stderr
        for secret in secrets():
            assert secret not in text, (args, secret)


def test_same_child_same_pseudonym_in_every_format_of_one_run(tmp_path):
    outs = [tmp_path / name for name in ("r.json", "r.csv", "r.html", "r.xml", "r.xlsx")]
    args = [PROBLEMS, "--redact"]
    for out in outs:
        args += ["--output", out]
    assert run(*args).exit_code in (0, 1)
    data = json.loads(outs[0].read_text())
    pseudonyms = {issue["child_id"] for issue in data["issues"] if issue["child_id"]}
    assert pseudonyms and all(re.fullmatch(r"anon-[0-9a-f]{12}", p) for p in pseudonyms)
    for out in outs[1:]:
        text = everything_written(out)
        for pseudonym in pseudonyms:
            assert pseudonym in text, (out.name, pseudonym)
    # the duplicate-UPN detail names the other child by its pseudonym too
    details = [i["detail"] for i in data["issues"] if i["code"] == "1520"]
    assert details and all(d.split()[-1] in pseudonyms for d in details)


def test_a_key_makes_pseudonyms_stable_across_runs_and_none_makes_them_differ():
    def ids(*extra):
        data = json.loads(run(PROBLEMS, "--format", "json", "--redact", *extra).stdout)
        return [issue["child_id"] for issue in data["issues"]]

    assert ids("--redact-key", "k1") == ids("--redact-key", "k1")
    assert ids("--redact-key", "k1") != ids("--redact-key", "k2")
    assert ids() != ids()  # a random key per run
    # --redact-key on the command line implies --redact
    data = json.loads(run(PROBLEMS, "--format", "json", "--redact-key", "k1").stdout)
    assert all(i["child_id"] is None or i["child_id"].startswith("anon-") for i in data["issues"])


def test_redaction_is_one_transformation_of_the_report():
    report = problems_report()
    redacted = privacy.redact(report, privacy.Pseudonyms(b"key"))
    assert isinstance(redacted, Report) and redacted is not report
    assert len(redacted.issues) == len(report.issues)
    assert [i.line for i in redacted.issues] == [i.line for i in report.issues]
    assert [i.code for i in redacted.issues] == [i.code for i in report.issues]
    text = json.dumps(redacted.to_dict())
    for secret in secrets():
        assert secret not in text
    assert report.issues[1].child.la_child_id in child_ids()  # the original is untouched


@pytest.mark.parametrize("fmt", ["github", "junit"])
def test_ci_formats_never_print_upns_or_dates_of_birth_without_redact(fmt):
    result = run(PROBLEMS, "--format", fmt)
    for value in personal_values():
        assert value not in result.stdout, value
    assert "QX7BRAVO" in result.stdout  # child IDs stay, to find the record
