"""Year-on-year checks YonY 01 to 07 (guide section 1.10) and the headline measures.

Every reading chosen where the guide is loose is pinned here by name; rules/yony.toml states
the same readings in words (`summary`).
"""

from __future__ import annotations

import json
import re
from fractions import Fraction
from pathlib import Path

import pytest
from builders import assessment, child, cpp, episode, make_return, s47
from click.testing import CliRunner

from cin_validate import catalogue, years, yony
from cin_validate.cli import main
from cin_validate.engine import validate_file

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
GUIDE = ROOT.parent / "shared" / "spec" / "cin-census-2024-25-guide.txt"
CODES = [f"YonY 0{n}" for n in range(1, 8)]

need_guide = pytest.mark.skipif(not GUIDE.is_file(), reason=f"DfE guide not found at {GUIDE}")


# ---------------------------------------------------------------------------------------------
# helpers: a return of census year `year` (ending on year-03-31) with chosen counts


def year_return(year: int, *, children: int = 20, referrals: int = 0, assessments: int = 0,
                s47s: int = 0, cpp_open: int = 0, cpp_started: int = 0, cpp_ended: int = 0,
                la: str = "201") -> str:
    """`children` child records, and exactly the given number of each other measure.

    The base episodes are referred two years back (outside the period) with no groups; the
    counted items sit in extra episodes of the first child, each counted by exactly one
    measure except CPPs starting in the year, which are open at the ReferenceDate too.
    """
    before = f"{year - 2}-06-03"  # before the census period
    extra = []
    extra += [episode("", ref=f"{year - 1}-06-{1 + i % 28:02d}") for i in range(referrals)]
    if assessments:
        extra.append(episode(*(assessment(start=f"{year - 2}-06-04", auth=f"{year - 1}-07-01")
                               for _ in range(assessments)), ref=before))
    if s47s:  # distinct start dates, so no duplicate is removed
        extra.append(episode(*(s47(start=f"{year - 1}-{5 + i // 28:02d}-{1 + i % 28:02d}")
                               for i in range(s47s)), ref=before))
    plans = ([cpp(start=f"{year - 2}-05-01") for _ in range(cpp_open)]
             + [cpp(start=f"{year - 1}-05-01") for _ in range(cpp_started)]
             + [cpp(start=f"{year - 2}-05-01", end=f"{year - 1}-09-01") for _ in range(cpp_ended)])
    if plans:
        extra.append(episode(*plans, ref=before))
    kids = [child(episode("", ref=before), *(extra if i == 0 else ()), id=f"C{i}")
            for i in range(children)]
    return make_return(*kids, reference_date=f"{year}-03-31", year=str(year), la=la)


@pytest.fixture
def write(tmp_path):
    counter = iter(range(1_000_000))

    def run(xml: str, name: str | None = None) -> str:
        path = tmp_path / (name or f"r{next(counter)}.xml")
        path.write_text(xml, encoding="utf-8")
        return str(path)

    return run


@pytest.fixture
def measure(write):
    return lambda xml: yony.measure_file(write(xml)).counts


# (code, measure key, year_return keyword, last year's count, this year's, fires)
T15, T25 = 15, 25
BOUNDARIES = [
    # YonY 01, 15%: 20 -> 23 is exactly +15%; 22 is +10%, 24 is +20%; and downwards
    ("YonY 01", "children", "children", 20, 23, True),
    ("YonY 01", "children", "children", 20, 22, False),
    ("YonY 01", "children", "children", 20, 24, True),
    ("YonY 01", "children", "children", 20, 17, True),
    ("YonY 01", "children", "children", 20, 18, False),
    ("YonY 01", "children", "children", 20, 16, True),
]
for _code, _key, _kw in [("YonY 02", "referrals", "referrals"),
                         ("YonY 03", "assessments_authorised", "assessments"),
                         ("YonY 04", "s47_enquiries", "s47s"),
                         ("YonY 05", "cpp_open", "cpp_open"),
                         ("YonY 06", "cpp_started", "cpp_started"),
                         ("YonY 07", "cpp_ended", "cpp_ended")]:
    # 25%: 8 -> 10 is exactly +25%, 9 is +12.5%, 11 is +37.5%; 6 is exactly -25%, 7 is -12.5%,
    # 5 is -37.5%
    BOUNDARIES += [(_code, _key, _kw, 8, 10, True), (_code, _key, _kw, 8, 9, False),
                   (_code, _key, _kw, 8, 11, True), (_code, _key, _kw, 8, 6, True),
                   (_code, _key, _kw, 8, 7, False), (_code, _key, _kw, 8, 5, True)]


@pytest.mark.parametrize("code, key, keyword, last, this, fires", BOUNDARIES,
                         ids=[f"{b[0]}-{b[3]}-to-{b[4]}" for b in BOUNDARIES])
def test_each_check_on_and_either_side_of_its_threshold(write, code, key, keyword, last, this,
                                                        fires):
    last_file = write(year_return(2024, **{keyword: last}))
    this_file = write(year_return(2025, **{keyword: this}))
    before, now = yony.measure_file(last_file), yony.measure_file(this_file)
    assert (before.counts[key], now.counts[key]) == (last, this)
    comparison = yony.compare(now, before)
    result = next(r for r in comparison.results if r.code == code)
    assert (result.measure, result.last, result.this) == (key, last, this)
    assert result.fires is fires
    assert result.threshold == (15 if code == "YonY 01" else 25)
    assert result.change == Fraction((this - last) * 100, last)
    assert comparison.warnings == ()


def test_exactly_the_threshold_fires_with_exact_arithmetic():
    # 0.15 * 100 and friends are not exact in binary floating point; fractions are.
    assert yony.check("YonY 01", 100, 115).fires
    assert yony.check("YonY 01", 100, 85).fires
    assert not yony.check("YonY 01", 100_000, 114_999).fires
    assert yony.check("YonY 01", 100_000, 114_999).change_percent == 14.99
    assert yony.check("YonY 02", 4, 5).fires and yony.check("YonY 02", 4, 3).fires
    assert not yony.check("YonY 02", 4, 4).fires
    assert yony.check("YonY 07", 3, 4).change_percent == 33.33


def test_percent_text_is_cut_toward_zero_never_rounded_up_to_the_threshold():
    assert yony.percent_text(Fraction(29999, 2000)) == "+14.99%"  # 14.9995%
    assert yony.percent_text(Fraction(15)) == "+15.00%"
    assert yony.percent_text(Fraction(-25)) == "-25.00%"
    assert yony.percent_text(Fraction(0)) == "0.00%"
    assert yony.percent_text(Fraction(100, 3)) == "+33.33%"


def test_last_year_zero_fires_and_says_why():
    result = yony.check("YonY 04", 0, 3)
    assert result.fires and result.change is None and result.change_percent is None
    assert "last year's count was 0" in result.reason
    assert "cannot be computed" in result.reason
    assert result.to_dict() == {"code": "YonY 04", "measure": "s47_enquiries", "last": 0,
                                "this": 3, "change_percent": None, "threshold_percent": 25,
                                "fires": True, "reason": result.reason}


def test_last_year_zero_from_returns(write):
    last = yony.measure_file(write(year_return(2024)))
    this = yony.measure_file(write(year_return(2025, s47s=1)))
    result = yony.compare(this, last).results[3]
    assert (result.code, result.last, result.this, result.fires) == ("YonY 04", 0, 1, True)


def test_both_zero_does_not_fire():
    result = yony.check("YonY 05", 0, 0)
    assert not result.fires
    assert result.reason == "last year's count and this year's are both 0: no change"


def test_this_year_zero_is_a_fall_of_100_percent():
    result = yony.check("YonY 06", 5, 0)
    assert result.fires and result.change == -100


# ---------------------------------------------------------------------------------------------
# readings of the counts


def test_s47_duplicates_on_la_child_id_and_start_date_are_removed(measure):
    counts = measure(make_return(
        # the same enquiry twice in one episode, and again in a second episode: counted once
        child(episode(s47(start="2024-06-05"), s47(start="2024-06-05")),
              episode(s47(start="2024-06-05"), ref="2024-07-01"), id="C1"),
        # a second record with the same LAchildID (the DfE's errors aside): still the same key
        child(episode(s47(start="2024-06-05")), id="C1"),
        # another child on the same day, and the first child on another day: both count
        child(episode(s47(start="2024-06-05"), s47(start="2024-06-06")), id="C2"),
    ))
    assert counts["s47_enquiries"] == 3


def test_s47_ids_compare_as_written_and_missing_ids_compare_as_one(measure):
    counts = measure(make_return(
        child(episode(s47(start="2024-06-05")), id="c1"),
        child(episode(s47(start="2024-06-05")), id="C1"),  # case matters: another child
        child(episode(s47(start="2024-06-05")), id=None),
        child(episode(s47(start="2024-06-05")), id=None),  # no ID twice: one key, as DISTINCT
    ))
    assert counts["s47_enquiries"] == 3


def test_s47_counts_only_valid_start_dates_within_the_period(measure):
    counts = measure(make_return(child(episode(
        s47(start="2024-04-01"), s47(start="2025-03-31"),  # both ends of the period count
        s47(start="2024-03-31"), s47(start="2025-04-01"),  # outside
        s47(start=None), s47(start="31/05/2024")))))  # absent, invalid
    assert counts["s47_enquiries"] == 2


def test_cpp_open_at_the_reference_date_edges(measure):
    counts = measure(make_return(child(episode(
        cpp(start="2024-07-01", end="2025-03-31"),  # ends on the ReferenceDate: ended, not open
        cpp(start="2024-07-01", end="2025-04-01"),  # ends after it: open
        cpp(start="2025-03-31", end=None),  # starts on the ReferenceDate: open
        cpp(start="2025-04-01", end=None),  # starts after it: not open
        cpp(start=None, end=None),  # no start date: not counted
        cpp(start="2022-01-01", end="2030-01-01"),  # started years ago, end far ahead: open
        cpp(start="2024-07-01", end="31/12/2024"),  # an invalid end date is absent: open
    ))))
    assert counts["cpp_open"] == 4


def test_cpp_open_reading_function():
    from datetime import date
    from cin_validate.model import ProtectionPlan
    ref = date(2025, 3, 31)
    assert not yony.cpp_open_at(ProtectionPlan(start_date=date(2024, 7, 1), end_date=ref), ref)
    assert yony.cpp_open_at(ProtectionPlan(start_date=ref), ref)
    assert not yony.cpp_open_at(ProtectionPlan(start_date=date(2025, 4, 1)), ref)
    assert not yony.cpp_open_at(ProtectionPlan(), ref)


def test_cpps_starting_and_ending_in_the_year(measure):
    counts = measure(make_return(child(episode(
        cpp(start="2024-04-01", end="2025-03-31"),  # starts and ends in the year: both
        cpp(start="2024-03-31", end="2024-04-01"),  # starts before, ends in: ended only
        cpp(start="2025-03-31", end=None),  # starts on the last day: started only (and open)
        cpp(start="2023-01-01", end="2024-03-31"),  # both before: neither
        cpp(start="2024-05-01", end="2025-04-01"),  # ends after the year: started only
        cpp(start="2024-13-01", end="2024-02-30"),  # invalid dates: neither
    ))))
    assert (counts["cpp_started"], counts["cpp_ended"], counts["cpp_open"]) == (3, 2, 2)


def test_referrals_and_assessments(measure):
    counts = measure(make_return(
        child(episode(assessment(auth="2024-04-01"), assessment(auth="2025-03-31"),
                      assessment(auth=None), assessment(auth="2024-03-31"),
                      assessment(start="2025-03-01", auth="2025-04-01"), ref="2024-04-01"),
              episode(assessment(auth="2025-02-30"), ref="2025-03-31"), id="C1"),
        child(episode("", ref="2024-03-31"), episode("", ref="2025-04-01"),
              episode("", ref=None), id="C2"),
        child(episode("", ref="2024-06-03"), episode("", ref="2024-06-03"), id="C3"),  # no dedupe
    ))
    assert counts["referrals"] == 4  # C1's two, and C3's two on the same day
    assert counts["assessments_authorised"] == 2  # 2024-04-01 and 2025-03-31
    assert counts["children"] == 3


def test_every_child_record_counts_whatever_it_holds(measure):
    counts = measure(make_return(child(id="C1"), child("", id=None),
                                 child(id="C1", extra="<Unknown/>")))
    assert counts["children"] == 3


def test_each_return_is_counted_over_its_own_census_period(write):
    xml = make_return(child(episode(assessment(auth="2024-03-31"), ref="2023-04-01")),
                      reference_date="2024-03-31", year="2024")
    measures = yony.measure_file(write(xml))
    assert (measures.period_start.isoformat(), measures.period_end.isoformat()) == (
        "2023-04-01", "2024-03-31")
    assert measures.counts["referrals"] == 1 and measures.counts["assessments_authorised"] == 1
    # the same dates in a 2024-25 return are outside its period
    same = yony.measure_file(write(xml.replace("2024-03-31</ReferenceDate>",
                                               "2025-03-31</ReferenceDate>")))
    assert same.counts["referrals"] == 0 and same.counts["assessments_authorised"] == 0


def test_absent_or_invalid_reference_date_counts_over_2024_25(write):
    xml = make_return(child(episode(ref="2024-04-01")), reference_date="31/03/2024")
    measures = yony.measure_file(write(xml))
    assert measures.reference_date == "31/03/2024"
    assert measures.effective_reference_date.isoformat() == "2025-03-31"
    assert measures.counts["referrals"] == 1


def test_structural_problems_do_not_stop_the_count(write):
    xml = make_return(child(episode(ref="2024-13-45"), id="C1",
                            extra="<GenderCurrent>1</GenderCurrent>"), child(id="C2"))
    measures = yony.measure_file(write(xml))
    assert measures.counts["children"] == 2 and measures.counts["referrals"] == 1
    assert measures.structural_notices == 2


def test_same_measures_from_the_validation_pass_and_from_measure_file(write):
    path = write(year_return(2025, referrals=3, assessments=2, s47s=4, cpp_open=1,
                             cpp_started=2, cpp_ended=5))
    last = yony.measure_file(write(year_return(2024)))
    report = validate_file(path, previous=last)
    assert report.year_on_year.this == yony.measure_file(path)
    assert report.year_on_year.last is last


# ---------------------------------------------------------------------------------------------
# catalogue


def guide_table() -> tuple[dict[str, str], dict[str, str]]:
    """Descriptions and automatic OK messages of section 1.10, read straight from the guide."""
    text = GUIDE.read_text(encoding="utf-8")
    start = text.rindex("\n1.10 Year on year checks\n")  # the section, not the contents
    section = text[start:text.index("\n1.11 General notes", start)]
    descriptions, notes = {}, {}
    for line in section.split("\n"):
        cells = line.split("\t")
        if re.fullmatch(r"YonY 0[1-7]", cells[0]):
            (descriptions if len(cells) == 3 else notes)[cells[0]] = cells[1]
    return descriptions, notes


def test_catalogue_holds_the_seven_checks_apart_from_the_109_rules():
    rules = catalogue.yony_rules()
    assert list(rules) == CODES
    assert len(years.default().rules) == 109  # the spec's count, kept here as an oracle on purpose
    assert not set(rules) & set(years.default().rules)
    for code, info in rules.items():
        assert info.severity == "query" and yony.is_year_on_year(code)
        assert info.threshold == (15 if code == "YonY 01" else 25)
        assert "Reading:" in info.summary and info.instance
    assert [m.code for m in yony.MEASURES] == CODES


def test_the_yony_05_reading_is_written_in_the_catalogue():
    summary = catalogue.yony_rules()["YonY 05"].summary
    assert "A plan ending on the ReferenceDate itself has ended and is not open" in summary
    assert "no valid CPPendDate or one after the ReferenceDate" in summary


@need_guide
def test_messages_and_notes_equal_the_guide_character_for_character():
    descriptions, notes = guide_table()
    assert sorted(descriptions) == sorted(notes) == CODES
    for code, info in catalogue.yony_rules().items():
        assert info.message == descriptions[code], code
        assert info.auto_ok_note == notes[code], code


@pytest.mark.parametrize("spelling", ["YonY 03", "YONY03", "yony 3", "yony03", " YonY03 ",
                                      "YONY 03"])
def test_lookup_accepts_the_spellings(spelling):
    assert years.lookup(spelling).code == "YonY 03"
    assert catalogue.yony_code(spelling) == "YonY 03"


def test_lookup_of_unknown_codes():
    assert years.lookup("YonY 08") is None
    assert years.lookup("yony") is None
    assert years.lookup("8670Q").code == "8670Q"


@pytest.mark.parametrize("spelling", ["YonY 03", "YONY03", "yony 3", "yony03"])
def test_explain_accepts_the_spellings(spelling):
    result = CliRunner().invoke(main, ["explain", spelling])
    assert result.exit_code == 0, result.output
    assert "YonY 03" in result.output and "Number of assessments" in result.output
    assert "25% or more" in result.output
    assert "The validation YonY 03 has been reviewed" in result.output


def test_rules_lists_the_checks_in_their_own_section_and_keeps_the_109():
    result = CliRunner().invoke(main, ["rules"])
    assert result.exit_code == 0
    head, _, section = result.output.partition("Year-on-year checks")
    assert f"of {len(years.default().rules)} rules checked" in head and "YonY" not in head
    for code in CODES:
        assert code in section


# ---------------------------------------------------------------------------------------------
# the command line


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def pair(write):
    """Last year: 20 children, 8 S47s; this year: 23 children (+15%), 10 S47s (+25%)."""
    last = write(year_return(2024, s47s=8, cpp_open=4), "last-year.xml")
    this = write(year_return(2025, children=23, s47s=10, cpp_open=4), "return.xml")
    return this, last


def test_previous_file_and_previous_counts_give_the_same_result(pair, tmp_path):
    this, last = pair
    counts = tmp_path / "last-counts.json"
    assert run("stats", last, "--format", "json", "--output", counts).exit_code == 0
    by_file = run(this, "--previous", last, "--format", "json")
    by_counts = run(this, "--previous-counts", counts, "--format", "json")
    assert by_file.exit_code == by_counts.exit_code
    a, b = json.loads(by_file.stdout), json.loads(by_counts.stdout)
    assert a["year_on_year"] == b["year_on_year"]
    assert a["issues"] == b["issues"] and a["notes"] == b["notes"]
    assert a["year_on_year_measures"]["last"]["measures"] == b["year_on_year_measures"]["last"][
        "measures"]
    fired = [r["code"] for r in a["year_on_year"] if r["fires"]]
    assert fired == ["YonY 01", "YonY 04"]
    # the same with `notes`
    assert (run("notes", this, "--previous", last).stdout
            == run("notes", this, "--previous-counts", counts).stdout)


def test_json_report_holds_all_seven_results(pair):
    this, last = pair
    data = json.loads(run(this, "--previous", last, "--format", "json").stdout)
    results = data["year_on_year"]
    assert [r["code"] for r in results] == CODES
    for r in results:
        assert set(r) >= {"code", "last", "this", "change_percent", "threshold_percent", "fires",
                          "reason"}
    first = results[0]
    assert (first["last"], first["this"], first["change_percent"], first["threshold_percent"],
            first["fires"]) == (20, 23, 15.0, 15, True)
    assert results[4]["fires"] is False and results[4]["change_percent"] == 0.0
    issues = [i for i in data["issues"] if i["code"].startswith("YonY")]
    assert [i["code"] for i in issues] == ["YonY 01", "YonY 04"]
    for issue in issues:
        assert issue["severity"] == "query" and issue["child_id"] is None
        assert issue["child_index"] is None and issue["locations"] == []
    assert issues[0]["detail"].startswith("last year 20, this year 23: change +15.00%, "
                                          "threshold 15%")
    assert data["summary"]["queries"] == sum(i["severity"] == "query" for i in data["issues"])
    # return-level issues still come before the children's
    indexes = [i["child_index"] or 0 for i in data["issues"]]
    assert indexes == sorted(indexes)


def test_json_report_without_previous_has_an_empty_list(pair):
    data = json.loads(run(pair[0], "--format", "json").stdout)
    assert data["year_on_year"] == [] and data["year_on_year_measures"] is None


def test_notes_text_is_exact(pair):
    this, last = pair
    result = run("notes", this, "--previous", last)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[-2:] == [
        "The validation YonY 01 has been reviewed and the decrease in number of child records "
        "from the previous return to this is as expected",
        "The validation YonY 04 has been reviewed and the change in S47 enquiries from the "
        "previous return to this is as expected",
    ]
    report_notes = json.loads(run(this, "--previous", last, "--format", "json").stdout)["notes"]
    assert report_notes[-2:] == lines[-2:]


def test_yony_queries_never_change_the_exit_code(pair):
    this, last = pair
    without = run(this)
    with_previous = run(this, "--previous", last)
    assert with_previous.exit_code == without.exit_code
    data = json.loads(run(this, "--previous", last, "--format", "json").stdout)
    errors = [i for i in data["issues"] if i["severity"] == "error"]
    assert with_previous.exit_code == (1 if errors else 0)
    assert not any(i["code"].startswith("YonY") for i in errors)


def test_terminal_report_shows_the_table_of_all_seven(pair):
    this, last = pair
    out = run(this, "--previous", last).stdout
    assert "Year-on-year checks against" in out
    for code in CODES:
        assert code in out
    row = next(line for line in out.splitlines() if line.strip().startswith("YonY 01")
               and "Child records" in line)
    assert re.search(r"20\s+23\s+\+15\.00%\s+15%\s+query", row)
    assert "The validation YonY 04 has been reviewed" in out


def test_previous_file_that_cannot_be_read_is_one_line_and_exit_2(pair, write):
    this, _ = pair
    broken = write('<?xml version="1.0"?><Message><Header>', "broken.xml")
    result = run(this, "--previous", broken)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("cin-validate: error: --previous ")
    assert "broken.xml" in result.stderr
    assert run("notes", this, "--previous", broken).exit_code == 2
    assert run(this, "--previous", "no-such-file.xml").exit_code == 2


def test_bad_previous_counts_are_one_line_and_exit_2(pair, write):
    this, last = pair
    for text in ("not json", "[]", '{"measures": {"children": 1}}',
                 '{"measures": {"children": -1, "referrals": 0, "assessments_authorised": 0, '
                 '"s47_enquiries": 0, "cpp_open": 0, "cpp_started": 0, "cpp_ended": 0}, '
                 '"period_end": "2024-03-31"}'):
        bad = write(text, "bad.json")
        result = run(this, "--previous-counts", bad)
        assert result.exit_code == 2, text
        assert result.stderr.count("\n") == 1 and "--previous-counts" in result.stderr
    assert run(this, "--previous", last, "--previous-counts", last).exit_code == 2


def test_previous_file_with_structural_problems_still_counts(pair, write):
    this, _ = pair
    messy = write(year_return(2024, s47s=8).replace("<Children>", "<Children><Junk/>", 1)
                  .replace("2022-06-03", "03/06/2022"), "messy.xml")
    result = run(this, "--previous", messy, "--format", "json")
    assert result.exit_code in (0, 1)
    data = json.loads(result.stdout)
    assert data["year_on_year"][0]["last"] == 20 and data["year_on_year"][3]["last"] == 8
    assert data["year_on_year_measures"]["last"]["structural_notices"] > 0


def test_warnings_when_last_year_is_not_the_year_before_or_another_la(write):
    this = yony.measure_file(write(year_return(2025)))
    two_years_before = yony.measure_file(write(year_return(2023, la="202")))
    warnings = yony.compare(this, two_years_before).warnings
    assert any("LA 202" in w for w in warnings)
    assert any("counted to 2023-03-31, not to 2024-03-31" in w for w in warnings)
    assert yony.compare(this, yony.measure_file(write(year_return(2024)))).warnings == ()


# ---------------------------------------------------------------------------------------------
# stats


def test_stats_agrees_with_a_hand_count():
    # tests/data/yony-small.xml, 2024-25 (2024-04-01 to 2025-03-31), counted by hand:
    # children 5: A1..A5.
    # referrals 3: A1 2024-05-10, A3 2025-03-31 (last day), A5 2024-10-10; not A1's 2023-11-02,
    #   A2's 2023-09-15 or A4's 2025-04-01.
    # assessments authorised 2: A1 2024-06-20, A2 2024-04-01 (first day); not A1's 2023-12-10,
    #   A2's open one, or A4's invalid 2025-02-30.
    # S47 enquiries 2: A1 2024-05-12 (written twice: one), A3 2025-03-31; not A3's 2024-03-31.
    # CPPs open at 2025-03-31 2: A1 (from 2024-06-01, no end), A3 (from 2025-03-31); not A2's
    #   plan ending 2025-03-31, A2's ended 2024-12-01 or A5's ended 2024-03-31.
    # CPPs starting 3: A1 2024-06-01, A2 2024-04-01, A3 2025-03-31; not A2's 2023-10-01 or A5's.
    # CPPs ending 2: A2 2025-03-31 and 2024-12-01; not A5's 2024-03-31.
    # structural notices 1: A4's AssessmentAuthorisationDate 2025-02-30.
    result = run("stats", DATA / "yony-small.xml", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["measures"] == {"children": 5, "referrals": 3, "assessments_authorised": 2,
                                "s47_enquiries": 2, "cpp_open": 2, "cpp_started": 3,
                                "cpp_ended": 2}
    assert data["structural_notices"] == 1
    assert (data["la"], data["reference_date"], data["period_start"], data["period_end"]) == (
        "201", "2025-03-31", "2024-04-01", "2025-03-31")
    assert data["file"].endswith("yony-small.xml")
    assert data["checks"]["cpp_open"] == "YonY 05"


def test_stats_terminal_table():
    result = run("stats", DATA / "yony-small.xml")
    assert result.exit_code == 0
    out = result.stdout
    assert "2024-04-01 to 2025-03-31" in out
    row = next(line for line in out.splitlines() if line.strip().startswith("YonY 06"))
    assert row.split()[-2:] == ["cpp_started", "3"]


def test_stats_of_a_file_that_cannot_be_read(write):
    result = run("stats", write("<NotAReturn/>"))
    assert result.exit_code == 2 and result.stderr.count("\n") == 1


def test_stats_json_round_trips_through_previous_counts(tmp_path):
    out = tmp_path / "counts.json"
    assert run("stats", DATA / "yony-small.xml", "--format", "json", "-o", out).exit_code == 0
    assert yony.load_counts(out) == yony.measure_file(DATA / "yony-small.xml")


# Counted by hand (problems.xml) and by grep/awk over the text (clean.xml), not by cin-validate:
# examples/problems.xml (2024-25): 8 children C001..C008, each one episode referred in the year
#   (2024-06-03, C007 2024-09-02): referrals 8. Assessments authorised in the year 5: C001,
#   C002, C003, C005 (2024-07-01) and C006 (2025-02-20); C008's "31/07/2024" is not a date,
#   C004 and C007 have none. One S47 (C005, 2025-02-03). No child protection plan.
# examples/clean.xml (2024-25): 40 children; 44 CINreferralDate, 35 of them in the year; 42
#   AssessmentAuthorisationDate, all in the year; 15 S47ActualStartDate, all in the year, no
#   (LAchildID, date) twice; 13 plans: 9 open at 2025-03-31, 10 starting and 4 ending in the year.
EXAMPLE_COUNTS = {
    "problems.xml": {"children": 8, "referrals": 8, "assessments_authorised": 5,
                     "s47_enquiries": 1, "cpp_open": 0, "cpp_started": 0, "cpp_ended": 0},
    "clean.xml": {"children": 40, "referrals": 35, "assessments_authorised": 42,
                  "s47_enquiries": 15, "cpp_open": 9, "cpp_started": 10, "cpp_ended": 4},
}


@pytest.mark.parametrize("name", sorted(EXAMPLE_COUNTS))
def test_stats_agrees_with_a_hand_count_on_the_shipped_examples(name):
    path = ROOT / "examples" / name
    if not path.is_file():
        pytest.skip(f"examples/{name} is not shipped")
    result = run("stats", path, "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["measures"] == EXAMPLE_COUNTS[name]


def test_validate_file_with_previous_is_the_cli_in_one_call(pair):
    this, last = pair
    report = validate_file(this, previous=yony.measure_file(last))
    data = json.loads(run(this, "--previous", last, "--format", "json").stdout)
    assert report.to_dict()["year_on_year"] == data["year_on_year"]
    assert report.notes == data["notes"]


def test_ignore_removes_yony_queries_and_notes_but_keeps_every_result(pair):
    this, last = pair
    everything = json.loads(run(this, "--previous", last, "--format", "json").stdout)
    fired = {i["code"] for i in everything["issues"] if i["code"].startswith("YonY")}
    assert fired == {"YonY 01", "YonY 04"}
    ignored = json.loads(run(this, "--previous", last, "--ignore", "YonY 04",
                             "--format", "json").stdout)
    assert {i["code"] for i in ignored["issues"] if i["code"].startswith("YonY")} == {"YonY 01"}
    assert not any(note.startswith("The validation YonY 04") for note in ignored["notes"])
    assert any(note.startswith("The validation YonY 01") for note in ignored["notes"])
    assert len(ignored["year_on_year"]) == 7


def test_the_verdict_says_why_year_on_year_queries_did_not_fail_it(write):
    """"2 queries ... PASS: no errors or queries" read as a contradiction."""
    last = write(year_return(2024), "last-year.xml")
    this = write(year_return(2025, children=23), "return.xml")  # YonY 01: 15% more children
    result = run(this, "--previous", last, "-q")
    assert result.exit_code == 0, result.stdout
    assert "PASS: no errors (year-on-year queries never fail a run)" in result.stdout
    assert "year-on-year" not in run(this, "-q").stdout
