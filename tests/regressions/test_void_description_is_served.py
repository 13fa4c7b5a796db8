"""There was no VoID description. /.well-known/void now describes the served data: its size,
SPARQL endpoint, data dump and vocabularies."""

from rdflib import RDF, Graph
from rdflib.namespace import VOID

from graphsvc.web.app import create_app


def test_void_names_the_endpoint_and_the_dump():
    client = create_app({"AUDIT": False}).test_client()
    answer = client.get("/.well-known/void")
    assert answer.status_code == 200 and answer.mimetype == "text/turtle"
    g = Graph().parse(data=answer.data, format="turtle")
    dataset = next(g.subjects(RDF.type, VOID.Dataset))
    assert (
        client.get(str(g.value(dataset, VOID.sparqlEndpoint)).removeprefix("http://127.0.0.1:8080")).status_code == 200
    )
    assert int(g.value(dataset, VOID.triples)) == len(Graph().parse(data=client.get("/data.nt").data, format="nt"))
