"""Which queries the public endpoint runs: read-only, and never reaching outside the served graph.

The checks look at the parsed query (rdflib's parser and algebra), not at its text, so a
``SERVICE`` inside a comment or a string is no problem and one hidden in a sub-query is found.
"""

from __future__ import annotations

import re

from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue


_AT = re.compile(r"\s*\(at char \d+\), \(line:\d+, col:\d+\)")  # pyparsing's own position, said once already


class RefusedQuery(Exception):
    """A query the endpoint will not run; ``status`` is the HTTP status, str() the one-line reason."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def _position(error: Exception) -> str:
    line, column = getattr(error, "lineno", None), getattr(error, "col", None)
    return f" at line {line}, column {column}" if line is not None else ""


def _is_update(text: str) -> bool:
    try:
        parseUpdate(text)
    except Exception:  # pyparsing raises several types; any failure means "not an update"
        return False
    return True


def _nodes(node):
    """Every algebra node under ``node`` (sub-queries, filters and EXISTS patterns included)."""
    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from _nodes(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from _nodes(value)


def check(text: str) -> str:
    """The query form (SELECT, ASK, CONSTRUCT, DESCRIBE) of an acceptable query, else RefusedQuery."""
    if not text.strip():
        raise RefusedQuery("the query is empty")
    try:
        parsed = parseQuery(text)
    except Exception as error:
        if _is_update(text):
            raise RefusedQuery("SPARQL Update is refused: this endpoint is read-only", 403) from error
        message = _AT.sub("", " ".join(str(error).split()))
        raise RefusedQuery(f"malformed query{_position(error)}: {message}") from error
    try:
        algebra = translateQuery(parsed).algebra
    except Exception as error:  # unknown prefixes, bad variable scoping, ...
        raise RefusedQuery(f"malformed query: {' '.join(str(error).split())}") from error
    if algebra.get("datasetClause"):
        raise RefusedQuery(
            "FROM and FROM NAMED are refused: this endpoint answers from its own graph and loads nothing else"
        )
    for node in _nodes(algebra):
        if node.name == "ServiceGraphPattern":
            raise RefusedQuery(
                f"SERVICE is refused: this endpoint never queries other services (SERVICE {node.term.n3()})"
            )
    return algebra.name.removesuffix("Query").upper()
