"""Secure, streaming parsing of a CIN census return into the model.

The file is read with lxml's iterparse: no DTD is loaded, no entity is resolved, nothing is
fetched from a network, and a document that declares entities is refused outright (XXE and
entity-expansion attacks need them; a real return never has them). Each <Child> is turned into
a `model.Child` as soon as its end tag is read and is then cleared from the tree, so memory
stays flat however many children the return holds.

Elements are matched by local name (some exports put a default namespace on <Message>), in any
order. What the file gets wrong in its structure (an unknown element, a value that is not a
date, a repeated single element) is recorded as a `Structural` notice with its line; the bad
value is absent for the DfE rules.
"""

from __future__ import annotations

import dataclasses
import os
import stat
from dataclasses import dataclass
from typing import Callable, Iterator

from lxml import etree

from . import model, years
from .values import clean, parse_bool, parse_date, parse_int

TEXT, DATE, BOOL, INT = "text", "date", "bool", "int"
_CONVERT: dict[str, Callable[[str | None], object]] = {
    DATE: parse_date, BOOL: parse_bool, INT: parse_int,
}
_BAD_VALUE_CODE = {DATE: "S02", BOOL: "S04", INT: "S05"}

# element name -> (model attribute, kind); one table per part of the return (xml-structure.md)
HEADER_COLLECTION = {"Collection": ("collection", TEXT), "Year": ("year", TEXT),
                     "ReferenceDate": ("reference_date_text", TEXT)}
HEADER_SOURCE = {"SourceLevel": ("source_level", TEXT), "LEA": ("lea", TEXT),
                 "SoftwareCode": ("software_code", TEXT), "Release": ("release", TEXT),
                 "SerialNo": ("serial_no", TEXT), "DateTime": ("date_time", TEXT)}
IDENTIFIERS = {
    "LAchildID": ("la_child_id", TEXT), "UPN": ("upn", TEXT), "FormerUPN": ("former_upn", TEXT),
    "UPNunknown": ("upn_unknown", TEXT), "PersonBirthDate": ("birth_date", DATE),
    "ExpectedPersonBirthDate": ("expected_birth_date", DATE), "Sex": ("sex", TEXT),
    "PersonDeathDate": ("death_date", DATE),
}
CHARACTERISTICS = {"Ethnicity": ("ethnicity", TEXT)}
EPISODE = {
    "CINreferralDate": ("referral_date", DATE), "ReferralSource": ("referral_source", TEXT),
    "PrimaryNeedCode": ("primary_need", TEXT), "CINclosureDate": ("closure_date", DATE),
    "ReasonForClosure": ("reason_for_closure", TEXT), "DateOfInitialCPC": ("initial_cpc_date", DATE),
    "ReferralNFA": ("referral_nfa", BOOL),
}
ASSESSMENT = {
    "AssessmentActualStartDate": ("start_date", DATE),
    "AssessmentInternalReviewDate": ("internal_review_date", DATE),
    "AssessmentAuthorisationDate": ("authorisation_date", DATE),
}
CIN_PLAN = {"CINPlanStartDate": ("start_date", DATE), "CINPlanEndDate": ("end_date", DATE)}
SECTION47 = {
    "S47ActualStartDate": ("start_date", DATE), "InitialCPCtarget": ("icpc_target", DATE),
    "DateOfInitialCPC": ("icpc_date", DATE), "ICPCnotRequired": ("icpc_not_required", BOOL),
}
PROTECTION_PLAN = {
    "CPPstartDate": ("start_date", DATE), "CPPendDate": ("end_date", DATE),
    "InitialCategoryOfAbuse": ("initial_category", TEXT),
    "LatestCategoryOfAbuse": ("latest_category", TEXT),
    "NumberOfPreviousCPP": ("previous_plans", INT),
}
PRE_PROCEEDINGS = {  # 2026-27 on (rules/2026-27-module5.md)
    "PPStartDate": ("start_date", DATE), "LBPSentDate": ("letter_sent_date", DATE),
    "FGDMMeetingOffer": ("fgdm_offered", BOOL), "FGDMMeetingFac": ("fgdm_facilitated", BOOL),
    "InitialPPMeetingDate": ("initial_meeting_date", DATE),
    "ReviewMeetingsCount": ("review_meetings", INT),
    "StepDecisionDate": ("step_decision_date", DATE), "PPOutcome": ("outcome", TEXT),
    "CourtAppDate": ("court_application_date", DATE),
    "LetterInitCPDate": ("care_proceedings_letter_date", DATE),
}
# The episode's repeatable groups: (element, model class, value table, model attribute).
# A group a collection year adds (`years.Collection.elements`) is read only in that year.
EPISODE_GROUPS = (
    ("Assessments", model.Assessment, ASSESSMENT, "assessments"),
    ("CINPlanDates", model.CINPlan, CIN_PLAN, "cin_plans"),
    ("Section47", model.Section47, SECTION47, "section47s"),
    ("ChildProtectionPlans", model.ProtectionPlan, PROTECTION_PLAN, "protection_plans"),
    ("PreProceedingsandFGDM", model.PreProceedings, PRE_PROCEEDINGS, "pre_proceedings"),
)
BASE_EPISODE_GROUPS = frozenset({"Assessments", "CINPlanDates", "Section47",
                                 "ChildProtectionPlans"})

# Some producers add CBDSLevels under Header/Content; it is not part of the return's data.
IGNORED_IN_HEADER = frozenset({"Content"})

# Every parse of a return: no DTD, no entity expansion, no network, libxml2's size limits on.
_SECURE = {"resolve_entities": False, "load_dtd": False, "no_network": True, "huge_tree": False}

# Bigger than any real return's prolog; a DOCTYPE must come before the root element.
_PROLOG_LIMIT = 1 << 16


class ReturnError(Exception):
    """The file cannot be validated at all: not XML, truncated, hostile, wrong root, unreadable."""

    def __init__(self, path: str, message: str, line: int | None = None, column: int | None = None):
        self.path, self.message, self.line, self.column = path, message, line, column
        super().__init__(self.one_line())

    def one_line(self) -> str:
        place = self.path
        if self.line:
            place += f":{self.line}"
            if self.column:
                place += f":{self.column}"
        return f"{place}: {self.message}"


@dataclass(frozen=True, slots=True)
class Structural:
    """A structural problem the parser noticed (codes S01..S08 in rules/structural.toml)."""

    code: str
    path: str  # the element's parent group inside the child (or "Header", "Message")
    field: str  # the element's local name
    text: str | None
    line: int | None


def _local(tag: str) -> str:
    return tag.rpartition("}")[2] if tag[0] == "{" else tag


# libxml2 keeps an element's line in 16 bits: from line 65,535 on, lxml's `sourceline` is worked
# out from the text inside or after the element, and that text's line is where it *ends*. A
# return of 2,000 children is longer than that, so every line past it is put right here.
LINES_KEPT = 65_535


# How many nodes `_line` looks at to place one that holds no text past LINES_KEPT: enough for
# any layout a producer writes. Beyond it (thousands of empty elements in a row) an element
# gets the line of a node before it, rather than a search through every node after it.
_LOOK_AHEAD = 32
_LOOK_INTO = 8  # to place a node before it, by the first text inside: deeper than any group


def _line(node) -> int | None:
    """The line where `node` (an element, comment or processing instruction) starts.

    Below LINES_KEPT this is `sourceline`. Past it, libxml2 took the line from the first text
    inside an element (which starts right after the start tag: its newlines are counted back),
    else from its first child (which starts where it does), else from the text after it (see
    `_start`). When nothing after it places it, a node before it does (`_before`).
    """
    line = node.sourceline
    if line is None or line < LINES_KEPT:
        return line
    start = _start(node, _LOOK_AHEAD)
    if start is None:
        start = _before(node)
    return start if start is not None else line


def _start(node, look: int) -> int | None:
    """`_line` looking at no more than `look` nodes; None when that is not enough, or when what
    it needs comes after what has been read."""
    line = node.sourceline
    if line < LINES_KEPT:
        return line
    is_element = isinstance(node.tag, str)
    if is_element and node.text is not None:
        return line - node.text.count("\n")
    if is_element and len(node):
        return _start(node[0], look - 1) if look > 0 else None
    # An empty element, a comment or a PI ends on the line where the text after it starts.
    if node.tail is not None:
        line -= node.tail.count("\n")
    else:
        line = _end(node, look - 1)
        if line is None:
            return None
    if not is_element:
        line -= (node.text or "").count("\n")  # a comment spanning lines starts earlier
    return line


def _before(node) -> int | None:
    """Where a node nothing after it places starts (an empty last element of a child written on
    one line, whose next line is not read yet; a long row of empty elements), from what comes
    before it: the nearest node before it that can be placed, else its group's text, else
    (nothing before it in its group) where its group starts, every newline between counted.
    Exact when the tags themselves hold no line breaks; past a long row of unplaceable nodes,
    where an enclosing group starts (early)."""
    newlines = 0
    for _ in range(_LOOK_AHEAD):
        previous = node.getprevious()
        if previous is None:
            break
        inside = "".join(previous.itertext()) if isinstance(previous.tag, str) else previous.text
        newlines += (inside or "").count("\n") + (previous.tail or "").count("\n")
        start = _start(previous, _LOOK_INTO)
        if start is not None:
            return start + newlines
        node = previous
    else:  # a long row of unplaceable nodes: where the nearest enclosing group starts
        for group in node.iterancestors():
            if (start := _start(group, _LOOK_AHEAD)) is not None:
                return start
        return None
    group = node.getparent()
    if group is None:
        return None
    if group.text is not None:
        return _start(group, 0) + group.text.count("\n") + newlines
    start = _before(group)
    return None if start is None else start + newlines


def _end(node, look: int) -> int | None:
    """The line `node` ends on, worked back from the node after it (or after its parent)."""
    if look <= 0:
        return None
    following = node.getnext()
    if following is not None:
        end = _start(following, look - 1)
    else:
        parent = node.getparent()
        end = _end(parent, look - 1) if parent is not None else None
    if end is not None and node.tail is not None:
        end -= node.tail.count("\n")
    return end


def _value_line(line: int, el, raw: str | None, text: str | None) -> int:
    """`_line` of a value element past LINES_KEPT, given its `sourceline`, its first text as
    read (`raw`) and trimmed (`text`): the text's line, less the newlines trimming removed."""
    if raw is None:
        return _line(el)
    return line - raw.count("\n") if text is not raw else line


def _has_elements(el) -> bool:
    """A group counts only when it holds at least one element (comments do not count)."""
    return len(el) > 0 and any(isinstance(sub.tag, str) for sub in el)


def _text_of(el) -> str | None:
    """The trimmed text of a value element: comments or processing instructions inside it do
    not hide any part of it. (One holding elements has no value; the caller notes S06.)"""
    if len(el) and not _has_elements(el):
        return clean("".join(el.itertext()))
    return clean(el.text)


class _Part:
    """How one part of the return (a group element) is read into its model class.

    Worked out once per reader: for each value element, the position of its field among the
    class's fields (so a node is built from a list of arguments, which costs a third of
    building it from keywords), its converter and the notice of a value that does not convert;
    the handlers of its sub-groups (which `_GroupReader` adds); and the positions of the tuples
    they fill, as lists first (adding to a tuple for each of n repeated groups would copy n * n
    items).
    """

    def __init__(self, cls: type, values: dict[str, tuple[str, str]] | None = None) -> None:
        fields = dataclasses.fields(cls)
        self.cls = cls
        self.position = [field.name for field in fields].index
        self.defaults = [None if field.default is dataclasses.MISSING else field.default
                         for field in fields]
        self.values = {element: (self.position(attribute), _CONVERT.get(kind),
                                 _BAD_VALUE_CODE.get(kind))
                       for element, (attribute, kind) in (values or {}).items()}
        self.path, self.line, self.source = map(self.position, ("path", "line", "source"))
        self.groups: dict[str, Callable] = {}  # sub-group name -> handler(sub, path, args)
        self.lists: tuple[int, ...] = ()
        self.ignored: frozenset[str] = frozenset()

    def add_group(self, name: str, handler: Callable, *lists: str) -> None:
        """Read the sub-group `name` with `handler(sub, path, args)`, which fills the tuples
        named `lists`."""
        self.groups[name] = handler
        self.lists += tuple(self.position(key) for key in lists)


class _GroupReader:
    """Reads children (and the header) into the model; collects each one's structural notices.

    One reader serves a whole file: its parts are worked out once, not per child.
    `elements` are the groups the collection year adds to the return (2026-27's module 5).
    """

    def __init__(self, elements: frozenset[str] = frozenset()) -> None:
        self.notices: list[Structural] = []
        self._header = _Part(model.Header)
        self._header.ignored = IGNORED_IN_HEADER
        for name, table in (("CollectionDetails", HEADER_COLLECTION), ("Source", HEADER_SOURCE)):
            self._header_part(self._header, name, _Part(model.Header, table))

        episode = _Part(model.Episode, EPISODE)
        for name, cls, table, key in EPISODE_GROUPS:
            if name in BASE_EPISODE_GROUPS or name in elements:
                group = _Part(cls, table)
                self._repeated(episode, name, key, group)
                if name == "Assessments":
                    self._code_list(group, "FactorsIdentifiedAtAssessment", "AssessmentFactors",
                                    "factors", "factor_items")
                elif name == "ChildProtectionPlans":
                    self._reviews(group, "Reviews")
        characteristics = _Part(model.Characteristics, CHARACTERISTICS)
        self._code_list(characteristics, "Disabilities", "Disability", "disabilities",
                        "disability_items")
        self._child = _Part(model.Child)
        self._single(self._child, "ChildIdentifiers", "identifiers",
                     _Part(model.Identifiers, IDENTIFIERS))
        self._single(self._child, "ChildCharacteristics", "characteristics", characteristics)
        self._repeated(self._child, "CINdetails", "episodes", episode)

    def note(self, code: str, path: str, el, text: str | None = None) -> None:
        self.notices.append(Structural(code, path, _local(el.tag), text, _line(el)))

    def fill(self, part: _Part, el, path: str, args: list) -> bool:
        """Read the elements of the group `el` into `args`, the arguments of `part.cls` in
        field order; False when it holds no element (comments do not count)."""
        values, groups, source = part.values, part.groups, args[part.source]
        counts: dict[str, int] = {}
        held = False
        for sub in el:  # the innermost loop of the parser: _local and clean are inlined
            name = sub.tag
            if type(name) is not str:
                continue  # a comment or processing instruction
            held = True
            if name[0] == "{":
                name = name.rpartition("}")[2]
            spec = values.get(name)
            if spec is not None:
                if name in source:
                    self.note("S03", path, sub, _text_of(sub))
                    continue
                raw = text = sub.text
                if text is not None:
                    text = text.strip() or None  # values.clean, inlined: the hottest line
                if len(sub):  # len() first: a value has no children
                    if _has_elements(sub):
                        self.note("S06", path, sub)
                        text = None
                    else:  # a comment or PI inside the value
                        text = _text_of(sub)
                line = sub.sourceline
                if line >= LINES_KEPT:  # _value_line, inlined as clean is
                    if raw is None:
                        line = _line(sub)
                    elif text is not raw:
                        line -= raw.count("\n")
                source[name] = (text, line)
                position, convert, bad_value = spec
                if convert is None or text is None:
                    args[position] = text
                    continue
                value = convert(text)
                if value is None:
                    self.note(bad_value, path, sub, text)
                args[position] = value
            elif name in groups:
                number = counts[name] = counts.get(name, 0) + 1
                groups[name](sub, f"{path}/{name}[{number}]" if path else f"{name}[{number}]",
                             args)
            elif name not in part.ignored:
                self.note("S01", path, sub, clean(sub.text) if not _has_elements(sub) else None)
        return held

    def build(self, part: _Part, el, path: str, empty_too: bool = False):
        """The node of `part.cls` for the group `el`; None when it holds no element, unless
        `empty_too` (a group a child has once counts even when empty)."""
        args = part.defaults.copy()
        line = el.sourceline
        if line >= LINES_KEPT:  # _line, inlined for a group (which holds text: its layout)
            text = el.text
            line = line - text.count("\n") if text is not None else _line(el)
        args[part.path], args[part.line], args[part.source] = path, line, {}
        lists = part.lists
        if lists:
            for position in lists:
                args[position] = []
        if not self.fill(part, el, path, args) and not empty_too:
            return None
        if lists:
            for position in lists:
                args[position] = tuple(args[position])
        return part.cls(*args)

    def code_items(self, el, path: str, item: str) -> list[model.CodeItem]:
        """Each non-empty value of a list container such as <Disabilities>, with its line."""
        found: list[model.CodeItem] = []
        for sub in el:
            tag = sub.tag
            if type(tag) is not str:
                continue
            if _local(tag) != item:
                self.note("S01", path, sub)
                continue
            raw = text = sub.text
            if len(sub):
                if _has_elements(sub):
                    self.note("S06", path, sub)
                    continue
                text = _text_of(sub)
            elif text is not None:
                text = text.strip() or None
            if text is not None:
                line = sub.sourceline
                if line >= LINES_KEPT:
                    line = _value_line(line, sub, raw, text)
                found.append(model.CodeItem(text, path, line, {item: (text, line)}))
        return found

    # -- sub-groups: each reads the group `element` of `parent` into the parent's `args` ------

    def _single(self, parent: _Part, element: str, key: str, part: _Part) -> None:
        """A group a child has once (ChildIdentifiers), even empty; a repeat is S03."""
        position = parent.position(key)

        def handler(sub, path, args):
            if args[position] is not None:
                self.note("S03", "", sub)
            else:
                args[position] = self.build(part, sub, path.rpartition("[")[0], empty_too=True)
        parent.add_group(element, handler)

    def _repeated(self, parent: _Part, element: str, key: str, part: _Part) -> None:
        """A repeatable group, read into the tuple `key`; an empty one is no group (rules
        README: an empty <CINdetails/> is no episode)."""
        position = parent.position(key)

        def handler(sub, path, args):
            node = self.build(part, sub, path)
            if node is not None:
                args[position].append(node)
        parent.add_group(element, handler, key)

    def _code_list(self, parent: _Part, container: str, item: str, codes: str,
                   items: str) -> None:
        """A list container (<Disabilities>) read into the codes and the item nodes; the
        source points at the first container and the first item."""
        codes_at, items_at = parent.position(codes), parent.position(items)

        def handler(sub, path, args):
            found = self.code_items(sub, path, item)
            args[codes_at].extend(i.code for i in found)
            args[items_at].extend(found)
            source = args[parent.source]
            if container not in source:  # the first container's line
                source[container] = (None, _line(sub))
            if found:
                source.setdefault(item, found[0].source[item])
        parent.add_group(container, handler, codes, items)

    def _reviews(self, parent: _Part, element: str) -> None:
        """A plan's <Reviews>: an empty one is no group (rules README); one holding only
        unknown elements is present, and 8842Q reports its missing date."""
        reviews_at, groups_at = parent.position("reviews"), parent.position("review_groups")

        def handler(sub, path, args):
            if not _has_elements(sub):
                return
            reviews = []
            for review in sub:
                if not isinstance(review.tag, str):
                    continue
                if _local(review.tag) != "CPPreviewDate":
                    self.note("S01", path, review)
                    continue
                if _has_elements(review):  # as for any value element: S06, and absent
                    self.note("S06", path, review)
                    text = None
                else:
                    text = _text_of(review)
                value = parse_date(text)
                if value is None and text is not None:
                    self.note("S02", path, review, text)
                review_path, line = f"{path}/CPPreviewDate[{len(reviews) + 1}]", _line(review)
                reviews.append(model.Review(date=value, path=review_path, line=line,
                                            source={"CPPreviewDate": (text, line)}))
            group = model.ReviewsGroup(reviews=tuple(reviews), path=path, line=_line(sub))
            args[reviews_at].extend(group.reviews)
            args[groups_at].append(group)
        parent.add_group(element, handler, "reviews", "review_groups")

    def _header_part(self, header: _Part, element: str, part: _Part) -> None:
        """<CollectionDetails> or <Source>, read on its own into the header; a repeated one is
        S03 and ignored, as for any single element (the first one is used)."""
        def handler(sub, path, args):
            if not path.endswith("[1]"):  # `fill` numbers each group name in document order
                self.note("S03", "Header", sub)
                return
            own = part.defaults.copy()
            own[part.source] = {}
            self.fill(part, sub, "Header", own)
            for name in own[part.source]:
                position = part.values[name][0]
                args[position] = own[position]
            args[part.source].update(own[part.source])
        header.add_group(element, handler)

    # -- the two parts read from the stream ---------------------------------------------------

    def header(self, el) -> model.Header:
        header = self.build(self._header, el, "Header", empty_too=True)
        header.reference_date = parse_date(header.reference_date_text)
        return header

    def child(self, el, index: int) -> model.Child:
        child = self.build(self._child, el, "", empty_too=True)
        child.identifiers = child.identifiers or model.Identifiers()
        child.characteristics = child.characteristics or model.Characteristics()
        child.ref = model.ChildRef(index, child.identifiers.la_child_id, _line(el))
        return child


def _iterparse(path: str, **options) -> etree.iterparse:
    """lxml's iterparse of the return at `path`, with the secure options. The name goes as the
    system's bytes: lxml would encode a str as UTF-8, which a name that is not valid UTF-8
    (held as surrogate escapes) cannot be. The error log starts clear, so that a fault is
    reported from this parse's own (`_syntax_error`)."""
    etree.clear_error_log()
    return etree.iterparse(os.fsencode(path), **options, **_SECURE)


def _refuse_hostile_prolog(path: str) -> str:
    """Look at the prolog before parsing: refuse entity declarations; return the root's name."""
    try:
        for _event, el in _iterparse(path, events=("start",)):
            dtd = el.getroottree().docinfo.internalDTD
            if dtd is not None and any(True for _ in dtd.iterentities()):
                raise ReturnError(path, "the document declares XML entities (<!ENTITY>), which a "
                                  "CIN return never needs; refused for safety",
                                  _doctype_line(path) or _line(el))
            return _local(el.tag)
    except etree.XMLSyntaxError as error:
        raise _syntax_error(path, error, _looks_like(path)) from None
    raise ReturnError(path, "the file holds no XML element")


# What a file given by mistake starts with, and what to call it.
_SIGNATURES = ((b"PK\x03\x04", "an Excel workbook (.xlsx) or another zip file"),
               (b"\xd0\xcf\x11\xe0", "an old Excel workbook (.xls)"),
               (b"%PDF", "a PDF document"))


def _looks_like(path: str) -> str | None:
    """What a file that is not XML seems to be, from its first bytes: a CSV export or a
    workbook given instead of the return is the usual mistake."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return None
    for signature, name in _SIGNATURES:
        if head.startswith(signature):
            return name
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text[:1] in (b"{", b"["):
        return "a JSON file"
    first_line = text.split(b"\n", 1)[0]
    if b"<" not in text and any(separator in first_line for separator in (b",", b";", b"\t")):
        return "a CSV file"
    return None


def _doctype_line(path: str) -> int | None:
    """The line of the <!DOCTYPE declaration, which always comes before the root element."""
    with open(path, "rb") as handle:
        head = handle.read(_PROLOG_LIMIT)
    position = head.find(b"<!DOCTYPE")
    return head.count(b"\n", 0, position) + 1 if position >= 0 else None


def _syntax_error(path: str, error: etree.XMLSyntaxError,
                  looks_like: str | None = None) -> ReturnError:
    """The first fault libxml2 logged while parsing `path`, where it is: the exception's own
    message is sometimes a later consequence of it, elsewhere (an undefined `&nbsp;` deep in a
    return raised "Start tag expected" at 1:1, or "no element found" with no place)."""
    first = next((entry for entry in error.error_log
                  if entry.level >= etree.ErrorLevels.ERROR), None)
    if first is not None:
        message, line, column = first.message, first.line, first.column
    else:
        message = str(error.msg or error)
        line, column = error.position if error.position else (None, None)
        # lxml appends ", line L, column C" to its message; the place is given once, up front.
        message = message.split(", line ")[0]
    hint = (f" (this looks like {looks_like}; cin-validate reads the CIN census XML return)"
            if looks_like else "")
    return ReturnError(path, f"not well-formed XML: {message.strip()}{hint}", line or None,
                       column or None)


class ReturnReader:
    """Streams a return: `header` once seen, then each `model.Child` with its notices.

    `choice` is the collection year the return is read and validated as (`years.choose`: the
    `year` given, else what the header names); it is decided from the header before the first
    child is read, because a year may add groups to the return (2026-27's module 5), and is
    set once the stream has started (or ended, for a return without children).

    >>> reader = ReturnReader("examples/clean.xml")
    >>> for child, notices in reader: ...
    """

    def __init__(self, path: str | os.PathLike, year: str | None = None):
        self.path = os.fspath(path)
        self.year = year
        self.header: model.Header | None = None
        self.header_notices: list[Structural] = []
        self.children_seen = 0
        self.choice: years.Choice | None = None
        self._reader = _GroupReader()
        self._header_read_ahead = False

    def _choose(self) -> None:
        """Decide the collection year from the header read so far (once)."""
        if self.choice is None:
            self.choice = years.choose(self.header, self.year)
            self._reader = _GroupReader(self.choice.collection.elements)

    def _check_readable(self) -> None:
        try:
            status = os.stat(self.path)
        except FileNotFoundError:
            raise ReturnError(self.path, "no such file") from None
        except OSError as error:  # a folder on the way without permission, a symbolic link loop
            raise self._unreadable(error) from None
        if stat.S_ISDIR(status.st_mode):
            raise ReturnError(self.path, "is a directory, not a return")
        if not stat.S_ISREG(status.st_mode):
            # A return is read twice (its prolog, then the stream): a pipe would be empty
            # the second time.
            raise ReturnError(self.path, "is not a regular file (a pipe or a device): save the "
                              "return to a file and give that")
        if status.st_size == 0:
            raise ReturnError(self.path, "the file is empty", 1, 1)

    def _unreadable(self, error: OSError) -> ReturnError:
        return ReturnError(self.path, f"cannot be read: {error.strerror or error}")

    def __iter__(self) -> Iterator[tuple[model.Child, list[Structural]]]:
        self._check_readable()
        try:
            root_name = _refuse_hostile_prolog(self.path)
        except OSError as error:  # opening it: no read permission, say
            raise self._unreadable(error) from None
        if root_name != "Message":
            raise ReturnError(self.path, f"the root element is <{root_name}>, not <Message>: "
                              "this is not a CIN census return", 1)
        events = _stream(self.path, self.header_notices)
        try:
            for el, parent, is_header in events:
                if is_header:
                    self._read_header(el)
                    continue
                yield self._read_child(el)
                _release(el, parent, self.header_notices)
            self._note_strays(events.root)
            self._choose()
        except etree.XMLSyntaxError as error:
            raise _syntax_error(self.path, error) from None
        except OSError as error:
            raise self._unreadable(error) from None

    def _note_strays(self, root) -> None:
        """Elements directly under <Message> other than <Header> and <Children>."""
        for el in root if root is not None else ():
            if not isinstance(el.tag, str):
                continue
            if _local(el.tag) == "Children":
                # What follows the last child (earlier strays were noted as children streamed).
                for stray in el:
                    if isinstance(stray.tag, str) and _local(stray.tag) != "Child":
                        self.header_notices.append(Structural("S01", "Children", _local(stray.tag),
                                                              None, _line(stray)))
            elif _local(el.tag) != "Header":
                self.header_notices.append(Structural("S01", "Message", _local(el.tag), None,
                                                      _line(el)))

    def _read_header(self, el) -> None:
        reader = self._reader
        reader.notices = []
        if self.header is not None and not self._header_read_ahead:
            reader.note("S03", "Message", el)
        else:
            header = reader.header(el)  # read again when read ahead: its notices come now
            if self.header is None and next(el.itersiblings("{*}Children", preceding=True),
                                            None) is not None:
                # After a <Children> holding no child (with children, the read ahead says so):
                # out of the schema's order all the same.
                reader.note("S08", "Message", el)
            self.header = self.header or header
            self._header_read_ahead = False
        self.header_notices.extend(reader.notices)

    def _read_late_header(self) -> None:
        """Children are checked as they stream, with the header's ReferenceDate. When the first
        <Child> comes before any <Header>, look ahead for a header after <Children> in a quick
        second pass (only such files pay for it)."""
        events = _stream(self.path, [])  # strays are noticed by the main pass
        for el, parent, is_header in events:
            if is_header:
                self.header = _GroupReader().header(el)
                self._header_read_ahead = True
                self.header_notices.append(Structural("S08", "Message", "Header", None,
                                                      _line(el)))
                return
            _release(el, parent, [])

    def _read_child(self, el) -> tuple[model.Child, list[Structural]]:
        self.children_seen += 1
        if self.children_seen == 1:
            if self.header is None:
                self._read_late_header()
            if self.header is None:
                self.header_notices.append(Structural("S07", "Message", "Header", None,
                                                      _line(el)))
            self._choose()  # before the first child: the year decides which groups exist
        reader = self._reader
        reader.notices = []  # each child's notices travel with it
        return reader.child(el, self.children_seen), reader.notices


class _stream:
    """(element, parent, is_header) for the <Header> directly under <Message> and for each
    child, as parsed: a <Child> of a <Children> directly under <Message> (xml-structure.md).

    A <Child> or <Header> anywhere else is no child and no header. Inside a child or the
    header, the reader of that part notices it (S01) and ignores it; one directly under
    <Message> (children written without their <Children>) is noticed and freed here, so that
    memory stays flat. `root` is the document's root once the stream is exhausted.
    """

    def __init__(self, path: str, notices: list[Structural]):
        self._events = _iterparse(path, events=("end",), tag=("{*}Header", "{*}Child"))
        self._notices = notices

    @property
    def root(self):
        return self._events.root

    def __iter__(self):
        for _event, el in self._events:
            parent = el.getparent()
            if parent is None:
                continue  # the root, which is <Message>
            at_top = parent.getparent() is None
            if _local(el.tag) == "Header":
                if at_top:
                    yield el, parent, True
            elif at_top:
                self._notices.append(Structural("S01", "Message", "Child", None, _line(el)))
                parent.remove(el)
            elif _local(parent.tag) == "Children" and parent.getparent().getparent() is None:
                yield el, parent, False


def _release(el, parent, notices: list[Structural]) -> None:
    """Free whatever came before a finished child in <Children>, noting each stray element
    there once (comments and processing instructions go silently). The child itself stays
    until the next one is finished: a stray's line may be worked out from the children on
    either side of it (`_line`), the last child's too."""
    while (first := parent[0]) is not el:
        if isinstance(first.tag, str) and _local(first.tag) != "Child":
            notices.append(Structural("S01", "Children", _local(first.tag), None,
                                      _line(first)))
        del parent[0]
