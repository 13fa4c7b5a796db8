"""Which engine answers this process's questions, opened once.

The command line sets it from its global options (`--engine`, `--sparql-endpoint`), the web
front end from its configuration; everything else asks `current()`. The embedded default
is Oxigraph on the built-in graph: bench/engines.py measured it against rdflib's in-memory
store on the ownership queries (figures in the README, "Ownership and dependencies").
"""

from __future__ import annotations

from functools import cache

from . import graph
from .engine import ENGINE_KINDS, Engine, RemoteEngine, embedded

DEFAULT_KIND = "oxigraph"

_settings = {"kind": DEFAULT_KIND, "endpoint": None}


def configure(kind: str | None = None, endpoint: str | None = None) -> None:
    """Choose the engine: an embedded kind on the built-in graph, or a remote SPARQL endpoint."""
    if kind is not None and kind not in ENGINE_KINDS:
        raise ValueError(f"unknown engine {kind!r}: choose one of {', '.join(ENGINE_KINDS)}")
    _settings["kind"] = kind or DEFAULT_KIND
    _settings["endpoint"] = endpoint


@cache
def open_engine(kind: str = DEFAULT_KIND, endpoint: str | None = None) -> Engine:
    """The engine for these settings, loaded on first use and kept for the process."""
    if endpoint:
        return RemoteEngine(endpoint)
    return embedded(graph.default(), kind)


def current() -> Engine:
    """The configured engine (the embedded default unless configure() said otherwise)."""
    return open_engine(_settings["kind"], _settings["endpoint"])
