"""``/map``: the partner dependency map, and ``/map.json`` (plus GraphML, GEXF and SVG) with the same filters.

The page draws what ``/map.json`` answers, so any other tool gets the same view by asking the
same URL. Query parameters (all optional; see docs/map.md):

- ``plan``: ``2007-10`` or ``2004-5``;
- ``strand``: a strand's (or 2004-5 objective's) ref, e.g. ``1``; give ``plan`` too, refs repeat across plans;
- ``group``: a business group (``SCD``) or any unit, post or person name or IRI;
- ``role``: ``lead``, ``supporting``, ``partner``; repeat it (or separate with commas) for several;
- ``partners_only``: ``1`` keeps only the items that depend on a partner agency, with everyone on them.

A filter that names nothing is a 400 answer whose body says which value and what would do.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify, render_template, request

from .. import map_data
from ..commands.map import serialise
from ..map_svg import render
from . import site
from .terms import local_path

blueprint = Blueprint("map_page", __name__)

TRUE = ("1", "true", "yes", "on")
EXPORTS = {"graphml": "application/graphml+xml", "gexf": "application/gexf+xml"}


def filters_from(args) -> map_data.Filters:
    """The map's filters from a request's query string (empty values mean "any")."""
    roles = tuple(role.strip() for value in args.getlist("role") for role in value.split(",") if role.strip())
    return map_data.Filters(
        plan=args.get("plan") or None,
        strand=args.get("strand") or None,
        group=args.get("group") or None,
        roles=roles or map_data.ROLES,
        partners_only=args.get("partners_only", "").lower() in TRUE,
    )


def _view() -> map_data.MapView:
    try:
        return map_data.build(site.current().engine, filters_from(request.args))
    except map_data.MapFilterError as error:
        abort(Response(str(error) + "\n", status=400, mimetype="text/plain"))


@blueprint.route("/map")
def page():
    return render_template("map.html")


@blueprint.route("/map.json")
def data():
    try:
        view = map_data.build(site.current().engine, filters_from(request.args))
    except map_data.MapFilterError as error:
        return jsonify(error=str(error)), 400
    return jsonify(map_data.cytoscape(site.current().engine, view, local_path))


@blueprint.route("/map.<any(graphml, gexf):fmt>")
def export(fmt: str):
    """The filtered network for Gephi (GEXF) and yEd (GraphML), with the analyses as node attributes."""
    return Response(
        serialise(_view().network, fmt),
        mimetype=EXPORTS[fmt],
        headers={"Content-Disposition": f'attachment; filename="dependency-map.{fmt}"'},
    )


@blueprint.route("/map.svg")
def svg():
    """The filtered view drawn by Graphviz on the server: the picture `graphsvc map --format svg` writes."""
    view = _view()
    return Response(render(site.current().engine, view), mimetype="image/svg+xml")
