"""`CONSTRUCT { <s> <p> 1 } WHERE {}` answered 400 (no base IRI was given to Oxigraph), and through a
remote store it answered with the remote's own base: `<http://127.0.0.1:PORT/s>` from the Oxigraph
server, `<file:///...>` (its working directory) from Virtuoso. Relative IRIs now resolve against the
endpoint's own address (PUBLIC_URL) on every engine, and a query's own BASE still wins."""

import oxigraph_server
import pytest
from rdflib import Graph, Literal, URIRef

from graphsvc import resources
from graphsvc.engine import graph
from graphsvc.web.app import create_app

PUBLIC = "https://graphs.example.org/"
QUERY = "CONSTRUCT { <s> <p> 1 } WHERE {}"


def _triples(client, query) -> set:
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": "text/turtle"})
    assert response.status_code == 200, response.get_data(as_text=True)
    return set(Graph().parse(data=response.data, format="turtle"))


@pytest.fixture(scope="module")
def remote(tmp_path_factory):
    folder = tmp_path_factory.mktemp("base-remote")
    data = Graph().parse(resources.data_files()[0])
    dump = folder / "some.nt"
    data.serialize(dump, format="nt", encoding="utf-8")
    with oxigraph_server.running(folder, [dump]) as url:
        yield url


def _client(**config):
    return create_app({"AUDIT": False, "PUBLIC_URL": PUBLIC, **config}).test_client()


@pytest.fixture(scope="module", params=["oxigraph", "rdflib", "remote", "virtuoso"])
def client_and_remote(request):
    if request.param in ("remote", "virtuoso"):
        url = (
            request.getfixturevalue("remote")
            if request.param == "remote"
            else request.getfixturevalue("virtuoso")["built-in"]
        )
        return _client(SPARQL_ENDPOINT=url), url
    return _client(GRAPH=graph.default(), ENGINE=request.param), None


def test_relative_iris_resolve_against_the_endpoint(client_and_remote):
    client, _ = client_and_remote
    assert _triples(client, QUERY) == {(URIRef(PUBLIC + "s"), URIRef(PUBLIC + "p"), Literal(1))}


def test_a_remote_store_never_shows_its_address_or_files(client_and_remote):
    client, remote = client_and_remote
    response = client.get("/sparql", query_string={"query": QUERY}, headers={"Accept": "application/n-triples"})
    body = response.get_data(as_text=True)
    assert "file:" not in body and "127.0.0.1" not in body
    if remote:
        assert remote.rsplit("/", 1)[0] not in body


def test_the_querys_own_base_wins(client_and_remote):
    client, _ = client_and_remote
    triples = _triples(client, "BASE <https://other.example/> " + QUERY)
    assert triples == {(URIRef("https://other.example/s"), URIRef("https://other.example/p"), Literal(1))}


def test_the_default_base_is_where_the_server_listens():
    client = create_app({"GRAPH": graph.default(), "AUDIT": False}).test_client()
    assert _triples(client, QUERY) == {
        (URIRef("http://127.0.0.1:8080/s"), URIRef("http://127.0.0.1:8080/p"), Literal(1))
    }
