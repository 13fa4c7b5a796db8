"""How RDF terms show on pages and in the pages' JSON: the graph's own IRIs become local links."""

from __future__ import annotations

from markupsafe import Markup, escape
from rdflib import BNode, Literal, URIRef

from graphsvc import namespaces
from graphsvc.namespaces import BASE

LOCAL = BASE + "id/"


def local_path(iri: str) -> str | None:
    """The path that serves one of the graph's own IRIs (``BASE + "id/x"`` -> ``/id/x``), else None."""
    return "/" + iri[len(BASE) :] if iri.startswith(LOCAL) else None


def compact(iri: str) -> str:
    """``gs:Lead`` rather than the full IRI, where a project prefix covers it."""
    return namespaces.compact(iri) or iri


def link(term, label=None) -> Markup:
    """A term as HTML: a local link for the graph's IRIs, the compact name for others, text for literals."""
    if isinstance(term, Literal):
        return escape(str(term))
    if isinstance(term, BNode):
        return escape("(unnamed node)")
    text = str(label) if label else compact(str(term))
    path = local_path(str(term))
    if path:
        return Markup('<a href="{}">{}</a>').format(path, text)
    if isinstance(term, URIRef) and str(term).startswith(("http://", "https://")) and not label:
        return Markup('<span class="iri" title="{}">{}</span>').format(str(term), text)
    return escape(text)
