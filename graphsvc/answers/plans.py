"""The users' three questions answered over whole plans: a plan's items with owner and verdict,
the home page's figures, and what depends on one partner agency.

A governance board reads a plan top to bottom: each strand or objective, its items in the
plan's order, who leads each and whether it can be measured. An item is measurable when at
least one of its success measures is quantified or directional (gs:measurability, the rule on
gs:Measurability); 2004-5 activities have no success measures at all, which is said as such
rather than counted as a failure.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from graphsvc.answers import dependencies, names, verdicts
from graphsvc.answers.ownership import items
from graphsvc.engine.engines import Engine, per_engine
from graphsvc.queries import query
from graphsvc.roles import ROLE_ORDER
from graphsvc.words import joined

TOP_OWNERS = 8


@per_engine
def measures_by_item(engine: Engine) -> dict[str, list[dict]]:
    """Each item's success measures with their measurability class, from one query."""
    found: dict[str, dict[str, dict]] = defaultdict(dict)
    for row in engine.query(query("measurability_by_item")).rows:
        found[str(row["item"])][str(row["measure"])] = {
            "iri": str(row["measure"]),
            "ref": str(row["ref"]) if "ref" in row else None,
            "measurability": str(row["measurabilityLabel"]) if "measurabilityLabel" in row else None,
            "measurable": verdicts.counts({"measurability": str(row.get("measurabilityLabel", ""))}),
        }
    return {item: list(measures.values()) for item, measures in found.items()}


@per_engine
def roles_by_item(engine: Engine) -> dict[str, dict[str, list[dict]]]:
    """Each item's agents by role (lead, supporting, partner), labelled, from one query."""
    by_item: dict[str, dict[str, list[dict]]] = defaultdict(lambda: {role: [] for role in ROLE_ORDER})
    for attribution in dependencies.attributions(engine):
        entity = names.resolve(engine, attribution["agent"])
        by_item[attribution["item"]][attribution["role"]].append(
            {"iri": entity.iri, "label": entity.label, "kind": entity.kind}
        )
    return dict(by_item)


def verdict(record: dict, measures: list[dict]) -> dict:
    """Whether one item is measurable, in words a board reads (graphsvc.answers.verdicts)."""
    found = verdicts.measurable_outcome(record["kind"], measures)
    measurable = None if found["answer"] is None or not measures else found["answer"] == "yes"
    return {
        "measurable": measurable,
        "text": found["short"],
        "measures": found["measures"],
        "measurable_measures": found["measurable_measures"],
    }


def _row(engine: Engine, record: dict) -> dict:
    roles = roles_by_item(engine).get(record["iri"], {role: [] for role in ROLE_ORDER})
    measures = measures_by_item(engine).get(record["iri"], [])
    return {
        "iri": record["iri"],
        "ref": record["ref"],
        "name": record["name"],
        "kind": record["kind"],
        "title": record["title"],
        "leads": roles["lead"],
        "supporting": roles["supporting"],
        "partners": roles["partner"],
        "verdict": verdict(record, measures),
    }


def plan_items(engine: Engine, plan: str) -> dict:
    """The plan's strands or objectives, each with its items in document order, owner and verdict."""
    groups: dict[str, dict] = {}
    for record in items(engine).values():
        if record["plan"] != plan:
            continue
        parent = record["strand_or_objective"]
        group = groups.setdefault(parent["iri"], {**parent, "items": []})
        group["items"].append(_row(engine, record))
    rows = [row for group in groups.values() for row in group["items"]]
    return {"groups": list(groups.values()), "summary": _coverage(rows)}


def _coverage(rows: list[dict]) -> dict:
    led = sum(bool(row["leads"]) for row in rows)
    measured = [row for row in rows if row["verdict"]["measurable"] is not None]
    unmeasurable = [row for row in measured if not row["verdict"]["measurable"]]
    without = [row for row in rows if row["verdict"]["measurable"] is None]
    parts = [f"{led} of {len(rows)} items have a lead"]
    if measured:
        parts.append(f"of the {len(measured)} with success measures, {len(unmeasurable)} have no measurable one")
    if without:
        parts.append(f"{len(without)} have no success measures at all")
    return {
        "items": len(rows),
        "with_lead": led,
        "without_lead": [_short(row) for row in rows if not row["leads"]],
        "with_measures": len(measured),
        "not_measurable": [_short(row) for row in unmeasurable],
        "without_measures": len(without),
        "text": "; ".join(parts),
    }


def _short(row: dict) -> dict:
    return {key: row[key] for key in ("iri", "ref", "name", "title")}


def overview(engine: Engine) -> dict:
    """The home page's three answers: who owns most, owner and measure coverage, outside dependencies."""
    catalogue = items(engine)
    roles = roles_by_item(engine)
    owners: dict[str, dict] = {}
    partners: dict[str, dict] = {}
    for item_iri in catalogue:
        for role in ROLE_ORDER:
            for agent in roles.get(item_iri, {}).get(role, []):
                table = partners if role == "partner" else owners
                entry = table.setdefault(agent["iri"], {**agent, "lead": 0, "supporting": 0, "items": 0})
                entry["items"] += 1
                if role != "partner":
                    entry[role] += 1
    rows = [_row(engine, record) for record in catalogue.values()]
    by_plan: dict[str, list[dict]] = defaultdict(list)
    for record, row in zip(catalogue.values(), rows, strict=True):
        by_plan[record["plan"]].append(row)
    depending = [row for row in rows if row["partners"]]
    ranked_owners = sorted(owners.values(), key=lambda o: (-o["lead"], -o["items"], o["label"]))
    ranked_partners = sorted(partners.values(), key=lambda p: (-p["items"], p["label"]))
    coverage = _coverage(rows)
    return {
        "accountable": {
            "owners": ranked_owners[:TOP_OWNERS],
            "owners_total": len(owners),
            "text": f"{len(owners)} units, posts and people own the {len(rows)} items; those who lead most:",
        },
        "coverage": {**coverage, "by_plan": {plan: _coverage(plan_rows) for plan, plan_rows in by_plan.items()}},
        "dependencies": {
            "units": sorted(
                (o for o in owners.values() if o["supporting"] and o["kind"] in dependencies.UNIT_KINDS),
                key=lambda o: (-o["supporting"], o["label"]),
            )[:TOP_OWNERS],
            "partners": ranked_partners,
            "items_with_partners": len(depending),
            "items": len(rows),
            "text": f"{len(depending)} of {len(rows)} items depend on {len(partners)} outside agencies",
        },
    }


@per_engine
def _partners(engine: Engine) -> dict:
    return dependencies.partners(engine)


def partner(engine: Engine, iri: str) -> dict:
    """What depends on one partner agency: its items, who owns each, and the other partners on them."""
    answer = _partners(engine)
    agency = next((p for p in answer["partners"] if p["iri"] == iri), None)
    if agency is None:
        label = names.resolve(engine, iri).label
        return {"items": [], "owners": [], "text": f"No item depends on {_the(label)}."}
    others_of = {item["iri"]: item["partners"] for item in answer["items"]}
    listed, led = [], Counter()
    labels = {}
    for item in agency["items"]:
        others = [
            {key: p[key] for key in ("iri", "label", "kind")} for p in others_of.get(item["iri"], []) if p["iri"] != iri
        ]
        owners = {role: [o for o in item["owners"] if o["role"] == role] for role in ("lead", "supporting")}
        for owner in owners["lead"]:
            led[owner["iri"]] += 1
            labels[owner["iri"]] = owner["label"]
        listed.append({**item, "leads": owners["lead"], "supporting": owners["supporting"], "other_partners": others})
    count = len(listed)
    who = joined(f"{labels[o]} ({n})" for o, n in sorted(led.items(), key=lambda kv: (-kv[1], labels[kv[0]])))
    text = f"{count} item{'s' * (count != 1)} depend{'s' * (count == 1)} on {_the(agency['label'])}"
    text += f", led by {who}." if who else ", none of them with a lead."
    owners = [{"iri": o, "label": labels[o], "leads": n} for o, n in led.most_common()]
    return {"items": listed, "owners": owners, "text": text}


def _the(label: str) -> str:
    """ "the Home Office", but "Drug Action Teams" and "HM Revenue and Customs" as they are."""
    return label if label.split()[0] in ("HM", "Her") or label.endswith("s") else f"the {label}"
