"""The ontology's IRI (/def) and its terms answered 404. /def now serves the documentation to a
browser and the ontology to an RDF client, and a term's slash form sees other to its entry."""

from rdflib import OWL, RDF, Graph, URIRef

from graphsvc.web.app import create_app


def test_def_and_its_terms_dereference():
    client = create_app({"AUDIT": False}).test_client()
    page = client.get("/def", headers={"Accept": "text/html"})
    assert page.status_code == 200 and 'id="DeliveryItem"' in page.get_data(as_text=True)
    turtle = client.get("/def", headers={"Accept": "text/turtle"})
    ontology = URIRef("https://w3id.org/graphsvc/def")
    assert (ontology, RDF.type, OWL.Ontology) in Graph().parse(data=turtle.data, format="turtle")
    term = client.get("/def/DeliveryItem")
    assert term.status_code == 303 and term.headers["Location"].endswith("/def#DeliveryItem")
