"""``/id/...``: the graph's own IRIs dereference here, as a page for browsers and RDF for RDF clients.

``BASE + "id/item/2007-10/1.1"`` is served at ``/id/item/2007-10/1.1``; a suffix
(``.json``, ``.ttl``, ``.jsonld``, ``.nt``, ``.rdf``) asks for one representation directly.
A unit's, post's or person's page is also its accountability answer: ``?plan=``, ``?role=`` and ``?as-at=``
filter it, and ``.csv`` and ``.xlsx`` download it as a table.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_to_bytes, urlencode

from flask import Blueprint, abort, request

from graphsvc.answers import progress
from graphsvc.answers.accountability import BadFilter, check_filters
from graphsvc.namespaces import ID
from graphsvc.spreadsheet import accountability as table
from graphsvc.web.http import site
from graphsvc.web.http.representation import Download, respond, split_suffix
from graphsvc.web.http.site import AuditState
from graphsvc.web.pages import page_data
from graphsvc.web.pages.terms import local_path

blueprint = Blueprint("linked_data", __name__)

# The pages that read progress "as at" a period (?as-at=2008-Q3): an element's own, a plan's, and
# an owner's accountability answer.
AS_AT_KINDS = (*page_data.PROGRESS_KINDS, "plan", *page_data.ACCOUNTABLE)

# What an IRI cannot hold (RFC 3987): controls, space and <>"{}|\^` ; our own IRIs never do.
_NOT_IN_AN_IRI = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f-\x9f]')


def _impossible(rest: str) -> str | None:
    """Why ``/id/<rest>`` cannot name an IRI of the graph (None: it can): answered 404 before any query."""
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI") or ""
    try:  # werkzeug replaces bytes that are not UTF-8 with U+FFFD: the raw path says what was sent
        unquote_to_bytes(raw.split("?", 1)[0]).decode("utf-8")
    except UnicodeError:
        return "the address is not UTF-8 once percent-decoded"
    if "\ufffd" in rest:  # a replaced byte, when the server gives no raw path
        return "the address is not UTF-8 once percent-decoded"
    found = _NOT_IN_AN_IRI.search(rest)
    if found:
        return f"the graph's addresses never contain {found.group()!r} (U+{ord(found.group()):04X})"
    return None


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
    impossible = _impossible(rest)
    if impossible:
        abort(404, description=f"no such page: {impossible}")
    served = site.current()
    engine = served.engine
    stem, suffix, iri, kind = served.pages.remember(
        ("resolve", rest), lambda: _resolve(engine, rest), lambda found: 200 + len(rest) + len(found[2])
    )  # bytes, about
    if kind is None:
        abort(404, description=f"the graph says nothing about {iri}")
    audit = served.audit
    as_at = request.args.get("as-at") if kind in AS_AT_KINDS else None
    if as_at:
        try:
            as_at = progress.as_period(as_at).name
        except progress.ProgressError as error:
            abort(400, description=f"as-at: {error}")
    if kind not in page_data.ACCOUNTABLE:
        return respond(
            f"/id/{stem}",
            suffix,
            "page.html",
            lambda: page_data.build(engine, iri, kind, audit, as_at=as_at),
            lambda: page_data.describe(engine, iri),
            # an item's verdict names its findings: not kept while the audit is still running
            cached=audit.report is not None or audit.why_none != AuditState.running().why_none,
            query=urlencode({"as-at": as_at}) if as_at else "",
        )
    try:
        plan, role = check_filters(engine, request.args.get("plan"), request.args.get("role"))
    except BadFilter as error:
        abort(400, description=str(error))

    def page() -> dict:
        return page_data.build(engine, iri, kind, audit, plan=plan, role=role, as_at=as_at)

    def link(target: str) -> str:
        return site.public_url() + local_path(target).lstrip("/")

    name = stem.rsplit("/", 1)[-1] + "-accountability" + "".join(f"-{f}" for f in (plan, role, as_at) if f)
    downloads = {
        "csv": Download(
            "text/csv; charset=utf-8", name, lambda: table.csv_text(page()["accountability"], link).encode("utf-8-sig")
        ),
        "xlsx": Download(table.XLSX_TYPE, name, lambda: table.xlsx_bytes(page()["accountability"], link)),
    }
    return respond(
        f"/id/{stem}",
        suffix,
        "page.html",
        page,
        lambda: page_data.describe(engine, iri),
        cached=True,
        query=urlencode({k: v for k, v in (("plan", plan), ("role", role), ("as-at", as_at)) if v}),
        downloads=downloads,
        variant=(audit.report is not None,),
    )
