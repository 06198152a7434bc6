"""The seeded, streaming generator of synthetic returns (cin_validate.synthetic)."""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
import tracemalloc
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

try:
    from cin_validate import synthetic
except ImportError:  # running without an installed package
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from cin_validate import synthetic

from cin_validate.synthetic import FAULTS, iter_children_xml, upn_check_letter, write_return

ALPHABET = "ABCDEFGHJKLMNPQRTUVWXYZ"
ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
DATE_TAGS = {
    "PersonBirthDate", "ExpectedPersonBirthDate", "CINreferralDate", "CINclosureDate",
    "AssessmentActualStartDate", "AssessmentAuthorisationDate", "CINPlanStartDate",
    "CINPlanEndDate", "S47ActualStartDate", "InitialCPCtarget", "DateOfInitialCPC",
    "CPPstartDate", "CPPendDate", "CPPreviewDate", "ReferenceDate",
}


def build(children: int, **kwargs) -> bytes:
    buffer = io.BytesIO()
    write_return(buffer, children, **kwargs)
    return buffer.getvalue()


def expected_check_letter(upn: str) -> str:
    """Independent of the module: values of characters 2-13 times weights 2-13, mod 23."""
    total = 0
    for weight, ch in zip(range(2, 14), upn[1:]):
        total += weight * (int(ch) if ch.isdigit() else ALPHABET.index(ch))
    return ALPHABET[total % 23]


def date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


@pytest.fixture(scope="module")
def clean_bytes() -> bytes:
    return build(3000, seed=42)


@pytest.fixture(scope="module")
def clean_root(clean_bytes):
    return etree.fromstring(clean_bytes)


# --------------------------------------------------------------------------- shape


def test_output_parses_and_has_the_requested_children(clean_bytes, clean_root):
    assert clean_bytes.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<Message>')
    clean_bytes.decode("utf-8")
    assert clean_root.tag == "Message"
    assert clean_root.findtext("Header/CollectionDetails/ReferenceDate") == "2025-03-31"
    assert clean_root.findtext("Header/CollectionDetails/Year") == "2025"
    assert clean_root.findtext("Header/CollectionDetails/Collection") == "CIN"
    assert clean_root.findtext("Header/Source/LEA") == "201"
    assert len(clean_root.findall("Children/Child")) == 3000
    assert b"\n    <Child>\n      <ChildIdentifiers>\n" in clean_bytes  # indented


@pytest.mark.parametrize("children", [0, 1, 2, 7])
def test_small_returns_parse(children):
    root = etree.fromstring(build(children, seed=3))
    assert len(root.findall("Children/Child")) == children


def test_header_follows_arguments():
    root = etree.fromstring(build(5, seed=1, reference_date="2024-03-31", la="942"))
    assert root.findtext("Header/CollectionDetails/ReferenceDate") == "2024-03-31"
    assert root.findtext("Header/CollectionDetails/Year") == "2024"
    assert root.findtext("Header/Source/LEA") == "942"
    for el in root.iter("CINreferralDate", "CINclosureDate"):
        assert el.text <= "2024-03-31"


# --------------------------------------------------------------------------- determinism


def test_same_seed_gives_identical_bytes(clean_bytes):
    assert build(3000, seed=42) == clean_bytes


def test_different_seed_differs(clean_bytes):
    assert build(3000, seed=43) != clean_bytes


def test_problems_are_deterministic_and_only_touch_faulted_children():
    faulty = build(2000, seed=5, problems=0.2)
    assert build(2000, seed=5, problems=0.2) == faulty
    clean = build(2000, seed=5)
    assert faulty != clean

    def children(blob):
        return [etree.tostring(c) for c in etree.fromstring(blob).iter("Child")]

    recorded: dict[str, str] = {}
    for _ in iter_children_xml(2000, seed=5, problems=0.2, faults=recorded):
        pass
    assert 250 <= len(recorded) <= 550  # about 20% of 2000
    assert set(recorded.values()) <= set(FAULTS)
    for before, after in zip(children(clean), children(faulty)):
        child_id = etree.fromstring(before).findtext("ChildIdentifiers/LAchildID")
        assert (before != after) == (child_id in recorded), child_id


# --------------------------------------------------------------------------- identifiers


def test_every_la_child_id_is_unique_and_well_formed(clean_root):
    ids = [el.text for el in clean_root.iter("LAchildID")]
    assert len(ids) == 3000
    assert len(set(ids)) == len(ids)
    assert ids[0] == "DfEX0000001"
    for child_id in ids:
        assert re.fullmatch(r"[A-Za-z0-9]{1,20}", child_id)


def test_every_upn_has_a_correct_check_letter(clean_root):
    upns = [el.text for el in clean_root.iter("UPN")]
    assert len(upns) > 1500
    assert len(set(upns)) == len(upns)  # 1520
    valid_la = set(synthetic.UPN_LA_CODES)
    for upn in upns:
        assert re.fullmatch(r"[A-Z]\d{12}", upn), upn
        assert upn[1:4] in valid_la, upn
        assert upn[0] == expected_check_letter(upn), upn
    for former in clean_root.iter("FormerUPN"):
        assert re.fullmatch(r"[A-Z]\d{11}[0-9A-Z]", former.text)
        assert former.text[0] == expected_check_letter(former.text)


def test_upn_check_letter_matches_the_dfe_worked_examples():
    assert upn_check_letter("801200001001") == "H"
    assert upn_check_letter("942123424567") == "T"
    assert upn_check_letter("80120000101A") == "G"  # temporary UPN
    assert upn_check_letter("94212342456C") == "X"
    with pytest.raises(ValueError):
        upn_check_letter("8012")


def test_school_age_children_have_a_upn_or_a_reason(clean_root):
    for child in clean_root.iter("Child"):
        ids = child.find("ChildIdentifiers")
        dob = ids.findtext("PersonBirthDate")
        if dob and dob <= "2019-08-31" and ids.find("UPN") is None:
            assert ids.findtext("UPNunknown") in {"UN2", "UN3", "UN4", "UN5", "UN6"}


# --------------------------------------------------------------------------- clean data
# A compact, independent check of the invariants the generator promises; the full DfE
# rules are exercised against the engine in test_clean_return_passes_the_engine.


def test_clean_return_respects_the_census_timeline(clean_root):
    R = dt.date(2025, 3, 31)
    S = dt.date(2024, 4, 1)
    for el in clean_root.iter(*DATE_TAGS):
        assert ISO.fullmatch(el.text), el.text
        date(el.text)  # a real calendar date
    distinct_disabilities = set()
    multiple = False
    for child in clean_root.iter("Child"):
        ids = child.find("ChildIdentifiers")
        dob = date(ids.findtext("PersonBirthDate"))
        edob = date(ids.findtext("ExpectedPersonBirthDate"))
        assert (dob is None) != (edob is None)
        if dob:
            assert R - dt.timedelta(days=18 * 365) < dob <= R
            assert ids.findtext("Sex") in {"M", "F"}
            codes = [d.text for d in child.iter("Disability")]
            assert codes and len(set(codes)) == len(codes)
            assert codes == ["NONE"] or "NONE" not in codes
            distinct_disabilities.update(c for c in codes if c != "NONE")
            multiple |= len(codes) >= 2
        else:
            assert ids.findtext("Sex") == "U"
            assert dt.date(2025, 3, 1) <= edob <= dt.date(2025, 12, 31)
        episodes = child.findall("CINdetails")
        assert 1 <= len(episodes) <= 2
        spans = []
        for ep in episodes:
            ref = date(ep.findtext("CINreferralDate"))
            close = date(ep.findtext("CINclosureDate"))
            assert ep.findtext("ReferralNFA") == "false"
            assert ep.findtext("PrimaryNeedCode") and ep.findtext("ReferralSource")
            assert ref <= R and (dob is None or ref >= dob)
            assert (close is None) == (ep.find("ReasonForClosure") is None)
            if close:
                assert S <= close <= R and close >= ref
                assert ep.findtext("ReasonForClosure") != "RC2"
            spans.append((ref, close or R))
            assessments = ep.findall("Assessments")
            if ep.findall("Section47"):
                assert assessments  # 2991Q
            if ep.findtext("ReasonForClosure") in {"RC8", "RC9"}:
                assert assessments and not ep.findall("Section47")
                assert not ep.findall("CINPlanDates") and not ep.findall("ChildProtectionPlans")
            last_end = None
            for a in assessments:
                start = date(a.findtext("AssessmentActualStartDate"))
                auth = date(a.findtext("AssessmentAuthorisationDate"))
                factors = [f.text for f in a.iter("AssessmentFactors")]
                assert start >= ref and (last_end is None or start > last_end)
                if auth is None:
                    assert close is None and not factors
                    assert start >= R - dt.timedelta(days=30)  # far from 8670Q
                    last_end = R
                else:
                    assert start <= auth and S <= auth <= R and factors
                    assert factors == ["21"] or "21" not in factors
                    assert close is None or auth <= close
                    last_end = auth
            for s in ep.findall("Section47"):
                start = date(s.findtext("S47ActualStartDate"))
                icpc = date(s.findtext("DateOfInitialCPC"))
                not_required = s.findtext("ICPCnotRequired")
                assert start >= ref
                if icpc:
                    assert start <= icpc and S <= icpc <= R and icpc.weekday() < 5
                    assert not_required == "false"
                elif not_required == "false":  # an open enquiry: only very recent ones
                    assert close is None and start >= R - dt.timedelta(days=7)
                target = date(s.findtext("InitialCPCtarget"))
                assert target is None or target.weekday() < 5
            icpcs = {date(s.findtext("DateOfInitialCPC")) for s in ep.findall("Section47")}
            for p in ep.findall("ChildProtectionPlans"):
                start = date(p.findtext("CPPstartDate"))
                end = date(p.findtext("CPPendDate"))
                assert start >= ref
                if start >= S:
                    assert start in icpcs  # 2885
                if end:
                    assert start < end and S <= end <= R
                    assert close is None or end <= close
                else:
                    assert close is None
                for review in p.iter("CPPreviewDate"):
                    assert start < date(review.text) < (end or R + dt.timedelta(days=1))
        spans.sort()
        for (_, first_end), (second_ref, _) in zip(spans, spans[1:]):
            assert second_ref > first_end  # episodes never overlap
        # CIN plans and CP plans of a child never touch or overlap (4014, 4016, 4017, 8940)
        plans = []
        for tag, start_tag, end_tag in (("CINPlanDates", "CINPlanStartDate", "CINPlanEndDate"),
                                        ("ChildProtectionPlans", "CPPstartDate", "CPPendDate")):
            for plan in child.iter(tag):
                start, end = date(plan.findtext(start_tag)), date(plan.findtext(end_tag))
                assert end is None or (start < end and S <= end <= R)
                plans.append((start, end or R))
        plans.sort()
        for (_, first_end), (second_start, _) in zip(plans, plans[1:]):
            assert second_start > first_end
    assert len(distinct_disabilities) >= 8 and multiple  # 2887Q, 2888Q


def test_a_one_child_return_still_uses_eight_disability_codes():
    root = etree.fromstring(build(1, seed=9))
    codes = {d.text for d in root.iter("Disability")}
    assert len(codes - {"NONE"}) >= 8


def test_clean_return_passes_the_engine(tmp_path):
    engine = pytest.importorskip("cin_validate.engine")
    for seed in (1, 2):
        path = tmp_path / f"clean-{seed}.xml"
        with open(path, "wb") as out:
            write_return(out, 2000, seed=seed)
        report = engine.validate_file(path)
        codes = Counter(issue.code for issue in report.issues)
        assert report.errors == 0 and report.queries == 0, codes


def test_each_fault_triggers_its_rule(tmp_path):
    engine = pytest.importorskip("cin_validate.engine")
    path = tmp_path / "faulty.xml"
    recorded: dict[str, str] = {}
    with open(path, "wb") as out:
        for chunk in iter_children_xml(3000, seed=8, problems=0.4, faults=recorded):
            out.write(chunk)
    assert set(recorded.values()) == set(FAULTS)  # every kind of fault occurs
    fired: dict[str, set[str]] = {}
    return_level = []
    for issue in engine.validate_file(path).issues:
        if issue.child is None:
            return_level.append(issue.code)
        else:
            fired.setdefault(issue.child.la_child_id, set()).add(issue.code)
    assert return_level == []
    assert set(fired) == set(recorded)  # nobody else has an issue
    for child_id, fault in recorded.items():
        assert FAULTS[fault] in fired[child_id], (child_id, fault, fired[child_id])


# --------------------------------------------------------------------------- streaming


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
    write_return(sink, 1000, seed=4)
    assert sink.writes == 1000 + 2  # header, one per child, footer
    assert sink.largest < 16_000


def test_memory_stays_flat_while_streaming():
    sink = CountingSink()
    tracemalloc.start()
    try:
        write_return(sink, 4000, seed=6)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert sink.size > 4_000_000
    assert peak < 3_000_000, peak  # far less than the document: nothing accumulates


def test_writing_20000_children_to_a_file_works(tmp_path):
    path = tmp_path / "big.xml"
    with open(path, "wb") as out:
        write_return(out, 20_000, seed=2, problems=0.05)
    count = 0
    ids = set()
    for _event, element in etree.iterparse(str(path), tag="Child"):
        count += 1
        ids.add(element.findtext("ChildIdentifiers/LAchildID"))
        element.clear()
    assert count == 20_000 and len(ids) == 20_000


# --------------------------------------------------------------------------- CLI


def test_cli_writes_the_same_bytes_atomically(tmp_path):
    target = tmp_path / "out.xml"
    assert synthetic.main(["--children", "300", "--seed", "1", "--problems", "0.05",
                           "-o", str(target)]) == 0
    assert target.read_bytes() == build(300, seed=1, problems=0.05)
    assert [p.name for p in tmp_path.iterdir()] == ["out.xml"]  # no temporary file left


def test_cli_rejects_bad_arguments(tmp_path, capsys):
    with pytest.raises(SystemExit):
        synthetic.main(["--children", "3", "--problems", "2", "-o", str(tmp_path / "x.xml")])
    with pytest.raises(SystemExit):
        synthetic.main(["--children", "3", "--reference-date", "31/03/2025",
                        "-o", str(tmp_path / "x.xml")])
    assert list(tmp_path.iterdir()) == []
