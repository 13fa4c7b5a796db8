"""The Flask app factory: the graph is loaded and audited once, then every blueprint shares it."""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from dataclasses import replace

from flask import Flask

from graphsvc import settings
from graphsvc.answers import progress
from graphsvc.engine import graph as graphs
from graphsvc.engine import sources, store
from graphsvc.sandbox import query_pool
from graphsvc.web.http import access_log, errors, health, protection, representation
from graphsvc.web.http.site import AuditState, Site
from graphsvc.web.pages import (
    browse_page,
    glossary,
    import_page,
    linked_data,
    report_page,
    search,
    terms,
    validation_page,
    vocabulary,
)
from graphsvc.web.pages import main as pages
from graphsvc.web.pages.map_page import blueprint as map_blueprint
from graphsvc.web.sparql import endpoint as sparql

LOG = logging.getLogger("graphsvc.serve")

# Every blueprint the app serves, in one list (others add theirs here with one line).
BLUEPRINTS = [
    sparql.blueprint,
    health.blueprint,
    pages.blueprint,
    report_page.blueprint,
    linked_data.blueprint,
    search.blueprint,
    validation_page.blueprint,
    import_page.blueprint,
    map_blueprint,
    glossary.blueprint,
    browse_page.blueprint,
    vocabulary.blueprint,
]


def _audit(data) -> AuditState:
    """The shapes audit of the served graph, run once: its report, or the reason there is none.

    A failing audit must not take the endpoint and the pages down with it: /validation says why.
    """
    from graphsvc.audit.validation import audit

    try:
        return AuditState(audit(data))
    except Exception as error:  # pyshacl and the shapes raise many types; the log has the details
        return _failed(error)


def _failed(error: Exception) -> AuditState:
    """What /validation says of a failed audit: that it failed, never pySHACL's or an endpoint's text."""
    logging.getLogger("graphsvc.errors").error("the shapes audit failed", exc_info=error)
    return AuditState.failed()


def _copy_into_memory(served: Site) -> None:
    """From now on answer from an in-memory copy of the store; if it cannot be made (memory),
    keep answering from disk, and say so in the log."""
    started = time.perf_counter()
    engine = served.engine
    follower = engine.follower
    try:
        with follower.lock if follower is not None else contextlib.nullcontext():  # no report load lost
            if not engine.writable:  # else loading reports has copied it already
                engine.store = store.into_memory(engine.store)
                engine.writable = True
    except Exception as error:  # MemoryError, or the store's folder gone from under the server
        served.answers_from = "disk"
        LOG.warning("answering from the store on disk: copying it into memory failed: %s", error)
        return
    served.answers_from = "memory"
    LOG.info("answering from memory: the store was copied in %.1f s", time.perf_counter() - started)


def _audit_on(served: Site) -> None:
    from graphsvc.audit.sparql_audit import audit_engine

    try:
        served.audit = AuditState(audit_engine(served.engine))
    except Exception as error:  # a remote endpoint may refuse or time out; the log says why
        served.audit = _failed(error)


def warm(engine) -> None:
    """What a server reads as it starts, before anyone asks: the tables every unit's, post's and
    person's page reads (accountability.warm: on a remote store a third of a first page's queries)
    and what progress answers read once (progress.warm). bench/run.py reads the same for its cold page."""
    from graphsvc.answers import accountability

    accountability.warm(engine)
    progress.warm(engine)


def _warm(served: Site) -> None:
    try:
        warm(served.engine)
    except Exception as error:  # an endpoint that is down: the first page asks again, and says why
        LOG.warning("the page tables were not read at start-up: %s", error)


def _in_background(served: Site, copy: bool, audit: bool) -> None:
    """After start-up, in one low-priority thread: what pages read once (``warm``; not on rdflib, the
    slow reference, whose parser is not thread-safe), the store copied into memory, then the shapes'
    SPARQL form on the engine (so the audit runs on the copy). /validation says it is running until then."""
    warm = served.engine.name != "rdflib"
    if audit:
        served.audit = AuditState.running()
    if copy:
        served.answers_from = "disk, copying the store into memory"

    def run():
        store.yield_the_cpu()
        if warm:
            _warm(served)
        if copy:
            _copy_into_memory(served)
        if audit:
            _audit_on(served)

    if warm or copy or audit:
        threading.Thread(target=run, name="graphsvc-background", daemon=True).start()


def create_app(config: dict | None = None) -> Flask:
    """An app serving ``config["GRAPH"]`` (an rdflib graph; default: the built-in graph) through the
    ``ENGINE`` setting, or the ``STORE`` folder (from `graphsvc load`), or the ``SPARQL_ENDPOINT`` URL.
    Every other key is a setting of graphsvc.settings (or Flask's own)."""
    config = dict(config or {})
    if "MAX_CONTENT_LENGTH" in config and "MAX_BODY_MB" not in config:  # Flask's own key, in bytes
        config["MAX_BODY_MB"] = config["MAX_CONTENT_LENGTH"] / settings.MB
    chosen = settings.from_config(config, "serve")
    source = sources.from_settings(chosen)
    app = Flask(__name__)
    app.config.update(config)
    app.config["MAX_CONTENT_LENGTH"] = int(chosen.max_body_mb * settings.MB)
    errors.install(app)
    access_log.install(app)
    protection.install(app, exempt=[sparql.blueprint, import_page.upload_turtle])
    data = (config.get("GRAPH") or graphs.default()) if source.in_memory else None
    if source.store:  # one generation for every reader (pages, workers, audit) for the server's life
        source = replace(source, generation=store.current_generation(source.store), checked=chosen.skip_store_check)
    engine = sources.open_engine(source, data)
    source = replace(source, checked=True)  # the workers open what the server has just checked
    served = Site(chosen, source, data, engine, source.answers_from)
    app.extensions["graphsvc"] = served
    if chosen.audit and data is not None:
        served.audit = _audit(data)
    query_pool.install(app, served)
    _in_background(
        served, copy=chosen.store_in_memory and source.store is not None, audit=chosen.audit and data is None
    )
    app.add_template_filter(terms.link, "term")
    app.add_template_filter(glossary.gloss, "gloss")
    app.add_template_filter(terms.local_path, "local")
    app.add_template_filter(validation_page.failed_check, "failed_check")
    app.add_template_filter(representation.media_type, "media_type")
    app.before_request(lambda: _catch_up(served))
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    return app


def _catch_up(served: Site) -> None:
    """Every request answers from the data as written so far: reports appended to the journal since
    the last request (by `graphsvc progress`, a workbook, another server) are loaded first. A
    journal that cannot be read leaves the data as it was, and the log says why."""
    try:
        served.catch_up()
    except Exception as error:  # a damaged journal, or memory for the copy: keep serving what is loaded
        logging.getLogger("graphsvc.errors").error("written reports were not loaded: %s", error)
