"""The national-scale benchmark: every performance figure, per size and per engine, side by side.

For each size (bench/generate.py: ~10k, ~100k, ~1M triples) and each engine -- rdflib in
memory (the reference), Oxigraph in memory, Oxigraph persisted on disk (`graphsvc load`, what
`graphsvc serve --store` opens), and that store copied into memory (`serve --store --in-memory`)
-- one worker process measures, so that its memory peak is its own:

- load: parse the N-Triples (rdflib), bulk-load them (Oxigraph: pyoxigraph reading the file),
  build the store (persisted, `graphsvc load`);
- start-up to the first answer: parse + app + the first ownership page (in memory: the app
  serves an rdflib graph, which Oxigraph copies in, as `graphsvc serve` does); for the store,
  `graphsvc serve --store DIR` started cold until it answers the page over HTTP, and with
  --in-memory also until its /health says it answers from memory;
- ownership answer p50/p95 (graphsvc.answers.ownership.accountability) for a unit, a business group
  and a whole force, and the bare roll-up query (queries/ownership.rq) for the same; beside the
  business group's, the analyst's answer with verdicts (graphsvc.answers.accountability.answer:
  measures, owners, partners, target dates and the audit's findings on each item);
- audit: the shapes as SPARQL (graphsvc.audit.sparql_audit) on Oxigraph; pySHACL for rdflib;
- map JSON build (graphsvc.map.data, unfiltered); peak resident memory;
- HTTP throughput under waitress (threads and query workers as `graphsvc serve` defaults them) of
  the ownership page and /sparql: a bounded loopback load generator (127.0.0.1 only; --requests
  per run, at most --seconds) with keep-alive clients (8 for the page; one per query worker for
  /sparql, which answers 503 at once past its workers); requests/s, p50 and p99. Pages are built
  once per app (the page cache), so this is the warm figure; the first request of each page is
  the start-up figure. Where Debian's `wrk` is installed, the page is also loaded by wrk (its own
  process, 8 connections, a fixed duration) as a check that the Python generator is not the ceiling.

rdflib in memory is skipped at 1m with the reason printed: parsing alone takes about a minute
and a whole force's ownership answer over 4 s at 100k already. After each table the performance
goals (docs/performance.md) are printed as met or not met from the figures of that run.

The two remote stores are columns too: the Oxigraph server (`oxigraph serve-read-only`) and
Virtuoso Open Source 7 (Debian's virtuoso-t, the data in a named graph that the endpoint URL
names as its default graph), each started on 127.0.0.1 and loaded with the same file; graphsvc
answers from them over the SPARQL protocol (`--sparql-endpoint`). "page cold" is the ownership
page's first request on a fresh engine and page cache (the templates compiled) that has read only
what a server reads as it starts (graphsvc.web.app.warm: entity labels, plans, the organisation
chart, short names, and the tables progress reads once): nothing of the page itself is known,
what a user waits for on a first visit after start-up; "nothing read at start-up" is the same with
nothing at all read. The size "built-in" is the built-in plans, where that page is SCD's, and the
goals compare the remote stores' page cold with the embedded default's (Oxigraph in memory).

Progress ("progress" in --engines, on by default; its own table after the engines', per generated
size): the size's plans and its generated reports (bench/generate.py --reports: 1k, 10k, 100k) built
into one persisted store, then, through the public functions the pages use,
- "as at" the state of a business group (graphsvc.answers.progress.of_owner, the last quarter of
  the last plans' year) and the overdue and stale lists of the whole force (force 01; the goal's)
  and of all plans (progress.overdue / stale);
- durable writes, one after another, and 8 concurrent writers on that store (bench/progress_writes.py);
- `graphsvc serve --store` on it: the ownership page over HTTP (8 clients), then again while 4
  writer processes append 200 reports a second to the store's journal (paced; --seconds long;
  each append checked as a write is, the store's own reports read once: see
  progress_writes.writers' journal_only).
The goals: durable write p99 <= 50 ms and >= 200 reports/s from 8 writers; at 1m "as at" p50
<= 5 ms and each list <= 1 s; the page's p99 <= 100 ms during 200 writes/s.

Ratios are against rdflib in memory, from the same run. Medians of --repeat runs (answers: of
more, for a second, when they are fast).

    python bench/run.py --sizes 10k 100k 1m            # all engines; minutes at 1m
    python bench/run.py --sizes 100k --engines oxigraph store
    python bench/run.py --sizes built-in --engines oxigraph oxigraph-server virtuoso --requests 300
    python bench/run.py --sizes 1m --engines store progress --repeat 20 --requests 1000 --seconds 10
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graphsvc.settings import BY_NAME as SETTINGS  # noqa: E402  (the served defaults, as measured)

ENGINES = ("rdflib", "oxigraph", "store", "store+memory", "oxigraph-server", "virtuoso")
PERSISTED = ("store", "store+memory")
REMOTE = ("oxigraph-server", "virtuoso")
SIZES = ("built-in", "10k", "100k", "1m")
# The built-in plans' pages and targets; the generated sizes use TARGETS and PAGE below.
BUILT_IN = {
    "targets": {"unit": "unit/drugs-directorate", "business group": "unit/scd", "force": "organisation/mps"},
    "page": "/id/unit/scd",
    "first": "/id/unit/tp",
}
COLD_REPEAT = 7  # fresh engines per "page cold" figure
ID = "https://w3id.org/graphsvc/id/"
# Each answer is timed --repeat times and, when fast, for this long: a few hundred samples each.
ANSWER_SECONDS = 1.0
TARGETS = {"unit": "unit/force-01/bg-2/u-1", "business group": "unit/force-01/bg-2", "force": "organisation/force-01"}
PAGE = "/id/unit/force-01/bg-2"
FIRST = "/id/unit/force-01/bg-1"  # served before PAGE for its "first visit" figure
SPARQL = (
    "/sparql?query=" + "PREFIX%20skos%3A%20%3Chttp%3A%2F%2Fwww.w3.org%2F2004%2F02%2Fskos%2Fcore%23%3E%20"
    "SELECT%20%3Fl%20WHERE%20%7B%20%3Chttps%3A%2F%2Fw3id.org%2Fgraphsvc%2Fid%2Funit%2Fforce-01%2Fbg-2%3E"
    "%20skos%3AprefLabel%20%3Fl%20%7D"
)
PYSHACL_UP_TO = 20_000  # triples: pySHACL takes 24 s at 10k here, minutes beyond
SKIPPED = {
    ("1m", "rdflib"): "rdflib in memory skipped at 1m: parsing ~900k triples takes about a minute and "
    "the ownership answers already take 0.15-4 s each at 100k (see the 100k table)"
}
WRK_SECONDS = 10

# Progress figures (their own table per size, in one worker on the embedded store built from the
# size's plans and its generated reports; "progress" in --engines): 1m with 100k reports is the
# goals' case.
REPORTS = {"10k": 1_000, "100k": 10_000, "1m": 100_000}
PROGRESS_ITEMS = [f"{ID}item/force-01-2007/{s}.{i}" for s in (1, 2, 3, 4) for i in (1, 2)]  # a writer each
PROGRESS_BY = f"{ID}person/force-01/p-2"  # who the bench's writers report as
# Months of the 2007 plans' year: the generated reports are for quarters, so each phase's first
# report on an item is the first for its period, and every later one a correction of it.
WRITE_PERIODS = {"durable": "2007-05", "writers": "2007-06", "paced": "2007-07"}
DURABLE_WRITES = 300
DURABLE_SECONDS = 30.0  # or fewer writes (at least 20), when each takes long
CONCURRENT_WRITERS = 8
WRITERS_SECONDS = 5.0
WRITE_RATE = 200.0  # reports/s while the ownership page is read
PACED_WRITERS = 4
PROGRESS_SECONDS = 5.0  # time budget per "as at" and list figure: at least 3 runs, however slow


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _times(action, repeat: int, seconds: float = 0.0, most: int = 1000) -> list[float]:
    """At least ``repeat`` timings, and more until ``seconds`` have passed (at most ``most``): the median
    of 20 two-millisecond answers moved by a tenth between runs on this 2-core VM; of hundreds, it did not."""
    found = []
    began = time.perf_counter()
    while len(found) < repeat or (time.perf_counter() - began < seconds and len(found) < most):
        start = time.perf_counter()
        action()
        found.append((time.perf_counter() - start) * 1000)
    return found


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def load_generator(
    port: int, path: str, requests: int, seconds: float, clients: int = 8, accept: str = "text/html"
) -> dict:
    """`requests` GETs of path on 127.0.0.1:port from `clients` keep-alive connections, for at most `seconds`."""
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    remaining = [requests]
    deadline = time.monotonic() + seconds

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < deadline:
            with lock:
                if remaining[0] <= 0:
                    break
                remaining[0] -= 1
            start = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Accept": accept})
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except OSError:
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                ok = False
            with lock:
                latencies.append((time.perf_counter() - start) * 1000)
                failures[0] += not ok
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    return {
        "rps": len(latencies) / elapsed,
        "p50": _p(latencies, 0.5),
        "p99": _p(latencies, 0.99),
        "requests": len(latencies),
        "failures": failures[0],
    }


def wrk(port: int, path: str, seconds: float, clients: int = 8) -> dict | None:
    """The same load from Debian's wrk (its own process, loopback, fixed duration); None without wrk."""
    if shutil.which("wrk") is None:
        return None
    done = subprocess.run(
        ["wrk", "-t1", f"-c{clients}", f"-d{max(1, int(seconds))}s", "--latency", f"http://127.0.0.1:{port}{path}"],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
    )

    def ms(label: str) -> float:
        number, unit = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", done.stdout, re.M).groups()
        return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", done.stdout).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", done.stdout)
    return {"rps": rps, "p50": ms("50"), "p99": ms("99"), "failures": int(errors.group(1)) if errors else 0}


def _wait_for(port: int, path: str, seconds: float, process=None, answers_from: str | None = None) -> None:
    """Until the path answers 200 (and, for /health, says it answers from there)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", path)
            response = connection.getresponse()
            if response.status == 200 and (
                answers_from is None or json.loads(response.read())["answers_from"] == answers_from
            ):
                return
        except OSError:
            pass
        if time.monotonic() > deadline or (process is not None and process.poll() is not None):
            raise RuntimeError(f"no answer on 127.0.0.1:{port}{path}")
        time.sleep(0.02)


def _bulk_load_ms(data: Path) -> float:
    """The ontology and the file bulk-loaded into an in-memory Oxigraph store, as pyoxigraph reads them."""
    import pyoxigraph as ox

    from graphsvc.engine import graph as graphs

    ontology = graphs.ontology().serialize(format="nt", encoding="utf-8")
    start = time.perf_counter()
    loaded = ox.Store()
    loaded.bulk_load(ontology, format=ox.RdfFormat.N_TRIPLES)
    loaded.bulk_load(path=str(data), format=ox.RdfFormat.N_TRIPLES)
    return (time.perf_counter() - start) * 1000


def _remote_store(kind: str, data: Path, folder: Path, stack: contextlib.ExitStack) -> str:
    """The remote store ``kind`` started on 127.0.0.1 (stopped with ``stack``), loaded with the ontology
    and ``data``: its endpoint URL. The tests' own launchers (tests/*_server.py) start it."""
    sys.path.insert(0, str(ROOT / "tests"))
    from graphsvc.engine import graph as graphs

    folder.mkdir(parents=True, exist_ok=True)
    ontology = folder / "ontology.nt"
    graphs.ontology().serialize(ontology, format="nt", encoding="utf-8")
    local = folder / data.name  # inside the folder: Virtuoso reads only the folders its ini allows
    shutil.copyfile(data, local)
    if kind == "oxigraph-server":
        import oxigraph_server

        return stack.enter_context(oxigraph_server.running(folder, [ontology, local], load_timeout=1800))
    import virtuoso_server

    graph = "urn:graphsvc:bench"
    return stack.enter_context(virtuoso_server.running(folder, {graph: [ontology, local]}, load_timeout=1800))[graph]


def _fresh(engine):
    """A new engine over the same data: nothing remembered (names, chart, items are kept per engine)."""
    from graphsvc.engine.engines import OxigraphEngine, RdflibEngine, RemoteEngine

    if isinstance(engine, OxigraphEngine):
        return OxigraphEngine(engine.store)
    if isinstance(engine, RdflibEngine):
        return RdflibEngine(engine.graph)
    fresh = RemoteEngine(engine.endpoint, engine.timeout, engine.results)
    fresh.follower = type(engine.follower)() if engine.follower is not None else None  # nothing asked yet
    return fresh


def _page_cold(app, repeat: int, after: str | None = None, started: bool = True) -> tuple[float, float]:
    """The ownership page's first request with a fresh engine and page cache, p50/p95; the run before
    the timed ones compiles the templates, which every store would pay alike. ``started``: the fresh
    engine first reads what a server reads as it starts (graphsvc.web.app.warm: entity labels, plans,
    the organisation chart, short names, progress's tables; not on rdflib), untimed, so that nothing of the page
    itself is known; without it, nothing at all is. With ``after``, that page is served first,
    untimed: the first visit of the page on a server already answering."""
    from graphsvc.web.app import warm
    from graphsvc.web.http.page_cache import PageCache

    served, client, found = app.extensions["graphsvc"], app.test_client(), []
    for run in range(repeat + 1):
        served.engine, served.pages = _fresh(served.engine), PageCache()
        if started and served.engine.name != "rdflib":
            warm(served.engine)
        if after:
            assert client.get(after, headers={"Accept": "text/html"}).status_code == 200, after
        start = time.perf_counter()
        response = client.get(PAGE, headers={"Accept": "text/html"})
        elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == 200, (PAGE, response.status_code)
        if run:
            found.append(elapsed)
    return statistics.median(found), _p(found, 0.95)


def worker(data: Path, engine_kind: str, store_dir: Path, repeat: int, requests: int, seconds: float) -> dict:
    """All figures for one engine on one file, in this process (for its own memory peak); a remote
    store runs beside it, loaded from the same file, for as long as the figures take."""
    with contextlib.ExitStack() as stack:
        endpoint, load = None, None
        if engine_kind in REMOTE:
            start = time.perf_counter()
            endpoint = _remote_store(engine_kind, data, store_dir, stack)
            load = (time.perf_counter() - start) * 1000
        figures = _worker(data, engine_kind, store_dir, repeat, requests, seconds, endpoint)
        if load is not None:
            figures["load"] = load
        return figures


def _worker(data, engine_kind, store_dir, repeat, requests, seconds, endpoint) -> dict:
    from rdflib import Graph, URIRef

    from graphsvc.answers import accountability, ownership
    from graphsvc.audit import sparql_audit
    from graphsvc.engine import graph as graphs
    from graphsvc.engine import store
    from graphsvc.engine.engines import OxigraphEngine, RdflibEngine, RemoteEngine
    from graphsvc.map import data as map_data
    from graphsvc.queries import query
    from graphsvc.web.app import create_app

    figures: dict = {}
    if engine_kind == "oxigraph":  # Oxigraph's own load of the file; the app below serves an rdflib graph
        figures["load"] = _bulk_load_ms(data)
    start = time.perf_counter()
    if engine_kind in REMOTE:
        engine, parsed = RemoteEngine(endpoint), None
    elif engine_kind in PERSISTED:
        store.build(store_dir, [data])
        engine = OxigraphEngine(store.open_read_only(store_dir))
        parsed = None
    else:
        parsed = Graph()
        parsed += graphs.ontology()
        parsed.parse(data, format="nt")
        engine = RdflibEngine(parsed) if engine_kind == "rdflib" else OxigraphEngine.from_graph(parsed)
    figures.setdefault("load", (time.perf_counter() - start) * 1000)
    figures["triples"] = engine.triple_count()

    if engine_kind in PERSISTED:
        in_memory = engine_kind == "store+memory"
        port = _free_port()
        start = time.perf_counter()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "graphsvc",
                "serve",
                "--store",
                str(store_dir),
                "--port",
                str(port),
                *["--in-memory"] * in_memory,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_for(port, PAGE, 120, server)
            figures["startup"] = (time.perf_counter() - start) * 1000
            if in_memory:
                _wait_for(port, "/health", 600, server, answers_from="memory")
                figures["copy"] = (time.perf_counter() - start) * 1000
        finally:
            server.terminate()
            server.wait(timeout=30)
        app = create_app({"STORE": str(store_dir), "STORE_IN_MEMORY": in_memory, "AUDIT": False})
        deadline = time.monotonic() + 600
        while (answers_from := app.extensions["graphsvc"].answers_from) != ("memory" if in_memory else "disk"):
            if time.monotonic() > deadline or (in_memory and answers_from == "disk"):  # the copy failed
                raise RuntimeError(f"the store was not copied into memory: answering from {answers_from}")
            time.sleep(0.05)
    else:
        if engine_kind in REMOTE:
            start = time.perf_counter()  # the store is up and loaded: from here, graphsvc's own start
            app = create_app({"SPARQL_ENDPOINT": endpoint, "AUDIT": False})
        else:
            app = create_app({"GRAPH": parsed, "ENGINE": engine_kind, "AUDIT": False})
        response = app.test_client().get(PAGE)
        assert response.status_code == 200, response.status_code
        figures["startup"] = (time.perf_counter() - start) * 1000  # from before the load
    figures["page cold"] = _page_cold(app, COLD_REPEAT)
    figures["page cold, nothing read"] = _page_cold(app, COLD_REPEAT, started=False)
    figures["page first visit"] = _page_cold(app, COLD_REPEAT, after=FIRST)
    engine = app.extensions["graphsvc"].engine

    for label, target in TARGETS.items():
        iri = ID + target
        ownership.accountability(engine, iri)  # name table, chart and catalogue: cached per engine
        answer = _times(lambda: ownership.accountability(engine, iri), repeat, ANSWER_SECONDS)
        bare = _times(lambda: engine.query(query("ownership"), {"target": URIRef(iri)}), repeat, ANSWER_SECONDS)
        figures[f"answer {label}"] = (statistics.median(answer), _p(answer, 0.95))
        figures[f"query {label}"] = (statistics.median(bare), _p(bare, 0.95))
        if label == "business group":  # the same answer with verdicts and every finding of the audit
            findings = [  # as found, unnamed: naming them all takes minutes at 1m, and the answer only indexes them
                {"severity": r.severity, "focus": str(r.focus), "ref": None, "shape": r.shape, "message": r.message}
                for r in sparql_audit.run(engine)
            ]
            verdicts = _times(lambda: accountability.answer(engine, iri, findings=findings), repeat, ANSWER_SECONDS)
            figures["verdicts business group"] = (statistics.median(verdicts), _p(verdicts, 0.95))

    if engine_kind == "rdflib":
        if figures["triples"] <= PYSHACL_UP_TO:
            start = time.perf_counter()
            from graphsvc.audit import validation

            validation.audit(parsed)
            figures["audit"] = (time.perf_counter() - start) * 1000
    else:
        audit = _times(lambda: sparql_audit.run(engine), max(1, repeat // 10))
        figures["audit"] = statistics.median(audit)
    built = []
    build = _times(
        lambda: built.append(map_data.cytoscape(engine, map_data.build(engine, map_data.Filters()), lambda iri: iri)), 1
    )
    figures["map"] = build[0]  # cold: the map keeps each scope's analyses for the engine's lifetime
    figures["betweenness"] = built[0]["analyses"]["betweenness_method"]["method"]
    figures.update(_search_figures(engine, repeat))

    port = _free_port()
    child = os.fork()
    if child == 0:  # the server: waitress in its own process, as `graphsvc serve` runs it
        import waitress

        try:
            waitress.serve(
                app,
                host="127.0.0.1",
                port=port,
                threads=SETTINGS["SERVER_THREADS"].default,
                ident="graphsvc",
                _quiet=True,
            )
        finally:
            os._exit(0)
    try:
        _wait_for(port, PAGE, 60)
        figures["http page"] = load_generator(port, PAGE, requests, seconds)
        figures["http page wrk"] = wrk(port, PAGE, min(seconds, WRK_SECONDS))
        figures["http sparql"] = load_generator(
            port,
            SPARQL,
            requests,
            seconds,
            clients=SETTINGS["SPARQL_WORKERS"].default,
            accept="application/sparql-results+json",
        )
    finally:
        os.kill(child, signal.SIGTERM)
        os.waitpid(child, 0)
    figures["memory"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # MB (Linux: kB)
    return figures


def _budgeted(action, repeat: int, seconds: float, least: int = 3) -> list[float]:
    """At least ``least`` timings, and up to ``repeat`` while ``seconds`` last: an answer that takes
    seconds at 1m is timed three times, not fifty."""
    found = []
    began = time.perf_counter()
    while len(found) < least or (len(found) < repeat and time.perf_counter() - began < seconds):
        start = time.perf_counter()
        action()
        found.append((time.perf_counter() - start) * 1000)
    return found


def as_at_period(size: str) -> str:
    """The last quarter of the last plans' financial year: earlier plans have ended (overdue unless
    complete), the last ones run (stale where their reports are for earlier quarters)."""
    from graphsvc.answers import periods

    years = {"10k": 1, "100k": 1, "1m": 10}[size]
    return periods.government_quarter(2006 + years, 4).name


def progress_worker(
    size: str, data: Path, reports: Path, store_dir: Path, repeat: int, requests: int, seconds: float
) -> dict:
    """The progress figures on one store built from the plans and their reports, in this process:
    the "as at" state of a business group and the whole data's overdue and stale lists through
    graphsvc.answers.progress; durable writes and 8 concurrent writers (bench/progress_writes.py);
    then `graphsvc serve --store` answering the ownership page over HTTP, before and while writers
    append WRITE_RATE reports a second to its journal."""
    sys.path.insert(0, str(ROOT / "bench"))
    import progress_writes as bench_writes

    from graphsvc.answers import progress
    from graphsvc.engine import sources, store

    figures: dict = {}
    start = time.perf_counter()
    store.build(store_dir, [data, reports])
    figures["load"] = (time.perf_counter() - start) * 1000
    engine = sources.open_engine(sources.Source(store=str(store_dir)))
    figures["triples"] = engine.triple_count()
    figures["reports"] = f"{len(progress.reports(engine))}"
    as_at = figures["as at"] = as_at_period(size)
    group = ID + TARGETS["business group"]
    start = time.perf_counter()
    entry = progress.of_owner(engine, group, as_at)  # the elements, targets and rules: kept per engine
    figures["as at first"] = (time.perf_counter() - start) * 1000
    figures["as at counts"] = ", ".join(f"{entry['counts'][k]}" for k in progress.COUNTS)
    timed = _budgeted(lambda: progress.of_owner(engine, group, as_at), repeat, PROGRESS_SECONDS)
    figures["as at business group"] = (statistics.median(timed), _p(timed, 0.95))
    force = ID + TARGETS["force"]
    for name in ("overdue", "stale"):
        for whose, agent in (("force", force), ("all", None)):  # one force's (the goal's), then every plan's
            listed = []
            timed = _budgeted(
                lambda n=name, a=agent: listed.append(getattr(progress, n)(engine, as_at, a)), repeat, PROGRESS_SECONDS
            )
            key = name if whose == "force" else f"{name} all"
            figures[key] = (statistics.median(timed), _p(timed, 0.95))
            figures[f"{key} count"] = f"{len(listed[0])}"

    folder = str(store_dir)
    one = bench_writes.durable(
        folder, DURABLE_WRITES, PROGRESS_ITEMS[0], WRITE_PERIODS["durable"], PROGRESS_BY, DURABLE_SECONDS
    )
    figures["durable"] = (one["p50_ms"], one["p99_ms"])
    figures["durable writes"] = f"{one['writes']}"
    many = bench_writes.concurrent(
        folder, CONCURRENT_WRITERS, WRITERS_SECONDS, PROGRESS_ITEMS, WRITE_PERIODS["writers"], PROGRESS_BY
    )
    figures["writers"] = many["per_s"]

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "graphsvc", "serve", "--store", folder, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(port, PAGE, 600, server)
        figures["page served"] = load_generator(port, PAGE, requests, seconds)
        # As many requests as the clients can make while the writers write, bounded all the same.
        paced = bench_writes.writers(
            folder,
            PACED_WRITERS,
            seconds,
            PROGRESS_ITEMS,
            WRITE_PERIODS["paced"],
            rate=WRITE_RATE,
            meanwhile=lambda: load_generator(port, PAGE, max(requests, int(1000 * seconds)), seconds),
            by=PROGRESS_BY,
            journal_only=True,  # the rate is the condition here, whatever a write's check costs
        )
        figures["paced writes"] = paced["per_s"]
        figures["page while writing"] = paced["meanwhile"]
    finally:
        server.terminate()
        server.wait(timeout=30)
    figures["journal"] = f"{len(sources.journal(sources.Source(store=folder)).records())}"
    return figures


PROGRESS_ROWS = [
    ("load", "plans + reports into a store (ms)"),
    ("reports", "  reports in it"),
    ("as at", '  "as at" period'),
    ("as at first", '"as at" business group, first (ms)'),
    ("as at business group", '"as at" business group p50/p95 (ms)'),
    ("as at counts", "  due, overdue, stale, no report"),
    ("overdue", "overdue list, the whole force p50/p95 (ms)"),
    ("overdue count", "  overdue elements"),
    ("stale", "stale list, the whole force p50/p95 (ms)"),
    ("stale count", "  stale elements"),
    ("overdue all", "overdue list, all plans p50/p95 (ms)"),
    ("overdue all count", "  overdue elements"),
    ("stale all", "stale list, all plans p50/p95 (ms)"),
    ("stale all count", "  stale elements"),
    ("durable", "durable write p50/p99 (ms)"),
    ("durable writes", "  writes timed"),
    ("writers", f"reports/s, {CONCURRENT_WRITERS} concurrent writers"),
    ("page served", "ownership page, served req/s | p50/p99"),
    ("page while writing", "  the same while writing req/s | p50/p99"),
    ("paced writes", "  reports/s written meanwhile"),
    ("journal", "reports in the journal after"),
]


def print_progress(size: str, figures: dict) -> None:
    print(f"\n== {size}: progress, embedded store, {figures['triples']} triples with the reports ==")
    for key, label in PROGRESS_ROWS:
        print(f"{label:<44}{_cell(figures.get(key)):>28}")


def progress_goals(size: str, figures: dict) -> list[str]:
    """The progress goals (docs/performance.md), each "met" or "NOT met" with the figure: the
    writes' at every size, the reading ones at 1m (1M triples and 100k reports)."""
    found = []

    def check(key: str, holds, text: str, shown) -> None:
        value = figures.get(key)
        if value is not None:
            found.append(f"{'met' if holds(value) else 'NOT met':>8}: {text} (store: {shown(value)})")

    check("durable", lambda v: v[1] <= 50, "durable write p99 <= 50 ms", lambda v: f"{v[1]:.2f} ms")
    check(
        "writers",
        lambda v: v >= 200,
        f"{CONCURRENT_WRITERS} concurrent writers >= 200 reports/s",
        lambda v: f"{v:.0f} reports/s",
    )
    if size == "1m":
        check(
            "as at business group",
            lambda v: v[0] <= 5,
            '"as at" state of a business group p50 <= 5 ms',
            lambda v: f"{v[0]:.1f} ms",
        )
        for name in ("overdue", "stale"):
            check(name, lambda v: v[0] <= 1000, f"the whole force's {name} list <= 1 s", lambda v: f"{v[0]:.0f} ms")
    paced = figures.get("paced writes")
    check(
        "page while writing",
        lambda v: v["p99"] <= 100 and paced >= 0.95 * WRITE_RATE,
        f"ownership page p99 <= 100 ms during {WRITE_RATE:.0f} writes/s",
        lambda v: f"p99 {v['p99']:.1f} ms at {paced:.0f} writes/s",
    )
    return found


def _search_queries(connection) -> dict[str, str]:
    """A ref, a common word, that word misspelt and a name, taken from the index itself."""
    ref = connection.execute("SELECT ref FROM docs WHERE kind = 'item' AND ref IS NOT NULL LIMIT 1").fetchone()[0]
    word = connection.execute(
        "SELECT term FROM vocabulary WHERE length(term) >= 7 AND term GLOB '[a-z]*' ORDER BY doc DESC LIMIT 1"
    ).fetchone()[0]
    name = connection.execute("SELECT title FROM docs WHERE kind = 'unit' LIMIT 1").fetchone()[0]
    return {"ref": ref, "word": word, "typo": word[:3] + word[4:], "name": name}


def _search_figures(engine, repeat: int) -> dict:
    """The full-text index: its build (cold, once per engine), size, and search p50/p95 per kind of query."""
    from graphsvc.answers import search

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    index = search.index(engine)  # waits for the build
    figures = {
        "search build": index.built_in * 1000,
        "search size": f"{index.documents}, {index.words}, {index.bytes / 2**20:.1f}",
        "search memory": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - before,
    }
    everything, queries = [], []
    for label, text in _search_queries(index.connection).items():
        typing = _times(lambda t=text: search.search(engine, t, typing=True), repeat, ANSWER_SECONDS / 2)
        times = _times(lambda t=text: search.search(engine, t), repeat, ANSWER_SECONDS / 2) + typing
        everything += times
        figures[f"search {label}"] = (statistics.median(times), _p(times, 0.95))
        queries.append(f"{label} {text!r}")
    figures["search"] = (statistics.median(everything), _p(everything, 0.95))
    figures["search queries"] = "; ".join(queries)
    return figures


ROWS = [
    ("load", "load (ms)"),
    ("startup", "start-up to first answer (ms)"),
    ("copy", "  serve --in-memory: from memory after (ms)"),
    ("page cold", "ownership page cold p50/p95 (ms)"),
    ("page cold, nothing read", "  nothing read at start-up (ms)"),
    ("page first visit", "  its first visit, after another (ms)"),
    *[(f"answer {t}", f"ownership answer {t} p50/p95 (ms)") for t in TARGETS],
    ("verdicts business group", "  with verdicts, business group (ms)"),
    *[(f"query {t}", f"  ownership.rq {t} p50/p95 (ms)") for t in TARGETS],
    ("audit", "audit: shapes (ms; rdflib = pySHACL)"),
    ("map", "map JSON build (ms)"),
    ("memory", "memory peak (MB)"),
    ("search build", "search index build (ms)"),
    ("search size", "  documents, words, MB"),
    ("search memory", "  peak memory growth (MB)"),
    ("search", "search p50/p95 (ms; all below)"),
    *[(f"search {k}", f"  search a {k} p50/p95 (ms)") for k in ("ref", "word", "typo", "name")],
    ("search queries", "  searched (as typed and in full)"),
    ("betweenness", "  map betweenness"),
    ("http page", "ownership page req/s | p50/p99 ms"),
    ("http page wrk", "  the same, loaded by wrk"),
    ("http sparql", "/sparql req/s | p50/p99 ms"),
]


def _cell(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    if isinstance(value, tuple):
        return f"{value[0]:.2f}/{value[1]:.2f}"
    if isinstance(value, dict):
        failed = f" ({value['failures']}x not 200)" if value.get("failures") else ""
        return f"{value['rps']:.0f} | {value['p50']:.1f}/{value['p99']:.1f}{failed}"
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def _number(value):
    if isinstance(value, str):
        return None
    if isinstance(value, tuple):
        return value[0]
    if isinstance(value, dict):
        return 1 / value["rps"] if value["rps"] else None  # ratio of time per request
    return value


def print_table(size: str, results: dict) -> None:
    engines = list(results)
    triples = next(iter(results.values()))["triples"]
    print(f"\n== {size}: {triples} triples (ontology included) ==")
    header = f"{'':<40}" + "".join(f"{e:>28}" for e in engines)
    if "rdflib" in results:
        header += "".join(f"{'rdflib/' + e:>21}" for e in engines if e != "rdflib")
    print(header)
    for key, label in ROWS:
        line = f"{label:<40}" + "".join(f"{_cell(results[e].get(key)):>28}" for e in engines)
        if "rdflib" in results:
            reference = _number(results["rdflib"].get(key))
            for e in engines:
                if e == "rdflib":
                    continue
                mine = _number(results[e].get(key))
                ratio = f"{reference / mine:.1f}x" if reference and mine else "-"
                line += f"{ratio:>21}"
        print(line)


def goals(size: str, results: dict) -> list[str]:
    """The performance goals that this size's figures decide, each "met" or "NOT met" with the figure."""
    found = []

    def check(engine: str, key: str, holds, text: str, shown) -> None:
        value = results.get(engine, {}).get(key)
        if value is not None:
            found.append(f"{'met' if holds(value) else 'NOT met':>8}: {text} ({engine}: {shown(value)})")

    if size == "1m":
        for engine in ("oxigraph", "store+memory"):
            for target in ("unit", "business group"):
                check(
                    engine,
                    f"answer {target}",
                    lambda v: v[0] <= 2,
                    f"ownership answer, {target}, p50 <= 2 ms",
                    lambda v: f"{v[0]:.2f} ms",
                )
            check(
                engine,
                "answer force",
                lambda v: v[0] <= 100,
                "lead roll-up of a whole force <= 100 ms",
                lambda v: f"{v[0]:.1f} ms",
            )
        for engine in PERSISTED:
            check(
                engine,
                "startup",
                lambda v: v <= 2000,
                "serve --store cold start to the first page <= 2 s",
                lambda v: f"{v / 1000:.2f} s",
            )
        for engine in ("oxigraph", *PERSISTED):
            check(
                engine, "audit", lambda v: v <= 5000, "audit (shapes as SPARQL) <= 5 s", lambda v: f"{v / 1000:.1f} s"
            )
    if size == "1m":
        for engine in ("oxigraph", "store+memory"):
            check(engine, "search", lambda v: v[0] <= 10, "search p50 <= 10 ms", lambda v: f"{v[0]:.2f} ms")
    for engine in results:
        plain = results[engine].get("answer business group")
        check(
            engine,
            "verdicts business group",
            lambda v: v[0] <= 1.5 * plain[0],
            "accountability answer with verdicts, business group, p50 within 1.5x of the answer without",
            lambda v: f"{v[0]:.2f} ms against {plain[0]:.2f} ms, {v[0] / plain[0]:.2f}x",
        )
    embedded = results.get("oxigraph", {}).get("page cold")
    if size == "built-in" and embedded:
        for key, words in (
            ("page cold", "cold"),
            ("page cold, nothing read", "cold, nothing read at start-up,"),
            ("page first visit", "first visit"),
        ):
            reference = results["oxigraph"].get(key)
            for engine, most in (("oxigraph-server", 3), ("virtuoso", 5)):
                check(
                    engine,
                    key,
                    lambda v: v[0] <= most * reference[0],
                    f"SCD's page {words} within {most}x of the embedded default's",
                    lambda v: f"{v[0]:.0f} ms against {reference[0]:.0f} ms, {v[0] / reference[0]:.1f}x",
                )
    if size == "100k":
        check(
            "oxigraph",
            "http page",
            lambda v: v["rps"] >= 500 and v["p99"] <= 50,
            "ownership page >= 500 req/s at p99 <= 50 ms",
            lambda v: f"{v['rps']:.0f} req/s, p99 {v['p99']:.1f} ms",
        )
        if "rdflib" in results:
            for target in TARGETS:
                reference = results["rdflib"].get(f"answer {target}")
                check(
                    "oxigraph",
                    f"answer {target}",
                    lambda v: reference[0] / v[0] >= 10,
                    f"ownership answer, {target}, >= 10x faster than rdflib",
                    lambda v: f"{reference[0] / v[0]:.0f}x",
                )
    return found


def _data(work: Path, size: str) -> Path:
    return work / ("built-in.nt" if size == "built-in" else f"national-{size}.nt")


def _reports(data: Path) -> Path:
    """The generated reports beside a size's plans (bench/generate.py's default name)."""
    return data.with_suffix(".reports.nq")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["10k", "100k"], choices=SIZES)
    parser.add_argument(
        "--engines",
        nargs="+",
        default=[*ENGINES, "progress"],
        choices=[*ENGINES, "progress"],
        help="the engines' columns, and 'progress' for the progress figures' own table",
    )
    parser.add_argument("--repeat", type=int, default=50, help="runs per latency figure")
    parser.add_argument("--requests", type=int, default=2000, help="HTTP requests per throughput run")
    parser.add_argument("--seconds", type=float, default=20.0, help="longest HTTP throughput run")
    parser.add_argument("--work", type=Path, default=Path("/tmp/graphsvc-bench"), help="data and stores")
    parser.add_argument("--worker", nargs=2, metavar=("SIZE", "ENGINE"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    arguments.work.mkdir(parents=True, exist_ok=True)
    if arguments.worker:
        size, engine = arguments.worker
        if size == "built-in":
            global PAGE, TARGETS, FIRST
            PAGE, TARGETS, FIRST = BUILT_IN["page"], BUILT_IN["targets"], BUILT_IN["first"]
        store_dir = arguments.work / f"store-{size}-{os.getpid()}"
        data = _data(arguments.work, size)
        try:
            if engine == "progress":
                figures = progress_worker(
                    size,
                    data,
                    _reports(data),
                    store_dir,
                    arguments.repeat,
                    arguments.requests,
                    arguments.seconds,
                )
            else:
                figures = worker(
                    data,
                    engine,
                    store_dir,
                    arguments.repeat,
                    arguments.requests,
                    arguments.seconds,
                )
        finally:  # a store per run: 115 MB at 1m, not to be left behind
            shutil.rmtree(store_dir, ignore_errors=True)
        print(json.dumps(figures))
        return
    print(
        f"graphsvc benchmark: {os.cpu_count()} cores; medians of {arguments.repeat} (answers: at least"
        f" {arguments.repeat}, for {ANSWER_SECONDS:.0f} s); "
        f"HTTP: {arguments.requests} requests or {arguments.seconds:.0f} s, keep-alive clients: 8 for the page, "
        f"{SETTINGS['SPARQL_WORKERS'].default} for /sparql ({SETTINGS['SPARQL_WORKERS'].default} query workers); "
        f"waitress {SETTINGS['SERVER_THREADS'].default} threads"
    )
    for size in arguments.sizes:
        data = _data(arguments.work, size)
        if size == "built-in":
            from graphsvc.engine import graph as graphs

            graphs.default().serialize(data, format="nt", encoding="utf-8")
        elif not data.exists() or (size in REPORTS and not _reports(data).exists()):
            # The reports follow the plans' random stream: generated with them, the plans unchanged.
            subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "bench" / "generate.py"),
                    *("--size", size, "--out", str(data)),
                    *(("--reports", str(REPORTS[size])) if size in REPORTS else ()),
                ],
                check=True,
            )
        results, results_of_progress = {}, {}
        for engine in arguments.engines:
            if engine == "progress" and size not in REPORTS:
                print(f"progress skipped at {size}: the built-in plans ship no reports")
                continue
            if (size, engine) in SKIPPED:
                print(SKIPPED[size, engine])
                continue
            if engine == "virtuoso" and not shutil.which("virtuoso-t"):
                print("virtuoso skipped: Debian's virtuoso-opensource is not installed")
                continue
            done = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--worker",
                    size,
                    engine,
                    "--work",
                    str(arguments.work),
                    "--repeat",
                    str(arguments.repeat),
                    "--requests",
                    str(arguments.requests),
                    "--seconds",
                    str(arguments.seconds),
                ],
                capture_output=True,
                text=True,
            )
            if done.returncode != 0:
                print(f"{size} {engine}: failed: {done.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
                continue
            figures = {
                k: tuple(v) if isinstance(v, list) else v for k, v in json.loads(done.stdout.splitlines()[-1]).items()
            }
            (results_of_progress if engine == "progress" else results)[engine] = figures
        if results:
            print_table(size, results)
            for line in goals(size, results):
                print(line)
        if "progress" in results_of_progress:  # its own table: no engine's column
            print_progress(size, results_of_progress["progress"])
            for line in progress_goals(size, results_of_progress["progress"]):
                print(line)
        sys.stdout.flush()


if __name__ == "__main__":
    main()
