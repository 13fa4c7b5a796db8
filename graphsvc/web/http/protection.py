"""What a browser is told to refuse, and what the app refuses itself: headers, CSRF tokens, body size.

The Content-Security-Policy allows scripts and styles from this site only, so a literal or
IRI from the data that slipped into a page as markup still could not run; every POST form
carries a Flask-WTF CSRF token. The SPARQL endpoint is exempt from the token: its POST is
the SPARQL 1.1 Protocol, an API for SPARQLWrapper, rdflib and curl, and it changes nothing.
"""

from __future__ import annotations

import secrets

from flask import Flask, Response, current_app
from flask_wtf.csrf import CSRFProtect
from werkzeug.exceptions import RequestEntityTooLarge

from graphsvc.web.http.errors import error_response

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        # Inline styles: YASGUI and Cytoscape set them on the elements they draw. Styles cannot run
        # code, and the templates autoescape, so this opens no way in for a script.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",  # the favicon placeholder and the map's PNG/SVG exports
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}

DEFAULTS = {
    "SESSION_COOKIE_SAMESITE": "Lax",  # the CSRF token's session cookie
}

csrf = CSRFProtect()


def _headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _too_large(error: RequestEntityTooLarge):
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    return error_response(
        RequestEntityTooLarge(
            description=f"The request is larger than the {limit / (1024 * 1024):g} MB this service accepts."
        )
    )


def install(app: Flask, exempt=()) -> None:
    """Headers on every answer, CSRF on every POST except the views and blueprints in ``exempt``."""
    for name, value in DEFAULTS.items():
        if app.config.get(name) is None:  # Flask's own default is None
            app.config[name] = value
    if not app.config.get("SECRET_KEY"):  # tokens then last as long as the process: set one to share them
        app.config["SECRET_KEY"] = secrets.token_hex(32)
    csrf.init_app(app)
    for view in exempt:
        csrf.exempt(view)
    app.register_error_handler(RequestEntityTooLarge, _too_large)
    app.after_request(_headers)
