"""The Flask app factory: the graph is loaded and audited once, then every blueprint shares it."""

from __future__ import annotations

import logging
import os
import threading
import time

from flask import Flask

from .. import graph as graphs
from .. import store
from ..engine import OxigraphEngine, RemoteEngine, embedded
from . import (
    access_log,
    errors,
    health,
    import_page,
    linked_data,
    pages,
    protection,
    query_pool,
    search,
    sparql,
    terms,
    validation_page,
)
from .map_page import blueprint as map_blueprint
from .site import DEFAULTS, Site

LOG = logging.getLogger("graphsvc.serve")

# Every blueprint the app serves, in one list (others add theirs here with one line).
BLUEPRINTS = [
    sparql.blueprint,
    health.blueprint,
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
    except Exception as error:  # pyshacl and the shapes raise many types; the log has the details
        return _failed(error)


def _failed(error: Exception) -> str:
    """What /validation says of a failed audit: that it failed, never pySHACL's or an endpoint's text."""
    logging.getLogger("graphsvc.errors").error("the shapes audit failed", exc_info=error)
    return "the audit failed (the server log has the details)"


def _source(config):
    """The engine, and the rdflib graph it was loaded from (None for a persisted store or an endpoint).

    A store or an endpoint is never parsed into rdflib: that is what keeps start-up instant
    on a national-scale graph.
    """
    if config.get("SPARQL_ENDPOINT"):
        return RemoteEngine(config["SPARQL_ENDPOINT"]), None
    if config.get("STORE"):
        return OxigraphEngine(store.open_read_only(config["STORE"])), None
    data = config.get("GRAPH") or graphs.default()
    return embedded(data, config["ENGINE"]), data


def _answers_from(engine, data) -> str:
    """Where answers come from, as /health tells it, from what _source opened."""
    if isinstance(engine, RemoteEngine):
        return "endpoint"
    return "disk" if data is None else "memory"


def _yield_the_cpu() -> None:
    """Lower this thread's priority (Linux gives threads their own nice value): the audit of a
    national store takes seconds of both cores, and the first visitors' pages must not wait for it."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
    except (AttributeError, OSError):  # not Linux, or not allowed: the audit just competes
        pass


def _copy_into_memory(served: Site) -> None:
    """From now on answer from an in-memory copy of the store; if it cannot be made (memory),
    keep answering from disk, and say so in the log."""
    started = time.perf_counter()
    try:
        served.engine.store = store.into_memory(served.engine.store)
    except Exception as error:  # MemoryError, or the store's folder gone from under the server
        served.extra["answers_from"] = "disk"
        LOG.warning("answering from the store on disk: copying it into memory failed: %s", error)
        return
    served.extra["answers_from"] = "memory"
    LOG.info("answering from memory: the store was copied in %.1f s", time.perf_counter() - started)


def _audit_on(served: Site) -> None:
    from ..sparql_audit import audit_engine

    try:
        served.audit = audit_engine(served.engine)
    except Exception as error:  # a remote endpoint may refuse or time out; the log says why
        served.audit = _failed(error)


def _in_background(served: Site, copy: bool, audit: bool) -> None:
    """After start-up, in one low-priority thread: the store copied into memory, then the shapes'
    SPARQL form on the engine (so the audit runs on the copy). /validation says it is running until then."""
    if audit:
        served.audit = "the audit is still running: try again in a few seconds"
    if copy:
        served.extra["answers_from"] = "disk, copying the store into memory"

    def run():
        _yield_the_cpu()
        if copy:
            _copy_into_memory(served)
        if audit:
            _audit_on(served)

    if copy or audit:
        threading.Thread(target=run, name="graphsvc-background", daemon=True).start()


def create_app(config: dict | None = None) -> Flask:
    """An app serving ``config["GRAPH"]`` (default: the built-in graph) through ``config["ENGINE"]``,
    or ``config["STORE"]`` (a folder from `graphsvc load`), or ``config["SPARQL_ENDPOINT"]`` (a URL)."""
    app = Flask(__name__)
    app.config.update(DEFAULTS)
    app.config.update(config or {})
    errors.install(app)
    access_log.install(app)
    protection.install(app, exempt=[sparql.blueprint, import_page.upload_turtle])
    engine, data = _source(app.config)
    auditing = app.config.get("AUDIT", True)
    app.extensions["graphsvc"] = Site(
        graph=data,
        engine=engine,
        audit=_audit(data) if auditing and data is not None else None,
    )
    query_pool.install(app, data)
    served = app.extensions["graphsvc"]
    served.extra["answers_from"] = _answers_from(engine, data)
    _in_background(
        served,
        copy=bool(app.config.get("STORE_IN_MEMORY")) and served.extra["answers_from"] == "disk",
        audit=auditing and data is None,
    )
    app.add_template_filter(terms.link, "term")
    app.add_template_filter(terms.local_path, "local")
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    return app
