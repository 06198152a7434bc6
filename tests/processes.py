"""Running cin-validate as a real process, for what only a process shows: signals, pipes, exit
statuses, what Python prints at exit."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from cin_validate.synthetic import write_return

CLI = [sys.executable, "-c", "from cin_validate.cli import main; main()"]


def cli(*args, **popen) -> subprocess.Popen:
    """`cin-validate ARGS` started as a process (stdout and stderr piped unless given)."""
    popen.setdefault("stdout", subprocess.PIPE)
    popen.setdefault("stderr", subprocess.PIPE)
    # As a terminal starts it: a shell running the tests in the background (`pytest &`) makes
    # its children ignore SIGINT, which the interrupt tests send.
    popen.setdefault("preexec_fn", _interruptible)
    return subprocess.Popen([*CLI, *map(str, args)], **popen)


def _interruptible() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def synthetic_return(path: Path, children: int, problems: float = 0.5) -> Path:
    """A seeded synthetic return with many issues (a large report), written once."""
    if not path.exists():
        with open(path, "wb") as out:
            write_return(out, children=children, seed=1, problems=problems)
    return path


def wait_until(condition, timeout: float = 60.0) -> bool:
    """Poll `condition` (about every millisecond) until it holds; False if it never did."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.001)
    return False


def _status(pid: int) -> dict[str, str]:
    try:
        with open(f"/proc/{pid}/status") as handle:
            return dict(line.rstrip("\n").split(":\t", 1) for line in handle if ":\t" in line)
    except OSError:  # gone
        return {}


def handles(pid: int, signum: int) -> bool:
    """Whether process `pid` has installed a handler for signal `signum` (Linux)."""
    caught = _status(pid).get("SigCgt")
    return caught is not None and bool(int(caught, 16) >> (signum - 1) & 1)


def signal_masks(pid: int) -> dict[str, str]:
    """Which signals process `pid` ignores, blocks and catches (hex masks), and its state: to
    say why a signal did not stop it."""
    return {key: value for key, value in _status(pid).items()
            if key in ("State", "SigIgn", "SigBlk", "SigCgt")}


def running(pid: int) -> bool:
    """Whether `pid` is a live process (not gone, not a zombie waiting to be reaped)."""
    state = _status(pid).get("State", "")
    return bool(state) and not state.startswith(("Z", "X"))


def children(pid: int) -> set[int]:
    """The live child processes of `pid`, whichever of its threads started them (Linux)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found |= {int(child) for child in (task / "children").read_text().split()}
        except OSError:
            continue
    return {child for child in found if running(child)}

