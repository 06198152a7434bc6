"""The lines of a return that `--details` shows under each issue, as a compiler shows source.

    8630 error: CIN Closure Date is before CIN Referral Date for the same CIN episode
      CINreferralDate = 2024-06-03 (line 290), CINclosureDate = 2024-05-20 (line 293)
      290 |         <CINreferralDate>2024-06-03</CINreferralDate>
          |         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
      293 |         <CINclosureDate>2024-05-20</CINclosureDate>
          |         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^

`SourceLines` reads a return forward, once: issues come in file order, child by child, so it
moves on to each line an issue points at, counting the lines between a block at a time without
decoding them. It keeps the lines last asked for (about a megabyte), for the other issues of
the same child, and the byte offset of a line every 64 KB, so that a line further back costs at
most 64 KB of reading, never a scan from the start. Memory stays flat whatever the size of the
return.

`excerpt` draws an issue's lines, each clipped to the width around the elements it points at,
with those elements marked. Under `--redact` a line shows the names of its elements and
nothing of their contents (its other children's values, comments, attributes), but for the
elements the issue points at, which show the values the report itself shows (redacted or
pseudonymised where they identify a person).
"""

from __future__ import annotations

import bisect
import codecs
import functools
import re
from collections import OrderedDict
from typing import BinaryIO

from ..report import Issue
from .plain import visible

LINES_SHOWN = 3  # lines (or cuts of a long line) shown of an issue; the others are counted
WIDEST = 160  # columns of source shown, however wide the terminal: enough to read a line by
_MARGIN = 12  # characters shown before the first marked element of a clipped line
_DECLARED = re.compile(rb"""^[^<]*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
# The pieces of a line of XML: comments, CDATA, tags (maybe cut by the line's end), text.
_PIECE = re.compile(r"<!--.*?(?:-->|$)|<!\[CDATA\[.*?(?:\]\]>|$)|<[^<>]*>?|[^<]+")
_QUOTED = re.compile(r"\"[^\"]*\"?|'[^']*'?")
_PREFIX = r"(?:[\w.-]+:)?"  # an element's namespace prefix, if it is written with one


class SourceLines:
    """Line N of a file (1-based, split at LF as the parser counts lines), read forward."""

    RECENT = 1 << 20  # characters of the lines last asked for that are kept (and 100 a line)
    CHECKPOINT = 1 << 16  # bytes between the offsets kept, to go back to
    LONGEST = 1 << 16  # bytes of the longest line shown (a return written on one line is not)
    STARTS = 64  # starts of the lines last asked for that are kept

    def __init__(self, path: str):
        self._file: BinaryIO | None = None
        try:
            self._file = open(path, "rb")  # noqa: SIM115 - closed by `close`
            self._codec = _codec(self._file.read(256))
        except OSError:
            self._codec = None
        if self._codec is None:
            self.close()
            return
        self._file.seek(0)
        self._next = 1  # the number of the line the file's position is at the start of
        self._checkpoints = [(1, 0)]  # (line number, byte offset of its start), ascending
        self._recent: OrderedDict[int, str | None] = OrderedDict()
        self._held = 0
        # where the lines last asked for start: going back a few lines starts from the nearest
        self._starts: OrderedDict[int, int] = OrderedDict()

    def __enter__(self) -> SourceLines:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def line(self, number: int) -> str | None:
        """The text of line `number`; None past the end, for a line too long to show, or when
        the file cannot be read (or is in an encoding whose lines are not split at LF)."""
        if self._file is None:
            return None
        if number in self._recent:
            self._recent.move_to_end(number)
            return self._recent[number]
        if number < self._next:
            self._go_back_to(number)
        try:
            if not self._skip_to(number):
                return None
            self._starts[number] = self._file.tell()
            if len(self._starts) > self.STARTS:
                self._starts.popitem(last=False)
            text = self._read_line()
        except OSError:
            self.close()
            return None
        self._keep(number, text)
        return text

    def _go_back_to(self, number: int) -> None:
        """To the nearest line before `number` whose start is known."""
        line, offset = self._checkpoints[bisect.bisect_right(self._checkpoints, (number, 1 << 62))
                                         - 1]
        for known, start in self._starts.items():
            if line < known <= number:
                line, offset = known, start
        self._file.seek(offset)
        self._next = line

    def _skip_to(self, number: int) -> bool:
        """Move to the start of line `number`, counting the lines before it a block at a time
        (at C speed: none of them is decoded); False past the end."""
        size = 2048  # the next line asked for is often near: read more only when it is not
        while self._next < number:
            start = self._file.tell()
            block = self._file.read(size)
            size = min(2 * size, self.CHECKPOINT)
            if not block:
                return False
            needed, newlines = number - self._next, block.count(b"\n")
            if newlines < needed:
                self._next += newlines
                if newlines:
                    self._checkpoint(self._next, start + block.rindex(b"\n") + 1)
                continue
            position = -1
            for _ in range(needed):
                position = block.index(b"\n", position + 1)
            self._file.seek(start + position + 1)
            self._next = number
        return True

    def _checkpoint(self, line: int, offset: int) -> None:
        last_line, last_offset = self._checkpoints[-1]
        if line > last_line and offset - last_offset >= self.CHECKPOINT:
            self._checkpoints.append((line, offset))

    def _read_line(self) -> str | None:
        """The line the file is at, decoded; None when it is too long to show."""
        raw = self._file.readline(self.LONGEST + 1)
        self._next += 1
        if len(raw) > self.LONGEST and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):  # skip the rest, never holding it
                raw = self._file.readline(self.LONGEST)
            return None
        text = raw.rstrip(b"\r\n").decode(self._codec, "replace")
        return text.removeprefix("\ufeff") if self._next == 2 else text

    def _keep(self, number: int, text: str | None) -> None:
        self._recent[number] = text
        self._held += _held(text)
        while self._held > self.RECENT and len(self._recent) > 1:
            _, dropped = self._recent.popitem(last=False)
            self._held -= _held(dropped)


def _held(text: str | None) -> int:
    """What a kept line costs: its characters, and about 100 bytes of Python around them."""
    return len(text or "") + 100


def _codec(start: bytes) -> str | None:
    """The codec of a file's lines from its first bytes: its byte-order mark or declaration;
    None for UTF-16 and UTF-32, whose lines are not split at a LF byte."""
    if start.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE,
                         codecs.BOM_UTF16_BE)) or start[1:2] == b"\x00" or start[:1] == b"\x00":
        return None
    declared = _DECLARED.match(start.removeprefix(codecs.BOM_UTF8))
    try:
        name = codecs.lookup(declared.group(1).decode("ascii")).name if declared else "utf-8"
    except LookupError:
        name = "utf-8"
    return None if name.startswith(("utf-16", "utf-32")) else name


def excerpt(issue: Issue, source: SourceLines, width: int, *, redacted: bool) -> list[str]:
    """The lines `issue` points at, each with its number and the marked elements beneath; a
    line too long for the width is cut around each of its marks in turn."""
    by_line: dict[int, list] = {}
    for place in issue.places:
        if place.line:
            by_line.setdefault(place.line, []).append(place)
    numbers = sorted(by_line)
    shown = [(number, text) for number in numbers[:LINES_SHOWN]
             if (text := source.line(number)) is not None]
    if not shown:
        return []
    gutter = len(str(shown[-1][0]))
    room = max(min(width, WIDEST) - gutter - 3, 20)
    cuts = [(number, cut) for number, text in shown
            for cut in _windows(*_drawn(text, by_line[number], redacted), room)]
    lines = []
    for number, (clipped, marks) in cuts[:LINES_SHOWN]:
        lines.append(f"{number:>{gutter}} | {clipped}".rstrip())
        if marks:
            lines += [f"{'':>{gutter}} | {line}" for line in _carets(marks, room)]
    left = len(numbers) - len(shown) + len(cuts) - len(cuts[:LINES_SHOWN])
    if left > 0:
        lines.append(f"{'':>{gutter}} ... and {left} more")
    return lines


def _carets(marks: list[tuple[int, int, str]], room: int) -> list[str]:
    """`^^^` under each mark, then what the absent elements' marks stand for: beside the
    carets, or under them when the line has no room."""
    row = [" "] * max(end for _, end, _ in marks)
    for start, end, _ in marks:
        row[start:end] = "^" * (end - start)
    carets = "".join(row)
    labels = ", ".join(label for _, _, label in marks if label)
    if not labels:
        return [carets]
    if len(carets) + 1 + len(labels) <= room:
        return [f"{carets} {labels}"]
    return [carets, " " * min(marks[0][0], max(room - len(labels), 0)) + labels]


def _drawn(text: str, places: list, redacted: bool) -> tuple[str, list[tuple[int, int, str]]]:
    """A line as shown (escaped, and masked under --redact) and where its marks are in it,
    each with a label: "" for an element, "no FIELD here" for an absent one's group."""
    spans = _spans(text, places, by_value=not redacted)
    pieces: list[tuple[str, str | None]] = []
    position = 0
    for start, end, place, is_element in spans:
        pieces.append((_masked(text[position:start]) if redacted else text[position:start], None))
        element = text[start:end]
        if redacted:  # the element as the report shows it, or its group's tag, masked
            element = (f"<{place.field}>{place.value}</{place.field}>"
                       if is_element and place.value is not None else _masked(element))
        pieces.append((element, "" if is_element else f"no {place.field} here"))
        position = end
    pieces.append((_masked(text[position:]) if redacted else text[position:], None))
    shown, marks = "", []
    for piece, label in pieces:
        piece = visible(piece.replace("\t", " "))
        if label is not None:
            marks.append((len(shown), len(shown) + len(piece), label))
        shown += piece
    return shown, marks


def _spans(text: str, places: list, *, by_value: bool) -> list[tuple[int, int, object, bool]]:
    """Where each place's element is in the line, and whether it is the element itself: the
    element holding its value (the first such not yet marked), else the first of its name,
    else (an absent element) its group's start tag."""
    spans: list[tuple[int, int, object, bool]] = []
    for place in places:
        element, start = _patterns(place.field)
        found = None
        if by_value and place.value is not None:
            found = _free(spans, (match for match in element.finditer(text)
                                  if match.group(1).strip() == place.value))
        found = found or _free(spans, start.finditer(text))
        if found:
            spans.append((*found, place, True))
            continue
        group = re.sub(r"\[\d+\]$", "", place.path.rsplit("/", 1)[-1]) or "Child"
        found = _free(spans, _patterns(group)[1].finditer(text))
        if found:
            spans.append((*found, place, False))
    return sorted(spans, key=lambda span: span[0])


@functools.lru_cache(maxsize=1024)
def _patterns(name: str) -> tuple[re.Pattern, re.Pattern]:
    """For an element's name: the element with its text (group 1), and its start tag up to its
    end tag when that is on the same line. Compiled once per name."""
    name = re.escape(name)
    return (re.compile(rf"<{_PREFIX}{name}(?:\s[^>]*)?>([^<]*)</{_PREFIX}{name}\s*>"),
            re.compile(rf"<{_PREFIX}{name}(?=[\s/>])(?:[^<]*</{_PREFIX}{name}\s*>|[^>]*>?)"))


def _free(taken: list, matches) -> tuple[int, int] | None:
    """The first match that overlaps no element already marked."""
    for match in matches:
        if not any(start < match.end() and match.start() < end for start, end, *_ in taken):
            return match.span()
    return None


def _masked(text: str) -> str:
    """Under --redact: the names of a line's elements, none of their contents."""
    shown = []
    for piece in _PIECE.findall(text):
        if piece.startswith("<!--"):
            shown.append("<!--…-->")
        elif piece.startswith("<![CDATA["):
            shown.append("<![CDATA[…]]>")
        elif piece.startswith("<"):
            shown.append(_QUOTED.sub('"…"', piece))
        else:
            shown.append(piece if not piece.strip() else "…")
    return "".join(shown)


def _windows(code: str, marks: list[tuple[int, int, str]], room: int):
    """The line whole when it fits; else cut to `room` characters around its first mark not
    yet shown, then the next, `…` where it is cut: (text, the marks within it) each time."""
    if len(code) <= room:
        yield code, marks
        return
    left = list(marks) or [(0, 0, "")]
    while left:
        start = max(0, min(left[0][0] - _MARGIN, len(code) - room))
        end = start + room
        head, tail = ("…" if start else ""), ("…" if end < len(code) else "")
        inside = [mark for mark in left if mark[0] >= start + len(head)
                  and mark[1] <= end - len(tail)] or left[:1]
        left = [mark for mark in left if mark not in inside]
        text = head + code[start + len(head):end - len(tail)] + tail
        yield text, [(max(a - start, len(head)), min(b - start, len(text) - len(tail)), label)
                     for a, b, label in inside if b > a]
