"""``/search``: anything by name, ref or text, and ``/suggest``: the same index as you type.

The answers are graphsvc.answers.search's; this module only picks the representation.
A name that is exactly one unit, post or person's goes straight to its page (in HTML);
everything else lists ranked results with a highlighted snippet each.
"""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, redirect, render_template, request

from graphsvc.answers import names
from graphsvc.answers import search as finder
from graphsvc.web.http import negotiation, site
from graphsvc.web.pages.terms import local_path

blueprint = Blueprint("search", __name__)

# Seconds a request waits for the index on its first use: the built-in plans index in
# milliseconds; a national store's takes seconds, and names answer meanwhile.
WAIT_FOR_INDEX = 2.0
LIMIT = 20


def _candidate(entity: names.Entity) -> dict:
    return {"iri": entity.iri, "label": entity.label, "kind": entity.kind, "href": local_path(entity.iri)}


def _wants_json(fmt: str | None) -> bool:
    if fmt is not None:
        if fmt not in ("json", "html"):
            abort(404, description=f"unknown format {fmt!r}: choose json or html")
        return fmt == "json"
    if request.args.get("format") in ("json", "html"):
        return request.args["format"] == "json"
    return negotiation.best(["text/html", "application/json"], request.headers.get("Accept")) == "application/json"


@blueprint.route("/search")
@blueprint.route("/search.<fmt>")
def search(fmt=None):
    """Ranked results for ``q``; in HTML, an exact name of one entity redirects to its page."""
    as_json = _wants_json(fmt)
    text = request.args.get("q", "").strip()[:200]
    limit = max(1, min(request.args.get("limit", LIMIT, type=int) or LIMIT, 100))
    engine = site.current().engine
    candidates, problem, status = [], None, 200
    if not text:
        problem, status, answer = "Type a word, a name or a ref such as 1.3 to search for.", 400, None
    else:
        if not as_json:
            entity = names.exact(engine, text)
            if entity is not None:
                return redirect(site.public(local_path(entity.iri) or "/"), 303)
        try:
            answer = finder.search(engine, text, limit, wait=WAIT_FOR_INDEX)
        except finder.SearchError as error:
            problem, status, answer = f"Nothing to search for in “{text}”: {error}.", 400, None
        try:
            names.resolve(engine, text)
        except names.AmbiguousName as error:
            candidates, problem, status = [_candidate(c) for c in error.candidates], str(error), 300
        except names.NameNotFound as error:
            candidates = [_candidate(c) for c in error.candidates]
            if answer is not None and not answer.hits:
                problem, status = f"Nothing matches “{text}”: {error}.", 404
    data = {**(answer.as_dict() if answer else {"q": text, "results": []}), "problem": problem}
    data["names"] = candidates
    if as_json:
        return jsonify(data), 400 if status == 400 else 200
    return render_template("search.html", text=text, page=data, problem=problem, candidates=candidates), status


@blueprint.route("/suggest")
def suggest():
    """As you type: the best few results of the same index, the last word read as unfinished."""
    text = request.args.get("q", "").strip()[:200]
    limit = max(1, min(request.args.get("limit", 8, type=int) or 8, 50))
    if not text:
        return jsonify([])
    try:
        answer = finder.search(site.current().engine, text, limit, typing=True, wait=WAIT_FOR_INDEX)
    except finder.SearchError:
        return jsonify([])
    return jsonify([{**hit.as_dict(), "label": hit.title} for hit in answer.hits])
