"""What every request of one app shares: the graph loaded once, its engine, the limits and the audit.

It lives in the app's ``extensions`` so that two apps in one process (tests, or a server
with another graph) never see each other's data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from rdflib import Graph

from ..engine import Engine
from .page_cache import PageCache

DEFAULTS = {
    "ENGINE": "oxigraph",
    "SPARQL_TIME_LIMIT": 10.0,  # seconds per query on the public endpoint
    "SPARQL_ROW_CAP": 10_000,  # rows (or triples) returned at most
}


@dataclass
class Site:
    graph: Graph | None  # None when serving a persisted store or a remote endpoint
    engine: Engine
    audit: Any = None  # graphsvc.validation.AuditReport, or a str saying why there is none
    extra: dict = field(default_factory=dict)
    pages: PageCache = field(default_factory=PageCache)  # built pages, by path and representation


def current() -> Site:
    return current_app.extensions["graphsvc"]
