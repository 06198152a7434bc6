"""Output files are written whole or not at all, and never over the return being validated."""

from __future__ import annotations

import os
import tempfile


class OutputError(Exception):
    pass


def write_atomic(path: str | os.PathLike, data: bytes, *, protect: tuple[str, ...] = ()) -> None:
    """Write `data` to a temporary file beside `path`, then rename it into place."""
    path = os.fspath(path)
    for other in protect:
        if os.path.exists(path) and os.path.exists(other) and os.path.samefile(path, other):
            raise OutputError(f"{path}: refusing to overwrite the return being validated")
    directory = os.path.dirname(os.path.abspath(path))
    try:
        handle, temporary = tempfile.mkstemp(prefix=".cin-validate-", suffix=".tmp", dir=directory)
    except OSError as error:
        raise OutputError(f"{path}: cannot write here: {error.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException as error:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        if isinstance(error, OSError):
            raise OutputError(f"{path}: cannot write: {error.strerror}") from None
        raise
