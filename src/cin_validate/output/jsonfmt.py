"""The JSON report: the public contract CI jobs parse (see README, "JSON output")."""

from __future__ import annotations

import json

from ..report import Report


def render(report: Report) -> str:
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"


def file_dict(result) -> dict:
    """One file of several: its report's usual object plus "verdict"; or why it was not read."""
    if result.report is not None:
        return {**result.report.to_dict(), "verdict": result.verdict}
    return {"file": result.path, "verdict": result.verdict, "error": result.error,
            "error_line": result.line}


def render_many(results) -> str:
    """Several files: a list with one object per file, in the order given."""
    return json.dumps([file_dict(result) for result in results], ensure_ascii=False,
                      indent=2) + "\n"
