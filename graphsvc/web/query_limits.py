"""The public endpoint's limits, read once from the app's config: names, defaults and their checks.

The row cap and the time limit keep their old keys (site.DEFAULTS); the rest default here, so
`graphsvc serve`, create_app and the service description all give the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULTS = {
    "SPARQL_MEMORY_MB": 1024,  # address space of each query worker
    "SPARQL_WORKERS": 2,  # queries run at once; more are answered 503 at once
    "SPARQL_MAX_QUERY_LENGTH": 100_000,  # characters; a longer query is answered 413 unread
    "SERVER_THREADS": 8,  # the WSGI server's threads (`graphsvc serve --threads`)
}


@dataclass(frozen=True)
class QueryLimits:
    time_limit: float  # seconds of wall time per query
    row_cap: int  # rows (or triples) per answer
    memory_mb: int
    workers: int
    max_query_length: int
    threads: int


def from_config(config) -> QueryLimits:
    """The limits, or ValueError naming the key that is wrong (workers must stay below threads,
    so that pages and /health always find a free thread)."""

    def value(key, kind):
        return kind(config.get(key, DEFAULTS.get(key)))

    limits = QueryLimits(
        value("SPARQL_TIME_LIMIT", float),
        value("SPARQL_ROW_CAP", int),
        value("SPARQL_MEMORY_MB", int),
        value("SPARQL_WORKERS", int),
        value("SPARQL_MAX_QUERY_LENGTH", int),
        value("SERVER_THREADS", int),
    )
    if limits.workers < 1:
        raise ValueError(f"SPARQL_WORKERS is {limits.workers}: at least one query worker is needed")
    if limits.workers >= limits.threads:
        raise ValueError(
            f"SPARQL_WORKERS ({limits.workers}) must be below SERVER_THREADS ({limits.threads}): "
            "pages and /health need threads that no query holds"
        )
    return limits
