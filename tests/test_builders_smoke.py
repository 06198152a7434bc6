from builders import child, make_return, upn_check_letter, valid_upn


def test_check_letter_matches_dfe_examples():
    assert upn_check_letter("801200001001") == "H"
    assert upn_check_letter("942123424567") == "T"
    assert upn_check_letter("80120000101A") == "G"


def test_default_child_parses_without_structural_notices(validate):
    report = validate(make_return(child(id="C1"), child(id="C2")))
    assert report.children == 2
    assert report.episodes == 2
    assert [i.code for i in report.issues if i.severity == "notice"] == []
    assert valid_upn("C1") != valid_upn("C2")
