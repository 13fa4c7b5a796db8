"""The server's lifecycle under load, for bench/load_test.py: slow clients, uploaders, a mixed load, SIGTERM.

Each function drives a running `graphsvc serve` on 127.0.0.1 for a bounded time and returns its figures.
"""

from __future__ import annotations

import http.client
import socket
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "data" / "mps-priority-2004-5.ttl"
COUNT = "/sparql?query=" + quote("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
PAGES = ["/id/unit/scd", "/", "/browse/items", "/id/item/2007-10/1.1", "/id/plan/2007-10"]
MIXED = [*PAGES, COUNT, "/map.json"]


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def get(port: int, path: str, accept: str = "text/html", timeout: float = 30) -> tuple[int, float]:
    """One GET on a new connection: its status (0: no answer) and milliseconds."""
    began = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Accept": accept})
        response = connection.getresponse()
        response.read()
        status = response.status
    except (OSError, http.client.HTTPException):
        status = 0
    finally:
        connection.close()
    return status, (time.perf_counter() - began) * 1000


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


# --- 1. slow clients ----------------------------------------------------------------------------


def slow_clients(port: int, clients: int = 150, seconds: float = 30.0, every: float = 6.0) -> dict:
    """``clients`` connections each sending a header line every ``every`` seconds (reconnecting when the
    server drops them, as an attacker would) for ``seconds``, while /health is asked every 50 ms."""
    stop = threading.Event()
    dropped = [0]
    lock = threading.Lock()

    def attacker():
        while not stop.is_set():
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
                    connection.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                    connection.settimeout(every)
                    line = 0
                    while not stop.is_set():
                        try:
                            if not connection.recv(1024):
                                break
                        except TimeoutError:
                            line += 1
                            connection.sendall(f"X-Slow-{line}: x\r\n".encode())
            except OSError:
                pass
            if not stop.is_set():
                with lock:
                    dropped[0] += 1

    threads = [threading.Thread(target=attacker, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    time.sleep(1.0)
    times, failures = [], 0
    end = time.monotonic() + seconds - 1.0
    while time.monotonic() < end:
        status, ms = get(port, "/health", "application/json", timeout=10)
        times.append(ms)
        failures += status != 200
        time.sleep(0.05)
    stop.set()
    for thread in threads:
        thread.join(every + 5)
    return {
        "requests": len(times),
        "p50": percentile(times, 0.5),
        "p95": percentile(times, 0.95),
        "max": max(times),
        "failures": failures,
        "dropped": dropped[0],
    }


# --- 2. uploaders --------------------------------------------------------------------------------


def _multipart(name: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="workbook"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def upload(port: int, body: bytes, content_type: str, jar: dict | None = None) -> tuple[int, float, str]:
    """POST /import.ttl (the scripts' form): status, the Retry-After it asks (0 if none), its text's start.
    ``jar`` keeps the cookies the server sets (its upload turn), as a browser would."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Content-Type": content_type}
    if jar:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in jar.items())
    try:
        connection.request("POST", "/import.ttl", body=body, headers=headers)
        response = connection.getresponse()
        text = response.read()[:200].decode("utf-8", "replace")
        if jar is not None:
            for cookie in response.headers.get_all("Set-Cookie") or []:
                name, _, value = cookie.split(";", 1)[0].partition("=")
                jar[name.strip()] = value.strip()
        return response.status, float(response.headers.get("Retry-After") or 0), text
    except (OSError, http.client.HTTPException) as error:
        return 0, 0.0, type(error).__name__
    finally:
        connection.close()


def uploaders(port: int, uploaders_count: int = 16, good_uploads: int = 10, page_clients: int = 4) -> dict:
    """``uploaders_count`` clients uploading a good plan in a loop, each following Retry-After and
    keeping the cookies it is given (its turn), as a browser does; beside
    them one more client uploads the same plan ``good_uploads`` times (following Retry-After, at most 60 s
    each), and ``page_clients`` ask pages and /sparql. Until the good uploads are done."""
    body, content_type = _multipart(PLAN.name, PLAN.read_bytes())
    stop = threading.Event()
    outcomes: Counter = Counter()
    pages: list[float] = []
    sparql: list[float] = []
    page_errors = Counter()
    lock = threading.Lock()

    def uploader():
        jar: dict = {}
        while not stop.is_set():
            status, retry, _ = upload(port, body, content_type, jar)
            with lock:
                outcomes[status] += 1
            if retry:
                stop.wait(retry)

    def reader(number: int):
        turn = number
        while not stop.is_set():
            path = COUNT if turn % 3 == 0 else PAGES[turn % len(PAGES)]
            status, ms = get(port, path, "application/sparql-results+json" if path == COUNT else "text/html")
            with lock:
                (sparql if path == COUNT else pages).append(ms)
                if status != 200 and not (path == COUNT and status == 503):
                    page_errors[status] += 1
            turn += 1
            time.sleep(0.02)

    threads = [threading.Thread(target=uploader, daemon=True) for _ in range(uploaders_count)]
    threads += [threading.Thread(target=reader, args=(n,), daemon=True) for n in range(page_clients)]
    for thread in threads:
        thread.start()
    time.sleep(3.0)
    good = []
    jar: dict = {}
    for _ in range(good_uploads):
        began = time.monotonic()
        tries = 0
        while True:
            tries += 1
            status, retry, text = upload(port, body, content_type, jar)
            if status != 503 or time.monotonic() - began > 60:
                break
            time.sleep(retry or 1)
        good.append({"status": status, "tries": tries, "seconds": time.monotonic() - began, "text": text})
    stop.set()
    for thread in threads:
        thread.join(130)
    return {
        "good_ok": sum(g["status"] == 200 for g in good),
        "good": len(good),
        "good_failures": [g["text"] for g in good if g["status"] != 200],
        "tries_max": max(g["tries"] for g in good),
        "good_seconds_max": max(g["seconds"] for g in good),
        "uploads": dict(outcomes),
        "pages_p50": percentile(pages, 0.5),
        "pages_p99": percentile(pages, 0.99),
        "pages": len(pages),
        "sparql_p50": percentile(sparql, 0.5),
        "sparql_p99": percentile(sparql, 0.99),
        "sparql": len(sparql),
        "reader_errors": dict(page_errors),
    }


# --- 3. a mixed load -----------------------------------------------------------------------------


def mixed(port: int, pids: list[int], clients: int = 16, seconds: float = 60.0) -> dict:
    """``clients`` keep-alive clients over pages, /sparql and /map.json for ``seconds``."""
    before = {pid: rss_mb(pid) for pid in pids}
    latencies: list[float] = []
    statuses: Counter = Counter()
    lock = threading.Lock()
    end = time.monotonic() + seconds

    def client(number: int):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        turn = number
        while time.monotonic() < end:
            path = MIXED[turn % len(MIXED)]
            turn += 1
            accept = "application/sparql-results+json" if path == COUNT else "text/html"
            began = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Accept": accept})
                response = connection.getresponse()
                response.read()
                outcome = f"{path.split('?')[0]} {response.status}"
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                outcome = f"{path.split('?')[0]} no answer"
            with lock:
                latencies.append((time.perf_counter() - began) * 1000)
                statuses[outcome] += 1
        connection.close()

    began = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    designed = sum(n for outcome, n in statuses.items() if outcome == "/sparql 503")
    errors = sum(n for outcome, n in statuses.items() if not outcome.endswith(" 200") and outcome != "/sparql 503")
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50": percentile(latencies, 0.5),
        "p99": percentile(latencies, 0.99),
        "designed_503": designed,
        "errors": errors,
        "statuses": dict(sorted(statuses.items())),
        "rss_before": {pid: round(mb) for pid, mb in before.items()},
        "rss_after": {pid: round(rss_mb(pid)) for pid in pids if Path(f"/proc/{pid}").exists()},
    }


# --- 4. SIGTERM under load -----------------------------------------------------------------------


def session_processes(sid: int) -> list[str]:
    """The live processes of a session (zombies excluded)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == sid and fields[0] not in "ZX":
                found.append(entry.name)
    return found


def sigterm_under_load(process, port: int, clients: int = 8, warmup: float = 3.0) -> dict:
    """``clients`` clients (a new connection a request) over the mixed paths; SIGTERM after ``warmup``
    seconds; until the server exits. Lost: a request that connected and got no answer."""
    import signal

    outcomes: Counter = Counter()
    lock = threading.Lock()

    def client(number: int):
        for turn in range(1_000_000):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            try:
                connection.connect()
            except ConnectionRefusedError:
                with lock:
                    outcomes["refused (not listening)"] += 1
                return
            except OSError:
                with lock:
                    outcomes["connect failed"] += 1
                return
            path = MIXED[(number + turn) % len(MIXED)]
            try:
                connection.request("GET", path, headers={"Accept": "application/json"})
                response = connection.getresponse()
                response.read()
                outcome = f"answered {response.status}"
            except (OSError, http.client.HTTPException) as error:
                outcome = f"lost ({type(error).__name__})"
            finally:
                connection.close()
            with lock:
                outcomes[outcome] += 1

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    time.sleep(warmup)
    processes_before = len(session_processes(process.pid))
    process.send_signal(signal.SIGTERM)
    signalled = time.monotonic()
    process.wait(timeout=120)
    took = time.monotonic() - signalled
    for thread in threads:
        thread.join(60)
    lost = sum(n for outcome, n in outcomes.items() if outcome.startswith("lost"))
    return {
        "seconds_to_exit": took,
        "exit_code": process.returncode,
        "lost": lost,
        "outcomes": dict(sorted(outcomes.items())),
        "processes_before": processes_before,
        "processes_left": len(session_processes(process.pid)),
    }
