"""`python -m cin_validate.synthetic`: write a seeded synthetic return to a file."""

from __future__ import annotations

import argparse
import os
import tempfile

from .. import years
from .generate import DEFAULT_LA, write_return


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m cin_validate.synthetic",
        description="Write a seeded synthetic CIN census return (no real people).")
    parser.add_argument("--children", type=int, required=True, help="number of <Child> records")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--year", choices=list(years.held()), default=None,
                        help="collection year: header, dates, code sets and rules "
                             f"(default {years.default().year})")
    parser.add_argument("--problems", type=float, default=0.0,
                        help="fraction of children given one deliberate fault (0.0 = clean)")
    parser.add_argument("--la", default=DEFAULT_LA,
                        help=f"3-digit LA code for the header <LEA> (default {DEFAULT_LA})")
    parser.add_argument("-o", "--output", required=True, help="file to write")
    args = parser.parse_args(argv)
    try:
        _write_atomically(args.output, lambda out: write_return(
            out, args.children, seed=args.seed, year=args.year, la=args.la,
            problems=args.problems))
    except ValueError as error:  # a bad number of children, share of problems or LA code
        parser.error(str(error))
    return 0


def _write_atomically(path: str, write) -> None:
    """Write to a temporary file beside `path`, then rename it: never a half-written return."""
    target = os.path.abspath(path)
    fd, temporary = tempfile.mkstemp(prefix=os.path.basename(target) + ".", suffix=".tmp",
                                     dir=os.path.dirname(target) or ".")
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes 0600; give the usual mode
        with os.fdopen(fd, "wb", buffering=1 << 20) as out:
            write(out)
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
