"""graphsvc answers from a remote SPARQL store exactly as from the embedded default.

Both remote stores hold the built-in graph: the Oxigraph server, and Virtuoso Open Source 7
(Debian's virtuoso-opensource), whose endpoint URL names the graph holding the data as its default
graph so that Virtuoso's own system graphs are in no answer. Every page (HTML and JSON), every
ownership answer, the audit (on the web and from the command line), the map and the figures must
be the embedded default's, word for word.
"""

import json
import re
import time
from importlib.resources import files

import pytest
from click.testing import CliRunner
from rdflib import RDF, BNode
from test_serving import _get, _wait_for_audit

from graphsvc.answers import ownership
from graphsvc.cli import main
from graphsvc.engine import graph, session
from graphsvc.engine.engines import QueryError, RemoteEngine, _without_comments
from graphsvc.namespaces import GS
from graphsvc.queries import query
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


def _terms(answer) -> list[str]:
    """An answer's rows as text, in a fixed order; blank nodes by kind alone (stores label them freely)."""
    return sorted(
        json.dumps({k: "_:b" if isinstance(v, BNode) else v.n3() for k, v in row.items()}, sort_keys=True)
        for row in answer.rows
    )


def test_every_named_query_reads_alike_as_xml_and_as_json(remote_store):
    names = sorted(p.stem for p in files("graphsvc.queries").iterdir() if p.name.endswith(".rq"))
    selects = [n for n in names if re.match(r"(?:\s*PREFIX[^\n]*\n)*\s*SELECT\b", _without_comments(query(n)), re.I)]
    assert len(selects) > 40
    as_xml, as_json = RemoteEngine(remote_store, results="xml"), RemoteEngine(remote_store, results="json")
    answered = 0
    for name in selects:
        try:
            found = as_xml.query(query(name))
        except QueryError:  # too much for the store unbound: refused alike
            with pytest.raises(QueryError):
                as_json.query(query(name))
            continue
        assert _terms(found) == _terms(as_json.query(query(name))), name
        answered += bool(found.rows)
    assert answered > 30
    for ask, expected in (("ASK { ?s ?p ?o }", True), ("ASK { <urn:no> <urn:no> <urn:no> }", False)):
        assert as_xml.query(ask).boolean is as_json.query(ask).boolean is expected


def test_a_cold_scd_page_asks_fifteen_named_queries_none_walking_twice(remote_store):
    """SCD's page on an engine that remembers nothing: the page's kind, its five sections, the answer's
    tables and roll-up, then its items' records, measures, leads and partners, and dates, bound to
    the items (it asked 16, four of them walking the roll-up again; 37 before that); and progress's
    tables and the items' reports."""
    app = create_app({"SPARQL_ENDPOINT": remote_store, "AUDIT": False})
    served, asked, engine = app.extensions["graphsvc"], [], RemoteEngine(remote_store)
    ask = engine.query  # counted before it is served: the start-up thread may read its tables too
    engine.query = lambda sparql, bindings=None, **options: asked.append(sparql) or ask(sparql, bindings, **options)
    served.engine = engine
    assert app.test_client().get("/id/unit/scd", headers={"Accept": "text/html"}).status_code == 200
    named = {query(n): n for n in (p.stem for p in files("graphsvc.queries").iterdir() if p.name.endswith(".rq"))}
    assert sorted(named[text] for text in asked) == sorted(
        ["page_kinds", "page_fields", "page_parts", "page_attributions", "page_sources", "page_referenced_by"]
        + ["name_labels", "plans", "org_chart", "short_names", "ownership", "items"]
        + ["accountability_measures", "accountability_agents", "accountability_dates"]
        # progress: its tables (read at start-up on a server; no item of SCD's has a target to read),
        # then the items' reports in one read
        + ["progress_elements", "rollup", "progress_rules", "progress_reports"]
    )
    walking = sorted(named[text] for text in asked if "(org:subOrganizationOf|org:postIn)*" in text)
    assert walking == ["ownership", "rollup"]  # the page's walk, and progress's table of every lead's


def test_a_started_server_reads_the_page_tables_before_the_first_visit(remote_store, monkeypatch):
    """The tables every accountable page reads are read as the server starts, and whether the endpoint
    holds any report: SCD's first visit then asks only its own eleven queries."""
    named = {query(n): n for n in (p.stem for p in files("graphsvc.queries").iterdir() if p.name.endswith(".rq"))}
    every, ask = [], RemoteEngine.query  # (engine, query): other tests' start-up threads may still ask
    monkeypatch.setattr(
        RemoteEngine, "query", lambda self, sparql, *a, **k: every.append((self, sparql)) or ask(self, sparql, *a, **k)
    )
    app = create_app({"SPARQL_ENDPOINT": remote_store, "AUDIT": False})
    engine = app.extensions["graphsvc"].engine

    def asked() -> list[str]:
        return [named.get(text) for by, text in list(every) if by is engine]

    deadline = time.monotonic() + 30
    tables = {"name_labels", "plans", "org_chart", "short_names"}
    tables |= {"progress_elements", "rollup", "progress_targets", "progress_rules", "reports_version"}
    while not tables <= set(asked()):
        assert time.monotonic() < deadline, "the tables were not read at start-up"
        time.sleep(0.05)
    before = len(asked())
    assert app.test_client().get("/id/unit/scd", headers={"Accept": "text/html"}).status_code == 200
    page = [name for name in asked()[before:] if name != "reports_version"]  # asked beside the page
    assert sorted(page) == sorted(
        ["page_kinds", "page_fields", "page_parts", "page_attributions", "page_sources", "page_referenced_by"]
        + ["ownership", "items", "accountability_measures", "accountability_agents", "accountability_dates"]
    )  # and no progress_reports: the server knows the endpoint holds no report yet
