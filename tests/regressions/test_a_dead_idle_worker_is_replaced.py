"""A query worker killed while idle (SIGKILL, as the OOM killer or an operator would) was still
counted idle: the next query was sent to it and answered 503 blaming the memory cap. The pool now
looks at an idle worker before giving it work, replaces a dead one, and the query is answered."""

import os
import signal
import time
from urllib.parse import urlencode

import pytest

from graphsvc.engine import graph
from graphsvc.web.app import create_app

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _gone(pid: int, seconds: float = 10) -> None:
    """Wait until the process is dead (reaped, or a zombie its parent has not reaped yet)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                if stat.read().rsplit(")", 1)[1].split()[0] in "ZX":
                    return
        except FileNotFoundError:
            return
        time.sleep(0.02)
    raise AssertionError(f"process {pid} still alive {seconds} s after SIGKILL")


@pytest.mark.parametrize("workers", [1, 2])
def test_the_next_query_after_idle_workers_are_killed_is_answered(workers):
    app = create_app({"GRAPH": graph.default(), "AUDIT": False, "SPARQL_WORKERS": workers, "SERVER_THREADS": 4})
    pool = app.extensions["graphsvc"].query_pool
    try:
        pool.start()
        client = app.test_client()
        url = "/sparql?" + urlencode({"query": COUNT})
        expected = client.get(url, headers={"Accept": "application/sparql-results+json"}).get_json()
        pids = pool.pids()
        assert len(pids) == workers
        for pid in pids:  # every idle worker: none is left for the query but a replacement
            os.kill(pid, signal.SIGKILL)
        for pid in pids:
            _gone(pid)
        answer = client.get(url, headers={"Accept": "application/sparql-results+json"})
        assert answer.status_code == 200, answer.get_data(as_text=True)
        assert answer.get_json()["results"] == expected["results"]
        assert int(expected["results"]["bindings"][0]["n"]["value"]) == len(graph.default())
        assert not set(pool.pids()) & set(pids)  # the dead ones are gone from the pool
        assert pool.status()["workers"] == workers
    finally:
        pool.close()
