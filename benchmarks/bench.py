"""Benchmark: full validation against bare lxml parsing of the same file, in one run.

    python benchmarks/bench.py                 # 10,000 and 50,000 children
    python benchmarks/bench.py --children 200000 --repeat 1
    python benchmarks/bench.py --year 2026-27     # a year with module 5 (121 rules)
    python benchmarks/bench.py --problems 0.3     # 30% of the children with a fault
    python benchmarks/bench.py --before /elsewhere/src   # an earlier checkout, in the same run

For each size it writes a clean synthetic return (seeded, of the chosen collection year), then, interleaving the runs so that
machine noise hits both alike, times
  - bare parsing: `lxml.etree.iterparse(file)`, clearing each <Child> (the floor any streaming
    validator pays), and
  - full validation: `cin_validate.engine.validate_file(file)` with every registered rule
    (imports included: a fresh process pays them on every run), and
  - with `--before SRC`, full validation by the cin_validate package under SRC (an earlier
    checkout, e.g. a `git worktree`), so that a change is measured before and after under the
    same machine load,
and reports the best of N runs of each and their ratio to bare parsing. Bytecode is cached, as
in an installed copy (in benchmarks/out/pycache, not beside the sources; a first, untimed run
writes it): with PYTHONDONTWRITEBYTECODE set, each run would otherwise compile the sources
again, about 30 ms. Peak memory (max RSS) of each is
measured in a fresh process so that one does not inherit the other's heap.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
# Bytecode cached, outside the sources, and written even under PYTHONDONTWRITEBYTECODE.
_ENV = {**{key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"},
        "PYTHONPYCACHEPREFIX": str(OUT / "pycache")}

_CHILD_SCRIPT = r"""
import json, resource, sys, time
from lxml import etree
mode, path, src = sys.argv[1], sys.argv[2], sys.argv[3]
if src:
    sys.path.insert(0, src)
start = time.perf_counter()
if mode == "parse":
    for _event, element in etree.iterparse(path, events=("end",)):
        if element.tag == "Child":
            element.clear(keep_tail=True)
            while element.getprevious() is not None:
                del element.getparent()[0]
    extra = {}
else:
    from cin_validate.engine import validate_file
    report = validate_file(path)
    extra = {"errors": report.errors, "queries": report.queries, "notices": report.notices,
             "rules_checked": len(report.rules_checked), "children": report.children}
seconds = time.perf_counter() - start
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, **extra}))
"""


def ensure_return(children: int, seed: int, problems: float, year: str) -> Path:
    from cin_validate.synthetic import write_return

    OUT.mkdir(exist_ok=True)
    path = OUT / f"return-{year}-{children}-seed{seed}-p{problems}.xml"
    if not path.exists():
        temporary = path.with_suffix(".tmp")
        with open(temporary, "wb") as out:
            write_return(out, children=children, seed=seed, year=year, problems=problems)
        os.replace(temporary, path)
    return path


def measure(mode: str, path: Path, src: Path | None = None) -> dict:
    done = subprocess.run([sys.executable, "-c", _CHILD_SCRIPT, mode, str(path),
                           str(src) if src else ""],
                          capture_output=True, text=True, check=True, env=_ENV)
    return json.loads(done.stdout)


def bench(children: int, repeat: int, seed: int, problems: float, year: str,
          before: Path | None = None) -> dict:
    path = ensure_return(children, seed, problems, year)
    for src in (None, before):  # untimed: writes the bytecode of every module imported
        measure("validate", ensure_return(1, seed, problems, year), src)
    parse_runs, validate_runs, before_runs = [], [], []
    for _ in range(repeat):  # interleaved
        parse_runs.append(measure("parse", path))
        validate_runs.append(measure("validate", path))
        if before:
            before_runs.append(measure("validate", path, before))
    best_parse = min(parse_runs, key=lambda r: r["seconds"])
    best_validate = min(validate_runs, key=lambda r: r["seconds"])
    compared = {}
    if before:
        best_before = min(before_runs, key=lambda r: r["seconds"])
        compared = {"before_s": round(best_before["seconds"], 3),
                    "before_ratio": round(best_before["seconds"] / best_parse["seconds"], 2),
                    "before_peak_mb": round(max(r["peak_mb"] for r in before_runs), 1)}
    return {**compared,
        "children": children, "file_mb": round(path.stat().st_size / 2**20, 1),
        "parse_s": round(best_parse["seconds"], 3),
        "validate_s": round(best_validate["seconds"], 3),
        "ratio": round(best_validate["seconds"] / best_parse["seconds"], 2),
        "children_per_s": round(children / best_validate["seconds"]),
        "parse_peak_mb": round(best_parse["peak_mb"], 1),
        "validate_peak_mb": round(max(r["peak_mb"] for r in validate_runs), 1),
        "errors": best_validate["errors"], "queries": best_validate["queries"],
        "notices": best_validate["notices"], "rules_checked": best_validate["rules_checked"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--problems", type=float, default=0.0,
                        help="fraction of children with a deliberate fault (default: clean)")
    parser.add_argument("--year", default=None,
                        help="collection year of the returns (default: the tool's default)")
    parser.add_argument("--before", type=Path, default=None,
                        help="the cin_validate package's folder of an earlier checkout, timed "
                             "in the same run")
    args = parser.parse_args()
    from cin_validate import years

    year = years.get(args.year).year if args.year else years.default().year
    print(f"{'children':>9} {'MB':>6} {'parse s':>8} {'validate s':>10} {'ratio':>6} "
          f"{'children/s':>10} {'peak MB (parse/validate)':>25} {'errors':>6} {'queries':>7} rules")
    for children in args.children:
        before = args.before.resolve() if args.before else None
        r = bench(children, args.repeat, args.seed, args.problems, year, before)
        print(f"{r['children']:>9,} {r['file_mb']:>6} {r['parse_s']:>8} {r['validate_s']:>10} "
              f"{r['ratio']:>6} {r['children_per_s']:>10,} "
              f"{str(r['parse_peak_mb']) + ' / ' + str(r['validate_peak_mb']):>25} "
              f"{r['errors']:>6} {r['queries']:>7} {r['rules_checked']}", flush=True)
        if before:
            print(f"{'before:':>25} {r['before_s']:>10} {r['before_ratio']:>6} "
                  f"{children / r['before_s']:>10,.0f} {r['before_peak_mb']:>25}", flush=True)


if __name__ == "__main__":
    main()
