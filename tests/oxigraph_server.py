"""A real `oxigraph serve-read-only` (or, for writes, `oxigraph serve`) on 127.0.0.1, for tests of
remote SPARQL endpoints."""

import subprocess
import time
import urllib.request
from contextlib import contextmanager

import pytest
from support import free_port


@contextmanager
def running(folder, files, load_timeout=120, read_only=True):
    """Load the N-Triples files into a store under folder and serve it (read-only unless told);
    yields the query URL (updates go to /update beside it)."""
    for data in files:
        subprocess.run(
            ["oxigraph", "load", "--location", str(folder / "store"), "--file", str(data)],
            check=True,
            capture_output=True,
            timeout=load_timeout,
        )
    port = free_port()
    process = subprocess.Popen(
        [
            "oxigraph",
            "serve-read-only" if read_only else "serve",
            "--location",
            str(folder / "store"),
            "--bind",
            f"127.0.0.1:{port}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    endpoint = f"http://127.0.0.1:{port}/query"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{endpoint}?query=ASK%7B%7D", timeout=2).read()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"oxigraph server did not start: {process.stderr.read().decode()[-500:]}")
            time.sleep(0.2)
    try:
        yield endpoint
    finally:
        process.terminate()
        process.wait(timeout=10)
