"""`--redact`: no child ID, UPN or date of birth of the input in any format's output.

And without it, the CI formats (github, junit) still print no UPN or date of birth.
"""

import json
import re
import zipfile

import pytest
from output_helpers import PROBLEMS, child_ids, personal_values, problems_report, run

from cin_validate import privacy
from cin_validate.output.formats import FORMATS, REGISTRY
from cin_validate.report import Report

# The formats that never show a personal value, even without --redact (CI logs).
WITHOUT_PERSONAL_VALUES = [fmt.name for fmt in REGISTRY if not fmt.personal_values]


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


def test_the_ci_formats_are_declared_without_personal_values():
    assert WITHOUT_PERSONAL_VALUES == ["github", "junit", "concise"]


@pytest.mark.parametrize("fmt", REGISTRY, ids=lambda fmt: fmt.name)
def test_a_format_names_children_by_default_as_declared(tmp_path, fmt):
    out = tmp_path / f"report.{fmt.name}"
    assert run(PROBLEMS, "--format", fmt.name, "--output", out).exit_code == 1
    text = everything_written(out)
    with_issues = {issue.child.la_child_id for issue in problems_report().issues if issue.child}
    assert len(with_issues) >= 8
    named = {child_id for child_id in child_ids() if child_id in text}
    assert named == (with_issues if fmt.child_ids else set())


@pytest.mark.parametrize("fmt", WITHOUT_PERSONAL_VALUES)
def test_ci_formats_never_print_upns_or_dates_of_birth_without_redact(fmt):
    result = run(PROBLEMS, "--format", fmt)
    for value in personal_values():
        assert value not in result.stdout, value
    assert "QX7BRAVO" in result.stdout  # child IDs stay, to find the record


# --- redaction works on the values, never on the words of a text ---------------------------

SHARED_UPN = "H801200001001"
# IDs that words of a text would cut in pieces; "QZ" is written nowhere else in a report.
SEPARATED_IDS = ("KX 71QZ", "KX,72QZ", "KX;73QZ", "KX(74QZ)", "KX[75QZ]", "KX\u00a076QZ",
                 "KX:77QZ.")


@pytest.fixture
def separated_ids_return(tmp_path):
    """Children sharing one UPN (1520 names the others), two of them sharing an ID (8510)."""
    from builders import child, make_return

    children = [child(id=child_id, upn=SHARED_UPN) for child_id in SEPARATED_IDS]
    children.append(child(id=SEPARATED_IDS[1], upn=SHARED_UPN))
    path = tmp_path / "return.xml"
    path.write_text(make_return(*children), encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_part_of_an_id_holding_separators_survives_redaction(tmp_path, separated_ids_return,
                                                                fmt):
    out = tmp_path / f"report-{fmt}.out"
    result = run(separated_ids_return, "--format", fmt, "--output", out, "--redact",
                 "--details", "--no-config")
    assert result.exit_code == 1, result.stderr
    text = everything_written(out)
    assert "anon-" in text
    assert "QZ" not in text, f"a child ID in the {fmt} output"
    assert SHARED_UPN not in text


def test_the_other_children_of_a_duplicate_are_data_and_get_their_pseudonyms(
        separated_ids_return):
    data = json.loads(run(separated_ids_return, "--format", "json", "--redact-key", "k",
                          "--no-config").stdout)
    duplicates = [issue for issue in data["issues"] if issue["code"] == "1520"]
    assert len(duplicates) == len(SEPARATED_IDS) + 1
    first = duplicates[0]
    others = [other["child_id"] for other in first["other_children"]]
    assert others == [issue["child_id"] for issue in duplicates[1:6]]
    assert first["detail"] == f"also {', '.join(others)} and 2 more"
    assert [other["child_index"] for other in first["other_children"]] == [2, 3, 4, 5, 6]


def test_without_redact_the_other_children_are_named_as_written(separated_ids_return):
    data = json.loads(run(separated_ids_return, "--format", "json", "--no-config").stdout)
    first = next(issue for issue in data["issues"] if issue["code"] == "1520")
    assert first["detail"] == "also KX,72QZ, KX;73QZ, KX(74QZ), KX[75QZ], KX\u00a076QZ and 2 more"
    assert first["other_children"][0] == {"child_id": "KX,72QZ", "child_index": 2,
                                          "child_line": first["line"] + 1}
    by_id = [issue for issue in data["issues"] if issue["code"] == "8510"]
    assert [issue["detail"] for issue in by_id] == ["also Child[8]", "also Child[2]"]


@pytest.fixture
def wrong_check_letter(tmp_path):
    from builders import child, make_return

    path = tmp_path / "letter.xml"
    path.write_text(make_return(child(id="C1", upn="Z801200001001")))  # should be H
    return path


def test_redacted_1510_does_not_give_the_check_letter(tmp_path, wrong_check_letter):
    data = json.loads(run(wrong_check_letter, "--format", "json", "--redact",
                          "--no-config").stdout)
    (issue,) = [issue for issue in data["issues"] if issue["code"] == "1510"]
    assert issue["detail"] is None
    for fmt in FORMATS:
        out = tmp_path / f"report-{fmt}.out"
        run(wrong_check_letter, "--format", fmt, "--output", out, "--redact", "--details",
            "--no-config")
        assert "should be H" not in everything_written(out), fmt


@pytest.mark.parametrize("fmt", WITHOUT_PERSONAL_VALUES)
def test_ci_formats_do_not_give_the_check_letter_either(wrong_check_letter, fmt):
    result = run(wrong_check_letter, "--format", fmt, "--no-config")
    assert "1510" in result.stdout and "should be H" not in result.stdout
    # where personal values may be shown, the detail says which letter
    shown = run(wrong_check_letter, "--format", "json", "--no-config").stdout
    assert "the check letter should be H" in shown


# --- redaction fails closed ----------------------------------------------------------------

@pytest.mark.parametrize("how", ["option", "environment"])
@pytest.mark.parametrize("key", ["", "  "])
def test_an_empty_key_is_an_error_not_redaction_turned_off(tmp_path, how, key):
    out = tmp_path / "report.json"
    args = ["--redact-key", key] if how == "option" else ["--redact"]
    env = {"CIN_VALIDATE_REDACT_KEY": key} if how == "environment" else None
    result = run(PROBLEMS, "--output", out, *args, env=env)
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("cin-validate: error: ") and "empty" in result.stderr
    assert not out.exists()


def test_the_environment_key_alone_redacts():
    env = {"CIN_VALIDATE_REDACT_KEY": "k1"}
    by_environment = run(PROBLEMS, "--format", "json", env=env).stdout
    for secret in secrets():
        assert secret not in by_environment
    by_option = run(PROBLEMS, "--format", "json", "--redact-key", "k1").stdout
    assert json.loads(by_environment)["issues"] == json.loads(by_option)["issues"]


def test_help_says_the_environment_key_implies_redact():
    text = " ".join(run("validate", "--help").stdout.split())
    assert "CIN_VALIDATE_REDACT_KEY" in text
    assert "the key, given here or in CIN_VALIDATE_REDACT_KEY, implies --redact" in text


def test_the_text_of_unknown_elements_is_never_shown_redacted_or_in_ci_formats(tmp_path):
    """A producer's own elements (notice S01) may hold anything: a child's name, a note naming a
    sibling and a date of birth. Under --redact no format shows their text, nor do the CI
    formats without it; the notices still name the elements. A known value equal to such a
    text (a ReferralNFA "false" beside a producer's <Flag>false</Flag>) is still shown."""
    from builders import assessment, child, episode, make_return

    path = tmp_path / "own-elements.xml"
    path.write_text(make_return(
        child(id="NM1A", extra="<ChildName>Jolene Smythe</ChildName><Flag>false</Flag>"),
        child(episode(assessment(), extra="<CaseWorkerNote>see sibling NM1A, DOB 2015-06-15"
                                          "</CaseWorkerNote>"), id="NM2B"),
        child(episode(nfa="false"), id="NM3C", upn=None, upn_unknown="UN7")))  # 8772
    hidden = ("Jolene", "sibling", "2015-06-15")
    for fmt in FORMATS:
        out = tmp_path / f"report-{fmt}"
        assert run(path, "--format", fmt, "-o", out, "--redact", "--details",
                   "--no-config").exit_code in (0, 1)
        text = everything_written(out)
        for secret in hidden + ("NM1A", "NM2B", "NM3C"):
            assert secret not in text, (fmt, secret)
    for fmt in WITHOUT_PERSONAL_VALUES:
        text = run(path, "--format", fmt, "--no-config").stdout
        assert not any(secret in text for secret in hidden), fmt
    data = json.loads(run(path, "--format", "json", "--redact", "--no-config").stdout)
    values = {place["field"]: place["value"] for issue in data["issues"]
              for place in issue["locations"]}
    assert values["ChildName"] == values["Flag"] == privacy.REDACTED
    assert values["ReferralNFA"] == "false"  # 8772's, as written
