"""Serving a persisted store (`graphsvc serve --store DIR`) and a remote endpoint (`--sparql-endpoint URL`).

Both must answer every page as the embedded built-in graph does. The remote endpoint is the
`oxigraph` server from PyPI, started here on 127.0.0.1 with the built-in graph plus ~100k
triples of generated national data loaded into it.
"""

import json
import logging
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import oxigraph_server
import pytest
from support import free_port

from graphsvc.engine import graph, store
from graphsvc.web.app import create_app

ROOT = Path(__file__).resolve().parents[1]
PAGES = [
    "/id/unit/scd.json",
    "/id/unit/central-tasking-office.json",
    "/id/person/hitchcock.json",
    "/id/item/2007-10/4.1.json",
    "/id/measure/2007-10/1.1.1.json",
    "/partners.json",
]


def _get(client, path):
    """A page's JSON, its lists of links in a fixed order: each store breaks ties its own way."""
    response = client.get(path)
    assert response.status_code == 200, (path, response.get_data(as_text=True)[:300])
    page = response.get_json()
    for field in page.get("fields", []):
        field["details"].sort(key=lambda d: json.dumps(d, sort_keys=True))
    for key in ("fields", "responsibility", "referenced_by"):  # ties in the queries' ORDER BY
        page.get(key, []).sort(key=lambda d: json.dumps(d, sort_keys=True))
    # The audit's progress, not the store's answer: a store app is still auditing when compared.
    for key in ("findings", "findings_note"):
        (page.get("verdict") or {}).pop(key, None)
    answer = page.get("accountability") or {}
    answer.pop("audit", None)
    answer.pop("plans", None)  # the plan filter offers every plan of the data: national data has more
    for key in ("open_findings", "overview"):
        answer.get("summary", {}).pop(key, None)
    for role in ("lead", "supporting", "partner"):
        for item in answer.get(role, []):
            item.pop("findings", None)
    return page


def _wait_for_audit(app, seconds=60):
    served = app.extensions["graphsvc"]
    deadline = time.monotonic() + seconds
    while served.audit.report is None and "still running" in served.audit.why_none and time.monotonic() < deadline:
        time.sleep(0.2)
    return served.audit.report or served.audit.why_none


@pytest.fixture(scope="module")
def embedded_client():
    return create_app({"GRAPH": graph.default(), "AUDIT": False}).test_client()


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("store") / "s"
    store.build(directory)
    return directory


def test_store_serves_every_page_as_the_embedded_graph_does(store_dir, embedded_client):
    app = create_app({"STORE": str(store_dir)})
    client = app.test_client()
    for path in PAGES:
        assert _get(client, path) == _get(embedded_client, path), path
    home = _get(client, "/index.json")
    assert home["figures"] == _get(embedded_client, "/index.json")["figures"]
    audit = _wait_for_audit(app)
    assert audit.totals["by_severity"]["Violation"] > 0
    report = _get(client, "/validation.json")
    assert report["totals"]["findings"] == audit.totals["findings"]


def _answering_from(client, where: str, seconds: float = 60) -> str:
    """Where /health says answers come from, once it says ``where`` or the time is up."""
    deadline = time.monotonic() + seconds
    while (health := client.get("/health").get_json())["answers_from"] != where and time.monotonic() < deadline:
        time.sleep(0.05)
    return health["answers_from"]


def test_a_store_copied_into_memory_answers_as_the_embedded_graph_does(store_dir, embedded_client):
    app = create_app({"STORE": str(store_dir), "STORE_IN_MEMORY": True})
    client, served = app.test_client(), app.extensions["graphsvc"]
    on_disk = served.engine.store
    assert _answering_from(client, "memory") == "memory"
    assert served.engine.store is not on_disk and len(served.engine.store) == len(on_disk)
    for path in PAGES:
        assert _get(client, path) == _get(embedded_client, path), path
    audit = _wait_for_audit(app)  # run after the copy, on it
    assert audit.totals["by_severity"] == _wait_for_audit(create_app({"STORE": str(store_dir)})).totals["by_severity"]


def test_a_store_that_cannot_be_copied_keeps_answering_from_disk(store_dir, monkeypatch, caplog):
    def out_of_memory(persisted):
        raise MemoryError("no room for 500 MB")

    monkeypatch.setattr(store, "into_memory", out_of_memory)
    with caplog.at_level(logging.WARNING, logger="graphsvc.serve"):
        app = create_app({"STORE": str(store_dir), "STORE_IN_MEMORY": True, "AUDIT": False})
        client = app.test_client()
        assert _answering_from(client, "disk", seconds=30) == "disk"
    assert any("copying it into memory failed: no room for 500 MB" in r.getMessage() for r in caplog.records)
    assert _get(client, "/id/unit/scd.json")["title"] == "Specialist Crime Directorate"


def test_in_memory_without_a_store_is_a_usage_error():
    result = subprocess.run(
        [sys.executable, "-m", "graphsvc", "serve", "--in-memory"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "--in-memory copies a persisted store into memory: give --store DIR too" in result.stderr


def test_a_missing_store_is_one_clear_line(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "graphsvc", "serve", "--store", str(tmp_path / "none")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2  # the store's state, not the arguments
    assert result.stderr.strip().splitlines()[-1] == (
        f"Error: {tmp_path / 'none'}: not a graphsvc store (build one with `graphsvc load {tmp_path / 'none'}`)"
    )


@pytest.mark.parametrize("in_memory", [[], ["--in-memory"]], ids=["disk", "in-memory"])
def test_serve_store_command_answers_pages(store_dir, in_memory):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "graphsvc", "serve", "--store", str(store_dir), "--port", str(port), *in_memory],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, server.stderr.read()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/id/unit/scd.json", timeout=5) as response:
                    page = json.load(response)
                break
            except OSError:
                assert time.monotonic() < deadline, "graphsvc serve --store did not answer"
                time.sleep(0.2)
        assert page["title"] == "Specialist Crime Directorate" and page["accountability"]["lead"]
        expected = "memory" if in_memory else "disk"
        while (health := json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5)))[
            "answers_from"
        ] != expected and time.monotonic() < deadline:
            time.sleep(0.1)
        assert health["answers_from"] == expected
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=30)
    assert ("graphsvc: answering from memory: the store was copied in" in errors) == bool(in_memory), errors


@pytest.fixture(scope="module")
def national_endpoint(tmp_path_factory):
    """`oxigraph serve-read-only` holding the built-in graph and ~100k generated triples."""
    folder = tmp_path_factory.mktemp("national")
    built_in, national = folder / "built-in.nt", folder / "national.nt"
    graph.default().serialize(built_in, format="nt", encoding="utf-8")
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "generate.py"), "--size", "100k", "--out", str(national)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    with oxigraph_server.running(folder, [built_in, national], load_timeout=300) as endpoint:
        yield endpoint, len(graph.default()) + sum(1 for _ in national.open(encoding="utf-8"))


def test_remote_endpoint_with_national_data_serves_every_page(national_endpoint, embedded_client):
    endpoint, triples = national_endpoint
    app = create_app({"SPARQL_ENDPOINT": endpoint})
    client = app.test_client()
    for path in PAGES[:-1]:  # the partners list grows with the national partners
        assert _get(client, path) == _get(embedded_client, path), path
    national_partners = _get(client, "/partners.json")["partners"]
    assert all(p in national_partners for p in _get(embedded_client, "/partners.json")["partners"])
    assert len(national_partners) == len(_get(embedded_client, "/partners.json")["partners"]) + 60
    figures = _get(client, "/index.json")["figures"]
    assert figures["triples"] == triples > 100_000
    assert figures["delivery_items"] == 14 + 43 * 28
    response = client.get(
        "/sparql",
        query_string={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert int(response.get_json()["results"]["bindings"][0]["n"]["value"]) == triples
    unit = _get(client, "/id/unit/force-07/bg-1.json")
    assert unit["accountability"]["summary"]["text"].startswith("Specialist Crime (force-07) leads")
    audit = _wait_for_audit(app, 120)
    assert not isinstance(audit, str), audit
    assert {f.shape for f in audit.results} >= {"quality:MeasureMeasurable", "integrity:PartnerLink"}


def test_cli_answers_from_the_national_endpoint(national_endpoint):
    from click.testing import CliRunner

    from graphsvc.cli import main

    endpoint, _ = national_endpoint
    result = CliRunner().invoke(
        main,
        ["--sparql-endpoint", endpoint, "who", "https://w3id.org/graphsvc/id/unit/force-07/bg-1", "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.output)["lead"]) > 10
