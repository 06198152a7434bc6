"""SIGINT and SIGTERM stop a run cleanly: no temporary file is left (it may hold child IDs and
UPNs), no worker process outlives the run, one line on standard error, and the status a shell
expects of an interrupted command: 130 for SIGINT, 143 for SIGTERM (never 1, "the return
fails"). Real processes, real signals."""

import json
import os
import signal
import sys

import pytest
from processes import children, cli, handles, running, signal_masks, synthetic_return, wait_until

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="reads /proc to see handlers and worker processes")


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    """Two returns of 10,000 children each, with many issues: seconds of work, large reports."""
    folder = tmp_path_factory.mktemp("large")
    return [synthetic_return(folder / f"large-{n}.xml", children=10_000) for n in (1, 2)]


def temporaries(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".cin-validate-"))


def stop(process, signum):
    """Send `signum` once the run is under way (its SIGTERM handler is installed), then wait.
    Returns its standard error, and how the run stood as the signal went: whether it
    ignored, blocked or caught each signal (the hex masks of /proc/PID/status)."""
    wait_until(lambda: handles(process.pid, signal.SIGTERM), timeout=30)
    masks = signal_masks(process.pid)
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)
    return stderr.decode(), masks


@pytest.mark.parametrize("signum, status", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_while_validating_is_its_status_and_one_line(large, signum, status):
    process = cli(large[0], "--format", "json", "--no-config")
    stderr, masks = stop(process, signum)
    assert process.returncode == status, (stderr, masks)
    assert stderr == f"cin-validate: interrupted ({signal.Signals(signum).name})\n"


@pytest.mark.parametrize("attempt", range(3))  # each lands the signal at another moment
def test_sigterm_while_writing_leaves_no_temporary_file(large, tmp_path, attempt):
    outputs = [tmp_path / name for name in ("report.json", "report.csv", "report.html")]
    args = [item for out in outputs for item in ("--output", out)]
    process = cli(large[0], *args, "--details", "--no-config")
    assert wait_until(lambda: temporaries(tmp_path) or process.poll() is not None), \
        "the run never started writing"
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert temporaries(tmp_path) == []
    if process.returncode == 143:  # stopped while writing: each file is whole or absent
        assert stderr.decode() == "cin-validate: interrupted (SIGTERM)\n"
    else:  # the signal came after the last rename: the run had ended
        assert process.returncode == 1
    if outputs[0].exists():
        assert json.loads(outputs[0].read_text())["summary"]["children"] == 10_000


@pytest.mark.parametrize("signum, status, to_group", [
    (signal.SIGTERM, 143, False),  # `kill PID`, a CI runner cancelling the job
    (signal.SIGINT, 130, True),  # Ctrl-C: the terminal signals every process of the group
])
def test_a_signal_to_a_parallel_run_stops_its_workers(large, signum, status, to_group):
    process = cli(*large, "-j", "2", "--format", "json", "--no-config",
                  start_new_session=True)
    assert wait_until(lambda: len(children(process.pid)) >= 2, timeout=30)
    workers = children(process.pid)
    wait_until(lambda: handles(process.pid, signal.SIGTERM), timeout=30)
    if to_group:
        os.killpg(process.pid, signum)
    else:
        process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == status
    assert stderr.decode() == f"cin-validate: interrupted ({signal.Signals(signum).name})\n"
    assert wait_until(lambda: not any(running(pid) for pid in workers), timeout=5), \
        "a worker outlived the run"
