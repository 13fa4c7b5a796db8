"""graphsvc answers from a remote SPARQL store exactly as from the embedded default.

Both remote stores hold the built-in graph: the Oxigraph server, and Virtuoso Open Source 7
(Debian's virtuoso-opensource), whose endpoint URL names the graph holding the data as its default
graph so that Virtuoso's own system graphs are in no answer. Every page (HTML and JSON), every
ownership answer, the audit (on the web and from the command line), the map and the figures must
be the embedded default's, word for word.
"""

import json

import pytest
from click.testing import CliRunner
from rdflib import RDF
from test_serving import _get, _wait_for_audit

from graphsvc.answers import ownership
from graphsvc.cli import main
from graphsvc.engine import graph, session
from graphsvc.engine.engines import RemoteEngine
from graphsvc.namespaces import GS
from graphsvc.web.app import create_app

ID = "https://w3id.org/graphsvc/id/"
TOP = ["/index.json", "/partners.json", "/glossary.json", "/browse/items.json", "/browse/measures.json", "/map.json"]


def _pages() -> list[str]:
    """Every page of the built-in graph: the top pages and one per node it names."""
    nodes = sorted({str(s) for s in graph.default().subjects() if str(s).startswith(ID)})
    return TOP + [f"/id/{node[len(ID) :]}.json" for node in nodes]


@pytest.fixture(scope="module")
def embedded():
    return create_app({"GRAPH": graph.default(), "AUDIT": False}).test_client()


@pytest.fixture(scope="module")
def remote(remote_store):
    return create_app({"SPARQL_ENDPOINT": remote_store, "AUDIT": False}).test_client()


def test_every_page_as_json_is_the_embedded_defaults(remote, embedded):
    pages = _pages()
    assert len(pages) > 200
    different = [path for path in pages if _get(remote, path) != _get(embedded, path)]
    assert different == []


def test_every_page_as_html_is_the_embedded_defaults(remote, embedded):
    different = []
    for path in _pages():
        html = "/" if path == "/index.json" else path.removesuffix(".json")
        mine, theirs = (c.get(html, headers={"Accept": "text/html"}) for c in (remote, embedded))
        assert mine.status_code == 200, (html, mine.get_data(as_text=True)[:300])
        if mine.data != theirs.data:
            different.append(html)
    assert different == []


def test_the_figures_count_the_data_and_no_system_graph(remote, embedded):
    figures = _get(remote, "/index.json")["figures"]
    assert figures == _get(embedded, "/index.json")["figures"]
    assert figures["triples"] == len(graph.default())
    plan = _get(remote, "/id/plan/2007-10.json")["figures"]
    assert (plan["strands"], plan["delivery items"], plan["actions"], plan["success measures"]) == (7, 14, 48, 28)


def test_every_ownership_answer_is_the_embedded_defaults(remote_store):
    data = graph.default()
    kinds = ("unit", "post", "person", "partner", "organisation")
    agents = sorted(
        {str(s) for s in data.subjects() if str(s).startswith(ID) and str(s)[len(ID) :].split("/")[0] in kinds}
    )
    items = sorted({str(s) for kind in (GS.DeliveryItem, GS.Activity) for s in data.subjects(RDF.type, kind)})
    assert len(agents) > 40 and len(items) == 14 + 16
    store, reference = RemoteEngine(remote_store), session.open_engine()
    for agent in agents:
        assert ownership.accountability(store, agent) == ownership.accountability(reference, agent), agent
    for item in items:
        assert ownership.item_detail(store, item) == ownership.item_detail(reference, item), item


def test_the_audit_on_the_web_is_the_embedded_defaults(remote_store):
    apps = [create_app({"SPARQL_ENDPOINT": remote_store}), create_app({"GRAPH": graph.default()})]
    reports = [_wait_for_audit(app, 180) for app in apps]
    assert not any(isinstance(report, str) for report in reports), reports
    assert reports[0].totals == reports[1].totals and reports[0].totals["by_severity"]["Violation"] > 0
    for path in ("/validation", "/validation.json", "/validation.csv"):
        mine, theirs = (app.test_client().get(path) for app in apps)
        assert mine.status_code == 200 and mine.data == theirs.data, path


def test_validate_from_the_endpoint_is_the_embedded_defaults(remote_store):
    runner = CliRunner()
    try:
        mine = runner.invoke(main, ["--sparql-endpoint", remote_store, "validate", "--format", "json"])
        theirs = runner.invoke(main, ["validate", "--format", "json"])
    finally:
        session.configure()
    assert mine.exit_code == theirs.exit_code == 1, mine.output[-500:]
    assert json.loads(mine.output) == json.loads(theirs.output)
