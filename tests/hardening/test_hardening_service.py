"""The endpoint's limits as a client and an operator see them: /health, the access log, the service
description, the configuration checks, and the fail-closed check on real queries."""

import json
import logging
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, Namespace

from graphsvc.cli import main
from graphsvc.engine import graph
from graphsvc.sandbox.sparql_guard import RefusedQuery, check
from graphsvc.web.app import create_app

LIMITS = Namespace("https://w3id.org/graphsvc/def/service#")
QUERIES = Path(__file__).resolve().parents[2] / "graphsvc" / "queries"


@pytest.fixture(scope="module")
def app():
    app = create_app(
        {
            "GRAPH": graph.default(),
            "AUDIT": False,
            "SPARQL_ROW_CAP": 7,
            "SPARQL_TIME_LIMIT": 3,
            "SPARQL_MEMORY_MB": 600,
            "SPARQL_WORKERS": 3,
            "SPARQL_MAX_QUERY_LENGTH": 5000,
            "SERVER_THREADS": 6,
            "FILE_MAX_MB": 2.5,
            "FILE_TIME_LIMIT": 3.5,
            "FILE_MEMORY_MB": 700,
            "MAX_CONTENT_LENGTH": 4_000_000,
        }
    )
    yield app
    app.extensions["graphsvc"].query_pool.close()


def test_health_answers_without_starting_a_worker():
    fresh = create_app({"GRAPH": graph.default(), "AUDIT": False})
    response = fresh.test_client().get("/health")
    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ok",
        "answers_from": "memory",
        "queries": {"workers": 2, "idle": 0, "busy": 0, "starting": 0, "started": False, "last_error": None},
        "reports_loaded": 0,
    }


def test_access_log_lines_carry_the_request_id_and_the_query(app, caplog):
    client = app.test_client()
    with caplog.at_level(logging.INFO, logger="graphsvc.access"):
        answered = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"})
        refused = client.get("/sparql", query_string={"query": "SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }"})
        page = client.get("/health")
    lines = [json.loads(record.getMessage()) for record in caplog.records if record.name == "graphsvc.access"]
    assert [line["request_id"] for line in lines] == [r.headers["X-Request-Id"] for r in (answered, refused, page)]
    first, second, third = lines
    assert (first["method"], first["path"], first["status"]) == ("GET", "/sparql", 200)
    assert first["query"]["outcome"] == "truncated" and first["query"]["rows"] == 7
    assert first["query"]["query_ms"] >= 0 and first["duration_ms"] >= first["query"]["query_ms"]
    assert second["status"] == 400 and second["query"] == {"outcome": "refused", "query_ms": None, "rows": None}
    assert third["path"] == "/health" and "query" not in third


def test_service_description_reports_every_limit(app):
    response = app.test_client().get("/sparql", headers={"Accept": "text/turtle"})
    description = Graph().parse(data=response.data, format="turtle")
    figures = {str(p).removeprefix(str(LIMITS)): o for _, p, o in description if str(p).startswith(str(LIMITS))}
    decimals = {
        name: float(figures.pop(name)) for name in ("timeLimitSeconds", "uploadMaxMB", "uploadTimeLimitSeconds")
    }
    assert decimals == {"timeLimitSeconds": 3.0, "uploadMaxMB": 2.5, "uploadTimeLimitSeconds": 3.5}
    assert figures == {
        "rowCap": Literal(7),
        "memoryCapMB": Literal(600),
        "queryWorkers": Literal(3),
        "maxQueryLength": Literal(5000),
        "serverThreads": Literal(6),
        "uploadMemoryCapMB": Literal(700),
        "maxRequestBytes": Literal(4_000_000),
    }


def test_the_import_page_states_the_configured_upload_cap(app):
    assert "2.5 MB" in app.test_client().get("/import").get_data(as_text=True)


def test_workers_must_stay_below_the_threads():
    with pytest.raises(ValueError, match=r"SPARQL_WORKERS \(8\) must be below SERVER_THREADS \(8\)"):
        create_app({"GRAPH": graph.default(), "AUDIT": False, "SPARQL_WORKERS": 8})
    result = CliRunner().invoke(main, ["serve", "--workers", "4", "--threads", "4"])
    assert result.exit_code == 2 and "--workers (4) must be below --threads (4)" in result.output


# The project's own updates: progress writes to a remote store, sent by graphsvc itself, never
# through the public endpoint.
UPDATES = {"progress_insert"}


@pytest.mark.parametrize("path", sorted(QUERIES.glob("*.rq")), ids=lambda path: path.stem)
def test_every_query_of_the_project_passes_the_check(path):
    """The allow-list is fail-closed: it must still let through every query the project itself asks,
    and refuse the project's own updates like anyone else's."""
    text = path.read_text(encoding="utf-8")
    if path.stem in UPDATES:
        with pytest.raises(RefusedQuery, match="SPARQL Update is refused"):
            check(text)
    else:
        assert check(text).form in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


def test_escapes_are_read_once_as_sparql_defines_them(app):
    """An escaped keyword is that keyword (both engines then run the expanded text); an escape
    that spells another escape is refused, so no second reading can find a new keyword."""
    assert check("\\u0041SK { }").text == "ASK { }"
    response = app.test_client().get("/sparql", query_string={"query": "\\u0041SK { ?s ?p ?o }"})
    assert response.status_code == 200 and response.get_json()["boolean"] is True
    with pytest.raises(RefusedQuery, match="escapes that spell further escapes are refused"):
        check("\\u005Cu0041SK { }")
    with pytest.raises(RefusedQuery, match=r"the escape \\uD800 at offset 9 is not a Unicode character"):
        check("ASK { } #\\uD800")


COLD_PARSES = """
import threading
from rdflib import Graph
from graphsvc.engine.engines import QueryError, RdflibEngine
engine = RdflibEngine(Graph())
text = ("PREFIX s: <http://www.w3.org/2004/02/skos/core#> SELECT ?a (COUNT(?b) AS ?n) WHERE { ?a s:notation ?b "
        "OPTIONAL { ?a ?p ?c FILTER(?c > 3 && REGEX(STR(?c), 'x')) } } GROUP BY ?a ORDER BY ?a")
failures = []
def run():
    for _ in range(10):
        try:
            engine.query(text)
        except QueryError as error:
            failures.append(type(error.__cause__).__name__)
threads = [threading.Thread(target=run) for _ in range(8)]
for thread in threads: thread.start()
for thread in threads: thread.join()
print(len(failures), sorted(set(failures)))
"""


def test_the_rdflib_engine_parses_from_many_threads_in_a_fresh_process():
    """Pages on `--engine rdflib` run in the server's threads: rdflib's parser, first used by several
    at once, fails (TypeError) and keeps failing unless the engine parses one query at a time."""
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-c", COLD_PARSES], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "0 []", result.stdout + result.stderr


def test_a_store_is_queried_read_only_in_the_workers(tmp_path):
    """`serve --store DIR`: each worker opens the store read-only under its memory cap; updates never run."""
    from graphsvc.engine import store

    store.build(tmp_path / "s")
    served = create_app({"STORE": str(tmp_path / "s"), "AUDIT": False})
    client = served.test_client()
    try:
        count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        response = client.get("/sparql", query_string={"query": count})
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.get_json()["results"]["bindings"][0]["n"]["value"] == str(len(graph.default()))
        update = client.post("/sparql", data="DELETE WHERE { ?s ?p ?o }", content_type="application/sparql-query")
        assert update.status_code == 403
        again = client.get("/sparql", query_string={"query": count})
        assert again.get_json()["results"]["bindings"][0]["n"]["value"] == str(len(graph.default()))
    finally:
        served.extensions["graphsvc"].query_pool.close()


def test_the_rdflib_engine_runs_in_the_workers_too():
    """`--engine rdflib`: the workers hold an rdflib copy; the row cap and the time limit hold there as well
    (its REGEX is Python's backtracking `re`, stopped with its worker)."""
    served = create_app(
        {"GRAPH": graph.default(), "ENGINE": "rdflib", "AUDIT": False, "SPARQL_ROW_CAP": 5, "SPARQL_TIME_LIMIT": 2}
    )
    client = served.test_client()
    try:
        capped = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"})
        assert capped.status_code == 200 and capped.headers["X-SPARQL-Truncated"] == "true"
        assert len(capped.get_json()["results"]["bindings"]) == 5
        regex = (
            "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f "
            'FILTER(REGEX(CONCAT(STR(?c), STR(?f), "!"), "^(([a-z])+.)+[A-Z]([a-z])+$")) }'
        )
        stopped = client.get("/sparql", query_string={"query": regex})
        assert stopped.status_code == 503 and stopped.headers["X-SPARQL-Timed-Out"] == "true"
    finally:
        served.extensions["graphsvc"].query_pool.close()
