"""Benchmark: peak memory (max RSS) and time of writing a report with many issues.

    python benchmarks/memory.py                          # 200,000 children, half of them faulty
    python benchmarks/memory.py --children 50000 200000 --formats json details csv
    python benchmarks/memory.py --src /elsewhere/src     # another checkout, for a before/after

For each size it writes a seeded synthetic return (once, in benchmarks/out) with `--problems`
of its children faulty, then runs the command line on it in a fresh process for each format:
`cin-validate FILE -o report.EXT` for a file format, and `cin-validate FILE --details` with
standard output going to a file for `details` (the terminal text of every issue). It reports
each run's wall time and the peak resident memory of that process alone (`os.wait4`), so
that no run inherits another's heap.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
RUN = "import sys; sys.path.insert(0, sys.argv.pop(1)); from cin_validate.cli import main; main()"
# What each run writes: a file of that extension, or `details`: --details on standard output.
EXTENSIONS = {"json": ".json", "csv": ".csv", "github": None, "junit": ".xml", "xlsx": ".xlsx",
              "html": ".html", "text": ".txt", "details": None}


def ensure_return(children: int, seed: int, problems: float) -> Path:
    sys.path.insert(0, str(ROOT / "src"))
    from cin_validate.synthetic import write_return

    OUT.mkdir(exist_ok=True)
    path = OUT / f"return-{children}-seed{seed}-p{problems}.xml"
    if not path.exists():
        temporary = path.with_suffix(".tmp")
        with open(temporary, "wb") as out:
            write_return(out, children=children, seed=seed, problems=problems)
        os.replace(temporary, path)
    return path


def arguments(fmt: str, path: Path, folder: Path) -> tuple[list[str], Path]:
    """The command line of one run, and the file its report goes to."""
    extension = EXTENSIONS[fmt]
    if extension is not None:
        report = folder / f"report{extension}"
        return [str(path), "--output", str(report)], report
    report = folder / f"report-{fmt}.txt"
    option = ["--details"] if fmt == "details" else ["--format", fmt]
    return [str(path), *option], report


def measure(src: Path, fmt: str, path: Path) -> dict:
    """Run one report in a fresh process: its seconds, peak RSS and the report's size."""
    with tempfile.TemporaryDirectory(prefix="cin-memory-") as folder:
        args, report = arguments(fmt, path, Path(folder))
        with open(report, "ab") as stdout:  # standard output, for the formats written there
            start = time.perf_counter()
            process = subprocess.Popen([sys.executable, "-c", RUN, str(src), *args,
                                        "--fail-on", "never", "--no-config"],
                                       stdout=stdout, stderr=subprocess.PIPE,
                                       env={**os.environ, "PYTHONPATH": ""})
            stderr = process.stderr.read()
            _, status, usage = os.wait4(process.pid, 0)
            seconds = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"{fmt}: failed: {stderr.decode(errors='replace').strip()}")
        return {"seconds": seconds, "peak_mb": usage.ru_maxrss / 1024,
                "report_mb": report.stat().st_size / 2**20}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, nargs="+", default=[200_000])
    parser.add_argument("--problems", type=float, default=0.5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--formats", nargs="+", default=["json", "details"],
                        choices=list(EXTENSIONS))
    parser.add_argument("--src", type=Path, default=ROOT / "src",
                        help="the cin_validate package's folder to run (default: this checkout)")
    args = parser.parse_args()
    print(f"{'children':>9} {'format':>8} {'seconds':>8} {'peak MB':>8} {'report MB':>10}")
    for children in args.children:
        path = ensure_return(children, args.seed, args.problems)
        for fmt in args.formats:
            r = measure(args.src.resolve(), fmt, path)
            print(f"{children:>9,} {fmt:>8} {r['seconds']:>8.1f} {r['peak_mb']:>8.0f} "
                  f"{r['report_mb']:>10.1f}", flush=True)


if __name__ == "__main__":
    main()
