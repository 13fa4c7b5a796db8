"""A bounded loopback load test of `graphsvc serve` (waitress, query workers).

Starts `graphsvc serve` on 127.0.0.1 in its own process (the production server, as deployed:
its threads, its confined query workers, its access log), then drives it with bench/run.py's
load generator (keep-alive clients, a fixed number of requests, at most --seconds each):

- the ownership page of the SCD (HTML), with --clients clients;
- /sparql, with as many clients as there are query workers (the concurrency cap): 0 errors;
- /sparql with twice as many clients as workers: the ones over the cap are answered 503 at
  once, by design (counted apart, not as errors), and the latency of those answered stays low.

It prints requests/s, p50/p99 and the error count of each run, and what the access log
recorded. Loopback only; nothing is left running.

    python bench/load_test.py                       # 2000 requests a run, at most 20 s each
    python bench/load_test.py --requests 500 --workers 2 --threads 8
"""

from __future__ import annotations

import argparse
import json
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from run import _free_port, _wait_for, load_generator  # noqa: E402  (bench/run.py is a script, not a package)

PAGE = "/id/unit/scd"
QUERY = (
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
    "SELECT ?label WHERE { <https://w3id.org/graphsvc/id/unit/scd> skos:prefLabel ?label }"
)
SPARQL = "/sparql?query=" + quote(QUERY)
JSON = "application/sparql-results+json"


def _serve(port: int, workers: int, threads: int, log):
    command = [
        sys.executable,
        "-m",
        "graphsvc",
        "serve",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--threads",
        str(threads),
    ]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log)


def _access_log(path: Path) -> Counter:
    """Outcomes of the logged requests: the query's outcome for /sparql, the status otherwise."""
    counts: Counter = Counter()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("{"):
            entry = json.loads(line)
            counts[entry["query"]["outcome"] if "query" in entry else f"{entry['path']} {entry['status']}"] += 1
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="requests per run")
    parser.add_argument("--seconds", type=float, default=20.0, help="longest run")
    parser.add_argument("--clients", type=int, default=8, help="clients of the page run")
    parser.add_argument("--workers", type=int, default=2, help="query workers of the server")
    parser.add_argument("--threads", type=int, default=8, help="threads of the server")
    options = parser.parse_args()
    port = _free_port()
    with tempfile.TemporaryDirectory() as folder:
        log_path = Path(folder) / "access.log"
        with open(log_path, "w", encoding="utf-8") as log:
            server = _serve(port, options.workers, options.threads, log)
            try:
                _wait_for(port, "/health", 120, server)
                _wait_for(port, SPARQL, 60, server)  # the workers hold the data
                runs = {
                    f"ownership page, {options.clients} clients": load_generator(
                        port, PAGE, options.requests, options.seconds, options.clients
                    ),
                    f"/sparql, {options.workers} clients (= workers)": load_generator(
                        port, SPARQL, options.requests, options.seconds, options.workers, JSON
                    ),
                    f"/sparql, {2 * options.workers} clients (2 x workers)": load_generator(
                        port, SPARQL, options.requests, options.seconds, 2 * options.workers, JSON
                    ),
                }
            finally:
                server.send_signal(signal.SIGINT)
                try:
                    server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()
        time.sleep(0.1)
        logged = _access_log(log_path)
    print(
        f"graphsvc serve --workers {options.workers} --threads {options.threads} on 127.0.0.1, "
        f"at most {options.requests} requests or {options.seconds:g} s per run"
    )
    print(f"{'run':42} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'not 200':>8}")
    for name, figures in runs.items():
        print(
            f"{name:42} {figures['requests']:8d} {figures['rps']:8.0f} {figures['p50']:8.1f} "
            f"{figures['p99']:8.1f} {figures['failures']:8d}"
        )
    print("(over the cap, 'not 200' are the 503 answers given at once to queries beyond the workers: by design)")
    print("access log:", dict(sorted(logged.items())))
    errors = (
        runs[f"ownership page, {options.clients} clients"]["failures"]
        + runs[f"/sparql, {options.workers} clients (= workers)"]["failures"]
    )
    print(f"errors within the cap: {errors}")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
