"""CIN plans (group 3)."""

from __future__ import annotations

CHILD_CHECKS: dict = {}
RETURN_CHECKS: dict = {}
