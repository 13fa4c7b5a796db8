"""`graphsvc serve` itself: one command, then a browser (or any HTTP client) on the port it names."""

import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest


def _serve(port: int, *options: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "graphsvc", "serve", "--port", str(port), *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_until_up(url: str, server: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.poll() is None, server.stderr.read()
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"graphsvc serve did not answer on {url} within {seconds} s")


def test_serve_answers_and_a_busy_port_is_one_clear_line(port):
    server = _serve(port, "--file-max-mb", "3", "--max-body-mb", "0.5")
    try:
        _wait_until_up(f"http://127.0.0.1:{port}/sparql", server)
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/sparql?query=ASK%7B%7D", headers={"Accept": "application/sparql-results+json"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.headers["Server"] == "graphsvc" and b'"boolean": true' in response.read()
        described = urllib.request.Request(f"http://127.0.0.1:{port}/sparql", headers={"Accept": "text/turtle"})
        with urllib.request.urlopen(described, timeout=10) as response:
            assert b"limits:maxRequestBytes 524288" in response.read()
        too_big = urllib.request.Request(
            f"http://127.0.0.1:{port}/sparql",
            data=b"x" * 600_000,
            method="POST",
            headers={"Content-Type": "application/sparql-query"},
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(too_big, timeout=10)
        assert refused.value.code == 413
        assert refused.value.read() == b"the request body is over the 524288 bytes this endpoint accepts\n"
        second = subprocess.run(
            [sys.executable, "-m", "graphsvc", "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert second.returncode == 1
        assert second.stderr.splitlines()[-1] == f"Error: cannot listen on 127.0.0.1:{port}: Address already in use"
    finally:
        server.terminate()
        server.wait(timeout=30)
