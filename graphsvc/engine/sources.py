"""Where answers come from, and the one place a source becomes an engine.

A source is the built-in graph (or a graph handed to the web app) in an embedded engine, a
persisted store folder (`graphsvc load DIR`), or a SPARQL 1.1 endpoint URL. The command line,
the web app and each query worker process all open theirs here, so the four ways of opening
an engine cannot disagree. The embedded default is the ENGINE setting's default (Oxigraph):
bench/engines.py measured it against rdflib on the ownership queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph

from graphsvc import settings
from graphsvc.engine.engines import ENGINE_KINDS, RESULTS, Engine

DEFAULT_ENGINE: str = settings.BY_NAME["ENGINE"].default


class SourceError(ValueError):
    """A source that cannot be opened as given; the message says which option is wrong."""


@dataclass(frozen=True)
class Source:
    engine: str = DEFAULT_ENGINE  # the embedded engine of an in-memory graph
    store: str | None = None  # a folder built by `graphsvc load`
    endpoint: str | None = None  # a SPARQL 1.1 query endpoint
    generation: int | None = None  # the store's generation every reader uses (None: its current one)
    ntriples: bytes | None = field(default=None, repr=False, compare=False)  # a graph handed to a worker process
    checked: bool = field(default=False, compare=False)  # the store's checksums were verified (by the server)
    reports: str | None = None  # the folder of the built-in graph's reports journal (None: in memory)
    results: str = RESULTS[0]  # the results format asked of the endpoint (engines.RESULTS)

    def __post_init__(self):
        if self.engine not in ENGINE_KINDS:
            raise SourceError(f"unknown engine {self.engine!r}: choose one of {', '.join(ENGINE_KINDS)}")
        if self.store and self.endpoint:
            raise SourceError("answers come from one source: give --store or --sparql-endpoint, not both")
        if self.results not in RESULTS:
            raise SourceError(f"unknown results format {self.results!r}: choose one of {', '.join(RESULTS)}")

    @property
    def in_memory(self) -> bool:
        return not (self.store or self.endpoint)

    @property
    def answers_from(self) -> str:
        """Where answers come from, as /health words it."""
        return "endpoint" if self.endpoint else "disk" if self.store else "memory"

    def describe(self) -> str:
        if self.endpoint:
            return f"the SPARQL endpoint {self.endpoint}"
        if self.store:
            return f"the store {self.store}"
        return "the built-in graph"


def from_settings(values: settings.Settings) -> Source:
    return Source(
        values.engine, values.store, values.sparql_endpoint, reports=values.reports_dir, results=values.sparql_results
    )


# The named graph written reports are merged into (and, on an endpoint, inserted into).
REPORTS_GRAPH = "https://w3id.org/graphsvc/id/progress/graph/written"


def journal(source: Source):
    """The reports journal of a source: beside a store, in the REPORTS_DIR folder or in memory for
    the built-in graph; None for an endpoint, which keeps its reports itself."""
    from graphsvc.engine import journal as journals

    if source.endpoint:
        return None
    if source.store:
        return journals.for_store(source.store)
    if source.reports:
        return journals.at(source.reports)
    return journals.in_memory()


def _with_reports(store, source: Source):
    """The store with the journal's reports added as their named graph: an in-memory copy when
    the store is a read-only generation (never written into: its checksums would break)."""
    import pyoxigraph as ox

    written = journal(source)
    quads = written.nquads() if written is not None else b""
    if not quads:
        return store
    if source.store:
        from graphsvc.engine.store import into_memory

        store = into_memory(store)
    store.load(quads, format=ox.RdfFormat.N_QUADS)
    return store


def open_engine(source: Source, graph: Graph | None = None) -> Engine:
    """The engine over a source. An in-memory source loads ``graph`` (default: the built-in graph),
    or the N-Triples it carries into a worker. A store is opened read-only without parsing anything
    (a national store starts in a second); an endpoint is only asked."""
    from graphsvc.engine import store
    from graphsvc.engine.engines import OxigraphEngine, RdflibEngine, RemoteEngine, embedded

    if source.endpoint:
        return RemoteEngine(source.endpoint, results=source.results)
    if source.store:
        opened = store.open_read_only(source.store, source.generation, check=not source.checked)
        return OxigraphEngine(_with_reports(opened, source))
    if source.ntriples is not None:
        if source.engine == "rdflib":
            import rdflib.plugins.sparql

            rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False  # FROM never fetches, should a check miss one
            return RdflibEngine(Graph().parse(data=source.ntriples, format="nt"))
        import pyoxigraph as ox

        loaded = ox.Store()
        loaded.bulk_load(source.ntriples, format=ox.RdfFormat.N_TRIPLES)
        return OxigraphEngine(loaded)
    if graph is None:
        from graphsvc.engine import graph as graphs

        graph = graphs.default()
    engine = embedded(graph, source.engine)
    if isinstance(engine, OxigraphEngine):
        engine.store = _with_reports(engine.store, source)
    else:
        engine = _rdflib_with_reports(engine, source)
    return engine


def _rdflib_with_reports(engine, source: Source):
    """rdflib's engine over a dataset of the graph and the journal's named graph: on a plain graph
    rdflib refuses the reports' GRAPH queries outright, even when there are no reports."""
    from rdflib import Dataset

    from graphsvc.engine.engines import RdflibEngine

    quads = journal(source).nquads()
    dataset = Dataset()
    for prefix, namespace in engine.graph.namespaces():
        dataset.bind(prefix, namespace, override=False)
    if quads:  # parsed first: rdflib 7.6 parsing N-Quads into a dataset empties its default graph
        dataset.parse(data=quads, format="nquads")
    dataset.addN((s, p, o, dataset.default_graph) for s, p, o in engine.graph)
    return RdflibEngine(dataset)
