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

from pyparsing import ParseResults
from rdflib import Graph
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import Query as QUERY_GRAMMAR
from rdflib.plugins.sparql.parser import UpdateUnit
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Variable

from graphsvc.namespaces import PREFIXES

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
# A sub-SELECT inside EXISTS / NOT EXISTS stays in rdflib's parse form until it is evaluated: the
# grammar's names for the same read-only patterns and modifiers (SERVICE there is still refused).
_PARSED_PATTERNS = {
    "SubSelect",
    "vars",
    "Bind",
    "GraphGraphPattern",
    "GroupOrUnionGraphPattern",
    "OptionalGraphPattern",
    "MinusGraphPattern",
    "InlineData",
    "ValuesClause",
    "GroupClause",
    "GroupAs",
    "HavingClause",
    "OrderClause",
    "LimitOffsetClauses",
}
ALLOWED = frozenset(_PATTERNS | _EXPRESSIONS | _AGGREGATES | _BUILTINS | _PARSED_PATTERNS)


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


# What is skipped when a word is looked for in the text: comments, strings and IRIs.
_SKIPPED = r'#[^\n]*|"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>'


def _where(text: str, pattern: str) -> str:
    """ " at line L, column C" of the first ``pattern`` in the query's own words ("" if not found)."""
    for match in re.finditer(f"{_SKIPPED}|(?P<found>{pattern})", text, re.IGNORECASE):
        if match.group("found") is not None:
            start = match.start("found")
            line = text.count("\n", 0, start) + 1
            return f" at line {line}, column {start - (text.rfind(chr(10), 0, start) + 1) + 1}"
    return ""


def _parsed(node):
    """Every CompValue of a parse tree (pyparsing's result lists included)."""
    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from _parsed(value)
    elif isinstance(node, (list, tuple, ParseResults)):
        for value in node:
            yield from _parsed(value)


_WELL_KNOWN = {str(p): str(ns) for p, ns in Graph().namespaces()}


def _check_prefixes(parsed, text: str) -> None:
    """Every prefix used is declared: rdflib knows xsd:, rdf: ... by itself, other engines do not."""
    declared = {dict.get(d, "prefix") for d in parsed[0] if d.name == "PrefixDecl"}
    for node in _parsed(parsed[1]):
        if node.name == "pname" and dict.get(node, "prefix") not in declared:
            prefix = dict.get(node, "prefix") or ""
            where = _where(text, r"(?<![\w.:-])" + re.escape(prefix) + ":")
            known = PREFIXES.get(prefix) or _WELL_KNOWN.get(prefix, "...")
            raise RefusedQuery(
                f"malformed query{where}: the prefix {prefix}: is not declared; "
                f"add PREFIX {prefix}: <{known}> before the query"
            )


def _describe_all(parsed, text: str) -> None:
    """``DESCRIBE *`` describes the WHERE clause's variables: named for rdflib, which needs them listed."""
    query = parsed[1]
    if query.name != "DescribeQuery" or dict.get(query, "var") is not None:
        return
    if dict.get(query, "where") is None:
        where = _where(text, r"DESCRIBE\s*\*")
        raise RefusedQuery(
            f"malformed query{where}: DESCRIBE * without a WHERE clause has nothing to "
            "describe; add WHERE { ... } to say which resources, or name them: DESCRIBE <iri>"
        )
    query["var"] = list(dict.fromkeys(_variables(query["where"])))


def _variables(node):
    if isinstance(node, Variable):
        yield node
    elif isinstance(node, CompValue):
        for value in node.values():
            yield from _variables(value)
    elif isinstance(node, (list, tuple, ParseResults)):
        for value in node:
            yield from _variables(value)


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


def check(text: str, base: str | None = None) -> Checked:
    """The checked form of an acceptable query, else RefusedQuery saying why it is not run.

    ``base``: the IRI relative IRIs resolve against (the endpoint's own), unless the query has a BASE."""
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
    _check_prefixes(parsed, text)
    _describe_all(parsed, text)
    try:
        translated = translateQuery(parsed, base=base)
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
