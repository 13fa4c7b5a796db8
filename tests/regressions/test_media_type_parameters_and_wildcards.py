"""Accept was not read as RFC 9110 says: `text/turtle; charset=utf-8` got 406 (a parameter stopped
the match), `application/*` got HTML (through the alias application/xhtml+xml), and an unknown
`format=` on /sparql got 404 instead of 400."""

import pytest

from graphsvc.web.http import negotiation

PLANS = "SELECT ?plan WHERE { ?plan a <https://w3id.org/graphsvc/def#Plan> }"
PLAN = "CONSTRUCT WHERE { <https://w3id.org/graphsvc/id/plan/2004-5> ?p ?o }"


@pytest.mark.parametrize(
    "path, accept, media_type",
    [
        ("/id/unit/scd", "text/turtle; charset=utf-8", "text/turtle"),
        ("/id/unit/scd", "text/turtle;charset=UTF-8;q=0.9, text/html;q=0.1", "text/turtle"),
        ("/id/unit/scd", "application/*", "application/json"),
        ("/id/unit/scd", "text/*;q=0.5, text/html;q=0", "text/turtle"),  # the most specific range decides
        ("/id/unit/scd", "text/html;q=0, */*", "application/json"),
        ("/id/unit/scd", "application/ld+json;q=0.8, application/n-triples", "application/n-triples"),
        ("/id/unit/scd", "", "text/html"),
    ],
)
def test_pages(client, path, accept, media_type):
    response = client.get(path, headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == media_type


@pytest.mark.parametrize(
    "query, accept, media_type",
    [
        (PLANS, "application/*", "application/sparql-results+json"),
        (PLANS, "text/csv; charset=utf-8", "text/csv"),
        (PLAN, "text/turtle; charset=utf-8", "text/turtle"),
        (PLAN, "application/*", "application/n-triples"),
        (PLAN, "application/rdf+xml;q=0.5, text/*;q=0.4", "application/rdf+xml"),
    ],
)
def test_sparql(client, query, accept, media_type):
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == media_type


def test_an_unknown_format_on_sparql_is_a_bad_request(client):
    response = client.get("/sparql", query_string={"query": PLANS, "format": "bogus"})
    assert response.status_code == 400
    assert response.get_data(as_text=True) == "unknown format 'bogus': choose one of json, xml, csv, tsv, html\n"
    assert client.get("/sparql", query_string={"format": "bogus"}).status_code == 400  # the service description


def test_an_unknown_suffix_on_a_page_is_still_not_found(client):
    assert client.get("/id/unit/scd.bogus").status_code == 404


def test_nothing_acceptable_is_406(client):
    assert client.get("/id/unit/scd", headers={"Accept": "image/png"}).status_code == 406
    assert negotiation.best(["text/html"], "text/html;q=0") is None
