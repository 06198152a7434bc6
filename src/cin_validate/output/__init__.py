"""Renderings of a `Report`: each format only draws what the report object decides."""


def encoded(text: str) -> bytes:
    """`text` in UTF-8, as every format writes it. A file name that is not valid UTF-8 reaches
    us with its bad bytes as lone surrogates, which UTF-8 cannot hold: each is written as "?"."""
    return text.encode("utf-8", "replace")


def shown(text: str) -> str:
    """`text` as `encoded` writes it, for a writer that encodes on its own (xlsxwriter)."""
    return encoded(text).decode("utf-8")
