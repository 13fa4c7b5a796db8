"""The performance analyst's answer: what an entity is accountable for, and whether it can be measured.

ownership.accountability() says which items and how; this adds, for each item, the verdict on
its success measures (an item has a measurable outcome when at least one measure is quantified
or directional), its owners and partner agencies, its target date and the audit's open findings
on it, and puts the whole in a sentence. Everything beside the items comes from three queries
(queries/accountability_*.rq) bound to the items, whatever their number.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rdflib import URIRef

from graphsvc.answers import names, ownership, progress, progress_view, verdicts
from graphsvc.engine.engines import Engine, gather, per_engine
from graphsvc.namespaces import GS
from graphsvc.queries import query
from graphsvc.refs import natural_key
from graphsvc.roles import ROLE_ORDER
from graphsvc.words import joined

MEASURABLE = {str(GS.Quantified): "quantified", str(GS.Directional): "directional"}
NOT_MEASURABLE = "not measurable"
# The verdicts an item gets, as the page, the CSV and the command line word them.
HAS_OUTCOME, NO_OUTCOME, NO_MEASURES = verdicts.HAS_OUTCOME, verdicts.NO_OUTCOME, verdicts.NO_MEASURES
ROLE_WORDS = {"lead": "leads", "supporting": "supports", "partner": "is a partner on"}


class BadFilter(ValueError):
    """A plan or role filter that names nothing; str() says what there is instead."""


@per_engine
def plans(engine: Engine) -> dict[str, str]:
    """Each plan's ref and title, for checking a --plan filter."""
    return {str(row["ref"]): str(row["title"]) for row in engine.query(query("plans")).rows}


def warm(engine: Engine) -> None:
    """Read the tables every accountability answer reads once per engine (entity labels, plans, the
    organisation chart and its short names), all at once: a server does this as it starts, so that
    the first page it serves waits only for its own queries."""
    gather(
        engine,
        lambda: names.by_iri(engine),
        lambda: plans(engine),
        lambda: ownership.org_chart(engine),
        lambda: ownership.short_names(engine),
    )


def check_filters(engine: Engine, plan: str | None, role: str | None) -> tuple[str | None, str | None]:
    """The filters as the answer uses them (blank means none), or BadFilter saying what is allowed."""
    plan = (plan or "").strip() or None
    role = (role or "").strip().lower() or None
    if plan is not None and plan not in (known := plans(engine)):
        raise BadFilter(f"no plan {plan[:40]!r}: plans are {', '.join(sorted(known))}")
    role = {"supports": "supporting", "support": "supporting", "leads": "lead"}.get(role, role)
    if role is not None and role not in ROLE_ORDER:
        raise BadFilter(f"no role {role[:40]!r}: roles are {', '.join(ROLE_ORDER)}")
    return plan, role


@per_engine
def _known_details(engine: Engine) -> dict[str, dict]:
    """Details already fetched, by item IRI: the data does not change for an engine's lifetime."""
    return {}


def _empty() -> dict:
    return {"measures": {}, "owners": {}, "partners": {}, "target_date": None, "target_period": None}


def _details(engine: Engine, items: Iterable[str]) -> dict[str, dict]:
    """Measures, owners, partners and target date of each of those items, by item IRI.

    The ones not yet known are asked for together (ownership.ITEMS_PER_QUERY at a time), one query
    per fact (queries/accountability_*.rq) bound to the items themselves: the roll-up that found
    them is not walked again, and a remote store answers the three at once. Kept per item for the
    engine's lifetime, so a repeated answer, or another entity's on the same items, asks nothing."""
    known = _known_details(engine)
    items = list(dict.fromkeys(items))
    missing = [iri for iri in items if iri not in known]
    for start in range(0, len(missing), ownership.ITEMS_PER_QUERY):
        asked = missing[start : start + ownership.ITEMS_PER_QUERY]
        bindings = [{"item": URIRef(iri)} for iri in asked]
        measure_rows, agent_rows, date_rows = gather(
            engine,
            *(
                (lambda name=name, bindings=bindings: engine.query(query(f"accountability_{name}"), bindings).rows)
                for name in ("measures", "agents", "dates")
            ),
        )
        found = {iri: _empty() for iri in asked}
        measures: dict[str, dict] = {}
        for row in measure_rows:
            measure = measures.setdefault(
                str(row["measure"]),
                {"iri": str(row["measure"]), "ref": str(row["measureRef"]), "measurability": None, "reason": None},
            )
            if "measurability" in row and "reason" in row:
                level = str(row["measurability"])
                measure.update(measurability=MEASURABLE.get(level, NOT_MEASURABLE), reason=str(row["reason"]))
            found[str(row["item"])]["measures"][measure["iri"]] = measure
        for row in agent_rows:
            kind = {str(GS.Lead): "owners", str(GS.Partner): "partners"}.get(str(row["role"]))
            if kind:
                found[str(row["item"])][kind][str(row["agent"])] = {
                    "iri": str(row["agent"]),
                    "label": str(row["agentLabel"]),
                }
        for row in date_rows:
            item = found[str(row["item"])]
            item["target_date"] = str(row["targetDate"])
            item["target_period"] = str(row["targetPeriod"]) if "targetPeriod" in row else None
        known.update(found)
    return {iri: known[iri] for iri in items}


def _roll_up(engine: Engine, iri: str) -> dict[str, dict[str, set[str]]]:
    """The roll-up of the entity with that IRI (ownership.roles_of), its items' records and details
    fetched beside each other as soon as it is in, so that the answer finds them known."""
    roles = ownership.roles_of(engine, iri)
    gather(engine, lambda: ownership.items_named(engine, roles), lambda: _details(engine, roles))
    return roles


def _extras(details: dict, item: dict, findings, by_focus: dict) -> dict:
    """What the answer adds to one item, worked out once per item (and once per audit for its
    findings) and kept with the entity's details: answers share these lists, never change them."""
    found = details.setdefault(item["iri"], _empty())
    if "extras" not in found:
        measures = sorted(found["measures"].values(), key=lambda m: natural_key(m["ref"]))
        found["extras"] = {
            **verdict(item["kind"], measures),
            "measures": measures,
            "owners": sorted(found["owners"].values(), key=lambda a: a["label"]),
            "partners": sorted(found["partners"].values(), key=lambda a: a["label"]),
            "target_date": found["target_date"],
            "target_period": found["target_period"],
        }
        found["focuses"] = [item["iri"], *(m["iri"] for m in measures)]
    if findings is None:
        return {**found["extras"], "findings": None}
    of, kept = found.get("findings", (None, None))  # one pair: answers on other threads share the item
    if of is not by_focus:
        kept = [f for focus in found["focuses"] for f in by_focus.get(focus, [])]
        found["findings"] = (by_focus, kept)
    return {**found["extras"], "findings": kept}


_INDEXES: dict[int, tuple[list, dict]] = {}  # by id() of a findings list, which is kept alive with it


def _by_focus(findings) -> dict[str, list[dict]]:
    """The findings by focus node, indexed once per findings list (the served audit's is one list)."""
    findings = findings if isinstance(findings, list) else list(findings)
    cached = _INDEXES.get(id(findings))
    if cached is not None and cached[0] is findings:
        return cached[1]
    index: dict[str, list[dict]] = defaultdict(list)
    for finding in findings:
        shown = _finding(finding)
        index[shown["focus"]].append(shown)
    if len(_INDEXES) >= 8:  # a server has one audit; tests and the bench a few
        _INDEXES.clear()
    _INDEXES[id(findings)] = (findings, dict(index))
    return _INDEXES[id(findings)][1]


def verdict(kind: str, measures: list[dict]) -> dict:
    """Whether an item has a measurable outcome, and why, in words the analyst can repeat."""
    found = verdicts.measurable_outcome(kind, measures)
    measurable = None if found["verdict"] == NO_MEASURES else found["answer"] == "yes"
    return {"verdict": found["verdict"], "measurable": measurable, "reason": found["reason"]}


def _finding(finding) -> dict:
    """A finding of the audit (graphsvc.audit.report.Finding or its JSON) as the answer shows it."""
    get = finding.get if isinstance(finding, dict) else lambda key: getattr(finding, key, None)
    return {key: get(key) for key in ("severity", "focus", "ref", "shape", "message")}


def answer(
    engine: Engine,
    name: str,
    plan: str | None = None,
    role: str | None = None,
    findings: Iterable | None = None,
    audit_note: str | None = None,
    with_progress: bool = False,
    as_at=None,
) -> dict:
    """ownership.accountability() with, for each item, its verdict, owners, partners, target date and
    open findings, filtered by plan and role, with a summary in words.

    ``findings``: the served audit's findings (None: no audit, and ``audit_note`` says why).
    Every key of ownership.accountability() is kept; the summary gains the figures of its sentence.
    ``with_progress``: each item gains its progress as at ``as_at`` (a period; None: this quarter),
    and the answer the owner's counts rolled up as ownership is (progress_counts). Off by default:
    the counts read every report of the force, which an answer about ownership alone need not.
    """
    # What every answer reads once per engine, read at once (a round trip each on a remote store),
    # and, when the entity is given by IRI as pages give it, its roll-up beside them, first: its
    # items' records and details follow the roll-up at once, while the tables are still coming.
    reads = [
        lambda: names.resolve(engine, name),
        lambda: plans(engine),
        lambda: ownership.org_chart(engine),
        lambda: ownership.short_names(engine),
    ]
    by_address = name.startswith(("https://", "http://"))
    if by_address:
        reads.insert(0, lambda: _roll_up(engine, name))
    found = gather(engine, *reads)
    plan, role = check_filters(engine, plan, role)
    entity = names.resolve(engine, name).iri
    roles = found[0] if by_address and entity == name else _roll_up(engine, entity)
    result, details = ownership.accountability(engine, entity, roles), _details(engine, roles)
    by_focus = _by_focus(findings) if findings is not None else {}
    for each in ROLE_ORDER:
        kept = []
        for item in result[each]:
            if (plan and item["plan"] != plan) or (role and each != role):
                continue
            item.update(_extras(details, item, findings, by_focus))
            kept.append(item)
        result[each] = kept
    result["filters"] = {"plan": plan, "role": role}
    result["plans"] = [{"ref": ref, "title": title} for ref, title in sorted(plans(engine).items())]
    result["audit"] = {"ran": findings is not None, "note": None if findings is not None else audit_note}
    short = ownership.short_names(engine).get(result["entity"]["iri"], result["entity"]["label"])
    if with_progress:
        _add_progress(engine, result, short, progress.as_period(as_at))
    result["summary"] = {**ownership.summary_of(result), **_overview(short, result)}
    return result


def _add_progress(engine: Engine, result: dict, short: str, at) -> None:
    """Each item's latest report, RAGs and flags as at ``at`` (None for what no report is made on),
    and on top the owner's counts as progress.of_owner rolls them up."""
    listed = [item for each in ROLE_ORDER for item in result[each]]
    plan = result["filters"]["plan"]  # the counts follow the plan filter, as the items do
    entity = result["entity"]["iri"]
    found = progress.reports_of(  # the items' and the owner's elements' reports, in one read
        engine, [*(item["iri"] for item in listed), *progress.counted_for(engine, entity, plan)]
    )
    states = progress_view.for_items(engine, (item["iri"] for item in listed), at, found)
    for item in listed:
        item["progress"] = states.get(item["iri"])
    owner = progress.of_owner(engine, entity, at, plan=plan, found=found)
    reported = any(state["latest"] for state in states.values())
    # in a stable order: each store lists the elements its own way
    elements = {name: sorted(owner[name], key=natural_key) for name in progress.COUNTS}
    whose = f"{short} leads in the {plan} plan" if plan else f"{short} leads"
    result["progress_counts"] = progress_view.counted(owner["counts"], at, reported, whose, elements)


def _overview(short: str, result: dict) -> dict:
    """The figures of the plain-words summary, and the sentence: "SCD leads 17 items and supports 13 ..."."""
    lead = result["lead"]
    unmeasurable = [item for item in lead if item["verdict"] == NO_OUTCOME]
    unmeasured = [item for item in lead if item["verdict"] == NO_MEASURES]
    agencies: dict[str, dict] = {}
    for item in (item for each in ROLE_ORDER for item in result[each]):
        for partner in item["partners"]:
            agencies.setdefault(partner["iri"], partner)
    agencies_sorted = sorted(agencies.values(), key=lambda a: a["label"].lower())
    open_findings = (
        len({(f["focus"], f["message"]) for each in ROLE_ORDER for i in result[each] for f in i["findings"]})
        if result["audit"]["ran"]
        else None
    )
    counts = {each: len(result[each]) for each in ROLE_ORDER}
    plans_in = {item["plan"] for each in ROLE_ORDER for item in result[each]}
    wanted = result["filters"]["role"]
    parts = [f"leads {counts['lead']} item{'s' * (counts['lead'] != 1)}", f"supports {counts['supporting']}"]
    if counts["partner"]:
        parts.append(f"is a partner on {counts['partner']}")
    if wanted:  # a filtered answer names only the role asked for
        parts = [f"{ROLE_WORDS[wanted]} {counts[wanted]} item{'s' * (counts[wanted] != 1)}"]
    sentences = [f"{short} {joined(parts)} in {len(plans_in)} plan{'s' * (len(plans_in) != 1)}"]
    if lead:
        judged = len(lead) - len(unmeasured)
        if judged:
            names = f" ({', '.join(item['name'] for item in unmeasurable)})" if unmeasurable else ""
            sentences.append(
                f"{len(unmeasurable)} of the {judged} delivery item{'s' * (judged != 1)} it leads"
                f" {'has' if len(unmeasurable) == 1 else 'have'} no measurable outcome{names}"
            )
        if unmeasured:
            many = len(unmeasured) != 1
            sentences.append(
                f"the {len(unmeasured)} 2004-5 activit{'ies' if many else 'y'} it leads"
                f" {'have' if many else 'has'} no success measures: the plan sets target dates instead"
            )
    if agencies_sorted:
        labels = ", ".join(a["label"] for a in agencies_sorted)
        sentences.append(
            f"its items depend on {len(agencies_sorted)} outside agenc{'y' if len(agencies_sorted) == 1 else 'ies'}"
            f" ({labels})"
        )
    if open_findings:
        sentences.append(f"the audit has {open_findings} open finding{'s' * (open_findings != 1)} on them")
    return {
        "lead_without_measurable_outcome": len(unmeasurable),
        "lead_without_measures": len(unmeasured),
        "outside_agencies": agencies_sorted,
        "open_findings": open_findings,
        "overview": "; ".join(sentences) + ".",
    }
