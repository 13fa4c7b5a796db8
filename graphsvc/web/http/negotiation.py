"""Choosing a representation: a ``format=`` parameter or file suffix first, then the Accept header.

Each offer is (format key, media types); the first media type of an offer is the one sent,
the others are aliases clients use, matched only when named exactly (so ``application/*``
never picks HTML through ``application/xhtml+xml``). The first offer is the default for a
missing Accept or ``*/*``.

The Accept header is read as RFC 9110 (section 12.5.1) says: each media type takes the
q-value of the most specific range that matches it (``text/turtle`` over ``text/*`` over
``*/*``), q=0 means "not this", and parameters other than q (``charset=utf-8``) do not stop
a match, since every answer is UTF-8. Only the first MAX_RANGES ranges are read, so a
header of thousands of types costs no more than a normal one.
"""

from __future__ import annotations

from werkzeug.exceptions import NotAcceptable, NotFound

# Browsers send about 10 ranges; 64 leave room for any real client and bound the work.
MAX_RANGES = 64

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


class UnknownFormat(NotFound):
    """A ``format=`` or suffix naming no format offered: 404 for a page's path, 400 for a parameter."""


def ranges(header: str | None) -> list[tuple[str, str, float]]:
    """The Accept header's first MAX_RANGES media ranges as (type, subtype, q), lower-cased.

    A range that cannot be read (no slash, a bad q) is skipped, as if it were not there."""
    found = []
    for item in (header or "").split(",", MAX_RANGES)[:MAX_RANGES]:
        media, *parameters = item.split(";")
        kind, slash, subkind = media.strip().lower().partition("/")
        if not slash or not kind or not subkind or (kind == "*" and subkind != "*"):
            continue
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    quality = -1.0
        if quality >= 0:
            found.append((kind, subkind, quality))
    return found


def _quality(media: str, accepted: list[tuple[str, str, float]], exact_only: bool) -> float:
    """The q-value the client gives ``media``: that of the most specific range matching it (0: none)."""
    kind, _, subkind = media.partition("/")
    best, specificity = 0.0, -1
    for range_kind, range_subkind, quality in accepted:
        if range_kind == kind and range_subkind == subkind:
            rank = 2
        elif exact_only:
            continue
        elif range_kind == kind and range_subkind == "*":
            rank = 1
        elif range_kind == "*":
            rank = 0
        else:
            continue
        if rank > specificity or (rank == specificity and quality > best):
            best, specificity = quality, rank
    return best


def best(media_types: list[str], header: str | None, default: str | None = None) -> str | None:
    """Which of ``media_types`` (in the server's order of preference) the Accept header likes most."""
    if not (header or "").strip():
        return default or media_types[0]
    accepted = ranges(header)
    if not accepted:
        return default or media_types[0]
    scored = [(_quality(media, accepted, False), -position, media) for position, media in enumerate(media_types)]
    quality, _, media = max(scored)
    return media if quality > 0 else default


def choose(offers: Offers, accept: str | None, requested: str | None = None, strict: bool = True) -> str:
    """The format key to answer with; UnknownFormat for an unknown ``format=``/suffix, 406 for an unmet Accept.

    ``accept`` is the raw Accept header. Not ``strict``, an unmet Accept gets the default: a SPARQL
    client that asks for result formats while sending a CONSTRUCT (or the reverse) still gets a
    usable answer.
    """
    keys = [key for key, _ in offers]
    by_type = {media: key for key, types in offers for media in types}
    if requested:
        key = requested.lower()
        key = by_type.get(key) or FORMAT_ALIASES.get(key, key)
        if key not in keys and offers is RDF_OFFERS:
            key = GRAPH_ALIASES.get(key, key)
        if key not in keys:
            raise UnknownFormat(f"unknown format {requested!r}: choose one of {', '.join(keys)}")
        return key
    accepted = ranges(accept)
    if not accepted:  # no Accept, or nothing readable in it
        return keys[0]
    scored = []
    for position, (key, types) in enumerate(offers):
        quality = max(_quality(media, accepted, exact_only=index > 0) for index, media in enumerate(types))
        scored.append((quality, -position, key))
    quality, _, key = max(scored)
    if quality <= 0:
        if not strict:
            return keys[0]
        wanted = ", ".join(types[0] for _, types in offers)
        raise NotAcceptable(f"none of the accepted media types is offered here: {wanted}")
    return key
