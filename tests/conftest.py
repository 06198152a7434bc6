"""Shared fixtures: validate an XML string and look at what fired."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # lets tests import `builders`

from cin_validate.engine import validate_file  # noqa: E402
from cin_validate.report import Report  # noqa: E402


@pytest.fixture(autouse=True)
def _not_in_github_actions(monkeypatch):
    """Tests run in a GitHub Actions job append no summary to its page (`stepsummary`)."""
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


@pytest.fixture
def validate(tmp_path):
    """validate(xml_text) -> Report, by writing the text to a file and validating it."""
    counter = iter(range(1_000_000))

    def run(xml: str | bytes) -> Report:
        path = tmp_path / f"return-{next(counter)}.xml"
        path.write_bytes(xml.encode("utf-8") if isinstance(xml, str) else xml)
        return validate_file(path)

    return run


def fired(report: Report, code: str) -> list:
    """The issues of one rule."""
    return [issue for issue in report.issues if issue.code == code]


def codes(report: Report) -> set[str]:
    return {issue.code for issue in report.issues}


@pytest.fixture
def issues(validate):
    """issues(code, *episodes, reference_date=..., **child_kwargs) -> that rule's issues for a
    return of one child (id C1) holding `episodes`."""
    from builders import child, make_return

    def run(code, *episodes, reference_date="2025-03-31", **child_kwargs):
        xml = make_return(child(*episodes, **child_kwargs), reference_date=reference_date)
        return fired(validate(xml), code)

    return run


def where(issue) -> list[tuple[str, str]]:
    """(path, field) of every place an issue points at, in order."""
    return [(place.path, place.field) for place in issue.places]
