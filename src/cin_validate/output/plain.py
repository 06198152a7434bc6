"""Values from a return or a path, shown as what they are, wherever a person reads them.

XML allows characters that a terminal, a browser or a CI log acts on instead of showing:
C1 controls (U+009B is a terminal's CSI, which starts an escape sequence), bidirectional
overrides and isolates (U+202E turns the rest of a line around), other invisible format
characters (U+200B), line and paragraph separators; a file's name may hold anything, ESC and
newlines included. `visible` writes each as an escape (`\\u202e`), so that a report shows what
the file says and cannot be made to show anything else. The terminal, GitHub and HTML formats
and the one-line errors use it; the data formats (JSON, CSV, xlsx, JUnit) keep the values as
written. (Rich markup is another matter: the terminal format gives values to Rich as `Text`,
which is never read as markup.)
"""

from __future__ import annotations

import unicodedata

# Controls, format characters, lone surrogates (from a file name that is not UTF-8), line and
# paragraph separators. Ordinary spaces, no-break spaces included, are shown as they are.
_ACTING = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def visible(text: str) -> str:
    """`text` with every character that would act rather than show written as an escape."""
    if text.isprintable():  # the usual case, at C speed: nothing to escape
        return text
    return "".join(_escape(char) if unicodedata.category(char) in _ACTING else char
                   for char in text)
