"""The version of cin-validate, which reports name (pyproject.toml gives the same)."""

__version__ = "0.1.0"
