"""Shared fixtures: validate an XML string and look at what fired."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # lets tests import `builders`

from builders import (LAST_YEARS_REFERENCE_DATE, REFERENCE_DATE, child,  # noqa: E402
                      header_without_reference_date, make_return)

from cin_validate.engine import validate_file  # noqa: E402
from cin_validate.report import Report  # noqa: E402


# Ways a header's ReferenceDate falls back to the year's, as options of `make_return`.
FALLBACK_HEADERS = [
    pytest.param({"reference_date": REFERENCE_DATE[:5] + "13" + REFERENCE_DATE[7:]}, id="invalid"),
    pytest.param({"reference_date": "/".join(reversed(LAST_YEARS_REFERENCE_DATE.split("-")))},
                 id="not-ccyy-mm-dd"),
    pytest.param({"reference_date": ""}, id="empty"),
    pytest.param({"header_xml": header_without_reference_date()}, id="absent"),
]


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
    def run(code, *episodes, reference_date=REFERENCE_DATE, **child_kwargs):
        xml = make_return(child(*episodes, **child_kwargs), reference_date=reference_date)
        return fired(validate(xml), code)

    return run


def where(issue) -> list[tuple[str, str]]:
    """(path, field) of every place an issue points at, in order."""
    return [(place.path, place.field) for place in issue.places]


def count(report: Report, code: str) -> int:
    """How many issues one rule gave."""
    return len(fired(report, code))


def issues_of(validate, code: str, *children: str, **return_options) -> list:
    """The issues of one rule for a return made of `children`."""
    return fired(validate(make_return(*children, **return_options)), code)


def one_issue(validate, code: str, *children: str, **return_options):
    """The single issue of one rule for a return made of `children`."""
    found = issues_of(validate, code, *children, **return_options)
    assert len(found) == 1, f"{code}: expected one issue, got {len(found)}"
    return found[0]


def values(issue, field: str | None = None) -> list:
    """The values an issue quotes, in order; only those of `field` when given."""
    return [place.value for place in issue.places if field is None or place.field == field]


def paths(issue) -> list[str]:
    """The path of every place an issue points at, in order."""
    return [place.path for place in issue.places]


def places(issue) -> list[tuple[str, str, str | None]]:
    """(path, field, value) of every place an issue points at, in order."""
    return [(place.path, place.field, place.value) for place in issue.places]
