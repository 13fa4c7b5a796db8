"""An Accept header listing 25,000 media types (239 KB) cost ~1.2 s of CPU per page: werkzeug read
and matched every range. Only the first MAX_RANGES ranges are read now."""

import socket
import threading
import time

from support import free_port
from waitress.server import create_server

from graphsvc.web.http import negotiation

HUGE = ", ".join(f"a/x{n}" for n in range(25_000))  # 25,000 types, 238 KB: under waitress' header cap


def test_only_the_first_ranges_are_read():
    assert len(HUGE) > 230_000
    assert len(negotiation.ranges(HUGE)) == negotiation.MAX_RANGES


def test_choosing_costs_well_under_a_millisecond_a_range_read():
    began = time.perf_counter()
    for _ in range(20):
        assert negotiation.choose(negotiation.PAGE_OFFERS, HUGE + ", text/html", strict=False) == "html"
    assert (time.perf_counter() - began) / 20 < 0.01


def test_a_huge_header_still_finds_a_type_named_early(client):
    response = client.get("/id/unit/scd", headers={"Accept": "text/turtle, " + HUGE})
    assert response.status_code == 200 and response.mimetype == "text/turtle"


def _get(port: int, accept: str) -> tuple[bytes, float]:
    request = f"GET /id/unit/scd HTTP/1.1\r\nHost: x\r\nAccept: {accept}\r\nConnection: close\r\n\r\n".encode()
    began = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(request)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer, time.perf_counter() - began


def test_a_page_with_a_huge_header_over_a_real_server(app):
    server = create_server(app, host="127.0.0.1", port=free_port(), threads=2)
    threading.Thread(target=server.run, daemon=True).start()
    try:
        _get(server.effective_port, "text/html")  # the page is built once and kept
        answer, took = min((_get(server.effective_port, HUGE + ", text/html") for _ in range(3)), key=lambda a: a[1])
    finally:
        server.close()
    assert answer.startswith(b"HTTP/1.1 406")  # text/html comes after the ranges read: none of those is offered
    assert took < 0.3, f"{took * 1000:.0f} ms"
