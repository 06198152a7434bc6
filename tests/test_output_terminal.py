"""The terminal report as people read it: its width, and `--details` as diagnostics by child."""

from __future__ import annotations

from pathlib import Path

import pytest
from output_helpers import PROBLEMS, run

from cin_validate.engine import validate_file

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
