"""Choosing a representation: a ``format=`` parameter or file suffix first, then the Accept header.

Each offer is (format key, media types); the first media type of an offer is the one sent,
the others are aliases clients use. The first offer is the default for a missing Accept or ``*/*``.
"""

from __future__ import annotations

from werkzeug.datastructures import MIMEAccept
from werkzeug.exceptions import NotAcceptable, NotFound

Offers = list[tuple[str, tuple[str, ...]]]

RESULT_OFFERS: Offers = [
    ("json", ("application/sparql-results+json", "application/json")),
    ("xml", ("application/sparql-results+xml", "application/xml", "text/xml")),
    ("csv", ("text/csv",)),
    ("tsv", ("text/tab-separated-values",)),
    ("html", ("text/html", "application/xhtml+xml")),
]

RDF_OFFERS: Offers = [
    ("ttl", ("text/turtle", "application/x-turtle")),
    ("nt", ("application/n-triples", "text/plain")),
    ("jsonld", ("application/ld+json",)),
    ("rdf", ("application/rdf+xml",)),
    ("html", ("text/html", "application/xhtml+xml")),
]

# Pages for people: HTML first (browsers), then the same page as JSON and as RDF.
PAGE_OFFERS: Offers = [
    ("html", ("text/html", "application/xhtml+xml")),
    ("json", ("application/json",)),
    *[offer for offer in RDF_OFFERS if offer[0] != "html"],
]

FORMAT_ALIASES = {
    "turtle": "ttl",
    "n3": "ttl",
    "ntriples": "nt",
    "n-triples": "nt",
    "json-ld": "jsonld",
    "rdfxml": "rdf",
    "rdf+xml": "rdf",
    "srj": "json",
    "srx": "xml",
}
# SPARQLWrapper sends format=xml or format=json whatever the query form: for a graph, the RDF kin.
GRAPH_ALIASES = {"xml": "rdf", "json": "jsonld"}

MEDIA_TYPES = {key: types[0] for key, types in RESULT_OFFERS + RDF_OFFERS + PAGE_OFFERS}
MEDIA_TYPES["json"] = "application/sparql-results+json"  # the endpoint's JSON; pages override


def choose(offers: Offers, accept: MIMEAccept, requested: str | None = None, strict: bool = True) -> str:
    """The format key to answer with; 404 for an unknown ``format=``/suffix, 406 for an unmet Accept.

    Not ``strict``, an unmet Accept gets the default: a SPARQL client that asks for result
    formats while sending a CONSTRUCT (or the reverse) still gets a usable answer.
    """
    keys = [key for key, _ in offers]
    by_type = {media: key for key, types in offers for media in types}
    if requested:
        key = requested.lower()
        key = by_type.get(key) or FORMAT_ALIASES.get(key, key)
        if key not in keys and offers is RDF_OFFERS:
            key = GRAPH_ALIASES.get(key, key)
        if key not in keys:
            raise NotFound(f"unknown format {requested!r}: choose one of {', '.join(keys)}")
        return key
    if not accept:
        return keys[0]
    best = accept.best_match(list(by_type))
    if best is None:
        if not strict:
            return keys[0]
        wanted = ", ".join(types[0] for _, types in offers)
        raise NotAcceptable(f"none of the accepted media types is offered here: {wanted}")
    return by_type[best]
