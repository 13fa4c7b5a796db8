"""The endpoint beyond the protocol tests: negotiation, refusals, limits, CORS, service description."""

import json
import threading
import time
from urllib.parse import quote

import pytest
from rdflib import Graph, Literal, Namespace

from graphsvc.engine import graph
from graphsvc.web.app import create_app

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
MEASURES = (
    "PREFIX gs: <https://w3id.org/graphsvc/def#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    "SELECT ?ref WHERE { ?m a gs:SuccessMeasure ; skos:notation ?ref } ORDER BY ?ref"
)


def _get(client, query, **headers):
    return client.get("/sparql", query_string={"query": query}, headers=headers)


@pytest.mark.parametrize(
    "accept, media_type",
    [
        ("*/*", "application/sparql-results+json"),
        ("text/csv;q=0.5, text/tab-separated-values", "text/tab-separated-values"),
        ("text/csv, application/sparql-results+json;q=0.1", "text/csv"),
        ("application/json", "application/sparql-results+json"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
        ("image/png", "application/sparql-results+json"),  # unmet Accept: the default, not an error
    ],
)
def test_negotiation_with_q_values(client, accept, media_type):
    assert _get(client, MEASURES, Accept=accept).mimetype == media_type


def test_no_accept_header_gives_json(client):
    response = client.get("/sparql?query=" + quote(MEASURES), headers={"Accept": ""})
    assert response.mimetype == "application/sparql-results+json"


@pytest.mark.parametrize(
    "fmt, media_type",
    [
        ("csv", "text/csv"),
        ("tsv", "text/tab-separated-values"),
        ("xml", "application/sparql-results+xml"),
        ("html", "text/html"),
    ],
)
def test_format_parameter_beats_accept(client, fmt, media_type):
    response = client.get(
        "/sparql",
        query_string={"query": MEASURES, "format": fmt},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.mimetype == media_type


def test_unknown_format_is_a_clear_400(client):
    response = client.get("/sparql", query_string={"query": MEASURES, "format": "xlsx"})
    assert response.status_code == 400 and "unknown format 'xlsx'" in response.get_data(as_text=True)


def test_csv_and_tsv_bodies(client):
    csv_rows = _get(client, MEASURES, Accept="text/csv").get_data(as_text=True).splitlines()
    assert csv_rows[:3] == ["ref", "1.1.1", "1.1.2"] and len(csv_rows) == 29
    tsv_rows = _get(client, MEASURES, Accept="text/tab-separated-values").get_data(as_text=True).splitlines()
    assert tsv_rows[:2] == ["?ref", '"1.1.1"'] and len(tsv_rows) == 29


def test_ask_in_json(client):
    body = json.loads(_get(client, "ASK { ?s a <https://w3id.org/graphsvc/def#Plan> }").data)
    assert body == {"head": {}, "boolean": True}


def test_html_view_links_the_graphs_own_iris(client):
    page = _get(
        client,
        "SELECT ?item WHERE { ?item <http://www.w3.org/2004/02/skos/core#notation> '1.1' "
        "; a <https://w3id.org/graphsvc/def#DeliveryItem> }",
        Accept="text/html",
    )
    assert '<a href="/id/item/2007-10/1.1">' in page.get_data(as_text=True)


@pytest.mark.parametrize(
    "request_args",
    [
        {"method": "GET", "query_string": {"update": "CLEAR ALL"}},
        {"method": "POST", "data": "update=" + quote("CLEAR ALL"), "content_type": "application/x-www-form-urlencoded"},
        {"method": "POST", "data": "CLEAR ALL", "content_type": "application/sparql-update"},
        {
            "method": "POST",
            "data": "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
            "content_type": "application/sparql-query",
        },
    ],
)
def test_updates_refused_read_only(client, request_args):
    response = client.open("/sparql", **request_args)
    assert response.status_code == 403
    assert response.get_data(as_text=True) == "SPARQL Update is refused: this endpoint is read-only\n"


@pytest.mark.parametrize(
    "query, reason",
    [
        ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE is refused"),
        (
            "SELECT * WHERE { { SELECT ?s WHERE { SERVICE SILENT <http://example.org/s> { ?s ?p ?o } } } }",
            "SERVICE is refused",
        ),
        (
            "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <http://example.org/s> { ?s ?p ?o } } }",
            "SERVICE is refused",
        ),
        ("SELECT * FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }", "FROM and FROM NAMED are refused"),
        ("SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }", "FROM and FROM NAMED are refused"),
    ],
)
def test_nothing_is_fetched_from_outside(client, query, reason):
    response = _get(client, query)
    assert response.status_code == 400 and reason in response.get_data(as_text=True)


def test_service_in_a_string_or_comment_is_not_refused(client):
    query = '# SERVICE <http://example.org/>\nSELECT ("SERVICE <http://example.org/>" AS ?text) WHERE {}'
    assert _get(client, query).status_code == 200


def test_unknown_prefix_is_named(client):
    response = _get(client, "SELECT * WHERE { ?s x:p ?o }")
    assert response.status_code == 400
    assert "line 1, column 21: the prefix x: is not declared" in response.get_data(as_text=True)


def test_cors_on_get_and_preflight(client):
    assert _get(client, MEASURES).headers["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/sparql", headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST"}
    )
    assert preflight.status_code == 204
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]


def test_service_description_with_dataset_size(client):
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.mimetype == "text/turtle"
    description = Graph().parse(data=response.data, format="turtle")
    assert (None, SD.supportedLanguage, SD.SPARQL11Query) in description
    assert (None, VOID.triples, Literal(len(graph.default()))) in description
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_browser_without_query_gets_the_editor(client):
    response = client.get("/sparql", headers={"Accept": "text/html"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/query")


@pytest.fixture(scope="module")
def capped_client():
    return create_app({"GRAPH": graph.default(), "SPARQL_ROW_CAP": 5, "AUDIT": False}).test_client()


def test_row_cap_flags_truncation_in_header_and_body(capped_client):
    response = _get(capped_client, MEASURES)
    body = json.loads(response.data)
    assert response.headers["X-SPARQL-Truncated"] == "true" and response.headers["X-SPARQL-Row-Cap"] == "5"
    assert len(body["results"]["bindings"]) == 5 and body["truncated"] is True
    html = _get(capped_client, MEASURES, Accept="text/html").get_data(as_text=True)
    assert "Truncated:" in html and "only the first 5 rows" in html


def test_row_cap_applies_to_graphs(capped_client):
    response = _get(capped_client, "CONSTRUCT WHERE { ?s ?p ?o }", Accept="application/n-triples")
    assert response.headers["X-SPARQL-Truncated"] == "true"
    assert len(response.get_data(as_text=True).strip().splitlines()) == 5


def test_a_whole_answer_is_not_flagged(client):
    response = _get(client, MEASURES)
    assert "X-SPARQL-Truncated" not in response.headers and "truncated" not in json.loads(response.data)


# About 6 million solutions: half a second on Oxigraph, which goes on in the background.
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"


@pytest.mark.parametrize(
    "accept, flag_in_body",
    [
        ("text/csv", "the query ran past the time limit of 0.01 s and was stopped\n"),
        ("application/sparql-results+json", '"timedOut": true'),
        ("text/html", "Timed out:</strong> the query ran past the time limit of 0.01 s"),
    ],
)
def test_time_limit_stops_waiting_and_says_so(accept, flag_in_body):
    slow = create_app({"GRAPH": graph.default(), "SPARQL_TIME_LIMIT": 0.01, "AUDIT": False}).test_client()
    response = _get(slow, SLOW, Accept=accept)
    assert response.status_code == 503 and response.headers["X-SPARQL-Timed-Out"] == "true"
    assert flag_in_body in response.get_data(as_text=True)


def test_html_view_of_a_graph(client):
    response = client.get(
        "/sparql",
        query_string={"query": "CONSTRUCT WHERE { <https://w3id.org/graphsvc/id/unit/scd> ?p ?o }", "format": "html"},
    )
    html = response.get_data(as_text=True)
    assert response.mimetype == "text/html" and "triples." in html
    assert '<a href="/id/unit/scd">' in html and '<a href="/id/organisation/mps">' in html


# Fifteen billion solutions: runs until its worker is killed at the time limit.
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def test_busy_while_every_worker_runs_a_query():
    """Both workers hold a slow query: a third query is refused at once, a quick one too; then
    the killed workers are replaced and queries are answered again."""
    app = create_app({"GRAPH": graph.default(), "SPARQL_TIME_LIMIT": 3, "AUDIT": False})
    pool = app.extensions["graphsvc"].query_pool
    pool.start()
    slow = [threading.Thread(target=_get, args=(app.test_client(), ENDLESS)) for _ in range(2)]
    for thread in slow:
        thread.start()
    deadline = time.monotonic() + 10
    while pool.status()["busy"] < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    began = time.monotonic()
    busy = _get(app.test_client(), "ASK {}")
    assert time.monotonic() - began < 1
    assert busy.status_code == 503 and busy.headers["Retry-After"] == "3"
    assert busy.get_data(as_text=True) == "all 2 query workers are busy: try again shortly\n"
    for thread in slow:
        thread.join()
    while pool.status()["idle"] < 2 and time.monotonic() < deadline + 20:
        time.sleep(0.05)
    assert json.loads(_get(app.test_client(), "ASK {}").data)["boolean"] is True
