"""The one place the project's IRIs are defined.

Every IRI the project mints starts with BASE, so that the web front end can serve
``BASE + "id/item/2007-10/1.1"`` at the route ``/id/item/2007-10/1.1``.
"""

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, PROV, RDF, RDFS, SKOS, XSD

BASE = "https://w3id.org/graphsvc/"

GS = Namespace(BASE + "def#")
ID = Namespace(BASE + "id/")

PREFIXES = {
    "gs": GS,
    "id": ID,
    "org": ORG,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "dcat": DCAT,
    "prov": PROV,
    "foaf": FOAF,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
}
