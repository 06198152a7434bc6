"""Which codes a generated return uses, and how often: the collection's code sets, weighted.

The codes themselves always come from the collection year's code sets
(`collection.codeset(name)`). What lives here is only how often each is drawn, as data keyed
by code: roughly the shape of real returns, never real figures. A weight for a code that the
year's code set lacks is an error when the generator starts, so a year that drops a code cannot
silently write an invalid one. A code that a table leaves out is never drawn from it; why, for
each such code, is said beside the table.
"""

from __future__ import annotations

from typing import Callable, Generic, Mapping, Sequence, TypeVar

from ..checks.characteristics import NO_DISABILITY
from ..checks.facts import NO_FACTORS_IDENTIFIED
from ..checks.identifiers import UNBORN_SEX
from ..checks.pre_proceedings import OUTCOMES
from ..years import Collection
from .dice import Dice

SEX = {"M": 52, "F": 48}  # of born children; unborn ones are U (8750)
# Ethnicity: every code of B2 (unborn children take NOBT most often, see children.py).
ETHNICITY = {
    "WBRI": 58, "WIRI": 1, "WIRT": 1, "WOTH": 6, "WROM": 1, "MWBC": 3, "MWBA": 2, "MWAS": 2,
    "MOTH": 3, "AIND": 2, "APKN": 4, "ABAN": 2, "CHNE": 1, "AOTH": 2, "BCRB": 2, "BAFR": 5,
    "BOTH": 1, "OOTH": 2, "REFU": 1, "NOBT": 1,
}
# Referral source: schools (2A), police (5D), health and LA services dominate real returns.
REFERRAL_SOURCE = {
    "1A": 6, "1B": 2, "1C": 1, "1D": 2, "2A": 18, "2B": 2, "3A": 3, "3B": 4, "3C": 1, "3D": 4,
    "3E": 3, "3F": 3, "4": 2, "5A": 5, "5B": 3, "5C": 2, "5D": 6, "6": 28, "7": 3, "8": 6,
    "9": 1, "10": 1,
}
# Primary need of an episode with no enquiry and no protection plan (those take N1).
PRIMARY_NEED = {
    "N1": 55, "N2": 9, "N3": 4, "N4": 6, "N5": 12, "N6": 4, "N7": 1, "N8": 5, "N9": 1, "N0": 3,
}
CATEGORY_OF_ABUSE = {"NEG": 50, "EMO": 35, "PHY": 7, "SAB": 4, "MUL": 4}
# Closing an episode that held more than assessments. Never RC2 (died: no child of a clean
# return dies, 8585Q), nor RC8/RC9, which mean "closed after assessment" (2990).
REASON_FOR_CLOSURE = {"RC7": 70, "RC3": 6, "RC4": 5, "RC5": 9, "RC6": 3, "RC1": 2}
# Closing an episode that held assessments and nothing else: mostly "closed after assessment".
REASON_AFTER_ASSESSMENT = {"RC8": 55, "RC9": 30, "RC7": 15}
# Factors identified at assessment. Never 21 ("no factors identified") in a set: it is only
# ever written alone, for the single assessment of an RC8/RC9 episode (8869, 8873Q).
ASSESSMENT_FACTORS = {
    "1A": 2, "1B": 6, "1C": 1, "2A": 3, "2B": 7, "2C": 1, "3A": 8, "3B": 14, "3C": 2, "4A": 9,
    "4B": 16, "4C": 2, "5A": 3, "5B": 2, "5C": 1, "6A": 2, "6B": 3, "6C": 1, "7A": 2, "8B": 1,
    "8C": 1, "8D": 1, "8E": 1, "8F": 1, "9A": 1, "10A": 3, "11A": 3, "12A": 1, "13A": 2,
    "14A": 3, "15A": 4, "16A": 10, "17A": 9, "18B": 1, "18C": 4, "19B": 1, "19C": 2, "20": 3,
    "22A": 1, "23A": 1, "24A": 2,
}
# Why a school-age child has no UPN (8770Q): not UN1 ("not of school age"), nor UN7, which
# needs every episode to be a no-further-action referral (8772).
SCHOOL_AGE_UPN_UNKNOWN = {"UN2": 1, "UN3": 1, "UN4": 1, "UN5": 1, "UN6": 1}
# Outcome of pre-proceedings (module 5): what A, B and C mean is not public, so all alike.
PRE_PROCEEDINGS_OUTCOME = {"A": 1, "B": 1, "C": 1}

UNBORN_ETHNICITY = "NOBT"  # information not yet obtained
NOT_OF_SCHOOL_AGE = "UN1"
ABUSE_OR_NEGLECT = "N1"  # the primary need of every episode with an enquiry or protection plan
CLOSED_AFTER_ASSESSMENT = ("RC8", "RC9")  # reasons for closure that allow factor 21 alone
FACTOR_SETS = 2048  # distinct factor sets drawn once per return, then reused
DISABILITY_SETS = 256

T = TypeVar("T")
_SLOTS = 1024  # resolution of a weighted draw: a weight is honoured to within 1/1024


class Weighted(Generic[T]):
    """Values drawn in proportion to their weights.

    A draw is one random number and one index into a table of `_SLOTS` values, each value
    filling a share of the slots that matches its weight: O(1), which matters at a million
    children.
    """

    __slots__ = ("_slots",)

    def __init__(self, weights: Mapping[T, int]) -> None:
        total = sum(weights.values())
        slots: list[T] = []
        reached = 0
        for value, weight in weights.items():
            reached += weight
            slots.extend([value] * (round(reached * _SLOTS / total) - len(slots)))
        self._slots = tuple(slots)

    @property
    def values(self) -> frozenset[T]:
        """Every value a draw can give (a weight too small for one slot gives none)."""
        return frozenset(self._slots)

    def draw(self, dice: Dice) -> T:
        return self._slots[int(dice.random() * _SLOTS)]


def weighted_codes(collection: Collection, codeset: str,
                   weights: Mapping[str, int]) -> Weighted[str]:
    """Codes of one of the collection's code sets, drawn in proportion to their weights."""
    unknown = sorted(set(weights) - set(collection.codeset(codeset)))
    if unknown:
        raise ValueError(f"code set {codeset} of {collection.year} has no code "
                         f"{', '.join(unknown)}")
    return Weighted(weights)


def _existing(collection: Collection, codeset: str, code: str) -> str:
    if code not in collection.codeset(codeset):
        raise ValueError(f"code set {codeset} of {collection.year} has no code {code}")
    return code


class Codes:
    """The code draws of one collection year (and one seed, for its pools of code sets)."""

    def __init__(self, collection: Collection, seed: int) -> None:
        self.sex = weighted_codes(collection, "sex", SEX)
        self.unborn_sex = _existing(collection, "sex", UNBORN_SEX)
        self.ethnicity = weighted_codes(collection, "ethnicity", ETHNICITY)
        self.referral_source = weighted_codes(collection, "referral-source", REFERRAL_SOURCE)
        self.primary_need = weighted_codes(collection, "primary-need", PRIMARY_NEED)
        self.category_of_abuse = weighted_codes(collection, "category-of-abuse",
                                                CATEGORY_OF_ABUSE)
        self.reason_for_closure = weighted_codes(collection, "reason-for-closure",
                                                 REASON_FOR_CLOSURE)
        self.reason_after_assessment = weighted_codes(collection, "reason-for-closure",
                                                      REASON_AFTER_ASSESSMENT)
        self.school_age_upn_unknown = weighted_codes(collection, "upn-unknown",
                                                     SCHOOL_AGE_UPN_UNKNOWN)
        self.pre_proceedings_outcome = (
            weighted_codes(collection, OUTCOMES, PRE_PROCEEDINGS_OUTCOME)
            if OUTCOMES in collection.codesets else None)
        self.abuse_or_neglect = _existing(collection, "primary-need", ABUSE_OR_NEGLECT)
        self.closed_after_assessment = frozenset(
            _existing(collection, "reason-for-closure", code) for code in CLOSED_AFTER_ASSESSMENT)
        self.unborn_ethnicity = _existing(collection, "ethnicity", UNBORN_ETHNICITY)
        self.not_of_school_age = _existing(collection, "upn-unknown", NOT_OF_SCHOOL_AGE)
        self.no_factors = (_existing(collection, "assessment-factors", NO_FACTORS_IDENTIFIED),)
        self.no_disability = (_existing(collection, "disability", NO_DISABILITY),)
        # In the code set's own order, so that the same seed gives the same return in any process.
        self.disabilities = tuple(code for code in collection.codeset("disability")
                                  if code != NO_DISABILITY)
        self.upn_la_codes = tuple(collection.codeset("upn-la-codes"))
        # Sets of codes drawn once, from their own stream, and reused: a child then takes its
        # factors or disabilities with one draw, however many codes they are.
        pools = Dice(f"cin-synthetic-pools-{seed}")
        factors = weighted_codes(collection, "assessment-factors", ASSESSMENT_FACTORS)
        self.factor_sets = tuple(_factor_set(factors, pools) for _ in range(FACTOR_SETS))
        self.disability_sets = tuple(_disability_set(self.disabilities, pools)
                                     for _ in range(DISABILITY_SETS))


def _factor_set(factors: Weighted, dice: Dice) -> tuple[str, ...]:
    """One to four different factors, mostly one or two."""
    return _distinct(lambda: factors.draw(dice), 1 + int(dice.random() ** 1.6 * 4))


def _disability_set(disabilities: Sequence[str], dice: Dice) -> tuple[str, ...]:
    """One disability (60%), two or three, all different."""
    wanted = 1 if dice.chance(0.6) else 2 if dice.chance(0.7) else 3
    return _distinct(lambda: dice.pick(disabilities), wanted)


def _distinct(draw: Callable[[], str], wanted: int) -> tuple[str, ...]:
    chosen: list[str] = []
    while len(chosen) < wanted:
        code = draw()
        if code not in chosen:
            chosen.append(code)
    return tuple(chosen)
