"""Prove a change kept every issue: validate the same returns with an earlier commit and now.

    python benchmarks/same_issues.py --against 14cd864
    python benchmarks/same_issues.py --against HEAD~3 --children 3000 --seeds 1 2 3 \\
        --problems 0 0.3 0.7 --years 2024-25 2026-27
    python benchmarks/same_issues.py --against HEAD~3 --duplicates --drawn 500

Seeded synthetic returns (written once, by this checkout's generator) are validated by the
earlier commit (checked out in a temporary git worktree) and by this checkout, each in its own
process, with `--format json`. Issues are compared key for key on the keys the earlier commit
writes (a later commit may add keys, never change or remove one), as are the notes, the
summary and the rest of the report (header facts, rule set). A year the earlier commit does
not hold is skipped, with a line saying so. Exits 1 on the first difference, printing it.

`--duplicates` adds, for each return, the same return with children sharing UPNs and LA child
IDs (1520, 8510), which the generator never writes. `--drawn N` adds about N weird returns
drawn by hypothesis from tests/strategies.py (any order, empty, invalid and repeated values,
clashing groups, strays; needs the test extra), validated as one folder.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUN = "import sys; sys.path.insert(0, sys.argv.pop(1)); from cin_validate.cli import main; main()"


def validate(src: Path, path: Path, *options: str) -> tuple[dict | list | None, str]:
    """The JSON report of one return (a list for a folder) by the code under `src`, or None and
    why not. A folder holding a file that cannot be validated exits 2 with its report."""
    done = subprocess.run([sys.executable, "-c", RUN, str(src), str(path), "--format", "json",
                           "--fail-on", "never", *options], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": ""})
    if done.returncode != 0 and not (done.returncode == 2 and path.is_dir() and done.stdout):
        return None, done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed"
    return json.loads(done.stdout), ""


def generate(path: Path, children: int, seed: int, problems: float, year: str) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from cin_validate import synthetic

    with open(path, "wb") as out:
        synthetic.write_return(out, children=children, seed=seed, problems=problems, year=year)


_CHILD = re.compile(rb"<Child>.*?</Child>", re.S)
_UPN = re.compile(rb"<UPN>([^<]*)</UPN>")
_LA_CHILD_ID = re.compile(rb"<LAchildID>([^<]*)</LAchildID>")


def with_duplicates(text: bytes) -> bytes:
    """The return with some children sharing identifiers: every 5th child takes the UPN of the
    child before it, every 13th the first child's UPN (a group larger than the few an issue
    names), every 7th the first child's LAchildID and every 9th that of the child before it."""
    firsts: dict[bytes, bytes] = {}
    previous: dict[bytes, bytes] = {}
    number = 0

    def share(child: bytes, pattern: re.Pattern, name: bytes, source: bytes | None) -> bytes:
        if source is None:
            return child
        return pattern.sub(lambda _: b"<%s>%s</%s>" % (name, source, name), child, count=1)

    def rewrite(match: re.Match) -> bytes:
        nonlocal number
        number += 1
        child = match.group(0)
        own = {b"UPN": _UPN.search(child), b"LAchildID": _LA_CHILD_ID.search(child)}
        if number % 5 == 0:
            child = share(child, _UPN, b"UPN", previous.get(b"UPN"))
        elif number % 13 == 0:
            child = share(child, _UPN, b"UPN", firsts.get(b"UPN"))
        if number % 7 == 0:
            child = share(child, _LA_CHILD_ID, b"LAchildID", firsts.get(b"LAchildID"))
        elif number % 9 == 0:
            child = share(child, _LA_CHILD_ID, b"LAchildID", previous.get(b"LAchildID"))
        for name, found in own.items():
            if found:
                firsts.setdefault(name, found.group(1))
                previous[name] = found.group(1)
        return child

    return _CHILD.sub(rewrite, text)


_UPN_ELEMENT = re.compile(rb"<UPN>.*?</UPN>|<UPN/>", re.S)


def draw_returns(folder: Path, count: int) -> None:
    """Write about `count` weird returns drawn by hypothesis (the same ones every run); the
    strategies always write a UPN, so every other one is written without them."""
    sys.path.insert(0, str(ROOT / "tests"))
    from hypothesis import HealthCheck, given, settings
    from strategies import returns

    folder.mkdir()
    written = iter(range(10 ** 9))

    @settings(max_examples=count, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(returns())
    def write(drawn):
        number = next(written)
        xml = drawn.xml()
        (folder / f"drawn-{number:05d}.xml").write_bytes(
            _UPN_ELEMENT.sub(b"", xml) if number % 2 else xml)

    write()


def differences(old: dict, new: dict) -> list[str]:
    if "issues" not in old:  # a file that could not be validated
        return [] if old == new else [f"{old} before, {new} now"]
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
    for key, value in old.items():  # the header's facts, the rule set, year on year...
        if key not in ("issues", "notes", "summary") and new.get(key) != value:
            found.append(f"{key}: {value} before, {new.get(key)} now")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--against", required=True, help="the earlier commit (any git revision)")
    parser.add_argument("--children", type=int, default=2000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--problems", type=float, nargs="+", default=[0.0, 0.3, 0.7])
    parser.add_argument("--years", nargs="+", default=["2024-25"])
    parser.add_argument("--duplicates", action="store_true",
                        help="also each return with children sharing UPNs and LA child IDs")
    parser.add_argument("--drawn", type=int, default=0,
                        help="also this many weird returns drawn by hypothesis")
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
                        paths = [path]
                        if args.duplicates:
                            paths.append(work / f"{year}-{seed}-{problems}-duplicates.xml")
                            paths[1].write_bytes(with_duplicates(path.read_bytes()))
                        # 2024-25 without --year: commits from before collection years
                        options = ("--year", year) if year != "2024-25" else ()
                        for path in paths:
                            old, why = validate(earlier / "src", path, *options)
                            if old is None:
                                print(f"skipped {path.name}: the earlier commit says: {why}")
                                continue
                            new, why = validate(ROOT / "src", path, *options)
                            if new is None:
                                print(f"{path.name}: this checkout failed: {why}")
                                return 1
                            found = differences(old, new)
                            if found:
                                print(f"{path.name}: DIFFERENT\n  " + "\n  ".join(found))
                                return 1
                            compared += 1
                            print(f"{path.name}: {len(new['issues'])} issues, identical")
            if args.drawn:
                folder = work / "drawn"
                draw_returns(folder, args.drawn)
                old, why = validate(earlier / "src", folder, "--jobs", "1")
                new, why_now = validate(ROOT / "src", folder, "--jobs", "1")
                if old is None or new is None:
                    print(f"drawn returns: failed: {why or why_now}")
                    return 1
                issues = 0
                for before, now in zip(old, new, strict=True):
                    found = differences(before, now)
                    if found:
                        print(f"{before['file']}: DIFFERENT\n  " + "\n  ".join(found))
                        return 1
                    issues += len(now.get("issues", ()))
                compared += len(new)
                print(f"{len(new)} drawn returns: {issues} issues, identical")
            print(f"{compared} returns compared: every issue identical")
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force",
                            str(earlier)], capture_output=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
