"""A valid sub-SELECT inside FILTER EXISTS was refused with 400 ("SubSelect is refused"): rdflib keeps
such a sub-query in its parse form, whose names were not on the check's allow-list."""

import json

import pytest

from graphsvc.engine import graph
from graphsvc.web.app import create_app

PREFIXES = (
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX prov: <http://www.w3.org/ns/prov#>\n"
    "PREFIX gs: <https://w3id.org/graphsvc/def#>\n"
)
# The items that have at least one attribution, by a sub-SELECT in EXISTS and by a plain pattern.
WITH_SUB_SELECT = PREFIXES + (
    "SELECT ?item WHERE { ?item skos:notation ?ref "
    "FILTER EXISTS { SELECT ?item WHERE { ?item prov:qualifiedAttribution ?a } } }"
)
PLAIN = PREFIXES + "SELECT DISTINCT ?item WHERE { ?item skos:notation ?ref ; prov:qualifiedAttribution ?a }"


def _items(client, query) -> set[str]:
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 200, response.get_data(as_text=True)
    return {row["item"]["value"] for row in json.loads(response.data)["results"]["bindings"]}


@pytest.fixture(scope="module", params=["oxigraph", "rdflib"])
def client(request):
    return create_app({"GRAPH": graph.default(), "ENGINE": request.param, "AUDIT": False}).test_client()


def test_a_sub_select_in_exists_answers_as_the_plain_pattern(client):
    plain = _items(client, PLAIN)
    assert len(plain) > 10  # the attributed items of the built-in plans
    assert _items(client, WITH_SUB_SELECT) == plain


def test_service_inside_such_a_sub_select_is_still_refused(client):
    query = PREFIXES + (
        "SELECT ?item WHERE { ?item skos:notation ?ref FILTER NOT EXISTS { SELECT ?item WHERE "
        "{ SERVICE <http://example.org/sparql> { ?item ?p ?o } } } }"
    )
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 400 and "SERVICE is refused" in response.get_data(as_text=True)
