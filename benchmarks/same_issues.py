"""Prove a change kept every issue: validate the same returns with an earlier commit and now.

    python benchmarks/same_issues.py --against 14cd864
    python benchmarks/same_issues.py --against HEAD~3 --children 3000 --seeds 1 2 3 \\
        --problems 0 0.3 0.7 --years 2024-25 2026-27

Seeded synthetic returns (written once, by this checkout's generator) are validated by the
earlier commit (checked out in a temporary git worktree) and by this checkout, each in its own
process, with `--format json`. Issues are compared key for key on the keys the earlier commit
writes (a later commit may add keys, never change or remove one), as are the notes and the
summary. A year the earlier commit does not hold is skipped, with a line saying so.
Exits 1 on the first difference, printing it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUN = "import sys; sys.path.insert(0, sys.argv.pop(1)); from cin_validate.cli import main; main()"


def validate(src: Path, path: Path, *options: str) -> tuple[dict | None, str]:
    """The JSON report of one return by the code under `src`, or None and why not."""
    done = subprocess.run([sys.executable, "-c", RUN, str(src), str(path), "--format", "json",
                           "--fail-on", "never", *options], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": ""})
    if done.returncode != 0:
        return None, done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed"
    return json.loads(done.stdout), ""


def generate(path: Path, children: int, seed: int, problems: float, year: str) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from cin_validate import synthetic

    with open(path, "wb") as out:
        synthetic.write_return(out, children=children, seed=seed, problems=problems, year=year)


def differences(old: dict, new: dict) -> list[str]:
    found = []
    if len(old["issues"]) != len(new["issues"]):
        found.append(f"{len(old['issues'])} issues before, {len(new['issues'])} now")
    for number, (before, now) in enumerate(zip(old["issues"], new["issues"])):
        changed = {key: (value, now.get(key)) for key, value in before.items()
                   if now.get(key) != value}
        if changed:
            found.append(f"issue {number}: {changed}")
            break
    for key in ("notes", "summary"):
        kept = {k: v for k, v in new[key].items() if k in old[key]} if key == "summary" \
            else new[key]
        if old[key] != kept:
            found.append(f"{key}: {old[key]} before, {kept} now")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--against", required=True, help="the earlier commit (any git revision)")
    parser.add_argument("--children", type=int, default=2000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--problems", type=float, nargs="+", default=[0.0, 0.3, 0.7])
    parser.add_argument("--years", nargs="+", default=["2024-25"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="same-issues-") as work:
        work = Path(work)
        earlier = work / "earlier"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(earlier),
                        args.against], check=True, capture_output=True)
        try:
            compared = 0
            for year in args.years:
                for seed in args.seeds:
                    for problems in args.problems:
                        path = work / f"{year}-{seed}-{problems}.xml"
                        generate(path, args.children, seed, problems, year)
                        old, why = validate(earlier / "src", path, *(
                            ("--year", year) if year != "2024-25" else ()))
                        if old is None:
                            print(f"skipped {path.name}: the earlier commit says: {why}")
                            continue
                        new, why = validate(ROOT / "src", path, "--year", year)
                        if new is None:
                            print(f"{path.name}: this checkout failed: {why}")
                            return 1
                        found = differences(old, new)
                        if found:
                            print(f"{path.name}: DIFFERENT\n  " + "\n  ".join(found))
                            return 1
                        compared += 1
                        print(f"{path.name}: {len(new['issues'])} issues, identical")
            print(f"{compared} returns compared: every issue identical")
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force",
                            str(earlier)], capture_output=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
