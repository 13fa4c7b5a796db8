"""What a page about one of the graph's nodes shows, as JSON-ready data built from named queries.

Every page has the same parts (fields, parts, responsibility, sources, referenced by);
its kind decides the heading and what comes first: an accountability answer for units,
posts and people, the measurability verdict for measures, the figures for plans.
"""

from __future__ import annotations

import json
from collections import OrderedDict

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, RDF, RDFS, SKOS

from graphsvc.answers import accountability, names, plans, progress, progress_view
from graphsvc.answers.figures import PLAN_FIGURES
from graphsvc.engine.engines import Engine, gather
from graphsvc.namespaces import GS
from graphsvc.queries import query
from graphsvc.web.pages import item_verdict
from graphsvc.web.pages.quotes import quote
from graphsvc.web.pages.terms import compact, local_path

# The first class a node has in this list names its page kind.
KINDS = [
    (GS.SuccessMeasure, "measure"),
    (GS.DeliveryItem, "item"),
    (GS.Activity, "activity"),
    (GS.Strand, "strand"),
    (GS.Objective, "objective"),
    (GS.Plan, "plan"),
    (GS.PartnerAgency, "partner"),
    (ORG.Post, "post"),
    (FOAF.Person, "person"),
    (GS.BusinessGroup, "business group"),
    (ORG.OrganizationalUnit, "unit"),
    (ORG.FormalOrganization, "organisation"),
]
ACCOUNTABLE = {"post", "person", "business group", "unit", "organisation"}
TITLE_PROPERTIES = (SKOS.prefLabel, DCTERMS.title, RDFS.label, RDF.value)


def value(term, label=None) -> dict:
    """A term as page data: an IRI with its label and local link, a literal with its text."""
    if isinstance(term, URIRef):
        return {"iri": str(term), "label": str(label) if label else compact(str(term)), "href": local_path(str(term))}
    if isinstance(term, Literal):
        data = {"text": str(term)}
        if term.language:
            data["lang"] = term.language
        elif term.datatype:
            data["datatype"] = compact(str(term.datatype))
        return data
    return {"blank": True}


def _label(row: dict, name: str):
    """The label a query found, else a footnote's marker as "footnote a"."""
    if name in row:
        return row[name]
    return f"footnote {row['marker']}" if "marker" in row else None


def kind_of(engine: Engine, iri: str) -> str | None:
    """The page kind of ``iri``: one of KINDS, "resource" for other known nodes, None when unknown."""
    subject = URIRef(iri)
    types = {row["type"] for row in engine.query(query("page_kinds"), {"s": subject}).rows}
    for cls, kind in KINDS:
        if cls in types:
            return kind
    if types or engine.query(query("page_fields"), {"s": subject}).rows:
        return "resource"
    return None


def _fields(engine: Engine, subject: URIRef) -> list[dict]:
    fields: OrderedDict = OrderedDict()
    for row in engine.query(query("page_fields"), {"s": subject}).rows:
        key = (row["p"], row["o"])
        field = fields.setdefault(
            key, {"property": value(row["p"]), "value": value(row["o"], _label(row, "oLabel")), "details": []}
        )
        if isinstance(row["o"], BNode) and "p2" in row:
            field["details"].append({"property": value(row["p2"]), "value": value(row["o2"], row.get("o2Label"))})
    # Blank nodes sort by their store-made ids, which differ from store to store: under one property
    # they are ordered by what they say instead, so every store shows one page.
    return sorted(
        fields.values(),
        key=lambda f: (f["property"]["iri"], "blank" not in f["value"], json.dumps(f["details"], sort_keys=True)),
    )


def _parts(engine: Engine, subject: URIRef) -> list[dict]:
    parts: dict[str, dict] = {}  # one row per lead, in order
    for row in engine.query(query("page_parts"), {"s": subject}).rows:
        part = parts.setdefault(
            str(row["part"]),
            {
                "part": value(row["part"], _label(row, "label")),
                "kind": str(row["kind"]),
                "ref": str(row["ref"]) if "ref" in row else None,
                "measurability": value(row["measurability"], row.get("measurabilityLabel"))
                if "measurability" in row
                else None,
                "leads": [],
            },
        )
        if "leadLabel" in row:
            part["leads"].append(str(row["leadLabel"]))
    return list(parts.values())


def _responsibility(engine: Engine, subject: URIRef) -> list[dict]:
    return [
        {
            "agent": value(row["agent"], row.get("agentLabel")),
            "role": value(row["role"], row.get("roleLabel")),
            "as_written": str(row["asWritten"]) if "asWritten" in row else None,
            "line": int(row["line"]) if "line" in row else None,
        }
        for row in engine.query(query("page_attributions"), {"s": subject}).rows
    ]


def _sources(engine: Engine, subject: URIRef) -> list[dict]:
    return [
        {
            "document": value(row["document"], row.get("title")),
            "file": str(row["identifier"]),
            "line": int(row["line"]),
            "text": quote(str(row["identifier"]), int(row["line"])),
        }
        for row in engine.query(query("page_sources"), {"s": subject}).rows
    ]


def _referenced_by(engine: Engine, subject: URIRef) -> list[dict]:
    return [
        {
            "by": value(row["x"], _label(row, "xLabel")),
            "ref": str(row["xRef"]) if "xRef" in row else None,
            "property": value(row["p"]),
            "role": value(row["role"]) if "role" in row else None,
        }
        for row in engine.query(query("page_referenced_by"), {"s": subject}).rows
    ]


def _title(iri: str, fields: list[dict]) -> tuple[str, str | None]:
    """The page's heading and the node's ref (skos:notation), from its own fields."""
    by_property = {}
    for field in fields:
        by_property.setdefault(field["property"]["iri"], field["value"].get("text"))
    ref = by_property.get(str(SKOS.notation))
    for prop in TITLE_PROPERTIES:
        if by_property.get(str(prop)):
            return by_property[str(prop)], ref
    return compact(iri), ref


def _verdict(fields: list[dict]) -> dict | None:
    found = {f["property"]["iri"]: f["value"] for f in fields}
    if str(GS.measurability) not in found:
        return None
    reason = found.get(str(GS.measurabilityReason), {}).get("text")
    return {"measurability": found[str(GS.measurability)], "reason": reason}


# The pages that show where their element stands: the kinds a report is made on.
PROGRESS_KINDS = ("item", "activity", "measure")


def build(engine: Engine, iri: str, kind: str, audit=None, plan=None, role=None, as_at=None) -> dict:
    """The page about ``iri`` (of page kind ``kind``, from kind_of) as JSON-ready data. ``audit`` is the
    served site.AuditState: an item's verdict names its open findings, and a unit's, post's or
    person's accountability answer (filtered by ``plan`` and ``role``) the findings on each item.
    """
    report = audit.report if audit is not None else None
    findings, audit_note = (report.results if report else None), (audit.why_none if audit is not None else None)
    subject = URIRef(iri)
    sections = [_fields, _parts, _responsibility, _sources, _referenced_by]
    calls = [lambda section=section: section(engine, subject) for section in sections]
    if kind in ACCOUNTABLE:  # its queries run beside the sections': a remote store answers them at once.
        # First: its three rounds of queries are the page's longest wait, and the first call of a
        # gather starts at once, on this thread (the others as threads take them).
        calls.insert(
            0,
            lambda: accountability.answer(
                engine,
                iri,
                plan=plan,
                role=role,
                findings=findings,
                audit_note=audit_note,
                with_progress=True,
                as_at=as_at,
            ),
        )
    *answer, fields, parts, responsibility, sources, referenced_by = gather(engine, *calls)
    title, ref = _title(iri, fields)
    page = {
        "iri": iri,
        "kind": kind,
        "title": title,
        "ref": ref,
        "verdict": _verdict(fields),
        "fields": fields,
        "parts": parts,
        "responsibility": responsibility,
        "sources": sources,
        "referenced_by": referenced_by,
    }
    if kind in ("item", "activity"):
        page["verdict"] = item_verdict.verdict(engine, iri, audit)
    if kind in PROGRESS_KINDS:  # as at ``as_at`` (a period's name), else the current quarter
        page["progress"] = _named_reporters(engine, progress.state(engine, iri, as_at))
        latest = page["progress"]["latest"]
        if latest and kind in ("item", "activity"):  # the verdict's progress is the printed plan's
            page["verdict"]["reported"] = f"latest report: {latest['status']} for {latest['period_label']}"
    if answer:
        page["accountability"] = answer[0]
    if kind == "plan":
        counts = {
            str(row["figure"]): int(row["count"])
            for row in engine.query(query("figures_by_plan"), {"plan": subject}).rows
        }
        page["figures"] = {name.replace("_", " "): counts.get(name, 0) for name in PLAN_FIGURES}
        page["plan_items"] = plans.plan_items(engine, ref or iri.rsplit("/", 1)[-1])
        _plan_progress(engine, page["plan_items"], as_at)
    if kind == "partner":
        page["dependents"] = plans.partner(engine, iri)
    return page


def _plan_progress(engine: Engine, found: dict, as_at) -> None:
    """A plan's items each with its progress as at a period, and the plan's counts on top."""
    at = progress.as_period(as_at)
    rows = [row for group in found["groups"] for row in group["items"]]
    states = progress_view.for_items(engine, (row["iri"] for row in rows), at)
    for row in rows:
        row["progress"] = states.get(row["iri"])
    counts = found["progress_counts"] = progress_view.tally(states.values(), at)
    known = progress.elements(engine)
    span = next((known[row["iri"]].span for row in rows if row["iri"] in known), None)
    counts["outside_span"] = bool(span and not span.overlaps(at))
    if counts["outside_span"]:  # nothing can be reported for it: say so before the counts
        counts["text"] = f"{at.label} is outside the plan's reporting span ({span.label}). {counts['text']}"


def _named_reporters(engine: Engine, state: dict) -> dict:
    """The state with each report's reporter named as the organisation graph names them."""
    for report in [state["latest"], *state["history"]]:
        if report and report.get("by"):
            try:
                report["by_label"] = names.resolve(engine, report["by"]).label
            except names.NameNotFound:
                report["by_label"] = report["by"].rsplit("/", 1)[-1]
    return state


def describe(engine: Engine, iri: str):
    """The RDF about ``iri`` that its page shows (rdflib Graph): with, for an element progress is
    reported on, the reports on it (they live in named graphs, which web_describe.rq does not read)."""
    bound = {"s": URIRef(iri)}
    graph = engine.query(query("web_describe"), bound).graph
    for triple in engine.query(query("reports_describe"), bound).graph:
        graph.add(triple)
    return graph
