"""The dependency map's data: the delivery network of graphsvc.answers.dependencies, filtered and dressed for drawing.

A partnership manager reads the map at a tasking meeting, so what it shows must be the same
network the analyses run on: this module only narrows that network (role, partners only),
marks the analyses on it (single points of failure, critical units, betweenness) and lays it
out as Cytoscape.js elements. The web page, the /map.json endpoint, the GraphML/GEXF exports
and the server-side SVG all come from `build`, so every picture of a filter shows the same nodes.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass

import networkx as nx

from graphsvc.answers import dependencies, names, progress
from graphsvc.answers.ownership import items, short_names
from graphsvc.engine.engines import Engine, per_engine
from graphsvc.namespaces import GS
from graphsvc.queries import query
from graphsvc.refs import natural_key
from graphsvc.roles import ROLE_ORDER

ROLES = ROLE_ORDER

# How each kind of node and each role of edge looks, on the page (map.js reads it from the JSON),
# in its legend, and in the DOT, SVG and GEXF exports (graphsvc.map.export): one table, so they agree.
STYLE = {
    "kinds": {
        "business group": {
            "label": "Business group",
            "shape": "round-rectangle",
            "colour": "#eef1f6",
            "border": "#8a94a6",
        },
        "organisation": {
            "label": "The force (MPS)",
            "shape": "round-rectangle",
            "colour": "#39414f",
            "border": "#1d2330",
        },
        "unit": {"label": "Unit", "shape": "round-rectangle", "colour": "#2f6fb3", "border": "#1d4a7a"},
        "post": {"label": "Post", "shape": "hexagon", "colour": "#7b4fb0", "border": "#4f2f78"},
        "person": {"label": "Person", "shape": "ellipse", "colour": "#1f9a8a", "border": "#136358"},
        "partner": {"label": "Partner agency", "shape": "diamond", "colour": "#e08a1e", "border": "#9a5a0c"},
        "item": {"label": "Delivery item / activity", "shape": "rectangle", "colour": "#5c6470", "border": "#353b44"},
    },
    "roles": {
        "lead": {"label": "Lead", "colour": "#1d2330", "width": 3, "style": "solid"},
        "supporting": {"label": "Supporting", "colour": "#2f6fb3", "width": 2, "style": "dashed"},
        "partner": {"label": "Partner", "colour": "#e08a1e", "width": 2, "style": "dotted"},
    },
    "flag": "#d0261b",
}

# The RAGs items can be coloured by, each a tint with a darker border; the word is drawn too (a colour
# never says it alone). Keyed by the ratings' IRIs, worded as graphsvc.answers.progress words them.
_RAG_COLOURS = {GS.Red: ("#d64541", "#8a1c12"), GS.Amber: ("#f0b323", "#8a6100"), GS.Green: ("#3f9b4a", "#1d5b1f")}
STYLE["rags"] = {  # "order": JSON objects come with their keys sorted, and a legend reads red to green
    word: {"label": word, "colour": _RAG_COLOURS[iri][0], "border": _RAG_COLOURS[iri][1], "order": order}
    for order, (word, iri) in enumerate(progress.RAGS.items())
}
# What items can be coloured by (the map's ``rag`` parameter): the computed RAG is the default.
RAG_CHOICES = {"computed": "computed RAG", "owner": "owner's RAG", "none": "kind only"}

# Node sizes in pixels: units grow with betweenness from SMALLEST to LARGEST; other kinds keep one size.
SMALLEST, LARGEST = 22, 70
KIND_SIZE = {"item": 26, "partner": 34, "post": 28, "person": 24, "organisation": 34}


class MapFilterError(ValueError):
    """A filter the map cannot apply; str() says which value and what would be accepted."""


@dataclass(frozen=True)
class Filters:
    plan: str | None = None
    strand: str | None = None  # a strand's (2007-10) or objective's (2004-5) ref
    group: str | None = None  # any name graphsvc.answers.names resolves; the page offers business groups
    roles: tuple[str, ...] = ROLES
    partners_only: bool = False  # only items that depend on a partner agency, with everyone on them
    # One node's neighbourhood within the other filters: the items it is on, and everyone on them.
    # A local id (``partner/home-office``), a /id/ path or an IRI; kept out of as_dict, whose keys
    # callers compare, and answered as /map.json's own "focus" key.
    focus: str | None = None

    def as_dict(self) -> dict:
        return {
            "plan": self.plan,
            "strand": self.strand,
            "group": self.group,
            "role": list(self.roles),
            "partners_only": self.partners_only,
        }


@dataclass
class MapView:
    filters: Filters
    network: nx.MultiDiGraph  # the filtered network, nodes marked with the analyses
    analyses: dict  # graphsvc.answers.dependencies.analyses of the plan/strand/group scope
    focus: dict | None = None  # the focused node: id (its local id), iri, label, kind


LOCAL_ID = "https://w3id.org/graphsvc/id/"


def local_id(iri: str) -> str:
    """``partner/home-office`` for the graph's own IRIs: short enough to read in a shared link."""
    return iri[len(LOCAL_ID) :] if iri.startswith(LOCAL_ID) else iri


def focus_iri(focus: str) -> str:
    """The IRI a focus value names: a local id, a /id/ path or the IRI itself."""
    text = focus.strip().strip("<>")
    if text.startswith(("http://", "https://")):
        return text
    return LOCAL_ID + text.removeprefix("/").removeprefix("id/")


def neighbourhood(net: nx.MultiDiGraph, iri: str) -> set[str]:
    """The items a node is on (or the item itself) and every owner and partner of those items.

    What a partnership manager asks of one agency or unit: what depends on it, and who else is on that.
    """
    items = {iri} if net.nodes[iri]["kind"] == "item" else set(net.successors(iri)) | set(net.predecessors(iri))
    return {iri} | items | {other for item in items for other in nx.all_neighbors(net, item)}


@per_engine
def business_groups(engine: Engine) -> list[dict]:
    shorts = short_names(engine)
    return [
        {"id": shorts.get(str(row["group"]), str(row["group"])), "iri": str(row["group"]), "label": str(row["label"])}
        for row in engine.query(query("map_business_groups")).rows
    ]


def options(engine: Engine) -> dict:
    """What each filter accepts: the plans, their strands and objectives, the business groups and the roles."""
    plans: dict[str, str] = {}
    strands: dict[tuple[str, str], dict] = {}
    for record in items(engine).values():
        plans[record["plan"]] = record["plan_title"]
        parent = record["strand_or_objective"]
        strands[(record["plan"], parent["ref"])] = {
            "id": parent["ref"],
            "plan": record["plan"],
            "kind": parent["kind"],
            "label": f"{parent['kind'].capitalize()} {parent['ref']}: {parent['title']}",
        }
    newest_first = sorted(plans, reverse=True)
    return {
        "plans": [{"id": plan, "label": f"{plan} {plans[plan]}"} for plan in newest_first],
        "strands": [
            strands[key] for key in sorted(strands, key=lambda k: (newest_first.index(k[0]), natural_key(k[1])))
        ],
        "groups": [{"id": g["id"], "label": f"{g['id']} {g['label']}"} for g in business_groups(engine)],
        "roles": list(ROLES),
    }


def check(engine: Engine, filters: Filters) -> None:
    """Refuse a filter that names nothing, saying what it could have been."""
    accepted = options(engine)
    plans = [p["id"] for p in accepted["plans"]]
    if filters.plan is not None and filters.plan not in plans:
        raise MapFilterError(f"unknown plan {filters.plan!r}: choose one of {', '.join(plans)}")
    if filters.strand is not None:
        refs = sorted({s["id"] for s in accepted["strands"] if filters.plan in (None, s["plan"])}, key=natural_key)
        if filters.strand not in refs:
            raise MapFilterError(
                f"unknown strand or objective {filters.strand!r}"
                f"{' in plan ' + filters.plan if filters.plan else ''}: choose one of {', '.join(refs)}"
            )
    if filters.focus is not None and not filters.focus.strip():
        raise MapFilterError("focus is empty: give a node's id, e.g. partner/home-office")
    unknown = [role for role in filters.roles if role not in ROLES]
    if unknown or not filters.roles:
        raise MapFilterError(
            f"unknown role {', '.join(map(repr, unknown)) or '(none)'}: choose from {', '.join(ROLES)}"
        )
    if filters.group is not None:
        try:
            names.resolve(engine, filters.group)
        except (names.NameNotFound, names.AmbiguousName) as error:
            raise MapFilterError(f"group: {error}") from error


def _narrowed(net: nx.MultiDiGraph, filters: Filters) -> nx.MultiDiGraph:
    """The network with only the chosen roles' edges and, for partners only, the items that have a partner.

    Nodes left without an edge go, so a role filter shows who holds that role and on what.
    """
    keep_items = {
        node
        for node, kind in net.nodes(data="kind")
        if kind == "item"
        and (not filters.partners_only or any(role == "partner" for _, _, role in net.in_edges(node, data="role")))
    }
    edges = [
        (source, target, key)
        for source, target, key, role in net.edges(keys=True, data="role")
        if role in filters.roles and target in keep_items
    ]
    view = net.edge_subgraph(edges).copy()
    if set(filters.roles) == set(ROLES) and not filters.partners_only:
        view.add_nodes_from((node, net.nodes[node]) for node in keep_items)
    return view


_scopes: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _scope(engine: Engine, filters: Filters) -> tuple[nx.MultiDiGraph, dict]:
    """The network of a plan/strand/group scope and its analyses, kept for the engine's lifetime.

    At national scale betweenness takes seconds; toggling a role or partners-only, or the wall
    screen reloading, should not pay for it again. The data behind an engine does not change.
    """
    group = names.resolve(engine, filters.group).iri if filters.group else None
    scopes = _scopes.setdefault(engine, {})
    key = (filters.plan, filters.strand, group)
    if key not in scopes:
        net = dependencies.network(engine, plan=filters.plan, strand=filters.strand, group=group)
        scopes[key] = (net, dependencies.analyses(net, top=net.number_of_nodes()))
    return scopes[key]


def build(engine: Engine, filters: Filters) -> MapView:
    """The filtered network with the analyses marked on its nodes (attributes GraphML and GEXF can carry)."""
    check(engine, filters)
    net, found = _scope(engine, filters)
    view = _narrowed(net, filters)
    focus = None
    if filters.focus is not None:
        iri = focus_iri(filters.focus)
        if iri not in view:
            where = (
                "this view"
                if iri in net
                else "this plan, strand or group"
                if filters.plan or filters.strand or filters.group
                else "the map"
            )
            raise MapFilterError(
                f"focus {filters.focus!r} is not a node in {where}: give a node's id as in /map.json, "
                "e.g. partner/home-office or item/2007-10/6.1"
            )
        view = view.subgraph(neighbourhood(view, iri)).copy()
        data = view.nodes[iri]
        focus = {"id": local_id(iri), "iri": iri, "label": data["label"], "kind": data["kind"]}
    for entry in found["betweenness"]:
        if entry["iri"] in view:
            view.nodes[entry["iri"]]["betweenness"] = entry["betweenness"]
    for entry in found["single_points_of_failure"]:
        if entry["item"]["iri"] in view:
            view.nodes[entry["item"]["iri"]]["single_point_of_failure"] = f"only {entry['unit']['label']} supports it"
    for entry in found["critical_units"]:
        if entry["iri"] in view:
            view.nodes[entry["iri"]]["critical"] = f"sole supporting unit of {', '.join(entry['items'])}"
    return MapView(filters, view, found, focus)


def _size(data: dict, most: float) -> int:
    if "betweenness" in data:
        return round(SMALLEST + (LARGEST - SMALLEST) * (data["betweenness"] / most if most else 0))
    return KIND_SIZE.get(data["kind"], SMALLEST)


def exposure(view: MapView, link: Callable[[str], str | None]) -> list[dict]:
    """Items in view that depend on an outside agency, and who owns them (lead and supporting), by agency."""
    net = view.network
    rows = []
    for partner in sorted(
        (n for n, kind in net.nodes(data="kind") if kind == "partner"), key=lambda n: net.nodes[n]["label"].casefold()
    ):
        dependants = sorted(
            {item for _, item in net.out_edges(partner)},
            key=lambda n: (net.nodes[n]["plan"], natural_key(net.nodes[n]["ref"]), net.nodes[n]["ref"]),
        )
        rows.append(
            {
                "partner": {"iri": partner, "label": net.nodes[partner]["label"], "href": link(partner)},
                "items": [
                    {
                        "iri": item,
                        "ref": net.nodes[item]["ref"],
                        "label": net.nodes[item]["label"],
                        "href": link(item),
                        "owners": [
                            {"iri": agent, "label": net.nodes[agent]["label"], "role": role, "href": link(agent)}
                            for agent, _, role in sorted(
                                net.in_edges(item, data="role"),
                                key=lambda e: (ROLES.index(e[2]), net.nodes[e[0]]["label"]),
                            )
                            if role != "partner"
                        ],
                    }
                    for item in dependants
                ],
            }
        )
    return rows


def _owners(net: nx.MultiDiGraph, item: str, link: Callable[[str], str | None]) -> list[dict]:
    return [
        {
            "id": local_id(agent),
            "iri": agent,
            "label": net.nodes[agent]["label"],
            "role": role,
            "group": net.nodes[agent].get("group"),
            "href": link(agent),
        }
        for agent, _, role in sorted(
            net.in_edges(item, data="role"), key=lambda e: (ROLES.index(e[2]), net.nodes[e[0]]["label"].casefold())
        )
        if role != "partner"
    ]


def outline(view: MapView, link: Callable[[str], str | None]) -> list[dict]:
    """The view as a list a phone or a screen reader can read: partners > items > owners.

    Items in view that depend on no partner agency come last, under a partner of None, so the
    list holds every item the canvas draws.
    """
    net = view.network

    def item_entry(item: str) -> dict:
        data = net.nodes[item]
        return {
            "id": local_id(item),
            "iri": item,
            "ref": data["ref"],
            "label": data["label"],
            "href": link(item),
            "owners": _owners(net, item, link),
        }

    def order(item: str):
        return (net.nodes[item]["plan"], natural_key(net.nodes[item]["ref"]), net.nodes[item]["ref"])

    rows, placed = [], set()
    focused = view.focus["iri"] if view.focus else None
    partners = sorted(
        (n for n, kind in net.nodes(data="kind") if kind == "partner"),
        key=lambda n: (n != focused, net.nodes[n]["label"].casefold()),
    )
    for partner in partners:
        dependants = sorted({item for _, item in net.out_edges(partner)}, key=order)
        placed.update(dependants)
        rows.append(
            {
                "partner": {
                    "id": local_id(partner),
                    "iri": partner,
                    "label": net.nodes[partner]["label"],
                    "href": link(partner),
                },
                "items": [item_entry(item) for item in dependants],
            }
        )
    rest = sorted((n for n, kind in net.nodes(data="kind") if kind == "item" and n not in placed), key=order)
    if rest:
        rows.append({"partner": None, "items": [item_entry(item) for item in rest]})
    return rows


def rags(engine: Engine, view: MapView, by: str = "computed", as_at=None) -> dict:
    """Each item's RAG in view as at a period (local id -> owner's, computed and the one shown),
    with the counts of the one shown: what the map colours items by. ``by``: a RAG_CHOICES key."""
    if by not in RAG_CHOICES:
        raise MapFilterError(f"no colouring {by[:40]!r}: rag is one of {', '.join(RAG_CHOICES)}")
    try:
        at = progress.as_period(as_at)
    except progress.ProgressError as error:
        raise MapFilterError(f"as-at: {error}") from error
    items = [n for n, kind in view.network.nodes(data="kind") if kind == "item"]
    states = progress.for_elements(engine, items, at) if by != "none" else {}
    # Until something in view is reported on, the map keeps its usual colours: on plans nobody
    # reports on, every item past its date would be red, and that says nothing a board can act on.
    reported = any(state["latest"] for state in states.values())
    found = {}
    for iri in items:
        state = states.get(iri) or {}
        owner, computed = state.get("owner_rag"), state.get("computed_rag")
        found[local_id(iri)] = {
            "owner_rag": owner,
            "computed_rag": computed,
            "rag": {"computed": computed, "owner": owner}.get(by) if reported else None,
        }
    counts = {word: sum(entry["rag"] == word for entry in found.values()) for word in progress.RAGS}
    counts["none"] = sum(entry["rag"] is None for entry in found.values())
    return {
        "by": by,
        "label": RAG_CHOICES[by],
        "as_at": at.name,
        "as_at_label": at.label,
        "reported": reported,
        "counts": counts,
        "items": found,
    }


def cytoscape(
    engine: Engine, view: MapView, link: Callable[[str], str | None] = lambda iri: None, rag: dict | None = None
) -> dict:
    """The map JSON: Cytoscape.js elements, business groups as compound nodes, and the analyses of the view.

    Edges run owner -> item -> partner agency, so a layered layout reads left to right.
    A jointly owned unit (CO/SCD/TP) sits outside the group boxes: a node has one parent.
    ``rag``: what ``rags`` found; each item then carries its RAGs and the answer says how it was coloured.
    """
    net = view.network
    groups = {g["id"]: g for g in business_groups(engine)}
    most = max((data.get("betweenness", 0) for _, data in net.nodes(data=True)), default=0)
    nodes, parents = [], {}
    for node, data in sorted(net.nodes(data=True), key=lambda pair: (pair[1]["kind"], pair[1]["label"].casefold())):
        owners = [] if data["kind"] in ("item", "partner") else data["group"].split("/")
        entry = {
            "id": node,
            "iri": data["iri"],
            "label": data["label"],
            "kind": data["kind"],
            "href": link(node),
            "groups": [groups[g]["label"] for g in owners if g in groups],
            "size": _size(data, most),
        }
        if data["kind"] not in ("item", "partner", "business group"):
            entry["group"] = data["group"]  # the short owner (SCD, CO/SCD/TP), for labels drawn without boxes
        if data["kind"] == "item":  # the ref on the drawing, the whole text in the side panel
            entry.update(plan=data["plan"], ref=data["ref"], caption=data["ref"])
            rated = rag["items"].get(local_id(node)) if rag else None
            if rated:
                entry.update(rated)
                if rated["rag"]:  # the word beside the colour, on the drawing too
                    entry["caption"] = f"{data['ref']} · {rated['rag']}"
        for flag in ("betweenness", "single_point_of_failure", "critical"):
            if flag in data:
                entry[flag] = data[flag]
        if len(owners) == 1 and owners[0] in groups and groups[owners[0]]["iri"] != node:
            entry["parent"] = parents.setdefault(owners[0], groups[owners[0]]["iri"])
        elif len(owners) > 1:
            entry["label"] = f"{data['label']} ({data['group']})"
        nodes.append(entry)
    shown = {entry["id"] for entry in nodes}
    nodes += [
        {
            "id": iri,
            "iri": iri,
            "label": groups[short]["label"],
            "kind": "business group",
            "href": link(iri),
            "groups": [],
            "size": SMALLEST,
        }
        for short, iri in sorted(parents.items())
        if iri not in shown
    ]
    for entry in nodes:
        if entry["kind"] == "business group":
            entry["label"] += f" ({next(short for short, g in groups.items() if g['iri'] == entry['id'])})"
        entry.setdefault("caption", entry["label"])
    nodes.sort(key=lambda entry: entry["kind"] != "business group")  # parents before their children
    edges = []
    for source, target, role in sorted(net.edges(data="role")):
        if role == "partner":
            source, target = target, source
        edges.append({"id": f"{source} {role} {target}", "source": source, "target": target, "role": role})
    return {
        "title": _title(view.filters, view.focus),
        "filters": view.filters.as_dict(),
        "focus": view.focus,
        "options": options(engine),
        "style": STYLE,
        "counts": {
            "nodes": len(nodes),
            "edges": len(edges),
            "items": sum(1 for entry in nodes if entry["kind"] == "item"),
        },
        "elements": {
            "nodes": [{"data": entry, "classes": _classes(entry)} for entry in nodes],
            "edges": [{"data": edge} for edge in edges],
        },
        "analyses": {
            "single_points_of_failure": view.analyses["single_points_of_failure"],
            "critical_units": view.analyses["critical_units"],
            "unsupported_items": view.analyses["unsupported_items"],
            "betweenness": view.analyses["betweenness"][:10],
            "betweenness_method": view.analyses["betweenness_method"],
            "co_delivery": view.analyses["co_delivery"],
            "partner_exposure": exposure(view, link),
        },
        **({"rag": {key: value for key, value in rag.items() if key != "items"}} if rag else {}),
    }


def _classes(entry: dict) -> str:
    return " ".join(
        name for name, flag in (("spof", "single_point_of_failure"), ("critical", "critical")) if flag in entry
    )


def _title(filters: Filters, focus: dict | None = None) -> str:
    parts = [f"plan {filters.plan}" if filters.plan else "both plans"]
    if filters.strand:
        parts.append(f"strand/objective {filters.strand}")
    if filters.group:
        parts.append(f"group {filters.group}")
    if set(filters.roles) != set(ROLES):
        parts.append(f"{'/'.join(filters.roles)} links")
    if filters.partners_only:
        parts.append("items with partners only")
    if focus:
        parts.append(f"focus on {focus['label']}")
    return "Dependency map: " + ", ".join(parts)
