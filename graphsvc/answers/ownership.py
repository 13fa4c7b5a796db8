"""Who answers for what: an entity's items, rolled up through the organisation, and one item in full.

The roll-up is the query's (queries/ownership.rq): a business group answers for its units,
the posts in them and the people in those; a jointly owned unit answers for each of its
owners. This module only says *how* each answer holds (the "via"), in the plan's own short
names, and shapes the JSON the command line and the web front end share.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from operator import itemgetter

from rdflib import URIRef

from graphsvc import resources
from graphsvc.answers import names
from graphsvc.engine.engines import Engine, per_engine
from graphsvc.namespaces import GS
from graphsvc.queries import query
from graphsvc.refs import natural_key
from graphsvc.roles import ROLE_ORDER, ROLES
from graphsvc.words import joined

_ORG = "http://www.w3.org/ns/org#"


class ItemNotFound(LookupError):
    """No item or activity has that ref (in that plan); str() says what there is instead."""


@dataclass(frozen=True)
class Link:
    """One edge of the organisation chart, seen from the child."""

    relation: str  # subOrganizationOf, postIn, memberOf or holds
    parent: str
    label: str
    short: str  # the abbreviation the plan uses for the parent, else its label


@per_engine
def short_names(engine: Engine) -> dict[str, str]:
    """The plan's abbreviation for each entity that has one ("SCD" for the Specialist Crime Directorate)."""
    return {str(row["entity"]): str(row["short"]) for row in engine.query(query("short_names")).rows}


@per_engine
def org_chart(engine: Engine) -> dict[str, list[Link]]:
    """Each unit, post and person's links upwards, in a stable order."""
    rows = engine.query(query("org_chart")).rows  # before the short names: on a remote store, both at once
    shorts = short_names(engine)
    chart: dict[str, list[Link]] = defaultdict(list)
    for row in rows:
        parent, label = str(row["parent"]), str(row["parentLabel"])
        chart[str(row["child"])].append(
            Link(str(row["relation"]).removeprefix(_ORG), parent, label, shorts.get(parent, label))
        )
    return {child: sorted(set(links), key=lambda link: (link.relation, link.short)) for child, links in chart.items()}


def _records(rows) -> dict[str, dict]:
    """Item records by IRI from rows of queries/items.rq.

    2004-5 activities have no ref; they are named by the objective and row their IRI
    carries (".../activity/2004-5/1-3" is objective 1, row 3), as the plan file documents.
    """
    records = {}
    for row in rows:
        iri = str(row["item"])
        ref = str(row["ref"]) if "ref" in row else None
        activity = str(row["type"]) == str(GS.Activity)
        parent_kind = "objective" if str(row["parentType"]) == str(GS.Objective) else "strand"
        records[iri] = {
            "iri": iri,
            "ref": ref,
            "name": ref or f"activity {iri.rsplit('/', 1)[-1]}",
            "kind": "activity" if activity else "delivery item",
            "plan": str(row["planRef"]),
            "plan_title": str(row["planTitle"]),
            "title": str(row["title"]),
            "strand_or_objective": {
                "kind": parent_kind,
                "ref": str(row["parentRef"]),
                "title": str(row["parentTitle"]),
                "iri": str(row["parent"]),
            },
        }
    return records


def _plan_order(record: dict) -> tuple:
    return record["plan"], natural_key(record["ref"] or record["iri"].rsplit("/", 1)[-1])


@per_engine
def items(engine: Engine) -> dict[str, dict]:
    """Every delivery item and activity by IRI, with its plan and strand or objective, in plan order."""
    ordered = sorted(_records(engine.query(query("items")).rows).values(), key=_plan_order)
    return {record["iri"]: record for record in ordered}


# Items asked for in one query: a VALUES block of this many rows stays a few tens of kB of text.
ITEMS_PER_QUERY = 200


@per_engine
def _looked_up(engine: Engine) -> dict[str, tuple[tuple, dict] | None]:
    """Item records fetched one at a time, by IRI, with their plan-order key (None: not an item or
    activity of a plan)."""
    return {}


def items_named(engine: Engine, iris) -> list[dict]:
    """The records of those items and activities, in plan order.

    The whole catalogue takes seconds to read at national scale (12,000 items); a server's
    first answer must not wait for it, so an answer looks up only its own items (a force answers
    for 280) and keeps them, and their sort keys, for the engine's lifetime. The ones not yet
    known are asked for together, ITEMS_PER_QUERY to a query: one round trip, not one per item,
    which a remote store answers in tens of milliseconds each (SCD's 22 items took 0.5 s on Virtuoso).
    """
    known = _looked_up(engine)
    missing = list(dict.fromkeys(iri for iri in iris if iri not in known))
    for start in range(0, len(missing), ITEMS_PER_QUERY):
        asked = missing[start : start + ITEMS_PER_QUERY]
        rows = engine.query(query("items"), [{"item": URIRef(iri)} for iri in asked]).rows
        records = _records(rows)
        for iri in asked:
            record = records.get(iri)
            known[iri] = None if record is None else (_plan_order(record), record)
    found = [known[iri] for iri in iris if known[iri] is not None]
    found.sort(key=itemgetter(0))
    return [record for _, record in found]


def jointly_owned(chart: dict[str, list[Link]], iri: str) -> list[Link]:
    """The owners of a unit that sits under more than one unit (empty for any other)."""
    owners = [link for link in chart.get(iri, []) if link.relation == "subOrganizationOf"]
    return owners if len(owners) > 1 else []


def describe(engine: Engine, agent: names.Entity) -> str:
    """An agent with where it sits, as the plan would write it: "Drugs Directorate (SCD)"."""
    links = org_chart(engine).get(agent.iri, [])
    if agent.kind == "post":
        return f"{agent.label} (post in {'/'.join(link.short for link in links)})"
    if agent.kind == "person":
        return f"{agent.label} ({', '.join(link.label if link.relation == 'holds' else link.short for link in links)})"
    owners = [link.short for link in links if link.relation == "subOrganizationOf"]
    if not owners:
        return agent.label
    joint = ", jointly owned" if len(owners) > 1 else ""
    return f"{agent.label} ({'/'.join(owners)}{joint})"


def _how(routes: list[dict]) -> str:
    """ "directly and via Drugs Directorate (SCD)": the entity's own attribution comes first, as "directly"."""
    others = [route["via"] for route in routes if route["via"] != "directly"]
    return joined(["directly"] * (len(others) < len(routes)) + ([f"via {joined(others)}"] if others else []))


def roles_of(engine: Engine, iri: str) -> dict[str, dict[str, set[str]]]:
    """The roll-up of the entity with that IRI (queries/ownership.rq): item -> role -> agents."""
    found: dict[str, dict[str, set[str]]] = defaultdict(dict)
    for row in engine.query(query("ownership"), {"target": URIRef(iri)}).rows:
        role = ROLES.get(str(row["role"]))
        if role:
            found[str(row["item"])].setdefault(role, set()).add(str(row["agent"]))
    return found


def accountability(engine: Engine, iri: str, roles: dict[str, dict[str, set[str]]] | None = None) -> dict:
    """What the entity leads, supports and partners on, each item with how it holds, grouped by plan.

    The entity may be given by IRI or by any name names.resolve() accepts; ``roles``, its roll-up
    (roles_of()) when the caller has asked for it already, beside other queries. A business group
    answers through a few agents on hundreds of rows (6 agents, 211 rows at 1M triples): each
    agent is resolved and described once, and each set of agents is put into words once, so the
    Python after the query costs less than the query itself.
    """
    entity = names.resolve(engine, iri)
    roles_of_items = roles if roles is not None else roles_of(engine, entity.iri)
    chart = org_chart(engine)
    joint: dict[str, dict] = {}
    routes_of: dict[str, dict] = {}
    wording: dict[tuple, tuple[str, str, list[dict]]] = {}

    def route(agent_iri: str) -> dict:
        agent = names.resolve(engine, agent_iri)
        direct = agent.iri == entity.iri
        owners = [] if direct else jointly_owned(chart, agent.iri)
        if owners:
            joint[agent.iri] = {
                **_entity_dict(agent),
                "owners": [o.short for o in owners],
                "note": f"{agent.label} is jointly owned by {joined(o.short for o in owners)}:"
                f" its items count for each owner",
            }
        return {**_entity_dict(agent), "via": "directly" if direct else describe(engine, agent)}

    def worded(agents: set[str], role: str) -> tuple[str, str, list[dict]]:
        """The "via" text, the "how" text after the item's name, and the routes of a set of agents."""
        key = (frozenset(agents), role)
        if key not in wording:
            routes = []
            for agent_iri in sorted(agents, key=lambda a: (a != entity.iri, a)):
                if agent_iri not in routes_of:
                    routes_of[agent_iri] = route(agent_iri)
                routes.append(routes_of[agent_iri])
            wording[key] = (joined(r["via"] for r in routes), f" {_how(routes)}, {role}", routes)
        return wording[key]

    result = {"entity": _entity_dict(entity), **{role: [] for role in ROLE_ORDER}}
    for item in items_named(engine, roles_of_items):
        held = roles_of_items[item["iri"]]
        for role in ROLE_ORDER:
            if role in held:
                via, how, routes = worded(held[role], role)
                result[role].append(dict(item, role=role, via=via, how=item["name"] + how, routes=list(routes)))
    result["summary"] = _summary(entity.label, result, list(joint.values()))
    return result


def _entity_dict(entity: names.Entity) -> dict:
    return {"iri": entity.iri, "label": entity.label, "kind": entity.kind}


def summary_of(result: dict) -> dict:
    """The summary of an answer whose lists were filtered afterwards (by plan or role)."""
    return _summary(result["entity"]["label"], result, result["summary"]["jointly_owned"])


def _summary(label: str, result: dict, joint: list[dict]) -> dict:
    tally = Counter((item["plan"], item["plan_title"], role) for role in ROLE_ORDER for item in result[role])
    plans: dict[str, dict] = {}
    for (plan, title, role), count in sorted(tally.items()):
        plans.setdefault(plan, {"plan": plan, "title": title, **dict.fromkeys(ROLE_ORDER, 0)})[role] = count
    counts = {role: len(result[role]) for role in ROLE_ORDER}
    parts = [f"leads {counts['lead']} item{'s' * (counts['lead'] != 1)}", f"supports {counts['supporting']}"]
    if counts["partner"]:
        parts.append(f"is a partner on {counts['partner']}")
    text = f"{label} {joined(parts)} across {len(plans)} plan{'s' * (len(plans) != 1)}"
    return {**counts, "by_plan": list(plans.values()), "jointly_owned": joint, "text": text}


def find_item(engine: Engine, ref: str, plan: str | None = None) -> dict:
    """The item or activity with that ref (or IRI, or "1-3" row name for a 2004-5 activity)."""
    text = ref.strip().strip("<>").removesuffix(".")
    found = [
        record
        for record in items(engine).values()
        if text in (record["iri"], record["ref"], record["iri"].rsplit("/", 1)[-1])
        and (plan is None or record["plan"] == plan or text == record["iri"])
    ]
    if len(found) == 1:
        return found[0]
    if found:
        plans = ", ".join(record["plan"] for record in found)
        raise ItemNotFound(f"{ref!r} is an item in more than one plan ({plans}): say which with --plan")
    where = f" in plan {plan}" if plan else ""
    known = sorted({record["plan"] for record in items(engine).values()})
    raise ItemNotFound(
        f"no item or activity {ref!r}{where}; refs look like '1.3' (2007-10) or"
        f" '1-3' (2004-5 activity: objective 1, row 3); plans: {', '.join(known)}"
    )


def item_detail(engine: Engine, ref: str, plan: str | None = None) -> dict:
    """One item in full: leads, supporting units, partners, actions, measures and its source quote."""
    item = dict(find_item(engine, ref, plan))
    bindings = {"item": URIRef(item["iri"])}
    lists = {"lead": "leads", "supporting": "supporting", "partner": "partners"}
    entries: dict[tuple, dict] = {}
    for row in engine.query(query("item_attributions"), bindings).rows:
        role = ROLES.get(str(row["role"]))
        if role is None:
            continue
        agent = names.resolve(engine, str(row["agent"]))
        entry = entries.setdefault(
            (role, agent.label, agent.iri),
            {
                **_entity_dict(agent),
                "as_written": _text(row.get("asWritten")),
                "where": describe(engine, agent),
                "source_lines": [],
                **({"stated_in": _text(row.get("statedIn"))} if role == "partner" else {}),
            },
        )
        _add_line(entry, row)
    for role, key in lists.items():
        item[key] = [entry for (r, _, _), entry in sorted(entries.items()) if r == role]
    actions: dict[str, dict] = {}
    for row in engine.query(query("item_actions"), bindings).rows:
        action = actions.setdefault(
            str(row["action"]),
            {"iri": str(row["action"]), "title": str(row["title"]), "caveats": [], "source_lines": []},
        )
        _add_line(action, row)
        if "caveat" in row and str(row["caveat"]) not in action["caveats"]:
            action["caveats"].append(str(row["caveat"]))
    item["actions"] = sorted(actions.values(), key=lambda a: natural_key(a["iri"].rsplit("/", 1)[-1]))
    item["measures"] = _measures(engine.query(query("item_measures"), bindings).rows)
    item.update(_source(engine.query(query("item_source"), bindings).rows))
    return item


def _text(term) -> str | None:
    return None if term is None else str(term)


def _add_line(entry: dict, row: dict) -> None:
    """Keep each printed line once (a cell split over a page break has two)."""
    if "line" in row and int(row["line"]) not in entry["source_lines"]:
        entry["source_lines"].append(int(row["line"]))
        entry["source_lines"].sort()


def _measures(rows) -> list[dict]:
    measures: dict[str, dict] = {}
    for row in rows:
        measure = measures.setdefault(
            str(row["measure"]),
            {
                "iri": str(row["measure"]),
                "ref": str(row["ref"]),
                "title": str(row["title"]),
                "measurability": _text(row.get("measurability")),
                "reason": _text(row.get("reason")),
                "direction": _text(row.get("direction")),
                "indicator": _text(row.get("indicator")),  # the first; "indicators" has them all
                "data_source": _text(row.get("dataSource")),  # the first; "data_sources" has them all
                "indicators": [],
                "data_sources": [],
                "metrics": [],
                "target": None,
                "footnotes": [],
                "source_lines": [],
            },
        )
        _add_line(measure, row)
        for key, column in (("metrics", "metric"), ("indicators", "indicator"), ("data_sources", "dataSource")):
            if column in row and str(row[column]) not in measure[key]:
                measure[key].append(str(row[column]))
        if "targetValue" in row:
            unit = _text(row.get("targetUnit"))
            measure["target"] = {"value": float(row["targetValue"]), "unit": unit.rsplit("/", 1)[-1] if unit else None}
        if "footnote" in row:
            note = {"marker": str(row["footnote"]), "text": _text(row.get("footnoteText"))}
            if note not in measure["footnotes"]:
                measure["footnotes"].append(note)
    return sorted(measures.values(), key=lambda m: natural_key(m["ref"]))


def _source(rows) -> dict:
    identifiers = sorted({str(r["identifier"]) for r in rows})
    lines = sorted({int(r["line"]) for r in rows if "line" in r})
    quote = []
    for identifier in identifiers:
        text = resources.source_document(identifier).read_text(encoding="utf-8").splitlines()
        quote += [text[line - 1] for line in lines if 0 < line <= len(text)]
    first = next((r for r in rows if "targetDate" in r), {})
    return {
        "source": {"document": identifiers[0] if identifiers else None, "lines": lines, "quote": "\n".join(quote)},
        "reading_notes": sorted({str(r["note"]) for r in rows if "note" in r}),
        "target_date": _text(first.get("targetDate")),
        "theme": _text(next((r["theme"] for r in rows if "theme" in r), None)),
    }
