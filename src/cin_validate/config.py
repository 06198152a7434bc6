"""Defaults for `cin-validate FILE` from a configuration file; the command line wins.

Looked for beside the (first) validated file, then in each folder above it, the first found:

- `cin-validate.toml`, with the keys at the top level (or under `[tool.cin-validate]`);
- `pyproject.toml` with a `[tool.cin-validate]` table (one without it is passed over, and so
  is one that never mentions cin-validate, even if it is not valid TOML).

    [tool.cin-validate]
    fail-on = "query"               # error | query | never
    select = ["8", "1510"]          # or "8,1510"
    ignore = ["8670Q", "8675Q"]
    format = "junit"                # one of `output.formats.FORMATS`
    year = "2025-26"                # the collection year to validate against (as --year)
"""

from __future__ import annotations

import difflib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from . import policy, years
from .output.formats import FORMATS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

CONFIG_NAMES = ("cin-validate.toml", "pyproject.toml")

# key -> (what it holds, for messages; the allowed values or None for a list of patterns)
KEYS: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "fail-on": ("one of", policy.FAIL_ON),
    "select": ("rule codes or prefixes", None),
    "ignore": ("rule codes or prefixes", None),
    "format": ("one of", FORMATS),
    "year": ("one of", tuple(years.held())),
}


class ConfigError(ValueError):
    pass


@dataclass
class Config:
    path: str | None = None  # the file the settings came from, None when there is none
    values: dict = field(default_factory=dict)

    def get(self, key: str, default=None):
        return self.values.get(key, default)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise ConfigError(f"{path}: cannot be read: {error.strerror or error}") from None


def _parse(path: Path) -> dict:
    try:
        return tomllib.loads(_read(path).decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    except (ValueError, RecursionError):  # a number past Python's 4,300 digits; deep nesting
        raise ConfigError(f"{path}: not TOML that can be read: a number too long or values "
                          "nested too deeply") from None


def _table(path: Path) -> dict | None:
    data = _parse(path)
    tool = data.get("tool")
    table = tool.get("cin-validate") if isinstance(tool, dict) else None
    # Keys at the top level: in a cin-validate.toml, and in any other file except a
    # pyproject.toml (a file given with --config may be named anything).
    if path.name != "pyproject.toml" and table is None:
        table = {key: value for key, value in data.items() if key != "tool"}
    return table


def _has_our_table(pyproject: Path) -> bool:
    """Whether a pyproject.toml has a [tool.cin-validate] table.

    One whose text never says "cin-validate" is passed over unparsed: whatever it holds, even
    broken TOML, it belongs to another project in a folder above and must not stop a run.
    """
    return b"cin-validate" in _read(pyproject) and _table(pyproject) is not None


def find(start: str | os.PathLike) -> Path | None:
    """The configuration file that applies to a return in (or the folder) `start`."""
    # realpath, not Path.resolve: a symbolic link loop given as a return raises there (Python
    # 3.11), and is the reader's to report ("cannot be read"), not an internal error.
    folder = Path(os.path.realpath(start))
    if not folder.is_dir():
        folder = folder.parent
    for directory in (folder, *folder.parents):
        for name in CONFIG_NAMES:
            candidate = directory / name
            if candidate.is_file():
                if name == "pyproject.toml" and not _has_our_table(candidate):
                    continue
                return candidate
    return None


def load(path: str | os.PathLike) -> Config:
    """Read and check one configuration file."""
    path = Path(path)
    table = _table(path) or {}
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.cin-validate] must be a table")
    values: dict = {}
    for key, value in table.items():
        if key not in KEYS:
            close = difflib.get_close_matches(key.replace("_", "-"), KEYS, n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise ConfigError(f"{path}: unknown setting {key!r} ({hint}known: {', '.join(KEYS)})")
        kind, allowed = KEYS[key]
        if allowed is None:
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{path}: {key} must be a list of {kind}")
        elif value not in allowed:
            raise ConfigError(f"{path}: {key} must be {kind} {', '.join(allowed)}, "
                              f"not {value!r}")
        values[key] = value
    return Config(str(path), values)


def for_files(paths: list[str], explicit: str | None = None, *, enabled: bool = True) -> Config:
    """The configuration for a run: `--config FILE`, else the one found beside the first file."""
    if explicit:
        if not os.path.isfile(explicit):
            raise ConfigError(f"{explicit}: no such configuration file")
        return load(explicit)
    if not enabled or not paths:
        return Config()
    found = find(paths[0])
    return load(found) if found else Config()
