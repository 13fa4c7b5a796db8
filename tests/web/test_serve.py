"""`graphsvc serve` itself: one command, then a browser (or any HTTP client) on the port it names."""

import subprocess
import sys
import time
import urllib.request


def _serve(port: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "graphsvc", "serve", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


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
    server = _serve(port)
    try:
        _wait_until_up(f"http://127.0.0.1:{port}/sparql", server)
        request = urllib.request.Request(f"http://127.0.0.1:{port}/sparql?query=ASK%7B%7D",
                                         headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.headers["Server"] == "graphsvc" and b'"boolean": true' in response.read()
        second = subprocess.run([sys.executable, "-m", "graphsvc", "serve", "--port", str(port)],
                                capture_output=True, text=True, timeout=120)
        assert second.returncode == 1
        assert second.stderr.splitlines()[-1] == f"Error: cannot listen on 127.0.0.1:{port}: Address already in use"
    finally:
        server.terminate()
        server.wait(timeout=30)
