"""How the text of one element is read (rules README "Reading values", guide 1.11).

Every rule file defines the same conventions: surrounding whitespace is not significant, empty
means absent, a date is strictly CCYY-MM-DD and a real calendar date, and booleans are
true/1 and false/0 in any case. They are written once here; a value that fails to read is
absent for the DfE rules (the parser reports it as a structural notice).
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # CCYY-MM-DD, the only date written
_DATE_LENGTH = len("CCYY-MM-DD")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_TRUE = frozenset({"true", "1"})
_FALSE = frozenset({"false", "0"})


def clean(text: str | None) -> str | None:
    """Trimmed text, or None when the element is absent, empty or whitespace only."""
    if text is None:
        return None
    text = text.strip()
    return text or None


def parse_date(text: str | None) -> date | None:
    """A valid date, or None: '2025-03-31' reads, '31/03/2025', '2025-3-31', '2025-02-30' do not."""
    if text is None or len(text) != _DATE_LENGTH:
        return None  # not cached: a junk text of any size must not outlive its element
    return _parse_date_text(text)


@lru_cache(maxsize=65536)  # returns repeat the same few thousand dates many times
def _parse_date_text(text: str) -> date | None:
    """`parse_date` for a 10-character text: the cache holds at most 65,536 short keys."""
    if not DATE_TEXT.fullmatch(text):
        return None
    try:
        return date(int(text[0:4]), int(text[5:7]), int(text[8:10]))
    except ValueError:
        return None


def parse_bool(text: str | None) -> bool | None:
    """True for true/1, False for false/0 (any case), None (not given) for anything else."""
    if text is None:
        return None
    lowered = text.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    return None


def parse_int(text: str | None) -> int | None:
    """An optional sign and digits ('+2', '0', '-1'); '1.5', '2.0' and 'abc' are not integers."""
    if text is None or not _INTEGER.fullmatch(text):
        return None
    try:
        return int(text)
    except ValueError:  # over Python's 4,300-digit str-to-int limit: still an integer
        digits = text.lstrip("+-").lstrip("0") or "0"
        magnitude = int(digits) if len(digits) <= 4000 else 10 ** 4000  # only its sign matters
        return -magnitude if text[0] == "-" else magnitude
