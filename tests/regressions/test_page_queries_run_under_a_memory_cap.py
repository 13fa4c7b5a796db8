"""Page queries ran in the server with no memory bound (only the query workers had one): on a
damaged store one request grew the server from 2.9 GB to 15 GB. Now `serve` caps its own address
space (SERVER_MEMORY_MB), a bound that embedded Oxigraph cannot ignore: past it an allocation
fails, and the query workers still set their own, lower, cap."""

import os
import subprocess
import sys
import threading

import pytest
from store_faults import Served
from support import built_in_triples

from graphsvc.engine import store

pytestmark = pytest.mark.slow

# A query that sorts 6.2M rows (every pair of triples): gigabytes if nothing stops it.
GREEDY = """
import resource, sys
from graphsvc.commands.serve import _cap_memory
from graphsvc.engine import store
opened = store.open_read_only(sys.argv[1])
cap = int(open("/proc/self/statm").read().split()[0]) * resource.getpagesize() // 2**20 + 300
_cap_memory(cap)
print(cap, flush=True)
rows = list(opened.query("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"))
print("answered", len(rows), flush=True)
"""


def test_a_greedy_query_in_a_capped_process_stops_at_the_cap(tmp_path):
    store.build(tmp_path / "s")
    greedy = subprocess.Popen(
        [sys.executable, "-c", GREEDY, str(tmp_path / "s")], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    deadline = threading.Timer(120, greedy.kill)
    deadline.start()
    try:
        out, errors = greedy.stdout.read(), greedy.stderr.read()
        _, status, usage = os.wait4(greedy.pid, 0)  # this child's own peak, not the suite's largest
        greedy.returncode = os.waitstatus_to_exitcode(status)
    finally:
        deadline.cancel()
    cap_mb, peak_mb = int(out.split()[0]), usage.ru_maxrss / 1024
    assert greedy.returncode != 0 and "answered" not in out
    assert "memory allocation" in errors or "MemoryError" in errors, errors[-500:]
    print(f"\na 6.2M-row sort under a {cap_mb} MB cap: stopped at {peak_mb:.0f} MB resident, exit {greedy.returncode}")
    assert peak_mb < cap_mb, f"the process reached {peak_mb:.0f} MB past its {cap_mb} MB cap"


def _address_space_limit(pid: int) -> str:
    with open(f"/proc/{pid}/limits", encoding="ascii") as limits:
        return next(line for line in limits if line.startswith("Max address space")).split()[3]


@pytest.mark.server
def test_serve_caps_its_own_memory_and_its_workers_still_answer(tmp_path):
    store.build(tmp_path / "s")
    with Served(tmp_path / "s", "--server-memory-mb", "3000") as server:
        assert _address_space_limit(server.process.pid) == str(3000 * 2**20)
        assert server.count() == built_in_triples()  # a worker's own 1024 MB cap is set under the server's
        assert server.get("/index.json")["figures"]["triples"] == built_in_triples()
