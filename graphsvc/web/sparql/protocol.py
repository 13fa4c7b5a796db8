"""Reading a query out of a request as the SPARQL 1.1 Protocol defines it, strictly.

GET ``?query=``, POST of a URL-encoded form, or POST of the query itself as
``application/sparql-query``; anything else is a clear 400 (or 403 for an update).
Parameters are decoded here, strictly as UTF-8, because werkzeug would quietly
replace bad bytes and run a query nobody wrote.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from flask import Request

from graphsvc.sandbox.sparql_guard import RefusedQuery

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"


def _utf8(raw: bytes, what: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise RefusedQuery(
            f"{what} is not UTF-8: the byte 0x{raw[error.start]:02x} at offset {error.start} cannot be decoded"
        ) from error


def _parameters(encoded: bytes, what: str) -> list[tuple[str, str]]:
    try:
        return parse_qsl(encoded.decode("latin-1"), keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError as error:
        raise RefusedQuery(
            f"{what} is not UTF-8 once percent-decoded (a value has a bad byte at offset {error.start})"
        ) from error


def _one_query(parameters: list[tuple[str, str]], default_graphs: frozenset[str]) -> str | None:
    names = [name for name, _ in parameters]
    if "update" in names:
        raise RefusedQuery("SPARQL Update is refused: this endpoint is read-only", 403)
    if "named-graph-uri" in names:
        raise RefusedQuery("named-graph-uri refused: this endpoint answers from its one default graph only")
    for name, value in parameters:  # naming the default graph itself asks for what is served anyway
        if name == "default-graph-uri" and value not in default_graphs:
            named = " ".join(f"<{iri}>" for iri in sorted(default_graphs)) or "none"
            raise RefusedQuery(
                f"default-graph-uri <{value}> refused: this endpoint answers from its one default graph, named {named}"
            )
    queries = [value for name, value in parameters if name == "query"]
    if len(queries) > 1:
        raise RefusedQuery(f"{len(queries)} 'query' parameters given: send exactly one")
    return queries[0] if queries else None


def read_query(request: Request, default_graphs: frozenset[str] = frozenset()) -> str | None:
    """The query text of the request, None when there is none (the service description is wanted).

    ``default_graphs``: the IRIs a ``default-graph-uri`` may give (the names of the served graph)."""
    url_parameters = _parameters(request.query_string, "the URL's query string")
    if request.method == "GET":
        return _one_query(url_parameters, default_graphs)
    if not request.headers.get("Content-Type"):
        raise RefusedQuery(f"missing Content-Type: POST the query as {FORM} (query=...) or as {DIRECT}")
    media_type = request.mimetype
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise RefusedQuery(f"charset {charset!r} refused: the query must be UTF-8")
    if media_type == FORM:
        form = _parameters(request.get_data(), "the form body")
        return _one_query(url_parameters + form, default_graphs)
    if media_type == DIRECT:
        query = _one_query(url_parameters, default_graphs)
        if query is not None:
            raise RefusedQuery(f"a query in the URL and another in the {DIRECT} body: send exactly one")
        return _utf8(request.get_data(), "the query")
    if media_type == UPDATE:
        raise RefusedQuery("SPARQL Update is refused: this endpoint is read-only", 403)
    raise RefusedQuery(f"unsupported Content-Type {media_type!r}: POST the query as {FORM} or {DIRECT}")
