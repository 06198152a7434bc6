"""Checks of the data files: the rule catalogue (rules/*.toml) and the code sets (codesets/*.csv).

The catalogue is checked on its own (counts, keys, severities) and, when the read-only
specification is present next to the project (../shared/spec), against the spec text itself:
every message and auto-OK note must equal the spec's quoted string character for character.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
RULES_DIR = ROOT / "rules" / "2024-25"
CODESETS_DIR = ROOT / "codesets" / "2024-25"
SPEC_DIR = ROOT.parent / "shared" / "spec"
SPEC_RULES = SPEC_DIR / "rules"
SPEC_GUIDE = SPEC_DIR / "cin-census-2024-25-guide.txt"

# catalogue file stem -> number of rules (rules/README.md of the spec)
GROUPS = {
    "group1-identifiers": 28,
    "group2-cin-details": 28,
    "group3-assessments-cin-plans": 28,
    "group4-s47-cpp": 25,
}
REQUIRED_KEYS = {"code", "severity", "module", "message", "fields", "instance", "summary"}
OPTIONAL_KEYS = {"auto_ok_note"}
# guide section 1.9: the queries with an automatic OK function
AUTO_OK_CODES = {"2991Q", "8530Q", "8535Q", "8670Q", "8675Q", "8775Q", "8825Q"}
MODULES = {
    "Header", "Return level", "ChildIdentifiers", "ChildCharacteristics", "CINdetails",
    "Assessments", "CINPlanDates", "Section47", "ChildProtectionPlans", "Reviews",
}

# code set file -> number of codes
CODESET_COUNTS = {
    "sex.csv": 3,
    "ethnicity.csv": 20,
    "disability.csv": 13,
    "upn-unknown.csv": 7,
    "referral-source.csv": 22,
    "primary-need.csv": 10,
    "reason-for-closure.csv": 9,
    "assessment-factors.csv": 42,
    "category-of-abuse.csv": 5,
    "la-codes.csv": 153,
    "upn-la-codes.csv": 195,
}

need_spec = pytest.mark.skipif(
    not SPEC_RULES.is_dir(),
    reason=f"specification not found at {SPEC_RULES}; spec cross-checks need the read-only spec "
    "checked out next to the project (../shared/spec/rules)",
)
need_guide = pytest.mark.skipif(
    not SPEC_GUIDE.is_file(), reason=f"DfE guide not found at {SPEC_GUIDE}"
)


# ---------------------------------------------------------------------------------------------
# loading


def load_group(stem: str) -> list[dict]:
    with open(RULES_DIR / f"{stem}.toml", "rb") as fh:
        data = tomllib.load(fh)
    assert set(data) == {"rule"}, f"{stem}.toml: only [[rule]] tables expected, got {set(data)}"
    return data["rule"]


@pytest.fixture(scope="module")
def catalogue() -> dict[str, list[dict]]:
    return {stem: load_group(stem) for stem in GROUPS}


@pytest.fixture(scope="module")
def all_rules(catalogue) -> list[dict]:
    return [rule for stem in GROUPS for rule in catalogue[stem]]


def read_codeset(name: str) -> list[dict]:
    path = CODESETS_DIR / name
    text = path.read_text(encoding="utf-8")  # must be valid UTF-8
    assert not text.startswith("\ufeff"), f"{name}: no byte-order mark"
    assert text.splitlines()[0] == "code,description", f"{name}: header must be code,description"
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def codes_of(name: str) -> list[str]:
    return [row["code"] for row in read_codeset(name)]


# ---------------------------------------------------------------------------------------------
# spec parsing (independent of how the catalogue was built)

HEADING = re.compile(r"^### (\S+) — (error|query) — (.+?)\s*$")


def spec_sections(stem: str) -> list[dict]:
    """The rule sections of one spec file: code, severity, module, message, auto-OK block, text."""
    lines = (SPEC_RULES / f"{stem}.md").read_text(encoding="utf-8").split("\n")
    sections: list[dict] = []
    current: dict | None = None
    for line in lines:
        m = HEADING.match(line)
        if m:
            current = {"code": m[1], "severity": m[2], "module": m[3], "lines": []}
            sections.append(current)
        elif line.startswith("## ") or line.startswith("### "):
            current = None
        elif current is not None:
            current["lines"].append(line)
    for sec in sections:
        body = sec["lines"]
        messages = [re.fullmatch(r'- Message: "(.*)"', ln) for ln in body]
        messages = [m[1] for m in messages if m]
        assert len(messages) == 1, f"{sec['code']}: expected one '- Message: \"...\"' line"
        sec["message"] = messages[0]
        start = next(i for i, ln in enumerate(body) if ln.startswith("- Auto-OK:"))
        end = next(
            (i for i in range(start + 1, len(body)) if re.match(r"^- \S", body[i])), len(body)
        )
        sec["auto_ok"] = "\n".join(body[start:end])
        sec["text"] = "\n".join(body)
    return sections


def spec_auto_ok_note(sec: dict) -> str | None:
    block = sec["auto_ok"]
    if not re.match(r"- Auto-OK: (\*\*)?yes", block):
        return None
    # the note is quoted either in "double quotes" or as a "> " block quote
    m = re.search(r'(?:"|> )(' + re.escape(sec["code"]) + r': [^"\n]*)', block)
    assert m, f"{sec['code']}: auto-OK is yes but no quoted note was found"
    return m[1].rstrip()


@pytest.fixture(scope="module")
def spec() -> dict[str, list[dict]]:
    return {stem: spec_sections(stem) for stem in GROUPS}


# ---------------------------------------------------------------------------------------------
# catalogue on its own


def test_group_counts_and_unique_codes(catalogue, all_rules):
    for stem, expected in GROUPS.items():
        assert len(catalogue[stem]) == expected, f"{stem}.toml should hold {expected} rules"
    codes = [rule["code"] for rule in all_rules]
    assert len(codes) == 109  # the spec's count: an oracle on purpose, not the catalogue's
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    assert not duplicates, f"duplicate codes: {duplicates}"


def test_keys_and_types(all_rules):
    for rule in all_rules:
        code = rule.get("code")
        keys = set(rule)
        assert REQUIRED_KEYS <= keys, f"{code}: missing {REQUIRED_KEYS - keys}"
        assert keys <= REQUIRED_KEYS | OPTIONAL_KEYS, f"{code}: unexpected {keys - REQUIRED_KEYS - OPTIONAL_KEYS}"
        for key in REQUIRED_KEYS | OPTIONAL_KEYS:
            if key in rule and key != "fields":
                assert isinstance(rule[key], str) and rule[key].strip(), f"{code}: {key} must be a non-empty string"
        assert re.fullmatch(r"\d{3,4}Q?", code), f"bad code {code!r}"
        assert rule["module"] in MODULES, f"{code}: unknown module {rule['module']!r}"
        fields = rule["fields"]
        assert isinstance(fields, list) and fields, f"{code}: fields must be a non-empty array"
        for name in fields:
            assert isinstance(name, str) and re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", name), (
                f"{code}: field {name!r} must be a bare XML element name"
            )
        assert len(fields) == len(set(fields)), f"{code}: repeated field"
        assert "issue" in rule["instance"], f"{code}: instance should say what one issue is"
        assert rule["summary"].startswith("Fires "), f"{code}: summary should state when it fires"


def test_severity_matches_q_suffix(all_rules):
    for rule in all_rules:
        assert rule["severity"] in {"error", "query"}, rule["code"]
        assert rule["code"].endswith("Q") == (rule["severity"] == "query"), rule["code"]


def test_auto_ok_notes_only_on_listed_queries(all_rules):
    with_note = {rule["code"] for rule in all_rules if "auto_ok_note" in rule}
    assert with_note == AUTO_OK_CODES
    for rule in all_rules:
        if "auto_ok_note" in rule:
            assert rule["auto_ok_note"].startswith(rule["code"] + ": "), rule["code"]


def test_messages_have_no_line_breaks(all_rules):
    for rule in all_rules:
        for key in ("message", "auto_ok_note"):
            if key in rule:
                assert "\n" not in rule[key] and "\r" not in rule[key], rule["code"]


# ---------------------------------------------------------------------------------------------
# catalogue against the spec text


@need_spec
def test_same_rules_in_same_order_as_spec(catalogue, spec):
    for stem in GROUPS:
        assert [r["code"] for r in catalogue[stem]] == [s["code"] for s in spec[stem]], stem


@need_spec
def test_severity_and_module_match_spec_headings(catalogue, spec):
    for stem in GROUPS:
        for rule, sec in zip(catalogue[stem], spec[stem]):
            assert rule["severity"] == sec["severity"], rule["code"]
            module = sec["module"][0].upper() + sec["module"][1:]
            assert rule["module"] == module, rule["code"]


@need_spec
def test_messages_equal_spec_exactly(catalogue, spec):
    mismatches = []
    for stem in GROUPS:
        for rule, sec in zip(catalogue[stem], spec[stem]):
            if rule["message"] != sec["message"]:
                mismatches.append(f"{rule['code']}:\n  catalogue {rule['message']!r}\n  spec      {sec['message']!r}")
    assert not mismatches, "\n".join(mismatches)


@need_spec
def test_auto_ok_notes_equal_spec_exactly(catalogue, spec):
    for stem in GROUPS:
        for rule, sec in zip(catalogue[stem], spec[stem]):
            note = spec_auto_ok_note(sec)
            assert rule.get("auto_ok_note") == note, rule["code"]


@need_spec
def test_spec_auto_ok_set_is_guide_list(spec):
    yes = {sec["code"] for stem in GROUPS for sec in spec[stem] if spec_auto_ok_note(sec)}
    assert yes == AUTO_OK_CODES


@need_spec
def test_fields_are_named_in_spec_section(catalogue, spec):
    for stem in GROUPS:
        for rule, sec in zip(catalogue[stem], spec[stem]):
            for name in rule["fields"]:
                assert name in sec["text"], f"{rule['code']}: field {name} not mentioned in its spec section"


@need_guide
def test_guide_lists_the_auto_ok_queries():
    lines = SPEC_GUIDE.read_text(encoding="utf-8").split("\n")
    start = max(i for i, ln in enumerate(lines) if ln.strip() == "1.9 Validation checks")
    end = next(i for i in range(start, len(lines)) if lines[i].strip() == "1.10 Year on year checks")
    codes = {m[1] for ln in lines[start:end] if (m := re.match(r"^(\d{4}Q): ", ln))}
    assert codes == AUTO_OK_CODES


# ---------------------------------------------------------------------------------------------
# code sets


def test_codeset_counts_and_uniqueness():
    present = {p.name for p in CODESETS_DIR.glob("*.csv")}
    assert set(CODESET_COUNTS) <= present, f"missing code sets: {set(CODESET_COUNTS) - present}"
    for name, expected in CODESET_COUNTS.items():
        codes = codes_of(name)
        assert len(codes) == expected, f"{name}: {len(codes)} codes, expected {expected}"
        assert len(set(codes)) == len(codes), f"{name}: duplicate codes"
        for code in codes:
            assert code and code == code.strip() and code.isascii(), f"{name}: bad code {code!r}"


def test_specific_code_values():
    assert codes_of("sex.csv") == ["M", "F", "U"]
    assert set(codes_of("upn-unknown.csv")) == {f"UN{i}" for i in range(1, 8)}
    assert set(codes_of("primary-need.csv")) == {f"N{i}" for i in range(10)}
    assert set(codes_of("reason-for-closure.csv")) == {f"RC{i}" for i in range(1, 10)}
    assert set(codes_of("category-of-abuse.csv")) == {"NEG", "PHY", "SAB", "EMO", "MUL"}
    assert "NONE" in codes_of("disability.csv")
    factors = codes_of("assessment-factors.csv")
    assert "3A" in factors  # ASCII, although the guide's section 4.10 prints it with a Cyrillic 3
    assert "18A" not in factors and "19A" not in factors
    for name in ("la-codes.csv", "upn-la-codes.csv"):
        for code in codes_of(name):
            assert re.fullmatch(r"\d{3}", code), f"{name}: {code!r} is not 3 digits"


def test_la_codes_are_subset_of_upn_la_codes():
    la = {row["code"]: row["description"] for row in read_codeset("la-codes.csv")}
    upn = {row["code"]: row["description"] for row in read_codeset("upn-la-codes.csv")}
    assert set(la) <= set(upn)
    assert len(set(upn) - set(la)) == 42  # pseudo-LA and former-LA codes (spec rule 1530)
    for code, name in la.items():
        assert name, f"la-codes.csv: {code} has no name"
        assert upn[code] == name, f"upn-la-codes.csv: {code} should carry the appendix C name"
    for code in set(upn) - set(la):
        assert upn[code] == "", f"upn-la-codes.csv: {code} is not in appendix C"


def _backticked_list(text: str, anchor: str) -> set[str]:
    """The codes in the first `...` span(s) that follow anchor, up to the end of the sentence."""
    i = text.index(anchor) + len(anchor)
    chunk = text[i : text.index("`.", i) + 1]
    return set(" ".join(re.findall(r"`([^`]+)`", chunk)).split())


@need_spec
def test_codesets_match_spec_rule_files():
    g1 = (SPEC_RULES / "group1-identifiers.md").read_text(encoding="utf-8")
    g2 = (SPEC_RULES / "group2-cin-details.md").read_text(encoding="utf-8")
    g3 = (SPEC_RULES / "group3-assessments-cin-plans.md").read_text(encoding="utf-8")

    assert set(codes_of("ethnicity.csv")) == _backticked_list(g1, "**Ethnicity** (guide")
    assert set(codes_of("disability.csv")) == _backticked_list(g1, "Valid disability codes")
    assert set(codes_of("referral-source.csv")) == _backticked_list(g2, "`<ReferralSource>` (B4")
    assert set(codes_of("assessment-factors.csv")) == _backticked_list(g3, "**D9. Assessment factor codeset")

    # rule 1530: "**Valid codes** (195 codes): 001–005, 201–213, ..."
    m = re.search(r"\*\*Valid codes\*\* \(195 codes\):(.*?)\n\s*- ", g1, re.S)
    assert m, "rule 1530 list of valid codes not found"
    expected: set[str] = set()
    for token in re.findall(r"\d{3}(?:–\d{3})?", m[1]):
        low, _, high = token.partition("–")
        expected.update(f"{n:03d}" for n in range(int(low), int(high or low) + 1))
    assert len(expected) == 195
    assert set(codes_of("upn-la-codes.csv")) == expected


@need_guide
def test_la_codes_match_guide_appendix_c():
    lines = SPEC_GUIDE.read_text(encoding="utf-8").split("\n")
    start = max(i for i, ln in enumerate(lines) if ln.strip().startswith("Appendix C:"))
    pairs: dict[str, str] = {}
    for line in lines[start + 1 :]:
        if line.startswith("©"):
            break
        cells = [c.strip() for c in line.split("\t")]
        for code, name in zip(cells[0::2], cells[1::2]):
            if re.fullmatch(r"\d{3}", code):
                pairs[code] = name
    assert len(pairs) == 153
    assert {row["code"]: row["description"] for row in read_codeset("la-codes.csv")} == pairs


# ---------------------------------------------------------------------------------------------
# 2026-27 module 5 (spec rules/2026-27-module5.md) and the later years' own data

MODULE5_TOML = ROOT / "rules" / "2026-27" / "module5-pre-proceedings.toml"
MODULE5_SPEC = SPEC_RULES / "2026-27-module5.md"
_MODULE5_HEADING = re.compile(r"^### (\S+) — (\w+) — ([^—]+?) — (.+)$", re.M)


def module5_spec() -> list[dict]:
    text = MODULE5_SPEC.read_text(encoding="utf-8")
    headings = list(_MODULE5_HEADING.finditer(text))
    sections = []
    for heading, following in zip(headings, headings[1:] + [None]):
        body = text[heading.end(): following.start() if following else len(text)]
        message = re.search(r'^- Message: "(.*)"$', body, re.M)[1]
        sureness = "quoted" if heading[4].startswith("quoted") else "from the message"
        sections.append({"code": heading[1], "severity": heading[2], "message": message,
                         "sureness": sureness})
    return sections


@need_spec
def test_module5_catalogue_equals_the_spec_character_for_character():
    with open(MODULE5_TOML, "rb") as handle:
        rules = tomllib.load(handle)["rule"]
    spec = module5_spec()
    assert len(spec) == 12
    assert [(r["code"], r["severity"], r["message"], r["sureness"]) for r in rules] == [
        (s["code"], s["severity"], s["message"], s["sureness"]) for s in spec]
    assert all(set(r) == REQUIRED_KEYS | {"sureness"} for r in rules)


@need_spec
def test_later_years_dates_and_statuses_equal_the_years_table():
    text = (SPEC_DIR / "years.md").read_text(encoding="utf-8")
    for year in ("2024-25", "2025-26", "2026-27"):
        row = re.search(rf"^\| {year} \| (\d{{4}}) \| ([\d-]+) \|.*\*\*(\w+)\*\*", text, re.M)
        with open(ROOT / "rules" / year / "collection.toml", "rb") as handle:
            facts = tomllib.load(handle)
        assert (facts["header_year"], facts["reference_date"].isoformat(), facts["status"]) == (
            row[1], row[2], row[3])


def test_pre_proceedings_outcome_codes_are_cs131():
    with open(ROOT / "codesets" / "2026-27" / "pre-proceedings-outcome.csv",
              encoding="utf-8-sig", newline="") as handle:
        assert [row["code"] for row in csv.DictReader(handle)] == ["A", "B", "C"]
