"""Progress as reported, read against the plans: latest reports, history, overdue, stale and the
computed RAG beside the owner's, as at any period, and per owner rolled up as ownership is.

Reports (gs:Report, ontology/progress.ttl) live in named graphs and are never changed: a correction
is a new report that names the one it corrects (prov:wasRevisionOf). Everything here is derived
when read, never stored: the queries (queries/progress_*.rq) fetch the reports and the elements,
and the rules of the computed RAG are read from the graph (gs:RAGRules) and tried in their order.

"As at" a period P means what was reported for periods that began before P ended, corrections
included: a report counts from its period on, and a correction replaces what it corrects.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from rdflib import URIRef

from graphsvc.answers import periods
from graphsvc.answers.periods import Period
from graphsvc.engine.engines import Engine, per_engine, text_rows
from graphsvc.namespaces import GS
from graphsvc.queries import query

REPORTABLE = {GS.DeliveryItem: "delivery item", GS.Activity: "activity", GS.SuccessMeasure: "success measure"}


@dataclass
class Report:
    iri: str
    element: str
    period: Period
    generated: str  # xsd:dateTime as written: ISO text sorts in time order
    status: str | None
    rag: str | None
    value: Decimal | None
    narrative: str | None
    by: str | None
    revises: str | None
    graph: str | None
    evidence: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "report": self.iri,
            "period": self.period.name,
            "period_iri": str(self.period.iri),
            "period_label": self.period.label,
            "generated": self.generated,
            "status": _local(self.status),
            "owner_rag": _local(self.rag),
            "value": None if self.value is None else float(self.value),
            "narrative": self.narrative,
            "by": self.by,
            "revises": self.revises,
            "evidence": self.evidence,
        }


@dataclass
class Element:
    iri: str
    kind: str
    ref: str | None
    label: str | None
    plan: str
    span: Period | None
    due: date | None  # its target date, or else the end of its plan's reporting span (the last day)
    quantified: bool
    leads: set[str] = field(default_factory=set)

    @property
    def name(self) -> str:
        """How pages name it: its ref ("1.1"), or, as an activity has none printed, "activity 1-5"."""
        return self.ref or f"{self.kind} {self.iri.rsplit('/', 1)[-1]}"


# The statuses and ratings a report gives, by the words people write and read them in: the one
# table that reading (below) and writing (progress_writes) both use.
STATUSES = {
    "not started": GS.StatusNotStarted,
    "on track": GS.OnTrack,
    "at risk": GS.AtRisk,
    "off track": GS.OffTrack,
    "complete": GS.Complete,
}
RAGS = {"red": GS.Red, "amber": GS.Amber, "green": GS.Green}
_WORDS = {str(iri): words for words, iri in {**STATUSES, **RAGS}.items()}


def _local(iri: str | None) -> str | None:
    """A status or rating by its words ("on track", "red"), as the schemes label them."""
    if iri is None:
        return None
    return _WORDS.get(str(iri), str(iri).rsplit("#", 1)[-1].lower())


class ProgressError(ValueError):
    """An element or period that cannot be read; str() is one clear line."""


def as_period(as_at: str | Period | None, today: date | None = None) -> Period:
    """The period to read the state at: given by name or IRI, or the calendar quarter of today."""
    if isinstance(as_at, Period):
        return as_at
    if as_at is None or not str(as_at).strip():
        return periods.containing(today or date.today())
    try:
        return periods.parse(as_at)
    except periods.PeriodError as error:
        raise ProgressError(str(error)) from error


# -- reading ------------------------------------------------------------------------------------


def reports(engine: Engine, element: str | None = None) -> list[Report]:
    """Every report (or one element's), corrections included, in period then generation order.
    A report whose period is not a reference.data.gov.uk period this module can place is left out:
    the shapes refuse it (integrity:ReportPeriodInPlan)."""
    if element is not None and (engine.name == "remote" or not _index_of.kept(engine)):
        return _read(engine, element)  # one element's, bound (0.8 ms of 100k): no index read for it
    index = _index(engine)
    if index is None:
        return _read(engine, element)
    if element is not None:
        return list(index.get(str(element), ()))
    return sorted((r for listed in index.values() for r in listed), key=_order)


def _read(engine: Engine, element: str | None = None, report: str | None = None, rows=None) -> list[Report]:
    """The reports as the engine holds them now (queries/progress_reports.rq): all, one element's,
    one report, or those of the elements bound as ``rows``."""
    bindings = rows or ({"element": URIRef(element)} if element else {"report": URIRef(report)} if report else None)
    found: dict[str, Report] = {}
    for row in text_rows(engine, query("progress_reports"), bindings):
        iri = row["report"]
        if iri not in found:
            try:
                period = periods.parse(row["period"])
            except periods.PeriodError:
                continue
            found[iri] = Report(
                iri,
                row.get("element", element),
                period,
                _instant(row["generated"]),
                row.get("status"),
                row.get("rag"),
                _number(row.get("value")),
                row.get("narrative"),
                row.get("by"),
                row.get("revises"),
                row.get("graph"),
            )
        evidence = row.get("evidence")
        if evidence and evidence not in found[iri].evidence:
            found[iri].evidence.append(evidence)
    return sorted(found.values(), key=_order)


class _Index:
    """An embedded engine's reports by element, each element's in order, kept level with the
    engine's data version: read once with one query, then each write's reports added as the engine
    loads them (sources.Follower), so that reading an owner's state costs its elements alone
    (at a million triples and 100k reports, reading them all took 1-2.5 s)."""

    def __init__(self, engine: Engine):
        self.version = engine.version
        self.by_element: dict[str, list[Report]] = {}
        self.lock = threading.Lock()
        self._add(_read(engine))

    def _add(self, found: list[Report]) -> None:
        changed: dict[str, list[Report]] = {}  # new lists in a new dict: readers keep the old ones whole
        for report in found:
            listed = changed.get(report.element)
            if listed is None:  # a new list: a reader holding the old one sees it unchanged
                listed = changed[report.element] = list(self.by_element.get(report.element, ()))
            if all(r.iri != report.iri for r in listed):
                listed.append(report)
        for listed in changed.values():
            listed.sort(key=_order)
        self.by_element = {**self.by_element, **changed}

    def level_with(self, engine: Engine) -> dict[str, list[Report]]:
        version = engine.version
        if version != self.version:
            with self.lock:
                if version > self.version:
                    self._add(_written(engine.follower.journal.since(self.version)[: version - self.version]))
                    self.version = version
        return self.by_element


@per_engine
def _index_of(engine: Engine) -> _Index:
    return _Index(engine)


def _index(engine: Engine) -> dict[str, list[Report]] | None:
    """The engine's reports by element; None for an endpoint, whose data changes without telling
    (its reports are read afresh each time)."""
    if engine.name == "remote":
        return None
    return _index_of(engine).level_with(engine)


def _written(records) -> list[Report]:
    """The reports of journal records, read by the same query as the engine's (on their quads alone)."""
    import pyoxigraph as ox

    from graphsvc.engine.engines import OxigraphEngine

    quads = "".join(record.nquads for record in records).encode("utf-8")
    if not quads:
        return []
    store = ox.Store()
    store.load(quads, format=ox.RdfFormat.N_QUADS)
    return _read(OxigraphEngine(store))


def _order(report: Report) -> tuple:
    """Latest last: by period (its end, then its beginning), then the time it was made."""
    return (report.period.end, report.period.begin, report.generated, report.iri)


def _instant(text: str) -> str:
    """An xsd:dateTime in one canonical form, as rdflib writes it (2026-12-06T04:28:08.603240):
    Oxigraph gives its own (08.60324), and the audit trail and corrections name the time as written."""
    try:
        return datetime.fromisoformat(text).isoformat()
    except ValueError:
        return text


def _text(term) -> str | None:
    return None if term is None else str(term)


def _number(term) -> Decimal | None:
    if term is None:
        return None
    try:
        return Decimal(str(term))
    except InvalidOperation:
        return None


@per_engine
def elements(engine: Engine) -> dict[str, Element]:
    """Every element progress is reported on, by IRI."""
    found: dict[str, Element] = {}
    for row in engine.query(query("progress_elements")).rows:
        iri = str(row["element"])
        if iri not in found:
            span = _span(row.get("span"))
            due = date.fromisoformat(str(row["due"])) if row.get("due") else None
            if due is None and span is not None:
                due = date.fromordinal(span.end.toordinal() - 1)
            found[iri] = Element(
                iri,
                REPORTABLE.get(row["type"], "element"),
                _text(row.get("ref")),
                _text(row.get("label")),
                str(row["plan"]),
                span,
                due,
                row.get("measurability") == GS.Quantified,
            )
        if row.get("lead") is not None:
            found[iri].leads.add(str(row["lead"]))
    return found


def _span(term) -> Period | None:
    try:
        return periods.parse(str(term)) if term is not None else None
    except periods.PeriodError:
        return None


@per_engine
def targets(engine: Engine) -> dict[str, list[dict]]:
    """Each quantified measure's targets, the printed baseline first, then revisions by date."""
    found: dict[str, list[dict]] = {}
    for row in engine.query(query("progress_targets")).rows:
        found.setdefault(str(row["measure"]), []).append(
            {
                "target": str(row["target"]) if isinstance(row["target"], URIRef) else None,
                "revised": str(row["revised"]).lower() == "true",
                "value": float(row["value"]),
                "direction": _local(row.get("direction")),
                "set_on": _text(row.get("setOn")),
            }
        )
    for listed in found.values():
        listed.sort(key=lambda t: (t["revised"], t["set_on"] or ""))
    return found


@per_engine
def rules(engine: Engine) -> list[dict]:
    """The declared rules of the computed RAG, in the order they are tried."""
    return [
        {
            "rule": str(row["rule"]).rsplit("#", 1)[-1],
            "gives": _local(row["gives"]),
            "label": str(row["label"]),
            "definition": _text(row.get("definition")),
        }
        for row in engine.query(query("progress_rules")).rows
    ]


@per_engine
def _named(engine: Engine) -> dict[str, list[str]]:
    """Elements by every way people name them, lower-cased: the IRI, the ref ("1.1"), the path
    under the plan ("2007-10/1.1", "2004-5/1-5"), its last part ("1-5": an activity has no printed
    ref) and either with the kind ("item 1.1", "activity 1-5", "measure 1.1.1")."""
    named: dict[str, list[str]] = {}
    for found in elements(engine).values():
        kind, _, path = found.iri.split("/id/", 1)[-1].partition("/")
        last = path.rsplit("/", 1)[-1]
        words = {found.kind, kind}
        keys = {found.iri, path, last, *(f"{w} {n}" for w in words for n in (last, path))}
        if found.ref:
            keys |= {found.ref, *(f"{w} {found.ref}" for w in words)}
        for key in keys:
            named.setdefault(key.lower(), []).append(found.iri)
    return named


def find(engine: Engine, element: str) -> Element:
    """An element by IRI, ref, path or kind and ref ("activity 1-5"); a name two plans share is
    refused, naming the ways to tell them apart."""
    known = elements(engine)
    if element in known:
        return known[element]
    matches = sorted(set(_named(engine).get(" ".join(str(element).split()).lower(), [])))
    if len(matches) == 1:
        return known[matches[0]]
    if matches:
        paths = ", ".join(m.split("/id/", 1)[-1].partition("/")[2] for m in matches[:5])
        raise ProgressError(f"{element!r} names {len(matches)} elements: give one of {paths}, or the IRI")
    raise ProgressError(f"no delivery item, activity or success measure {element!r}")


# -- the state of an element as at a period -----------------------------------------------------


def in_force(history: list[Report], at: Period) -> list[Report]:
    """The reports that count as at a period: for periods begun by its end, less those corrected."""
    seen = [r for r in history if r.period.begin < at.end]
    revised = {r.revises for r in seen if r.revises}
    return [r for r in seen if r.iri not in revised]


def target_in_force(listed: list[dict], at: Period) -> dict | None:
    """The latest revision set by the end of the period, else the printed target."""
    if not listed:
        return None
    chosen = listed[0]
    for target in listed[1:]:
        if target["set_on"] and date.fromisoformat(target["set_on"][:10]) < at.end:
            chosen = target
    return chosen


def state(engine: Engine, element: str | Element, as_at=None, history: list[Report] | None = None) -> dict:
    """Where an element stands as at a period: the latest report, its history, overdue and stale,
    the owner's RAG and the computed one (with the rule that gave it), and whether they differ."""
    found = element if isinstance(element, Element) else find(engine, element)
    at = as_period(as_at)
    every = reports(engine, found.iri) if history is None else history
    counted, complete, overdue, stale = _standing(found, every, at)
    latest = counted[-1] if counted else None
    corrected = {r.revises for r in every if r.revises and r.period.begin < at.end}
    target = target_in_force(targets(engine).get(found.iri, []), at) if found.quantified else None
    computed, rule = _computed(engine, latest, target, overdue, stale, complete)
    owner = _local(latest.rag) if latest else None
    return {
        "element": found.iri,
        "kind": found.kind,
        "ref": found.ref,
        "label": found.label,
        "as_at": at.name,
        "as_at_label": at.label,
        "due": found.due.isoformat() if found.due else None,
        "latest": latest.as_dict() if latest else None,
        "history": [{**r.as_dict(), "corrected": r.iri in corrected} for r in every if r.period.begin < at.end],
        "overdue": overdue,
        "stale": stale,
        "no_report": not counted,
        "due_this_period": bool(found.due and at.begin <= found.due < at.end),
        "target": target,
        "owner_rag": owner,
        "computed_rag": computed,
        "computed_by": rule,
        "rags_differ": bool(owner and computed and owner != computed),
    }


_COMPLETE = str(GS.Complete)


def _standing(found: Element, every: list[Report], at: Period) -> tuple[list[Report], bool, bool, bool]:
    """The reports in force as at a period, and whether the element is complete, overdue, stale."""
    counted = in_force(every, at)
    complete = any(r.status == _COMPLETE for r in counted)
    overdue = bool(found.due and found.due < at.end and not complete)
    running = found.span is None or found.span.overlaps(at)
    stale = bool(counted) and running and not complete and not any(r.period.overlaps(at) for r in counted)
    return counted, complete, overdue, stale


def _flags(found: Element, every: list[Report], at: Period) -> dict:
    """The flags an owner's counts are made of (COUNTS), without the rest of a state: an owner's
    counts read hundreds of elements, and a whole state (history, both RAGs) costs ten times more."""
    counted, _, overdue, stale = _standing(found, every, at)
    due = found.due
    return {
        "element": found.iri,
        "due_this_period": bool(due and at.begin <= due < at.end),
        "overdue": overdue,
        "stale": stale,
        "no_report": not counted,
    }


def _computed(engine, latest, target, overdue, stale, complete) -> tuple[str | None, dict | None]:
    """The first declared rule that applies, and the rating it gives."""
    progress = None
    if latest is not None and latest.value is not None and target is not None:
        sign = -1 if target["direction"] == "decrease" else 1
        progress = float(latest.value) * sign
    status = latest.status if latest is not None else None
    applies = {
        "RuleOverdue": overdue,
        "RuleValueWrongWay": progress is not None and progress <= 0,
        "RuleValueShort": progress is not None and 0 < progress < target["value"],
        "RuleStale": stale,
        "RuleValueMet": progress is not None and progress >= target["value"],
        "RuleComplete": complete and latest is not None and latest.status == str(GS.Complete),
        "RuleReportedOffTrack": status == str(GS.OffTrack),
        "RuleReportedAtRisk": status == str(GS.AtRisk),
        "RuleReportedOnTrack": status == str(GS.OnTrack),
    }
    for rule in rules(engine):
        if applies.get(rule["rule"]):
            return rule["gives"], rule
    return None, None


def _by_element(engine: Engine, iris: list[str] | None = None) -> dict[str, list[Report]]:
    """Reports by element: the index, or on an endpoint read now (only ``iris``' when given, as
    rows of one VALUES block: a page of items costs one round trip, not a read of every report)."""
    index = _index(engine)
    if index is not None:
        return index
    if getattr(engine.follower, "none_written", False):  # the endpoint held none a moment ago
        return {}
    if iris is None:
        found = _read(engine)
    else:
        found = []
        for start in range(0, len(iris), 200):
            rows = [{"element": URIRef(iri)} for iri in iris[start : start + 200]]
            found += _read(engine, rows=rows)
    grouped: dict[str, list[Report]] = {}
    for report in found:
        grouped.setdefault(report.element, []).append(report)
    return grouped


def states(engine: Engine, as_at=None) -> list[dict]:
    """Every element's state as at a period, from one read of all reports."""
    at = as_period(as_at)
    by_element = _by_element(engine)
    return [state(engine, e, at, by_element.get(e.iri, [])) for e in elements(engine).values()]


def reports_of(engine: Engine, iris) -> dict[str, list[Report]]:
    """The reports on the given elements, by element, read once: a page that asks for its items'
    states and its owner's counts hands them to both (one round trip on an endpoint, not two)."""
    known = elements(engine)
    return _by_element(engine, [iri for iri in dict.fromkeys(map(str, iris)) if iri in known])


def counted_for(engine: Engine, agent: str, plan: str | None = None) -> list[str]:
    """The elements that count for an agent as ownership rolls up (``plan``: its IRI or ref, that
    plan's alone), in plan order."""
    counted = _counting_for(engine).get(str(agent), (None, []))[1]
    if plan:
        known = elements(engine)
        counted = [e for e in counted if plan in (known[e].plan, known[e].plan.rsplit("/plan/", 1)[-1])]
    return counted


def for_elements(engine: Engine, iris, as_at=None, found: dict | None = None) -> dict[str, dict]:
    """The states of the given elements as at a period, by IRI (those progress is not reported on
    are left out): what a page of items asks for, at the cost of those items alone. ``found``: their
    reports already read (reports_of)."""
    at = as_period(as_at)
    known = elements(engine)
    chosen = [known[str(iri)] for iri in dict.fromkeys(map(str, iris)) if iri in known]
    by_element = found if found is not None else _by_element(engine, [e.iri for e in chosen])
    return {e.iri: state(engine, e, at, by_element.get(e.iri, []) if by_element is not None else None) for e in chosen}


def _all_flags(engine: Engine, at: Period) -> list[dict]:
    by_element = _by_element(engine)
    return [_flags(e, by_element.get(e.iri, []), at) for e in elements(engine).values()]


def _flagged(engine: Engine, as_at, flag: str, agent: str | None = None) -> list[dict]:
    """The states of the elements with a flag (of those that count for ``agent``, when given): the
    flags first, then the states of those alone."""
    at = as_period(as_at)
    if agent is not None:
        chosen = of_owner(engine, agent, at)[flag]
    else:
        chosen = [f["element"] for f in _all_flags(engine, at) if f[flag]]
    return list(for_elements(engine, chosen, at).values())


def overdue(engine: Engine, as_at=None, agent: str | None = None) -> list[dict]:
    """The overdue elements' states, of every plan or of those that count for ``agent`` (the force,
    a business group), as ownership rolls up."""
    return _flagged(engine, as_at, "overdue", agent)


def stale(engine: Engine, as_at=None, agent: str | None = None) -> list[dict]:
    """The stale elements' states, of every plan or of those that count for ``agent``."""
    return _flagged(engine, as_at, "stale", agent)


def differences(engine: Engine, as_at=None) -> list[dict]:
    """Every element whose owner's RAG and computed RAG differ, with both and the rule."""
    return [s for s in states(engine, as_at) if s["rags_differ"]]


# -- per owner, rolled up as ownership is --------------------------------------------------------

COUNTS = ("due_this_period", "overdue", "stale", "no_report")


@per_engine
def _roll_ups(engine: Engine) -> dict[str, list[dict]]:
    """Every agent each lead's elements count for, by lead: queries/rollup.rq (the one statement of
    the roll-up), asked once for all leads (the leads as rows of one VALUES block)."""
    leads = sorted({lead for e in elements(engine).values() for lead in e.leads})
    found: dict[str, dict[str, dict]] = {lead: {} for lead in leads}
    for start in range(0, len(leads), 500):
        rows = [{"lead": URIRef(lead)} for lead in leads[start : start + 500]]
        for row in engine.query(query("rollup"), rows).rows:
            agents = found[str(row["lead"])]
            agent = agents.setdefault(str(row["agent"]), {"agent": str(row["agent"]), "label": None, "short": None})
            agent["label"] = agent["label"] or _text(row.get("label"))
            agent["short"] = agent["short"] or _text(row.get("short"))
    return {lead: list(agents.values()) for lead, agents in found.items()}


@per_engine
def _counting_for(engine: Engine) -> dict[str, tuple[dict, list[str]]]:
    """Each agent, with the elements that count for it (as ownership rolls up), in plan order."""
    roll_ups = _roll_ups(engine)
    found: dict[str, tuple[dict, dict]] = {}
    for element in elements(engine).values():
        for lead in element.leads:
            for agent in roll_ups.get(lead, ()):
                found.setdefault(agent["agent"], (agent, {}))[1][element.iri] = None
    return {iri: (agent, list(listed)) for iri, (agent, listed) in found.items()}


def _entry(agent: dict, found: list[dict]) -> dict:
    entry = {**agent, **{name: [s["element"] for s in found if s[name]] for name in COUNTS}}
    entry["counts"] = {name: len(entry[name]) for name in COUNTS}
    return entry


def _most_overdue(entry: dict) -> tuple:
    return (-entry["counts"]["overdue"], -entry["counts"]["stale"], entry["label"] or entry["agent"])


def by_owner(engine: Engine, as_at=None) -> list[dict]:
    """For each agent (a lead and every unit and business group above it): the elements due this
    period, overdue, stale and with no report yet, as at a period; most overdue first."""
    found = {f["element"]: f for f in _all_flags(engine, as_period(as_at))}
    listed = [_entry(agent, [found[e] for e in counted]) for agent, counted in _counting_for(engine).values()]
    return sorted(listed, key=_most_overdue)


def of_owner(engine: Engine, agent: str, as_at=None, plan: str | None = None, found: dict | None = None) -> dict:
    """One agent's entry of ``by_owner`` (a unit, a business group, the whole force): the elements
    that count for it due this period, overdue, stale and with no report yet, and their counts,
    at the cost of its own elements; ``plan`` (a plan's IRI or ref): that plan's elements only;
    ``found``: their reports already read (reports_of)."""
    described = _counting_for(engine).get(str(agent), ({"agent": str(agent), "label": None, "short": None},))[0]
    counted = counted_for(engine, agent, plan)
    at = as_period(as_at)
    known = elements(engine)
    by_element = found if found is not None else _by_element(engine, counted)
    return _entry(described, [_flags(known[e], by_element.get(e, []), at) for e in counted])


def warm(engine: Engine) -> None:
    """Read once what progress answers need (the elements, the reports, the roll-up), so that the
    first visitor after start-up does not wait for it. At a million triples and 100k reports this
    takes seconds (bench/run.py); a server does it in the background. An endpoint's reports are
    read afresh by each page (its plans' tables are read here)."""
    _index(engine)
    _counting_for(engine)
    targets(engine)
    rules(engine)
    if hasattr(engine.follower, "ask"):  # whether an endpoint holds any report yet
        engine.follower.ask(engine)


def report(engine: Engine, iri: str) -> dict | None:
    """One report by its IRI, as its page shows it: what it says, the element it is on, the
    reports that correct it, and whether it is the one in force now (None: no such report)."""
    found = _read(engine, report=iri)
    if not found:
        return None
    made = found[0]
    element = elements(engine).get(made.element)
    history = reports(engine, made.element)
    corrected_by = [r.iri for r in history if r.revises == made.iri]
    in_force_now = made.iri in {r.iri for r in in_force(history, as_period(None))}
    plan = element.plan if element else None
    return {
        **made.as_dict(),
        "plan": plan,
        "related": {  # the reports it corrects and is corrected by, in words
            r.iri: f"the {_local(r.status) or 'report'} report made {r.generated[:10]}"
            for r in history
            if r.iri == made.revises or r.iri in corrected_by
        },
        "element": made.element,
        "element_ref": element.ref if element else None,
        "element_label": element.label if element else None,
        "element_kind": element.kind if element else None,
        "corrected_by": corrected_by,
        "in_force": in_force_now and not corrected_by,
    }
