"""CIN details: referral, no further action, closure, episodes and activity (group 2)."""

from __future__ import annotations

CHILD_CHECKS: dict = {}
RETURN_CHECKS: dict = {}
