"""A return without read permission is one file that cannot be validated (exit 2, one line for
it), whether named on the command line or found in a folder; the other files are still
validated and reported.

The tests run as root, who may read any file, so permission is denied where the operating
system would deny it to anyone else: `os.access` (click's and ours) and opening the file
(Python's `open`, and lxml's own in `iterparse`). Where the tests run as another user, the
last test does it for real, with chmod."""

import builtins
import errno
import json
import os
import shutil
import sys
from pathlib import Path

import pytest
from lxml import etree
from output_helpers import PROBLEMS, run
from processes import cli


@pytest.fixture
def deny_reading(monkeypatch):
    """deny_reading(path): reading `path` fails as a file without read permission does."""
    denied: set[str] = set()

    def refused(path) -> bool:
        return (isinstance(path, (str, bytes, os.PathLike))  # lxml is given bytes
                and os.path.realpath(os.fsdecode(path)) in denied)

    def check(path):
        if refused(path):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(path))

    def wrap_open(real):
        def guarded(source, *args, **kwargs):
            check(source)
            return real(source, *args, **kwargs)
        return guarded

    real_access = os.access

    def access(path, mode, *args, **kwargs):
        if mode & os.R_OK and refused(path):
            return False
        return real_access(path, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", wrap_open(builtins.open))
    monkeypatch.setattr(etree, "iterparse", wrap_open(etree.iterparse))
    monkeypatch.setattr(os, "access", access)
    return lambda path: denied.add(os.path.realpath(path))


@pytest.fixture
def returns(tmp_path):
    folder = tmp_path / "returns"
    folder.mkdir()
    for name in ("a.xml", "b.xml"):
        shutil.copyfile(PROBLEMS, folder / name)
    return folder


def denied_line(path) -> str:
    return f"{path}: cannot be read: Permission denied"


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("given", ["the folder", "each file"])
def test_an_unreadable_return_is_one_file_that_cannot_be_validated(returns, deny_reading,
                                                                   given, jobs):
    deny_reading(returns / "b.xml")
    paths = [returns] if given == "the folder" else [returns / "a.xml", returns / "b.xml"]
    result = run(*paths, "-j", jobs, "--format", "json", "--no-config")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert [Path(d["file"]).name for d in data] == ["a.xml", "b.xml"]
    assert [d["verdict"] for d in data] == ["fail", "unreadable"]  # a.xml still validated
    assert data[0]["summary"]["children"] == 10
    assert data[1]["error"] == denied_line(returns / "b.xml")
    assert result.stderr == f"cin-validate: error: {denied_line(returns / 'b.xml')}\n"


@pytest.mark.parametrize("command", ["validate", "notes", "stats"])
def test_one_unreadable_return_is_exit_2_in_one_line(returns, deny_reading, command):
    deny_reading(returns / "b.xml")
    result = run(command, returns / "b.xml")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"cin-validate: error: {denied_line(returns / 'b.xml')}\n"


def test_last_years_unreadable_return_is_exit_2_in_one_line(returns, deny_reading):
    deny_reading(returns / "b.xml")
    result = run(returns / "a.xml", "--previous", returns / "b.xml", "--no-config")
    assert result.exit_code == 2
    assert result.stderr == f"cin-validate: error: --previous {denied_line(returns / 'b.xml')}\n"


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0,
                    reason="needs a user whom file permissions bind (not root)")
def test_a_file_without_read_permission_for_real(returns):
    (returns / "b.xml").chmod(0)
    process = cli(returns, "-j", "1", "--format", "json", "--no-config")
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 2
    assert [d["verdict"] for d in json.loads(stdout)] == ["fail", "unreadable"]
    assert stderr.decode() == f"cin-validate: error: {denied_line(returns / 'b.xml')}\n"
