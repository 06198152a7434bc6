"""Child protection plans and their reviews (group 4)."""

from __future__ import annotations

CHILD_CHECKS: dict = {}
RETURN_CHECKS: dict = {}
