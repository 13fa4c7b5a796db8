"""/def publishes the ontology: pyLODE's documentation for people, the ontology as RDF by content
negotiation, an entry for every term; VoID, the sitemap and robots.txt describe the site."""

import re
import xml.etree.ElementTree as ElementTree

import pytest
from rdflib import OWL, RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, VOID

from graphsvc.engine import graph
from graphsvc.namespaces import BASE, GS
from graphsvc.web.app import create_app

DEF = URIRef(BASE + "def")
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def client():
    return create_app({"AUDIT": False}).test_client()


@pytest.fixture(scope="module")
def documentation(client):
    answer = client.get("/def", headers={"Accept": "text/html"})
    assert answer.status_code == 200 and answer.mimetype == "text/html"
    return answer.get_data(as_text=True)


def test_the_documentation_is_generated_by_pylode(documentation):
    assert "pyLODE" in documentation
    assert "<title>graphsvc strategy accountability ontology</title>" in documentation


def test_every_term_has_an_entry_named_after_it(client, documentation):
    own = {str(s) for s in graph.ontology().subjects(RDF.type, None) if str(s).startswith(str(GS))}
    listed = client.get("/def.json").get_json()["terms"]
    assert {term["iri"] for term in listed} == own and len(own) > 70
    ids = re.findall(r'\bid="([^"]+)"', documentation)
    assert len(ids) == len(set(ids))  # a fragment lands on one place
    for term in listed:
        assert term["href"] == "/def#" + term["iri"][len(str(GS)) :]
        entry = re.search(rf'id="{re.escape(term["id"])}">.*?<code>([^<]+)</code>', documentation, re.DOTALL)
        assert entry and entry[1] == term["iri"], term["iri"]


@pytest.mark.parametrize(
    "accept, fmt, suffix",
    [
        ("text/turtle", "turtle", "ttl"),
        ("application/rdf+xml", "xml", "rdf"),
        ("application/ld+json", "json-ld", "jsonld"),
        ("application/n-triples", "nt", "nt"),
    ],
)
def test_the_ontology_by_content_negotiation_and_suffix(client, accept, fmt, suffix):
    negotiated = client.get("/def", headers={"Accept": accept})
    assert negotiated.mimetype == accept and negotiated.headers["Vary"] == "Accept"
    for body in (negotiated.data, client.get(f"/def.{suffix}").data):
        g = Graph().parse(data=body, format=fmt)
        assert (DEF, RDF.type, OWL.Ontology) in g
        assert len(g) == len(graph.ontology())


def test_term_and_version_iris_see_other_to_the_entry(client):
    assert client.get("/def/SuccessMeasure").status_code == 303
    assert client.get("/def/SuccessMeasure").headers["Location"].endswith("/def#SuccessMeasure")
    assert client.get("/def/Lead").headers["Location"].endswith("/def#Lead")
    version = graph.ontology().value(DEF, OWL.versionIRI)
    assert client.get("/" + str(version)[len(BASE) :]).headers["Location"].endswith("/def")
    missing = client.get("/def/NoSuchTerm", headers={"Accept": "application/json"})
    assert missing.status_code == 404 and "NoSuchTerm" in missing.get_data(as_text=True)
    assert client.get("/def.csv").status_code == 404


def test_the_ontology_names_its_licence_creator_and_version():
    g = graph.ontology()
    assert g.value(DEF, DCTERMS.license) == URIRef("https://spdx.org/licenses/MIT")
    assert g.value(g.value(DEF, DCTERMS.creator), URIRef("http://xmlns.com/foaf/0.1/name")) == Literal(
        "The graphsvc project"
    )
    assert str(g.value(DEF, OWL.versionIRI)) == BASE + "def/" + str(g.value(DEF, OWL.versionInfo))


def test_void_describes_the_served_data(client):
    g = Graph().parse(data=client.get("/.well-known/void").data, format="turtle")
    dataset = next(g.subjects(RDF.type, VOID.Dataset))
    figures = client.get("/index.json").get_json()["figures"]
    assert int(g.value(dataset, VOID.triples)) == figures["triples"]
    assert int(g.value(dataset, VOID.classes)) > 20
    assert (
        str(g.value(dataset, VOID.sparqlEndpoint)) == "http://127.0.0.1:8080/sparql"
    )  # the public address, never Host
    assert DEF in set(g.objects(dataset, VOID.vocabulary))
    dumps = sorted(str(d) for d in g.objects(dataset, VOID.dataDump))
    assert dumps == ["http://127.0.0.1:8080/data.nt", "http://127.0.0.1:8080/data.ttl"]
    dump = Graph().parse(data=client.get("/data.nt").data, format="nt")
    assert len(dump) == figures["triples"]
    as_jsonld = client.get("/.well-known/void", headers={"Accept": "application/ld+json"})
    assert as_jsonld.mimetype == "application/ld+json"


def test_sitemap_lists_pages_that_exist(client):
    root = ElementTree.fromstring(client.get("/sitemap.xml").data)
    paths = [loc.text.removeprefix("http://127.0.0.1:8080") for loc in root.iter(SITEMAP + "loc")]
    assert {"/", "/def", "/map", "/id/item/2007-10/1.1", "/id/unit/scd"} <= set(paths)
    assert len(paths) == len(set(paths)) > 200
    for path in paths[:12] + paths[12::25]:  # the site's pages and a sample of the resources
        assert client.get(path, headers={"Accept": "text/html"}).status_code in (200, 503), path


def test_robots_point_at_the_sitemap(client):
    robots = client.get("/robots.txt")
    assert robots.mimetype == "text/plain"
    assert "Sitemap: http://127.0.0.1:8080/sitemap.xml" in robots.get_data(as_text=True).splitlines()


@pytest.mark.parametrize(
    "path", ["/", "/partners", "/browse/items", "/map", "/glossary", "/query", "/import", "/def", "/id/unit/scd"]
)
def test_every_page_links_its_data_in_its_head(client, path):
    html = client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
    head = html.split("</head>", 1)[0]
    links = re.findall(r'<link rel="alternate" type="([^"]+)" href="([^"]+)"', head)
    assert links, path
    for media_type, href in links:
        answer = client.get(href.replace("&amp;", "&"), headers={"Accept": media_type})
        assert answer.status_code == 200 and answer.mimetype == media_type, (path, href)
