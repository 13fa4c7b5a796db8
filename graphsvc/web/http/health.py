"""``/health``: is the server answering, and how are its query workers? Cheap by design.

It says where answers come from ("memory", "disk", "disk, copying the store into memory",
"endpoint"), and asks no worker and no engine anything (a load balancer polls it every few
seconds, and it must answer while every worker is busy with a slow query): only counts the
pool keeps anyway.
"""

from __future__ import annotations

from flask import Blueprint, jsonify

from graphsvc.web.http import site

blueprint = Blueprint("health", __name__)


@blueprint.route("/health")
def health():
    served = site.current()
    answer = {
        "status": "ok",
        "answers_from": served.answers_from,
        "queries": served.query_pool.status(),
        "reports_loaded": served.engine.version,  # written reports loaded since the journal began
    }
    if served.source.store:
        answer["store"] = _generations(served.source)
    return jsonify(answer)


def _generations(source) -> dict:
    """Which generation of its store the server answers from (every reader the same one), and
    whether a later load has made another current: one readlink, so /health stays cheap."""
    from graphsvc.engine.store import StoreError, current_generation

    try:
        newest = current_generation(source.store)
    except StoreError:
        newest = None
    found = {"generation": source.generation, "current": newest, "restart_to_serve_current": False}
    if newest is not None and newest != source.generation:
        found["restart_to_serve_current"] = True
        found["note"] = (
            f"generation {newest} was loaded after this server started; every page, query and audit "
            f"answers from generation {source.generation} until the server is restarted"
        )
    return found
