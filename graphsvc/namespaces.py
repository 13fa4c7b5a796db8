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


def compact(iri: str) -> str | None:
    """``prefix:local`` with the longest project prefix that covers the IRI (a local part is needed),
    or None: the one way every face shortens an IRI."""
    text = str(iri)
    covering = [(len(str(ns)), prefix) for prefix, ns in PREFIXES.items() if text.startswith(str(ns))]
    covering = [(length, prefix) for length, prefix in covering if len(text) > length]
    if not covering:
        return None
    length, prefix = max(covering)
    return f"{prefix}:{text[length:]}"
