"""The engine reads children a batch at a time before checking them (`engine.BATCH`): each
child's issues, notices and progress must be exactly those of checking it as it is read."""

from __future__ import annotations

from builders import child, make_return

from cin_validate import engine
from cin_validate.engine import validate_file

# Children on both sides of every batch boundary, and the last child of a short last batch.
FAULTY = {1, engine.BATCH, engine.BATCH + 1, 2 * engine.BATCH, 2 * engine.BATCH + 1,
          2 * engine.BATCH + 3}
CHILDREN = 2 * engine.BATCH + 3


def _return(tmp_path):
    children = []
    for number in range(1, CHILDREN + 1):
        faulty = number in FAULTY
        children.append(child(id=f"C{number}", ethnicity=None if faulty else "WBRI",
                              extra_identifiers=f"<Nickname>N{number}</Nickname>" if faulty
                              else ""))
    path = tmp_path / "return.xml"
    path.write_text(make_return(*children), encoding="utf-8")
    return path


def _issues(report):
    return [(issue.code, issue.child.index, issue.child.la_child_id)
            for issue in report.issues if issue.child is not None]


def test_each_childs_issues_and_notices_stay_its_own_across_batches(tmp_path):
    progress = []
    report = validate_file(_return(tmp_path), on_child=progress.append)
    assert _issues(report) == [(code, number, f"C{number}") for number in sorted(FAULTY)
                               for code in ("4220", "S01")]
    assert progress == list(range(1, CHILDREN + 1))
    assert report.children == CHILDREN


def test_the_report_is_the_one_of_checking_each_child_as_it_is_read(tmp_path, monkeypatch):
    path = _return(tmp_path)
    batched = validate_file(path)
    monkeypatch.setattr(engine, "BATCH", 1)
    one_by_one = validate_file(path)
    assert list(batched.issues) == list(one_by_one.issues)
    assert len(_issues(batched)) == 2 * len(FAULTY)
