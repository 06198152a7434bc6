"""The seeded, streaming generator of synthetic returns (cin_validate.synthetic), in each year."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess
import sys
import tracemalloc
from collections import Counter
from itertools import islice

import pytest
from builders import upn_check_letter  # the tests' own rule-1510 oracle, not the module's
from click.testing import CliRunner
from lxml import etree
from test_years import TABLE  # years.md's table of dates, as the spec writes them

from cin_validate import synthetic, years
from cin_validate.cli import main as cin_validate
from cin_validate.engine import validate_file
from cin_validate.synthetic import FAULTS, faults_of, iter_return, write_return
from cin_validate.synthetic.codes import Codes, Weighted, weighted_codes

YEARS = list(years.held())
MODULE5 = "2026-27"
D = dt.date.fromisoformat
ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
DATE_TAGS = {
    "PersonBirthDate", "ExpectedPersonBirthDate", "CINreferralDate", "CINclosureDate",
    "AssessmentActualStartDate", "AssessmentAuthorisationDate", "CINPlanStartDate",
    "CINPlanEndDate", "S47ActualStartDate", "InitialCPCtarget", "DateOfInitialCPC",
    "CPPstartDate", "CPPendDate", "CPPreviewDate", "ReferenceDate", "PPStartDate",
    "LBPSentDate", "InitialPPMeetingDate", "StepDecisionDate", "CourtAppDate",
    "LetterInitCPDate",
}
# Where each written code comes from: element -> the collection's code set.
CODE_SETS = {
    "Sex": "sex", "Ethnicity": "ethnicity", "Disability": "disability",
    "UPNunknown": "upn-unknown", "ReferralSource": "referral-source",
    "PrimaryNeedCode": "primary-need", "ReasonForClosure": "reason-for-closure",
    "AssessmentFactors": "assessment-factors", "InitialCategoryOfAbuse": "category-of-abuse",
    "LatestCategoryOfAbuse": "category-of-abuse", "PPOutcome": "pre-proceedings-outcome",
    "LEA": "la-codes",
}


def build(children: int, **kwargs) -> bytes:
    buffer = io.BytesIO()
    write_return(buffer, children, **kwargs)
    return buffer.getvalue()


def date(text: str | None) -> dt.date | None:
    return D(text) if text else None


def dates_of(year: str) -> tuple[dt.date, dt.date, dt.date, dt.date]:
    """(census start, ReferenceDate, 8670Q cut-off, 8675Q cut-off) as years.md gives them."""
    _header_year, reference, start, cut_8670q, cut_8675q, *_ = TABLE[year]
    return D(start), D(reference), D(cut_8670q), D(cut_8675q)


@pytest.fixture(scope="module", params=YEARS)
def clean(request):
    """(year, root) of a clean 3,000-child return of each year."""
    return request.param, etree.fromstring(build(3000, seed=42, year=request.param))


# -- the header names the year ------------------------------------------------------------------

@pytest.mark.parametrize("year", YEARS)
def test_the_header_names_the_collection_year(year):
    blob = build(30, seed=1, year=year)
    assert blob.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<Message>')
    root = etree.fromstring(blob)
    header_year, reference, *_ = TABLE[year]
    assert root.findtext("Header/CollectionDetails/Year") == header_year
    assert root.findtext("Header/CollectionDetails/ReferenceDate") == reference
    assert root.findtext("Header/CollectionDetails/Collection") == "CIN"
    assert root.findtext("Header/Source/LEA") == "201"
    assert len(root.findall("Children/Child")) == 30
    assert b"\n    <Child>\n      <ChildIdentifiers>\n" in blob  # indented


def test_the_default_year_is_the_tools_default():
    assert build(5, seed=1) == build(5, seed=1, year=years.default().year)


@pytest.mark.parametrize("children", [0, 1, 2, 7])
def test_small_returns_parse(children):
    root = etree.fromstring(build(children, seed=3, year=MODULE5))
    assert len(root.findall("Children/Child")) == children


def test_the_la_is_the_headers_and_most_upns():
    root = etree.fromstring(build(200, seed=1, la="942"))
    assert root.findtext("Header/Source/LEA") == "942"
    las = Counter(upn.text[1:4] for upn in root.iter("UPN"))
    assert las.most_common(1)[0][0] == "942"
    assert len(las) > 5  # some children have a UPN from another LA


@pytest.mark.parametrize("argument, value", [("la", "999"), ("year", "2030-31"),
                                             ("children", -1), ("problems", 1.5)])
def test_bad_arguments_are_refused(argument, value):
    with pytest.raises(ValueError):
        build(**{"children": 3, argument: value})


# -- determinism --------------------------------------------------------------------------------

def test_same_seed_gives_identical_bytes_and_another_seed_differs():
    first = build(2000, seed=42, year=MODULE5)
    assert build(2000, seed=42, year=MODULE5) == first
    assert build(2000, seed=43, year=MODULE5) != first


def test_same_seed_gives_identical_bytes_in_processes_with_different_hash_seeds(tmp_path):
    """Code sets are frozensets elsewhere: the generator must never depend on set order."""
    outputs = []
    for hash_seed in ("1", "2"):
        target = tmp_path / f"run-{hash_seed}.xml"
        subprocess.run([sys.executable, "-m", "cin_validate.synthetic", "--children", "300",
                        "--seed", "5", "--year", MODULE5, "--problems", "0.1", "-o", str(target)],
                       check=True, env={**os.environ, "PYTHONHASHSEED": hash_seed})
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1] == build(300, seed=5, year=MODULE5, problems=0.1)


def test_problems_are_deterministic_and_only_touch_faulted_children():
    faulty = build(2000, seed=5, year=MODULE5, problems=0.2)
    assert build(2000, seed=5, year=MODULE5, problems=0.2) == faulty
    clean = build(2000, seed=5, year=MODULE5)

    def children(blob):
        return [etree.tostring(c) for c in etree.fromstring(blob).iter("Child")]

    recorded: dict[str, str] = {}
    for _ in iter_return(2000, seed=5, year=MODULE5, problems=0.2, faults=recorded):
        pass
    assert 250 <= len(recorded) <= 550  # about 20% of 2000
    for before, after in zip(children(clean), children(faulty)):
        child_id = etree.fromstring(before).findtext("ChildIdentifiers/LAchildID")
        assert (before != after) == (child_id in recorded), child_id


# -- identifiers --------------------------------------------------------------------------------

def test_every_la_child_id_is_unique_and_well_formed(clean):
    _year, root = clean
    ids = [el.text for el in root.iter("LAchildID")]
    assert len(ids) == 3000 and len(set(ids)) == len(ids)
    assert ids[0] == "DfEX0000001"
    assert all(re.fullmatch(r"[A-Za-z0-9]{1,20}", child_id) for child_id in ids)


def test_every_upn_is_unique_with_a_correct_check_letter_and_a_known_la(clean):
    year, root = clean
    upns = [el.text for el in root.iter("UPN")]
    assert len(upns) > 1500
    assert len(set(upns)) == len(upns)  # 1520
    la_codes = years.get(year).codes["upn-la-codes"]
    for upn in upns:
        assert re.fullmatch(r"[A-Z]\d{12}", upn), upn
        assert upn[1:4] in la_codes, upn
        assert upn[0] == upn_check_letter(upn[1:]), upn
    formers = [el.text for el in root.iter("FormerUPN")]
    assert formers
    for former in formers:
        assert re.fullmatch(r"[A-Z]\d{11}[A-Z]", former)  # a temporary UPN
        assert former[0] == upn_check_letter(former[1:])


def test_school_age_children_have_a_upn_or_a_reason(clean):
    year, root = clean
    school_age_born_by = dt.date(D(TABLE[year][1]).year - 6, 8, 31)
    reasons = Counter()
    for child in root.iter("Child"):
        ids = child.find("ChildIdentifiers")
        born = date(ids.findtext("PersonBirthDate"))
        if born and born <= school_age_born_by and ids.find("UPN") is None:
            reasons[ids.findtext("UPNunknown")] += 1
    assert reasons and set(reasons) <= {"UN2", "UN3", "UN4", "UN5", "UN6"}


# -- codes come from the collection's code sets -------------------------------------------------

@pytest.mark.parametrize("year", YEARS)
def test_every_code_written_is_in_the_years_code_set(year):
    collection = years.get(year)
    root = etree.fromstring(build(3000, seed=7, year=year, problems=0.0))
    used: dict[str, set[str]] = {}
    for tag, codeset in CODE_SETS.items():
        for el in root.iter(tag):
            used.setdefault(codeset, set()).add(el.text)
    for codeset, codes in used.items():
        assert codes <= collection.codes[codeset], (codeset, codes - collection.codes[codeset])
    assert {upn.text[1:4] for upn in root.iter("UPN")} <= collection.codes["upn-la-codes"]
    for codeset, codes in used.items():  # ... and varied, not one safe code each
        assert codeset == "la-codes" or len(codes) >= 3, (codeset, codes)
    assert ("pre-proceedings-outcome" in used) == (year == MODULE5)


@pytest.mark.parametrize("year", YEARS)
def test_every_weighted_code_is_in_the_years_code_set_and_can_be_drawn(year):
    """The weights are data keyed by code; a year that lacks a weighted code stops the
    generator at once (see the next test), and no weight is too small to be drawn."""
    codes = Codes(years.get(year), seed=1)
    for name in ("sex", "ethnicity", "referral_source", "primary_need", "category_of_abuse",
                 "reason_for_closure", "reason_after_assessment", "school_age_upn_unknown"):
        table = getattr(codes, name)
        assert isinstance(table, Weighted) and len(table.values) >= 2, name
    from cin_validate.synthetic import codes as weights

    assert codes.ethnicity.values == set(weights.ETHNICITY)
    assert codes.referral_source.values == set(weights.REFERRAL_SOURCE)
    assert codes.reason_for_closure.values == set(weights.REASON_FOR_CLOSURE)
    assert {code for factors in codes.factor_sets for code in factors} == set(
        weights.ASSESSMENT_FACTORS)
    assert (codes.pre_proceedings_outcome is not None) == (year == MODULE5)


def test_a_weight_for_a_code_the_year_lacks_is_refused():
    with pytest.raises(ValueError, match="ethnicity of 2024-25 has no code WHIT"):
        weighted_codes(years.get("2024-25"), "ethnicity", {"WBRI": 5, "WHIT": 1})


# -- clean: the census timeline -----------------------------------------------------------------
# A compact, independent check of what the generator promises; the DfE rules themselves are run
# by the engine in test_a_clean_return_fires_no_error_and_no_query.

def test_clean_return_respects_the_census_timeline(clean):
    year, root = clean
    start, end, open_assessment_cut_off, open_enquiry_cut_off = dates_of(year)
    day = dt.timedelta(days=1)
    for el in root.iter(*DATE_TAGS):
        assert ISO.fullmatch(el.text), el.text
        date(el.text)  # a real calendar date
    distinct_disabilities = set()
    multiple = open_assessments = open_enquiries = 0
    for child in root.iter("Child"):
        ids = child.find("ChildIdentifiers")
        born = date(ids.findtext("PersonBirthDate"))
        due = date(ids.findtext("ExpectedPersonBirthDate"))
        assert (born is None) != (due is None)
        if born:
            assert end - dt.timedelta(days=18 * 365) < born <= end
            assert ids.findtext("Sex") in {"M", "F"}
            codes = [d.text for d in child.iter("Disability")]
            assert codes and len(set(codes)) == len(codes)
            assert codes == ["NONE"] or "NONE" not in codes
            distinct_disabilities.update(c for c in codes if c != "NONE")
            multiple += len(codes) >= 2
        else:
            assert ids.findtext("Sex") == "U"
            assert end + 7 * day <= due <= end + 180 * day
        episodes = child.findall("CINdetails")
        assert 1 <= len(episodes) <= 2
        spans = []
        for ep in episodes:
            ref = date(ep.findtext("CINreferralDate"))
            close = date(ep.findtext("CINclosureDate"))
            assert ep.findtext("ReferralNFA") == "false"
            assert ep.findtext("PrimaryNeedCode") and ep.findtext("ReferralSource")
            assert ref <= end and (born is None or ref >= born)
            assert (close is None) == (ep.find("ReasonForClosure") is None)
            if close:
                assert start <= close <= end and close >= ref
                assert ep.findtext("ReasonForClosure") != "RC2"
            spans.append((ref, close or end))
            assessments = ep.findall("Assessments")
            if ep.findall("Section47"):
                assert assessments  # 2991Q
            if ep.findtext("ReasonForClosure") in {"RC8", "RC9"}:
                assert assessments and not ep.findall("Section47")
                assert not ep.findall("CINPlanDates") and not ep.findall("ChildProtectionPlans")
            last_end = None
            for a in assessments:
                began = date(a.findtext("AssessmentActualStartDate"))
                auth = date(a.findtext("AssessmentAuthorisationDate"))
                factors = [f.text for f in a.iter("AssessmentFactors")]
                assert began >= ref and (last_end is None or began > last_end)
                if auth is None:
                    assert close is None and not factors
                    assert began >= open_assessment_cut_off  # 8670Q, from the calendar
                    open_assessments += 1
                    last_end = end
                else:
                    assert began <= auth and start <= auth <= end and factors
                    assert factors == ["21"] or "21" not in factors
                    assert close is None or auth <= close
                    last_end = auth
            for s in ep.findall("Section47"):
                began = date(s.findtext("S47ActualStartDate"))
                conference = date(s.findtext("DateOfInitialCPC"))
                not_required = s.findtext("ICPCnotRequired")
                assert began >= ref
                if conference:
                    assert began <= conference and start <= conference <= end
                    assert conference.weekday() < 5 and not_required == "false"
                elif not_required == "false":  # waiting for its conference: not yet due
                    assert close is None and began >= open_enquiry_cut_off  # 8675Q
                    open_enquiries += 1
                target = date(s.findtext("InitialCPCtarget"))
                assert target is None or target.weekday() < 5
            conferences = {date(s.findtext("DateOfInitialCPC")) for s in ep.findall("Section47")}
            for p in ep.findall("ChildProtectionPlans"):
                began, ended = date(p.findtext("CPPstartDate")), date(p.findtext("CPPendDate"))
                assert began >= ref
                if began >= start:
                    assert began in conferences  # 2885
                if ended:
                    assert began < ended and start <= ended <= end
                    assert close is None or ended <= close
                else:
                    assert close is None
                for review in p.iter("CPPreviewDate"):
                    assert began < date(review.text) < (ended or end + day)
        spans.sort()
        for (_, first_end), (second_ref, _) in zip(spans, spans[1:]):
            assert second_ref > first_end  # episodes never overlap
        # CIN plans and CP plans of a child never touch or overlap (4014, 4016, 4017, 8940)
        plans = []
        for tag, start_tag, end_tag in (("CINPlanDates", "CINPlanStartDate", "CINPlanEndDate"),
                                        ("ChildProtectionPlans", "CPPstartDate", "CPPendDate")):
            for plan in child.iter(tag):
                began, ended = date(plan.findtext(start_tag)), date(plan.findtext(end_tag))
                assert ended is None or (began < ended and start <= ended <= end)
                plans.append((began, ended or end))
        plans.sort()
        for (_, first_end), (second_start, _) in zip(plans, plans[1:]):
            assert second_start > first_end
    assert len(distinct_disabilities) >= 8 and multiple  # 2887Q, 2888Q
    assert open_assessments > 10 and open_enquiries > 10  # the cut-offs were put to use


def test_a_one_child_return_still_uses_eight_disability_codes():
    root = etree.fromstring(build(1, seed=9))
    codes = {d.text for d in root.iter("Disability")}
    assert len(codes - {"NONE"}) >= 8


# -- module 5 (2026-27): pre-proceedings groups -------------------------------------------------

def test_some_children_have_one_or_two_pre_proceedings_groups_in_2026_27_only(clean):
    year, root = clean
    groups = Counter(len(child.findall("CINdetails/PreProceedingsandFGDM"))
                     for child in root.iter("Child"))
    if year != MODULE5:
        assert groups == {0: 3000}
        return
    assert set(groups) == {0, 1, 2}
    assert groups[0] > groups[1] > groups[2] > 10
    first = root.find("Children/Child")
    assert first.findall("CINdetails/PreProceedingsandFGDM")  # 8995Q, however small the return


@pytest.mark.parametrize("children", [1, 2])
def test_the_first_child_of_a_2026_27_return_has_pre_proceedings(children):
    root = etree.fromstring(build(children, seed=11, year=MODULE5))
    assert root.find("Children/Child/CINdetails/PreProceedingsandFGDM/PPStartDate") is not None


def test_pre_proceedings_steps_follow_each_other_inside_the_year_and_the_episode():
    start, end, *_ = dates_of(MODULE5)
    root = etree.fromstring(build(3000, seed=12, year=MODULE5))
    order = ["PPStartDate", "LBPSentDate", "InitialPPMeetingDate", "StepDecisionDate",
             "CourtAppDate", "LetterInitCPDate"]
    seen = Counter()
    for ep in root.iter("CINdetails"):
        ref = date(ep.findtext("CINreferralDate"))
        close = date(ep.findtext("CINclosureDate")) or end
        for group in ep.findall("PreProceedingsandFGDM"):
            seen.update(el.tag for el in group)
            days = [date(group.findtext(tag)) for tag in order if group.find(tag) is not None]
            assert group.find("PPStartDate") is not None  # 9000Q
            assert days == sorted(days)  # 9006, 9009, 9012, 9013
            assert all(max(start, ref) <= day <= close for day in days)  # 9005-9013
            if group.find("LBPSentDate") is not None:
                assert group.findtext("FGDMMeetingOffer") in ("true", "false")  # 9007
            if group.findtext("FGDMMeetingOffer") == "true":
                assert group.findtext("FGDMMeetingFac") in ("true", "false")  # 9010Q
            if group.find("InitialPPMeetingDate") is not None:
                assert group.findtext("ReviewMeetingsCount").isdigit()  # 9015Q
            assert group.findtext("PPOutcome") in (None, "A", "B", "C")  # 9011
    assert min(seen[tag] for tag in order) > 20  # groups at every stage, some complete


# -- clean means clean, in every year -----------------------------------------------------------

@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("seed, children", [(1, 1), (2, 50), (3, 3000)])
def test_a_clean_return_fires_no_error_and_no_query(tmp_path, year, seed, children):
    path = tmp_path / "clean.xml"
    path.write_bytes(build(children, seed=seed, year=year))
    report = validate_file(path)  # no option: the header names the year
    assert report.collection.year == year
    codes = Counter(issue.code for issue in report.issues)
    assert (report.errors, report.queries, report.notices) == (0, 0, 0), codes
    assert len(report.rules_checked) == len(years.get(year).rules)


@pytest.mark.parametrize("year", YEARS)
def test_the_command_line_passes_a_clean_return_even_failing_on_queries(tmp_path, year):
    path = tmp_path / "clean.xml"
    path.write_bytes(build(300, seed=4, year=year))
    for options in ([], ["--fail-on", "query"]):
        result = CliRunner().invoke(cin_validate, [str(path), "--format", "json", *options])
        assert result.exit_code == 0, result.stdout


@pytest.mark.parametrize("year", YEARS)
def test_validated_as_another_year_the_reference_date_is_wrong(tmp_path, year):
    path = tmp_path / "clean.xml"
    path.write_bytes(build(50, seed=4, year=year))
    for other in YEARS:
        report = validate_file(path, year=other)
        assert ("100" in {issue.code for issue in report.issues}) == (other != year), other


# -- faults -------------------------------------------------------------------------------------

def test_module_5_faults_are_used_in_2026_27_only():
    module5 = {"9005", "9006", "9007", "9011", "9015Q"}
    assert module5 <= set(FAULTS.values())
    for year in YEARS:
        rules = set(faults_of(years.get(year)).values())
        assert rules & module5 == (module5 if year == MODULE5 else set()), year
        assert rules - module5 == set(FAULTS.values()) - module5


@pytest.mark.parametrize("year", YEARS)
def test_each_fault_triggers_its_rule(tmp_path, year):
    path = tmp_path / "faulty.xml"
    recorded: dict[str, str] = {}
    with open(path, "wb") as out:
        for chunk in iter_return(3000, seed=8, year=year, problems=0.4, faults=recorded):
            out.write(chunk)
    assert set(recorded.values()) == set(faults_of(years.get(year)))  # every kind occurs
    fired: dict[str, set[str]] = {}
    return_level = []
    for issue in validate_file(path).issues:
        if issue.child is None:
            return_level.append(issue.code)
        else:
            fired.setdefault(issue.child.la_child_id, set()).add(issue.code)
    assert return_level == []
    assert set(fired) == set(recorded)  # nobody else has an issue
    for child_id, fault in recorded.items():
        assert FAULTS[fault] in fired[child_id], (child_id, fault, fired[child_id])


# -- streaming ----------------------------------------------------------------------------------

class CountingSink:
    """A binary 'file' that keeps only counts."""

    def __init__(self) -> None:
        self.writes = 0
        self.size = 0
        self.largest = 0

    def write(self, data: bytes) -> int:
        assert isinstance(data, bytes)
        self.writes += 1
        self.size += len(data)
        self.largest = max(self.largest, len(data))
        return len(data)


def test_writes_one_chunk_per_child():
    sink = CountingSink()
    write_return(sink, 1000, seed=4, year=MODULE5)
    assert sink.writes == 1000 + 2  # header, one per child, footer
    assert sink.largest < 16_000


def test_memory_stays_flat_while_streaming():
    """After the first children, writing 10,000 more allocates nothing that stays: the peak
    is the memory in use then, plus one child's worth (a million children write the same way)."""
    sink = CountingSink()
    chunks = iter_return(14_000, seed=6, year=MODULE5, problems=0.05)
    tracemalloc.start()
    try:
        for chunk in islice(chunks, 4_000):
            sink.write(chunk)
        settled, _peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        for chunk in chunks:
            sink.write(chunk)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert sink.writes == 14_000 + 2 and sink.size > 15_000_000
    assert peak - settled < 150_000, (settled, peak)


def test_writing_20000_children_to_a_file_works(tmp_path):
    path = tmp_path / "big.xml"
    with open(path, "wb") as out:
        write_return(out, 20_000, seed=2, year=MODULE5, problems=0.05)
    count = 0
    ids = set()
    for _event, element in etree.iterparse(str(path), tag="Child"):
        count += 1
        ids.add(element.findtext("ChildIdentifiers/LAchildID"))
        element.clear()
    assert count == 20_000 and len(ids) == 20_000


# -- command line -------------------------------------------------------------------------------

def test_cli_writes_the_same_bytes_atomically(tmp_path):
    target = tmp_path / "out.xml"
    assert synthetic.main(["--children", "300", "--seed", "1", "--year", MODULE5,
                           "--problems", "0.05", "-o", str(target)]) == 0
    assert target.read_bytes() == build(300, seed=1, year=MODULE5, problems=0.05)
    assert [p.name for p in tmp_path.iterdir()] == ["out.xml"]  # no temporary file left


@pytest.mark.parametrize("arguments", [
    ["--problems", "2"], ["--year", "2030-31"], ["--la", "999"], ["--children", "-1"],
    ["--reference-date", "2025-03-31"],  # the year decides the dates
])
def test_cli_rejects_bad_arguments(tmp_path, arguments):
    with pytest.raises(SystemExit):
        synthetic.main(["--children", "3", *arguments, "-o", str(tmp_path / "x.xml")])
    assert list(tmp_path.iterdir()) == []


def test_python_dash_m_runs_the_generator(tmp_path):
    target = tmp_path / "out.xml"
    subprocess.run([sys.executable, "-m", "cin_validate.synthetic", "--children", "20",
                    "--seed", "3", "-o", str(target)], check=True)
    assert target.read_bytes() == build(20, seed=3)
