"""Finding a unit, post or person by name (``/search``) and suggestions as you type (``/suggest``)."""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, request

from graphsvc.answers import names
from graphsvc.web.http import site
from graphsvc.web.pages.terms import local_path

blueprint = Blueprint("search", __name__)


def _candidate(entity: names.Entity) -> dict:
    return {"iri": entity.iri, "label": entity.label, "kind": entity.kind, "href": local_path(entity.iri)}


@blueprint.route("/search")
def search():
    """A name that resolves goes straight to its accountability page; otherwise the candidates."""
    text = request.args.get("q", "").strip()
    if not text:
        return render_template("search.html", text=text, problem="Type a name to search for.", candidates=[]), 400
    try:
        entity = names.resolve(site.current().engine, text)
    except names.AmbiguousName as error:
        return render_template(
            "search.html", text=text, problem=str(error), candidates=[_candidate(c) for c in error.candidates]
        ), 300
    except names.NameNotFound as error:
        return render_template(
            "search.html", text=text, problem=str(error), candidates=[_candidate(c) for c in error.candidates]
        ), 404
    return redirect(local_path(entity.iri) or "/", 303)


@blueprint.route("/suggest")
def suggest():
    text = request.args.get("q", "").strip()
    limit = min(request.args.get("limit", 10, type=int), 50)
    found = names.suggest(site.current().engine, text, limit) if text else []
    return jsonify([_candidate(entity) for entity in found])
