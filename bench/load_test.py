"""A bounded loopback load test of `graphsvc serve` (waitress, query workers).

Starts `graphsvc serve` on 127.0.0.1 in its own process (the production server, as deployed:
its threads, its confined query workers, its access log), then drives it with bench/run.py's
load generator (keep-alive clients, a fixed number of requests, at most --seconds each):

- the ownership page of the SCD (HTML), with --clients clients;
- /sparql, with as many clients as there are query workers (the concurrency cap): 0 errors;
- /sparql with twice as many clients as workers: the ones over the cap are answered 503 at
  once, by design (counted apart, not as errors), and the latency of those answered stays low.

It prints requests/s, p50/p99 and the error count of each run, and what the access log
recorded. Then the server's lifecycle (bench/lifecycle.py), on a server with the default settings:

- /health p50/p95 while 150 slow clients (a header line every 6 s) hold connections for 30 s;
- pages and /sparql p99, and a good upload's success, while 16 uploaders loop (every client
  follows Retry-After);
- a 60 s mixed load (pages, /sparql, /map.json; 16 clients): requests/s, p50/p99, errors other than
  the designed 503s, the memory (RSS) of the server and its workers before and after;
- the time from SIGTERM to exit under load, the requests lost, and the processes left.

Loopback only, every run bounded; nothing is left running.

    python bench/load_test.py                       # everything, about 4 minutes
    python bench/load_test.py --only throughput --requests 500 --workers 2 --threads 8
    python bench/load_test.py --only lifecycle --mixed-seconds 20
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

import lifecycle  # noqa: E402
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
    parser.add_argument("--only", choices=("throughput", "lifecycle"), help="run one part only")
    parser.add_argument("--slow-seconds", type=float, default=30.0, help="how long the slow clients hold on")
    parser.add_argument("--mixed-seconds", type=float, default=60.0, help="length of the mixed load")
    options = parser.parse_args()
    errors = 0 if options.only == "lifecycle" else throughput(options)
    if options.only != "throughput":
        errors += lifecycle_runs(options)
    sys.exit(1 if errors else 0)


def lifecycle_runs(options) -> int:
    """The lifecycle figures on one `graphsvc serve` (default settings), SIGTERM last; the failed goals."""
    port = _free_port()
    with tempfile.TemporaryDirectory() as folder:
        log_path = Path(folder) / "serve.log"
        with open(log_path, "w", encoding="utf-8") as log:
            command = [sys.executable, "-m", "graphsvc", "serve", "--port", str(port)]
            server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log, start_new_session=True)
            try:
                _wait_for(port, "/health", 120, server)
                _wait_for(port, SPARQL, 60, server)
                pids = [int(pid) for pid in lifecycle.session_processes(server.pid)]
                print("\ngraphsvc serve (default settings) on 127.0.0.1: the lifecycle", flush=True)
                slow = lifecycle.slow_clients(port, seconds=options.slow_seconds)
                print(
                    f"150 slow clients (a header line every 6 s) for {options.slow_seconds:g} s: /health "
                    f"p50 {slow['p50']:.1f} ms, p95 {slow['p95']:.1f} ms, max {slow['max']:.0f} ms over "
                    f"{slow['requests']} requests, {slow['failures']} failed; the server dropped slow "
                    f"connections {slow['dropped']} times (they reconnected)",
                    flush=True,
                )
                up = lifecycle.uploaders(port)
                print(
                    f"16 uploaders looping: the good upload succeeded {up['good_ok']} of {up['good']} times "
                    f"(at most {up['tries_max']} tries, {up['good_seconds_max']:.1f} s); uploads by status "
                    f"{up['uploads']}; pages p50 {up['pages_p50']:.1f} ms p99 {up['pages_p99']:.1f} ms "
                    f"({up['pages']}); /sparql p50 {up['sparql_p50']:.1f} ms p99 {up['sparql_p99']:.1f} ms "
                    f"({up['sparql']}); readers' errors {up['reader_errors']} {up['good_failures']}",
                    flush=True,
                )
                mixed = lifecycle.mixed(port, pids, seconds=options.mixed_seconds)
                print(
                    f"mixed load, 16 clients, {options.mixed_seconds:g} s: {mixed['requests']} requests, "
                    f"{mixed['rps']:.0f} req/s, p50 {mixed['p50']:.1f} ms, p99 {mixed['p99']:.1f} ms, "
                    f"errors {mixed['errors']} (designed 503s: {mixed['designed_503']}); RSS MB by pid "
                    f"before {mixed['rss_before']} after {mixed['rss_after']}",
                    flush=True,
                )
                print("  statuses:", mixed["statuses"], flush=True)
                term = lifecycle.sigterm_under_load(server, port)
                print(
                    f"SIGTERM under load (8 clients): exit {term['seconds_to_exit']:.2f} s later "
                    f"(code {term['exit_code']}), requests lost {term['lost']}, processes of its session "
                    f"{term['processes_before']} before, {term['processes_left']} left; {term['outcomes']}",
                    flush=True,
                )
            finally:
                if server.poll() is None:
                    server.kill()
                    server.wait()
    failed = [
        name
        for name, ok in (
            ("/health p95 under 200 ms", slow["p95"] < 200),
            ("every good upload succeeds", up["good_ok"] == up["good"]),
            ("pages p99 under 100 ms", up["pages_p99"] < 100),
            ("no error in the mixed load", mixed["errors"] == 0),
            ("no request lost at SIGTERM", term["lost"] == 0),
            ("no process left", term["processes_left"] == 0),
        )
        if not ok
    ]
    print("lifecycle goals missed:", ", ".join(failed) if failed else "none")
    return len(failed)


def throughput(options) -> int:
    """The page and /sparql runs of the docstring; the errors within the cap."""
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
    return errors


if __name__ == "__main__":
    main()
