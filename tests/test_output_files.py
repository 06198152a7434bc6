"""Where `--output` writes: regular files whole or not at all, devices and FIFOs directly,
through symbolic links, never over a read-only file or any input of the run."""

import json
import os
import stat
import threading

import pytest
from output_helpers import PROBLEMS, run

PROBLEMS_TEXT = PROBLEMS.read_text()


def device(tmp_path, name, minor):
    """A character device like /dev/null (1, 3) or /dev/full (1, 7), made in `tmp_path` so that
    a regression cannot replace the machine's own; skipped where devices cannot be made."""
    path = tmp_path / name
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    except (PermissionError, AttributeError):
        pytest.skip("cannot make a device node here")
    return path


def leftovers(folder):
    return [p.name for p in folder.iterdir() if p.name.startswith(".cin-validate-")]


def copy_of_problems(tmp_path, name="r.xml"):
    path = tmp_path / name
    path.write_text(PROBLEMS_TEXT)
    return path


# --- devices, FIFOs and symbolic links ------------------------------------------------------

@pytest.mark.parametrize("command", [("validate", "--format", "json"), ("stats", "--format", "json")])
def test_output_to_a_null_device_writes_into_it_and_leaves_it_a_device(tmp_path, command):
    null = device(tmp_path, "null", 3)
    result = run(command[0], PROBLEMS, *command[1:], "--output", null)
    assert result.exit_code in (0, 1), result.stderr
    assert stat.S_ISCHR(os.stat(null).st_mode)  # still the device, not a file of the report
    assert not leftovers(tmp_path)


def test_a_device_needs_no_extension_to_be_written_into(tmp_path):
    """`-o /dev/null` takes the chosen format (terminal text by default): a device's name is
    no file name whose extension could pick one."""
    null = device(tmp_path, "null", 3)
    assert run(PROBLEMS, "--output", null, "--no-config").exit_code == 1
    assert stat.S_ISCHR(os.stat(null).st_mode)


@pytest.mark.parametrize("command", [("validate", "--format", "json"), ("stats", "--format", "json")])
def test_output_to_a_full_device_is_no_space_left_exit_2(tmp_path, command):
    full = device(tmp_path, "full", 7)
    result = run(command[0], PROBLEMS, *command[1:], "--output", full)
    assert result.exit_code == 2
    assert result.stderr == f"cin-validate: error: {full}: cannot write: No space left on device\n"
    assert stat.S_ISCHR(os.stat(full).st_mode)
    assert not leftovers(tmp_path)


def test_output_to_a_fifo_is_read_by_whoever_reads_it(tmp_path):
    fifo = tmp_path / "report.json"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = run(PROBLEMS, "--output", fifo, "--no-config")
    is_fifo = stat.S_ISFIFO(os.stat(fifo).st_mode)
    if reader.is_alive() and is_fifo:  # nothing was written into it: let the reader go
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    reader.join(timeout=30)
    assert result.exit_code == 1, result.stderr
    assert is_fifo
    assert json.loads(received[0])["summary"]["children"] == 10


def test_output_through_a_symlink_replaces_its_target_and_the_link_stays(tmp_path):
    target = tmp_path / "reports" / "latest.json"
    target.parent.mkdir()
    target.write_text("last month's")
    link = tmp_path / "report.json"
    link.symlink_to(target)
    assert run(PROBLEMS, "--output", link, "--no-config").exit_code == 1
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert json.loads(target.read_text())["summary"]["children"] == 10
    assert not leftovers(tmp_path) and not leftovers(target.parent)


def test_output_through_a_dangling_symlink_creates_its_target(tmp_path):
    target = tmp_path / "new.json"
    link = tmp_path / "report.json"
    link.symlink_to(target)
    assert run(PROBLEMS, "--output", link, "--no-config").exit_code == 1
    assert link.is_symlink() and json.loads(target.read_text())["summary"]


def test_a_read_only_file_is_not_replaced(tmp_path):
    out = tmp_path / "report.json"
    out.write_text("kept")
    out.chmod(0o444)
    result = run(PROBLEMS, "--output", out, "--no-config")
    assert result.exit_code == 2
    assert result.stderr == (f"cin-validate: error: {out}: is read-only; refusing to replace "
                             "it\n")
    assert out.read_text() == "kept" and not leftovers(tmp_path)


def test_a_regular_file_is_still_replaced_whole(tmp_path):
    out = tmp_path / "report.json"
    out.write_text("old " * 100_000)
    assert run(PROBLEMS, "--output", out, "--no-config").exit_code == 1
    assert json.loads(out.read_text())["summary"]["children"] == 10
    assert not leftovers(tmp_path)


# --- the inputs of the run are never written over -------------------------------------------

def test_output_over_last_years_return_is_refused(tmp_path):
    this = copy_of_problems(tmp_path, "this.xml")
    last = copy_of_problems(tmp_path, "last.xml")
    result = run(this, "--previous", last, "--format", "json", "--output", last, "--no-config")
    assert result.exit_code == 2
    assert result.stderr == (f"cin-validate: error: {last}: refusing to overwrite last year's "
                             "return (--previous)\n")
    assert last.read_text() == PROBLEMS_TEXT


def test_output_over_last_years_counts_is_refused(tmp_path):
    counts = tmp_path / "counts.json"
    assert run("stats", PROBLEMS, "--format", "json", "--output", counts).exit_code == 0
    before = counts.read_text()
    result = run(PROBLEMS, "--previous-counts", counts, "--output", counts, "--no-config")
    assert result.exit_code == 2
    assert "refusing to overwrite last year's counts (--previous-counts)" in result.stderr
    assert counts.read_text() == before


@pytest.mark.parametrize("how", ["found beside the return", "--config"])
def test_output_over_the_configuration_file_is_refused(tmp_path, how):
    path = copy_of_problems(tmp_path)
    config = tmp_path / ("cin-validate.toml" if how != "--config" else "settings.toml")
    config.write_text('fail-on = "never"\n')
    extra = ("--config", config) if how == "--config" else ()
    result = run(path, *extra, "--format", "json", "--output", config)
    assert result.exit_code == 2
    assert "refusing to overwrite the configuration file" in result.stderr
    assert config.read_text() == 'fail-on = "never"\n'


def test_output_over_an_input_through_a_symlink_is_refused(tmp_path):
    path = copy_of_problems(tmp_path)
    link = tmp_path / "link.json"
    link.symlink_to(path)
    result = run(path, "--output", link, "--no-config")
    assert result.exit_code == 2 and "refusing to overwrite the return" in result.stderr
    assert path.read_text() == PROBLEMS_TEXT


def test_stats_never_writes_over_its_return(tmp_path):
    path = copy_of_problems(tmp_path)
    result = run("stats", path, "--output", path)
    assert result.exit_code == 2 and "refusing to overwrite the return" in result.stderr
    assert path.read_text() == PROBLEMS_TEXT


def test_a_refused_output_is_known_before_any_other_output_is_written(tmp_path):
    this = copy_of_problems(tmp_path, "this.xml")
    last = copy_of_problems(tmp_path, "last.xml")
    first = tmp_path / "report.html"
    result = run(this, "--previous", last, "--output", first, "--output", last, "--no-config")
    assert result.exit_code == 2
    assert not first.exists()  # nothing written: the command line was wrong
    assert last.read_text() == PROBLEMS_TEXT


# --- permissions: the user's, as the shell's `>` would give ------------------------------------

@pytest.fixture
def umask():
    """Set the process's umask for a test, and put the old one back."""
    old = os.umask(0o022)
    yield os.umask
    os.umask(old)


@pytest.mark.parametrize("mask, expected", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_report_file_has_the_permissions_the_umask_gives(tmp_path, umask, mask, expected):
    umask(mask)
    for name in ("report.json", "report.xlsx", "report.txt"):
        out = tmp_path / name
        assert run(PROBLEMS, "--output", out, "--no-config").exit_code == 1
        assert stat.S_IMODE(os.stat(out).st_mode) == expected, name


def test_a_replaced_report_file_keeps_its_permissions(tmp_path, umask):
    """Someone who made last month's report private keeps this month's private."""
    umask(0o022)
    out = tmp_path / "report.json"
    out.write_text("last month's")
    out.chmod(0o640)
    assert run(PROBLEMS, "--output", out, "--no-config").exit_code == 1
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o640
    assert json.loads(out.read_text())["summary"]["children"] == 10
