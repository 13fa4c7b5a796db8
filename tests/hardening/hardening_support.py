"""Helpers of the hardening suite: an app served by waitress on 127.0.0.1, and plain HTTP requests."""

import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from support import free_port
from waitress.server import create_server

from graphsvc.engine import graph
from graphsvc.web.app import create_app


@dataclass
class Served:
    """An app served by waitress: its base URL, the app, and its query pool."""

    url: str
    app: object

    @property
    def pool(self):
        return self.app.extensions["graphsvc"].query_pool


def serve(config: dict, threads: int) -> Served:
    """The built-in graph's app with ``config`` on waitress in a daemon thread, workers started."""
    app = create_app({"GRAPH": graph.default(), "AUDIT": False, "SERVER_THREADS": threads, **config})
    server = create_server(app, host="127.0.0.1", port=free_port(), threads=threads)
    threading.Thread(target=server.run, daemon=True, name="hardening-waitress").start()
    served = Served(f"http://127.0.0.1:{server.effective_port}", app)
    served.pool.start()
    return served


@dataclass
class Reply:
    status: int
    headers: object  # http.client.HTTPMessage: names compare case-insensitively
    body: bytes
    seconds: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def fetch(url: str, data: bytes | None = None, headers: dict | None = None, timeout: float = 30) -> Reply:
    """One HTTP request; a 4xx/5xx is a Reply too, never an exception."""
    request = urllib.request.Request(url, data=data, headers=headers or {})
    began = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Reply(response.status, response.headers, response.read(), time.monotonic() - began)
    except urllib.error.HTTPError as error:
        return Reply(error.code, error.headers, error.read(), time.monotonic() - began)


def query(base: str, text: str, accept: str = "application/sparql-results+json", **extra) -> Reply:
    """A query by GET (the URL carries it), with any extra protocol parameters."""
    return fetch(f"{base}/sparql?" + urllib.parse.urlencode({"query": text, **extra}), headers={"Accept": accept})


def post_query(base: str, text: str, content_type: str = "application/sparql-query") -> Reply:
    return fetch(
        f"{base}/sparql",
        data=text.encode("utf-8"),
        headers={"Content-Type": content_type, "Accept": "application/sparql-results+json"},
    )
