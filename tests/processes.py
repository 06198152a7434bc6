"""Running cin-validate as a real process, for what only a process shows: signals, pipes, exit
statuses, what Python prints at exit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from cin_validate.synthetic import write_return

CLI = [sys.executable, "-c", "from cin_validate.cli import main; main()"]


def cli(*args, **popen) -> subprocess.Popen:
    """`cin-validate ARGS` started as a process (stdout and stderr piped unless given)."""
    popen.setdefault("stdout", subprocess.PIPE)
    popen.setdefault("stderr", subprocess.PIPE)
    return subprocess.Popen([*CLI, *map(str, args)], **popen)


def synthetic_return(path: Path, children: int, problems: float = 0.5) -> Path:
    """A seeded synthetic return with many issues (a large report), written once."""
    if not path.exists():
        with open(path, "wb") as out:
            write_return(out, children=children, seed=1, problems=problems)
    return path
