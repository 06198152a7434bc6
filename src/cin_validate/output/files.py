"""Writing an output file (`--output`), and what is never written over.

- A regular file, new or existing, is written whole or not at all: into a temporary file
  beside it as the report is drawn, then renamed into place, with the permissions of the file
  it replaces, else those the umask gives a new file. Through a symbolic link, the file
  the link points to is replaced, and the link stays a link (a dangling link gets its file).
- Anything else that already exists (/dev/null, /dev/stdout, a FIFO, a terminal) is written
  into as it is, as a shell's `>` would: renaming a file over it would replace the device
  itself (as root, /dev/null would become a report).
- An existing read-only file, and every input of the run (the returns, last year's return or
  counts, the configuration file), are never written over.
"""

from __future__ import annotations

import os
import secrets
import stat
from typing import BinaryIO, Callable, Mapping

_TEMPORARY_PREFIX = ".cin-validate-"


class OutputError(Exception):
    pass


def check_output(path: str | os.PathLike, protect: Mapping[str, str] | None = None) -> None:
    """Raise `OutputError` if `path` may not be written, before any work is done.

    `protect` maps each input of the run to what it is, for the message ("last year's return
    (--previous)").
    """
    path = os.fspath(path)
    _refuse(path, _existing(path), protect or {})


def is_special(path: str | os.PathLike) -> bool:
    """Whether `path` is a device, FIFO or the like that exists: written into, never replaced."""
    return _special(_existing(os.fspath(path)))


def _special(target: os.stat_result | None) -> bool:
    return target is not None and not stat.S_ISREG(target.st_mode)


def write_output(path: str | os.PathLike, draw: Callable[[BinaryIO], None], *,
                 protect: Mapping[str, str] | None = None) -> None:
    """Write to `path` what `draw(out)` writes into the binary stream `out`, as the module's
    docstring says; failures to write are `OutputError`."""
    path = os.fspath(path)
    target = _existing(path)
    _refuse(path, target, protect or {})
    if _special(target):
        _write_into(path, draw)
    else:
        _replace(os.path.realpath(path), draw, shown=path)


def _existing(path: str) -> os.stat_result | None:
    """What writing to `path` would reach (symbolic links followed), None if nothing yet."""
    try:
        return os.stat(path)
    except OSError:
        return None


def _refuse(path: str, target: os.stat_result | None, protect: Mapping[str, str]) -> None:
    if target is None:
        return
    for other, what in protect.items():
        theirs = _existing(other)
        if theirs is not None and (theirs.st_dev, theirs.st_ino) == (target.st_dev, target.st_ino):
            raise OutputError(f"{path}: refusing to overwrite {what}")
    if stat.S_ISREG(target.st_mode) and not _writable(path, target):
        raise OutputError(f"{path}: is read-only; refusing to replace it")


def _writable(path: str, target: os.stat_result) -> bool:
    # Renaming over a file needs only the folder's permission, so ask about the file itself.
    # Root may write any file and access() says so: the write bits say what its owner meant.
    return os.access(path, os.W_OK) and bool(target.st_mode & 0o222)


def _write_into(path: str, draw: Callable[[BinaryIO], None]) -> None:
    """Into a device or FIFO that exists: opened without creating or truncating anything."""
    try:
        with os.fdopen(os.open(path, os.O_WRONLY), "wb") as out:
            draw(out)
    except OSError as error:
        raise OutputError(f"{path}: cannot write: {error.strerror or error}") from None


def _mode_for(path: str) -> int:
    """The permission bits for a report written to `path` (a regular file or nothing yet)."""
    existing = _existing(path)
    if existing is not None:
        return stat.S_IMODE(existing.st_mode)
    umask = os.umask(0)  # the only way to read it is to set it: put it straight back
    os.umask(umask)
    return 0o666 & ~umask


def _replace(path: str, draw: Callable[[BinaryIO], None], *, shown: str) -> None:
    """Into a temporary file beside `path`, then renamed over it; removed on any failure or
    interruption. `shown` is the path as the user gave it, for messages."""
    # Named before it is made (mkstemp names it only once made): an interruption at any
    # moment, even as the file is created, knows what to remove. 128 random bits: no clash.
    temporary = os.path.join(os.path.dirname(path),
                             f"{_TEMPORARY_PREFIX}{secrets.token_hex(16)}.tmp")
    # Private while it is drawn; then the permissions a shell's `>` would leave: the replaced
    # file's own (a report someone made private stays private), else what the umask allows.
    mode = _mode_for(path)
    try:
        with os.fdopen(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600),
                       "wb") as out:
            draw(out)
            out.flush()
            if hasattr(os, "fchmod"):  # POSIX; Windows has no permission bits to give
                os.fchmod(out.fileno(), mode)
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException as error:
        try:
            os.unlink(temporary)
        except OSError:  # never made, or already renamed into place
            pass
        if isinstance(error, OSError):
            raise OutputError(f"{shown}: cannot write: {error.strerror or error}") from None
        raise
