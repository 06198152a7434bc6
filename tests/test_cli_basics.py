"""The commands a user types: validate, notes, rules, explain."""

import json
from pathlib import Path

from builders import child, make_return
from click.testing import CliRunner

from cin_validate import years
from cin_validate.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def run(*args, env=None):
    return CliRunner().invoke(main, [str(a) for a in args], env=env)


def test_terminal_report_shows_header_facts_and_no_child_ids_by_default(tmp_path):
    path = tmp_path / "r.xml"
    path.write_text(make_return(child(id="SECRETID1", extra="<Odd/>")))
    result = run(path)
    assert result.exit_code in (0, 1)
    out = result.stdout
    for text in ("201", "2025-03-31", "2024-04-01 to 2025-03-31", "Children", "rules checked", "S01"):
        assert text in out
    assert "SECRETID1" not in out
    assert "\x1b[" not in out  # not a terminal: plain text
    detailed = run(path, "--details").stdout
    assert "SECRETID1" in detailed


def test_no_color_is_plain(tmp_path):
    path = tmp_path / "r.xml"
    path.write_text(make_return(child()))
    assert "\x1b[" not in run(path, env={"NO_COLOR": "1"}).stdout


def test_rules_lists_the_whole_catalogue():
    result = run("rules")
    assert result.exit_code == 0
    for code in years.default().rules:
        assert code in result.stdout
    assert f"of {len(years.default().rules)} rules checked" in result.stdout


def test_explain_shows_message_and_auto_ok_note():
    result = run("explain", "8670q")
    assert result.exit_code == 0
    info = years.default().rules["8670Q"]
    flat = " ".join(result.stdout.split())
    assert " ".join(info.message.split()) in flat
    assert " ".join(info.auto_ok_note.split()) in flat
    # the note on a line of its own, as written, however narrow the output: it is pasted
    assert info.auto_ok_note in run("explain", "8670Q", env={"COLUMNS": "60"}).stdout.splitlines()


def test_explain_unknown_code_exits_2():
    result = run("explain", "9999")
    assert result.exit_code == 2
    assert "no rule" in result.stderr


def test_explain_structural_code():
    assert run("explain", "S02").exit_code == 0


def test_python_dash_m_runs_the_command_line(tmp_path):
    """`python -m cin_validate FILE` (when the Scripts folder is not on PATH) and
    `python -m cin_validate.cli FILE` both validate."""
    import subprocess
    import sys
    from pathlib import Path

    clean = Path(__file__).resolve().parents[1] / "examples" / "clean.xml"
    for module in ("cin_validate", "cin_validate.cli"):
        done = subprocess.run([sys.executable, "-m", module, str(clean), "-q"],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, (module, done.stderr)
        assert "0 errors" in done.stdout and "PASS" in done.stdout
    problems = subprocess.run([sys.executable, "-m", "cin_validate", "--help"],
                              capture_output=True, text=True, timeout=120)
    assert problems.returncode == 0 and "Usage: cin-validate" in problems.stdout


def test_explain_takes_the_code_as_the_readme_writes_it_and_suggests_near_codes():
    assert "Threshold" in run("explain", "YonY", "05").stdout  # two words, as in the README
    assert "YonY 05" in run("explain", "yony05").stdout
    forgot_q = run("explain", "8670")
    assert forgot_q.exit_code == 2 and "did you mean 8670Q?" in forgot_q.stderr
    assert "did you mean 1510?" in run("explain", "1511").stderr
    assert "did you mean" not in run("explain", "nothing-like-a-code").stderr


# --- issue 13, looked at again as a new user ------------------------------------------------

def test_explain_says_who_checks_a_structural_notice():
    """Not "no check is registered": the reader of the return notices them as it reads."""
    for code in ("S01", "S02", "S08"):
        out = " ".join(run("explain", code).stdout.split())
        assert "no check is registered" not in out
        assert "Checked by the reader of the return as it reads the file (cin_validate.parse)" \
            in out, code
    assert "cin_validate.engine" in run("explain", "S09").stdout


def test_the_help_names_every_collection_year_held_and_how_to_see_the_options():
    text = " ".join(run("--help").stdout.split())
    for year in years.held():
        assert year in text
    assert "2024 to 2025 XML return" not in text
    assert "cin-validate validate --help" in text
    commands = run("--help").stdout.split("Commands:")[1]
    assert "..." not in commands  # each command's summary whole, not cut by click


def test_stats_output_file_takes_its_format_from_its_extension(tmp_path):
    """`stats FILE -o counts.json` is what --previous-counts reads, not terminal text in a
    file called .json; an extension that says neither is exit 2."""
    counts = tmp_path / "counts.json"
    assert run("stats", EXAMPLES / "clean.xml", "-o", counts).exit_code == 0
    assert json.loads(counts.read_text())["measures"]["children"] == 40
    text = tmp_path / "counts.txt"
    assert run("stats", EXAMPLES / "clean.xml", "-o", text).exit_code == 0
    assert text.read_text().startswith("File")
    wrong = run("stats", EXAMPLES / "clean.xml", "-o", tmp_path / "counts.xlsx")
    assert wrong.exit_code == 2 and ".json (json), .txt (terminal)" in wrong.stderr


def test_the_verdict_line_is_never_wrapped(tmp_path):
    """It is what a log is searched for: one line, whatever the width."""
    path = tmp_path / "preview.xml"
    path.write_text(make_return(child(sex="X"), reference_date="2027-03-31", year="2027"))
    result = run(path, env={"COLUMNS": "60"})
    assert result.stdout.splitlines()[-1].startswith("FAIL: the return has errors  ·  rule set "
                                                     "2026-27 is PREVIEW: ")
    assert result.stdout.splitlines()[-1].endswith("not available to us")
