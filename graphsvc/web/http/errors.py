"""Error answers that tell a visitor what went wrong and nothing about the server's insides.

Every request gets an id; an error page (HTML, JSON or text, as the client asked) names it,
and the log line under ``graphsvc.errors`` carries the same id with the details (the
exception and its traceback for a 500), so a report of "request 3f2a..." can be traced
without the page ever showing an engine's message or a stack.
"""

from __future__ import annotations

import logging
import uuid

from flask import Flask, Response, g, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from graphsvc.web.http import negotiation

log = logging.getLogger("graphsvc.errors")

# What a visitor reads for a server-side failure: never the exception's own text.
SERVER_FAULT = "Something went wrong on the server. The problem has been logged."


def request_id() -> str:
    return g.get("request_id", "-")


def _assign_id() -> None:
    g.request_id = uuid.uuid4().hex


def _tag(response: Response) -> Response:
    response.headers["X-Request-Id"] = request_id()
    return response


def _description(error: HTTPException) -> str:
    """Our own one-line reason for a 4xx (or a 503 we raised); the generic sentence for other 5xx."""
    if error.code is not None and (error.code < 500 or error.code == 503):
        return " ".join(str(error.description or error.name).split())
    return SERVER_FAULT


def _wants(*offers: str) -> str:
    if request.path.endswith(".json"):
        return "application/json"
    return negotiation.best(list(offers), request.headers.get("Accept"), default=offers[0])


def error_response(error: HTTPException) -> Response:
    """The generic error answer for ``error``: status, our reason and the request id, in the client's format."""
    code = error.code or 500
    description = _description(error)
    kind = _wants("text/html", "application/json", "text/plain")
    if kind == "application/json":
        response = jsonify(error=description, status=code, requestId=request_id())
    elif kind == "text/plain":
        response = Response(f"{code} {error.name}: {description} (request {request_id()})\n", mimetype="text/plain")
    else:
        response = Response(
            render_template("error.html", code=code, name=error.name, description=description, request_id=request_id()),
            mimetype="text/html",
        )
    response.status_code = code
    carried = dict(error.get_headers())
    for name in ("Retry-After", "Allow"):  # headers HTTP asks these errors to carry
        if name in carried:
            response.headers[name] = carried[name]
    return response


def _http_error(error: HTTPException):
    if error.code is None:  # abort(Response(...)): a view's own finished answer
        return error.get_response()
    if error.code >= 500:
        log.error(
            "request %s: %s %s -> %s: %s", request_id(), request.method, request.path, error.code, error.description
        )
    else:
        log.info(
            "request %s: %s %s -> %s: %s", request_id(), request.method, request.path, error.code, error.description
        )
    return error_response(error)


def _unexpected(error: Exception):
    log.error("request %s: %s %s -> 500", request_id(), request.method, request.path, exc_info=error)
    return error_response(InternalServerError())


def install(app: Flask) -> None:
    """Ids and generic error answers for every request of ``app`` (registered first, so every check has an id)."""
    app.before_request(_assign_id)
    app.after_request(_tag)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
