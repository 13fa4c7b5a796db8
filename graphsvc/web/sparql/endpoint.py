"""``/sparql``: the read-only SPARQL 1.1 Protocol endpoint over the served graph.

Errors are short plain-text bodies with the status the protocol asks for, so that
SPARQL clients can show them; CORS is open for GET and POST so that browser
clients on other sites can query it. Every query is parsed, checked and run in a
confined worker (query_pool); this thread only reads the request and writes the answer.
"""

from __future__ import annotations

import json
import logging
import math
import re

from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.http import HTTP_STATUS_CODES

from graphsvc.engine.engines import QueryError, QuerySyntaxError
from graphsvc.sandbox.confinement import ConfinementError, DeadlineExceeded, MemoryExceeded
from graphsvc.sandbox.query_pool import Busy
from graphsvc.sandbox.sparql_guard import RefusedQuery
from graphsvc.web.http import access_log, negotiation, site
from graphsvc.web.http.errors import request_id
from graphsvc.web.sparql import results as sparql_results
from graphsvc.web.sparql.protocol import read_query
from graphsvc.web.sparql.service_description import describe

blueprint = Blueprint("sparql", __name__)
log = logging.getLogger("graphsvc.errors")

CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type, Accept",
    "Access-Control-Expose-Headers": "X-SPARQL-Truncated, X-SPARQL-Row-Cap, X-SPARQL-Timed-Out, X-Request-Id",
}


@blueprint.after_request
def _cors(response: Response) -> Response:
    response.headers.update(CORS)
    return response


def _wants_html() -> bool:
    """A person (format=html, or a browser's Accept) reads a refusal as a page; clients read one line."""
    try:
        key = negotiation.choose(
            negotiation.RESULT_OFFERS, request.headers.get("Accept"), request.values.get("format"), strict=False
        )
    except HTTPException:
        return False
    return key == "html"


def _problem(status: int, message: str, **headers) -> Response:
    if request.method != "OPTIONS" and _wants_html():
        query = request.values.get("query") if request.mimetype != "application/sparql-query" else None
        body = render_template(
            "error.html",
            code=status,
            name=HTTP_STATUS_CODES.get(status, "Error"),
            description=message,
            request_id=request_id(),
            query=query,
        )
        return Response(body, status=status, mimetype="text/html", headers=headers)
    return Response(message + "\n", status=status, mimetype="text/plain", headers=headers)


def _media_type(key: str) -> str:
    return negotiation.MEDIA_TYPES[key]


def _service_description(served) -> Response:
    key = negotiation.choose(negotiation.RDF_OFFERS, request.headers.get("Accept"), request.args.get("format"))
    if key == "html":  # a person opening /sparql gets the editor
        return redirect(site.public(url_for("pages.query_editor")), 303)
    graph = describe(site.public_url() + "sparql", served.engine.triple_count(), served.settings)
    return Response(sparql_results.rdf(graph, key), mimetype=_media_type(key))


# How a query stopped at a limit is flagged: (header, JSON key, HTML label).
TIMED_OUT = ("X-SPARQL-Timed-Out", "timedOut", "Timed out")
OVER_MEMORY = ("X-SPARQL-Memory-Exceeded", "memoryExceeded", "Over the memory cap")


def _stopped(message: str, query_text: str, flag: tuple[str, str, str]) -> Response:
    """503 for a query stopped at a limit, flagged in a header, and in the HTML and JSON bodies too."""
    header, json_key, label = flag
    key = negotiation.choose(
        negotiation.RESULT_OFFERS, request.headers.get("Accept"), request.values.get("format"), strict=False
    )
    headers = {header: "true"}
    if key == "html":
        body = render_template("results.html", query=query_text, capped=None, timed_out=message, stopped_as=label)
        return Response(body, status=503, mimetype="text/html", headers=headers)
    if key == "json":
        body = json.dumps({json_key: True, "message": message})
        return Response(body, status=503, mimetype="application/json", headers=headers)
    return _problem(503, message, **headers)


def _size(answer) -> int:
    return len(answer.graph) if answer.graph is not None else len(answer.rows)


def _answer(query_text: str, served, row_cap: int) -> Response:
    # one more row tells a cut answer; relative IRIs resolve against the endpoint's own address
    outcome = served.query_pool.run(query_text, row_cap + 1, site.public_url() + "sparql")
    offers = negotiation.RESULT_OFFERS if outcome.form in ("SELECT", "ASK") else negotiation.RDF_OFFERS
    key = negotiation.choose(offers, request.headers.get("Accept"), request.values.get("format"), strict=False)
    capped = sparql_results.cap(outcome.answer, row_cap)
    access_log.note_query("truncated" if capped.truncated else "ok", outcome.seconds, _size(capped.answer))
    headers = {"X-SPARQL-Row-Cap": str(row_cap)}
    if capped.truncated:
        headers["X-SPARQL-Truncated"] = "true"
    if key == "html":
        body = render_template("results.html", query=query_text, capped=capped)
        return Response(body, mimetype="text/html", headers=headers)
    try:
        if outcome.form in ("SELECT", "ASK"):
            body = sparql_results.results(capped, key)
        else:
            body = sparql_results.rdf(capped.answer.graph, key)
    except sparql_results.NotXml as error:
        return _problem(406, str(error))
    return Response(body, mimetype=_media_type(key), headers=headers)


_ENGINE_POSITION = re.compile(r"^error at (\d+):(\d+):\s*")


def _engine_syntax(message: str) -> str:
    """Oxigraph's "error at 1:16: expected ..." in the endpoint's words: line and column first."""
    found = _ENGINE_POSITION.match(message)
    if found is None:
        return f"malformed query: {message}"
    detail = message[found.end() :]
    if len(detail) > 300:  # the list of every token it expected says little
        detail = detail[:300].rsplit(",", 1)[0] + ", ..."
    return f"malformed query at line {found.group(1)}, column {found.group(2)}: {detail}"


def _run(query_text: str, served) -> Response:
    limits = served.settings
    if len(query_text) > limits.sparql_max_query_length:
        access_log.note_query("refused")
        return _problem(
            413,
            f"the query is {len(query_text)} characters long: "
            f"this endpoint reads at most {limits.sparql_max_query_length}",
        )
    try:
        return _answer(query_text, served, limits.sparql_row_cap)
    except Busy as error:
        access_log.note_query("busy")
        return _problem(503, str(error), **{"Retry-After": str(math.ceil(limits.sparql_time_limit))})
    except DeadlineExceeded as error:
        access_log.note_query("timed-out", limits.sparql_time_limit)
        return _stopped(str(error), query_text, TIMED_OUT)
    except MemoryExceeded as error:
        access_log.note_query("memory")
        return _stopped(str(error), query_text, OVER_MEMORY)
    except QuerySyntaxError as error:  # Oxigraph read the text otherwise than rdflib: its position only
        access_log.note_query("refused")
        return _problem(400, _engine_syntax(str(error)))
    except QueryError as error:  # the engine's words (a remote endpoint's URL, say) stay in the log
        access_log.note_query("failed")
        log.info("request %s: the query failed: %s", request_id(), error)
        return _problem(400, f"the query failed while running (request {request_id()})")
    except ConfinementError as error:  # the worker crashed: a fresh one is starting
        access_log.note_query("failed")
        log.error("request %s: the query worker failed: %s", request_id(), error)
        return _problem(500, f"the query worker failed (request {request_id()})")


@blueprint.route("/sparql", methods=["GET", "POST", "OPTIONS"])
def endpoint():
    if request.method == "OPTIONS":  # CORS preflight
        return Response(status=204)
    served = site.current()
    try:
        query_text = read_query(request, frozenset(served.settings.default_graph_iris.split()))
        if query_text is None:
            return _service_description(served)
        return _run(query_text, served)
    except RefusedQuery as error:
        access_log.note_query("refused")
        return _problem(error.status, str(error))
    except RequestEntityTooLarge:
        limit = current_app.config["MAX_CONTENT_LENGTH"]
        return _problem(413, f"the request body is over the {limit} bytes this endpoint accepts")
    except negotiation.UnknownFormat as error:  # a parameter, not a path: the request is wrong
        return _problem(400, error.description)
    except HTTPException as error:  # an unmet Accept
        return _problem(error.code, error.description)
