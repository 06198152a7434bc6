"""Reading a return into the model: what real producers write must not stop validation."""

from datetime import date

import pytest
from builders import assessment, child, cpp, el, episode, header, make_return
from conftest import codes, fired

from cin_validate.parse import ReturnReader


def read(tmp_path, xml: str | bytes):
    path = tmp_path / "r.xml"
    path.write_bytes(xml.encode() if isinstance(xml, str) else xml)
    reader = ReturnReader(path)
    children = [c for c, _ in reader]
    return reader, children


def notices(report, code):
    return [i for i in fired(report, code) if i.severity == "notice"]


def test_default_namespace_and_any_element_order(tmp_path):
    xml = make_return(child(id="C1")).replace("<Message>", '<Message xmlns="http://www.dfe.gov.uk/CIN">')
    xml = xml.replace("<ReferralNFA>false</ReferralNFA>", "").replace(
        "<PrimaryNeedCode>N1</PrimaryNeedCode>", "<PrimaryNeedCode>N1</PrimaryNeedCode><ReferralNFA>false</ReferralNFA>")
    reader, children = read(tmp_path, xml)
    assert reader.header.reference_date == date(2025, 3, 31)
    assert children[0].identifiers.la_child_id == "C1"
    assert children[0].episodes[0].referral_nfa is False


def test_bom_no_declaration_comments_and_no_indentation(tmp_path):
    xml = make_return(child(id="C1")).replace('<?xml version="1.0" encoding="UTF-8"?>\n', "")
    xml = "\ufeff" + xml.replace("\n", "").replace("<Children>", "<Children><!-- exported -->")
    _, children = read(tmp_path, xml.encode("utf-8"))
    assert len(children) == 1


def test_utf16_with_declaration_is_read(tmp_path):
    xml = make_return(child(id="C1")).replace('encoding="UTF-8"', 'encoding="UTF-16"')
    _, children = read(tmp_path, xml.encode("utf-16"))
    assert children[0].identifiers.la_child_id == "C1"


def test_whitespace_is_trimmed_and_empty_means_absent(tmp_path):
    _, [c] = read(tmp_path, make_return(child(id=" C1 ", upn="", former_upn="  ", sex=" M ")))
    assert c.identifiers.la_child_id == "C1"
    assert c.identifiers.upn is None and c.identifiers.former_upn is None
    assert c.identifiers.sex == "M"
    assert c.identifiers.source["UPN"] == (None, 5)  # written, but empty: (text, line)


@pytest.mark.parametrize("text, expected", [
    ("2025-03-31", date(2025, 3, 31)), (" 2025-03-31 ", date(2025, 3, 31)),
    ("2025-02-30", None), ("31/03/2025", None), ("2025-3-31", None),
    ("2025-03-31T00:00:00", None), ("20250331", None), ("２０２５-03-31", None),
])
def test_dates_are_strict(tmp_path, text, expected):
    _, [c] = read(tmp_path, make_return(child(dob=text)))
    assert c.identifiers.birth_date == expected


def test_invalid_date_is_absent_for_rules_and_a_notice_with_its_line(validate):
    report = validate(make_return(child(id="C1"), child(id="C2", dob="31/03/2015")))
    [issue] = notices(report, "S02")
    assert issue.child.la_child_id == "C2"
    assert issue.fields == ["PersonBirthDate"]
    assert issue.places[0].value == "31/03/2015"
    assert issue.line == 6  # header line 3, <Children> 4, C1 on line 5, C2 on line 6


@pytest.mark.parametrize("text, expected, notice", [
    ("true", True, False), ("TRUE", True, False), (" 1 ", True, False), ("False", False, False),
    ("0", False, False), ("yes", None, True), ("", None, False),
])
def test_booleans_follow_guide_1_11_2(validate, tmp_path, text, expected, notice):
    xml = make_return(child(episode(nfa=text)))
    _, [c] = read(tmp_path, xml)
    assert c.episodes[0].referral_nfa is expected
    assert bool(notices(validate(xml), "S04")) is notice


def test_empty_groups_are_absent_but_a_group_with_an_empty_child_is_present(tmp_path):
    xml = make_return(child(
        episode("<Assessments/>", "<Section47>  <!-- none --> </Section47>",
                "<Assessments><AssessmentActualStartDate/></Assessments>", "<CINPlanDates></CINPlanDates>"),
        "<CINdetails/>",
    ))
    _, [c] = read(tmp_path, xml)
    assert len(c.episodes) == 1
    [ep] = c.episodes
    assert len(ep.assessments) == 1 and ep.assessments[0].start_date is None
    assert ep.assessments[0].is_open
    assert ep.section47s == () and ep.cin_plans == ()
    # positions count every element as written, so the path finds the element in the file
    assert ep.assessments[0].path == "CINdetails[1]/Assessments[2]"


def test_list_containers_drop_empty_values_and_keep_duplicates(tmp_path):
    xml = make_return(child(episode(assessment(factors=("1A", "", "1A", " 2B "))),
                            disabilities=("MOB", "", "MOB")))
    _, [c] = read(tmp_path, xml)
    assert c.characteristics.disabilities == ("MOB", "MOB")
    assert c.episodes[0].assessments[0].factors == ("1A", "1A", "2B")


def test_every_review_date_is_kept(tmp_path):
    _, [c] = read(tmp_path, make_return(child(episode(cpp(reviews=("2024-08-01", "bad", "2024-11-01"))))))
    plan = c.episodes[0].protection_plans[0]
    assert [r.date for r in plan.reviews] == [date(2024, 8, 1), None, date(2024, 11, 1)]


def test_previous_plans_integer(tmp_path, validate):
    xml = make_return(child(episode(cpp(previous="1.5"))))
    _, [c] = read(tmp_path, xml)
    assert c.episodes[0].protection_plans[0].previous_plans is None
    assert notices(validate(xml), "S05")
    _, [c] = read(tmp_path, make_return(child(episode(cpp(previous=" +2 ")))))
    assert c.episodes[0].protection_plans[0].previous_plans == 2


def test_unknown_and_repeated_elements_are_notices_not_crashes(validate):
    xml = make_return(child(id="C1", extra_identifiers="<GenderCurrent>1</GenderCurrent><Sex>F</Sex>",
                            extra="<ProducerField>x</ProducerField>"))
    report = validate(xml)
    assert sorted(i.fields[0] for i in notices(report, "S01")) == ["GenderCurrent", "ProducerField"]
    [repeated] = notices(report, "S03")
    assert repeated.fields == ["Sex"]


def test_the_first_of_a_repeated_value_is_used(tmp_path):
    _, [c] = read(tmp_path, make_return(child(sex="M", extra_identifiers="<Sex>F</Sex>")))
    assert c.identifiers.sex == "M"


def test_a_repeated_collection_details_or_source_is_S03_and_the_first_is_used(validate):
    """As S03 says for any single element: a second <CollectionDetails> naming 2024-03-31 does
    not shift the census year (no rule 100, no S09), a second <Source> does not change the LA."""
    second = ("<CollectionDetails><Collection>CIN</Collection><Year>2024</Year>"
              "<ReferenceDate>2024-03-31</ReferenceDate></CollectionDetails>"
              "<Source><SourceLevel>L</SourceLevel><LEA>999</LEA></Source>")
    head = header().replace("</Source>", "</Source>" + second)
    report = validate(make_return(child(), header_xml=head))
    assert [(i.code, i.fields) for i in notices(report, "S03")] == [
        ("S03", ["CollectionDetails"]), ("S03", ["Source"])]
    assert report.reference_date == date(2025, 3, 31) and report.header.lea == "201"
    assert not fired(report, "100") and not notices(report, "S09")


@pytest.mark.parametrize("review", ["2024-09-01<a/>", "<a/>2024-09-01"])
def test_a_review_date_holding_an_element_is_S06_and_absent(validate, review):
    """As for any value element: the date is not read, so 8842Q reports the review group
    without a date."""
    plan = cpp().replace("</ChildProtectionPlans>",
                         f"<Reviews><CPPreviewDate>{review}</CPPreviewDate></Reviews>"
                         "</ChildProtectionPlans>")
    report = validate(make_return(child(episode(plan))))
    assert [i.fields for i in notices(report, "S06")] == [["CPPreviewDate"]]
    assert fired(report, "8842Q")


def test_value_element_holding_elements_is_absent(tmp_path, validate):
    xml = make_return(child(upn=None, extra_identifiers="<UPN><x>H801200001001</x></UPN>"))
    _, [c] = read(tmp_path, xml)
    assert c.identifiers.upn is None
    assert notices(validate(xml), "S06")


def test_header_content_is_ignored_but_strays_are_noticed(validate):
    head = header().replace("</Source>", "</Source><Content><CBDSLevels><CBDSLevel>CIN</CBDSLevel></CBDSLevels></Content>")
    xml = make_return(child(), header_xml=head).replace("</Children>", "<Note>x</Note></Children>")
    xml = xml.replace("</Message>", "<Trailer/></Message>")
    report = validate(xml)
    assert sorted(i.fields[0] for i in notices(report, "S01")) == ["Note", "Trailer"]


def test_missing_header_falls_back_to_2025_03_31(validate):
    report = validate(make_return(child(), header_xml=""))
    assert report.reference_date == date(2025, 3, 31)
    assert notices(report, "S07")


def test_no_children_at_all(validate):
    report = validate('<Message>' + header() + '<Children/></Message>')
    assert report.children == 0 and "S01" not in codes(report)


def test_children_are_streamed_and_numbered(tmp_path):
    xml = make_return(*(child(id=f"C{n}") for n in range(1, 6)))
    _, children = read(tmp_path, xml)
    assert [c.ref.index for c in children] == [1, 2, 3, 4, 5]
    assert [c.ref.la_child_id for c in children] == ["C1", "C2", "C3", "C4", "C5"]


def test_escaped_text_is_read_as_text(tmp_path):
    _, [c] = read(tmp_path, make_return(child(id="A&B")))
    assert c.identifiers.la_child_id == "A&B"
    assert el("X", "a<b") == "<X>a&lt;b</X>"


def test_a_comment_inside_a_review_date_or_a_list_value_keeps_its_text(tmp_path):
    xml = make_return(child(episode(
        assessment(factors=("1A",)).replace("<AssessmentFactors>1A<", "<AssessmentFactors><!--x-->2B<"),
        cpp(reviews=("2024-08-01",)).replace("<CPPreviewDate>2024-08-01<", "<CPPreviewDate>2024-<!--x-->08-01<")),
        disabilities=("MOB",)).replace("<Disability>MOB<", "<Disability><?pi?>HAND<"))
    _, [c] = read(tmp_path, xml)
    assert c.characteristics.disabilities == ("HAND",)
    assert c.episodes[0].assessments[0].factors == ("2B",)
    assert c.episodes[0].protection_plans[0].reviews[0].date == date(2024, 8, 1)


@pytest.mark.parametrize("reference_date, rule_100_fires", [("2025-03-31", False), ("2024-03-31", True)])
def test_a_header_after_the_children_is_read_ahead_and_used(validate, reference_date, rule_100_fires):
    xml = make_return(child(id="C1"), child(id="C2"), header_xml="")
    xml = xml.replace("</Children>", "</Children>" + header(reference_date=reference_date))
    report = validate(xml)
    assert report.reference_date == date.fromisoformat(reference_date)
    assert report.header.lea == "201"
    assert bool(fired(report, "100")) is rule_100_fires
    assert notices(report, "S08") and not notices(report, "S07")
    assert not notices(report, "S03")  # read ahead, not a repeated header
    assert report.children == 2


@pytest.mark.parametrize("children", ["<Children/>", "<Children><!-- none --></Children>",
                                      "<Children><Note>x</Note></Children>"])
def test_a_header_after_children_holding_no_child_is_S08_once(validate, children):
    """Out of the schema's order all the same (COLLECT may refuse the file), though no child
    was read before it."""
    xml = make_return(header_xml="").replace("<Children>\n\n</Children>", children + header())
    report = validate(xml)
    assert len(notices(report, "S08")) == 1 and report.reference_date == date(2025, 3, 31)
    assert not notices(report, "S07") and not notices(report, "S03")


def test_a_header_before_the_children_is_no_S08(validate):
    assert not notices(validate(make_return(child())), "S08")


def test_a_second_header_after_the_children_is_still_a_repeat(validate):
    xml = make_return(child(id="C1")).replace("</Children>", "</Children>" + header("2024-03-31"))
    report = validate(xml)
    assert report.reference_date == date(2025, 3, 31)
    assert notices(report, "S03")


def test_a_list_value_holding_an_element_is_absent_and_noticed(tmp_path, validate):
    xml = make_return(child(disabilities=("MOB",)).replace("<Disability>MOB<", "<Disability><x>MOB</x><"))
    _, [c] = read(tmp_path, xml)
    assert c.characteristics.disabilities == ()
    assert notices(validate(xml), "S06")


def test_unicode_whitespace_around_a_value_is_trimmed_like_any_other(tmp_path):
    # Reading chosen (rules/decisions.md): "surrounding whitespace" is any Unicode white space,
    # as .NET's Trim() and Python's str.strip() define it, not only XML's four characters.
    _, [c] = read(tmp_path, make_return(child(ethnicity="\u00a0WBRI\u2003", id="\tC1\u00a0")))
    assert c.characteristics.ethnicity == "WBRI"
    assert c.identifiers.la_child_id == "C1"


def test_junk_dates_are_not_kept_by_the_date_cache():
    """Issue 16 finding 12: the date cache kept up to 65,536 texts of any size, so 60,000
    children with a 5 KB junk date held 300 MB. Only texts shaped like a date may be cached."""
    import gc
    import tracemalloc

    from cin_validate.values import parse_date

    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for n in range(400):
            assert parse_date(f"{n:08d}" + "x" * 50_000) is None  # dropped after each call
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert kept < 1_000_000, f"{kept} bytes of junk kept"
    assert parse_date("2025-03-31") == date(2025, 3, 31)  # real dates still read (and cache)


def _s01(report) -> list[tuple[str, str]]:
    """(where, element) of every S01 notice, in report order."""
    return [(i.places[0].path, i.places[0].field) for i in notices(report, "S01")]


@pytest.mark.parametrize("before, between, after, expected", [
    ("", "<Foo/>", "", ["Foo"]),
    ("", "<Foo/><!--c-->", "", ["Foo"]),
    ("", "<!--c--><Foo/>", "", ["Foo"]),
    ("", "<Foo/><Bar/>", "", ["Bar", "Foo"]),
    ("", "<?pi x?><Foo/><?pi y?><Bar>text</Bar><!--c-->", "", ["Bar", "Foo"]),
    ("<Foo/>", "", "", ["Foo"]),
    ("<!--c--><Foo/><?pi x?>", "", "", ["Foo"]),
    ("", "", "<Foo/>", ["Foo"]),
    ("", "", "<Foo/><!--c--><Bar/>", ["Bar", "Foo"]),
    ("<A/>", "<B/><!--c--><C/>", "<D/>", ["A", "B", "C", "D"]),
])
def test_each_stray_between_children_is_named_exactly_once(validate, before, between, after,
                                                           expected):
    """Issue 16 finding 9: `<Foo/>` was reported twice, `<Foo/><!--c-->` never and
    `<Foo/><Bar/>` gave Bar three times."""
    body = before + child(id="C1") + between + child(id="C2") + after
    report = validate(make_return(body))
    assert report.children == 2
    assert sorted(field for _, field in _s01(report)) == expected
    assert all(path == "Children" for path, _ in _s01(report))


def test_strays_between_many_children_are_each_named_once(validate):
    body = "".join(child(id=f"C{n}") + f"<Stray{n}/><!--c-->" for n in range(1, 8))
    report = validate(make_return(body))
    assert sorted(field for _, field in _s01(report)) == sorted(f"Stray{n}" for n in range(1, 8))


@pytest.mark.parametrize("where", ["identifiers", "episode", "child", "assessment"])
def test_a_child_nested_inside_a_child_is_a_notice_not_a_child(validate, where):
    """Issue 16 finding 10: a <Child> inside a group was counted as a child and deleted the
    outer child's LAchildID and UPN (false 8500 and 8770Q)."""
    inner = child(id="INNER", dob="2010-01-01")
    outer = {
        "identifiers": child(id="C1", extra_identifiers=inner),
        "episode": child(episode(extra=inner), id="C1"),
        "child": child(id="C1", extra=inner),
        "assessment": child(episode(assessment(extra=inner)), id="C1"),
    }[where]
    report = validate(make_return(outer, child(id="C2")))
    assert report.children == 2
    assert {i.child.la_child_id for i in report.issues if i.child and i.child.index == 1} <= {"C1"}
    assert {"8500", "8770Q", "8590"}.isdisjoint(codes(report))
    [(path, field)] = _s01(report)
    assert field == "Child"
    assert path == {"identifiers": "ChildIdentifiers", "episode": "CINdetails[1]", "child": "",
                    "assessment": "CINdetails[1]/Assessments[1]"}[where]


def test_the_outer_child_keeps_its_identifiers_when_a_child_is_nested(tmp_path):
    xml = make_return(child(id="C1", upn="A801200001001",
                            extra_identifiers=child(id="INNER", upn="B801200001001")))
    _, [c] = read(tmp_path, xml)
    assert c.identifiers.la_child_id == "C1" and c.identifiers.upn == "A801200001001"


def test_only_message_children_child_is_a_child(validate):
    """A <Child> directly under <Message>, or under a <Children> that is not directly under
    <Message>, is a stray element: noticed once, not validated."""
    xml = make_return(child(id="C1")).replace(
        "</Message>", child(id="LOOSE") + "<Extra><Children>" + child(id="DEEP")
        + "</Children></Extra></Message>")
    report = validate(xml)
    assert report.children == 1
    assert sorted(_s01(report)) == [("Message", "Child"), ("Message", "Extra")]
    assert {i.child.la_child_id for i in report.issues if i.child} <= {"C1"}


def test_only_a_header_directly_under_message_is_the_header(validate):
    stray_header = header(reference_date="2024-03-31", la="999")
    xml = make_return(child(id="C1", extra=stray_header))
    xml = xml.replace("<Children>", "<Children>" + stray_header)
    report = validate(xml)
    assert report.header.lea == "201" and report.reference_date == date(2025, 3, 31)
    assert sorted(_s01(report)) == [("", "Header"), ("Children", "Header")]
    assert "S03" not in codes(report)


# -- lines past libxml2's 65,535 ------------------------------------------------------------

PADDING = 70_000  # newlines written before <Header>, so that every element lies past 65,535

# Whatever a line can be taken from: empty and multi-line values, a comment first in a group,
# groups written on one line, unknown elements (S01), a value holding an element (S06), list
# values and review dates.
ODD_LAYOUT = """<?xml version="1.0" encoding="utf-8"?>
<Message>
<Header><CollectionDetails><Collection>CIN</Collection><Year>2025</Year>
<ReferenceDate>2025-03-31</ReferenceDate></CollectionDetails>
<Source><SourceLevel>L</SourceLevel><LEA>201</LEA><SoftwareCode>x</SoftwareCode>
<Release>1</Release><SerialNo>1</SerialNo><DateTime>2025-04-01T00:00:00</DateTime></Source>
</Header>
  <Children>
    <Child>
      <ChildIdentifiers>
        <LAchildID>C1</LAchildID>
        <UPN/>
        <FormerUPN></FormerUPN>
        <PersonBirthDate>
          2030-01-01
        </PersonBirthDate>
        <Sex>Q</Sex>
        <Unknown>x</Unknown>
      </ChildIdentifiers>
      <ChildCharacteristics><!-- a comment first -->
        <Ethnicity>ZZZZ</Ethnicity>
        <Disabilities><Disability>MOB</Disability><Disability>XX</Disability>
        </Disabilities>
      </ChildCharacteristics>
      <CINdetails><CINreferralDate>2026-01-01</CINreferralDate><ReasonForClosure><b/></ReasonForClosure>
      <Odd>x</Odd><PrimaryNeedCode/></CINdetails>
      <CINdetails>
        <CINreferralDate>2024-05-01</CINreferralDate>
        <ChildProtectionPlans>
          <CPPstartDate>2024-05-02</CPPstartDate>
          <Reviews>
            <CPPreviewDate>2024-04-01</CPPreviewDate>
            <CPPreviewDate><!-- c
              spanning lines -->2024-06-01</CPPreviewDate>
          </Reviews>
        </ChildProtectionPlans>
      </CINdetails>
    </Child>
    <Stray/>
    <Child><ChildIdentifiers><LAchildID>C1</LAchildID></ChildIdentifiers></Child>
  </Children>
</Message>
"""


def _moved_back(report: dict, lines: int):
    """The JSON report with every line number `lines` earlier."""
    def move(value, key=""):
        if isinstance(value, dict):
            return {k: move(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [move(v) for v in value]
        return value - lines if key.endswith("line") and isinstance(value, int) else value
    return move(report)


def _json_report(path) -> dict:
    import json

    from output_helpers import run
    return json.loads(run(path, "--format", "json", "--fail-on", "never").stdout)


@pytest.mark.parametrize("text", [
    pytest.param(ODD_LAYOUT, id="odd-layout"),
    pytest.param("synthetic", id="synthetic-faulty"),
])
def test_lines_past_65535_are_the_lines_the_elements_start_on(tmp_path, text):
    """libxml2 keeps no element line past 65,535 (lxml works one out from the text after it):
    the same return moved 70,000 lines down reports every line 70,000 further, no other way."""
    if text == "synthetic":
        from cin_validate.synthetic import write_return
        with open(tmp_path / "s.xml", "wb") as out:
            write_return(out, children=300, seed=3, problems=0.7)
        text = (tmp_path / "s.xml").read_text(encoding="utf-8")
    near, far = tmp_path / "near.xml", tmp_path / "far.xml"
    near.write_text(text, encoding="utf-8")
    far.write_text(text.replace("<Message>", "<Message>" + "\n" * PADDING, 1), encoding="utf-8")
    near_report, far_report = _json_report(near), _json_report(far)
    assert len(near_report["issues"]) > 10
    for report in (near_report, far_report):
        report.pop("file")
    assert _moved_back(far_report, PADDING) == near_report


@pytest.mark.parametrize("between", ["", "\n        "], ids=["one-line", "a-line-each"])
def test_thousands_of_empty_elements_in_a_row_past_65535_keep_their_lines(tmp_path, between):
    """An empty element gets its line from what follows it; 3,000 in a row (each an S01) are
    placed without a search through all the others (that recursed, an internal error): on one
    line, all at that line; one a line, each at its own."""
    row = between.join(["<Unknown/>"] * 3000)
    xml = make_return(child(id="C1")).replace("<Message>", "<Message>" + "\n" * PADDING, 1)
    xml = xml.replace("<LAchildID>C1</LAchildID>", "<LAchildID>C1</LAchildID>" + row, 1)
    path = tmp_path / "row.xml"
    path.write_text(xml, encoding="utf-8")
    first = xml[:xml.index("<Unknown/>")].count("\n") + 1
    lines = [issue["line"] for issue in _json_report(path)["issues"] if issue["code"] == "S01"]
    step = 1 if between else 0
    assert lines == [first + step * n for n in range(3000)]
