"""``/glossary``: the terms of art the pages use, in plain words, each with an anchor that pages link to.

The entries are written here once; for the roles and the measurability classes the vocabulary's
own definition (ontology/vocabularies.ttl) is quoted beside them, so the two are read together.
Templates link a term with the ``gloss`` filter: ``{{ "triples"|gloss }}``.
"""

from __future__ import annotations

from flask import Blueprint, url_for
from markupsafe import Markup, escape

from graphsvc.namespaces import GS
from graphsvc.queries import query
from graphsvc.web.http import site
from graphsvc.web.http.representation import check_suffix, respond

blueprint = Blueprint("glossary", __name__)

# (anchor, term, plain words, vocabulary concept quoted beside it)
TERMS = [
    (
        "lead",
        "Lead",
        "The post, person or unit the plan names as responsible for an item: who answers for it.",
        GS.Lead,
    ),
    (
        "supporting",
        "Supporting",
        "A unit named to help deliver an item; it contributes but does not answer for it.",
        GS.Supporting,
    ),
    (
        "partner",
        "Partner agency",
        "An organisation outside the force that an item depends on, such as the Home Office or the Probation Service.",
        GS.Partner,
    ),
    (
        "business-group",
        "Business group",
        "One of the force's top-level commands (TP, SCD, CO, ...); units sit under "
        "them, and what a unit answers for rolls up to its business group.",
        None,
    ),
    (
        "measurable",
        "Measurable outcome",
        "An item has a measurable outcome when at least one of its success measures is quantified or directional.",
        None,
    ),
    ("quantified", "Quantified", "A success measure with a number to reach, such as a 50% increase.", GS.Quantified),
    (
        "directional",
        "Directional",
        "A success measure that names what is counted and which way it should move, but no number.",
        GS.Directional,
    ),
    (
        "not-measurable",
        "Not measurable",
        "A success measure that names an output or an activity, but nothing to count against a target or a direction.",
        GS.NotMeasurable,
    ),
    (
        "conform",
        "Conform",
        "The plans pass the audit's checks with no violation. Warnings and notes do not stop them conforming.",
        None,
    ),
    (
        "finding",
        "Finding",
        "One thing the audit noticed about one element, with how serious it is: a violation "
        "(the data is wrong or incomplete), a warning (the plan is weaker than it should be) or a note.",
        None,
    ),
    (
        "shape",
        "Check (SHACL shape)",
        "One rule the audit applies, written in the W3C's SHACL language so that other tools can apply it too.",
        None,
    ),
    (
        "triples",
        "Triples",
        "The graph's smallest facts, each a subject, a relation and a value: \"item 1.3 is led "
        "by AC Specialist Crime\". Their number is a measure of the data's size.",
        None,
    ),
    (
        "sparql",
        "SPARQL",
        "The W3C's query language for graphs like this one; the query editor and the endpoint speak it.",
        None,
    ),
    (
        "iri",
        "IRI",
        "The web address that names each thing in the graph, such as "
        "https://w3id.org/graphsvc/id/unit/scd; this site shows its page at /id/unit/scd.",
        None,
    ),
    (
        "betweenness",
        "Betweenness centrality",
        "On the map: how often a node lies on the shortest paths between "
        "others. A high figure marks a unit many items depend on.",
        None,
    ),
    (
        "single-point-of-failure",
        "Single point of failure",
        "On the map: a node whose loss would cut some items off from everyone else delivering them.",
        None,
    ),
]


def gloss(term: str, text: str | None = None) -> Markup:
    """A term as a link to its glossary entry (the anchor is the term, lower-cased, spaces as dashes)."""
    anchor = term.lower().replace(" ", "-")
    return Markup('<a class="term" href="{}#{}">{}</a>').format(url_for("glossary.page"), anchor, escape(text or term))


def _entries() -> dict:
    rows = site.current().engine.query(query("glossary_concepts")).rows
    formal = {str(row["concept"]): str(row["definition"]) for row in rows}
    return {
        "terms": [
            {"id": anchor, "term": term, "meaning": meaning, "in_the_vocabulary": formal.get(str(concept))}
            for anchor, term, meaning, concept in TERMS
        ]
    }


@blueprint.route("/glossary")
@blueprint.route("/glossary.<fmt>")
def page(fmt=None):
    return respond("/glossary", check_suffix(fmt), "glossary.html", _entries, cached=True)
