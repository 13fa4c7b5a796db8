"""Helpers of the store's fault tests: `graphsvc` as a separate process, a slow load, a served store.

Every process started here is ended (killed if it must be) by the caller's `with` block or
`finally`, and every wait is bounded.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from support import free_port

COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
# Runs far past any time limit (2,499^3 rows): its worker is killed and a new one started.
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def graphsvc(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "graphsvc", *map(str, args)], capture_output=True, text=True, timeout=timeout
    )


def start(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "graphsvc", *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its query workers and fork server go with it (killpg)
    )


def end(process: subprocess.Popen, seconds: float = 20) -> str:
    """Stop a process started by ``start`` and every process of its group; its stderr."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        _, errors = process.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        _, errors = process.communicate(timeout=seconds)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # workers left behind by a server that did exit
    return errors


def filler(path: Path, triples: int) -> Path:
    """An N-Triples file that takes a load a few seconds (200k triples: ~20 MB)."""
    with path.open("w", encoding="utf-8") as out:
        for i in range(triples):
            out.write(f'<http://example.org/s{i}> <http://example.org/p{i % 50}> "generated filler value {i}" .\n')
    return path


def files_under(directory: Path) -> int:
    return sum(len(names) for _, _, names in os.walk(directory))


def wait_for_more_files(directory: Path, than: int, process: subprocess.Popen, seconds: float = 60) -> None:
    """Until a running load has written files of its own (it is then midway), or fail."""
    deadline = time.monotonic() + seconds
    while files_under(directory) <= than + 2:
        assert process.poll() is None, f"the load ended before it was midway: {process.communicate()}"
        assert time.monotonic() < deadline, "the load wrote nothing"
        time.sleep(0.05)


class Served:
    """A `graphsvc serve --store` process on a free 127.0.0.1 port."""

    def __init__(self, store_dir: Path, *options: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = start("serve", "--store", store_dir, "--port", str(self.port), *options)
        self.errors = ""

    def __enter__(self) -> Served:
        deadline = time.monotonic() + 90
        while True:
            assert self.process.poll() is None, self.process.communicate()
            try:
                if self.get("/health")["queries"]["idle"]:
                    return self
            except OSError:
                pass
            assert time.monotonic() < deadline, "graphsvc serve --store did not start"
            time.sleep(0.2)

    def __exit__(self, *exc) -> None:
        self.errors = end(self.process)

    def get(self, path: str) -> dict:
        with urllib.request.urlopen(self.url + path, timeout=30) as response:
            return json.load(response)

    def query(self, text: str, tries_until: float = 60):
        """A query's JSON answer, or the HTTP error code; a 503 (every worker busy or restarting)
        is asked again, within ``tries_until`` seconds (0: asked once)."""
        deadline = time.monotonic() + tries_until
        request = urllib.request.Request(
            f"{self.url}/sparql?{urllib.parse.urlencode({'query': text})}",
            headers={"Accept": "application/sparql-results+json"},
        )
        while True:
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    return json.load(response)
            except urllib.error.HTTPError as error:
                if error.code != 503 or time.monotonic() > deadline:
                    return error.code
                time.sleep(0.2)

    def count(self) -> int:
        answer = self.query(COUNT_ALL)
        assert isinstance(answer, dict), f"COUNT(*) failed with {answer}"
        return int(answer["results"]["bindings"][0]["n"]["value"])
