"""Every rule's examples, run: `tests/cases/<code>.toml` holds a rule's passing and failing
examples in the notation of `notation.py`, and its check's docstring shows the same examples.

A case file:

    given = "DOD 2024-11-20"          # optional: read before each example ("With ..." in the doc)
    subject = "UPN"                   # optional: what a bare value sets
    passes = ["C{2024-11-20, open}"]  # no issue of the rule

    [[fails]]                         # one table per failing example
    example = "C{2024-11-21, open}"
    fields = ["PersonDeathDate", "CINPlanStartDate"]  # what each issue points at
    issues = 1                        # optional: how many issues (1 unless given)
    at = ["ChildIdentifiers PersonDeathDate", ...]    # optional: "path field" of the first one

A rule is run in the year that added it (`years.all_rules()`), with that year's ReferenceDate
and <Year>; an example needing another date says so itself (`ReferenceDate 2024-03-31, ...`), so
that the docstring shows it too. `pytest -k 8670Q` runs one rule's examples (and its
module's tests, whose names carry the code too).
"""

from __future__ import annotations

import inspect
from functools import cache
from pathlib import Path

import pytest
from builders import (HEADER_YEAR, REFERENCE_DATE, A, C, PP, child, cpp, episode,
                      make_return, s47)
from conftest import fired
from notation import NotationError, build, split

from cin_validate import catalogue, years
from cin_validate.checks import CHILD_CHECKS, RETURN_CHECKS

CASES = Path(__file__).parent / "cases"
RULES = years.all_rules()


@cache
def case(code: str) -> dict:
    return catalogue.read_toml(CASES / f"{code}.toml")


def xml_of(code: str, example: str) -> str:
    """The return an example of `code` describes, in the year that added the rule."""
    collection = years.get(RULES[code].year)
    facts = case(code)
    return build(example, subject=facts.get("subject"), given=facts.get("given"),
                 reference_date=collection.reference_date.isoformat(),
                 header_year=collection.header_year)


def shown(facts: dict) -> str:
    """The examples as a docstring shows them, last: [With G.] Passes: p; p. Fails: f; f."""
    parts = [f"With {facts['given']}."] if "given" in facts else []
    parts.append("Passes: " + "; ".join(facts["passes"]) + ".")
    parts.append("Fails: " + "; ".join(fail["example"] for fail in facts["fails"]) + ".")
    return " ".join(parts)


def words(text: str) -> str:
    """Text with its line breaks and indentation as single spaces."""
    return " ".join(text.split())


def examples():
    for path in sorted(CASES.glob("*.toml")):
        code = path.stem
        facts = case(code)
        for number, example in enumerate(facts.get("passes", ()), start=1):
            yield pytest.param(code, example, None, id=f"{code}-passes-{number}")
        for number, failure in enumerate(facts.get("fails", ()), start=1):
            yield pytest.param(code, failure["example"], failure, id=f"{code}-fails-{number}")


@pytest.mark.parametrize("code, example, failure", list(examples()))
def test_example(validate, code, example, failure):
    found = fired(validate(xml_of(code, example)), code)
    if failure is None:
        assert found == [], f"{code} fired on its passing example {example!r}"
        return
    assert len(found) == failure.get("issues", 1), f"{code} on {example!r}"
    assert all(issue.fields == failure["fields"] for issue in found)
    if "at" in failure:
        assert [f"{place.path} {place.field}" for place in found[0].places] == failure["at"]


def test_every_rule_of_every_year_has_a_case_file_with_a_passing_and_a_failing_example():
    assert sorted(path.stem for path in CASES.glob("*.toml")) == sorted(RULES)
    for code in RULES:
        assert case(code).get("passes") and case(code).get("fails"), code


@pytest.mark.parametrize("code", sorted(RULES))
def test_the_checks_docstring_ends_with_its_case_files_examples(code):
    """Hand-written docstrings cannot drift from the examples that run."""
    check = CHILD_CHECKS.get(code) or RETURN_CHECKS[code]
    doc = words(inspect.getdoc(check))
    assert doc.startswith(f"{code}: ")
    assert doc.endswith(" " + words(shown(case(code)))), (
        f"{code}: the docstring of {check.__qualname__} should end with\n{shown(case(code))}")


# -- the notation itself ------------------------------------------------------------------------

def read(example: str, **options) -> str:
    return build(example, reference_date=REFERENCE_DATE, header_year=HEADER_YEAR, **options)


def test_terms_are_cut_outside_brackets_and_notes_are_left_out():
    assert split("E{ref 2024-05-01, RC7} with A{…, [21, 1B]} and `a, b` (a note, and more)") == [
        "E{ref 2024-05-01, RC7}", "A{…, [21, 1B]}", "`a, b`"]


def test_groups_outside_an_episode_go_into_one_default_episode():
    assert read("A{2024-10-02, —} and C{2024-06-03..2024-07-01}") == make_return(
        child(episode(A("2024-10-02", None), C("2024-06-03", "2024-07-01")), id="C1"))


def test_an_episode_holds_its_fields_and_the_groups_after_it():
    written = read("DOD 2024-06-30 with E{ref 2024-05-01, close 2024-07-01, RC7, NFA 0} "
                   "with P{2024-05-20, —, reviews[2024-06-01, \"\"], previous +2}")
    assert written == make_return(child(
        episode(cpp("2024-05-20", None, reviews=("2024-06-01", ""), previous="+2"),
                ref="2024-05-01", close="2024-07-01", reason="RC7", nfa="0"),
        id="C1", dod="2024-06-30"))


def test_values_absent_empty_exact_and_default():
    assert read("S{—, \"\", ` true `}") == make_return(child(episode(
        s47(start=None, cpc="", not_required=" true ")), id="C1"))
    assert read("A{…, [21]}") == make_return(child(episode(A("2024-06-04", "2024-07-01",
                                                             ["21"])), id="C1"))


def test_children_bare_values_and_the_header():
    assert read("ReferenceDate 2024-03-31, A{…}") == make_return(
        child(episode(A("2024-06-04", "2024-07-01")), id="C1"), reference_date="2024-03-31")
    assert read("2 × Child{ID C123} and Child{[MOB, HAND]}") == make_return(
        child(id="C123"), child(id="C123"), child(id="C3", disabilities=("MOB", "HAND")))
    assert read("` F `", subject="Sex") == make_return(child(id="C1", sex=" F "))
    assert read("—", subject="ReferenceDate") == make_return(child(id="C1"),
                                                               reference_date=None)
    assert read("PP{PPOutcome a}") == make_return(child(episode(PP(outcome="a")), id="C1"))


def test_a_term_the_notation_does_not_know_is_an_error():
    with pytest.raises(NotationError):
        read("E{colour blue}")
    with pytest.raises(NotationError):
        read("`H801200001001`")  # a bare value needs the case's subject
