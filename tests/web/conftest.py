"""The web app on the built-in graph, once per session: through Flask's test client and live on waitress."""

import threading

import pytest
from support import free_port
from waitress.server import create_server

from graphsvc.engine import graph
from graphsvc.web.app import create_app


@pytest.fixture(scope="session")
def app():
    return create_app({"GRAPH": graph.default(), "SPARQL_ROW_CAP": 1000})


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on."""
    return free_port()


@pytest.fixture(scope="session")
def live_url(app):
    """The app served by waitress on 127.0.0.1 in a thread, as `graphsvc serve` serves it."""
    server = create_server(app, host="127.0.0.1", port=free_port(), threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    # Left running: the daemon thread ends with the test process (closing the socket under
    # waitress's select loop only makes it complain).
    return f"http://127.0.0.1:{server.effective_port}"
