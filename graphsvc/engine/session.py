"""Which source answers this process's questions, opened once.

The command line sets it from its global options (`--engine`, `--store`, `--sparql-endpoint`);
the commands ask `current()`. The web app keeps its own engine in its Site (two apps in one
process never share one); both open theirs through graphsvc.engine.sources.
"""

from __future__ import annotations

from functools import cache

from graphsvc.engine.engines import RESULTS, Engine
from graphsvc.engine.sources import DEFAULT_ENGINE, Source
from graphsvc.engine.sources import open_engine as _open

DEFAULT_KIND = DEFAULT_ENGINE

_configured = {"source": Source()}


def configure(
    kind: str | None = None,
    endpoint: str | None = None,
    store_dir: str | None = None,
    reports_dir: str | None = None,
    results: str | None = None,
) -> Source:
    """Choose the source: an embedded kind on the built-in graph, a persisted store or a remote endpoint."""
    source = Source(kind or DEFAULT_ENGINE, store_dir, endpoint, reports=reports_dir, results=results or RESULTS[0])
    _configured["source"] = source
    return source


def source() -> Source:
    return _configured["source"]


@cache
def open_engine(
    kind: str = DEFAULT_ENGINE,
    endpoint: str | None = None,
    store_dir: str | None = None,
    reports_dir: str | None = None,
    results: str = RESULTS[0],
) -> Engine:
    """The engine for these settings, loaded on first use and kept for the process."""
    return _open(Source(kind, store_dir, endpoint, reports=reports_dir, results=results))


def current() -> Engine:
    """The configured engine (the embedded default unless configure() said otherwise)."""
    configured = source()
    return open_engine(configured.engine, configured.endpoint, configured.store, configured.reports, configured.results)


def forget() -> None:
    """Drop the engines opened so far: after a write, the next read sees the new report."""
    open_engine.cache_clear()
