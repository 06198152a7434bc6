"""The rule catalogue (data in rules/) and the registry of checks (code in src/) list the same rules."""

import inspect

from cin_validate import catalogue
from cin_validate.checks import CHILD_CHECKS, MODULES, RETURN_CHECKS, implemented


def test_every_catalogue_rule_has_a_check_and_every_check_a_catalogue_entry():
    assert set(catalogue.dfe_rules()) == set(implemented())
    assert len(implemented()) == 109


def test_each_check_is_documented_with_a_passing_and_a_failing_example():
    for code, check in {**CHILD_CHECKS, **RETURN_CHECKS}.items():
        doc = (inspect.getdoc(check) or "").lower()
        assert "pass" in doc and "fail" in doc, f"{code} ({check.__name__}) needs examples"


def test_every_module_has_a_visible_table():
    for module in MODULES:
        assert isinstance(module.CHILD_CHECKS, dict) and isinstance(module.RETURN_CHECKS, dict)


def test_return_checks_keep_the_protocol():
    for code, cls in RETURN_CHECKS.items():
        assert inspect.isclass(cls), code
        for method in ("observe", "finish"):
            assert callable(getattr(cls, method, None)), f"{code} lacks {method}"
