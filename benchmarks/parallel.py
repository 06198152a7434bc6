"""Benchmark: validating several returns with `--jobs 1` against `--jobs 2` (or more).

    python benchmarks/parallel.py                      # 10 files of 5,000 children, jobs 1 vs 2
    python benchmarks/parallel.py --files 12 --children 20000 --jobs 4 --repeat 3

Writes the returns with `python -m cin_validate.synthetic` (seeded, a few deliberate faults so
that reports are not empty) into benchmarks/out/parallel/, then times the whole command
`cin-validate FILES... --jobs N --quiet --format json` (process start, parsing, rules,
rendering) for each N, interleaving the runs so machine noise hits both alike, and prints the
best wall time of each and the ratio. A ratio near the number of cores used (capped by the
machine's cores) is the goal; on one core it is about 1.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out" / "parallel"
CLI = [sys.executable, "-c", "import sys; from cin_validate.cli import main; sys.exit(main())"]


def make_returns(files: int, children: int) -> list[Path]:
    OUT.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(files):
        path = OUT / f"return-{children}-{n:02d}.xml"
        if not path.exists():
            subprocess.run([sys.executable, "-m", "cin_validate.synthetic", "--children",
                            str(children), "--seed", str(n + 1), "--problems", "0.02",
                            "-o", str(path)], check=True)
        paths.append(path)
    return paths


def wall_time(paths: list[Path], jobs: int) -> float:
    start = time.perf_counter()
    done = subprocess.run([*CLI, *map(str, paths), "--jobs", str(jobs), "--quiet", "--format",
                           "json", "--no-config", "--fail-on", "never"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"cin-validate --jobs {jobs} exited {done.returncode}: {done.stderr[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=10)
    parser.add_argument("--children", type=int, default=5000)
    parser.add_argument("--jobs", type=int, default=2, help="compared with --jobs 1")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    paths = make_returns(args.files, args.children)
    size = sum(p.stat().st_size for p in paths) / 1e6
    print(f"{args.files} files of {args.children:,} children ({size:.1f} MB), "
          f"{os.cpu_count()} cores, best of {args.repeat}")
    best = {1: float("inf"), args.jobs: float("inf")}
    for _ in range(args.repeat):
        for jobs in best:
            best[jobs] = min(best[jobs], wall_time(paths, jobs))
    for jobs, seconds in best.items():
        rate = args.files * args.children / seconds
        print(f"  --jobs {jobs}: {seconds:6.2f} s  ({rate:,.0f} children/s)")
    print(f"ratio jobs 1 / jobs {args.jobs}: {best[1] / best[args.jobs]:.2f}x")


if __name__ == "__main__":
    main()
