"""Ordering refs as people read them."""

import re


def natural_key(text: str | None) -> list:
    """A sort key under which '1.10' comes after '1.9' (and a missing ref sorts first)."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", text or "")]
