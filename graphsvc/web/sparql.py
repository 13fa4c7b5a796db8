"""``/sparql``: the read-only SPARQL 1.1 Protocol endpoint over the served graph.

Errors are short plain-text bodies with the status the protocol asks for, so that
SPARQL clients can show them; CORS is open for GET and POST so that browser
clients on other sites can query it.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, redirect, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from ..engine import QueryError
from . import negotiation, site, sparql_results, time_limit
from .service_description import describe
from .sparql_guard import RefusedQuery, check
from .sparql_protocol import read_query

blueprint = Blueprint("sparql", __name__)

CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type, Accept",
    "Access-Control-Expose-Headers": "X-SPARQL-Truncated, X-SPARQL-Row-Cap",
}


@blueprint.after_request
def _cors(response: Response) -> Response:
    response.headers.update(CORS)
    return response


def _problem(status: int, message: str, **headers) -> Response:
    return Response(message + "\n", status=status, mimetype="text/plain", headers=headers)


def _media_type(key: str) -> str:
    return negotiation.MEDIA_TYPES[key]


def _service_description(served) -> Response:
    key = negotiation.choose(negotiation.RDF_OFFERS, request.accept_mimetypes, request.args.get("format"))
    if key == "html":  # a person opening /sparql gets the editor
        return redirect(url_for("pages.query_editor"), 303)
    graph = describe(request.base_url, served.engine.triple_count(), served.time_limit, served.row_cap)
    return Response(sparql_results.rdf(graph, key), mimetype=_media_type(key))


def _timed_out(message: str, key: str, query_text: str) -> Response:
    """503, flagged in a header, and in the body of the HTML and JSON views as well as in text."""
    headers = {"X-SPARQL-Timed-Out": "true"}
    if key == "html":
        body = render_template("results.html", query=query_text, capped=None, timed_out=message)
        return Response(body, status=503, mimetype="text/html", headers=headers)
    if key == "json":
        body = json.dumps({"timedOut": True, "message": message})
        return Response(body, status=503, mimetype="application/json", headers=headers)
    return _problem(503, message, **headers)


def _answer(query_text: str, form: str, served) -> Response:
    offers = negotiation.RESULT_OFFERS if form in ("SELECT", "ASK") else negotiation.RDF_OFFERS
    key = negotiation.choose(offers, request.accept_mimetypes, request.values.get("format"), strict=False)
    try:
        answer = time_limit.run(served.engine, query_text, served.time_limit)
    except time_limit.TimedOut as error:
        return _timed_out(str(error), key, query_text)
    capped = sparql_results.cap(answer, served.row_cap)
    headers = {"X-SPARQL-Row-Cap": str(served.row_cap)}
    if capped.truncated:
        headers["X-SPARQL-Truncated"] = "true"
    if key == "html":
        body = render_template("results.html", query=query_text, capped=capped)
        return Response(body, mimetype="text/html", headers=headers)
    if form in ("SELECT", "ASK"):
        body = sparql_results.results(capped, key)
    else:
        body = sparql_results.rdf(capped.answer.graph, key)
    return Response(body, mimetype=_media_type(key), headers=headers)


@blueprint.route("/sparql", methods=["GET", "POST", "OPTIONS"])
def endpoint():
    if request.method == "OPTIONS":  # CORS preflight
        return Response(status=204)
    served = site.current()
    try:
        query_text = read_query(request)
        if query_text is None:
            return _service_description(served)
        form = check(query_text)
        return _answer(query_text, form, served)
    except RefusedQuery as error:
        return _problem(error.status, str(error))
    except QueryError as error:
        return _problem(400, f"query failed: {error}")
    except time_limit.Busy as error:
        return _problem(503, str(error), **{"Retry-After": "10"})
    except HTTPException as error:  # an unknown format= or an unmet Accept
        return _problem(error.code, error.description)
