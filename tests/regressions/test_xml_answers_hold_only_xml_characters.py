"""A control character (U+0001) was written raw into SPARQL XML and RDF/XML answers, which then did
not parse. XML 1.0 cannot hold it even as a character reference: such an answer is now a 406
naming the character and the formats that can carry it, and every XML answer given parses."""

import json
from xml.etree import ElementTree

import pytest
from rdflib import Graph

SELECT = 'SELECT ?text WHERE { BIND("before\\u0001after" AS ?text) }'
CONSTRUCT = 'CONSTRUCT { <https://example.org/s> <https://example.org/p> "before\\u0001after" } WHERE {}'


@pytest.mark.parametrize(
    "query, accept",
    [(SELECT, "application/sparql-results+xml"), (CONSTRUCT, "application/rdf+xml")],
)
def test_xml_cannot_carry_a_control_character(client, query, accept):
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
    assert response.status_code == 406
    assert "U+0001, which XML cannot hold" in response.get_data(as_text=True)


def test_json_carries_it(client):
    response = client.get("/sparql", query_string={"query": SELECT})
    assert json.loads(response.data)["results"]["bindings"][0]["text"]["value"] == "before\x01after"


def test_characters_xml_holds_are_kept_and_the_answer_parses(client):
    query = 'SELECT ?text WHERE { BIND("tab\\there & <there> \\u00e9\\U0001F600" AS ?text) }'
    response = client.get(
        "/sparql", query_string={"query": query}, headers={"Accept": "application/sparql-results+xml"}
    )
    assert response.status_code == 200
    literal = ElementTree.fromstring(response.data).find(".//{http://www.w3.org/2005/sparql-results#}literal")
    assert literal.text == "tab\there & <there> \u00e9\U0001f600"


def test_a_pages_rdf_xml_parses(client):
    response = client.get("/id/unit/scd.rdf")
    assert response.status_code == 200
    assert len(Graph().parse(data=response.data, format="xml")) > 0
