"""The endpoint's query workers: long-lived confined processes that parse, check and run user SPARQL.

A query is untrusted work: a 1 MB text takes rdflib half a minute to parse, embedded Oxigraph
cannot be interrupted, and both engines follow SERVICE and LOAD to the network. So each query
is parsed, checked (sparql_guard) and run inside a worker process holding its own copy of the
data (the served graph bulk-loaded from an N-Triples dump, the store opened read-only, or a
remote endpoint it may connect to and nothing else), confined by graphsvc.sandbox.confinement. The
server only waits: at the deadline it kills the worker (SIGKILL) and starts a replacement; a
worker over its memory cap dies alone; a dead worker is replaced.

The pool is also the cap on concurrent expensive work: a query arriving while every worker
is busy is refused at once (``Busy``), never queued, so the server's threads stay free for
pages and /health. Workers start on the first query (or ``start()``), not with the app.
"""

from __future__ import annotations

import functools
import logging
import pickle
import threading
import time
import weakref
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from graphsvc.engine.engines import Answer, QueryError, QuerySyntaxError
from graphsvc.engine.sources import Source, catch_up, open_engine
from graphsvc.sandbox.confinement import (
    CONTEXT,
    START_TIMEOUT,
    DeadlineExceeded,
    Limits,
    MemoryExceeded,
    confine,
    died,
    one_line,
)
from graphsvc.sandbox.sparql_guard import RefusedQuery

LOG = logging.getLogger(__name__)

# An answer is sent to the server in one message: one bigger than this is refused, not sent.
MAX_REPLY_BYTES = 64 * 1024 * 1024


class Busy(Exception):
    """Every worker is running a query: str() says so, for a 503 with Retry-After."""


def _limits(source: Source, deadline: float, memory_mb: int) -> Limits:
    """A worker's confinement: it may connect to its endpoint's host and port, and read its store."""
    allow, readable = (), ()
    if source.endpoint:
        url = urlsplit(source.endpoint)
        allow = ((url.hostname, url.port or (443 if url.scheme == "https" else 80)),)
    if source.store:
        readable = (source.store,)
    return Limits(deadline=deadline, memory_mb=memory_mb, allow_connect=allow, readable=readable)


@dataclass
class Outcome:
    """A query's answer (at most ``row_limit`` rows or triples) and its form."""

    form: str
    answer: Answer
    seconds: float


# --- inside a worker -------------------------------------------------------------------------


def _pack(answer: Answer) -> tuple:
    """The answer as plain picklable values (an rdflib Graph pickles slowly: its triples are sent)."""
    triples = list(answer.graph) if answer.graph is not None else None
    return answer.kind, answer.variables, answer.rows, answer.boolean, triples


def _unpack(packed: tuple) -> Answer:
    from rdflib import Graph

    kind, variables, rows, boolean, triples = packed
    graph = None
    if triples is not None:
        graph = Graph()
        for triple in triples:
            graph.add(triple)
    return Answer(kind, variables, rows, boolean, graph)


@functools.lru_cache(maxsize=256)
def _checked(text: str, base: str | None):
    """The check of a query text, remembered: clients send the same queries again and again, and
    rdflib's parse is most of the cost of a quick one."""
    from graphsvc.sandbox.sparql_guard import check

    return check(text, base)


def _run(engine, text: str, row_limit: int, base: str | None = None) -> tuple:
    if engine.name != "remote":  # an endpoint answers from its own data, as it is now
        try:
            catch_up(engine)  # the reports written since the last query, as the pages see them
        except Exception:  # a damaged journal: answer from what is loaded (the server's log says why)
            pass
    try:
        checked = _checked(text, base)
        statement = checked.query if engine.name == "rdflib" else checked.text
        return ("ok", checked.form, _pack(engine.query(statement, limit=row_limit, base=base)))
    except RefusedQuery as error:
        return ("refused", error.status, str(error))
    except QuerySyntaxError as error:  # a remote endpoint's complaint carries its response: kept back
        return ("syntax" if engine.name != "remote" else "failed", str(error), None)
    except QueryError as error:
        return ("failed", str(error), None)
    except RecursionError:
        return ("refused", 400, "the query is nested too deeply to run")


def _worker(connection, source: Source, limits: Limits) -> None:
    """A worker's life: confine, load, then answer one query after another until the server goes."""
    try:
        confine(limits)
        engine = open_engine(source)
        ready = ("ready", None, None)
    except Exception as error:  # reported to the server, which says why there is no worker
        ready = ("broken", one_line(error), None)
    try:
        connection.send(ready)
    except OSError:
        return  # the server went while this worker started
    if ready[0] != "ready":
        return
    while True:
        try:
            text, row_limit, base = connection.recv()
        except (EOFError, OSError):
            return  # the server is gone
        try:
            reply = pickle.dumps(_run(engine, text, row_limit, base))
        except MemoryError:
            connection.send_bytes(pickle.dumps(("memory", None, None)))
            return  # the heap may be in any state: a fresh worker replaces this one
        except Exception as error:  # an engine failure the checks did not foresee: one line, then go on
            reply = pickle.dumps(("failed", one_line(error), None))
        if len(reply) > MAX_REPLY_BYTES:
            reply = pickle.dumps(
                (
                    "failed",
                    f"the answer is over {MAX_REPLY_BYTES // 2**20} MB: ask for fewer rows (LIMIT) or shorter values",
                    None,
                )
            )
        try:
            connection.send_bytes(reply)
        except OSError:
            return  # the server is gone


# --- in the server ---------------------------------------------------------------------------


class _Worker:
    def __init__(self, source: Source, limits: Limits):
        self.connection, child = CONTEXT.Pipe(duplex=True)
        self.process = CONTEXT.Process(
            target=_worker, args=(child, source, limits), daemon=True, name="graphsvc-query-worker"
        )
        self.process.start()
        child.close()

    def wait_ready(self) -> None:
        if not self.connection.poll(START_TIMEOUT):
            raise QueryError(f"a query worker did not start within {START_TIMEOUT:g} s")
        try:
            kind, message, _ = self.connection.recv()
        except (EOFError, OSError):
            raise QueryError("a query worker died while starting") from None
        if kind != "ready":
            raise QueryError(f"a query worker cannot start: {message}")

    def alive(self) -> bool:
        """Whether this idle worker can take a query: its process runs and its pipe holds nothing
        (an idle worker sends nothing; EOF there means it died, killed from outside or by the OOM killer)."""
        try:
            return self.process.is_alive() and not self.connection.poll(0)
        except (OSError, ValueError):
            return False

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.connection.close()


class QueryPool:
    """``size`` workers over one source; ``run`` answers a query or raises why it could not."""

    def __init__(self, source_of, size: int, deadline: float, memory_mb: int):
        self._source_of = source_of  # called once, at the first start (a dump of the graph costs time)
        self._source: Source | None = None
        self.size = size
        self.deadline = deadline
        self.memory_mb = memory_mb
        self._idle: list[_Worker] = []
        self._busy: set[_Worker] = set()
        self._starting = 0
        self._lock = threading.Lock()
        self._start_lock = threading.Lock()
        self._closed = False
        self.last_error: str | None = None  # why the last worker could not start, for /health

    @property
    def limits(self) -> Limits:
        return _limits(self._source, self.deadline, self.memory_mb)

    def start(self) -> None:
        """Start every worker and wait until they hold the data (the first query calls this)."""
        with self._start_lock:
            if self._source is not None:
                return
            self._source = self._source_of()
            with self._lock:
                self._starting += self.size
            workers = [self._launch() for _ in range(self.size)]
            for worker in workers:
                self._admit(worker)

    def _launch(self) -> _Worker | None:
        try:
            return _Worker(self._source, self.limits)
        except Exception as error:  # fork server or pipe failure: the pool runs short and says why
            self.last_error = one_line(error)
            return None

    def _admit(self, worker: _Worker | None) -> None:
        """A launched worker joins the idle ones once ready (or is dropped, and the reason kept)."""
        try:
            if worker is not None:
                worker.wait_ready()
        except QueryError as error:
            worker.kill()
            worker = None
            if not self._closed:  # at shutdown a starting worker just goes
                self.last_error = str(error)
                LOG.error("graphsvc query pool: %s", error)
        with self._lock:
            self._starting -= 1
            if worker is not None and not self._closed:
                self._idle.append(worker)
                return
        if worker is not None:
            worker.kill()

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker and start another in the background: the request answers at once."""
        with self._lock:
            self._busy.discard(worker)
            self._starting += 1

        def renew():
            worker.kill()
            self._admit(self._launch() if not self._closed else None)

        threading.Thread(target=renew, name="graphsvc-query-worker-renew", daemon=True).start()

    def _top_up(self) -> None:
        with self._lock:
            missing = self.size - len(self._idle) - len(self._busy) - self._starting
            self._starting += max(missing, 0)
        for _ in range(max(missing, 0)):
            threading.Thread(
                target=lambda: self._admit(self._launch()), daemon=True, name="graphsvc-query-worker-start"
            ).start()

    def _acquire(self) -> _Worker:
        self.start()
        self._top_up()  # a worker that failed to start gets another chance
        with self._lock:
            if self._closed:
                raise Busy("the query service is shutting down")
            dead = [worker for worker in self._idle if not worker.alive()]
            self._idle = [worker for worker in self._idle if worker not in dead]
            self._busy.update(dead)  # _replace takes them from there
        for worker in dead:
            LOG.warning("graphsvc query pool: an idle worker (pid %s) had died; replacing it", worker.process.pid)
            self._replace(worker)
        with self._lock:
            if self._idle:
                worker = self._idle.pop()
                self._busy.add(worker)
                return worker
            if not dead:
                if not self._busy and self.last_error:
                    raise Busy(f"no query worker is running ({self.last_error}): try again shortly")
                raise Busy(f"all {self.size} query workers are busy: try again shortly")
        return self._wait_for_replacement()

    def _wait_for_replacement(self) -> _Worker:
        """A query that found only dead workers waits for their replacements (about a second) rather
        than being refused for a death it did not cause."""
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            with self._lock:
                if self._closed:
                    raise Busy("the query service is shutting down")
                if self._idle:
                    worker = self._idle.pop()
                    if worker.alive():
                        self._busy.add(worker)
                        return worker
                    self._busy.add(worker)
                    dead = worker
                else:
                    dead = None
                    if not self._starting:
                        break
            if dead is not None:
                self._replace(dead)
            time.sleep(0.05)
        raise Busy(f"no query worker is running ({self.last_error or 'they are restarting'}): try again shortly")

    def _release(self, worker: _Worker) -> None:
        with self._lock:
            self._busy.discard(worker)
            if not self._closed:
                self._idle.append(worker)
                return
        worker.kill()

    def run(self, text: str, row_limit: int, base: str | None = None) -> Outcome:
        """The answer to ``text``: at most ``row_limit`` rows; RefusedQuery, QueryError, Busy,
        or a ConfinementError (deadline, memory) when there is none."""
        worker = self._acquire()
        began = time.monotonic()
        try:
            worker.connection.send((text, row_limit, base))
            if not worker.connection.poll(self.deadline):
                self._replace(worker)
                raise DeadlineExceeded(f"the query ran past the time limit of {self.deadline:g} s and was stopped")
            reply = pickle.loads(worker.connection.recv_bytes())
        except (EOFError, OSError):
            worker.process.join(5)
            self._replace(worker)
            error = died(worker.process.exitcode, self.limits)
            if isinstance(error, MemoryExceeded):
                raise self._over_memory() from None
            raise error from None
        kind, first, second = reply
        if kind == "memory":
            self._replace(worker)
            raise self._over_memory()
        self._release(worker)
        if kind == "refused":
            raise RefusedQuery(second, first)
        if kind == "syntax":
            raise QuerySyntaxError(first)
        if kind == "failed":
            raise QueryError(first)
        return Outcome(first, _unpack(second), time.monotonic() - began)

    def _over_memory(self) -> MemoryExceeded:
        return MemoryExceeded(f"the query needed more than the memory cap of {self.memory_mb} MB and was stopped")

    def status(self) -> dict:
        """Counts only (no worker is asked anything): what /health reports."""
        with self._lock:
            return {
                "workers": self.size,
                "idle": len(self._idle),
                "busy": len(self._busy),
                "starting": self._starting,
                "started": self._source is not None,
                "last_error": self.last_error,
            }

    def pids(self) -> list[int]:
        with self._lock:
            return [w.process.pid for w in [*self._idle, *self._busy]]

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers, self._idle = self._idle + list(self._busy), []
            self._busy = set()
        for worker in workers:
            worker.kill()


def install(app, served) -> QueryPool:
    """The app's pool of query workers over its source (the served graph handed over as N-Triples
    when it is in memory), kept in its Site; the workers end when the app is garbage-collected."""
    limits = served.settings

    def source() -> Source:
        if served.source.in_memory:
            return replace(served.source, ntriples=served.graph.serialize(format="nt", encoding="utf-8"))
        return served.source

    pool = QueryPool(source, limits.sparql_workers, limits.sparql_time_limit, limits.sparql_memory_mb)
    weakref.finalize(app, pool.close)
    served.query_pool = pool
    return pool
