"""Header (rule 100)."""

from __future__ import annotations

from typing import Iterable

from ..model import Child
from .base import Context, Finding, found


class ReferenceDateIncorrect:
    """100: the header's ReferenceDate is exactly the collection's (2025-03-31 for 2024-25).

    Trimmed, strict CCYY-MM-DD; <Year> and <Collection> play no part (guide 1.1).
    One issue per return, naming no child.
    Passes: `2025-03-31`; ` 2025-03-31 `.
    Fails: `2024-03-31`; `2025-04-01`; `31/03/2025`; `2025-03-31T00:00:00`; —.
    """

    def __init__(self, ctx: Context) -> None:
        self.header = ctx.header
        self.expected = ctx.collection.reference_date.isoformat()

    def observe(self, child: Child) -> None:
        pass  # the header alone decides

    def finish(self) -> Iterable[Finding]:
        if self.header.reference_date_text != self.expected:
            yield found(self.header, "ReferenceDate", detail=f"expected {self.expected}")


CHILD_CHECKS: dict = {}
RETURN_CHECKS = {"100": ReferenceDateIncorrect}
