"""The graph's figures: what `graphsvc info` reports."""

from rdflib import Graph

from graphsvc.engine.engines import Engine, RdflibEngine
from graphsvc.queries import query

PLAN_FIGURES = ("strands", "objectives", "delivery_items", "activities", "actions", "success_measures")

FIGURE_ORDER = (
    "plans",
    "aims",
    "strands",
    "objectives",
    "delivery_items",
    "activities",
    "actions",
    "success_measures",
    "units",
    "business_groups",
    "posts",
    "people",
    "partner_agencies",
)


def figures(source: Graph | Engine) -> dict:
    """Counts over the whole graph and per plan, as plain JSON-ready data.

    The source is a graph or any engine, so that a server on a persisted store or a remote
    endpoint counts there instead of parsing the data into rdflib.
    """
    engine = RdflibEngine(source) if isinstance(source, Graph) else source
    totals = {str(row["figure"]): int(row["count"]) for row in engine.query(query("figures")).rows}
    plans: dict[str, dict] = {}
    for row in engine.query(query("figures_by_plan")).rows:
        plan = plans.setdefault(
            str(row["plan"]),
            {
                "id": str(row["id"]),
                "iri": str(row["plan"]),
                "title": str(row["title"]),
                **dict.fromkeys(PLAN_FIGURES, 0),
            },
        )
        plan[str(row["figure"])] = int(row["count"])
    return {
        "triples": engine.triple_count(),
        **{name: totals[name] for name in FIGURE_ORDER},
        "by_plan": list(plans.values()),
    }
