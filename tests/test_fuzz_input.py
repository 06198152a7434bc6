"""Seeded mutations of a real return never produce a traceback.

Whatever the damage (bytes flipped, cut, repeated; elements dropped, duplicated, emptied,
renamed; values garbled), cin-validate either validates the file (exit 0 or 1) or says in one
line why it cannot (exit 2). Seeds are fixed, so a failure reproduces.
"""

import json
import random
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from cin_validate.cli import main

SOURCE = (Path(__file__).resolve().parents[1] / "examples" / "problems.xml").read_text()
ELEMENT = re.compile(r"<([A-Za-z][A-Za-z0-9]*)>([^<]*)</\1>")
GARBAGE = ["", " ", "x", "2025-02-30", "31/03/2025", "9999-12-31", "0001-01-01", "-1", "1.5",
           "TRUE", "yes", "&amp;", "\u00e9", "A" * 300, "<!--c-->", "0" * 5000]


def mutate_bytes(text: str, rng: random.Random) -> bytes:
    data = bytearray(text.encode("utf-8"))
    for _ in range(rng.randint(1, 6)):
        at = rng.randrange(len(data))
        choice = rng.random()
        if choice < 0.3:
            data[at] = rng.randrange(256)
        elif choice < 0.5:
            del data[at:at + rng.randint(1, 40)]
        elif choice < 0.7:
            data[at:at] = data[at:at + rng.randint(1, 80)]
        else:
            data = data[:at]  # truncated
    return bytes(data)


def mutate_structure(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 8)):
        matches = list(ELEMENT.finditer(text))
        m = rng.choice(matches)
        name, value = m.group(1), m.group(2)
        choice = rng.random()
        if choice < 0.25:
            replacement = ""  # element dropped
        elif choice < 0.45:
            replacement = m.group(0) * 2  # repeated
        elif choice < 0.65:
            replacement = f"<{name}>{rng.choice(GARBAGE)}</{name}>"
        elif choice < 0.8:
            replacement = f"<{name}/>"
        else:
            replacement = f"<{name}X>{value}</{name}X>"  # unknown element
        text = text[:m.start()] + replacement + text[m.end():]
    return text


@pytest.mark.parametrize("seed", range(150))
def test_mutated_returns_never_crash(tmp_path, seed):
    rng = random.Random(seed)
    if seed % 2:
        data = mutate_bytes(SOURCE, rng)
    else:
        data = mutate_structure(SOURCE, rng).encode("utf-8")
    path = tmp_path / "mutated.xml"
    path.write_bytes(data)
    result = CliRunner().invoke(main, [str(path), "--format", "json"])
    assert result.exit_code in (0, 1, 2), (seed, result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), seed
    if result.exit_code == 2:
        assert len(result.stderr.strip().splitlines()) == 1, (seed, result.stderr)
        assert json.loads(result.stdout)["verdict"] == "unreadable", seed  # whole, says why
