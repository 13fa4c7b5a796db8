"""400s read like parser internals: `DESCRIBE *` said "'NoneType' object is not iterable" and `xsd:`
without a PREFIX said "expected ENCODE_FOR_URI" (or listed every token Oxigraph expected). They now
say what is wrong and where, in plain words."""

import pytest
from rdflib import Graph

from graphsvc.engine import graph
from graphsvc.web.app import create_app


@pytest.fixture(scope="module")
def engine_client(request):
    return create_app({"GRAPH": graph.default(), "ENGINE": request.param, "AUDIT": False}).test_client()


def _get(client, query):
    return client.get("/sparql", query_string={"query": query})


def test_describe_star_without_where(client):
    response = _get(client, "PREFIX gs: <https://w3id.org/graphsvc/def#>\nDESCRIBE *")
    assert response.status_code == 400
    assert response.get_data(as_text=True) == (
        "malformed query at line 2, column 1: DESCRIBE * without a WHERE clause has nothing to describe; "
        "add WHERE { ... } to say which resources, or name them: DESCRIBE <iri>\n"
    )


@pytest.mark.parametrize("engine_client", ["oxigraph", "rdflib"], indirect=True)
def test_describe_star_with_where_is_answered(engine_client):
    query = "DESCRIBE * WHERE { BIND(<https://w3id.org/graphsvc/id/unit/scd> AS ?unit) }"
    response = engine_client.get("/sparql", query_string={"query": query}, headers={"Accept": "text/turtle"})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert len(Graph().parse(data=response.data, format="turtle")) > 0


def test_an_undeclared_prefix_is_named_with_its_place_and_iri(client):
    response = _get(client, 'SELECT ?x WHERE {\n  BIND("1"^^xsd:integer AS ?x)\n}')
    assert response.status_code == 400
    assert response.get_data(as_text=True) == (
        "malformed query at line 2, column 13: the prefix xsd: is not declared; "
        "add PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> before the query\n"
    )


def test_a_prefix_word_in_a_string_or_comment_is_not_taken_for_the_use(client):
    response = _get(client, '# gs: in a comment\nSELECT ?x WHERE { BIND("gs:" AS ?y) ?x a gs:Plan }')
    assert response.get_data(as_text=True).startswith("malformed query at line 2, column 42: the prefix gs:")


def test_engine_syntax_errors_say_line_and_column(client):
    response = _get(client, "CONSTRUCT { <s> <p> <http://a b> } WHERE {}")
    assert response.status_code == 400
    assert response.get_data(as_text=True).startswith("malformed query at line 1, column ")


def test_a_person_asking_for_html_reads_the_refusal_as_a_page(client):
    query = "SELECT * WHERE { ?x a gs:Plan }"
    response = client.get("/sparql", query_string={"query": query, "format": "html"})
    assert response.status_code == 400 and response.mimetype == "text/html"
    body = response.get_data(as_text=True)
    assert "the prefix gs: is not declared" in body and "SELECT * WHERE { ?x a gs:Plan }" in body
