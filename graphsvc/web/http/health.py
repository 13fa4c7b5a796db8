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
    return jsonify(status="ok", answers_from=served.answers_from, queries=served.query_pool.status())
