"""Ordering refs as people read them: the one natural sort key of graphsvc."""

import re
from functools import lru_cache

_PARTS = re.compile(r"(\d+)")


@lru_cache(maxsize=1 << 16)
def natural_key(text: str | None) -> tuple:
    """A sort key under which '1.10' comes after '1.9' and '1-10' after '1-2' (a missing ref sorts
    first). Remembered: every answer sorts its items again, by the same few thousand refs."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in _PARTS.split(text or ""))
