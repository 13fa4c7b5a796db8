"""Cell text to RDF terms and back, for the column kinds of layout.py (ids and names aside)."""

import re
from datetime import date

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from graphsvc.namespaces import PREFIXES, compact
from graphsvc.spreadsheet import layout

_PATTERNS = {
    layout.DECIMAL: (re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)"), XSD.decimal, "a number, e.g. 50.0"),
    layout.DATE: (re.compile(r"\d{4}-\d{2}-\d{2}"), XSD.date, "a date written YYYY-MM-DD"),
    layout.MONTH: (re.compile(r"\d{4}-(0[1-9]|1[0-2])"), XSD.gYearMonth, "a month written YYYY-MM"),
    layout.YEAR: (re.compile(r"\d{4}"), XSD.gYear, "a year written YYYY"),
}
_UNIT = re.compile(r"[A-Za-z0-9_-]+")


class CellError(ValueError):
    """A cell value that cannot be read; str() is the reason."""


def split(column: layout.Column, text: str) -> list[str]:
    """The values a cell holds: one per line, or comma-separated source lines."""
    text = text.replace("\r\n", "\n").strip()
    if not text:
        return []
    if column.kind == layout.LINES:
        parts = re.split(r"[,\n]", text)
    elif column.multi:
        parts = text.split("\n")
    else:
        parts = [text]
    return [p.strip() for p in parts if p.strip()]


def join(column: layout.Column, values: list[str]) -> str:
    return (", " if column.kind == layout.LINES else "\n").join(values)


def literal(column: layout.Column, value: str) -> Literal:
    if column.kind == layout.TEXT:
        return Literal(value)
    if column.kind == layout.LINES:
        if not value.isdigit() or int(value) < 1:
            raise CellError(f"unparseable source line {value!r} (give line numbers, e.g. 77, 86)")
        return Literal(int(value))
    pattern, datatype, expected = _PATTERNS[column.kind]
    if not pattern.fullmatch(value):
        raise CellError(f"unparseable {column.header} {value!r} (expected {expected})")
    if column.kind == layout.DATE:
        try:
            date.fromisoformat(value)
        except ValueError as error:
            raise CellError(f"unparseable {column.header} {value!r} ({error})") from error
    return Literal(value, datatype=datatype)


def is_literal_of(column: layout.Column, term) -> bool:
    if not isinstance(term, Literal) or term.language:
        return False
    if column.kind == layout.TEXT:
        return term.datatype in (None, XSD.string)
    if column.kind == layout.LINES:
        return term.datatype == XSD.integer
    return term.datatype == _PATTERNS[column.kind][1]


def unit(value: str) -> URIRef:
    if not _UNIT.fullmatch(value):
        raise CellError(f"unparseable target unit {value!r} (expected a QUDT unit name, e.g. PERCENT)")
    return URIRef(layout.QUDT_UNIT + value)


def unit_text(term) -> str | None:
    text = str(term)
    if isinstance(term, URIRef) and text.startswith(layout.QUDT_UNIT):
        return text[len(layout.QUDT_UNIT) :]
    return None


def iri_text(term: URIRef) -> str:
    """prefix:local with the longest matching project prefix, else <full IRI>."""
    return compact(term) or f"<{term}>"


def iri(value: str) -> URIRef:
    if value.startswith("<") and value.endswith(">"):
        return URIRef(value[1:-1])
    prefix, colon, local = value.partition(":")
    if not colon or prefix not in PREFIXES:
        known = ", ".join(sorted(PREFIXES))
        raise CellError(f"unparseable IRI {value!r} (write prefix:name with one of {known}, or <IRI>)")
    return URIRef(str(PREFIXES[prefix]) + local)
