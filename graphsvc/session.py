"""Which engine answers this process's questions, opened once.

The command line sets it from its global options (`--engine`, `--sparql-endpoint`, `--store`),
the web front end from its configuration; everything else asks `current()`. The embedded default
is Oxigraph on the built-in graph: bench/engines.py measured it against rdflib's in-memory
store on the ownership queries (figures in docs/performance.md).
"""

from __future__ import annotations

from functools import cache

from . import graph, store
from .engine import ENGINE_KINDS, Engine, OxigraphEngine, RemoteEngine, embedded

DEFAULT_KIND = "oxigraph"

_settings = {"kind": DEFAULT_KIND, "endpoint": None, "store": None}


def configure(kind: str | None = None, endpoint: str | None = None, store_dir: str | None = None) -> None:
    """Choose the engine: an embedded kind on the built-in graph, a persisted store or a remote endpoint."""
    if kind is not None and kind not in ENGINE_KINDS:
        raise ValueError(f"unknown engine {kind!r}: choose one of {', '.join(ENGINE_KINDS)}")
    _settings["kind"] = kind or DEFAULT_KIND
    _settings["endpoint"] = endpoint
    _settings["store"] = store_dir


@cache
def open_engine(kind: str = DEFAULT_KIND, endpoint: str | None = None, store_dir: str | None = None) -> Engine:
    """The engine for these settings, loaded on first use and kept for the process.

    A persisted store (`graphsvc load DIR`) is opened read-only, without parsing anything:
    that is what lets a server start on a national-scale graph in a second.
    """
    if endpoint:
        return RemoteEngine(endpoint)
    if store_dir:
        return OxigraphEngine(store.open_read_only(store_dir))
    return embedded(graph.default(), kind)


def current() -> Engine:
    """The configured engine (the embedded default unless configure() said otherwise)."""
    return open_engine(_settings["kind"], _settings["endpoint"], _settings["store"])
