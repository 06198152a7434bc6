"""Return-level checks over all children: duplicates and percentages (group 1)."""

from __future__ import annotations

CHILD_CHECKS: dict = {}
RETURN_CHECKS: dict = {}
