"""Small files with many overlapping groups: output and work stay linear (issue 16, finding 1).

The pair rules report one issue per item (or per ordered pair) that starts inside others. A
child with n identical groups used to give n * n issues or places: 3,000 CIN plans (228 KB)
gave 9 million issues of 4014. Each item now names at most `OTHERS_SHOWN` others, and a pair
rule gives each item at most `OTHERS_SHOWN` issues; the rest are counted ("and K more ...").
Returns with few items per child are reported exactly as before (rules/decisions.md).
"""

from __future__ import annotations

import errno
import sqlite3
import sys
import time
from collections import Counter
from datetime import date, timedelta

import pytest
from builders import assessment, child, cin_plan, cpp, episode, make_return, one_episode, s47
from click.testing import CliRunner
from conftest import fired
from hypothesis import given, settings
from hypothesis import strategies as st

from cin_validate.checks import cin_plans, episodes
from cin_validate.checks.base import OTHERS_SHOWN
from cin_validate.cli import main
from cin_validate.model import within_others

N = 40  # items per child: big enough that n * n would show, small enough to stay quick
MORE = N - 1 - OTHERS_SHOWN  # others each item leaves unnamed


def _per_item(issues) -> Counter:
    """How many issues each item (its first place) gets."""
    return Counter((i.places[0].path, i.places[0].field) for i in issues)


# -- one issue per ordered pair: at most OTHERS_SHOWN per item ------------------------------

@pytest.mark.parametrize("code, xml, what", [
    ("4014", one_episode(*[cin_plan("2024-05-01", None)] * N), "CIN plans it starts inside"),
    ("8820", make_return(child(*[episode(close="2024-08-01", reason="RC7")] * N)),
     "episodes its referral date falls inside"),
])
def test_pair_rules_give_each_item_at_most_the_shown_number_of_issues(validate, code, xml, what):
    found = fired(validate(xml), code)
    assert len(found) == N * OTHERS_SHOWN
    assert set(_per_item(found).values()) == {OTHERS_SHOWN}
    details = [i.detail for i in found]
    # the last issue of each item says how many pairs are not reported one by one
    assert details.count(f"and {MORE} more {what}") == N
    assert details.count(None) == N * (OTHERS_SHOWN - 1)
    assert all(i.detail is None for i in found[:OTHERS_SHOWN - 1])
    assert found[OTHERS_SHOWN - 1].detail is not None


def test_4014_pairs_an_item_with_the_first_others_in_document_order(validate):
    plans = [cin_plan("2024-05-01", None)] * (OTHERS_SHOWN + 2)
    found = fired(validate(one_episode(*plans)), "4014")
    first = [i for i in found if i.places[0].path == "CINdetails[1]/CINPlanDates[1]"]
    assert [i.places[1].path for i in first] == [
        f"CINdetails[1]/CINPlanDates[{n}]" for n in range(2, OTHERS_SHOWN + 2)]
    assert first[-1].detail == "and 1 more CIN plans it starts inside"


def test_4014_exactly_the_shown_number_of_others_is_reported_in_full(validate):
    plans = [cin_plan("2024-05-01", None)] * (OTHERS_SHOWN + 1)
    found = fired(validate(one_episode(*plans)), "4014")
    assert len(found) == (OTHERS_SHOWN + 1) * OTHERS_SHOWN  # every ordered pair
    assert all(i.detail is None for i in found)


# -- one issue per item: at most OTHERS_SHOWN others named -----------------------------------

def listing_cases(n: int) -> list[tuple[str, str, str, int]]:
    """(code, return, what the detail counts, places per issue with OTHERS_SHOWN named): one
    child whose n items each fall inside the n - 1 others of the kind the rule lists."""
    return [
        ("8863Q", one_episode(*[assessment("2024-05-01", None, factors=None)] * n),
         "assessments it starts inside", 1 + 2 * OTHERS_SHOWN),
        ("8890", one_episode(assessment(), *[s47("2024-05-01", None, None, "false")] * n),
         "Section 47 enquiries it starts inside", 1 + 2 * OTHERS_SHOWN),
        ("8940", one_episode(*[cpp("2024-05-01", None)] * n),
         "child protection plans it starts inside", 1 + 2 * OTHERS_SHOWN),
        ("4016", one_episode(*[cpp("2024-05-01", None)] * (n - 1),
                             *[cin_plan("2024-06-03", None)] * n),
         "child protection plans it starts during", 1 + 2 * OTHERS_SHOWN),
        ("4017", one_episode(*[cin_plan("2024-05-01", None)] * (n - 1),
                             *[cpp("2024-06-03", None)] * n),
         "CIN plans it starts during", 1 + 2 * OTHERS_SHOWN),
        ("4003", one_episode(*[cin_plan("2024-05-01", "2024-10-01")] * (n - 1),
                             cpp("2024-04-15", "2024-12-01", reviews=["2024-06-03"] * n)),
         "CIN plans it falls inside", 2 + 2 * OTHERS_SHOWN),
        ("2884", make_return(child(*[episode(cpc="2024-05-20")] * (n - 1),
                                   *[episode(assessment(), s47("2024-05-01", None, "2024-05-20",
                                                               "false"))] * n)),
         "CIN-level conference dates on the same day", 1 + OTHERS_SHOWN),
        ("2885", one_episode(*[s47("2024-05-01", None, "2024-05-20", "false")] * (n - 1),
                             *[cpp("2024-06-03", "2024-07-01")] * n),
         "Section 47 conference dates", 1 + OTHERS_SHOWN),
        ("8816", make_return(child(*[episode(ref="2024-05-01")] * n,
                                   *[episode(ref="2024-08-01", nfa="true")] * (n - 1))),
         "episodes with the latest referral date", 3 + OTHERS_SHOWN),
    ]


CODES = [case[0] for case in listing_cases(N)]


@pytest.mark.parametrize("index", range(len(CODES)), ids=CODES)
def test_rules_listing_others_name_at_most_the_shown_number(validate, index):
    code, xml, what, places = listing_cases(N)[index]
    found = fired(validate(xml), code)
    assert len(found) == N
    assert {len(i.places) for i in found} == {places}
    assert {i.detail for i in found} == {f"and {MORE} more {what}"}


@pytest.mark.parametrize("index", range(len(CODES)), ids=CODES)
def test_rules_listing_others_name_every_one_up_to_the_shown_number(validate, index):
    code, xml, _, places = listing_cases(OTHERS_SHOWN + 1)[index]
    found = fired(validate(xml), code)
    assert len(found) == OTHERS_SHOWN + 1
    assert {len(i.places) for i in found} == {places}
    assert {i.detail for i in found} == {None}


# -- the sizes of issue 16 ------------------------------------------------------------------

def _big(groups: str) -> str:
    return make_return(child(episode(groups)))


@pytest.mark.parametrize("name, xml, ceiling", [
    ("3,000 identical CIN plans", _big(cin_plan("2024-05-01", None) * 3000), 3000 * 8),
    ("10,000 CIN plans over a year", _big("".join(
        cin_plan(f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}", None) for n in range(10_000))),
     10_000 * 8),
    ("1,000 Section 47 enquiries",
     _big(assessment() + s47("2024-05-01", None, None, "false") * 1000), 1000 * 8),
    ("1,000 child protection plans", _big(cpp("2024-05-01", None) * 1000), 1000 * 8),
    ("1,000 episodes", make_return(child(episode(close="2024-08-01", reason="RC7") * 1000)),
     1000 * 8),
])
def test_small_pathological_returns_give_linear_output_quickly(validate, name, xml, ceiling):
    start = time.perf_counter()
    report = validate(xml)
    seconds = time.perf_counter() - start
    assert len(report.issues) <= ceiling
    assert sum(len(i.places) for i in report.issues) <= ceiling * (2 + 2 * OTHERS_SHOWN)
    assert seconds < 20, f"{name}: {seconds:.1f} s"  # n * n work took minutes or ran out of memory


REPEATS = 30_000


@pytest.mark.parametrize("name, xml", [
    ("repeated <Disabilities> groups", make_return(child().replace(
        "</ChildCharacteristics>",
        "<Disabilities><Disability>MOB</Disability></Disabilities>" * REPEATS
        + "</ChildCharacteristics>"))),
    ("one <Disabilities> with a repeated code", make_return(child(disabilities=["MOB"] * REPEATS))),
    ("repeated <FactorsIdentifiedAtAssessment> groups", one_episode(assessment(
        extra="<FactorsIdentifiedAtAssessment><AssessmentFactors>1A</AssessmentFactors>"
              "</FactorsIdentifiedAtAssessment>" * REPEATS))),
    ("repeated <Reviews> groups", one_episode(cpp(
        "2024-05-01", None,
        extra="<Reviews><CPPreviewDate>2024-06-01</CPPreviewDate></Reviews>" * REPEATS))),
])
def test_many_repeated_values_in_one_group_are_read_and_checked_in_linear_time(validate, name,
                                                                               xml):
    """Collecting values by appending to a tuple, or counting repeats with tuple.count, cost
    n * n: 30,000 repeated groups took tens of seconds."""
    start = time.perf_counter()
    report = validate(xml)
    seconds = time.perf_counter() - start
    assert report.children == 1
    assert seconds < 3, f"{name}: {seconds:.1f} s"


# -- running out of memory: exit 2 and one line, never exit 3 or a traceback ---------------

def _out_of_memory(*args, **kwargs):
    raise MemoryError


@pytest.mark.parametrize("module, code", [(cin_plans, "4014"), (episodes, "8820")])
@pytest.mark.parametrize("files", [1, 2])
def test_memory_exhausted_in_a_check_is_exit_2_too_large(tmp_path, monkeypatch, module, code,
                                                           files):
    monkeypatch.setitem(module.CHILD_CHECKS, code, _out_of_memory)
    paths = []
    for n in range(files):
        paths.append(tmp_path / f"r{n}.xml")
        paths[-1].write_text(make_return(child(episode(cin_plan()))))
    result = CliRunner().invoke(main, [*map(str, paths), "--jobs", "1"])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == files
    assert all("too large to validate in the memory available" in line for line in lines)
    assert "Traceback" not in result.output


def test_memory_exhausted_while_writing_the_report_is_exit_2_too_large(tmp_path, monkeypatch):
    from cin_validate.output import formats

    monkeypatch.setattr(formats, "write", _out_of_memory)
    path = tmp_path / "r.xml"
    path.write_text(make_return(child()))
    result = CliRunner().invoke(main, [str(path), "--format", "json"])
    assert result.exit_code == 2
    [line] = result.stderr.strip().splitlines()
    assert "too large" in line and "Traceback" not in result.output


def test_the_catalogue_states_the_bound_the_code_uses():
    """`cin-validate explain` says how many others an issue names: the same number as the code."""
    from cin_validate import years

    bounded = {code: info.instance for code, info in years.all_rules().items()
               if " and how many more" in info.instance or " says how many more" in info.instance}
    assert set(bounded) == {"4003", "4014", "4016", "4017", "8816", "8820", "8863Q", "8890",
                            "8940", "2884", "2885"}
    assert all(f"at most {OTHERS_SHOWN} " in text for text in bounded.values()), bounded


# -- the sweep finds what comparing every pair finds -----------------------------------------

_DAY = st.one_of(st.none(), st.dates(date(2024, 5, 1), date(2024, 5, 20)))
_SPAN = st.one_of(st.none(), st.tuples(_DAY.filter(bool), st.integers(0, 6)).map(
    lambda start_length: (start_length[0], start_length[0] + timedelta(days=start_length[1]))))


def _every_pair(days, spans, shown):
    """The definition of `within_others`, one pair at a time."""
    for item, day in days:
        others = [other for other, span in spans
                  if day is not None and span is not None and other is not item
                  and span[0] <= day <= span[1]]
        if others:
            yield item, others[:shown], len(others)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.lists(st.tuples(_DAY, _SPAN), max_size=40), st.booleans(), st.integers(0, 6))
def test_within_others_equals_comparing_every_pair(items, same_items, shown):
    """Small inputs compare each pair; from 9 items on (over `_FEW_PAIRS` pairs) the days are
    swept. Either way: the same items, the same first others, the same counts."""
    nodes = [object() for _ in items]
    days = [(node, day) for node, (day, _) in zip(nodes, items)]
    span_nodes = nodes if same_items else [object() for _ in items]
    spans = [(node, span) for node, (_, span) in zip(span_nodes, items)]
    assert list(within_others(days, spans, shown)) == list(_every_pair(days, spans, shown))


def _disk_full(*_args, **_kwargs):
    raise sqlite3.OperationalError("database or disk is full")


def _no_space(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("files", [1, 2])
@pytest.mark.parametrize("where", ["duplicate index", "issue log"])
def test_temporary_disk_space_running_out_is_exit_2_not_an_internal_error(tmp_path, monkeypatch,
                                                                          where, files):
    """The duplicate index (on disk past 100,000 values) and the issue log (spilled past 5,000
    issues) write temporary files: a full disk there is the machine's, not a bug (exit 2, one
    line naming the file and the temporary folder)."""
    from cin_validate import issuelog
    from cin_validate.checks import return_level

    if where == "duplicate index":
        monkeypatch.setattr(return_level._Holders, "IN_MEMORY", 1)
        class FullDisk:
            """A connection whose writes fail as on a full disk."""

            def execute(self, *_args):
                return self

            def executemany(self, *_args):
                _disk_full()

            def close(self):
                pass

        monkeypatch.setattr(return_level.sqlite3, "connect", lambda _name: FullDisk())
    else:
        monkeypatch.setattr(issuelog, "IN_MEMORY", 1)
        monkeypatch.setattr(issuelog.IssueLog, "_write_chunk", _no_space)
    paths = [tmp_path / f"r{n}.xml" for n in range(files)]
    for path in paths:
        path.write_text(make_return(child(id="C1", upn=None, sex=None), child(id="C2", sex=None)))
    result = CliRunner().invoke(main, [*map(str, paths), "--jobs", "1"])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == files
    for path, line in zip(paths, lines):
        assert f"{path}: cannot be validated here: temporary data could not be written" in line
        assert "set TMPDIR" in line
    assert "Traceback" not in result.output


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="address-space limit")
def test_running_out_of_memory_for_real_is_one_line_and_no_traceback(tmp_path):
    """A million unknown elements in one child, in 300 MB of address space: MemoryError is
    raised wherever it happens to be, and finalizers failing as it unwinds (a generator being
    closed) print no "Exception ignored" traceback."""
    import resource
    import subprocess

    from processes import cli

    path = tmp_path / "many.xml"
    path.write_text(make_return(child(id="C1", extra="<Foo/>" * 1_000_000), child(id="C2")))
    limit = 300 * 2**20

    def limited():
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    process = cli(path, "-q", "--no-config", stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                  preexec_fn=limited)
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 2
    assert stderr.decode() == (f"cin-validate: error: {path}: too large to validate in the "
                               "memory available\n")
