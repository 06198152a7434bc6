"""`python -m cin_validate FILE` is `cin-validate FILE`, for when the Scripts folder is not on PATH."""

from .cli import main

main(prog_name="cin-validate")
