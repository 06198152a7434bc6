"""Personal data in reports: redaction, done once as a transformation of the `Report`.

Two transformations, both returning a new report that every format then draws as usual; its
issues are the original's, each transformed as it is read (`Issues.mapped`), never a copy:

- `redact(report, pseudonyms)` (`--redact`): every child ID becomes a stable pseudonym and every
  value that identifies a person (UPN, former UPN, dates of birth, expected birth and death, and
  any unknown element inside <ChildIdentifiers>) becomes "[redacted]", as does the text of any
  element the return does not define (notice S01), wherever it is;
- `without_personal_values(report)`: the same values dropped, child IDs kept. The CI formats
  (`github`, `junit`) draw from it always, because CI logs are widely readable.

Both work on values, never by searching the words of a text: a child is a `ChildRef` wherever
it is named (the issue's own child, and the other children a duplicate names, `Others`), and a
check's own words about a personal value (1510: "the check letter should be H") go with it.

A pseudonym is `anon-` and the first 12 hex digits of HMAC-SHA256(key, child ID). The key is
given with `--redact-key` (the same child gets the same pseudonym in every run with that key)
or drawn at random once per run (the same child gets the same pseudonym in every format and
every file of that run, and no one can undo it).
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import secrets

from .checks.base import Others, Place
from .model import ChildRef
from .report import Issue, Report

REDACTED = "[redacted]"

# Values that identify a person: never shown under --redact, never in CI formats.
PERSONAL_FIELDS = frozenset({"UPN", "FormerUPN", "PersonBirthDate", "ExpectedPersonBirthDate",
                             "PersonDeathDate"})
CHILD_ID_FIELD = "LAchildID"
# Inside <ChildIdentifiers>, only these values may be shown as written (with the child ID);
# anything else there, known or not (a misspelt <UPN>, a producer's <NHSNumber>), is dropped.
SAFE_IDENTIFIER_FIELDS = frozenset({"Sex", "UPNunknown"})
# An element the return does not define may hold whatever its producer put there (a child's
# name, a note naming a sibling), so its text is never shown either.
UNKNOWN_ELEMENT = "S01"


PSEUDONYM_PREFIX, PSEUDONYM_DIGITS = "anon-", 12


def is_pseudonym(text: str) -> bool:
    """Whether a child ID as a report shows it is one of our pseudonyms."""
    digits = text[len(PSEUDONYM_PREFIX):]
    return (text.startswith(PSEUDONYM_PREFIX) and len(digits) == PSEUDONYM_DIGITS
            and all(char in "0123456789abcdef" for char in digits))


class Pseudonyms:
    """Child ID -> pseudonym, the same for the same ID for the life of this object."""

    def __init__(self, key: str | bytes | None = None):
        if key is None:
            key = secrets.token_bytes(32)
        self._key = key.encode("utf-8") if isinstance(key, str) else key
        self._seen: dict[str, str] = {}

    def __call__(self, child_id: str) -> str:
        pseudonym = self._seen.get(child_id)
        if pseudonym is None:
            digest = hmac.new(self._key, child_id.encode("utf-8"), hashlib.sha256).hexdigest()
            pseudonym = self._seen[child_id] = (f"{PSEUDONYM_PREFIX}"
                                                f"{digest[:PSEUDONYM_DIGITS]}")
        return pseudonym


def _is_personal(place: Place, code: str) -> bool:
    """Whether the value at `place`, quoted by an issue of rule `code`, may identify a person."""
    return code == UNKNOWN_ELEMENT or _identifies(place)


def _identifies(place: Place) -> bool:
    """A value of a field that identifies a person, wherever it is quoted."""
    if place.field in PERSONAL_FIELDS:
        return True
    return (place.path.split("[", 1)[0].split("/", 1)[0] == "ChildIdentifiers"
            and place.field not in SAFE_IDENTIFIER_FIELDS and place.field != CHILD_ID_FIELD)


class _Transform:
    def __init__(self, report: Report, pseudonyms: Pseudonyms | None):
        self.pseudonyms = pseudonyms
        # Every identifying value the report quotes, to replace wherever a place quotes the
        # same value (a referral date equal to a date of birth, say). Not the text of unknown
        # elements: a producer's <Flag>true</Flag> must not hide every ReferralNFA.
        self.replacements: dict[str, str] = {}
        for issue in report.issues:
            for place in issue.places:
                if place.value and _identifies(place):
                    self.replacements[place.value] = REDACTED
            if pseudonyms is not None:
                for child_id in self._child_ids(issue):
                    self.replacements[child_id] = pseudonyms(child_id)

    @staticmethod
    def _child_ids(issue: Issue):
        if issue.child is not None and issue.child.la_child_id:
            yield issue.child.la_child_id
        for place in issue.places:
            if place.field == CHILD_ID_FIELD and place.value:
                yield place.value

    def place(self, place: Place, code: str) -> Place:
        if place.value is None:
            return place
        if _is_personal(place, code):
            return dataclasses.replace(place, value=REDACTED)
        if place.field == CHILD_ID_FIELD and self.pseudonyms is not None:
            return dataclasses.replace(place, value=self.pseudonyms(place.value))
        if place.value in self.replacements:  # e.g. a referral date equal to a date of birth
            return dataclasses.replace(place, value=self.replacements[place.value])
        return place

    def child(self, child: ChildRef | None) -> ChildRef | None:
        if child is None or child.la_child_id is None or self.pseudonyms is None:
            return child
        return dataclasses.replace(child, la_child_id=self.pseudonyms(child.la_child_id))

    def others(self, others: Others | None) -> Others | None:
        if others is None:
            return None
        return dataclasses.replace(others, children=tuple(map(self.child, others.children)))

    def issue(self, issue: Issue) -> Issue:
        # A check's words about a personal value may give part of it away: they go with it.
        about_personal_values = any(_is_personal(place, issue.code) for place in issue.places)
        return dataclasses.replace(issue, child=self.child(issue.child),
                                   places=tuple(self.place(place, issue.code)
                                                for place in issue.places),
                                   detail=None if about_personal_values else issue.detail,
                                   others=self.others(issue.others))

    def report(self, report: Report) -> Report:
        return dataclasses.replace(report, issues=report.issues.mapped(self.issue),
                                   notes=list(report.notes))


def redact(report: Report, pseudonyms: Pseudonyms) -> Report:
    """The report with pseudonyms for child IDs and no value that identifies a person."""
    return _Transform(report, pseudonyms).report(report)


def without_personal_values(report: Report) -> Report:
    """The report with no value that identifies a person; child IDs kept (CI formats)."""
    return _Transform(report, None).report(report)
