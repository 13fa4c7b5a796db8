"""What every request of one app shares: its settings, source and engine, the audit, the query pool.

It lives in the app's ``extensions`` so that two apps in one process (tests, or a server
with another graph) never see each other's data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from flask import current_app
from rdflib import Graph

from graphsvc import settings as registry
from graphsvc.answers import periods
from graphsvc.engine import sources
from graphsvc.engine.engines import Engine
from graphsvc.engine.sources import Source
from graphsvc.settings import Settings
from graphsvc.web.http.page_cache import PageCache

if TYPE_CHECKING:
    from graphsvc.audit.validation import AuditReport
    from graphsvc.sandbox.query_pool import QueryPool


@dataclass(frozen=True)
class AuditState:
    """The audit of the served data: its report once there is one, else why there is none."""

    report: AuditReport | None = None
    why_none: str = "the audit was not run"

    @classmethod
    def running(cls) -> AuditState:
        return cls(None, "the audit is still running: try again in a few seconds")

    @classmethod
    def failed(cls) -> AuditState:
        return cls(None, "the audit failed (the server log has the details)")


@dataclass
class Site:
    settings: Settings
    source: Source
    graph: Graph | None  # None when serving a persisted store or a remote endpoint
    engine: Engine
    answers_from: str  # "memory", "disk", "disk, copying the store into memory" or "endpoint" (/health)
    audit: AuditState = field(default_factory=AuditState)
    query_pool: QueryPool | None = None
    figures: tuple | None = None  # the home page's counts and the data version they were counted at
    pages: PageCache | None = None  # built pages, by path and representation, at the data's version

    def __post_init__(self):
        if self.pages is None:
            self.pages = PageCache(version=self.data_version)

    def data_version(self) -> tuple:
        """What a built page depends on beyond its address: the data (written reports move it on)
        and the current quarter, which progress is read as at unless a page is asked for another."""
        return (self.engine.version, periods.containing(date.today()).name)

    def catch_up(self) -> int:
        """Load reports written since the last request (by any process); the data's version."""
        return sources.catch_up(self.engine, self.settings.reports_lag)


def current() -> Site:
    return current_app.extensions["graphsvc"]


def public(path: str) -> str:
    """``path`` ("/query") as clients should ask for it: under PUBLIC_URL when it is set, else as is
    (a relative reference). Never built from the request's Host header, which a client chooses."""
    settings = current().settings
    if settings.public_url is None:
        return path
    return registry.public_url(settings) + path.lstrip("/")


def public_url() -> str:
    """The server's own address (PUBLIC_URL, else where it listens), ending in "/"."""
    return registry.public_url(current().settings)
