"""`--baseline LAST.json`: report only the issues that are new since an earlier run.

A data team re-runs the check every night; the queries it has already checked should not drown
the new ones. A baseline is the JSON report of an earlier run made without `--baseline`
(`cin-validate return.xml -o checked.json`). The report of a run with one holds only the issues
new since then, says how many of the baseline's were fixed (no longer found) and how many are
unchanged, and the exit policy (`--fail-on`) sees the new ones alone.

**Identity.** An issue is the same issue in both runs when its code, its child's ID and the
elements it points at (each field and its value as written, in order) are the same
(`identity`): line numbers move, positions such as Child[4] or Assessments[2] shift, and a
detail's words (a percentage) may change without it being another issue. The same identity n
times in the baseline matches n issues now; more are new, fewer mean the rest were fixed.

**Which files.** One file validated is matched against a baseline of one file whatever either
is called (a nightly export may carry its date in its name); otherwise each file against the
baseline's file of the same name.

**Redaction.** Identities are taken from the issues as the report shows them. A baseline made
with `--redact-key K` (or the environment's key) matches a run with the same key, whose
pseudonyms are the same; one made without redaction matches a run without. Any other pairing
could match nothing, and is refused (`check`).

**Flat memory.** The baseline is read as a stream, a piece at a time, and only each issue's
identity (16 bytes of SHA-256) and how often it occurs are kept.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from typing import Iterator, TextIO

from .issuelog import IssueLog
from .privacy import is_pseudonym
from .report import Report, SinceBaseline

PIECE = 1 << 16  # characters read at a time
_WHITE_SPACE = " \t\n\r"


class BaselineError(ValueError):
    """The baseline cannot be used: unreadable, not a JSON report, or one that cannot match."""


def identity(issue: dict) -> bytes:
    """An issue's identity across runs, from its JSON form (`Issue.to_dict()`, or an issue of
    the baseline's JSON): its code, child ID and each (field, value) it points at."""
    key = [issue["code"], issue["child_id"],
           [[location["field"], location["value"]] for location in issue["locations"]]]
    return hashlib.sha256(json.dumps(key, ensure_ascii=False).encode("utf-8")).digest()[:16]


@dataclass
class Baseline:
    path: str
    pools: dict[str, Counter]  # each file of the baseline -> identity -> how many times
    # whether it names children by pseudonyms (made with --redact); None: it names no child
    pseudonymised: bool | None

    def pool_for(self, file: str, *, alone: bool) -> Counter:
        """The identities to match `file`'s issues against (consumed as they match)."""
        if alone and len(self.pools) == 1:
            return next(iter(self.pools.values()))
        return self.pools.get(file, Counter())

    def check(self, *, redacted: bool, keyed: bool) -> None:
        """Refuse a pairing of this baseline and this run's redaction that could match nothing."""
        if redacted and not keyed:
            raise BaselineError("--baseline with --redact needs --redact-key or the environment's "
                                "key: a random key's pseudonyms match no earlier run")
        if self.pseudonymised is True and not redacted:
            raise BaselineError(f"--baseline {self.path} names children by pseudonyms (it was "
                                "made with --redact): run with the same --redact-key")
        if self.pseudonymised is False and redacted:
            raise BaselineError(f"--baseline {self.path} names children by their IDs: run "
                                "without --redact, or make the baseline with --redact-key")


def apply(report: Report, baseline: Baseline, *, alone: bool) -> Report:
    """The report with only the issues new since the baseline, and what was left out."""
    pool = baseline.pool_for(report.file, alone=alone)
    new = IssueLog()
    unchanged = 0
    for issue in report.issues:
        key = identity(issue.to_dict())
        if pool.get(key, 0) > 0:
            pool[key] -= 1
            unchanged += 1
        else:
            new.append(issue)
    since = SinceBaseline(baseline.path, len(new), sum(pool.values()), unchanged)
    pool.clear()  # matched once: what is left was fixed, and is counted
    return dataclasses.replace(report, issues=new, baseline=since)


def load(path: str) -> Baseline:
    """Read a baseline's identities; `BaselineError` in one line when it cannot be used."""
    try:
        with open(path, encoding="utf-8-sig") as stream:
            return _Reader(path, _Text(stream)).baseline()
    except OSError as error:
        raise BaselineError(f"--baseline {path}: {_reason(error)}") from None
    except (UnicodeDecodeError, _NotAReport):
        raise BaselineError(f"--baseline {path}: not a JSON report of cin-validate (write one "
                            "with --format json or -o FILE.json)") from None


def _reason(error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return "no such file"
    return f"cannot read: {error.strerror or error}"


class _NotAReport(Exception):
    pass


class _Text:
    """JSON text read a piece at a time and decoded one value at a time."""

    def __init__(self, stream: TextIO):
        self._stream = stream
        self._buffer, self._position, self._ended = "", 0, False
        self._decoder = json.JSONDecoder()

    def _more(self) -> bool:
        """Read the next piece, keeping only what is not yet decoded."""
        if self._ended:
            return False
        piece = self._stream.read(PIECE)
        self._ended = not piece
        self._buffer = self._buffer[self._position:] + piece
        self._position = 0
        return bool(piece)

    def peek(self) -> str:
        """The next character that is not white space, '' at the end."""
        while True:
            while (self._position < len(self._buffer)
                   and self._buffer[self._position] in _WHITE_SPACE):
                self._position += 1
            if self._position < len(self._buffer):
                return self._buffer[self._position]
            if not self._more():
                return ""

    def take(self, char: str) -> None:
        if self.peek() != char:
            raise _NotAReport()
        self._position += 1

    def value(self):
        self.peek()
        while True:
            try:
                value, end = self._decoder.raw_decode(self._buffer, self._position)
            except json.JSONDecodeError:
                if self._more():
                    continue  # a value cut by the end of a piece
                raise _NotAReport() from None
            if end == len(self._buffer) and self._more():
                continue  # a number at the end of a piece may go on
            self._position = end
            return value

    def elements(self) -> Iterator[None]:
        """Each element of an array in turn: the caller reads it at each step."""
        self.take("[")
        if self.peek() == "]":
            self.take("]")
            return
        while True:
            yield
            if self.peek() != ",":
                self.take("]")
                return
            self.take(",")

    def items(self) -> Iterator:
        """The values of an array, one at a time."""
        for _ in self.elements():
            yield self.value()

    def keys(self) -> Iterator[str]:
        """The keys of an object, one at a time: the caller reads each key's value."""
        self.take("{")
        if self.peek() == "}":
            self.take("}")
            return
        while True:
            key = self.value()
            if not isinstance(key, str):
                raise _NotAReport()
            self.take(":")
            yield key
            if self.peek() != ",":
                self.take("}")
                return
            self.take(",")


class _Reader:
    """A JSON report (one file's object, or the list of several files' objects) walked once."""

    def __init__(self, path: str, text: _Text):
        self.path, self.text = path, text
        self.pools: dict[str, Counter] = {}
        self.named = self.pseudonyms = 0

    def baseline(self) -> Baseline:
        first = self.text.peek()
        if first == "{":
            if not self.file_object():
                raise _NotAReport()
        elif first == "[":
            for _ in self.text.elements():
                self.file_object()
        else:
            raise _NotAReport()
        if self.text.peek() != "":
            raise _NotAReport()
        pseudonymised = self.pseudonyms == self.named if self.named else None
        return Baseline(self.path, self.pools, pseudonymised)

    def file_object(self) -> bool:
        """One file's object: its issues' identities into its pool. Whether it is one: a
        report with issues, or the object of a file that could not be read (no issues known,
        so every issue of the run is new)."""
        file, pool, had_issues, unreadable = None, Counter(), False, False
        for key in self.text.keys():
            if key == "issues":
                had_issues = True
                for issue in self.text.items():
                    pool[self.identity(issue)] += 1
            elif key == "baseline":
                if self.text.value() is not None:
                    raise BaselineError(
                        f"--baseline {self.path}: written by a run with --baseline, so it "
                        "holds only that run's new issues; make a baseline without --baseline")
            elif key == "file":
                file = self.text.value()
            elif key == "error":
                unreadable = isinstance(self.text.value(), str)
            elif key == "measures" and not had_issues:
                raise BaselineError(f"--baseline {self.path}: it holds the counts `cin-validate "
                                    "stats` writes, which --previous-counts takes, not a report")
            else:
                self.text.value()
        if had_issues:
            if not isinstance(file, str):
                raise _NotAReport()
            self.pools[file] = pool
        return had_issues or (unreadable and isinstance(file, str))

    def identity(self, issue) -> bytes:
        try:
            key = identity(issue)
            child_id = issue["child_id"]
        except (KeyError, TypeError):
            raise _NotAReport() from None
        if child_id is not None:
            self.named += 1
            self.pseudonyms += is_pseudonym(str(child_id))
        return key
