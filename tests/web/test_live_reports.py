"""Reports written while a server runs are served at once, whole: the pages, the SPARQL endpoint's
workers and the home page's counts follow the store's reports journal, and a page kept from before
a write is not served after it."""

import json
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest
from serve_support import ROOT, Serving

from graphsvc.engine import journal as journals
from graphsvc.engine import sources, store
from graphsvc.engine.journal import Record
from graphsvc.web.http.page_cache import PageCache

pytestmark = pytest.mark.slow


def _get(url: str, path: str, accept: str = "application/json"):
    request = urllib.request.Request(url + path, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.load(answer)


def _add(folder, *arguments) -> subprocess.CompletedProcess:
    """`graphsvc progress add` in another process, as a performance analyst runs it."""
    command = [sys.executable, "-m", "graphsvc", "--store", str(folder), "progress", "add", *arguments]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("live") / "store"
    store.build(folder)
    serving = Serving("--store", str(folder), log=folder.parent / "serve.log")
    try:
        serving.wait_ready()
        yield serving, folder
    finally:
        serving.stop()


def _reports_in_endpoint(url: str) -> int:
    text = "SELECT (COUNT(?r) AS ?n) WHERE { GRAPH ?g { ?r a <https://w3id.org/graphsvc/def#Report> } }"
    answer = _get(url, "/sparql?" + urllib.parse.urlencode({"query": text}), "application/sparql-results+json")
    return int(answer["results"]["bindings"][0]["n"]["value"])


def test_a_report_written_from_another_terminal_is_served_without_a_restart(served):
    serving, folder = served
    before = _get(serving.url, "/id/item/2007-10/1.1?as-at=2008-Q3")["progress"]
    triples = _get(serving.url, "/")["figures"]["triples"]
    loaded = _get(serving.url, "/health")["reports_loaded"]
    assert before["latest"] is None and _reports_in_endpoint(serving.url) == 0

    written = _add(
        folder, "1.1", "--period", "2008-Q3", "--status", "at risk", "--rag", "amber", "--by", "shona-pearce"
    )
    assert written.returncode == 0, written.stderr

    deadline = time.monotonic() + 60  # a store's generation is copied into memory first, beside the pages
    while (after := _get(serving.url, "/id/item/2007-10/1.1?as-at=2008-Q3")["progress"])["latest"] is None:
        assert time.monotonic() < deadline, "the report was never served"
        time.sleep(0.2)
    assert (after["latest"]["status"], after["latest"]["owner_rag"]) == ("at risk", "amber")
    assert _get(serving.url, "/health")["reports_loaded"] == loaded + 1
    assert _get(serving.url, "/")["figures"]["triples"] > triples
    while _reports_in_endpoint(serving.url) != 1:  # the query workers load it too, each from its own copy
        assert time.monotonic() < deadline, "the SPARQL endpoint never answered with the report"
        time.sleep(0.2)
    html = urllib.request.urlopen(serving.url + "/id/item/2007-10/1.1?as-at=2008-Q3", timeout=30).read().decode()
    assert "at risk" in html


def test_a_half_written_batch_is_not_served(tmp_path):
    """A workbook's reports are appended one by one: a reader that comes between sees none of them."""
    source = sources.Source(reports=str(tmp_path))
    engine = sources.open_engine(source)
    journal = journals.at(tmp_path)
    report = "https://w3id.org/graphsvc/id/report/batch-{}"
    quad = "<{}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/graphsvc/def#Report> <{}> .\n"

    def record(number: int) -> Record:
        iri = report.format(number)
        audit = {"batch": [number, 2, report.format(1)]}
        return Record(iri, "urn:x:element", "urn:x:period", None, quad.format(iri, sources.REPORTS_GRAPH), audit)

    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?r a <https://w3id.org/graphsvc/def#Report> } }"
    with journal.locked():
        journal.append(record(1))
        assert sources.catch_up(engine) == 0  # the first of two: not yet
        assert int(engine.query(count).rows[0]["n"]) == 0
        journal.append(record(2))
    assert sources.catch_up(engine) == 2
    assert int(engine.query(count).rows[0]["n"]) == 2


def test_a_page_built_from_old_data_is_not_kept_under_the_new_version():
    version = [0]
    cache = PageCache(version=lambda: version[0])
    assert cache.remember("page", lambda: "before") == "before"
    assert cache.remember("page", lambda: "again") == "before"  # kept at version 0

    def build_while_a_write_lands():
        version[0] = 1
        return "built from version 0"

    assert cache.remember("other", build_while_a_write_lands) == "built from version 0"
    assert cache.remember("other", lambda: "built at version 1") == "built at version 1"
    assert cache.remember("page", lambda: "after") == "after"  # version 0's page dropped


def test_pages_on_an_endpoint_follow_reports_written_into_it(tmp_path):
    """Reports written into an endpoint by anyone show on the pages of a server answering from it
    within a second: the page kept before the write is not served after it."""
    import time

    import oxigraph_server

    from graphsvc.answers import progress_writes
    from graphsvc.engine import graph
    from graphsvc.web.app import create_app

    data = tmp_path / "built-in.nt"
    graph.default().serialize(data, format="nt", encoding="utf-8")
    with oxigraph_server.running(tmp_path, [data], read_only=False) as url:
        client = create_app({"SPARQL_ENDPOINT": url, "AUDIT": False}).test_client()
        path = "/id/item/2007-10/1.1.json?as-at=2008-Q3"
        assert json.loads(client.get(path).data)["progress"]["latest"] is None
        source = sources.Source(endpoint=url)
        writer = sources.open_engine(source)
        draft = progress_writes.Draft("1.1", "2008-Q3", "on track", "shona-pearce")
        progress_writes.write(source, writer, [progress_writes.prepare(writer, draft)])
        deadline = time.monotonic() + 10
        while json.loads(client.get(path).data)["progress"]["latest"] is None:
            assert time.monotonic() < deadline, "the page never showed the report"
            time.sleep(0.2)
        assert json.loads(client.get(path).data)["progress"]["latest"]["status"] == "on track"


def test_a_page_read_as_at_this_quarter_is_built_again_when_the_quarter_turns(client, monkeypatch):
    from datetime import date

    import graphsvc.answers.progress as progress_module
    import graphsvc.web.http.site as site_module

    path = "/id/item/2007-10/1.3.json"
    before = json.loads(client.get(path).data)["progress"]["as_at"]

    class NextQuarter(date):
        @classmethod
        def today(cls):
            real = date.today()
            return date(real.year + (real.month > 9), (real.month + 2) % 12 + 1, 1)

    monkeypatch.setattr(site_module, "date", NextQuarter)
    monkeypatch.setattr(progress_module, "date", NextQuarter)
    after = json.loads(client.get(path).data)["progress"]["as_at"]
    assert after != before and after == progress_module.as_period(None).name
