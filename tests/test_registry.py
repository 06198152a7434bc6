"""The rule catalogue (data in rules/) and the registry of checks (code in src/) list the same rules."""

import inspect
from collections import Counter

from cin_validate import years
from cin_validate.checks import MODULES, RETURN_CHECKS, implemented


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
    import io
    import sys
    from pathlib import Path

    from cin_validate.parse import ReturnReader
    from cin_validate.synthetic import write_return

    sys.path.insert(0, str(Path(__file__).parent))
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
    )
    texts.append(edge.encode())
    for number, text in enumerate(texts):
        path = directory / f"corpus-{number}.xml"
        path.write_bytes(text)
        reader = ReturnReader(path, "2026-27")  # module 5 groups are read in 2026-27 only
        children = [c for c, _ in reader]
        yield reader.header, children


def test_a_module_guard_never_skips_a_child_its_rules_would_report(tmp_path):
    from cin_validate.checks.base import context_for

    guarded = [module for module in MODULES if hasattr(module, "applies_to")]
    assert {module.__name__.rsplit(".", 1)[1] for module in guarded} == {
        "cin_plans", "section47", "protection_plans", "pre_proceedings"}
    skipped, fired_elsewhere = Counter(), Counter()
    for header, children in _corpus(tmp_path):
        ctx = context_for(header, years.get("2026-27"))
        for module in guarded:
            for child in children:
                findings = [f for check in module.CHILD_CHECKS.values() for f in check(child, ctx)]
                if not module.applies_to(child):
                    skipped[module.__name__] += 1
                    assert findings == [], (module.__name__, child.ref)
                elif findings:
                    fired_elsewhere[module.__name__] += 1
    # the corpus exercises both sides, of every guard
    assert sum(skipped.values()) > 1000 and sum(fired_elsewhere.values()) > 20
    assert {name: (skipped[name] > 0, fired_elsewhere[name] > 0) for name in skipped} == {
        module.__name__: (True, True) for module in guarded}
