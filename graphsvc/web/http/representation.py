"""One page, several representations: HTML for people, JSON for programs, RDF for RDF clients.

Chosen by a file suffix (``/id/item/2007-10/1.1.ttl``), by ``?format=``, or by the Accept
header on the plain URL; the HTML names its alternates so that each is one click away. A page
with a table (the accountability answer) also offers it as a download: CSV and XLSX.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from flask import Response, abort, render_template, request
from rdflib import Graph

from graphsvc.spreadsheet.accountability import XLSX_TYPE
from graphsvc.web.http import negotiation, site
from graphsvc.web.sparql import results as sparql_results

SUFFIXES = ("json", "ttl", "jsonld", "nt", "rdf", "html", "csv", "xlsx")
PAGE_MEDIA_TYPES = {key: types[0] for key, types in negotiation.PAGE_OFFERS}
ALTERNATE_LABELS = {
    "json": "JSON",
    "ttl": "Turtle",
    "jsonld": "JSON-LD",
    "nt": "N-Triples",
    "rdf": "RDF/XML",
    "csv": "CSV",
    "xlsx": "Spreadsheet (XLSX)",
}


@dataclass(frozen=True)
class Download:
    """A page's table as a file: its media type, the file's name and how to build its bytes."""

    media_type: str
    filename: str
    build: Callable[[], bytes]


def media_type(href: str) -> str:
    """The media type of an alternate's link (``/id/x.ttl?plan=1`` -> ``text/turtle``), for
    ``<link rel="alternate" type=...>``: the suffix says which representation it is."""
    _, suffix = split_suffix(href.split("?", 1)[0].rsplit("/", 1)[-1])
    if suffix in PAGE_MEDIA_TYPES:
        return PAGE_MEDIA_TYPES[suffix]
    return {"csv": "text/csv", "xlsx": XLSX_TYPE}.get(suffix or "", "application/octet-stream")


def split_suffix(path: str) -> tuple[str, str | None]:
    """``item/2007-10/1.1.ttl`` -> (``item/2007-10/1.1``, ``ttl``); no known suffix -> (path, None)."""
    stem, dot, suffix = path.rpartition(".")
    if dot and suffix in SUFFIXES:
        return stem, suffix
    return path, None


def check_suffix(fmt: str | None) -> str | None:
    """A route's ``.<fmt>`` part, 404 unless it is one of SUFFIXES."""
    if fmt is not None and fmt not in SUFFIXES:
        abort(404, description=f"unknown format {fmt!r}: choose one of {', '.join(SUFFIXES)}")
    return fmt


def respond(
    base_path: str,
    suffix: str | None,
    template: str,
    data: Callable[[], dict],
    graph: Callable[[], Graph] | None = None,
    cached: bool = False,
    query: str = "",
    downloads: dict[str, Download] | None = None,
    variant: tuple = (),
) -> Response:
    """The page at ``base_path`` in the representation asked for; ``data()`` feeds the HTML and the JSON.

    ``cached``: the page depends on the served data alone, so it is built once per representation
    (site.Site.pages) and every later request is answered from there. ``query``: the page's own
    (checked) query string, e.g. its filters, kept on every alternate; ``variant``: anything else
    the page depends on, for the cache key. ``downloads``: its table as files ("csv", "xlsx").
    """
    downloads = downloads or {}
    offers = negotiation.PAGE_OFFERS if graph else negotiation.PAGE_OFFERS[:2]
    offers = offers + [(k, (d.media_type.split(";")[0],)) for k, d in downloads.items()]
    key = negotiation.choose(offers, request.headers.get("Accept"), suffix or request.args.get("format"))
    tail = f"?{query}" if query else ""
    headers = {"Vary": "Accept", "Link": f'<{base_path}{tail}>; rel="canonical"'}
    if key in downloads:
        headers["Content-Disposition"] = f'attachment; filename="{downloads[key].filename}.{key}"'

    def build() -> tuple[str | bytes, str]:
        if key == "html":
            alternates = [(ALTERNATE_LABELS[k], f"{base_path}.{k}{tail}") for k, _ in offers if k != "html"]
            return render_template(template, page=data(), alternates=alternates), "text/html"
        if key == "json":
            return json.dumps(data(), ensure_ascii=False, indent=1), "application/json"
        if key in downloads:
            return downloads[key].build(), downloads[key].media_type
        return sparql_results.rdf(graph(), key), PAGE_MEDIA_TYPES[key]

    try:
        if cached:
            body, mimetype = site.current().pages.remember(
                ("page", base_path, query, variant, key),
                build,
                lambda built: len(built[0]),
                previous_ok=True,
            )
        else:
            body, mimetype = build()
    except sparql_results.NotXml as error:
        abort(406, description=str(error))
    if "charset=" in mimetype:  # given whole: as a mimetype, Flask would add a second charset
        return Response(body, content_type=mimetype, headers=headers)
    return Response(body, mimetype=mimetype, headers=headers)
