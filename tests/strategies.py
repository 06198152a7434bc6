"""Hypothesis strategies for tests/test_properties.py: weird but well-formed CIN returns.

`returns()` draws a `Drawn` return: a header (or none, or one after the children), children
whose elements come in any order, empty, padded with any white space, repeated, misplaced or
unknown, with bad dates, booleans and integers, odd characters in every text (spaces, commas,
semicolons, brackets, non-breaking spaces, `[markup]`, `<&>`), comments and processing
instructions anywhere, strays between children, and now and then a child with many clashing
groups. Every value of an identifying element (LAchildID, UPN, FormerUPN, PersonBirthDate,
ExpectedPersonBirthDate, PersonDeathDate) is drawn so that it cannot appear in a report by
chance (a core such as `Q4821Z`, or a date no rule prints), and is recorded in `personal`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from xml.sax.saxutils import escape

from hypothesis import strategies as st

from builders import valid_upn

# -- text -----------------------------------------------------------------------------------

SPACE = [" ", "  ", "\t", "\n", "\u00a0", "\u2003"]  # str.strip trims all of them
ODD = [" ", ",", ";", "(", ")", "[", "]", "\u00a0", "&", "<", ">", '"', "'", "[bold]", "[/]",
       "[link=https://x]", "é", "\u00df", "\U0001f600", "\u200b", "%s", "{0}", "\\"]
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"),
                             exclude_characters="\ufffe\uffff"), max_size=12)


def padded(values: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A value, now and then with white space around it (trimmed by the parser)."""
    return st.one_of(values, st.builds(lambda before, value, after: before + value + after,
                                       st.sampled_from(SPACE), values, st.sampled_from(SPACE)))


def oddly(values: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A value with odd characters put inside or around it."""
    return st.builds(lambda value, odd, at: value[:at] + odd + value[at:], values,
                     st.sampled_from(ODD), st.integers(0, 20))


def value(good: list[str], bad: list[str]) -> st.SearchStrategy[str | None]:
    """None (element left out), "" (empty), a good value or a bad one, maybe padded or odd."""
    written = st.one_of(st.sampled_from(good), st.sampled_from(bad), oddly(st.sampled_from(good)),
                        TEXT)
    return st.one_of(st.none(), st.just(""), padded(st.sampled_from(good)), padded(written))


DAYS = ["2024-04-01", "2024-05-01", "2024-05-20", "2024-06-03", "2024-06-17", "2024-07-01",
        "2024-07-02", "2024-09-02", "2024-10-07", "2024-12-25", "2025-01-27", "2025-03-10",
        "2025-03-29", "2025-03-31", "2024-03-28", "2023-11-06", "2025-04-01"]
BAD_DAYS = ["2024-02-30", "31/03/2025", "2024-6-3", "2024-06-03T00:00:00", "20240603", "x",
            "0001-01-01", "9999-12-31", "２０２４-06-03", "2024-13-01"]
DAY = value(DAYS, BAD_DAYS)
FLAG = value(["true", "false", "1", "0", "TRUE", "False"], ["yes", "no", "2", "1.0", "t"])
COUNT = value(["0", "1", "+2", "10"], ["-1", "1.5", "2.0", "abc", "0" * 40, "1e3"])
SEX = value(["M", "F", "U"], ["m", "X", "1", "Male"])
ETHNICITY = value(["WBRI", "NOBT", "ABAN", "MOTH"], ["wbri", "WHIT", "W BRI"])
DISABILITY = value(["NONE", "MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS", "BEH"],
                   ["mob", "XYZ", "NONE "])
SOURCE = value(["1A", "1B", "2A", "3A", "10"], ["1a", "99", "2 A"])
NEED = value(["N0", "N1", "N4", "N9"], ["N10", "n1", "NO"])
REASON = value(["RC1", "RC2", "RC7", "RC8", "RC9"], ["rc1", "RC10", "RC 1"])
CATEGORY = value(["NEG", "PHY", "SAB", "EMO", "MUL"], ["neg", "CSE", "NONE"])
FACTOR = value(["1A", "2B", "3A", "21", "18A", "19a", "18C"], ["99Z", "1 A", "21 "])
UNKNOWN_UPN = value(["UN1", "UN2", "UN5", "UN7"], ["UN8", "un1"])

# -- identifying values: distinctive, so that finding one in a report means it leaked ---------

CORE = st.builds(lambda first, digits, last: f"{first}{digits}{last}", st.sampled_from("QXZJ"),
                 st.integers(1000, 999_999), st.sampled_from("QXZJ"))
PERSON_ID = st.one_of(CORE, oddly(CORE), oddly(oddly(CORE)),
                      st.builds(lambda core: f"[bold]{core}[/bold]", CORE))
UPN = st.one_of(st.builds(valid_upn, CORE), st.builds(lambda core: f"H8012{core}"[:13], CORE),
                oddly(st.builds(valid_upn, CORE)))
# Dates that no rule and no header prints: births long ago, due dates after the census year.
BIRTH = st.dates(date(2005, 1, 1), date(2016, 12, 31)).map(date.isoformat)
DUE = st.dates(date(2025, 5, 1), date(2026, 12, 31)).map(date.isoformat)
DEATH = st.dates(date(2017, 1, 1), date(2018, 12, 31)).map(date.isoformat)


def personal_date(days: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A valid date, or the same date written wrongly (still identifying)."""
    return st.one_of(days, days.map(lambda d: f"{d[8:10]}/{d[5:7]}/{d[:4]}"),
                     days.map(lambda d: d[:8] + "31" if d[5:7] in ("02", "04") else d + "T00:00"))


PERSONAL = {
    "LAchildID": PERSON_ID, "UPN": UPN, "FormerUPN": UPN,
    "PersonBirthDate": personal_date(BIRTH), "ExpectedPersonBirthDate": personal_date(DUE),
    "PersonDeathDate": personal_date(DEATH),
}

# -- elements -------------------------------------------------------------------------------


def el(name: str, text: str | None, form: int = 0) -> str:
    """<name>text</name>; "" as <name/> or <name></name>; a comment inside now and then."""
    if text is None:
        return ""
    if text == "":
        return f"<{name}/>" if form % 2 else f"<{name}></{name}>"
    if form == 3 and len(text) > 1:  # a comment inside the value does not hide its text
        return f"<{name}>{escape(text[:1])}<!--c-->{escape(text[1:])}</{name}>"
    return f"<{name}>{escape(text)}</{name}>"


NOISE = st.sampled_from(["<!-- a comment -->", "<?producer note?>", "<Unknown/>",
                         "<GenderCurrent>1</GenderCurrent>", "<Extra>[bold]x[/bold]; y</Extra>",
                         "<Nested><Deeper>1</Deeper></Nested>", "\n  "])


@dataclass
class Parts:
    """The elements of one group as drawn, and the identifying values among them."""

    items: list[str] = field(default_factory=list)
    personal: set[str] = field(default_factory=set)


@st.composite
def fields(draw, table: dict[str, st.SearchStrategy]) -> Parts:
    """Each element of `table` left out, empty or written (sometimes twice), in any order,
    with now and then an unknown element, a comment or a processing instruction."""
    parts = Parts()
    for name, values in table.items():
        for _ in range(draw(st.sampled_from([1, 1, 1, 1, 1, 1, 2]))):
            text = draw(values)
            parts.items.append(el(name, text, draw(st.integers(0, 3))))
            if name in PERSONAL and text is not None and text.strip():
                parts.personal.add(text.strip())
    parts.items += draw(st.lists(NOISE, max_size=2))
    if draw(st.booleans()):
        draw(st.randoms(use_true_random=False)).shuffle(parts.items)
    return parts


def group(name: str, parts: Parts) -> str:
    return f"<{name}>{''.join(parts.items)}</{name}>"


@st.composite
def listing(draw, container: str, item: str, values) -> str:
    """A list container (<Disabilities>, <Reviews>, ...): absent, empty or with items."""
    kind = draw(st.integers(0, 4))
    if kind == 0:
        return ""
    if kind == 1:
        return f"<{container}/>"
    items = [el(item, draw(values), draw(st.integers(0, 3)))
             for _ in range(draw(st.integers(1, 3)))]
    items += draw(st.lists(NOISE, max_size=1))
    return f"<{container}>{''.join(items)}</{container}>"


def assessment(draw) -> str:
    parts = draw(fields({"AssessmentActualStartDate": DAY, "AssessmentInternalReviewDate": DAY,
                         "AssessmentAuthorisationDate": DAY}))
    parts.items.append(draw(listing("FactorsIdentifiedAtAssessment", "AssessmentFactors", FACTOR)))
    return group("Assessments", parts)


def cin_plan(draw) -> str:
    return group("CINPlanDates", draw(fields({"CINPlanStartDate": DAY, "CINPlanEndDate": DAY})))


def section47(draw) -> str:
    return group("Section47", draw(fields({"S47ActualStartDate": DAY, "InitialCPCtarget": DAY,
                                           "DateOfInitialCPC": DAY, "ICPCnotRequired": FLAG})))


def protection_plan(draw) -> str:
    parts = draw(fields({"CPPstartDate": DAY, "CPPendDate": DAY,
                         "InitialCategoryOfAbuse": CATEGORY, "LatestCategoryOfAbuse": CATEGORY,
                         "NumberOfPreviousCPP": COUNT}))
    parts.items.append(draw(listing("Reviews", "CPPreviewDate", DAY)))
    return group("ChildProtectionPlans", parts)


GROUPS = (assessment, cin_plan, section47, protection_plan)
# Groups that start inside one another (open ones last to ReferenceDate), and plan reviews
# that fall inside CIN plans (4003): n of them once gave n * n issues or places.
CLASHING = [
    "<Assessments><AssessmentActualStartDate>2024-05-01</AssessmentActualStartDate></Assessments>",
    "<CINPlanDates><CINPlanStartDate>2024-05-01</CINPlanStartDate>"
    "<CINPlanEndDate>2024-10-01</CINPlanEndDate></CINPlanDates>",
    "<CINPlanDates><CINPlanStartDate>2024-06-03</CINPlanStartDate></CINPlanDates>",
    "<Section47><S47ActualStartDate>2024-05-01</S47ActualStartDate>"
    "<DateOfInitialCPC>2024-05-20</DateOfInitialCPC></Section47>",
    "<ChildProtectionPlans><CPPstartDate>2024-06-03</CPPstartDate><Reviews>"
    "<CPPreviewDate>2024-07-01</CPPreviewDate></Reviews></ChildProtectionPlans>",
]


@st.composite
def episode(draw, many: bool = False) -> str:
    parts = draw(fields({"CINreferralDate": DAY, "ReferralSource": SOURCE, "PrimaryNeedCode": NEED,
                         "CINclosureDate": DAY, "ReasonForClosure": REASON,
                         "DateOfInitialCPC": DAY, "ReferralNFA": FLAG}))
    for make in GROUPS:
        parts.items += [make(draw) for _ in range(draw(st.integers(0, 2)))]
    if many:  # many groups of one kind that all clash: the pair rules' pathological case
        copies = draw(st.integers(6, 60))
        if draw(st.booleans()):
            parts.items += [draw(st.sampled_from(CLASHING))] * copies  # identical groups
        else:
            parts.items += draw(st.lists(st.sampled_from(CLASHING), min_size=copies,
                                         max_size=copies))
    if draw(st.booleans()):
        draw(st.randoms(use_true_random=False)).shuffle(parts.items)
    return group("CINdetails", parts) if draw(st.integers(0, 15)) else "<CINdetails/>"


@dataclass
class DrawnChild:
    xml: str
    personal: set[str]


@st.composite
def children(draw, crowded: int = 8) -> DrawnChild:
    """A child; one in `crowded` has an episode with many clashing groups."""
    identifiers = draw(fields({**PERSONAL, "UPNunknown": UNKNOWN_UPN, "Sex": SEX}))
    characteristics = draw(fields({"Ethnicity": ETHNICITY}))
    characteristics.items.append(draw(listing("Disabilities", "Disability", DISABILITY)))
    many = draw(st.integers(1, crowded)) == 1
    episodes = [draw(episode(many=many and n == 0))
                for n in range(draw(st.integers(1 if many else 0, 3)))]
    parts = [group("ChildIdentifiers", identifiers), group("ChildCharacteristics", characteristics),
             *episodes]
    if draw(st.integers(0, 10)) == 0:  # an identifying element where it does not belong
        name = draw(st.sampled_from(sorted(PERSONAL)))
        text = draw(PERSONAL[name])
        parts.append(el(name, text))
        identifiers.personal.add(text.strip())
    if draw(st.integers(0, 12)) == 0:  # a <Child> inside a group is no child (S01)
        parts.insert(1, "<Child><ChildIdentifiers><LAchildID>nested</LAchildID>"
                        "</ChildIdentifiers></Child>")
    if draw(st.booleans()):
        draw(st.randoms(use_true_random=False)).shuffle(parts)
    return DrawnChild(f"<Child>{''.join(parts)}</Child>", identifiers.personal)


HEADER_REFERENCE = value(["2025-03-31", "2024-03-31", "2025-03-30"], ["2025-02-30", "31/03/2025"])


@st.composite
def header(draw) -> str:
    collection = draw(fields({"Collection": value(["CIN"], ["cin", "CLA"]),
                              "Year": value(["2025"], ["2024", "25"]),
                              "ReferenceDate": HEADER_REFERENCE}))
    source = draw(fields({"SourceLevel": value(["L"], ["X"]),
                          "LEA": value(["201", "202", "873"], ["999", "20", "abc"]),
                          "SoftwareCode": value(["tests"], ["[bold]x"]),
                          "Release": value(["1"], ["1.0"]), "SerialNo": value(["1"], ["-1"]),
                          "DateTime": value(["2025-04-01T09:00:00"], ["yesterday"])}))
    parts = [group("CollectionDetails", collection), group("Source", source)]
    if draw(st.booleans()):
        parts.append("<Content><CBDSLevels><CBDSLevel>CIN</CBDSLevel></CBDSLevels></Content>")
    return f"<Header>{''.join(parts)}</Header>"


@dataclass
class Drawn:
    """A drawn return; `xml(order)` writes it with its children in another order."""

    header: str  # "" for no header
    header_last: bool  # the header after </Children>
    namespace: bool  # a default namespace on <Message>
    children: list[str]
    strays: list[str]  # what stands before each child and after the last (len(children) + 1)
    personal: set[str]  # every identifying value written, trimmed

    def xml(self, order: list[int] | None = None) -> bytes:
        order = list(range(len(self.children))) if order is None else order
        body = "".join(self.strays[n] + self.children[index] for n, index in enumerate(order))
        body += self.strays[len(self.children)]
        head = "" if self.header_last else self.header
        tail = self.header if self.header_last else ""
        message = '<Message xmlns="http://www.dfe.gov.uk/CIN">' if self.namespace else "<Message>"
        return (f'<?xml version="1.0" encoding="UTF-8"?>\n{message}{head}\n<Children>\n{body}'
                f"</Children>{tail}</Message>\n").encode("utf-8")


STRAY = st.one_of(st.just(""), st.just(""), st.just("\n"), NOISE,
                  st.sampled_from(["<Foo/>", "<Foo/><!--c-->", "<Foo/><Bar/>", "<?pi x?><Baz/>"]))


@st.composite
def returns(draw, max_children: int = 5, crowded: int = 8) -> Drawn:
    """A return; one child in `crowded` has many clashing groups."""
    drawn = draw(st.lists(children(crowded), max_size=max_children))
    if drawn and draw(st.integers(0, 2)) == 0:
        drawn.append(draw(st.sampled_from(drawn)))  # the same child twice: 8510, 1520
    head = draw(header()) if draw(st.integers(0, 10)) else ""
    return Drawn(header=head, header_last=draw(st.integers(0, 8)) == 0,
                 namespace=draw(st.integers(0, 5)) == 0,
                 children=[child.xml for child in drawn],
                 strays=[draw(STRAY) for _ in range(len(drawn) + 1)],
                 personal=set().union(*(child.personal for child in drawn)))


def shuffled(drawn: Drawn, seed: int) -> list[int]:
    order = list(range(len(drawn.children)))
    random.Random(seed).shuffle(order)
    return order
