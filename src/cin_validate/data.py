"""Where the shipped data lives: `rules/` and `codesets/`.

In a wheel they are inside the package (cin_validate/data/...); in a source checkout or an
editable install they are the folders at the top of the repository.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def data_path(folder: str) -> Path:
    packaged = resources.files("cin_validate") / "data" / folder
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[2] / folder
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"cin-validate's {folder}/ data is missing from this installation")
