"""Seeded, streaming generator of synthetic CIN census returns (no real people).

Used by the tests and the benchmarks. Every value is invented: identifiers are
``DfEX0000001``-style counters, UPNs are made from a scrambled counter (with a correct
check letter) and dates are drawn at random inside the census timeline.

API::

    with open("return.xml", "wb") as out:
        write_return(out, children=50_000, seed=1, problems=0.05)

CLI::

    python -m cin_validate.synthetic --children 50000 --seed 1 [--problems 0.05] \\
        [--reference-date 2025-03-31] [--la 201] -o FILE

With ``problems=0.0`` (the default) a return is meant to be *clean*: no DfE error and no
query (rules in ``spec/rules/group1..4``). The data is deliberately conservative, for
example:

* every child has exactly one ``<Child>``, a unique ``LAchildID`` and (if it has one) a
  unique UPN with a correct check letter and a real LA code (1510-1550, 1520, 8510);
  school-age children without a UPN carry UN2-UN6 (8770Q), others UN1;
* born children are aged 0-17 with M/F and a ``<Disabilities>`` block (NONE or codes;
  8540, 8790, 8794, 2886Q); the first children of a return carry a spread of twelve
  disability codes so that 2887Q and 2888Q stay silent; about 1.5% are unborn
  (expected date of birth 1 week to 6 months after ReferenceDate, sex U, 8530Q/8750);
* no dates of death (8535Q, 8545Q, 8555Q, 8585Q, 4008, 4009Q, 8915, 8920) and no
  transfer-in (CIN-level) conference dates (2884);
* every episode has ``ReferralNFA`` false, a valid source and primary need code; a child
  has one or two episodes, which never overlap (8815, 8816, 8820); only the latest one may
  be open; closures fall inside the census year, on or after every activity date of the
  episode (8565, 8620, 8630), with RC1/RC3-RC9 (never RC2); RC8/RC9 only for episodes that
  hold assessments and nothing else (2990, 8825Q); factor ``21`` only alone, in a single
  assessment of an RC8/RC9 episode (8869, 8873Q);
* assessments of an episode never overlap; completed ones are authorised inside the
  census year and carry valid factors; at most one is open, only in an open episode, and
  it started at most 30 calendar days before ReferenceDate (8670Q, 8736, 8863Q, 8867,
  8896, 8897Q, 8614);
* at most one Section 47 enquiry per episode, always next to an assessment (2991Q):
  with an ICPC (a weekday inside the census year) or ``ICPCnotRequired`` true; an open one
  only in an open episode and started at most 7 calendar days before ReferenceDate
  (8675Q, 8740, 8839, 8868, 8870Q, 8875, 8890);
* a child protection plan starting inside the year starts on its enquiry's ICPC
  (2883, 2885); plans starting before the year have no enquiry in the return;
  CIN plans and CP plans of a child never touch or overlap (one day gap at least), ends
  are inside the census year and after the start (4001, 4003, 4004, 4011-4017, 8840,
  8925, 8930, 8935, 8940); reviews fall strictly after the plan start and before its end
  (8841, 8842Q).

With ``problems > 0`` that fraction of children gets one deliberate, typical fault each
(see ``FAULTS``: the fault name and the rule it is meant to trigger). Faults are applied
after a child is generated and are drawn from a separate random stream, so the same seed
gives the same children whatever ``problems`` is; only the faulted children differ.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import os
import random
import sys
import tempfile
from typing import BinaryIO, Iterator

__all__ = [
    "FAULTS",
    "UPN_CHECK_ALPHABET",
    "UPN_LA_CODES",
    "iter_children_xml",
    "main",
    "upn_check_letter",
    "write_return",
]

# --------------------------------------------------------------------------- codesets

UPN_CHECK_ALPHABET = "ABCDEFGHJKLMNPQRTUVWXYZ"  # I, O and S are never used


def _ranges(*parts: tuple[int, int] | int) -> tuple[str, ...]:
    codes: list[str] = []
    for p in parts:
        if isinstance(p, tuple):
            codes.extend(f"{n:03d}" for n in range(p[0], p[1] + 1))
        else:
            codes.append(f"{p:03d}")
    return tuple(codes)


#: LA codes used for characters 2-4 of generated UPNs (all valid for rule 1530).
UPN_LA_CODES = _ranges(
    (201, 213), (301, 320), (800, 803), (805, 808), (810, 813), 815, 816, (820, 823),
    825, 826, 830, 831, (835, 839), 840, 841, 845, 846, (850, 852), (855, 857), 860, 861,
    (865, 896), 908, 909, 916, 919, 921, 925, 926, 928, 929, 931, 933, (935, 938),
    (940, 943),
)

_ETHNICITY = (
    ("WBRI", 58), ("WIRI", 1), ("WIRT", 1), ("WOTH", 6), ("WROM", 1), ("MWBC", 3),
    ("MWBA", 2), ("MWAS", 2), ("MOTH", 3), ("AIND", 2), ("APKN", 4), ("ABAN", 2),
    ("CHNE", 1), ("AOTH", 2), ("BCRB", 2), ("BAFR", 5), ("BOTH", 1), ("OOTH", 2),
    ("REFU", 1), ("NOBT", 1),
)
_DISABILITY_CODES = ("MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS", "BEH",
                     "CON", "AUT", "DDA")
_REFERRAL_SOURCES = ("1A", "1B", "1C", "1D", "2A", "2B", "3A", "3B", "3C", "3D", "3E",
                     "3F", "4", "5A", "5B", "5C", "5D", "6", "7", "8", "9", "10")
# weighted: schools, police, health and LA services dominate real returns
_REFERRAL_WEIGHTS = (6, 2, 1, 2, 18, 2, 3, 4, 1, 4, 3, 3, 2, 5, 3, 2, 6, 28, 3, 6, 1, 1)
_NEED = (("N1", 55), ("N2", 9), ("N3", 4), ("N4", 6), ("N5", 12), ("N6", 4), ("N7", 1),
         ("N8", 5), ("N9", 1), ("N0", 3))
# factor 21 is only ever used alone, see _FACTOR_21
_FACTOR_CODES = ("1A", "1B", "1C", "2A", "2B", "2C", "3A", "3B", "3C", "4A", "4B", "4C",
                 "5A", "5B", "5C", "6A", "6B", "6C", "7A", "8B", "8C", "8D", "8E", "8F",
                 "9A", "10A", "11A", "12A", "13A", "14A", "15A", "16A", "17A", "18B",
                 "18C", "19B", "19C", "20", "22A", "23A", "24A")
_FACTOR_WEIGHTS = (2, 6, 1, 3, 7, 1, 8, 14, 2, 9, 16, 2, 3, 2, 1, 2, 3, 1, 2, 1, 1, 1, 1,
                   1, 1, 3, 3, 1, 2, 3, 4, 10, 9, 1, 4, 1, 2, 3, 1, 1, 2)
_ABUSE = (("NEG", 50), ("EMO", 35), ("PHY", 7), ("SAB", 4), ("MUL", 4))
_CLOSURE_OTHER = (("RC7", 70), ("RC3", 6), ("RC4", 5), ("RC5", 9), ("RC6", 3), ("RC1", 2))

#: fault name -> the DfE rule it is meant to trigger (other rules may fire as well)
FAULTS: dict[str, str] = {
    "upn_check_letter": "1510",          # wrong UPN check letter
    "closure_before_referral": "8630",   # CINclosureDate before CINreferralDate
    "old_open_assessment": "8670Q",      # open assessment started long ago
    "missing_reason_for_closure": "8805",
    "expected_birth_out_of_range": "8530Q",  # unborn child whose due date has passed
    "old_s47_without_icpc": "8675Q",     # S47 started long ago, no conference
    "missing_primary_need": "8610",
    "invalid_ethnicity": "4220",
    "bad_referral_date_format": "8600",  # DD/MM/CCYY instead of CCYY-MM-DD
}


def upn_check_letter(body: str) -> str:
    """Check letter for UPN characters 2-13 (``body``, 12 characters).

    Values of characters 2..13 (digits as themselves, a final letter by its position in
    ``UPN_CHECK_ALPHABET``) times weights 2..13, summed, mod 23 (rule 1510).
    """
    if len(body) != 12:
        raise ValueError("a UPN body has 12 characters (UPN characters 2 to 13)")
    total = 0
    for weight, ch in enumerate(body, start=2):
        total += weight * (int(ch) if ch.isdigit() else UPN_CHECK_ALPHABET.index(ch))
    return UPN_CHECK_ALPHABET[total % 23]


def _cumulative(pairs) -> tuple[tuple, tuple]:
    values, acc, total = [], [], 0
    for v, w in pairs:
        total += w
        values.append(v)
        acc.append(total)
    return tuple(values), tuple(a / total for a in acc)


def _table(pairs, size: int = 1024) -> tuple:
    """A lookup table for O(1) weighted choice: table[int(random() * size)]."""
    values, acc = _cumulative(pairs)
    out, j = [], 0
    for i in range(size):
        x = (i + 0.5) / size
        while acc[j] < x:
            j += 1
        out.append(values[j])
    return tuple(out)


_S47_TRUE = "          <ICPCnotRequired>true</ICPCnotRequired>\n        </Section47>\n"
_S47_FALSE = "          <ICPCnotRequired>false</ICPCnotRequired>\n        </Section47>\n"
FOOTER = "  </Children>\n</Message>\n"

# --------------------------------------------------------------------------- model
# Dates are proleptic Gregorian ordinals (int); a str is written as it is (faults).


class _Episode:
    __slots__ = ("ref", "src", "need", "close", "reason", "assess", "cin", "s47", "cpp",
                 "nfa")

    def __init__(self, ref: int) -> None:
        self.ref = ref
        self.src = "1A"
        self.need: str | None = "N1"
        self.close: int | str | None = None
        self.reason: str | None = None
        self.assess: list[list] = []   # [start, auth|None, factors block|None]
        self.cin: list[list] = []      # [start, end|None]
        self.s47: list[list] = []      # [start, target|None, icpc|None, notreq bool]
        self.cpp: list[list] = []      # [start, end|None, initial, latest, previous, reviews]
        self.nfa = "false"


class _Child:
    __slots__ = ("id", "upn", "former", "unknown", "dob", "edob", "sex", "eth", "dis",
                 "eps")


class _Generator:
    def __init__(self, seed: int, reference_date: str, la: str, children: int) -> None:
        ref = _dt.date.fromisoformat(reference_date)
        try:
            start = ref.replace(year=ref.year - 1)
        except ValueError:  # 29 February
            start = ref.replace(year=ref.year - 1, day=28)
        self.R = R = ref.toordinal()
        self.S = start.toordinal() + 1
        self.reference_date = ref.isoformat()
        self.year = ref.year
        self.la = la
        self.rng = random.Random(seed)
        self.fault_rng = random.Random(f"cin-synthetic-faults-{seed}")
        # school age (8770Q): born on or before 31 August of (ReferenceDate year - 6)
        self.school_cutoff = _dt.date(ref.year - 6, 8, 31).toordinal()
        self.base = base = R - 20 * 366
        self.iso = [_dt.date.fromordinal(o).isoformat() for o in range(base, R + 800)]
        # UPN: characters 5-13 are a scrambled child counter (unique for < 10**9 children)
        self.upn_mult = 387420489  # 3**18, coprime with 10**9
        self.upn_offset = random.Random(f"cin-synthetic-upn-{seed}").randrange(10 ** 9)
        home = la if la in UPN_LA_CODES else "201"
        others = UPN_LA_CODES
        self.upn_la = tuple([home] * 80 + [others[i * 7 % len(others)] for i in range(20)])
        self.la_sum = {c: 2 * int(c[0]) + 3 * int(c[1]) + 4 * int(c[2]) for c in UPN_LA_CODES}
        self.chunk_sums = [
            [sum(w * int(d) for w, d in zip(weights, f"{n:03d}")) for n in range(1000)]
            for weights in ((5, 6, 7), (8, 9, 10), (11, 12, 13))
        ]
        self.eth = _table(_ETHNICITY)
        self.src = _table(zip(_REFERRAL_SOURCES, _REFERRAL_WEIGHTS))
        self.need = _table(_NEED)
        self.abuse = _table(_ABUSE)
        self.reason_other = _table(_CLOSURE_OTHER)
        # pre-rendered blocks
        pool_rng = random.Random(f"cin-synthetic-pools-{seed}")
        self.factor_blocks = tuple(self._factor_block(c) for c in self._factor_sets(pool_rng))
        self.factor21 = self._factor_block(["21"])
        self.dis_none = ("        <Disabilities>\n"
                         "          <Disability>NONE</Disability>\n"
                         "        </Disabilities>\n")
        dis_sets = []
        for _ in range(256):
            k = 1 if pool_rng.random() < 0.6 else (2 if pool_rng.random() < 0.7 else 3)
            dis_sets.append(pool_rng.sample(_DISABILITY_CODES, k))
        self.dis_blocks = tuple(self._dis_block(s) for s in dis_sets)
        # the first children of the return hold all twelve codes between them (2887Q, 2888Q)
        lead = max(1, min(children, 4))
        self.lead_blocks = tuple(
            self._dis_block(_DISABILITY_CODES[i::lead]) for i in range(lead))

    # ---------------------------------------------------------------- pre-rendering
    @staticmethod
    def _factor_sets(rng: random.Random) -> list[list[str]]:
        values, acc = _cumulative(zip(_FACTOR_CODES, _FACTOR_WEIGHTS))
        sets = []
        for _ in range(2048):
            k = 1 + int(rng.random() ** 1.6 * 4)  # 1..4, mostly 1-2
            chosen: list[str] = []
            while len(chosen) < k:
                x = rng.random()
                j = 0
                while acc[j] < x:
                    j += 1
                if values[j] not in chosen:
                    chosen.append(values[j])
            sets.append(chosen)
        return sets

    @staticmethod
    def _factor_block(codes) -> str:
        inner = "".join(f"            <AssessmentFactors>{c}</AssessmentFactors>\n"
                        for c in codes)
        return ("          <FactorsIdentifiedAtAssessment>\n" + inner
                + "          </FactorsIdentifiedAtAssessment>\n")

    @staticmethod
    def _dis_block(codes) -> str:
        inner = "".join(f"          <Disability>{c}</Disability>\n" for c in codes)
        return "        <Disabilities>\n" + inner + "        </Disabilities>\n"

    # ---------------------------------------------------------------- helpers
    def _upn(self, idx: int, la: str, wrong: bool = False) -> str:
        n = (idx * self.upn_mult + self.upn_offset) % 1_000_000_000
        cs = self.chunk_sums
        total = (self.la_sum[la] + cs[0][n // 1_000_000] + cs[1][n // 1000 % 1000]
                 + cs[2][n % 1000])
        letter = UPN_CHECK_ALPHABET[(total + (1 + idx % 21 if wrong else 0)) % 23]
        return f"{letter}{la}{n:09d}"

    @staticmethod
    def _weekday_on_or_after(o: int) -> int:
        wd = (o - 1) % 7  # ordinal 1 (0001-01-01) is a Monday
        return o + 2 if wd == 5 else o + 1 if wd == 6 else o

    def _target(self, s47_start: int) -> int:
        # 15 working days (weekends only) after the strategy discussion: a weekday
        return self._weekday_on_or_after(s47_start) + 21

    def _factors(self) -> str:
        fb = self.factor_blocks
        return fb[int(self.rng.random() * len(fb))]

    # ---------------------------------------------------------------- plans
    def _cin_plan(self, ep: _Episode, start: int, hi: int, may_open: bool) -> int | None:
        """Append a CIN plan starting at ``start``; return its end (None: open/absent)."""
        if start > hi:
            return None
        rnd = self.rng.random
        S = self.S
        end = start + 30 + int(rnd() * 330)
        if end < S:
            end = S + int(rnd() * 120)
        if end > hi:
            if may_open:
                ep.cin.append([start, None])
                return None
            lo = max(start + 1, S)
            if lo > hi:
                return None
            end = lo + int(rnd() * (hi - lo + 1))
        ep.cin.append([start, end])
        return end

    def _cp_plan(self, ep: _Episode, start: int, hi: int, may_open: bool) -> int | None:
        """Append a child protection plan starting at ``start``; return its end."""
        rnd = self.rng.random
        S, R = self.S, self.R
        end = start + 60 + int(rnd() * 360)
        if end < S:
            end = S + int(rnd() * 150)
        if end > hi:
            if may_open:
                end = None
            else:
                lo = max(start + 1, S)
                if lo > hi:
                    return None
                end = lo + int(rnd() * (hi - lo + 1))
        last = (end - 1) if end is not None else R
        reviews: list[int] = []
        d = start + 20 + int(rnd() * 15)
        while d <= last:
            reviews.append(d)
            d += 90 + int(rnd() * 92)
        if reviews and reviews[0] < S:
            # reviews inside the year, plus the last one of the year before (guide 5.5.1)
            i = 0
            while i + 1 < len(reviews) and reviews[i + 1] < S:
                i += 1
            reviews = reviews[i:]
        abuse = self.abuse
        initial = abuse[int(rnd() * 1024)]
        latest = initial if rnd() < 0.85 else abuse[int(rnd() * 1024)]
        x = rnd()
        previous = 0 if x < 0.78 else 1 if x < 0.93 else 2 if x < 0.98 else 3
        ep.cpp.append([start, end, initial, latest, previous, reviews])
        return end

    def _s47_with_icpc(self, start: int, hi: int) -> tuple[int, int] | None:
        """(start, icpc) for an enquiry whose conference is a weekday in the year, <= hi."""
        rnd = self.rng.random
        icpc = start + 8 + int(rnd() * 13)
        if icpc < self.S:
            icpc = self.S
        icpc = self._weekday_on_or_after(icpc)
        if icpc > hi:
            return None
        return start, icpc

    # ---------------------------------------------------------------- episodes
    def _episode(self, r: int, hi: int, may_open: bool) -> _Episode:
        """One CINdetails: referral ``r``; every date <= ``hi``; open only if ``may_open``."""
        rnd = self.rng.random
        S, R = self.S, self.R
        ep = _Episode(r)
        ep.src = self.src[int(rnd() * 1024)]
        long_running = r < S
        x = rnd()
        if long_running:
            kind = ("pre_cin" if x < 0.40 else "pre_cpp" if x < 0.62 else
                    "pre_cin_cp" if x < 0.72 else "cin" if x < 0.87 else "none")
        else:
            kind = ("assess" if x < 0.38 else "cin" if x < 0.60 else "notreq" if x < 0.70
                    else "cp" if x < 0.83 else "cin_cp" if x < 0.92 else "held")

        # ---- assessments track (never overlapping; only the last may be open)
        if long_running:
            want_assess = kind in ("pre_cin_cp", "cin") or rnd() < 0.55
            t = S + int(rnd() * 200)
        else:
            want_assess = True
            t = r + int(rnd() * 4)
        if want_assess:
            n_max = 1 if rnd() < 0.8 else 2
            while t <= hi and len(ep.assess) < n_max:
                auth = t + 5 + int(rnd() * 36)
                if auth < S:
                    auth = S + int(rnd() * 10)
                if auth > hi:
                    if may_open and t >= R - 30:
                        ep.assess.append([t, None, None])
                        break
                    auth = hi
                ep.assess.append([t, auth, None])
                t = auth + 30 + int(rnd() * 170)
        a1 = ep.assess[0] if ep.assess else None
        if a1 is None and kind in ("notreq", "cp", "cin_cp", "held", "pre_cin_cp"):
            kind = "cin"  # no Section 47 without an assessment (2991Q)
        after_a1 = (a1[1] if a1 and a1[1] is not None else r) + 1 + int(rnd() * 14)

        # ---- plans track (CIN plans, S47 -> CP plan), one day gap between items
        if kind == "cin":
            base = after_a1 if not long_running else max(r, S - 200) + int(rnd() * 150)
            self._cin_plan(ep, base, hi, may_open)
        elif kind == "notreq":
            s = a1[0] + int(rnd() * 6)
            if s <= hi:
                ep.s47.append([s, self._target(s) if rnd() < 0.5 else None, None, True])
            if rnd() < 0.5:
                self._cin_plan(ep, after_a1, hi, may_open)
        elif kind in ("cp", "held"):
            pair = self._s47_with_icpc(a1[0] + int(rnd() * 6), hi)
            if pair is not None:
                s, icpc = pair
                ep.s47.append([s, self._target(s), icpc, False])
                if kind == "cp":
                    end = self._cp_plan(ep, icpc, hi, may_open)
                    if end is not None and rnd() < 0.5:
                        self._cin_plan(ep, end + 1 + int(rnd() * 10), hi, may_open)
                else:
                    self._cin_plan(ep, icpc + 1 + int(rnd() * 14), hi, may_open)
            else:
                self._cin_plan(ep, after_a1, hi, may_open)
        elif kind in ("cin_cp", "pre_cin_cp"):
            if kind == "cin_cp":
                c_start = after_a1
            else:
                c_start = r + int(rnd() * min(200, S - r))
            s_lo = max(c_start + 20, S, a1[0])
            pair = self._s47_with_icpc(s_lo + int(rnd() * 150), hi) if s_lo <= hi else None
            if pair is not None:
                s, icpc = pair
                ep.cin.append([c_start, icpc - 1])  # the CIN plan ends the day before
                ep.s47.append([s, self._target(s), icpc, False])
                end = self._cp_plan(ep, icpc, hi, may_open)
                if end is not None and rnd() < 0.5:
                    self._cin_plan(ep, end + 1 + int(rnd() * 10), hi, may_open)
            else:
                self._cin_plan(ep, c_start if c_start <= hi else after_a1, hi, may_open)
        elif kind == "pre_cin":
            self._cin_plan(ep, r + int(rnd() * min(200, S - r)), hi, may_open)
        elif kind == "pre_cpp":
            end = self._cp_plan(ep, r + int(rnd() * min(120, S - r)), hi, may_open)
            if end is not None and rnd() < 0.5:
                self._cin_plan(ep, end + 1 + int(rnd() * 10), hi, may_open)

        # a recent open enquiry (no conference yet) in an open-able episode
        if (may_open and not ep.s47 and ep.assess and hi >= R - 7 and r <= R - 7
                and rnd() < 0.08):
            s = R - int(rnd() * 8)
            ep.s47.append([s, self._target(s), None, False])

        # ---- closure
        latest = r
        has_open = False
        for a in ep.assess:
            if a[1] is None:
                has_open = True
                latest = max(latest, a[0])
            else:
                latest = max(latest, a[1])
        for c in ep.cin:
            if c[1] is None:
                has_open = True
                latest = max(latest, c[0])
            else:
                latest = max(latest, c[1])
        for s in ep.s47:
            if s[2] is not None:
                latest = max(latest, s[2])
            else:
                latest = max(latest, s[0])
                if not s[3]:
                    has_open = True
        for p in ep.cpp:
            if p[1] is None:
                has_open = True
                latest = max(latest, p[0], *(p[5] or (0,)))
            else:
                latest = max(latest, p[1])
        close = (not may_open or rnd() < 0.45) and not has_open
        if close:
            lo = max(latest, S)
            c = lo + (int(rnd() * 4) if kind == "assess" else int(rnd() * 30))
            ep.close = c if c <= hi else lo
        # ---- codes that depend on the shape
        only_assess = bool(ep.assess) and not (ep.cin or ep.s47 or ep.cpp)
        if ep.close is not None:
            if only_assess:
                y = rnd()
                ep.reason = "RC8" if y < 0.55 else "RC9" if y < 0.85 else "RC7"
            else:
                ep.reason = self.reason_other[int(rnd() * 1024)]
        if ep.s47 or ep.cpp:
            ep.need = "N1"
        else:
            ep.need = self.need[int(rnd() * 1024)]
        single21 = ep.reason in ("RC8", "RC9") and len(ep.assess) == 1
        for a in ep.assess:
            if a[1] is not None:
                a[2] = self.factor21 if single21 and rnd() < 0.5 else self._factors()
        return ep

    # ---------------------------------------------------------------- children
    def child(self, idx: int) -> _Child:
        rnd = self.rng.random
        S, R = self.S, self.R
        ch = _Child()
        ch.id = f"DfEX{idx + 1:07d}"
        ch.former = None
        ch.upn = None
        ch.unknown = None
        if idx >= len(self.lead_blocks) and rnd() < 0.015:  # unborn
            ch.dob = None
            ch.edob = edob = R + 7 + int(rnd() * 174)
            ch.sex = "U"
            ch.eth = "NOBT" if rnd() < 0.8 else self.eth[int(rnd() * 1024)]
            ch.dis = None
            ch.unknown = "UN1"
            lo = max(S, edob - 270)
            ch.eps = [self._episode(lo + int(rnd() * (R - lo + 1)), R, True)]
            return ch
        ch.edob = None
        # aged 0 to 17 at ReferenceDate, a little heavier at both ends
        x = rnd()
        if x < 0.12:
            dob = R - 14 - int(rnd() * 700)
        elif x < 0.35:
            dob = R - 4700 - int(rnd() * 1850)
        else:
            dob = R - 14 - int(rnd() * 6550)
        ch.dob = dob
        ch.sex = "M" if rnd() < 0.52 else "F"
        ch.eth = self.eth[int(rnd() * 1024)]
        if idx < len(self.lead_blocks):
            ch.dis = self.lead_blocks[idx]
        elif rnd() < 0.09:
            ch.dis = self.dis_blocks[int(rnd() * 256)]
        else:
            ch.dis = self.dis_none
        if dob <= self.school_cutoff:
            if rnd() < 0.94:
                ch.upn = self._upn(idx, self.upn_la[int(rnd() * 100)])
                if rnd() < 0.01:
                    ch.former = self._former_upn(idx)
            else:
                ch.unknown = ("UN2", "UN3", "UN4", "UN5", "UN6")[int(rnd() * 5)]
        elif rnd() < 0.3:
            ch.upn = self._upn(idx, self.upn_la[int(rnd() * 100)])
        else:
            ch.unknown = "UN1"
        # ---- episodes
        if dob < S - 30 and rnd() < 0.3:
            lo = max(dob, R - 4 * 365)
            r1 = lo + int(rnd() * (S - lo))
        else:
            lo = max(dob, S)
            r1 = lo + int(rnd() * (R - lo + 1))
        lo1 = max(r1, S) + 30
        if rnd() < 0.16 and lo1 <= R - 90:
            hi1 = lo1 + int(rnd() * (R - 90 - lo1 + 1))
            ep1 = self._episode(r1, hi1, False)
            r2 = ep1.close + 1 + int(rnd() * 60)
            ch.eps = [ep1, self._episode(r2, R, True)]
        else:
            ch.eps = [self._episode(r1, R, True)]
        return ch

    def _former_upn(self, idx: int) -> str:
        # a temporary UPN (final letter) with a correct check letter
        n = (idx * 7 + 12345) % 100_000_000
        body = f"{self.upn_la[idx % 100]}{n:08d}{UPN_CHECK_ALPHABET[idx % 23]}"
        return upn_check_letter(body) + body

    # ---------------------------------------------------------------- faults
    def fault(self, ch: _Child, idx: int) -> str:
        """Apply one deliberate fault to ``ch``; return its name."""
        frnd = self.fault_rng.random
        S, R = self.S, self.R
        applicable = ["invalid_ethnicity", "missing_primary_need", "bad_referral_date_format"]
        if ch.upn:
            applicable.append("upn_check_letter")
        closed = [e for e in ch.eps if e.close is not None]
        if closed:
            applicable += ["closure_before_referral", "missing_reason_for_closure"]
        if ch.edob is not None:
            applicable.append("expected_birth_out_of_range")
        last = ch.eps[-1]
        if last.close is None and last.assess:
            # an open assessment started more than 45 working days ago (100 calendar
            # days leave room for any bank holidays), after the previous one ended
            a_lo = max(last.ref, S, last.assess[-2][1] + 1 if len(last.assess) > 1 else S)
            if a_lo <= R - 100:
                applicable.append("old_open_assessment")
            # an open enquiry started more than 15 working days ago, after every other
            # enquiry of the episode (no overlap, 8890) and with none open (8839)
            s_lo = max([last.ref, S] + [s[0] + 1 for s in last.s47]
                       + [s[2] + 1 for s in last.s47 if s[2] is not None])
            if s_lo <= R - 40 and not any(s[2] is None and not s[3] for s in last.s47):
                applicable.append("old_s47_without_icpc")
        name = applicable[int(frnd() * len(applicable))]
        if name == "invalid_ethnicity":
            ch.eth = ("WHIT", "wbri", "XXXX", "ASIA")[int(frnd() * 4)]
        elif name == "missing_primary_need":
            ch.eps[int(frnd() * len(ch.eps))].need = None
        elif name == "bad_referral_date_format":
            ep = ch.eps[int(frnd() * len(ch.eps))]
            d = _dt.date.fromordinal(ep.ref)
            ep.ref = f"{d.day:02d}/{d.month:02d}/{d.year}"
        elif name == "upn_check_letter":
            la = ch.upn[1:4]
            ch.upn = self._upn(idx, la, wrong=True)
        elif name == "closure_before_referral":
            ep = closed[int(frnd() * len(closed))]
            ep.close = ep.ref - 1 - int(frnd() * 20)
        elif name == "missing_reason_for_closure":
            ep = closed[int(frnd() * len(closed))]
            ep.reason = None
            for a in ep.assess:  # factor 21 without RC8/RC9 would also raise 8873Q
                if a[2] is self.factor21:
                    a[2] = self.factor_blocks[int(frnd() * len(self.factor_blocks))]
        elif name == "expected_birth_out_of_range":
            ch.edob = R - 31 - int(frnd() * 60)  # due date passed weeks ago
        elif name == "old_open_assessment":
            a = last.assess[-1]
            if not a_lo <= a[0] <= R - 100:
                a[0] = a_lo + int(frnd() * (R - 100 - a_lo + 1))
            a[1] = None
            a[2] = None
        elif name == "old_s47_without_icpc":
            s = s_lo + int(frnd() * (R - 40 - s_lo + 1))
            last.s47.append([s, self._target(s), None, False])
        return name

    # ---------------------------------------------------------------- rendering
    def render(self, ch: _Child) -> str:
        iso, base = self.iso, self.base

        def d(x) -> str:
            return iso[x - base] if x.__class__ is int else x

        out = ["    <Child>\n      <ChildIdentifiers>\n"
               f"        <LAchildID>{ch.id}</LAchildID>\n"]
        ap = out.append
        if ch.upn:
            ap(f"        <UPN>{ch.upn}</UPN>\n")
        if ch.former:
            ap(f"        <FormerUPN>{ch.former}</FormerUPN>\n")
        if ch.unknown:
            ap(f"        <UPNunknown>{ch.unknown}</UPNunknown>\n")
        if ch.dob is not None:
            ap(f"        <PersonBirthDate>{d(ch.dob)}</PersonBirthDate>\n")
        if ch.edob is not None:
            ap(f"        <ExpectedPersonBirthDate>{d(ch.edob)}</ExpectedPersonBirthDate>\n")
        ap(f"        <Sex>{ch.sex}</Sex>\n      </ChildIdentifiers>\n"
           f"      <ChildCharacteristics>\n        <Ethnicity>{ch.eth}</Ethnicity>\n")
        if ch.dis:
            ap(ch.dis)
        ap("      </ChildCharacteristics>\n")
        for ep in ch.eps:
            ap(f"      <CINdetails>\n        <CINreferralDate>{d(ep.ref)}</CINreferralDate>\n"
               f"        <ReferralSource>{ep.src}</ReferralSource>\n")
            if ep.need:
                ap(f"        <PrimaryNeedCode>{ep.need}</PrimaryNeedCode>\n")
            if ep.close is not None:
                ap(f"        <CINclosureDate>{d(ep.close)}</CINclosureDate>\n")
            if ep.reason:
                ap(f"        <ReasonForClosure>{ep.reason}</ReasonForClosure>\n")
            for start, auth, factors in ep.assess:
                ap("        <Assessments>\n          <AssessmentActualStartDate>"
                   f"{d(start)}</AssessmentActualStartDate>\n")
                if auth is not None:
                    ap("          <AssessmentAuthorisationDate>"
                       f"{d(auth)}</AssessmentAuthorisationDate>\n")
                if factors:
                    ap(factors)
                ap("        </Assessments>\n")
            for start, end in ep.cin:
                ap("        <CINPlanDates>\n"
                   f"          <CINPlanStartDate>{d(start)}</CINPlanStartDate>\n")
                if end is not None:
                    ap(f"          <CINPlanEndDate>{d(end)}</CINPlanEndDate>\n")
                ap("        </CINPlanDates>\n")
            for start, target, icpc, notreq in ep.s47:
                ap("        <Section47>\n"
                   f"          <S47ActualStartDate>{d(start)}</S47ActualStartDate>\n")
                if target is not None:
                    ap(f"          <InitialCPCtarget>{d(target)}</InitialCPCtarget>\n")
                if icpc is not None:
                    ap(f"          <DateOfInitialCPC>{d(icpc)}</DateOfInitialCPC>\n")
                ap(_S47_TRUE if notreq else _S47_FALSE)
            ap(f"        <ReferralNFA>{ep.nfa}</ReferralNFA>\n")
            for start, end, initial, latest, previous, reviews in ep.cpp:
                ap("        <ChildProtectionPlans>\n"
                   f"          <CPPstartDate>{d(start)}</CPPstartDate>\n")
                if end is not None:
                    ap(f"          <CPPendDate>{d(end)}</CPPendDate>\n")
                ap(f"          <InitialCategoryOfAbuse>{initial}</InitialCategoryOfAbuse>\n"
                   f"          <LatestCategoryOfAbuse>{latest}</LatestCategoryOfAbuse>\n"
                   f"          <NumberOfPreviousCPP>{previous}</NumberOfPreviousCPP>\n")
                if reviews:
                    ap("          <Reviews>\n")
                    for rv in reviews:
                        ap(f"            <CPPreviewDate>{iso[rv - base]}</CPPreviewDate>\n")
                    ap("          </Reviews>\n")
                ap("        </ChildProtectionPlans>\n")
            ap("      </CINdetails>\n")
        ap("    </Child>\n")
        return "".join(out)

    def header(self, seed: int) -> str:
        stamp = self.iso[self.R + 1 - self.base]
        return (
            '<?xml version="1.0" encoding="utf-8"?>\n'
            "<Message>\n"
            "  <Header>\n"
            "    <CollectionDetails>\n"
            "      <Collection>CIN</Collection>\n"
            f"      <Year>{self.year}</Year>\n"
            f"      <ReferenceDate>{self.reference_date}</ReferenceDate>\n"
            "    </CollectionDetails>\n"
            "    <Source>\n"
            "      <SourceLevel>L</SourceLevel>\n"
            f"      <LEA>{self.la}</LEA>\n"
            "      <SoftwareCode>cin-validate-synthetic</SoftwareCode>\n"
            "      <Release>1</Release>\n"
            f"      <SerialNo>{abs(int(seed)) % 1000000}</SerialNo>\n"
            f"      <DateTime>{stamp}T09:00:00</DateTime>\n"
            "    </Source>\n"
            "  </Header>\n"
            "  <Children>\n"
        )





def iter_children_xml(children: int, seed: int = 0, reference_date: str = "2025-03-31",
                      la: str = "201", problems: float = 0.0,
                      faults: dict[str, str] | None = None) -> Iterator[bytes]:
    """Yield the return as UTF-8 chunks: the header, one chunk per child, the footer.

    ``faults``, when given, is filled with ``{LAchildID: fault name}`` for every child
    that was given a deliberate fault (``FAULTS[name]`` is the rule it should trigger).
    """
    if children < 0:
        raise ValueError("children must be >= 0")
    if not 0.0 <= problems <= 1.0:
        raise ValueError("problems must be between 0.0 and 1.0")
    gen = _Generator(seed, reference_date, la, children)
    yield gen.header(seed).encode("utf-8")
    child, render = gen.child, gen.render
    if problems > 0.0:
        frnd = gen.fault_rng.random
        for idx in range(children):
            ch = child(idx)
            if frnd() < problems:
                name = gen.fault(ch, idx)
                if faults is not None:
                    faults[ch.id] = name
            yield render(ch).encode("utf-8")
    else:
        for idx in range(children):
            yield render(child(idx)).encode("utf-8")
    yield FOOTER.encode("utf-8")


def write_return(out: BinaryIO, children: int, seed: int = 0,
                 reference_date: str = "2025-03-31", la: str = "201",
                 problems: float = 0.0) -> None:
    """Write a complete synthetic return to the binary file object ``out``.

    Streams one ``<Child>`` at a time (``out.write`` per child), so memory stays flat
    whatever ``children`` is. Same arguments, same bytes.
    """
    write = out.write
    for chunk in iter_children_xml(children, seed, reference_date, la, problems):
        write(chunk)


# --------------------------------------------------------------------------- CLI


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m cin_validate.synthetic",
        description="Write a seeded synthetic CIN census return (no real people).")
    parser.add_argument("--children", type=int, required=True, help="number of <Child> records")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--problems", type=float, default=0.0,
                        help="fraction of children given one deliberate fault (0.0 = clean)")
    parser.add_argument("--reference-date", default="2025-03-31",
                        help="header ReferenceDate, CCYY-MM-DD (default 2025-03-31)")
    parser.add_argument("--la", default="201", help="3-digit LA code for the header <LEA>")
    parser.add_argument("-o", "--output", required=True, help="file to write")
    args = parser.parse_args(argv)
    if args.children < 0:
        parser.error("--children must be >= 0")
    if not 0.0 <= args.problems <= 1.0:
        parser.error("--problems must be between 0 and 1")
    try:
        _dt.date.fromisoformat(args.reference_date)
    except ValueError:
        parser.error("--reference-date must be CCYY-MM-DD")

    target = os.path.abspath(args.output)
    directory = os.path.dirname(target) or "."
    fd, tmp = tempfile.mkstemp(prefix=os.path.basename(target) + ".", suffix=".tmp",
                               dir=directory)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the usual mode
        with os.fdopen(fd, "wb", buffering=1 << 20) as fh:
            write_return(fh, args.children, seed=args.seed,
                         reference_date=args.reference_date, la=args.la,
                         problems=args.problems)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return 0


if __name__ == "__main__":
    sys.exit(main())
