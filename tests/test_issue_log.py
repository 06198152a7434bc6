"""The issue log: a report's issues in flat memory, in report order, read as often as needed."""

import pickle
import tracemalloc

import pytest
from builders import child, make_return
from output_helpers import PROBLEMS

from cin_validate import batch, issuelog, privacy
from cin_validate.checks.base import Place
from cin_validate.engine import validate_file
from cin_validate.issuelog import IssueLog
from cin_validate.model import ChildRef
from cin_validate.report import Issue

SEVERITY = {"1510": "error", "8670Q": "query", "S02": "notice"}


def issue(number: int, code: str = "1510") -> Issue:
    """A distinct issue of its own (no string shared with another), as a return's would be."""
    ref = ChildRef(number, f"C{number:07d}", number * 3)
    return Issue(code, SEVERITY[code], f"message of {code}", ref,
                 (Place("ChildIdentifiers", "UPN", f"H{number:012d}", number * 3 + 1),))


def issues(count: int, codes=("1510", "8670Q", "S02")) -> list[Issue]:
    return [issue(number, codes[number % len(codes)]) for number in range(1, count + 1)]


@pytest.mark.parametrize("in_memory", [1, 4, 1000])  # spilled one by one, in chunks, not at all
def test_a_log_reads_back_what_was_appended_as_often_as_asked(in_memory):
    expected = issues(23)
    log = IssueLog(expected[:10], in_memory=in_memory)
    log.extend(expected[10:])
    assert len(log) == 23 and bool(log)
    assert list(log) == expected and list(log) == expected  # read twice
    assert [log[i] for i in range(23)] == expected
    assert log[-1] == expected[-1] and log[-23] == expected[0]
    assert log[5:17:3] == expected[5:17:3] and log[::-1] == expected[::-1]
    with pytest.raises(IndexError):
        log[23]
    assert expected[7] in log and log.index(expected[7]) == 7


def test_two_readings_at_once_do_not_disturb_each_other():
    expected = issues(10)
    log = IssueLog(expected, in_memory=3)
    pairs = list(zip(log, log))
    assert pairs == list(zip(expected, expected))
    first = iter(log)
    assert [next(first), log[9], next(first)] == [expected[0], expected[9], expected[1]]


def test_counts_and_tally_are_kept_as_issues_are_appended():
    log = IssueLog(issues(10, codes=("8670Q", "1510", "1510", "S02")), in_memory=2)
    assert log.counts() == {"error": 6, "query": 2, "notice": 2}
    assert log.tally() == [("1510", "error", "message of 1510", 6),  # first fired: issue 1
                           ("S02", "notice", "message of S02", 2),  # issue 3
                           ("8670Q", "query", "message of 8670Q", 2)]  # issue 4
    assert not IssueLog() and IssueLog().counts() == {} and IssueLog().tally() == []


def test_a_log_pickles_with_its_spilled_issues_as_a_worker_sends_it_back():
    expected = issues(11)
    log = IssueLog(expected, in_memory=4)
    copy = pickle.loads(pickle.dumps(log))
    assert list(copy) == expected and copy.counts() == log.counts()
    assert copy.tally() == log.tally()
    copy.append(issue(99))
    assert len(copy) == 12 and len(log) == 11


def test_a_mapped_view_transforms_each_issue_as_it_is_read_and_keeps_the_counts():
    log = IssueLog(issues(7), in_memory=3)
    read = []

    def renamed(original: Issue) -> Issue:
        read.append(original)
        return Issue(original.code, original.severity, original.message, None, ())

    view = log.mapped(renamed)
    assert read == []  # nothing is transformed, or copied, until it is read
    assert len(view) == 7 and view.counts() == log.counts() and view.tally() == log.tally()
    assert [i.child for i in view] == [None] * 7 and len(read) == 7
    assert view[2].code == log[2].code and view[1:3][1].child is None
    assert view.mapped(lambda i: i.code)[4] == log[4].code


def retained_bytes(make, count: int) -> int:
    """The memory still held, once `count` distinct issues went into what `make()` returns."""
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        holder = make()
        for number in range(count):
            holder.append(issue(number))
        return tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()


def test_the_log_holds_no_more_issues_in_memory_than_its_limit():
    held = {count: retained_bytes(lambda: IssueLog(in_memory=500), count)
            for count in (10_000, 60_000)}
    in_a_list = retained_bytes(list, 50_000)
    # 50,000 more issues in the log cost their chunks' offsets (a few KB; the margin is for
    # whatever else the process allocates meanwhile), where the same issues in a list cost
    # tens of megabytes: the measure can tell the two apart.
    assert held[60_000] - held[10_000] < 2_000_000
    assert in_a_list > 10 * 2_000_000


# --- the report's order, with the children's issues spilled --------------------------------

@pytest.fixture
def duplicates(tmp_path):
    """Children sharing UPNs and IDs (1520, 8510: issues known only at the end, about children
    of the middle of the return), among children with issues of their own."""
    children = []
    for number in range(1, 25):
        shared = number % 4 == 0
        children.append(child(id="C-same" if number in (3, 17) else f"C{number}",
                              upn="H801200001001" if shared else "AUTO",
                              dob="2030-01-01" if number % 3 == 0 else "2015-01-01",
                              extra="<Odd/>" if number % 5 == 0 else ""))
    path = tmp_path / "duplicates.xml"
    path.write_text(make_return(*children).replace("<UPN>AUTO</UPN>", ""), encoding="utf-8")
    return path


@pytest.mark.parametrize("path", ["problems", "duplicates"])
def test_spilling_changes_nothing_in_the_report(request, monkeypatch, path):
    path = PROBLEMS if path == "problems" else request.getfixturevalue(path)
    whole = validate_file(path).to_dict()
    codes = [issue["code"] for issue in whole["issues"]]
    assert len(codes) > 12 and {"1520", "8510"} & set(codes)
    monkeypatch.setattr(issuelog, "IN_MEMORY", 2)
    spilled = validate_file(path)
    assert spilled.to_dict() == whole
    redacted = privacy.redact(spilled, privacy.Pseudonyms(b"k")).to_dict()
    assert [issue["code"] for issue in redacted["issues"]] == codes


def test_the_duplicates_found_at_the_end_are_in_their_childrens_places(duplicates):
    issues = validate_file(duplicates).to_dict()["issues"]
    positions = [issue["child_index"] or 0 for issue in issues]
    assert positions == sorted(positions)
    # Child 3 shares its ID with child 17 (8510), and has issues of its own on either side
    # of 8510 in the catalogue's order.
    by_child = [issue["code"] for issue in issues if issue["child_index"] == 3]
    assert "8510" in by_child[1:-1]


def test_reports_validated_in_worker_processes_come_back_whole(monkeypatch, duplicates):
    monkeypatch.setattr(issuelog, "IN_MEMORY", 2)  # the forked workers spill as well
    paths = [str(PROBLEMS), str(duplicates)]
    here = batch.validate_all(paths, jobs=1)
    there = batch.validate_all(paths, jobs=2)
    assert [result.report.to_dict() for result in there] == \
        [result.report.to_dict() for result in here]
    assert [result.report.by_rule() for result in there] == \
        [result.report.by_rule() for result in here]
