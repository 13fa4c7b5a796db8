"""Where answers come from, and the one place a source becomes an engine.

A source is the built-in graph (or a graph handed to the web app) in an embedded engine, a
persisted store folder (`graphsvc load DIR`), or a SPARQL 1.1 endpoint URL. The command line,
the web app and each query worker process all open theirs here, so the four ways of opening
an engine cannot disagree. The embedded default is the ENGINE setting's default (Oxigraph):
bench/engines.py measured it against rdflib on the ownership queries.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from rdflib import Graph

from graphsvc import settings
from graphsvc.engine.engines import ENGINE_KINDS, RESULTS, Engine, QueryError

DEFAULT_ENGINE: str = settings.BY_NAME["ENGINE"].default
LOG = logging.getLogger("graphsvc.errors")


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


def _with_reports(engine, source: Source) -> int:
    """Add the journal's reports to an Oxigraph engine as their named graph; how many records."""
    written = journal(source)
    records = complete(written.records()) if written is not None else []
    _load_into(engine, records)
    return len(records)


def _load_into(engine, records: list) -> None:
    """The records' quads added to an Oxigraph engine in one transaction (a reader's snapshot has
    all of them or none). A store's generation is read-only (its checksums would break): the
    engine moves to an in-memory copy first."""
    import pyoxigraph as ox

    quads = "".join(record.nquads for record in records).encode("utf-8")
    if not quads:
        return
    if not engine.writable:
        from graphsvc.engine.store import into_memory

        engine.store = into_memory(engine.store)
        engine.writable = True
    engine.store.load(quads, format=ox.RdfFormat.N_QUADS)


def complete(records: list) -> list:
    """The records up to the end of the last whole batch: a workbook's reports are appended one by
    one under one lock, and a reader must see all of them or none. A batch's records are contiguous
    and each says where it stands in it ("batch": [number, of, first report])."""
    last = records[-1].audit.get("batch") if records else None
    if last and last[0] < last[1]:
        return records[: len(records) - last[0]]
    return records


class Follower:
    """Keeps an embedded engine level with its reports journal while it is served: reports written
    by any process after the engine was opened are loaded into it, a whole write (or batch) at a
    time, and its ``version`` (records applied) moves on once they are in. Caches of anything that
    shows reports key on that version; the plans themselves never change while served."""

    def __init__(self, written, seen: int, source: Source):
        self.journal = written
        self.seen = seen
        self.source = source
        self.lock = threading.Lock()  # one loader at a time; readers never wait for it
        self.looked = float("-inf")

    def catch_up(self, engine, every: float = 0.0) -> int:
        import time

        now = time.monotonic()
        if now - self.looked < every:  # looked a moment ago: serve what is loaded
            return engine.version
        self.looked = now
        new = self.journal.since(self.seen)
        if not new or not self.lock.acquire(blocking=False):
            return engine.version  # nothing new, or another thread is loading it: read what is there
        try:
            new = complete(self.journal.since(self.seen))
            if new and not getattr(engine, "writable", True):
                self._copy_then_load(engine)  # the lock goes with it
                return engine.version
            if new:
                self._load(engine, new)
                self.seen += len(new)
                engine.version = self.seen
        except BaseException:
            self.lock.release()
            raise
        self.lock.release()
        return engine.version

    def _copy_then_load(self, engine) -> None:
        """A store's generation cannot take reports: copy it into memory first, in a low-priority
        thread (at a million triples the copy takes seconds of CPU, which pages served meanwhile, from
        the data as it was, must not wait for), then load what was written. Holds the lock throughout."""
        from graphsvc.engine.store import into_memory, yield_the_cpu

        def copy():
            try:
                yield_the_cpu()
                engine.store = into_memory(engine.store)
                engine.writable = True
                new = complete(self.journal.since(self.seen))
                self._load(engine, new)
                self.seen += len(new)
                engine.version = self.seen
            except Exception as error:  # memory, or the store gone: pages keep the data as it was
                LOG.error("written reports were not loaded: copying the store into memory failed: %s", error)
            finally:
                self.lock.release()

        threading.Thread(target=copy, name="graphsvc-reports-copy", daemon=True).start()

    def _load(self, engine, records: list) -> None:
        if hasattr(engine, "store"):
            _load_into(engine, records)
        else:
            quads = "".join(record.nquads for record in records)
            engine.graph.parse(data=quads, format="nquads")


class EndpointFollower:
    """An endpoint's data changes without telling: anyone may write reports into it. At most once
    every ``every`` seconds, the endpoint is asked how many reports it holds and when the newest was
    made (queries/reports_version.rq), beside the request that noticed, never before it (a round
    trip added to a first visit otherwise); when that changes, the engine's version moves on, and
    pages kept under the old one are built again."""

    every = 1.0

    def __init__(self):
        self.seen: tuple | None = None
        self.asked = float("-inf")
        self.lock = threading.Lock()  # one question at a time

    def catch_up(self, engine, every: float = 0.0) -> int:  # ``every``: the endpoint's own, once a second
        import time

        now = time.monotonic()
        if now - self.asked >= self.every and self.lock.acquire(blocking=False):
            self.asked = now
            threading.Thread(target=self._ask, args=(engine,), name="graphsvc-reports-version", daemon=True).start()
        return engine.version

    @property
    def none_written(self) -> bool:
        """The endpoint held no report when last asked: pages need not ask for their items'."""
        return self.seen is not None and self.seen[0] == "0"

    def ask(self, engine) -> None:
        """Ask now, and wait for the answer (a server does at start-up)."""
        import time

        self.lock.acquire()
        self.asked = time.monotonic()
        self._ask(engine)

    def _ask(self, engine) -> None:
        from graphsvc.queries import query

        try:
            row = engine.query(query("reports_version")).rows[0]
            found = (str(row.get("reports")), str(row.get("newest")))
            if self.seen is not None and found != self.seen:
                engine.version += 1
            self.seen = found
        except QueryError:  # the endpoint is down or refuses: the pages' own queries will say so
            pass
        finally:
            self.lock.release()


def catch_up(engine, every: float = 0.0) -> int:
    """Load what was written since the engine last looked (unless it looked less than ``every``
    seconds ago: the REPORTS_LAG setting); its data version after."""
    follower = getattr(engine, "follower", None)
    return follower.catch_up(engine, every) if follower is not None else getattr(engine, "version", 0)


def open_engine(source: Source, graph: Graph | None = None) -> Engine:
    """The engine over a source. An in-memory source loads ``graph`` (default: the built-in graph),
    or the N-Triples it carries into a worker. A store is opened read-only without parsing anything
    (a national store starts in a second); an endpoint is only asked."""
    from graphsvc.engine import store
    from graphsvc.engine.engines import OxigraphEngine, RdflibEngine, RemoteEngine, embedded

    if source.endpoint:
        engine = RemoteEngine(source.endpoint, results=source.results)
        engine.follower = EndpointFollower()
        return engine
    if source.store:
        opened = store.open_read_only(source.store, source.generation, check=not source.checked)
        engine = OxigraphEngine(opened, writable=False)
        return _following(engine, source, _with_reports(engine, source))
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
        seen = _with_reports(engine, source)
    else:
        engine, seen = _rdflib_with_reports(engine, source)
    return _following(engine, source, seen)


def _following(engine, source: Source, seen: int):
    written = journal(source)
    engine.version = seen
    engine.follower = Follower(written, seen, source) if written is not None else None
    return engine


def _rdflib_with_reports(engine, source: Source):
    """rdflib's engine over a dataset of the graph and the journal's named graph: on a plain graph
    rdflib refuses the reports' GRAPH queries outright, even when there are no reports."""
    from rdflib import Dataset

    from graphsvc.engine.engines import RdflibEngine

    records = complete(journal(source).records())
    quads = "".join(record.nquads for record in records)
    dataset = Dataset()
    for prefix, namespace in engine.graph.namespaces():
        dataset.bind(prefix, namespace, override=False)
    if quads:  # parsed first: rdflib 7.6 parsing N-Quads into a dataset empties its default graph
        dataset.parse(data=quads, format="nquads")
    dataset.addN((s, p, o, dataset.default_graph) for s, p, o in engine.graph)
    return RdflibEngine(dataset), len(records)
