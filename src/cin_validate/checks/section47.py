"""Section 47 enquiries and initial conferences, including 8675Q (group 4)."""

from __future__ import annotations

CHILD_CHECKS: dict = {}
RETURN_CHECKS: dict = {}
