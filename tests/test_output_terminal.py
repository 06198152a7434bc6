"""The terminal report as people read it: its width, and `--details` as diagnostics by child."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from builders import child, make_return
from output_helpers import PROBLEMS, run

from cin_validate.engine import validate_file
from cin_validate.output import terminal
from cin_validate.output.source import SourceLines

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def lines_of(*args, columns: str | None = None) -> list[str]:
    env = {"COLUMNS": columns} if columns else {"COLUMNS": None}
    result = run(*args, "--no-config", env=env)
    assert result.exit_code in (0, 1), result.stderr
    return result.stdout.splitlines()


# --- width ------------------------------------------------------------------------------------

@pytest.mark.parametrize("args", [(), ("--details",), ("-q",)])
def test_no_line_ends_in_spaces(args):
    for path in (PROBLEMS, EXAMPLES / "clean.xml"):
        for line in lines_of(path, *args):
            assert line == line.rstrip(), repr(line)


def test_piped_output_is_not_padded_to_a_fixed_width():
    """The facts of a clean return are short (the longest, its rule set, about 100 columns):
    none is padded to the 160 columns long messages may wrap at."""
    longest = max(len(line) for line in lines_of(EXAMPLES / "clean.xml"))
    assert longest < 110


def test_columns_is_honoured_when_piped_and_notes_stay_whole():
    lines = lines_of(PROBLEMS, columns="60")
    report = validate_file(PROBLEMS)
    notes = [line for line in lines if line in report.notes]
    assert len(notes) == len(report.notes) > 1  # each on one line, to copy whole
    verdict = lines[-1]
    assert all(len(line) <= 60 for line in lines if line not in notes and line != verdict), \
        [line for line in lines if len(line) > 60]


@pytest.mark.parametrize("columns", ["30", "80", None])
def test_the_quiet_summary_is_one_line_whatever_the_width(columns):
    (line,) = lines_of(PROBLEMS, "-q", columns=columns)
    assert line.startswith(f"{PROBLEMS}: ") and "FAIL" in line


def test_a_text_report_file_has_no_trailing_spaces(tmp_path):
    out = tmp_path / "report.txt"
    assert run(PROBLEMS, "-o", out, "--details", "--no-config").exit_code == 1
    text = out.read_text(encoding="utf-8")
    assert text and all(line == line.rstrip() for line in text.splitlines())


# --- --details: issues by child, with the lines of the return they point at --------------------

def details_of(*args, columns: str = "1000") -> list[str]:
    lines = lines_of(PROBLEMS, "--details", *args, columns=columns)
    return lines[lines.index("Issues by child") + 1:]


def test_details_list_the_issues_child_by_child_each_with_its_rule_message_and_values():
    report = validate_file(PROBLEMS)
    lines = details_of()
    headings = [line for line in lines if line and not line.startswith(" ")]
    children = list(dict.fromkeys(issue.child for issue in report.issues))
    assert headings[:len(children)] == [
        f"{child.la_child_id}  (child {child.index}, line {child.line})" if child
        else "Return level" for child in children]
    heads = [line.strip() for line in lines if re.match(r"  \S", line)]
    assert heads == [f"{i.code} {i.severity}: {' '.join(i.message.split())}"
                     + (f" ({i.detail_text})" if i.detail_text else "") for i in report.issues]
    duplicate = lines[lines.index(next(line for line in lines if line.startswith("  1520"))) + 1]
    assert duplicate.strip() == "UPN = F202753545951 (line 83)"


def test_under_each_issue_the_lines_it_points_at_with_the_elements_marked():
    report = validate_file(PROBLEMS)
    source = PROBLEMS.read_text(encoding="utf-8").splitlines()
    issue = next(i for i in report.issues if i.code == "8630")  # two elements, two lines
    lines = terminal.issue_lines(issue, SourceLines(str(PROBLEMS)), width=120)
    for place in issue.places:
        written = source[place.line - 1]
        (shown,) = [n for n, line in enumerate(lines) if line.strip().startswith(f"{place.line} |")]
        assert lines[shown].split(" | ", 1)[1] == written.rstrip()
        carets = lines[shown + 1].split(" | ", 1)[1]
        element = f"<{place.field}>{place.value}</{place.field}>"
        start = written.index(element)
        assert carets == " " * start + "^" * len(element)


def test_an_absent_element_marks_where_it_belongs():
    report = validate_file(PROBLEMS)
    issue = next(i for i in report.issues if i.code == "8670Q")
    lines = "\n".join(terminal.issue_lines(issue, SourceLines(str(PROBLEMS)), width=120))
    assert "<Assessments>" in lines and "no AssessmentAuthorisationDate here" in lines


def test_a_long_line_is_cut_around_each_element_within_the_width():
    """examples/problems.xml writes each child on one line of about 2,000 characters."""
    lines = lines_of(EXAMPLES / "problems.xml", "--details", columns="80")
    excerpt = [line for line in lines if re.match(r"\s+\d+ \| ", line)]
    assert excerpt and all(len(line) <= 80 for line in excerpt)
    assert any("<CINclosureDate>2024-05-20</CINclosureDate>" in line for line in excerpt)
    assert any("<CINreferralDate>2024-06-03</CINreferralDate>" in line for line in excerpt)
    assert all(line.lstrip().split(" | ")[1].startswith("…") for line in excerpt)


def test_redacted_details_show_no_identifying_value_even_in_the_source_lines(tmp_path):
    """On one line, a child's ID, UPN, birth date, a comment naming them and an attribute:
    under --redact the line shows its element names, and only the values the report shows."""
    path = tmp_path / "one-line.xml"
    path.write_text(make_return(child(
        id="SECRET42", upn="Z801200001001", dob="2015-06-15",
        extra_identifiers='<!-- Jane Doe --><Note who="Jane">Doe</Note>')))
    result = run(path, "--details", "--redact", "--no-config", env={"COLUMNS": "400"})
    for secret in ("SECRET42", "Z801200001001", "2015-06-15", "Jane", "Doe"):
        assert secret not in result.stdout, secret
    assert "<UPN>[redacted]</UPN>" in result.stdout  # 1510: the element the issue is about
    assert "<Sex>…</Sex><!--…--><Note who=\"…\">…</Note>" in result.stdout
    plain = run(path, "--details", "--no-config", env={"COLUMNS": "400"}).stdout
    assert "<UPN>Z801200001001</UPN>" in plain  # --details alone shows the values as written


def test_the_source_is_read_forward_never_again_from_the_start_in_flat_memory(tmp_path,
                                                                              monkeypatch):
    """Issues come in file order: the file is read forward, each line asked for costing a few
    kilobytes at most beyond the lines between (a scan from the start for each would read
    hundreds of megabytes here); going back costs at most a checkpoint's worth; the lines kept
    stay few."""
    path = tmp_path / "long.xml"
    path.write_text("".join(f"<Line number='{n}'>{'x' * 50}</Line>\n" for n in range(1, 20001)))
    size = path.stat().st_size
    monkeypatch.setattr(SourceLines, "RECENT", 4096)
    read = []
    real_open = open

    class Counting(io.BufferedReader):
        def readline(self, *args):
            line = super().readline(*args)
            read.append(len(line))
            return line

        def read(self, *args):
            block = super().read(*args)
            read.append(len(block))
            return block

    def counting_open(file, mode="r", *args, **kwargs):
        if mode == "rb":
            return Counting(io.FileIO(file, "r"))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr("builtins.open", counting_open)
    asked = 0
    with SourceLines(str(path)) as source:
        for number in range(1, 20001, 7):  # each issue's line, and a line before it again
            assert source.line(number).startswith(f"<Line number='{number}'>")
            assert source.line(max(1, number - 3)) is not None
            asked += 2
        assert sum(read) <= size + asked * 8192
        assert len(source._recent) <= 4096 // 150 + 1
        read.clear()
        assert source.line(17) == "<Line number='17'>" + "x" * 50 + "</Line>"
        assert sum(read) <= 2 * SourceLines.CHECKPOINT + 200  # back from the end: a checkpoint


def test_lines_that_cannot_be_shown_are_left_out_without_failing(tmp_path, monkeypatch):
    utf16 = tmp_path / "utf16.xml"
    utf16.write_text(make_return(child(id="C1", sex="X")), encoding="utf-16")
    result = run(utf16, "--details", "--no-config")
    assert result.exit_code == 1 and " | " not in result.stdout  # no excerpt, no failure
    long_line = tmp_path / "one.xml"
    long_line.write_text(make_return(child(id="C1", sex="X")).replace("\n", ""))
    monkeypatch.setattr(SourceLines, "LONGEST", 100)
    result = run(long_line, "--details", "--no-config")
    assert result.exit_code == 1 and " | " not in result.stdout
    assert SourceLines(str(tmp_path / "gone.xml")).line(1) is None
