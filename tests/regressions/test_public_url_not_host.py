"""The Host header was copied into the service description's endpoint address (and absolute links
were built from it): a client chose the address the server gave out. The public address is now
the PUBLIC_URL setting (else http://HOST:PORT/), whatever Host says."""

import pytest
from rdflib import Graph, Namespace, URIRef

from graphsvc.engine import graph
from graphsvc.settings import SettingError, from_config
from graphsvc.web.app import create_app

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
EVIL = {"Host": "evil.example"}


def _endpoint(client) -> URIRef:
    response = client.get("/sparql", headers={**EVIL, "Accept": "text/turtle"})
    return next(Graph().parse(data=response.data, format="turtle").objects(None, SD.endpoint))


@pytest.fixture(scope="module")
def public_client():
    app = create_app({"GRAPH": graph.default(), "AUDIT": False, "PUBLIC_URL": "https://graphs.example.org/drugs"})
    return app.test_client()


def test_the_service_description_ignores_host(client):
    assert _endpoint(client) == URIRef("http://127.0.0.1:8080/sparql")


def test_the_service_description_uses_the_public_url(public_client):
    assert _endpoint(public_client) == URIRef("https://graphs.example.org/drugs/sparql")


def test_redirects_use_the_public_url_never_host(client, public_client):
    editor = client.get("/sparql", headers={**EVIL, "Accept": "text/html"})
    assert editor.status_code == 303 and editor.headers["Location"] == "/query"
    editor = public_client.get("/sparql", headers={**EVIL, "Accept": "text/html"})
    assert editor.headers["Location"] == "https://graphs.example.org/drugs/query"
    found = public_client.get("/search", query_string={"q": "SCD"}, headers=EVIL)
    assert found.status_code == 303 and found.headers["Location"] == "https://graphs.example.org/drugs/id/unit/scd"


def test_the_accountability_csv_links_ignore_host(public_client):
    body = public_client.get("/id/unit/scd.csv", headers=EVIL).get_data(as_text=True)
    assert "https://graphs.example.org/drugs/id/item/" in body and "evil.example" not in body


def test_the_editor_shows_the_public_endpoint(public_client):
    body = public_client.get("/query", headers=EVIL).get_data(as_text=True)
    assert "https://graphs.example.org/drugs/sparql" in body and "evil.example" not in body


@pytest.mark.parametrize("bad", ["graphs.example.org", "ftp://x.org/", "https://x.org/?a=1"])
def test_a_public_url_must_be_an_http_address(bad):
    with pytest.raises(SettingError, match="PUBLIC_URL"):
        from_config({"PUBLIC_URL": bad})


@pytest.mark.parametrize("path", ["/.well-known/void", "/sitemap.xml", "/robots.txt"])
def test_void_sitemap_and_robots_give_the_public_address(public_client, path):
    """VoID, the sitemap and robots.txt built their addresses from the Host header too."""
    body = public_client.get(path, headers=EVIL).get_data(as_text=True)
    assert "evil.example" not in body and "https://graphs.example.org/drugs/" in body
