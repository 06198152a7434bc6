"""A report's issues in flat memory, whatever their number.

An `IssueLog` is appended to in report order, then read as often as needed: `len()`, iteration,
indexing. It holds at most `in_memory` issues as objects; every full chunk of that many is
pickled (each issue as its fields, `model.pickled_by_fields`) to an anonymous temporary file:
no name on disk, removed by the system when the file is closed or the process ends, however it
ends, since it holds child IDs and UPNs. The counts by severity and the tally by rule are kept
as issues are appended, so a summary never reads the issues back.

`Issues` is what a report's `issues` are: an `IssueLog`, or a view of one that transforms each
issue as it is read (`privacy`'s redaction) and shares its counts, never a second copy.
"""

from __future__ import annotations

import pickle
import tempfile
from collections import Counter
from collections.abc import Sequence
from typing import Callable, Iterable, Iterator

# About 600 bytes an issue as objects: 3 MB held, however many issues a return has.
IN_MEMORY = 5_000


class Issues(Sequence):
    """Issues in report order, with their counts by severity and their tally by rule."""

    def counts(self) -> Counter:
        """How many issues of each severity."""
        raise NotImplementedError

    def tally(self) -> list[tuple[str, str, str, int]]:
        """(code, severity, message, count) of each rule that fired, in the order it first did."""
        raise NotImplementedError

    def mapped(self, transform: Callable) -> Issues:
        """These issues, each `transform(issue)` as it is read; the same counts and tally (a
        transform may change an issue's child and values, never its code or severity)."""
        return _Mapped(self, transform)


class IssueLog(Issues):
    def __init__(self, issues: Iterable = (), *, in_memory: int | None = None):
        self._in_memory = in_memory or IN_MEMORY
        self._held: list = []  # the issues appended since the last chunk was spilled
        self._chunks: list[tuple[int, int]] = []  # (offset, size) of each spilled chunk
        self._spill = None  # the anonymous temporary file, made when first needed
        self._counts: Counter = Counter()
        self._rules: dict[str, list] = {}  # code -> [code, severity, message, count]
        self.extend(issues)

    def append(self, issue) -> None:
        self._held.append(issue)
        self._counts[issue.severity] += 1
        row = self._rules.get(issue.code)
        if row is None:
            row = self._rules[issue.code] = [issue.code, issue.severity, issue.message, 0]
        row[3] += 1
        if len(self._held) >= self._in_memory:
            self._write_chunk(pickle.dumps(self._held, pickle.HIGHEST_PROTOCOL))
            self._held = []

    def extend(self, issues: Iterable) -> None:
        for issue in issues:
            self.append(issue)

    def counts(self) -> Counter:
        return Counter(self._counts)

    def tally(self) -> list[tuple[str, str, str, int]]:
        return [tuple(row) for row in self._rules.values()]

    def __len__(self) -> int:
        return len(self._chunks) * self._in_memory + len(self._held)

    def __iter__(self) -> Iterator:
        for number in range(len(self._chunks)):
            yield from self._chunk(number)
        yield from self._held

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[position] for position in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("issue index out of range")
        number, position = divmod(index, self._in_memory)
        if number < len(self._chunks):
            return self._chunk(number)[position]
        return self._held[position]

    def _write_chunk(self, data: bytes) -> None:
        if self._spill is None:
            self._spill = tempfile.TemporaryFile(prefix="cin-validate-issues-")
        self._spill.seek(0, 2)
        self._chunks.append((self._spill.tell(), len(data)))
        self._spill.write(data)

    def _chunk_bytes(self, number: int) -> bytes:
        offset, size = self._chunks[number]
        self._spill.seek(offset)  # each read seeks: several iterations may be under way
        return self._spill.read(size)

    def _chunk(self, number: int) -> list:
        return pickle.loads(self._chunk_bytes(number))

    # A report validated in a worker process (`batch`) comes back pickled: its chunks travel as
    # the bytes they already are, and land in a temporary file of the receiving process.
    def __getstate__(self) -> dict:
        return {"in_memory": self._in_memory, "held": self._held, "counts": self._counts,
                "rules": self._rules,
                "chunks": [self._chunk_bytes(number) for number in range(len(self._chunks))]}

    def __setstate__(self, state: dict) -> None:
        self._in_memory, self._held = state["in_memory"], state["held"]
        self._counts, self._rules = state["counts"], state["rules"]
        self._chunks, self._spill = [], None
        for data in state["chunks"]:
            self._write_chunk(data)


class _Mapped(Issues):
    def __init__(self, issues: Issues, transform: Callable):
        self._issues, self._transform = issues, transform

    def counts(self) -> Counter:
        return self._issues.counts()

    def tally(self) -> list[tuple[str, str, str, int]]:
        return self._issues.tally()

    def __len__(self) -> int:
        return len(self._issues)

    def __iter__(self) -> Iterator:
        return map(self._transform, self._issues)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._transform(issue) for issue in self._issues[index]]
        return self._transform(self._issues[index])
