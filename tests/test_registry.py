"""The rule catalogue (data in rules/) and the registry of checks (code in src/) list the same rules."""

import inspect
import io
import re
import tempfile
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import returns

from cin_validate import years
from cin_validate.checks import CHILD_CHECKS, MODULES, RETURN_CHECKS, facts, implemented
from cin_validate.checks.base import context_for
from cin_validate.parse import ReturnReader
from cin_validate.synthetic import write_return


def test_every_catalogue_rule_has_a_check_and_every_check_a_catalogue_entry():
    assert set(years.all_rules()) == set(implemented())


def test_each_collection_year_holds_the_rules_its_spec_gives():
    """years.md: 2025-26 and 2026-27 carry the 109 rules of 2024-25 over unchanged; 2026-27
    adds module 5's 12 rules."""
    held = years.held()
    base = held["2024-25"].rules
    assert len(base) == 109  # years.md's count, an independent oracle on purpose
    assert held["2025-26"].rules == base
    module5 = {code: info for code, info in held["2026-27"].rules.items() if code not in base}
    assert sorted(module5) == ["8995Q", "9000Q", "9005", "9006", "9007", "9008", "9009",
                               "9010Q", "9011", "9012", "9013", "9015Q"]
    assert all(held["2026-27"].rules[code] is info for code, info in base.items())
    assert {info.year for info in module5.values()} == {"2026-27"}
    assert {info.year for info in base.values()} == {"2024-25"}


def test_every_module_has_a_visible_table():
    for module in MODULES:
        assert isinstance(module.CHILD_CHECKS, dict) and isinstance(module.RETURN_CHECKS, dict)


def test_return_checks_keep_the_protocol():
    for code, cls in RETURN_CHECKS.items():
        assert inspect.isclass(cls), code
        for method in ("observe", "finish"):
            assert callable(getattr(cls, method, None)), f"{code} lacks {method}"


def _corpus(directory):
    """Varied children: synthetic returns with many deliberate faults, plus hand-made edge cases."""
    from builders import assessment, child, cin_plan, cpp, episode, make_return, s47

    texts = []
    # 2024-25 returns, and 2026-27 ones whose faults include module 5's
    for seed, year in ((0, "2024-25"), (1, "2024-25"), (2, "2024-25"), (3, "2026-27"),
                       (4, "2026-27")):
        out = io.BytesIO()
        write_return(out, children=400, seed=seed, year=year, problems=0.6)
        texts.append(out.getvalue())
    edge = make_return(
        child(episode("", nfa="true", close="2024-06-01", reason="RC8"), id="E1", dod="2024-05-01"),
        child(episode(assessment(auth=None), s47(cpc=None, not_required="false")), id="E2"),
        child(episode(cpp(start=None, initial="", latest="x", previous="-1")), id="E3"),
        child(episode(cin_plan(start=None), cpc="2024-06-01"), id="E4", dod="2024-01-01"),
        child(episode("<Section47><ICPCnotRequired>maybe</ICPCnotRequired></Section47>"), id="E5"),
        child(episode("<ChildProtectionPlans><Reviews><X/></Reviews></ChildProtectionPlans>"), id="E6"),
        child("", id="E7"),
        child(episode(cin_plan(start="2024-07-02", end="2024-07-02"), cin_plan(end="2025-04-02")),
              id="E8"),  # the generator makes no CIN plan faults: 4012Q, 4013, 4014 here
        # the generator makes nobody die and no NFA referral: the rules that need them here
        child(episode(assessment(), cin_plan(start="2024-09-01", end="2024-10-01"),
                      cpp(start="2024-09-01", end="2024-10-01"), close="2024-10-02", reason="RC2"),
              id="E9", dod="2024-08-01"),
        child(episode(assessment(), s47(), cin_plan(), cpp(), nfa="true"), id="E10"),
        child(episode(nfa=None, ref="2023-01-05"), id="E11", upn=None, upn_unknown="UN7"),
        child(episode(reason="RC7", close="2024-06-31"), episode(ref="2024-06-10"), id="E12"),
        child(id="E13", dob=None, edob="2024-01-01", sex="F"),
        # nor these faults, of the identifiers and the disabilities: 8770Q, 1560Q, 8790, 8794
        child(id="E14", upn=None, dob="2010-01-01", former_upn="h801200001001",
              disabilities=("NONE", "MOB", "MOB")),
        # nor factor 21 beside others, nor a retired factor: 8869, 8873Q, 8945Q, 8950Q
        child(episode(assessment(factors=("21", "1B")), close="2024-08-01", reason="RC7"),
              id="E15"),
        child(episode(assessment(factors=("18a",))), id="E16"),
        child(episode(assessment(factors=("19A", "2B"))), id="E17"),
        # nor an assessment starting inside another: 8863Q
        child(episode(assessment(start="2024-06-03", auth="2024-07-15"),
                      assessment(start="2024-07-15", auth="2024-08-01")), id="E18"),
    )
    texts.append(edge.encode())
    for number, text in enumerate(texts):
        path = directory / f"corpus-{number}.xml"
        path.write_bytes(text)
        yield path


FACT_NAMES = {value: name for name, value in vars(facts).items()
              if name.isupper() and isinstance(value, int)}
DECLARED = {code: facts.needs_of(check) for code, check in CHILD_CHECKS.items()
            if facts.needs_of(check)}


def _needs_kept(path, skipped: Counter, fired: Counter) -> None:
    """Run every rule that declares needs on every child of the return at `path`: none may
    report a child lacking a fact it needs. Counts, by fact, how often a rule needing it would
    be skipped, and how often one fired on a child holding it."""
    reader = ReturnReader(path, "2026-27")  # module 5 groups are read in 2026-27 only
    for child, _notices in reader:
        ctx = context_for(reader.header, years.get("2026-27"))
        held = facts.facts_of(child)
        for code, needed in DECLARED.items():
            reported = any(True for _ in CHILD_CHECKS[code](child, ctx))
            lacking = needed & ~held
            assert not (lacking and reported), (
                code, child.ref, [name for fact, name in FACT_NAMES.items() if lacking & fact])
            for fact, name in FACT_NAMES.items():
                if lacking & fact:
                    skipped[name] += 1
                elif reported and needed & fact:
                    fired[name] += 1


def test_a_rule_never_fires_on_a_child_lacking_what_it_needs(tmp_path):
    """The engine runs a rule only on children holding every fact it declares (`checks.facts`):
    on a varied corpus, no rule reports a child lacking one of them."""
    assert len(DECLARED) > 80
    skipped, fired = Counter(), Counter()
    for path in _corpus(tmp_path):
        _needs_kept(path, skipped, fired)
    # the corpus exercises both sides of every fact
    assert set(skipped) == set(fired) == set(FACT_NAMES.values())


@settings(max_examples=100, derandomize=True, database=None, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(returns(), st.booleans())
def test_a_rule_never_fires_on_a_drawn_child_lacking_what_it_needs(drawn, without_upns):
    """The same on weird returns drawn by hypothesis (tests/strategies.py): any order, empty,
    invalid and repeated values, groups that clash, several episodes. The strategies always
    write a UPN: half the returns lose theirs."""
    xml = drawn.xml()
    if without_upns:
        xml = re.sub(rb"<UPN>.*?</UPN>|<UPN/>", b"", xml, flags=re.S)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "drawn.xml"
        path.write_bytes(xml)
        _needs_kept(path, Counter(), Counter())
