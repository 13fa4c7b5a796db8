"""The hardening suite's fixtures: a canary HTTP server and a canary file (hardening_support serves the apps).

A canary is a resource no query may ever reach: the server counts every request it gets and
answers with a secret, the file holds another, so a hit or a leaked byte shows up either way.
"""

import http.server
import threading
import uuid
from dataclasses import dataclass

import pytest


@dataclass
class Canary:
    url: str
    secret: str
    hits: list

    def turtle(self) -> bytes:
        return f'<urn:canary> <urn:says> "{self.secret}" .\n'.encode()


@pytest.fixture(scope="session")
def canary_server():
    """A loopback HTTP server that records every request and answers each with its secret as Turtle."""
    canary = Canary(url="", secret=f"CANARY-HTTP-{uuid.uuid4().hex}", hits=[])

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self):
            canary.hits.append((self.command, self.path))
            body = canary.turtle()
            self.send_response(200)
            self.send_header("Content-Type", "text/turtle")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_HEAD = _answer

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    canary.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield canary
    server.shutdown()


@pytest.fixture(scope="session")
def canary_file(tmp_path_factory):
    """A local Turtle file with a secret in it, which no query may read."""
    secret = f"CANARY-FILE-{uuid.uuid4().hex}"
    path = tmp_path_factory.mktemp("canary") / "secret.ttl"
    path.write_text(f'<urn:canary> <urn:says> "{secret}" .\n', encoding="utf-8")
    return path, secret
