"""Who depends on whom to deliver: partner agencies, and the delivery network as a networkx graph.

A partnership manager asks which items hang on an outside agency, which items would lose
all support if one unit went, and which units sit between the most work. The graph is
projected once from the attributions (queries/item_attributions.rq, unbound: every item)
into a MultiDiGraph whose nodes are typed (kind) and whose edges carry the role, so the
same network feeds the analyses here and the Gephi, yEd, Cytoscape and Graphviz exports.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import combinations

import networkx as nx
from rdflib import URIRef

from graphsvc.answers import names
from graphsvc.answers.ownership import describe, items, org_chart, short_names
from graphsvc.engine.engines import Engine, per_engine
from graphsvc.queries import query
from graphsvc.roles import ROLES

# Node kinds that count as units in the analyses: the organisation's own bodies.
UNIT_KINDS = ("unit", "business group", "organisation")
INTERNAL_KINDS = (*UNIT_KINDS, "post", "person")

# Betweenness centrality is exact up to this many nodes (the built-in plans have 62; 10k
# triples of generated data about 250). Exact costs a shortest-path search from every node,
# 10 s for the 2,122 nodes of 100k triples; above the bound networkx estimates it from a fixed
# sample of sources (Brandes and Pich), seeded so that the same data always gives the same map.
EXACT_BETWEENNESS_UP_TO = 1_000
BETWEENNESS_SOURCES = 100
BETWEENNESS_SEED = 8


@per_engine
def attributions(engine: Engine) -> list[dict]:
    """Every (item, agent, role) once, with what the plan wrote and, for partners, where."""
    seen: dict[tuple[str, str, str], dict] = {}
    for row in engine.query(query("item_attributions")).rows:
        role = ROLES.get(str(row["role"]))
        if role is None:
            continue
        key = (str(row["item"]), str(row["agent"]), role)
        seen.setdefault(
            key,
            {
                "item": key[0],
                "agent": key[1],
                "role": role,
                "as_written": str(row.get("asWritten", "")),
                "stated_in": str(row["statedIn"]) if "statedIn" in row else None,
            },
        )
    return sorted(seen.values(), key=lambda a: (a["item"], a["role"], a["agent"]))


def _agent(engine: Engine, iri: str) -> dict:
    entity = names.resolve(engine, iri)
    return {"iri": entity.iri, "label": entity.label, "kind": entity.kind, "where": describe(engine, entity)}


def _item(record: dict) -> dict:
    return {key: record[key] for key in ("iri", "ref", "name", "plan", "title", "strand_or_objective")}


def partners(engine: Engine) -> dict:
    """Each partner agency with the items that depend on it and who owns those items;
    each item's outside dependencies."""
    catalogue = items(engine)
    by_item: dict[str, list[dict]] = defaultdict(list)
    for attribution in attributions(engine):
        by_item[attribution["item"]].append(attribution)

    def owners(item_iri: str) -> list[dict]:
        return [{**_agent(engine, a["agent"]), "role": a["role"]} for a in by_item[item_iri] if a["role"] != "partner"]

    agencies: dict[str, dict] = {}
    all_items = []
    for item_iri, record in catalogue.items():
        outside = [a for a in by_item[item_iri] if a["role"] == "partner"]
        all_items.append(
            {
                **_item(record),
                "partners": [
                    {**_agent(engine, a["agent"]), "as_written": a["as_written"], "stated_in": a["stated_in"]}
                    for a in outside
                ],
            }
        )
        for a in outside:
            agency = agencies.setdefault(a["agent"], {**_agent(engine, a["agent"]), "items": []})
            agency["items"].append(
                {
                    **_item(record),
                    "as_written": a["as_written"],
                    "stated_in": a["stated_in"],
                    "owners": owners(item_iri),
                }
            )
    dependent = [item for item in all_items if item["partners"]]
    return {
        "partners": sorted(agencies.values(), key=lambda p: p["label"].casefold()),
        "items": all_items,
        "summary": {"partners": len(agencies), "items": len(all_items), "items_with_partners": len(dependent)},
    }


def _groups(engine: Engine, iri: str, kind: str) -> str:
    """The business groups an agent sits in ("CO/SCD/TP" for a jointly owned unit), walking up the chart.

    An agent in no business group belongs to the organisation itself; partners are outside it.
    """
    if kind == "partner":
        return "partner"
    chart, shorts = org_chart(engine), short_names(engine)
    groups, organisations, todo, seen = set(), set(), [iri], set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        entity = names.resolve(engine, node)
        if entity.kind in ("business group", "organisation"):
            (groups if entity.kind == "business group" else organisations).add(shorts.get(node, entity.label))
            if entity.kind == "business group":
                continue
        todo += [link.parent for link in chart.get(node, [])]
    return "/".join(sorted(groups or organisations))


def network(
    engine: Engine, plan: str | None = None, strand: str | None = None, group: str | None = None
) -> nx.MultiDiGraph:
    """The delivery network: agents -> items, one edge per role; filtered by plan, strand (or objective)
    and business group.

    A group filter keeps the items the group answers for (as `graphsvc who` rolls it up)
    together with every agent on them, so the other bodies it co-delivers with stay visible.
    """
    catalogue = items(engine)
    keep = {
        iri
        for iri, record in catalogue.items()
        if (plan is None or record["plan"] == plan)
        and (strand is None or record["strand_or_objective"]["ref"] == strand)
    }
    if group is not None:
        entity = names.resolve(engine, group)
        answer = engine.query(query("ownership"), {"target": URIRef(entity.iri)})
        keep &= {str(row["item"]) for row in answer.rows}
    net = nx.MultiDiGraph(name="graphsvc delivery network")
    for iri, record in catalogue.items():
        if iri not in keep:
            continue
        net.add_node(
            iri,
            kind="item",
            label=f"{record['name']} {record['title']}",
            iri=iri,
            group=record["plan"],
            plan=record["plan"],
            ref=record["ref"] or record["name"],
        )
    for attribution in attributions(engine):
        if attribution["item"] not in keep:
            continue
        agent = names.resolve(engine, attribution["agent"])
        if agent.iri not in net:
            net.add_node(
                agent.iri,
                kind=agent.kind,
                label=agent.label,
                iri=agent.iri,
                group=_groups(engine, agent.iri, agent.kind),
            )
        net.add_edge(agent.iri, attribution["item"], key=attribution["role"], role=attribution["role"])
    return net


def _node(net: nx.MultiDiGraph, node: str) -> dict:
    data = net.nodes[node]
    return {"iri": node, "label": data["label"], "kind": data["kind"]}


def _supporting_units(net: nx.MultiDiGraph, item: str) -> list[str]:
    return sorted(
        source
        for source, _, role in net.in_edges(item, data="role")
        if role == "supporting" and net.nodes[source]["kind"] in UNIT_KINDS
    )


def analyses(net: nx.MultiDiGraph, top: int = 10) -> dict:
    """Single points of failure, critical units, the most central units and the units that co-deliver most."""
    item_nodes = sorted(
        (n for n, kind in net.nodes(data="kind") if kind == "item"),
        key=lambda n: (net.nodes[n]["plan"], net.nodes[n]["ref"]),
    )
    single = []
    sole_supporter: dict[str, list[str]] = defaultdict(list)
    for item in item_nodes:
        units = _supporting_units(net, item)
        if len(units) == 1:
            single.append({"item": _node(net, item), "ref": net.nodes[item]["ref"], "unit": _node(net, units[0])})
            sole_supporter[units[0]].append(net.nodes[item]["ref"])
    critical = sorted(
        ({**_node(net, unit), "items": refs} for unit, refs in sole_supporter.items()),
        key=lambda u: (-len(u["items"]), u["label"]),
    )
    centrality, method = _betweenness(nx.Graph(net))
    central = sorted(
        (
            {**_node(net, n), "betweenness": round(value, 4)}
            for n, value in centrality.items()
            if net.nodes[n]["kind"] in UNIT_KINDS
        ),
        key=lambda u: (-u["betweenness"], u["label"]),
    )[:top]
    pairs: Counter = Counter()
    shared: dict[tuple[str, str], list[str]] = defaultdict(list)
    for item in item_nodes:
        units = sorted(
            {source for source, _ in net.in_edges(item) if net.nodes[source]["kind"] in UNIT_KINDS},
            key=lambda unit: net.nodes[unit]["label"],
        )
        for pair in combinations(units, 2):
            pairs[pair] += 1
            shared[pair].append(net.nodes[item]["ref"])
    co_delivery = [
        {"units": [_node(net, a), _node(net, b)], "count": count, "items": shared[(a, b)]}
        for (a, b), count in sorted(
            pairs.items(), key=lambda kv: (-kv[1], net.nodes[kv[0][0]]["label"], net.nodes[kv[0][1]]["label"])
        )[:top]
    ]
    return {
        "nodes": net.number_of_nodes(),
        "edges": net.number_of_edges(),
        "items": len(item_nodes),
        "single_points_of_failure": single,
        "unsupported_items": [net.nodes[i]["ref"] for i in item_nodes if not _supporting_units(net, i)],
        "critical_units": critical,
        "betweenness": central,
        "betweenness_method": method,
        "co_delivery": co_delivery,
    }


def _betweenness(simple: nx.Graph) -> tuple[dict, dict]:
    """Each node's betweenness, and how it was found: exactly, or estimated from sampled sources."""
    nodes = simple.number_of_nodes()
    if nodes <= EXACT_BETWEENNESS_UP_TO:
        return nx.betweenness_centrality(simple), {"method": "exact", "nodes": nodes}
    sources = min(BETWEENNESS_SOURCES, nodes)
    estimate = nx.betweenness_centrality(simple, k=sources, seed=BETWEENNESS_SEED)
    return estimate, {"method": "sampled", "nodes": nodes, "sources": sources, "seed": BETWEENNESS_SEED}
