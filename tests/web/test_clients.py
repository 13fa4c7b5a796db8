"""Real SPARQL clients, unmodified, against the app served by waitress on 127.0.0.1."""

import shutil
import subprocess
import urllib.request

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, N3, TURTLE, XML, SPARQLWrapper

from graphsvc.engine.engines import RemoteEngine
from graphsvc.namespaces import GS, ID

ITEMS = (
    "PREFIX gs: <https://w3id.org/graphsvc/def#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    "SELECT ?ref WHERE { ?item a gs:DeliveryItem ; skos:notation ?ref } ORDER BY ?ref"
)


def _wrapper(live_url, query, return_format, method="GET"):
    wrapper = SPARQLWrapper(live_url + "/sparql")
    wrapper.setQuery(query)
    wrapper.setReturnFormat(return_format)
    wrapper.setMethod(method)
    return wrapper


def test_sparqlwrapper_json_get_and_post(live_url):
    for method in ("GET", "POST"):
        data = _wrapper(live_url, ITEMS, JSON, method).queryAndConvert()
        refs = [b["ref"]["value"] for b in data["results"]["bindings"]]
        assert len(refs) == 14 and refs[0] == "1.1"


def test_sparqlwrapper_xml_and_csv(live_url):
    xml = _wrapper(live_url, ITEMS, XML).queryAndConvert()
    assert len(xml.getElementsByTagName("result")) == 14
    csv = _wrapper(live_url, ITEMS, CSV).queryAndConvert().decode()
    assert csv.splitlines()[:2] == ["ref", "1.1"]


def test_sparqlwrapper_construct_and_ask(live_url):
    for fmt in (TURTLE, N3, XML):
        graph = _wrapper(
            live_url, "CONSTRUCT WHERE { <https://w3id.org/graphsvc/id/unit/scd> ?p ?o }", fmt
        ).queryAndConvert()
        if not isinstance(graph, Graph):
            graph = Graph().parse(data=graph, format="turtle")
        assert (ID["unit/scd"], None, Literal("SCD")) in graph
    assert _wrapper(live_url, "ASK { ?s a <https://w3id.org/graphsvc/def#Plan> }", JSON).queryAndConvert()["boolean"]


def test_sparqlwrapper_sees_refusals_as_errors(live_url):
    wrapper = _wrapper(live_url, "SELECT * WHERE { ?s ?p }", JSON)
    try:
        wrapper.queryAndConvert()
    except Exception as error:  # SPARQLWrapper's QueryBadFormed
        assert "malformed query" in str(error)
    else:
        raise AssertionError("a malformed query was answered")


def test_rdflib_sparqlstore(live_url):
    store = SPARQLStore(live_url + "/sparql")
    graph = Graph(store=store)
    refs = sorted(str(row.ref) for row in graph.query(ITEMS))
    assert len(refs) == 14 and "6.3" in refs
    assert (ID["plan/2007-10"], None, None) in graph
    assert set(graph.objects(ID["unit/scd"], URIRef("http://www.w3.org/2004/02/skos/core#altLabel"))) == {
        Literal("SCD")
    }
    assert graph.query("ASK { ?s a <https://w3id.org/graphsvc/def#Plan> }").askAnswer is True
    constructed = graph.query("CONSTRUCT WHERE { ?m a <https://w3id.org/graphsvc/def#SuccessMeasure> }").graph
    assert len(constructed) == 28
    assert len(store) > 2000


def test_project_remote_engine(live_url):
    engine = RemoteEngine(live_url + "/sparql")
    answer = engine.query("SELECT ?item WHERE { ?item a ?class }", {"class": GS.DeliveryItem})
    assert len(answer.rows) == 14


def test_curl_style_accept_headers(live_url):
    """What `curl -H 'Accept: ...'` sends: plain urllib with one header."""
    for accept, media_type in [
        ("text/csv", "text/csv"),
        ("*/*", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
    ]:
        request = urllib.request.Request(live_url + "/sparql?query=ASK%7B%7D", headers={"Accept": accept})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.headers.get_content_type() == media_type
    request = urllib.request.Request(live_url + "/id/unit/scd", headers={"Accept": "text/turtle"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers.get_content_type() == "text/turtle"


def test_curl_itself(live_url):
    """curl as a person types it: form-encoded POST with an Accept header, and a GET for Turtle."""
    if not shutil.which("curl"):
        pytest.skip("curl is not installed")
    csv = subprocess.run(
        [
            "curl",
            "-sS",
            "-H",
            "Accept: text/csv",
            "--data-urlencode",
            "query=SELECT ?ref WHERE { ?i a <https://w3id.org/graphsvc/def#DeliveryItem> ; "
            "<http://www.w3.org/2004/02/skos/core#notation> ?ref } ORDER BY ?ref",
            live_url + "/sparql",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout
    assert csv.splitlines()[:3] == ["ref", "1.1", "1.2"]
    turtle = subprocess.run(
        ["curl", "-sS", "-H", "Accept: text/turtle", live_url + "/id/unit/scd"],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout
    assert (ID["unit/scd"], None, Literal("SCD")) in Graph().parse(data=turtle, format="turtle")
