"""/id/ paths with characters an IRI cannot hold (`>`, a space, NUL, bytes that are not UTF-8)
returned 500 and logged a 4 KB traceback each: the IRI reached the serialiser or the engine's
parser. They are now a 404 saying why, with no traceback, before any query runs."""

import logging
import socket
import threading

import pytest
from support import free_port
from waitress.server import create_server


@pytest.mark.parametrize(
    "path, why",
    [
        ("/id/unit/scd%3E", "U+003E"),
        ("/id/unit/a%20b", "U+0020"),
        ("/id/unit/a%00b", "U+0000"),
        ("/id/unit/a%7Bb%7D.ttl", "U+007B"),
        ("/id/unit/a%FFb", "not UTF-8"),
        ("/id/unit/%C3%28", "not UTF-8"),
    ],
)
def test_impossible_iri_is_a_plain_404(client, caplog, path, why):
    with caplog.at_level(logging.INFO, logger="graphsvc.errors"):
        response = client.get(path, headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert why in response.get_json()["error"]
    assert not [record for record in caplog.records if record.exc_info or record.levelno >= logging.ERROR]


def test_a_real_page_with_unusual_but_valid_characters_still_resolves(client):
    assert client.get("/id/unit/scd").status_code == 200
    assert client.get("/id/unit/sc%C3%A9").status_code == 404  # a valid IRI the graph does not hold


def test_bytes_that_are_not_utf8_over_a_real_server(app):
    """waitress hands the raw bytes on (not the test client's replacement characters)."""
    server = create_server(app, host="127.0.0.1", port=free_port(), threads=2)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        with socket.create_connection(("127.0.0.1", server.effective_port), timeout=10) as connection:
            connection.sendall(b"GET /id/unit/a%FFb HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            answer = b""
            while chunk := connection.recv(65536):
                answer += chunk
    finally:
        server.close()
    assert answer.startswith(b"HTTP/1.1 404")
