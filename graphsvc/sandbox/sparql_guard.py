"""Which queries the public endpoint runs: read-only, and never reaching outside the served graph.

The checks look at the parsed query (rdflib's parser and algebra), not at its text, so a
``SERVICE`` inside a comment or a string is no problem and one hidden in a sub-query, an
EXISTS or behind a ``\\u`` escape is found. They fail closed: every algebra node must be on
an allow-list, so a construct this module has never seen is refused, not run.

The engine runs exactly the text that was checked: the ``\\u``/``\\U`` escapes are expanded
here once, as SPARQL 1.1 (section 19.2) defines them, because rdflib and Oxigraph do not agree
on them (rdflib reads ``\\u0053ERVICE`` as SERVICE, Oxigraph as a syntax error) and a second
reading must never find a keyword the first did not. The rdflib engine runs the checked
translation itself, never the text again.

This runs in the query workers only: rdflib's parser is not thread-safe (rdflib #1282).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import Query as QUERY_GRAMMAR
from rdflib.plugins.sparql.parser import UpdateUnit
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query

_AT = re.compile(r"\s*\(at char \d+\), \(line:\d+, col:\d+\)")  # pyparsing's own position, said once already
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

# Every algebra node a read-only query over the one default graph can need: patterns, solution
# modifiers, expressions, aggregates and the builtins of SPARQL 1.1 (section 17.4).
_PATTERNS = {
    "SelectQuery",
    "AskQuery",
    "ConstructQuery",
    "DescribeQuery",
    "BGP",
    "Join",
    "LeftJoin",
    "Filter",
    "TrueFilter",
    "Union",
    "Graph",
    "Extend",
    "Minus",
    "Group",
    "AggregateJoin",
    "Project",
    "Distinct",
    "Reduced",
    "Slice",
    "OrderBy",
    "OrderCondition",
    "ToMultiSet",
    "values",
    "GroupGraphPatternSub",
    "TriplesBlock",
}
_EXPRESSIONS = {
    "RelationalExpression",
    "ConditionalAndExpression",
    "ConditionalOrExpression",
    "AdditiveExpression",
    "MultiplicativeExpression",
    "UnaryNot",
    "UnaryMinus",
    "UnaryPlus",
    "Function",
}
_AGGREGATES = {f"Aggregate_{name}" for name in ("Count", "Sum", "Min", "Max", "Avg", "Sample", "GroupConcat")}
_BUILTINS = {
    f"Builtin_{name}"
    for name in (
        "STR",
        "LANG",
        "LANGMATCHES",
        "DATATYPE",
        "BOUND",
        "IRI",
        "URI",
        "BNODE",
        "RAND",
        "ABS",
        "CEIL",
        "FLOOR",
        "ROUND",
        "CONCAT",
        "STRLEN",
        "UCASE",
        "LCASE",
        "ENCODE_FOR_URI",
        "CONTAINS",
        "STRSTARTS",
        "STRENDS",
        "STRBEFORE",
        "STRAFTER",
        "YEAR",
        "MONTH",
        "DAY",
        "HOURS",
        "MINUTES",
        "SECONDS",
        "TIMEZONE",
        "TZ",
        "NOW",
        "UUID",
        "STRUUID",
        "MD5",
        "SHA1",
        "SHA256",
        "SHA384",
        "SHA512",
        "COALESCE",
        "IF",
        "STRLANG",
        "STRDT",
        "sameTerm",
        "isIRI",
        "isURI",
        "isBLANK",
        "isLITERAL",
        "isNUMERIC",
        "REGEX",
        "SUBSTR",
        "REPLACE",
        "EXISTS",
        "NOTEXISTS",
    )
}
ALLOWED = frozenset(_PATTERNS | _EXPRESSIONS | _AGGREGATES | _BUILTINS)


class RefusedQuery(Exception):
    """A query the endpoint will not run; ``status`` is the HTTP status, str() the one-line reason."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Checked:
    """An acceptable query: its form, the text the engine runs, and rdflib's translation of it."""

    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    text: str  # the query with its escapes expanded: exactly what was checked
    query: Query


def _position(error: Exception) -> str:
    line, column = getattr(error, "lineno", None), getattr(error, "col", None)
    return f" at line {line}, column {column}" if line is not None else ""


def _is_update(text: str) -> bool:
    try:
        UpdateUnit.parse_string(text, parse_all=True)
    except Exception:  # pyparsing raises several types; any failure means "not an update"
        return False
    return True


def expand_escapes(text: str) -> str:
    """The query with its ``\\uXXXX`` and ``\\UXXXXXXXX`` escapes replaced by the characters they stand for."""

    def character(match: re.Match) -> str:
        code = int(match.group(1) or match.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise RefusedQuery(
                f"malformed query: the escape {match.group(0)} at offset {match.start()} is not a Unicode character"
            )
        return chr(code)

    expanded = _ESCAPE.sub(character, text)
    if _ESCAPE.search(expanded):
        raise RefusedQuery("escapes that spell further escapes are refused: write the characters themselves")
    return expanded


def _nodes(node):
    """Every algebra node under ``node`` (sub-queries, filters and EXISTS patterns included)."""
    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from _nodes(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from _nodes(value)


def _refuse_node(node: CompValue) -> None:
    if node.name == "ServiceGraphPattern":
        raise RefusedQuery(f"SERVICE is refused: this endpoint never queries other services (SERVICE {node.term.n3()})")
    raise RefusedQuery(f"{node.name} is refused: this endpoint runs only the SPARQL 1.1 query forms it knows")


def check(text: str) -> Checked:
    """The checked form of an acceptable query, else RefusedQuery saying why it is not run."""
    if not text.strip():
        raise RefusedQuery("the query is empty")
    text = expand_escapes(text)
    try:
        parsed = QUERY_GRAMMAR.parse_string(text, parse_all=True)
    except RecursionError as error:
        raise RefusedQuery("the query is nested too deeply to parse") from error
    except Exception as error:
        if _is_update(text):
            raise RefusedQuery("SPARQL Update is refused: this endpoint is read-only", 403) from error
        message = _AT.sub("", " ".join(str(error).split()))
        raise RefusedQuery(f"malformed query{_position(error)}: {message}") from error
    try:
        translated = translateQuery(parsed)
    except RecursionError as error:
        raise RefusedQuery("the query is nested too deeply to run") from error
    except Exception as error:  # unknown prefixes, bad variable scoping, ...
        raise RefusedQuery(f"malformed query: {' '.join(str(error).split())}") from error
    algebra = translated.algebra
    if algebra.get("datasetClause"):
        raise RefusedQuery(
            "FROM and FROM NAMED are refused: this endpoint answers from its own graph and loads nothing else"
        )
    for node in _nodes(algebra):
        if node.name not in ALLOWED:
            _refuse_node(node)
    return Checked(algebra.name.removesuffix("Query").upper(), text, translated)
