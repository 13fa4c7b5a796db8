"""The production server's settings (graphsvc.web.http.server): they reach waitress, the request line
and the header fields have caps of their own, and a drain answers what is in flight then stops."""

import threading
import time
import urllib.parse

import pytest
from click.testing import CliRunner
from hardening_support import fetch
from support import free_port

from graphsvc import settings
from graphsvc.cli import main
from graphsvc.engine import graph
from graphsvc.web.app import create_app
from graphsvc.web.http.server import Server


@pytest.fixture(scope="module")
def running():
    config = {
        "GRAPH": graph.default(),
        "AUDIT": False,
        "PORT": free_port(),
        "SERVER_MAX_HEADER_KB": 8,
        "SERVER_MAX_REQUEST_LINE_KB": 16,
        "SERVER_CONNECTION_LIMIT": 321,
        "SERVER_CHANNEL_TIMEOUT": 7,
        "SHUTDOWN_GRACE": 5,
    }
    app = create_app(config)
    server = Server(
        app,
        settings.from_config(config, "serve"),
        on_stop=[app.extensions["graphsvc"].query_pool.close],
        stop_helpers=False,
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield server, f"http://127.0.0.1:{server.port}", thread
    server.begin_drain()
    thread.join(15)


def test_the_settings_reach_waitress(running):
    server, _, _ = running
    adjustments = server.waitress.adj
    assert adjustments.connection_limit == 321 and adjustments.channel_timeout == 7
    assert adjustments.max_request_header_size == (16 + 8) * 1024
    assert adjustments.asyncore_use_poll  # select() stops at 1024 descriptors


def test_a_long_request_line_gets_414_and_long_headers_431(running):
    _, url, _ = running
    assert fetch(url + "/health").status == 200
    long_line = fetch(url + "/health?" + urllib.parse.urlencode({"x": "a" * 20_000}))
    assert long_line.status == 414 and "request line is over 16 KB" in long_line.text
    long_headers = fetch(url + "/health", headers={f"X-Pad-{n}": "b" * 1000 for n in range(10)})
    assert long_headers.status == 431 and "header fields are over 8 KB" in long_headers.text
    assert fetch(url + "/health", headers={"X-Pad": "b" * 4000}).status == 200


def test_uploads_at_once_stay_below_the_threads():
    with pytest.raises(ValueError, match=r"UPLOADS_AT_ONCE \(4\) must be below SERVER_THREADS \(4\)"):
        create_app({"GRAPH": graph.default(), "AUDIT": False, "UPLOADS_AT_ONCE": 4, "SERVER_THREADS": 4})
    result = CliRunner().invoke(main, ["serve", "--uploads-at-once", "8"])
    assert result.exit_code == 2 and "--uploads-at-once (8) must be below --threads (8)" in result.output


def test_every_lifecycle_setting_is_an_option_of_serve():
    help_text = CliRunner().invoke(main, ["serve", "--help"]).output
    for option in (
        "--connection-limit",
        "--header-timeout",
        "--channel-timeout",
        "--cleanup-interval",
        "--max-request-line-kb",
        "--max-header-kb",
        "--shutdown-grace",
        "--uploads-at-once",
        "--max-problems",
    ):
        assert option in help_text


def test_a_drain_finishes_the_request_in_flight_then_stops_the_workers():
    config = {"GRAPH": graph.default(), "AUDIT": False, "PORT": free_port(), "SHUTDOWN_GRACE": 10}
    app = create_app(config)
    pool = app.extensions["graphsvc"].query_pool
    server = Server(app, settings.from_config(config, "serve"), on_stop=[pool.close], stop_helpers=False)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    pool.start()
    url = f"http://127.0.0.1:{server.port}"
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . FILTER(STRLEN(STR(?c)) > STRLEN(STR(?f))) }"
    answers = {}
    asking = threading.Thread(
        target=lambda: answers.update(slow=fetch(url + "/sparql?query=" + urllib.parse.quote(slow)))
    )
    asking.start()
    time.sleep(0.5)
    workers = pool.pids()
    server.begin_drain()
    asking.join(20)
    thread.join(20)
    assert not thread.is_alive()
    assert answers["slow"].status in (200, 503)  # answered (or stopped at its time limit), not dropped
    assert pool.pids() == []
    deadline = time.monotonic() + 5  # killed; their parent, the fork server, reaps them
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in workers)
    with pytest.raises(OSError):
        fetch(url + "/health", timeout=2)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] not in "ZX"
    except FileNotFoundError:
        return False
