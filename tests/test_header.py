"""Group 1, rule 100: the header's ReferenceDate must be exactly the collection's (2025-03-31 for
2024-25, the default year)."""

from __future__ import annotations

import pytest
from builders import REFERENCE_DATE, child, header, make_return
from conftest import fired, issues_of


def rule_100(validate, **return_options):
    return fired(validate(make_return(child(), **return_options)), "100")


@pytest.mark.parametrize("reference_date", [REFERENCE_DATE, f" {REFERENCE_DATE} "])
def test_100_passes(validate, reference_date):
    assert rule_100(validate, reference_date=reference_date) == []


def test_100_passes_with_year_absent(validate):
    assert rule_100(validate, year=None) == []


@pytest.mark.parametrize("year", ["2024", "twenty"])  # Year plays no part
def test_100_passes_whatever_year_says(validate, year):
    assert rule_100(validate, year=year) == []


@pytest.mark.parametrize("reference_date", [
    "2024-03-31",  # last year's header
    "2025-03-30", "2025-04-01",  # boundaries
    "31/03/2025", "2025-3-31", "2025-03-31T00:00:00",  # not the strict format
    None, "",
])
def test_100_fires_once_naming_no_child(validate, reference_date):
    found = rule_100(validate, reference_date=reference_date)
    assert len(found) == 1
    issue = found[0]
    assert issue.child is None
    assert issue.fields == ["ReferenceDate"]
    assert issue.places[0].value == (reference_date or None)
    assert issue.detail == f"expected {REFERENCE_DATE}"


def test_100_fires_for_a_complete_2023_24_header(validate):
    # The implementation compares with 31 March of <Year> and passes this header.
    assert len(rule_100(validate, reference_date="2024-03-31", year="2024")) == 1


def test_100_fires_when_the_header_is_missing(validate):
    assert len(rule_100(validate, header_xml="")) == 1


def test_100_fires_for_a_return_with_no_children(validate):
    report = validate(make_return(reference_date="2025-04-01"))
    assert len(fired(report, "100")) == 1
    assert fired(validate(make_return()), "100") == []


def test_100_reads_the_header_collection_details(validate):
    xml = header(reference_date=REFERENCE_DATE)
    assert len(rule_100(validate, header_xml=xml.replace(REFERENCE_DATE, "2025-04-01"))) == 1


# -- 100: a header date written loosely, the namespace and order -------------------------------

@pytest.mark.parametrize("reference_date", ["   ", "03/31/2025", "2025-03-31 00:00", "20250331"])
def test_100_fires_for_blank_or_loosely_written_reference_date(validate, reference_date):
    found = issues_of(validate, "100", child(), reference_date=reference_date)
    assert len(found) == 1
    assert found[0].child is None


def test_100_header_namespace_and_order_do_not_matter(validate):
    header = ("<Header><Source><SourceLevel>L</SourceLevel><LEA>201</LEA></Source>"
              f"<CollectionDetails><ReferenceDate>{REFERENCE_DATE}</ReferenceDate>"
              "<Collection>CIN</Collection></CollectionDetails></Header>")
    xml = make_return(child(), header_xml=header).replace(
        "<Message>", '<Message xmlns="http://www.dfe.gov.uk/CIN">')
    assert fired(validate(xml), "100") == []
