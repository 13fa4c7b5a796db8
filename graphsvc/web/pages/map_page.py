"""``/map``: the partner dependency map; ``/map.json``, and GraphML, GEXF, cyjs, DOT and SVG, with the same filters.

The page draws what ``/map.json`` answers, so any other tool gets the same view by asking the
same URL. Query parameters (all optional; see docs/map.md):

- ``plan``: ``2007-10`` or ``2004-5``;
- ``strand``: a strand's (or 2004-5 objective's) ref, e.g. ``1``; give ``plan`` too, refs repeat across plans;
- ``group``: a business group (``SCD``) or any unit, post or person name or IRI;
- ``role``: ``lead``, ``supporting``, ``partner``; repeat it (or separate with commas) for several;
- ``partners_only``: ``1`` keeps only the items that depend on a partner agency, with everyone on them
  (the page's default view; ``0`` shows every item);
- ``focus``: one node's id (``partner/home-office``): the items it is on and everyone on them;
- ``layout``: the page's drawing (``columns``, ``fcose``, ``dagre``); the data ignores it;
- ``rag``: what items are coloured by: ``computed`` (their computed RAG, the default), ``owner``
  (the RAG their owner reported) or ``none``; ``as-at``: the period the RAGs are read at
  (``2008-Q3``; default: this quarter). /map.json gives each item both RAGs.

A filter that names nothing is a 400 answer whose body says which value and what would do.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, Response, abort, jsonify, render_template, request, url_for

from graphsvc.map import data as map_data
from graphsvc.map import export as map_export
from graphsvc.web.http import site
from graphsvc.web.pages.terms import local_path

blueprint = Blueprint("map_page", __name__)

TRUE = ("1", "true", "yes", "on")


def filters_from(args, partners_only: bool = False) -> map_data.Filters:
    """The map's filters from a request's query string (empty values mean "any").

    partners_only is the default when the parameter is absent: the page opens on the partner
    view, while /map.json and the exports keep answering the whole network by default.
    """
    roles = tuple(role.strip() for value in args.getlist("role") for role in value.split(",") if role.strip())
    return map_data.Filters(
        plan=args.get("plan") or None,
        strand=args.get("strand") or None,
        group=args.get("group") or None,
        roles=roles or map_data.ROLES,
        partners_only=args.get("partners_only", "1" if partners_only else "").lower() in TRUE,
        focus=args.get("focus"),
    )


def _rags(engine, view: map_data.MapView) -> dict:
    """What the view's items are coloured by, as the query string asks (a MapFilterError if it cannot)."""
    return map_data.rags(engine, view, request.args.get("rag") or "computed", request.args.get("as-at") or None)


def _view() -> map_data.MapView:
    try:
        return map_data.build(site.current().engine, filters_from(request.args))
    except map_data.MapFilterError as error:
        abort(Response(str(error) + "\n", status=400, mimetype="text/plain"))


LAYOUTS = {
    "columns": "Columns: owner → item → partner",
    "fcose": "Force-directed (fcose)",
    "dagre": "Layered (dagre)",
}


@blueprint.route("/map")
def page():
    """The canvas, and the same view as a list (shown below 600 px and to anyone without JavaScript)."""
    engine = site.current().engine
    filters = filters_from(request.args, partners_only=True)
    error, rag = None, None
    try:
        view = map_data.build(engine, filters)
        rag = _rags(engine, view)
    except map_data.MapFilterError as problem:
        error, view = str(problem), None
    layout = request.args.get("layout") if request.args.get("layout") in LAYOUTS else "columns"
    unfocused = [(k, v) for k, v in request.args.items(multi=True) if k != "focus"]
    return render_template(
        "map.html",
        filters=filters,
        options=map_data.options(engine),
        layouts=LAYOUTS,
        layout=layout,
        view=view,
        rag=rag,
        rag_choices=map_data.RAG_CHOICES,
        rag_style=map_data.STYLE["rags"],
        error=error,
        outline=map_data.outline(view, local_path) if view else [],
        focus_href=lambda node_id: _with(unfocused, focus=node_id),
        whole_href=_with(unfocused),
    ), (400 if error else 200)


def _with(params: list[tuple[str, str]], **extra: str) -> str:
    """/map with these query parameters (and extra ones): the links of the list keep the view's filters."""
    query = urlencode(params + list(extra.items()), safe="/")
    return url_for("map_page.page") + ("?" + query if query else "")


@blueprint.route("/map.json")
def data():
    engine = site.current().engine
    try:
        view = map_data.build(engine, filters_from(request.args))
        rag = _rags(engine, view)
    except map_data.MapFilterError as error:
        return jsonify(error=str(error)), 400
    return jsonify(map_data.cytoscape(engine, view, local_path, rag))


@blueprint.route(f"/map.<any({', '.join(map_export.FORMATS)}):fmt>")
def export(fmt: str):
    """The filtered view for Gephi, yEd, Cytoscape or Graphviz, or drawn by Graphviz on the server:
    the bytes `graphsvc map --format <fmt>` writes, with the analyses as node attributes."""
    view = _view()
    try:
        body = map_export.export(site.current().engine, view, fmt)
    except map_export.GraphvizMissing as error:
        abort(503, description=str(error))  # not 501: that one caches, and installing Graphviz fixes it
    kind = map_export.FORMATS[fmt]
    headers = {"Content-Disposition": f'attachment; filename="dependency-map.{fmt}"'} if kind.download else {}
    return Response(body, mimetype=kind.media_type, headers=headers)
