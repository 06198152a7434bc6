"""Child identifiers: UPN, former UPN, LA child ID, sex, dates of birth and death (group 1)."""

from __future__ import annotations

CHILD_CHECKS: dict = {}
RETURN_CHECKS: dict = {}
