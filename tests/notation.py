"""Read the rule examples' notation into a return: the language of `tests/cases/*.toml` and of
the checks' docstrings ("Passes: A{2025-01-27, —}. Fails: A{2025-01-26, —}.").

One example is a list of terms joined by ", ", " and " or " with "; a note in parentheses is
for the reader only. The terms, in the order they build the return:

    Child{...}, 3 × Child{...}   a new child (ID C1, C2, ... unless given), with any terms inside
    E{...}                       a new episode of the child: ref R, close C, RCx (or reason X),
                                 NFA v, source X, need X, CIN-level D (its DateOfInitialCPC),
                                 and groups; "closure"/"closed" mean close. No group unless given
    A{start, auth, [factors]}    an assessment; no list: no <FactorsIdentifiedAtAssessment>
    C{start..end}, C{start, end} a CIN plan; "open" (or —) is no end date
    P{start..end, reviews[...]}  a child protection plan; also previous N, initial X, latest X
    S{start, cpc, notreq}        a Section 47 enquiry; also cpc D, notreq v, target D by name
    PP{Element value, ...}       a pre-proceedings group holding only the elements named
    [MOB, HAND]                  the child's disabilities ([] an empty <Disabilities>,
                                 Disabilities — none at all)
    DOB d, EDOB d, DOD d, UPN v, FormerUPN v, UPNunknown v, Sex v, ID v, Ethnicity v
                                 the child's identifiers and characteristics
    ReferenceDate v              the header's ReferenceDate (— leaves it out)
    `<CINdetails/>`              raw XML: an episode, or a group of the latest episode
    no episodes, no children     a child without any <CINdetails>; a return without children
    a bare value                 the case's `subject`, one of the names above (e.g. UPN)

A group outside E{...} goes into the child's latest episode, made when needed; a child with no
episode term gets the builders' default episode. Values: — is an absent element, "" an empty
one, `...` a value written exactly (spaces kept, or raw XML such as `<CINdetails/>`), … the
builders' default; anything else is the value as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from builders import (NO_GROUPS, PP_FIELDS, assessment, child, cin_plan, cpp, episode, make_return,
                      pre_proceedings, s47)

DEFAULT = object()  # "…": leave the builder's default

CHILD_FIELDS = {"DOB": "dob", "EDOB": "edob", "DOD": "dod", "UPN": "upn", "FormerUPN": "former_upn",
                "UPNunknown": "upn_unknown", "Sex": "sex", "ID": "id", "Ethnicity": "ethnicity"}
EPISODE_FIELDS = {"ref": "ref", "close": "close", "closure": "close", "closed": "close",
                  "reason": "reason", "NFA": "nfa", "source": "source", "need": "need",
                  "CIN-level": "cpc"}
PP_ELEMENTS = dict(zip(("PPStartDate", "LBPSentDate", "FGDMMeetingOffer", "FGDMMeetingFac",
                        "InitialPPMeetingDate", "ReviewMeetingsCount", "StepDecisionDate",
                        "PPOutcome", "CourtAppDate", "LetterInitCPDate"), PP_FIELDS))
EPISODE_ELEMENTS = ("CINdetails",)
GROUP_ELEMENTS = ("Assessments", "CINPlanDates", "Section47", "ChildProtectionPlans",
                  "PreProceedingsandFGDM")

_OPEN, _CLOSE = "{[(", "}])"
_SEPARATORS = (", ", " and ", " with ")
_GROUP = re.compile(r"(?P<kind>Child|PP|E\d*|[ACPS])\{(?P<body>.*)\}\Z", re.S)
_REPEAT = re.compile(r"(?P<n>\d+) × (?P<term>Child\{.*\})\Z", re.S)


class NotationError(ValueError):
    pass


def split(text: str, separators=_SEPARATORS) -> list[str]:
    """`text` cut at each separator outside brackets and `quotes`, notes in (...) left out."""
    parts, depth, quoted, start, i = [], 0, False, 0, 0
    kept = ""
    while i < len(text):
        char = text[i]
        if char == "`":
            quoted = not quoted
        elif not quoted and char in _OPEN:
            if char == "(" and depth == 0:  # a note: skip to its closing parenthesis
                kept += text[start:i]
                close = text.index(")", i)
                i = start = close + 1
                continue
            depth += 1
        elif not quoted and char in _CLOSE:
            depth -= 1
        elif not quoted and depth == 0:
            separator = next((s for s in separators if text.startswith(s, i)), None)
            if separator:
                parts.append(kept + text[start:i])
                kept, i = "", i + len(separator)
                start = i
                continue
        i += 1
    parts.append(kept + text[start:])
    return [part.strip() for part in parts if part.strip()]


def value(token: str):
    """A written value: — absent, "" empty, `x` exactly x, … the default, else as written."""
    token = token.strip()
    if token == "—":
        return None
    if token == '""':
        return ""
    if token == "…":
        return DEFAULT
    if len(token) >= 2 and token[0] == token[-1] == "`":
        return token[1:-1]
    return token


def listed(token: str) -> tuple:
    """[a, b] as a tuple of values; [] is empty."""
    if not (token.startswith("[") and token.endswith("]")):
        raise NotationError(f"expected a [list], got {token!r}")
    return tuple(value(item) for item in split(token[1:-1], (", ",)))


def named(item: str) -> tuple[str, object]:
    """"name value" as (name, value)."""
    name, _, rest = item.partition(" ")
    return name, value(rest)


def _given(kwargs: dict) -> dict:
    return {key: val for key, val in kwargs.items() if val is not DEFAULT}


# -- the groups ---------------------------------------------------------------------------------

def _assessment(body: str) -> str:
    dates, factors = [], None
    for item in split(body, (", ",)):
        if item.startswith("["):
            factors = listed(item)
        else:
            dates.append(value(item))
    kwargs = dict(zip(("start", "auth"), dates))
    return assessment(**_given(kwargs), factors=factors)


def _span(items: list[str]) -> tuple[list, list[str]]:
    """start and end of a C{} or P{}, written start..end or start, end; the other items."""
    if items and ".." in items[0]:
        start, end = items[0].split("..")
        dates, rest = [start, end], items[1:]
    else:
        dates = [item for item in items[:2] if not item.startswith("reviews[") and " " not in item]
        rest = items[len(dates):]
    return [None if d.strip() == "open" else value(d) for d in dates], rest


def _cin_plan(body: str) -> str:
    (dates, rest) = _span(split(body, (", ",)))
    if rest:
        raise NotationError(f"C{{{body}}}: unexpected {rest}")
    return cin_plan(**_given(dict(zip(("start", "end"), dates))))


def _protection_plan(body: str) -> str:
    dates, rest = _span(split(body, (", ",)))
    kwargs = dict(zip(("start", "end"), dates))
    for item in rest:
        if item.startswith("reviews["):
            kwargs["reviews"] = listed(item[len("reviews"):])
        else:
            name, val = named(item)
            if name not in ("previous", "initial", "latest"):
                raise NotationError(f"P{{{body}}}: unknown {name!r}")
            kwargs[name] = val
    return cpp(**_given(kwargs))


def _section47(body: str) -> str:
    kwargs, positional = {}, ["start", "cpc", "not_required"]
    for item in split(body, (", ",)):
        name, val = named(item)
        if name in ("cpc", "notreq", "target") and " " in item:
            kwargs[{"notreq": "not_required"}.get(name, name)] = val
        else:
            kwargs[positional.pop(0)] = value(item)
    return s47(**_given(kwargs))


def _pre_proceedings(body: str) -> str:
    kwargs = dict.fromkeys(PP_FIELDS)
    for item in split(body, (", ",)):
        name, val = named(item)
        if name not in PP_ELEMENTS:
            raise NotationError(f"PP{{{body}}}: unknown element {name!r}")
        kwargs[PP_ELEMENTS[name]] = val
    return pre_proceedings(**kwargs)


GROUPS = {"A": _assessment, "C": _cin_plan, "P": _protection_plan, "S": _section47,
          "PP": _pre_proceedings}


# -- the return ---------------------------------------------------------------------------------

@dataclass
class _Episode:
    fields: dict = field(default_factory=dict)
    groups: list = field(default_factory=list)
    raw: str | None = None  # an episode written as XML

    def xml(self) -> str:
        if self.raw is not None:
            return self.raw
        return episode(*(self.groups or [NO_GROUPS]), **_given(self.fields))


@dataclass
class _Child:
    fields: dict = field(default_factory=dict)
    episodes: list = field(default_factory=list)
    no_episodes: bool = False

    def latest(self) -> _Episode:
        if not self.episodes:
            self.episodes.append(_Episode())
        return self.episodes[-1]

    def xml(self, number: int) -> str:
        fields = {"id": f"C{number}", **_given(self.fields)}
        if self.no_episodes:
            return child("", **fields)
        return child(*(e.xml() for e in self.episodes), **fields)


class _Return:
    def __init__(self, subject: str | None, reference_date: str | None):
        self.subject = subject
        self.reference_date = reference_date
        self.children: list[_Child] = []
        self.nobody = False

    def current(self) -> _Child:
        if not self.children:
            self.children.append(_Child())
        return self.children[-1]

    def set(self, name: str, val, where: _Child | None = None) -> None:
        if name == "ReferenceDate":
            self.reference_date = val
        elif name in CHILD_FIELDS:
            (where or self.current()).fields[CHILD_FIELDS[name]] = val
        elif name == "Disabilities":
            (where or self.current()).fields["disabilities"] = val
        else:
            raise NotationError(f"unknown name {name!r}")

    def raw(self, xml: str, owner: _Child) -> None:
        element = re.match(r"<(\w+)", xml).group(1)
        if element in EPISODE_ELEMENTS:
            owner.episodes.append(_Episode(raw=xml))
        elif element in GROUP_ELEMENTS:
            owner.latest().groups.append(xml)
        else:
            raise NotationError(f"raw XML {xml!r}: no place for <{element}>")

    def term(self, term: str, owner: _Child | None = None) -> None:
        """Add one term to the return (to `owner` when inside Child{...})."""
        repeat = _REPEAT.match(term)
        if repeat:
            for _ in range(int(repeat["n"])):
                self.term(repeat["term"])
            return
        group = _GROUP.match(term)
        if group:
            kind, body = group["kind"], group["body"]
            if kind == "Child":
                self.children.append(_Child())
                for inner in split(body):
                    self.term(inner, self.children[-1])
            elif kind.startswith("E"):
                self.episode(body, owner or self.current())
            else:
                (owner or self.current()).latest().groups.append(GROUPS[kind](body))
            return
        if term.startswith("`<"):
            self.raw(value(term), owner or self.current())
        elif term.startswith("["):
            self.set("Disabilities", listed(term), owner)
        elif term.startswith("Disabilities "):
            self.set("Disabilities", value(term.partition(" ")[2]), owner)
        elif term == "no episodes":
            (owner or self.current()).no_episodes = True
        elif term == "no children":
            self.nobody = True
        elif term.partition(" ")[0] in CHILD_FIELDS or term.startswith("ReferenceDate "):
            self.set(*named(term), owner)
        elif self.subject is not None:
            self.set(self.subject, value(term), owner)
        else:
            raise NotationError(f"cannot read {term!r} (no subject for a bare value)")

    def episode(self, body: str, owner: _Child) -> None:
        new = _Episode()
        owner.episodes.append(new)
        for item in split(body, (", ",)):
            group = _GROUP.match(item)
            if group:
                new.groups.append(GROUPS[group["kind"]](group["body"]))
            elif re.fullmatch(r"RC\d+", item):
                new.fields["reason"] = item
            elif item.startswith("`<"):
                new.groups.append(value(item))
            else:
                name, val = named(item)
                if name not in EPISODE_FIELDS:
                    raise NotationError(f"E{{{body}}}: unknown {name!r}")
                new.fields[EPISODE_FIELDS[name]] = val

    def xml(self, header_year: str) -> str:
        children = [] if self.nobody else [c.xml(n) for n, c in enumerate(self.children, 1)]
        if not self.nobody and not children:
            children = [child(id="C1")]
        return make_return(*children, reference_date=self.reference_date, year=header_year)


def build(example: str, *, reference_date: str, header_year: str, subject: str | None = None,
          given: str | None = None) -> str:
    """The XML return an example describes; `given` is read first, as if it began the example."""
    made = _Return(subject, reference_date)
    for term in split(given or "") + split(example):
        made.term(term)
    return made.xml(header_year)
