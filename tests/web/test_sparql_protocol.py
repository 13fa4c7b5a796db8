"""The W3C SPARQL 1.1 Protocol query tests that apply to a read-only endpoint with one default graph.

From the protocol test suite's manifest (query_*, bad_*): query by GET, by POST form and by
POST direct; result media types for SELECT, ASK, CONSTRUCT and DESCRIBE; and the bad
requests (wrong method, several queries, wrong or missing media type, non-UTF-8, bad syntax).
A default-graph-uri naming the served graph is accepted; any other dataset (another graph, a
named-graph-uri) gets a 400, asserted here too. The update tests do not apply: updates are refused.
The W3C suite itself runs as written in test_w3c_protocol_suite.py.
"""

import json
from urllib.parse import quote

import pytest

SELECT = "SELECT (COUNT(?plan) AS ?plans) WHERE { ?plan a <https://w3id.org/graphsvc/def#Plan> }"
ASK = "ASK { <https://w3id.org/graphsvc/id/unit/scd> ?p ?o }"
CONSTRUCT = "CONSTRUCT WHERE { <https://w3id.org/graphsvc/id/plan/2004-5> ?p ?o }"
DESCRIBE = "DESCRIBE <https://w3id.org/graphsvc/id/plan/2004-5>"
FORM = "application/x-www-form-urlencoded"


def _plans(response) -> int:
    return int(json.loads(response.data)["results"]["bindings"][0]["plans"]["value"])


def test_query_get(client):
    response = client.get("/sparql", query_string={"query": SELECT})
    assert response.status_code == 200
    assert response.mimetype == "application/sparql-results+json"
    assert _plans(response) == 2


def test_query_post_form(client):
    response = client.post("/sparql", data="query=" + quote(SELECT), content_type=FORM)
    assert response.status_code == 200 and _plans(response) == 2


def test_query_post_direct(client):
    response = client.post("/sparql", data=SELECT.encode(), content_type="application/sparql-query")
    assert response.status_code == 200 and _plans(response) == 2


@pytest.mark.parametrize(
    "accept, media_type",
    [
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
    ],
)
def test_query_content_type_select(client, accept, media_type):
    response = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == media_type
    assert "2" in response.get_data(as_text=True)


def test_query_content_type_ask(client):
    response = client.get("/sparql", query_string={"query": ASK}, headers={"Accept": "application/sparql-results+xml"})
    assert response.mimetype == "application/sparql-results+xml"
    assert "<boolean>true</boolean>" in response.get_data(as_text=True)


@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE])
@pytest.mark.parametrize(
    "accept, media_type",
    [
        ("application/rdf+xml", "application/rdf+xml"),
        ("text/turtle", "text/turtle"),
        ("application/n-triples", "application/n-triples"),
        ("application/ld+json", "application/ld+json"),
    ],
)
def test_query_content_type_graph(client, query, accept, media_type):
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == media_type
    assert "MPS Priority 2004-5" in response.get_data(as_text=True)


def test_bad_query_method(client):
    assert client.put("/sparql", data=SELECT, content_type="application/sparql-query").status_code == 405


def test_bad_multiple_queries(client):
    response = client.get("/sparql?query=" + quote(ASK) + "&query=" + quote(SELECT))
    assert response.status_code == 400
    assert "2 'query' parameters" in response.get_data(as_text=True)


def test_bad_query_wrong_media_type(client):
    response = client.post("/sparql", data=SELECT, content_type="text/plain")
    assert response.status_code == 400
    assert "unsupported Content-Type 'text/plain'" in response.get_data(as_text=True)


def test_bad_query_missing_form_type(client):
    response = client.post("/sparql", data="query=" + quote(SELECT))
    assert response.status_code == 400
    assert "missing Content-Type" in response.get_data(as_text=True)


def test_bad_query_non_utf8(client):
    response = client.post(
        "/sparql", data='SELECT ("caf\xe9" AS ?x) {}'.encode("latin-1"), content_type="application/sparql-query"
    )
    assert response.status_code == 400
    assert "the query is not UTF-8: the byte 0xe9 at offset 12 cannot be decoded" in response.get_data(as_text=True)


def test_bad_query_non_utf8_charset(client):
    response = client.post(
        "/sparql", data=SELECT.encode("utf-16"), content_type="application/sparql-query; charset=UTF-16"
    )
    assert response.status_code == 400 and "charset 'utf-16' refused" in response.get_data(as_text=True)


def test_bad_query_syntax(client):
    response = client.get("/sparql", query_string={"query": "SELECT * WHERE {\n  ?s ?p\n}"})
    assert response.status_code == 400
    assert response.get_data(as_text=True) == "malformed query at line 2, column 3: Expected SelectQuery, found '?'\n"


@pytest.mark.parametrize(
    "parameter, reason",
    [
        ("default-graph-uri", "default-graph-uri <http://example.org/g> refused"),
        ("named-graph-uri", "named-graph-uri refused"),
    ],
)
def test_protocol_dataset_refused_cleanly(client, parameter, reason):
    response = client.get("/sparql", query_string={"query": SELECT, parameter: "http://example.org/g"})
    assert response.status_code == 400
    assert reason in response.get_data(as_text=True)


def test_bad_query_non_utf8_in_the_url(client):
    response = client.get("/sparql?query=ASK%7B%7D%FF")
    assert response.status_code == 400
    assert response.get_data(as_text=True) == (
        "the URL's query string is not UTF-8 once percent-decoded (a value has a bad byte at offset 5)\n"
    )
