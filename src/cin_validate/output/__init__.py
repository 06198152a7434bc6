"""Renderings of a `Report`: each format only draws what the report object decides."""
