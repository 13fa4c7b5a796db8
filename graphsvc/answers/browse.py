"""Browsing without SPARQL: every item (and activity) or every success measure as a table, with
facets and their counts, filtered by any of them (datasette's facets are the model).

A facet is a column whose values people pick from: plan, strand or objective, lead, partner,
measurability, indicator, data source, target date. A row may hold several values of a facet (two
leads, three data sources); it matches a filter on that facet when any of them does, and counts
once under each. The tables are read once per engine, from the queries the answers already use.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from graphsvc.answers import plans, verdicts
from graphsvc.answers.ownership import items
from graphsvc.engine.engines import Engine, per_engine
from graphsvc.queries import query
from graphsvc.refs import natural_key

# Per table: its facets in the order they are shown (column name -> words for it).
FACETS = {
    "items": {
        "plan": "plan",
        "strand_or_objective": "strand or objective",
        "kind": "kind",
        "lead": "lead",
        "supporting": "supporting",
        "partner": "partner agency",
        "measurable": "measurable outcome",
        "measures": "number of success measures",
        "target_date": "target date",
    },
    "measures": {
        "plan": "plan",
        "item": "item",
        "measurability": "measurability",
        "indicator": "indicator",
        "data_source": "data source",
        "footnote": "footnote",
    },
}


class UnknownFacet(ValueError):
    """A filter on a column that is not a facet of the table: the message names the facets there are."""


@per_engine
def item_rows(engine: Engine) -> list[dict]:
    dates = {str(row["item"]): str(row["targetDate"]) for row in engine.query(query("browse_target_dates")).rows}
    rows = []
    for record in items(engine).values():
        roles = plans.roles_by_item(engine).get(record["iri"], {})
        measures = plans.measures_by_item(engine).get(record["iri"], [])
        outcome = verdicts.measurable_outcome(record["kind"], measures)
        parent = record["strand_or_objective"]
        rows.append(
            {
                "iri": record["iri"],
                "name": record["name"],
                "title": record["title"],
                "plan": [record["plan"]],
                "strand_or_objective": [f"{parent['kind']} {parent['ref']}"],
                "kind": [record["kind"]],
                "lead": sorted(agent["label"] for agent in roles.get("lead", [])),
                "supporting": sorted(agent["label"] for agent in roles.get("supporting", [])),
                "partner": sorted(agent["label"] for agent in roles.get("partner", [])),
                "measurable": [outcome["answer"] or verdicts.NO_MEASURES],
                "measures": [str(len(measures))],
                "target_date": [dates[record["iri"]]] if record["iri"] in dates else [],
            }
        )
    return rows


@per_engine
def measure_rows(engine: Engine) -> list[dict]:
    catalogue = items(engine)
    found: dict[str, dict] = {}
    for row in engine.query(query("browse_measures")).rows:
        item = catalogue.get(str(row["item"]))
        if item is None:
            continue
        measure = found.setdefault(
            str(row["measure"]),
            {
                "iri": str(row["measure"]),
                "name": str(row["ref"]) if "ref" in row else str(row["measure"]).rsplit("/", 1)[-1],
                "title": str(row["title"]),
                "plan": [item["plan"]],
                "item": [item["name"]],
                **{key: [] for key in ("measurability", "indicator", "data_source", "footnote")},
            },
        )
        for key, column in (
            ("measurability", "measurability"),
            ("indicator", "indicator"),
            ("data_source", "dataSource"),
            ("footnote", "footnote"),
        ):
            if column in row and str(row[column]) not in measure[key]:
                measure[key].append(str(row[column]))
    for measure in found.values():  # the rows come in no order: each store lists several values its own way
        for key in ("measurability", "indicator", "data_source", "footnote"):
            measure[key].sort()
    return sorted(found.values(), key=lambda m: (m["plan"], natural_key(m["name"])))


def browse(engine: Engine, table: str, filters: dict[str, list[str]] | None = None) -> dict:
    """The rows of ``table`` ("items" or "measures") that match every filter (facet -> accepted
    values), and each facet's values counted over those rows."""
    if table not in FACETS:
        raise UnknownFacet(f"no table {table!r}: choose items or measures")
    facets = FACETS[table]
    filters = {key: values for key, values in (filters or {}).items() if values}
    unknown = [key for key in filters if key not in facets]
    if unknown:
        raise UnknownFacet(f"{', '.join(unknown)} is not a facet of {table}: choose from {', '.join(facets)}")
    everything = item_rows(engine) if table == "items" else measure_rows(engine)
    chosen = [row for row in everything if all(set(row[key]) & set(values) for key, values in filters.items())]
    counts: dict[str, Counter] = defaultdict(Counter)
    for row in chosen:
        for key in facets:
            counts[key].update(set(row[key]))
    return {
        "table": table,
        "filters": filters,
        "count": len(chosen),
        "of": len(everything),
        "facets": [
            {
                "facet": key,
                "label": label,
                "values": [{"value": value, "count": n} for value, n in sorted(counts[key].items(), key=_by_count)],
            }
            for key, label in facets.items()
        ],
        "rows": chosen,
    }


def _by_count(pair) -> tuple:
    value, count = pair
    return (-count, natural_key(value))
