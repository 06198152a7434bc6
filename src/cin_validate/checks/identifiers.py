"""Child identifiers: UPN, former UPN, LA child ID, sex, birth and death dates (group 1).

The spec's notation in the examples below: a value in backquotes is the trimmed element text;
`—` is an absent element. ReferenceDate is 2025-03-31 unless an example says otherwise.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Iterable

from ..dates import add_days, add_months, add_years, birthday
from ..model import Child
from .base import Context, Finding, at, at_each, found
from .facts import DEATH, EXPECTED_BIRTH, FORMER_UPN, NO_UPN, UPN, needs

# UN1 says "not of school age", so it is no reason for a school-age child (8770Q).
NOT_OF_SCHOOL_AGE = "UN1"
NO_FURTHER_ACTION_REASON = "UN7"
UNBORN_SEX = "U"
MAX_LA_CHILD_ID_LENGTH = 20

_LA_CHILD_ID = re.compile(r"[A-Za-z0-9]+")
# A capital letter, 11 digits, then a digit (permanent) or a capital (temporary UPN).
_UPN_FORMAT = re.compile(r"[A-Z][0-9]{11}[0-9A-Z]")


# -- UPN anatomy (G7) ----------------------------------------------------------------------
# A UPN is 13 characters: 1 check letter, 2-4 the issuing LA, 5-12 digits, 13 a digit or (a
# temporary UPN) a letter. Positions below are 0-based slices of the trimmed value.

UPN_LENGTH = 13
CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"  # I, O and S are never used; A = 0 ... Z = 22
_LA = slice(1, 4)
_SERIAL = slice(4, 12)
_LAST = 12
_VALUE = {**{str(digit): digit for digit in range(10)},
          **{letter: value for value, letter in enumerate(CHECK_LETTERS)}}  # character 13
_WEIGHTS = range(2, UPN_LENGTH + 1)


def _ascii_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _has_valid_last_character(upn: str) -> bool:
    """13 characters, the last a digit or a capital of the check-letter alphabet (1550)."""
    return len(upn) == UPN_LENGTH and upn[_LAST] in _VALUE


def expected_check_letter(upn: str) -> str | None:
    """The check letter characters 2 to 13 call for, or None when they cannot be checked.

    Sum of position x value over positions 2-13, mod 23, as a letter of `CHECK_LETTERS`.
    >>> expected_check_letter("Z801200001001"), expected_check_letter("X94212342456C")
    ('H', 'X')
    """
    if not (_has_valid_last_character(upn) and _ascii_digits(upn[1:_LAST])):
        return None
    total = sum(weight * _VALUE[char] for weight, char in zip(_WEIGHTS, upn[1:]))
    return CHECK_LETTERS[total % 23]


# -- dates that depend on ReferenceDate (cached: one return has one ReferenceDate) ---------

@lru_cache(maxsize=8)
def expected_birth_range(reference_date: date) -> tuple[date, date]:
    """8530Q's range, both ends inclusive: ReferenceDate minus 30 days to plus 9 months."""
    return add_days(reference_date, -30), add_months(reference_date, 9)


@lru_cache(maxsize=8)
def over_25_cutoff(reference_date: date) -> date:
    """A child born strictly before this day (ReferenceDate minus 25 years) is over 25."""
    return add_years(reference_date, -25)


def school_age_cutoff(reference_date: date) -> date:
    """A child born on or before this day is of school age (8770Q): 31 August of the
    ReferenceDate's year minus 6, so the child had turned 5 before the school year began."""
    # A ReferenceDate before year 7 has no such year; year 1 is the earliest there is.
    return date(max(reference_date.year - 6, date.min.year), 8, 31)


# -- UPN -----------------------------------------------------------------------------------

@needs(UPN)
def wrong_upn_check_letter(child: Child, ctx: Context) -> Iterable[Finding]:
    """1510: a checkable UPN must start with the check letter computed from characters 2-13.

    Passes: `H801200001001`; `G80120000101A`; `H80120000100` (1550's); `H8012E0001001` (1540's).
    Fails: `Z801200001001`; `h801200001001`; `H80120000101A` (should be G).
    """
    upn = child.identifiers.upn
    if upn is None:
        return
    letter = expected_check_letter(upn)
    if letter is not None and upn[0] != letter:
        yield found(child.identifiers, "UPN", detail=f"the check letter should be {letter}")


@needs(UPN)
def upn_la_code_unknown(child: Child, ctx: Context) -> Iterable[Finding]:
    """1530: characters 2-4 of a UPN must be a recognised (possibly former or pseudo) LA code.

    Passes: `R420123424567`; `K909123424567`.
    Fails: `W421123424567`; `E000200005001`; `R34`.
    """
    upn = child.identifiers.upn
    if upn is not None and upn[_LA] not in ctx.codes["upn-la-codes"]:
        yield found(child.identifiers, "UPN")


@needs(UPN)
def upn_serial_not_numeric(child: Child, ctx: Context) -> Iterable[Finding]:
    """1540: characters 5-12 of a UPN must all exist and be digits 0-9.

    Passes: `G80120000101A`; `H80120000100` (12 characters).
    Fails: `H8012E0001001`; `H8012`.
    """
    upn = child.identifiers.upn
    if upn is None:
        return
    if len(upn) < _SERIAL.stop or not _ascii_digits(upn[_SERIAL]):
        yield found(child.identifiers, "UPN")


@needs(UPN)
def upn_last_character_invalid(child: Child, ctx: Context) -> Iterable[Finding]:
    """1550: a UPN must have 13 characters, the 13th a digit or a capital other than I, O, S.

    Passes: `H801200001001`; `G80120000101A`.
    Fails: `G80120000101I`; `G80120000101a`; `H80120000100` (12 characters);
    `H8012000010010` (14 characters).
    """
    upn = child.identifiers.upn
    if upn is not None and not _has_valid_last_character(upn):
        yield found(child.identifiers, "UPN")


@needs(FORMER_UPN)
def former_upn_badly_formatted(child: Child, ctx: Context) -> Iterable[Finding]:
    """1560Q: a former UPN must look like a permanent or a temporary UPN (format only).

    Passes: `G80120000101A`; `Z801200001001`.
    Fails: `H80120000100`; `h801200001001`.
    """
    former = child.identifiers.former_upn
    if former is not None and not _UPN_FORMAT.fullmatch(former):
        yield found(child.identifiers, "FormerUPN")


def _school_age_reason(reason: str | None, ctx: Context) -> bool:
    """A UPNunknown reason that explains a school-age child's missing UPN: UN2 to UN7."""
    return reason != NOT_OF_SCHOOL_AGE and reason in ctx.codes["upn-unknown"]


@needs(NO_UPN)
def upn_missing_for_school_age_child(child: Child, ctx: Context) -> Iterable[Finding]:
    """8770Q: a school-age child with a further-action referral needs a UPN or a reason UN2-UN7.

    Passes: DOB 2019-09-01, UPN —; DOB 2010-01-01, UPN — with E{NFA true}.
    Fails: DOB 2019-08-31, UPN —; DOB 2019-08-31, UPN —, UPNunknown UN1.
    """
    ids = child.identifiers
    if ids.upn is not None or _school_age_reason(ids.upn_unknown, ctx):
        return
    if ids.birth_date is None or ids.birth_date > school_age_cutoff(ctx.reference_date):
        return
    if child.further_action_episodes():
        yield found(ids, "UPN", "UPNunknown", "PersonBirthDate")


def un7_with_further_action(child: Child, ctx: Context) -> Iterable[Finding]:
    """8772: with reason UN7 (no further action) every episode's ReferralNFA must be true.

    Passes: UPNunknown UN7 with E{NFA true}; UPNunknown UN7 with E{NFA TRUE};
    UPNunknown UN7 with E{NFA 1}; UPNunknown UN7, no episodes.
    Fails: UPNunknown UN7 with E{NFA true} and E{NFA false} (one issue, at the second episode);
    UPNunknown UN7 with E{NFA —}.
    """
    if child.identifiers.upn_unknown != NO_FURTHER_ACTION_REASON:
        return
    not_nfa = [episode for episode in child.episodes if not episode.is_nfa]
    if not_nfa:
        yield Finding(at(child.identifiers, "UPNunknown") + at_each(not_nfa, "ReferralNFA"))


# -- LA child ID ---------------------------------------------------------------------------

def la_child_id_missing(child: Child, ctx: Context) -> Iterable[Finding]:
    """8500: every child needs an LAchildID.

    Passes: `DfEX0000001`.
    Fails: ""; `   `; —.
    """
    if child.identifiers.la_child_id is None:
        yield found(child.identifiers, "LAchildID")


def la_child_id_too_long(child: Child, ctx: Context) -> Iterable[Finding]:
    """1570: an LAchildID has at most 20 characters after trimming.

    Passes: `ABCDEFGHIJ1234567890` (20).
    Fails: `ABCDEFGHIJ12345678901` (21).
    """
    la_child_id = child.identifiers.la_child_id
    if la_child_id is not None and len(la_child_id) > MAX_LA_CHILD_ID_LENGTH:
        yield found(child.identifiers, "LAchildID")


def la_child_id_not_alphanumeric(child: Child, ctx: Context) -> Iterable[Finding]:
    """1580: an LAchildID holds only ASCII letters and digits (after trimming).

    Passes: `DfEX0000001`; ` AB123 `.
    Fails: `AB-12345`; `AB 123`; `AB_123`; `ABé123`.
    """
    la_child_id = child.identifiers.la_child_id
    if la_child_id is not None and not _LA_CHILD_ID.fullmatch(la_child_id):
        yield found(child.identifiers, "LAchildID")


# -- sex -----------------------------------------------------------------------------------

def sex_missing_or_invalid(child: Child, ctx: Context) -> Iterable[Finding]:
    """4180: Sex must be M, F or U (case-sensitive; the old gender codes are invalid).

    Passes: `M`; ` F `.
    Fails: —; `m`; `Male`; `0`; `9`.
    """
    if child.identifiers.sex not in ctx.codes["sex"]:
        yield found(child.identifiers, "Sex")


@needs(EXPECTED_BIRTH)
def unborn_child_sex_not_u(child: Child, ctx: Context) -> Iterable[Finding]:
    """8750: an unborn child (expected date of birth, no date of birth) has Sex U.

    Passes: DOB —, EDOB 2025-06-01, Sex U.
    Fails: DOB —, EDOB 2025-06-01, Sex F; DOB —, EDOB 2025-06-01, Sex —.
    """
    ids = child.identifiers
    if ids.is_unborn and ids.sex != UNBORN_SEX:
        yield found(ids, "Sex", "PersonBirthDate", "ExpectedPersonBirthDate")


# -- dates of birth and death --------------------------------------------------------------

def birth_after_reference_date(child: Child, ctx: Context) -> Iterable[Finding]:
    """8520: a date of birth is on or before ReferenceDate.

    Passes: 2025-03-31.
    Fails: 2025-04-01.
    """
    born = child.identifiers.birth_date
    if born is not None and born > ctx.reference_date:
        yield found(child.identifiers, "PersonBirthDate")


def birth_and_expected_birth_both_or_neither(child: Child, ctx: Context) -> Iterable[Finding]:
    """8525Q: exactly one of date of birth and expected date of birth has a valid value.

    Passes: DOB 2010-01-01.
    Fails: DOB 2010-01-01, EDOB 2025-06-01; DOB —; DOB 2015-02-30.
    """
    ids = child.identifiers
    if (ids.birth_date is None) == (ids.expected_birth_date is None):
        yield found(ids, "PersonBirthDate", "ExpectedPersonBirthDate")


@needs(EXPECTED_BIRTH)
def expected_birth_outside_range(child: Child, ctx: Context) -> Iterable[Finding]:
    """8530Q: an expected date of birth lies in March to December of the census year end.

    Passes: 2025-03-01; 2025-12-31.
    Fails: 2025-02-28; 2026-01-01.
    """
    expected = child.identifiers.expected_birth_date
    if expected is None:
        return
    first, last = expected_birth_range(ctx.reference_date)
    if not first <= expected <= last:
        yield found(child.identifiers, "ExpectedPersonBirthDate")


@needs(DEATH)
def death_before_birth(child: Child, ctx: Context) -> Iterable[Finding]:
    """8535Q: a date of death is on or after a (valid) date of birth.

    Passes: DOB 2010-05-05, DOD 2010-05-05.
    Fails: DOB 2010-05-05, DOD 2010-05-04;
    DOB —, EDOB 2025-06-01, DOD 2024-06-01 (an unborn child who died).
    """
    ids = child.identifiers
    if ids.death_date is None:
        return
    if ids.birth_date is None or ids.birth_date > ids.death_date:
        yield found(ids, "PersonDeathDate", "PersonBirthDate")


@needs(DEATH)
def death_outside_census_year(child: Child, ctx: Context) -> Iterable[Finding]:
    """8545Q: a date of death falls within the census year.

    Passes: 2024-04-01; 2025-03-31.
    Fails: 2024-03-31; 2025-04-01.
    """
    died = child.identifiers.death_date
    if died is not None and died not in ctx.period:
        yield found(child.identifiers, "PersonDeathDate")


def over_25_with_activity_after_25th_birthday(child: Child, ctx: Context) -> Iterable[Finding]:
    """8775Q: a child over 25 should have no episode open, or closed, after the 25th birthday.

    Passes: DOB 2000-03-31 with E{ref 2024-06-03};
    DOB 1999-06-15 with E{ref 2024-05-01, close 2024-06-15, RC1}.
    Fails: DOB 2000-03-30 with E{ref 2024-06-03};
    DOB 1999-06-15 with E{ref 2024-05-01, close 2024-06-16, RC1}.
    """
    born = child.identifiers.birth_date
    if born is None or born >= over_25_cutoff(ctx.reference_date):
        return
    turned_25 = birthday(born, 25)
    late = [episode for episode in child.episodes
            if episode.is_open or episode.closure_date > turned_25]
    if late:
        yield Finding(at(child.identifiers, "PersonBirthDate") + at_each(late, "CINclosureDate"))


CHILD_CHECKS = {
    "1510": wrong_upn_check_letter,
    "1530": upn_la_code_unknown,
    "1540": upn_serial_not_numeric,
    "1550": upn_last_character_invalid,
    "1560Q": former_upn_badly_formatted,
    "1570": la_child_id_too_long,
    "1580": la_child_id_not_alphanumeric,
    "4180": sex_missing_or_invalid,
    "8500": la_child_id_missing,
    "8520": birth_after_reference_date,
    "8525Q": birth_and_expected_birth_both_or_neither,
    "8530Q": expected_birth_outside_range,
    "8535Q": death_before_birth,
    "8545Q": death_outside_census_year,
    "8750": unborn_child_sex_not_u,
    "8770Q": upn_missing_for_school_age_child,
    "8772": un7_with_further_action,
    "8775Q": over_25_with_activity_after_25th_birthday,
}
RETURN_CHECKS: dict = {}
