"""Child characteristics: ethnicity and disability (group 1)."""

from __future__ import annotations

CHILD_CHECKS: dict = {}
RETURN_CHECKS: dict = {}
