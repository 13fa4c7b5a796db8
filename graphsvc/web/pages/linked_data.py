"""``/id/...``: the graph's own IRIs dereference here, as a page for browsers and RDF for RDF clients.

``BASE + "id/item/2007-10/1.1"`` is served at ``/id/item/2007-10/1.1``; a suffix
(``.json``, ``.ttl``, ``.jsonld``, ``.nt``, ``.rdf``) asks for one representation directly.
"""

from __future__ import annotations

from flask import Blueprint, abort

from graphsvc.namespaces import ID
from graphsvc.web.http import site
from graphsvc.web.http.representation import respond, split_suffix
from graphsvc.web.http.site import AuditState
from graphsvc.web.pages import page_data

blueprint = Blueprint("linked_data", __name__)


def _resolve(engine, rest: str) -> tuple[str, str | None, str, str | None]:
    """The path's stem, suffix, IRI and page kind (None: the graph says nothing about it)."""
    stem, suffix = split_suffix(rest)
    iri = str(ID) + stem
    kind = page_data.kind_of(engine, iri)
    if kind is None and suffix:  # an IRI that itself ends like a suffix
        stem, suffix, iri = rest, None, str(ID) + rest
        kind = page_data.kind_of(engine, iri)
    return stem, suffix, iri, kind


@blueprint.route("/id/<path:rest>")
def resource(rest: str):
    served = site.current()
    engine = served.engine
    stem, suffix, iri, kind = served.pages.remember(
        ("resolve", rest), lambda: _resolve(engine, rest), lambda found: 200 + len(rest) + len(found[2])
    )  # bytes, about
    if kind is None:
        abort(404, description=f"the graph says nothing about {iri}")
    audit = served.audit
    return respond(
        f"/id/{stem}",
        suffix,
        "page.html",
        lambda: page_data.build(engine, iri, kind, audit),
        lambda: page_data.describe(engine, iri),
        # an item's verdict names its findings: not kept while the audit is still running
        cached=audit.report is not None or audit.why_none != AuditState.running().why_none,
    )
