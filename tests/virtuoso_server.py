"""A real Virtuoso Open Source 7 (Debian's virtuoso-t) on 127.0.0.1, for tests of remote SPARQL endpoints.

Each run has its own database and virtuoso.ini in a temporary folder and its own free ports
(SQL and HTTP). Each data set goes into a named graph of its own, and each gets an endpoint URL that names
that graph as its default graph (`default-graph-uri`), as an operator would point graphsvc at a shared store: Virtuoso's
own system graphs (several thousand triples) are then in no answer.
"""

import os
import shutil
import signal
import subprocess
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from support import free_port

VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt") or shutil.which("isql")
needs_virtuoso = pytest.mark.skipif(
    VIRTUOSO is None or ISQL is None, reason="Debian's virtuoso-opensource is not installed"
)

_INI = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
MaxClientConnections = 4
CheckpointInterval = 0
CaseMode = 2
DirsAllowed = ., {folder}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
MaxClientConnections = 8
ServerThreads = 8
EnabledDavVSP = 0
Charset = UTF-8
[SPARQL]
; the stock 10,000 would cut long answers short without an error
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
"""


def _isql(sql_port: int, statements: str, timeout: float) -> None:
    done = subprocess.run(
        [ISQL, f"127.0.0.1:{sql_port}", "dba", "dba", f"exec={statements}"],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
        pytest.fail(f"isql failed: {(done.stdout + done.stderr)[-800:]}")


def _stop(process: subprocess.Popen) -> None:
    """The whole process group: virtuoso-t is its leader, and nothing of it outlives the tests."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


@contextmanager
def running(folder, graphs: dict[str, list], start_timeout=90, load_timeout=120):
    """Start Virtuoso with a fresh database under folder, load each graph's N-Triples files (inside
    folder: Virtuoso reads only the folders its ini allows) into that named graph, and yield
    {graph: the endpoint URL whose default graph it is}."""
    folder = folder.resolve()
    sql, http = free_port(), free_port()
    while http == sql:
        http = free_port()
    (folder / "virtuoso.ini").write_text(_INI.format(folder=folder, sql=sql, http=http), encoding="utf-8")
    log = (folder / "virtuoso.out").open("wb")
    process = subprocess.Popen(
        [VIRTUOSO, "+foreground", "+configfile", str(folder / "virtuoso.ini")],
        cwd=folder,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{http}/sparql"
        deadline = time.monotonic() + start_timeout
        while True:
            try:
                urllib.request.urlopen(f"{base}?query=ASK%7B%7D", timeout=2).read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    tail = (folder / "virtuoso.log").read_text(errors="replace")[-800:]
                    pytest.fail(f"virtuoso did not start: {tail}")
                time.sleep(0.3)
        for graph, files in graphs.items():
            for data in files:
                path = Path(data).resolve()
                _isql(sql, f"DB.DBA.TTLP_MT(file_to_string_output('{path}'), '', '{graph}', 0);", load_timeout)
        _isql(sql, "checkpoint;", load_timeout)
        yield {graph: base + "?" + urllib.parse.urlencode({"default-graph-uri": graph}) for graph in graphs}
    finally:
        _stop(process)
        log.close()
