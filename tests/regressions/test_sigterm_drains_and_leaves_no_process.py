"""SIGTERM dropped the requests in flight, and with a heavy query running the busy query worker, the
fork server that starts workers and a helper were still alive a minute later. Now the server stops
listening, finishes what it has (for at most ``SHUTDOWN_GRACE`` seconds), then ends its workers and
every helper: no request that reached it is lost, and no process of its session is left."""

import http.client
import signal
import threading
import time
from collections import Counter
from urllib.parse import quote

import pytest
from serve_support import Serving

CLIENTS = 8
PATHS = [
    "/id/unit/scd",
    "/health",
    "/sparql?query=" + quote("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"),
    "/map.json",
]
HEAVY = "/sparql?query=" + quote("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")


def _client(port: int, number: int, outcomes: Counter, lock: threading.Lock, paths=PATHS) -> None:
    """Requests one after another (a new connection each) until the server refuses to connect."""
    for turn in range(100_000):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.connect()
        except ConnectionRefusedError:
            with lock:
                outcomes["refused to connect (the server is gone)"] += 1
            return
        try:
            connection.request("GET", paths[(number + turn) % len(paths)], headers={"Accept": "application/json"})
            response = connection.getresponse()
            response.read()
            outcome = "answered 503" if response.status == 503 else f"answered {response.status // 100}xx"
        except (OSError, http.client.HTTPException) as error:  # reset, closed without an answer, timeout
            outcome = f"lost ({type(error).__name__})"
        finally:
            connection.close()
        with lock:
            outcomes[outcome] += 1


def test_sigterm_under_load_loses_no_request_and_leaves_no_process(tmp_path):
    server = Serving(
        "--time-limit", "3", "--shutdown-grace", "10", "--workers", "2", "--threads", "8", log=tmp_path / "serve.log"
    )
    outcomes: Counter = Counter()
    lock = threading.Lock()
    try:
        server.wait_ready()
        workers = [
            threading.Thread(target=_client, args=(server.port, n, outcomes, lock), daemon=True) for n in range(CLIENTS)
        ]
        for worker in workers:
            worker.start()
        time.sleep(2.0)
        heavy = threading.Thread(target=_client, args=(server.port, 0, outcomes, lock, [HEAVY]), daemon=True)
        heavy.start()
        time.sleep(0.5)  # the heavy query is running in a worker
        assert len(server.session()) >= 4  # the server, the fork server, the resource tracker, the workers
        before = sum(outcomes.values())
        server.process.send_signal(signal.SIGTERM)
        signalled = time.monotonic()
        server.process.wait(timeout=30)
        took = time.monotonic() - signalled
        for worker in [*workers, heavy]:
            worker.join(35)
        print(f"\nexit {took:.1f} s after SIGTERM; {before} requests before it; outcomes: {dict(outcomes)}")
        assert server.process.returncode == 0
        assert took < 10 + 5
        assert not [outcome for outcome in outcomes if outcome.startswith("lost")], dict(outcomes)
        assert outcomes["answered 2xx"] > 20
        assert server.session() == []
        assert "stopped (requests drained" in (tmp_path / "serve.log").read_text()
    finally:
        server.stop()


def test_draining_freezes_the_accept_queue_before_closing_it():
    """One request in about a thousand was reset at SIGTERM: a connection that completed its handshake
    between the last accept and the listener's close. The drain now drops new handshakes first: a
    queued connection is still accepted, a new one is never completed (then refused), none reset."""
    import socket

    from graphsvc.web.http.server import _ignore_new_connections

    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        port = listener.getsockname()[1]
        queued = socket.create_connection(("127.0.0.1", port), timeout=2)
        _ignore_new_connections(listener)
        late = socket.socket()
        late.settimeout(0.3)
        try:
            with pytest.raises(TimeoutError):
                late.connect(("127.0.0.1", port))
            accepted, _ = listener.accept()
            accepted.close()
        finally:
            late.close()
            queued.close()
