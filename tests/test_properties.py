"""Properties of cin-validate on weird but well-formed returns (issue 16), through the CLI.

Returns come from `strategies.returns()`. For each, whatever its content:

- the command never raises and never exits 3 (an internal error): it exits 0 or 1;
- the same bytes give the same JSON;
- shuffling the children changes no child's issues (compared by the child's content, not its
  index or line) and no return-level issue;
- writing every format leaves the input file as it was;
- under --redact, no value of an identifying element appears in any format;
- --jobs 2 reports two files exactly as --jobs 1 does;
- every format's output is at most a linear function of the input's size;
- moved 70,000 lines down, a return reports every issue 70,000 lines further.

A few hundred examples run by default (derandomized, so CI is repeatable); set
CIN_VALIDATE_HYPOTHESIS_EXAMPLES=2000 to run that many per property, from a random seed.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import os
import re
import tempfile
import zipfile
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

from builders import child, cin_plan, episode, header, valid_upn
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from strategies import Drawn, returns, shuffled

from cin_validate.cli import main
from cin_validate.output.formats import REGISTRY

_EXAMPLES = int(os.environ.get("CIN_VALIDATE_HYPOTHESIS_EXAMPLES") or 0)
_COMMON = {"deadline": None, "print_blob": True,
           "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}
settings.register_profile("cin-validate-ci", max_examples=60, derandomize=True, database=None,
                          **_COMMON)
settings.register_profile("cin-validate-thorough", max_examples=_EXAMPLES or 60, **_COMMON)
PROFILE = settings.get_profile("cin-validate-thorough" if _EXAMPLES else "cin-validate-ci")



def examples(share: float = 1.0) -> settings:
    """The profile, with `share` of its examples for the slower properties."""
    return settings(PROFILE, max_examples=max(5, int(PROFILE.max_examples * share)))


WIDE = {"COLUMNS": "1000"}  # no terminal column is wrapped, so a leaked value shows whole


def cli(*args) -> Result:
    """`cin-validate ARGS` in this process: an exception fails the test with its traceback."""
    result = CliRunner().invoke(main, [str(arg) for arg in args], env=WIDE,
                                catch_exceptions=False)
    assert result.exit_code in (0, 1), (result.exit_code, result.stderr)
    return result


@contextmanager
def written(*drawn: Drawn, orders=None):
    """The drawn returns as files in a fresh folder: (folder, [paths])."""
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for number, one in enumerate(drawn):
            path = Path(folder) / f"return{number}.xml"
            path.write_bytes(one.xml(orders[number] if orders else None))
            paths.append(path)
        yield Path(folder), paths


def json_report(path: Path, *args) -> dict:
    return json.loads(cli(path, "--format", "json", "--no-config", *args).stdout)


def every_format(folder: Path, path: Path, *args) -> dict[str, bytes]:
    """Each format's whole output, as written: {format: bytes}. The formats an extension picks
    are files of one run; the terminal (live, with --details) and the formats no extension
    picks (github, concise) are standard output, a run each."""
    files = {fmt.name: folder / f"out-{fmt.name}{fmt.extensions[0]}" for fmt in REGISTRY
             if fmt.extensions and fmt.name != "terminal"}
    result = cli(path, "--details", "--no-config", *args,
                 *[item for out in files.values() for item in ("--output", out)])
    written_out = {"stderr": result.stderr_bytes}
    for fmt in REGISTRY:
        if fmt.name not in files:
            written_out[fmt.name] = cli(path, "--details", "--no-config", "--format", fmt.name,
                                        *args).stdout_bytes
    for name, out in files.items():
        written_out[name] = out.read_bytes()
    return written_out


def readable(data: bytes) -> str:
    """All the text of an output; an xlsx is a zip of XML parts: all of them."""
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            return "\n".join(book.read(name).decode("utf-8") for name in book.namelist())
    return data.decode("utf-8-sig")


def _drawn(*children: str, personal: set[str] = frozenset()) -> Drawn:
    """A return written by hand, for the examples every run checks."""
    return Drawn(header=header(), header_last=False, namespace=False, children=list(children),
                 strays=[""] * (len(children) + 1), personal=set(personal))


SHARED_UPN = valid_upn("shared")
# Two children with the same UPN, whose IDs hold a space and a comma: 1520 names each in the
# other's detail.
IDS_WITH_SEPARATORS = _drawn(child(id="Q4821 Z", upn=SHARED_UPN),
                             child(id="X7310,J", upn=SHARED_UPN),
                             personal={"Q4821 Z", "X7310,J", SHARED_UPN, "2015-06-15"})


# -- 1. never a traceback, never exit 3 --------------------------------------------------------

@examples()
@given(returns())
def test_any_well_formed_return_is_validated_without_an_internal_error(drawn):
    with written(drawn) as (_, [path]):
        for args in (("--format", "json"), ("--details",), ("--format", "csv", "--redact")):
            result = cli(path, "--no-config", *args)
            assert "Traceback" not in result.stderr
        json_report(path)  # and the JSON parses


# -- 2. the same bytes, the same JSON ----------------------------------------------------------

@examples()
@given(returns())
def test_the_same_bytes_give_the_same_json(drawn):
    with written(drawn, drawn) as (_, [first, second]):
        one, again, other = json_report(first), json_report(first), json_report(second)
    assert one == again
    assert {**one, "file": None} == {**other, "file": None}


# -- 3. the order of children does not matter --------------------------------------------------

_CHILD_PREFIX = re.compile(r"^Child\[\d+\]/?")
_OTHERS = re.compile(r"^also (?P<names>.*?)(?: and (?P<more>\d+) more)?$")


def _comparable(issue: dict) -> tuple:
    """An issue without what depends on the child's place in the file: its index, its lines,
    and (for the duplicate rules 1520 and 8510, whose detail names the other children by
    position) which others are named: only how many there are."""
    detail = issue["detail"]
    if issue["code"] in ("1520", "8510") and detail and (match := _OTHERS.match(detail)):
        detail = len(match["names"].split(", ")) + int(match["more"] or 0)
    locations = tuple((_CHILD_PREFIX.sub("", place["path"]), place["field"], place["value"])
                      for place in issue["locations"])
    return (issue["code"], issue["severity"], issue["message"], issue["child_id"],
            tuple(issue["fields"]), detail, locations)


def _by_child(report: dict, children: list[str]) -> tuple[Counter, Counter]:
    """(child-level issues keyed by the child's XML, return-level issues), as multisets."""
    per_child, per_return = Counter(), Counter()
    for issue in report["issues"]:
        if issue["child_index"] is None:
            per_return[_comparable(issue)] += 1
        else:
            per_child[(children[issue["child_index"] - 1], _comparable(issue))] += 1
    return per_child, per_return


@examples()
@given(returns(), st.integers(0, 2**32))
@example(_drawn(child(id="Q1111Q", extra_identifiers=child(id="X2222X")), child(id="Z3333Z"),
                child(id="J4444J", extra="<Foo/>")), 1)  # a <Child> inside a child is no child
def test_shuffling_children_changes_no_issue(drawn, seed):
    order = shuffled(drawn, seed)
    with written(drawn, drawn, orders=[None, order]) as (_, [as_drawn, reordered]):
        before, after = json_report(as_drawn), json_report(reordered)
    assert before["summary"] == after["summary"]
    assert before["notes"] == after["notes"]
    assert _by_child(before, drawn.children) == _by_child(
        after, [drawn.children[index] for index in order])


# -- 4. the input is never written ------------------------------------------------------------

@examples(0.5)
@given(returns())
def test_writing_every_format_leaves_the_input_unchanged(drawn):
    with written(drawn) as (folder, [path]):
        before = hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns
        every_format(folder, path)
        assert (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns) == before
        assert sorted(p.name for p in folder.iterdir() if not p.name.startswith("out-")) == [
            path.name]


# -- 5. --redact: no identifying value in any format -------------------------------------------

def _spellings(value: str) -> set[str]:
    """A value as any format could write it: as is, escaped for HTML, XML or JSON; a date also
    as DD/MM/CCYY."""
    forms = {value, html.escape(value), html.escape(value, quote=False),
             json.dumps(value)[1:-1], json.dumps(value, ensure_ascii=False)[1:-1],
             value.replace('"', '""')}
    if re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        forms.add(f"{value[8:10]}/{value[5:7]}/{value[:4]}")
    return forms


@settings(examples(0.5))
@given(returns())
@example(IDS_WITH_SEPARATORS)
def test_redacted_output_holds_no_identifying_value_in_any_format(drawn):
    with written(drawn) as (folder, [path]):
        outputs = every_format(folder, path, "--redact")
    for fmt, data in outputs.items():
        text = readable(data)
        for value in drawn.personal:
            for spelling in _spellings(value):
                assert spelling not in text, f"{value!r} shows in the {fmt} output"


# -- 6. --jobs 2 is --jobs 1 -------------------------------------------------------------------

@examples(0.15)
@given(returns(max_children=3), returns(max_children=3))
def test_two_jobs_report_two_files_as_one_job_does(first, second):
    with written(first, second) as (_, paths):
        one = cli(*paths, "--format", "json", "--no-config", "--jobs", "1").stdout
        two = cli(*paths, "--format", "json", "--no-config", "--jobs", "2").stdout
    assert json.loads(one) == json.loads(two)


# -- 7. output grows at most linearly with the input ---------------------------------------------

# Bytes of output per byte of input, and a fixed allowance (the HTML page's own styles, the
# workbook's parts). A child with n clashing groups once printed n * n issues.
PER_INPUT_BYTE = 80
FIXED = 32_000


@examples(0.4)
@given(returns(crowded=2))
@example(_drawn(child(episode(*[cin_plan("2024-05-01")] * 60))))  # once 3,540 issues of 4014
def test_every_format_is_at_most_linear_in_the_input(drawn):
    with written(drawn) as (folder, [path]):
        size = path.stat().st_size
        outputs = every_format(folder, path)
    for fmt, data in outputs.items():
        assert len(data) <= PER_INPUT_BYTE * size + FIXED, (fmt, size, len(data))


# -- 8. a line is where the element starts, also past 65,535 ------------------------------------

_DOWN = 70_000  # lines put before the header: every element then lies past libxml2's 65,535


def _moved_up(value, lines: int, key: str = ""):
    """A JSON report with every line number `lines` earlier."""
    if isinstance(value, dict):
        return {k: _moved_up(v, lines, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_moved_up(v, lines) for v in value]
    return value - lines if key.endswith("line") and isinstance(value, int) else value


@examples(0.3)
@given(returns())
def test_moving_a_return_down_moves_every_line_by_as_much(drawn):
    """libxml2 keeps no element line past 65,535 (`parse._line` works it out): the same return
    70,000 lines further down reports the same issues, each line 70,000 further."""
    near = drawn.xml()
    message_end = near.index(b">", near.index(b"<Message")) + 1
    far = near[:message_end] + b"\n" * _DOWN + near[message_end:]
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "near.xml").write_bytes(near)
        (Path(folder) / "far.xml").write_bytes(far)
        before = json_report(Path(folder) / "near.xml")
        after = _moved_up(json_report(Path(folder) / "far.xml"), _DOWN)
    assert {**after, "file": None} == {**before, "file": None}
