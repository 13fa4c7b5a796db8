"""The Flask app factory: the graph is loaded and audited once, then every blueprint shares it."""

from __future__ import annotations

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException

from .. import graph as graphs
from ..engine import embedded
from . import import_page, linked_data, pages, search, sparql, terms, validation_page
from .map_page import blueprint as map_blueprint
from .site import DEFAULTS, Site

# Every blueprint the app serves, in one list (others add theirs here with one line).
BLUEPRINTS = [
    sparql.blueprint,
    pages.blueprint,
    linked_data.blueprint,
    search.blueprint,
    validation_page.blueprint,
    import_page.blueprint,
    map_blueprint,
]


def _audit(data):
    """The shapes audit of the served graph, run once: the report, or the one-line reason there is none.

    A failing audit must not take the endpoint and the pages down with it: /validation says why.
    """
    try:
        from ..validation import audit
    except ImportError:
        return "graphsvc.validation is not installed"
    try:
        return audit(data)
    except Exception as error:  # pyshacl and the shapes raise many types; the page shows the message
        return f"the audit failed: {' '.join(str(error).split())}"


def create_app(config: dict | None = None) -> Flask:
    """An app serving ``config["GRAPH"]`` (default: the built-in graph) through ``config["ENGINE"]``."""
    app = Flask(__name__)
    app.config.update(DEFAULTS)
    app.config.update(config or {})
    data = app.config.get("GRAPH") or graphs.default()
    app.extensions["graphsvc"] = Site(
        graph=data,
        engine=embedded(data, app.config["ENGINE"]),
        time_limit=float(app.config["SPARQL_TIME_LIMIT"]),
        row_cap=int(app.config["SPARQL_ROW_CAP"]),
        audit=_audit(data) if app.config.get("AUDIT", True) else None,
    )
    app.add_template_filter(terms.link, "term")
    app.add_template_filter(terms.local_path, "local")
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)

    @app.errorhandler(HTTPException)
    def http_error(error):
        """Plain pages for people; the SPARQL blueprint answers its own errors as text."""
        return render_template("error.html", error=error), error.code

    return app
