"""`graphsvc load` into a store a server was using left the server answering from two versions:
pages from the generation it opened at start, and each query worker from whatever `current` was
when that worker (re)started, so the same COUNT(*) gave 2,499 or 656 by worker. Now a server pins
one generation for every reader until it is restarted, says so on /health, and the load keeps
that generation on disk while the server reads it."""

import pytest
import store_faults
from store_faults import ENDLESS, Served
from support import built_in_triples

from graphsvc.engine import store
from graphsvc.web.app import create_app

pytestmark = [pytest.mark.server, pytest.mark.slow]


def test_a_load_under_a_running_server_changes_no_answer_until_restart(tmp_path):
    directory = tmp_path / "s"
    store.build(directory)  # the built-in plans: 2,499 triples
    one_triple = tmp_path / "one.nt"
    one_triple.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n")
    with Served(directory, "--workers", "2", "--threads", "4", "--time-limit", "1") as server:
        before = server.count()
        triples = server.get("/index.json")["figures"]["triples"]
        assert before == triples == built_in_triples()
        loaded = store_faults.graphsvc("load", directory, one_triple)
        assert loaded.returncode == 0, loaded.stderr
        # Both workers run past the time limit and are replaced: new processes, opened after the load.
        assert server.query(ENDLESS, 0) == server.query(ENDLESS, 0) == 503
        counts = {server.count() for _ in range(30)}
        pages = {server.get("/index.json")["figures"]["triples"] for _ in range(5)}
        assert counts == pages == {built_in_triples()}, f"the server mixed generations: queries {counts}, pages {pages}"
        health = server.get("/health")["store"]
        print(f"\nafter a load under a running server: 30 queries, 5 pages, counts {counts | pages}; /health {health}")
        assert health["generation"] == 1 and health["current"] == 2 and health["restart_to_serve_current"]
        assert "until the server is restarted" in health["note"]
        # A second load while generation 1 is still served keeps it: the server reads it.
        assert store_faults.graphsvc("load", directory, one_triple).returncode == 0
        assert store.generations(directory) == [1, 2, 3]
        assert server.count() == built_in_triples()
    with Served(directory) as restarted:
        assert restarted.count() == restarted.get("/index.json")["figures"]["triples"] < 1000
        assert restarted.get("/health")["store"] == {"generation": 3, "current": 3, "restart_to_serve_current": False}


def test_workers_that_start_after_a_load_open_the_pages_generation(tmp_path):
    """In one process: the pages' engine opened at start, then a load, then the first query starts
    the workers; they open the generation the pages use, not the new `current`."""
    directory = tmp_path / "s"
    store.build(directory)
    app = create_app(
        {"STORE": str(directory), "AUDIT": False, "SPARQL_WORKERS": 1, "SERVER_THREADS": 2, "UPLOADS_AT_ONCE": 1}
    )
    client = app.test_client()
    assert client.get("/index.json").get_json()["figures"]["triples"] == built_in_triples()
    extra = tmp_path / "one.nt"
    extra.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n")
    store.build(directory, [extra])
    answer = client.get("/sparql", query_string={"query": store_faults.COUNT_ALL}, headers={"Accept": "text/csv"})
    assert answer.status_code == 200 and answer.get_data(as_text=True).split() == ["n", str(built_in_triples())]
    assert client.get("/health").get_json()["store"]["restart_to_serve_current"] is True
    app.extensions["graphsvc"].query_pool.close()
