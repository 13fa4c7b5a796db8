"""The graph's figures: what `graphsvc info` reports."""

from rdflib import Graph

from .queries import query

PLAN_FIGURES = ("strands", "objectives", "delivery_items", "activities", "actions", "success_measures")

FIGURE_ORDER = (
    "plans", "aims", "strands", "objectives", "delivery_items", "activities", "actions",
    "success_measures", "units", "business_groups", "posts", "people", "partner_agencies",
)


def figures(graph: Graph) -> dict:
    """Counts over the whole graph and per plan, as plain JSON-ready data."""
    totals = {str(row.figure): int(row["count"]) for row in graph.query(query("figures"))}
    plans: dict[str, dict] = {}
    for row in graph.query(query("figures_by_plan")):
        plan = plans.setdefault(
            str(row.plan),
            {"id": str(row.id), "iri": str(row.plan), "title": str(row.title),
             **dict.fromkeys(PLAN_FIGURES, 0)},
        )
        plan[str(row.figure)] = int(row["count"])
    return {
        "triples": len(graph),
        **{name: totals[name] for name in FIGURE_ORDER},
        "by_plan": list(plans.values()),
    }
