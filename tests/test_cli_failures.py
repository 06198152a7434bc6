"""Nothing ends in a traceback read as a verdict: an internal error is exit 3 in one line (the
traceback with --debug), a bad configuration or counts file exit 2, standard output that
cannot be written exit 2, and a reader closing the pipe (`| head`) ends the run quietly."""

import os

import pytest
from output_helpers import PROBLEMS, run
from processes import cli, synthetic_return

INTERNAL = ("cin-validate: error: internal error: RuntimeError: boom (run with --debug for the "
            "traceback; please report it)\n")


@pytest.fixture(scope="module")
def large_return(tmp_path_factory):
    """Enough children that every report is far larger than a pipe's buffer."""
    return synthetic_return(tmp_path_factory.mktemp("large") / "large.xml", children=3000)


# --- an unexpected exception in any subcommand ---------------------------------------------

BROKEN = [
    ((PROBLEMS,), "cin_validate.output.terminal.render"),
    ((PROBLEMS, "--format", "json"), "cin_validate.output.jsonfmt.render"),
    ((PROBLEMS, PROBLEMS, "-j", "1"), "cin_validate.output.terminal.render_summary"),
    (("notes", PROBLEMS), "cin_validate.api.validate_file"),
    (("rules",), "cin_validate.years.default"),
    (("explain", "8670Q"), "cin_validate.years.lookup"),
    (("stats", PROBLEMS), "cin_validate.yony.measure_file"),
]


def boom(*args, **kwargs):
    raise RuntimeError("boom")


@pytest.mark.parametrize("args, target", BROKEN, ids=[" ".join(map(str, a[:1])) + " " + t
                                                      for a, t in BROKEN])
def test_an_unexpected_exception_is_exit_3_in_one_line(monkeypatch, args, target):
    monkeypatch.setattr(target, boom)
    result = run(*args)
    assert result.exit_code == 3
    assert result.stderr == INTERNAL


@pytest.mark.parametrize("args, target", BROKEN[::3])
def test_debug_shows_the_traceback_then_the_one_line(monkeypatch, args, target):
    monkeypatch.setattr(target, boom)
    result = run(*args, "--debug")
    assert result.exit_code == 3
    assert result.stderr.startswith("Traceback (most recent call last):")
    assert result.stderr.endswith(INTERNAL.replace(" (run with --debug for the traceback; "
                                                   "please report it)", ""))


# --- configuration files -------------------------------------------------------------------

def return_in(folder):
    folder.mkdir(exist_ok=True)
    path = folder / "r.xml"
    path.write_text(PROBLEMS.read_text())
    return path


def test_a_pyproject_whose_tool_is_not_a_table_is_passed_over(tmp_path):
    path = return_in(tmp_path)
    (tmp_path / "pyproject.toml").write_text("tool = 1\n")
    result = run(path, "-q")
    assert result.exit_code == 1 and result.stderr == ""  # validated: problems.xml has errors


@pytest.mark.parametrize("name, text", [
    ("cin-validate.toml", b'fail-on = "n\xffver"\n'),
    ("pyproject.toml", b'[tool.cin-validate]\nfail-on = "n\xffver"\n'),
    ("cin-validate.toml", b"select = [" * 100_000),
    ("cin-validate.toml", b"fail-on = " + b"9" * 5000 + b"\n"),
])
def test_an_unreadable_configuration_file_is_exit_2_in_one_line(tmp_path, name, text):
    path = return_in(tmp_path)
    (tmp_path / name).write_bytes(text)
    result = run(path)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"cin-validate: error: {tmp_path / name}: ")
    assert len(result.stderr.splitlines()) == 1


def test_a_configuration_file_given_with_config_that_is_not_utf8_is_exit_2(tmp_path):
    config = tmp_path / "settings.toml"
    config.write_bytes(b"ignore = ['\xff']\n")
    result = run(PROBLEMS, "--config", config)
    assert result.exit_code == 2
    assert result.stderr == f"cin-validate: error: {config}: not UTF-8 text\n"


# --- last year's counts --------------------------------------------------------------------

@pytest.fixture
def counts(tmp_path):
    path = tmp_path / "counts.json"
    assert run("stats", PROBLEMS, "--format", "json", "-o", path).exit_code == 0
    return path


@pytest.mark.parametrize("damage", ["a 5,000-digit count", "nested arrays"])
def test_a_counts_file_we_cannot_read_is_exit_2_in_one_line(counts, damage):
    text = counts.read_text()
    if damage == "nested arrays":
        text = text.replace('"measures": {', '"deep": ' + "[" * 100_000 + "]" * 100_000
                            + ', "measures": {')
    else:
        text = text.replace('"referrals": ', '"referrals": ' + "9" * 5000 + ', "x": ')
    counts.write_text(text)
    result = run(PROBLEMS, "--previous-counts", counts, "--no-config")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"cin-validate: error: --previous-counts {counts}: ")
    assert len(result.stderr.splitlines()) == 1


# --- standard output -----------------------------------------------------------------------

@pytest.mark.parametrize("args", [(PROBLEMS,), (PROBLEMS, "--format", "json"),
                                  (PROBLEMS, "--format", "xlsx"),
                                  ("notes", PROBLEMS), ("rules",), ("explain", "8670Q"),
                                  ("stats", PROBLEMS), ("stats", PROBLEMS, "--format", "json")],
                         ids=lambda args: " ".join(map(str, args[:1] + args[2:])))
def test_standard_output_on_a_full_disk_is_exit_2_in_one_line(args):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    with open("/dev/full", "wb") as full:
        process = cli(*args, stdout=full)
        _, stderr = process.communicate(timeout=120)
    assert stderr.decode() == ("cin-validate: error: standard output: cannot write: No space "
                               "left on device\n")
    assert process.returncode == 2


@pytest.mark.parametrize("fmt", ["terminal", "json", "csv", "xlsx", "concise"])
def test_a_closed_pipe_ends_the_run_quietly_with_141(large_return, fmt):
    process = cli(large_return, "--format", fmt, "--details", "--no-config")
    process.stdout.readline()
    process.stdout.close()  # as `| head -1` does
    stderr = process.stderr.read()
    process.wait(timeout=120)
    assert stderr == b""
    assert process.returncode == 141


def test_a_closed_pipe_with_several_files_is_quiet_too(large_return):
    process = cli(large_return, PROBLEMS, "-j", "1", "--details", "--no-config")
    process.stdout.close()
    stderr = process.stderr.read()
    process.wait(timeout=120)
    assert stderr == b""
    assert process.returncode == 141


@pytest.mark.parametrize("args", [(), ("--details",), ("-q",)])
def test_a_terminal_that_cannot_show_a_character_shows_a_question_mark(tmp_path, args):
    """Windows writes redirected output in cp1252, which has no box-drawing line and no "Ł":
    the several-file summary and a child ID holding one are shown with "?" or ASCII, not an
    internal error (exit 3)."""
    import subprocess

    from builders import child, make_return

    polish = tmp_path / "polish.xml"
    polish.write_text(make_return(child(id="Łukasz1", sex="X")), encoding="utf-8")
    done = cli(polish, PROBLEMS, *args, "--no-config", stdout=subprocess.PIPE,
               stderr=subprocess.PIPE, env={**os.environ, "PYTHONIOENCODING": "cp1252"})
    out, err = done.communicate(timeout=60)
    assert done.returncode == 1, err.decode()
    assert err == b""
    text = out.decode("cp1252")
    assert "Summary" in text or args == ("-q",)
    if args == ("--details",):
        assert "?ukasz1" in text
