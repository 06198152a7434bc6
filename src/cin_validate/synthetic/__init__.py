"""Seeded, streaming generator of synthetic CIN census returns (no real people).

Used by the tests, the benchmarks and anyone who wants a large return to try. Every value is
invented: LA child IDs are ``DfEX0000001``-style counters, UPNs are a scrambled counter behind a
correct check letter, dates are drawn around the census year.

API::

    with open("return.xml", "wb") as out:
        write_return(out, children=50_000, seed=1, year="2026-27", problems=0.05)

CLI::

    python -m cin_validate.synthetic --children 50000 --seed 1 [--year 2026-27] \\
        [--problems 0.05] [--la 201] -o FILE

**The year.** A return is made for one collection year (``--year``; by default
``years.default()``), and everything that depends on the year comes from that collection: the
header's ``<Year>`` and ReferenceDate (so validation picks the same year with no option), the
census period, the working-day cut-offs of 8670Q and 8675Q (computed from the bank-holiday
calendar by ``dates.py``, as the rules compute them), every code written (drawn from the year's
code sets, with weights kept as data in ``codes.py``) and the groups the year adds: from
2026-27, some children have one or two ``<PreProceedingsandFGDM>`` groups (module 5), and the
first child always has one (8995Q queries a return in which no child has any).

**Clean.** With ``problems=0.0`` (the default) a return is clean: validated with no option it
fires no DfE error and no query of its year (the year-on-year checks need ``--previous`` and
are not run). The data is deliberately conservative; each step says which rules it keeps to.

**Faults.** With ``problems > 0`` that share of children gets one deliberate, typical fault
each (``FAULTS``: the fault's name and the rule it is meant to trigger; a year uses those whose
rule it has, ``faults_of(collection)``). Faults come from their own random stream, so the same
seed gives the same children whatever ``problems`` is; only the faulted children differ.

**Streaming.** One ``<Child>`` is made, written and forgotten at a time: memory stays flat
whatever the number of children (a million is fine). Same arguments, same bytes, in any process.

How it is made, one module per part:

- ``timeline.py``: the year's dates as whole days, and every limit the rules set on them;
- ``codes.py``: the year's code sets, weighted;  ``dice.py``: the seeded random draws;
- ``records.py``: a child, an episode, an assessment, a CIN plan, an enquiry, a protection
  plan, a pre-proceedings group;
- ``children.py``: a child's identity, UPN, characteristics, episodes and module 5 groups;
- ``episodes.py``: an episode step by step (referral, assessments, enquiries, conferences and
  plans, closure, the codes that depend on them);
- ``faults.py``: the deliberate faults;  ``writer.py``: the XML text;
- ``generate.py``: a whole return, streamed;  ``command.py``: the command line.
"""

from __future__ import annotations

from .command import main
from .faults import FAULTS, faults_of
from .generate import DEFAULT_LA, collection_of, iter_return, write_return

__all__ = ["DEFAULT_LA", "FAULTS", "collection_of", "faults_of", "iter_return", "main",
           "write_return"]
