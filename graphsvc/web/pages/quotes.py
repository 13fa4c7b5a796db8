"""Quoting the source text that a graph node cites (dcterms:source document + gs:sourceLine)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from graphsvc import resources


@cache
def _lines(identifier: str) -> tuple[str, ...]:
    try:
        path = resources.source_document(identifier)
    except FileNotFoundError:
        return ()
    return tuple(Path(path).read_text(encoding="utf-8").splitlines())


def quote(identifier: str, line: int) -> str | None:
    """Line ``line`` (1-based) of the shipped source document, tabs shown as cell breaks; None if absent."""
    lines = _lines(identifier)
    if not 1 <= line <= len(lines):
        return None
    return " | ".join(cell.strip() for cell in lines[line - 1].split("\t") if cell.strip())
