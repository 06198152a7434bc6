"""cin-validate: offline validator for the English children in need (CIN) census return, 2024 to 2025.

The path from a file to a verdict reads in this order:
parse (secure, streaming lxml) -> model (typed dataclasses) -> engine (registry of checks)
-> checks (one module per part of the return) -> report (one object, many renderings).
"""

__version__ = "0.1.0"
