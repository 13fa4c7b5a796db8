"""Writing progress reports: each new report is checked against the report shapes, then appended
to the source's reports journal (or inserted into an endpoint's graph of written reports) under a
lock, refused if a newer report has been written for its element and period meanwhile.

The SHACL shapes (shapes/progress.ttl) are the one statement of what a report must be: a draft is
turned into its triples and run through them with the context they need (its element, the plan
and its span, its period, its author), and the first violation is the one line the writer sees.
What no shape can see, because it depends on the order of writes, is checked here under the
journal's lock: a report names the report it supersedes (or none), and that must still be the
newest one for its element and period (no lost update).
"""

from __future__ import annotations

import getpass
import threading
import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from functools import cache

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SH, XSD

from graphsvc import resources
from graphsvc.answers import periods, progress
from graphsvc.answers.progress import RAGS, STATUSES
from graphsvc.engine import sources
from graphsvc.engine.engines import Engine, RemoteEngine, _values_first, per_engine
from graphsvc.engine.journal import Journal, JournalError, Record
from graphsvc.namespaces import GS, ID
from graphsvc.queries import query

INTERFACES = ("cli", "web", "workbook")
DATASET = ID["progress/reports"]
REPORTS_GRAPH = URIRef(sources.REPORTS_GRAPH)


class WriteError(ValueError):
    """A report that is not written; str() is one clear line."""


class Conflict(WriteError):
    """A newer report exists for the element and period than the one a write supersedes."""


@dataclass
class Draft:
    """A report as a person gives it: words and names, not IRIs."""

    element: str
    period: str
    status: str
    by: str | None = None
    rag: str | None = None
    value: str | None = None
    note: str | None = None
    evidence: list[str] = field(default_factory=list)
    supersedes: str | None = None


@dataclass
class Prepared:
    """A checked report, ready to write: its record and what the lost-update check needs."""

    record: Record
    element: progress.Element
    period: periods.Period


def _words(text: str) -> str:
    return " ".join(str(text).replace("-", " ").replace("_", " ").lower().split())


def _choice(text: str | None, choices: dict, what: str) -> URIRef | None:
    if text is None or not str(text).strip():
        return None
    found = choices.get(_words(text))
    if found is None:
        raise WriteError(f"{what} {text!r} is not one of: {', '.join(choices)}")
    return found


@per_engine
def _agents(engine: Engine) -> dict[str, list[str]]:
    """Agent IRIs by every way they may be named (IRI, its last part, each name), lower-cased."""
    named: dict[str, set[str]] = {}
    for row in engine.query(query("progress_agents")).rows:
        iri = str(row["agent"])
        for key in (iri, iri.rstrip("/").rsplit("/", 1)[-1], str(row.get("name") or "")):
            if key:
                named.setdefault(key.lower(), set()).add(iri)
    return {key: sorted(found) for key, found in named.items()}


def agent(engine: Engine, by: str | None) -> URIRef | None:
    if by is None or not by.strip():
        return None
    found = _agents(engine).get(by.strip().lower(), [])
    if len(found) == 1:
        return URIRef(found[0])
    if found:
        raise WriteError(f"--by {by!r} names {len(found)} people or posts: give the IRI")
    raise WriteError(f"--by {by!r} is no person or post of the organisation")


def _value(text: str | None) -> Literal | None:
    if text is None or not str(text).strip():
        return None
    try:
        number = Decimal(str(text).strip().rstrip("%"))
    except InvalidOperation:
        raise WriteError(f"value {text!r} is not a number") from None
    return Literal(number, datatype=XSD.decimal)


def _now() -> str:
    return datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="microseconds")


def report_graph(
    report: URIRef, element: str, period: periods.Period, draft: Draft, by, at: str, interface: str
) -> Graph:
    """The report's triples and its audit entry (a prov:Activity that generated it)."""
    g = Graph()
    g.add((report, RDF.type, GS.Report))
    g.add((report, URIRef("http://purl.org/linked-data/cube#dataSet"), DATASET))
    g.add((report, GS.reportedElement, URIRef(element)))
    g.add((report, GS.reportingPeriod, URIRef(period.iri)))
    status = _choice(draft.status, STATUSES, "status")
    if status is None:
        raise WriteError(f"say how it stands: a status of {', '.join(STATUSES)}")
    g.add((report, GS.reportStatus, status))
    rag = _choice(draft.rag, RAGS, "RAG")
    if rag is not None:
        g.add((report, GS.ownerRAG, rag))
    value = _value(draft.value)
    if value is not None:
        g.add((report, GS.reportedValue, value))
    if draft.note and draft.note.strip():
        g.add((report, GS.narrative, Literal(draft.note.strip())))
    for link in draft.evidence:
        if link and link.strip():
            if not link.strip().startswith(("http://", "https://")):
                raise WriteError(f"evidence {link!r} is not a web link (http:// or https://)")
            g.add((report, GS.evidence, URIRef(link.strip())))
    if by is not None:
        g.add((report, PROV.wasAttributedTo, by))
    g.add((report, PROV.generatedAtTime, Literal(at, datatype=XSD.dateTime)))
    if draft.supersedes:
        g.add((report, PROV.wasRevisionOf, URIRef(draft.supersedes)))
    activity = URIRef(f"{report}/write")
    g.add((activity, RDF.type, PROV.Activity))
    g.add((activity, PROV.generated, report))
    g.add((activity, PROV.endedAtTime, Literal(at, datatype=XSD.dateTime)))
    g.add((activity, DCTERMS.source, Literal(interface)))
    g.add((activity, DCTERMS.creator, Literal(_user())))
    if by is not None:
        g.add((activity, PROV.wasAssociatedWith, by))
    return g


@cache
def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@cache
def _shapes() -> Graph:
    from graphsvc.engine import graph as graphs

    return graphs.load([p for p in resources.shape_files() if p.name == "progress.ttl"])


@cache
def _ontology() -> Graph:
    """What the shapes read of the ontology: the reports' structure (IC-11) and the class
    hierarchy (sh:class); all 600 triples made each check ~3x slower."""
    from rdflib.namespace import RDFS

    from graphsvc.engine import graph as graphs

    ontology = graphs.ontology()
    kept = Graph()
    for triple in ontology.triples((None, RDFS.subClassOf, None)):
        kept.add(triple)
    qb = "http://purl.org/linked-data/cube#"
    for triple in ontology.triples((GS.ReportStructure, URIRef(qb + "component"), None)):
        kept.add(triple)
        for inner in ontology.triples((triple[2], None, None)):
            kept.add(inner)
    return kept


def check_shapes(engine: Engine, drafted: list[tuple]) -> dict[URIRef, str]:
    """Run the report shapes once over new reports and their context: for each report that fails,
    its first violation as one line. ``drafted`` holds (report, triples, element, period, by)."""
    import pyshacl

    data = Graph()
    data += _ontology()
    contexts = set()
    for _report, triples, element, period, by in drafted:
        data += triples
        if (element, period.iri, by) not in contexts:
            contexts.add((element, period.iri, by))
            bindings = {"element": URIRef(element), "agent": by if by is not None else URIRef("urn:graphsvc:nobody")}
            context = engine.query(query("progress_write_context"), bindings).graph
            if context is not None:
                data += context
            data += periods.describe([period])
    conforms, results, _ = pyshacl.validate(data, shacl_graph=_shapes(), inference="none", inplace=True)
    if conforms:
        return {}
    found: dict[URIRef, list[str]] = {}
    drafts = {report: (element, period) for report, _, element, period, _ in drafted}
    for result in results.objects(None, SH.result):
        focus = results.value(result, SH.focusNode)
        if focus not in drafts:
            continue
        message = str(results.value(result, SH.resultMessage) or "{this} does not meet the report shapes")
        found.setdefault(focus, []).append(_worded(message, results.value(result, SH.value), *drafts[focus]))
    return {report: sorted(messages)[0] for report, messages in found.items()}


def _worded(message: str, value, element: str, period) -> str:
    """A shape's message about the new report, as the writer reads it: "the report", and the
    element, period or rating by the name people use."""
    if value is None:
        said = "it"
    elif str(value) == element:
        said = element.rstrip("/").rsplit("/", 1)[-1]
    elif str(value) == str(period.iri):
        said = period.name
    else:
        said = progress._local(str(value)) if isinstance(value, URIRef) else str(value)
    text = message.replace("{this}", "the report").replace("{value}", said).replace("{$this}", "the report")
    return text[0].upper() + text[1:] if text else text


def _drafted(engine: Engine, draft: Draft, interface: str, at: str | None) -> tuple:
    if interface not in INTERFACES:
        raise WriteError(f"unknown interface {interface!r}")
    try:
        element = progress.find(engine, str(draft.element or "").strip())
    except progress.ProgressError as error:
        raise WriteError(str(error)) from None
    try:
        period = periods.parse(str(draft.period or "").strip())
    except periods.PeriodError as error:
        raise WriteError(str(error)) from None
    by = agent(engine, draft.by)
    if by is None:  # the shapes refuse it too, but say it less plainly
        raise WriteError("who reports it is missing: name a person or post of the organisation")
    at = at or _now()
    report = ID[f"report/{uuid.uuid4().hex}"]
    return report, report_graph(report, element.iri, period, draft, by, at, interface), element, period, by, at


def _with_report_iri(draft: Draft) -> Draft:
    """The draft with the report it supersedes as an IRI: people copy a report's last part
    (c6de6a0f...) from its page or `progress list` as often as the whole IRI."""
    named = (draft.supersedes or "").strip()
    if named and ":" not in named:
        return replace(draft, supersedes=str(ID[f"report/{named.rsplit('/', 1)[-1]}"]))
    return draft


def prepare_many(
    engine: Engine, drafts: list[Draft], interface: str = "cli", at: str | None = None
) -> tuple[list[Prepared], dict[int, str]]:
    """Drafts resolved and checked against the shapes in one run: the good ones, and for each bad
    one (by its position) one line saying why."""
    errors: dict[int, str] = {}
    drafted: dict[int, tuple] = {}
    drafts = [_with_report_iri(draft) for draft in drafts]
    for number, draft in enumerate(drafts):
        try:
            drafted[number] = _drafted(engine, draft, interface, at)
        except WriteError as error:
            errors[number] = str(error)
    failures = check_shapes(engine, [(r, t, e.iri, p, b) for r, t, e, p, b, _ in drafted.values()]) if drafted else {}
    prepared = []
    for number, (report, triples, element, period, by, when) in drafted.items():
        if report in failures:
            errors[number] = failures[report]
            continue
        draft = drafts[number]
        nquads = as_nquads(triples)
        what = f"added report {report} on {element.name} for {period.name}"
        if draft.supersedes:
            what += f", superseding {draft.supersedes}"
        audit = {"by": str(by) if by else None, "user": _user(), "at": when, "interface": interface, "what": what}
        record = Record(str(report), element.iri, str(period.iri), draft.supersedes, nquads, audit)
        prepared.append(Prepared(record, element, period))
    return prepared, dict(sorted(errors.items()))


def prepare(engine: Engine, draft: Draft, interface: str = "cli", at: str | None = None) -> Prepared:
    """A draft resolved and checked against the shapes; WriteError (one line) when it is not good."""
    prepared, errors = prepare_many(engine, [draft], interface, at)
    if errors:
        raise WriteError(errors[0])
    return prepared[0]


def as_nquads(triples: Graph) -> str:
    """The triples as N-Quads lines in the graph of written reports, one statement a line (rdflib's
    n3() writes a literal with a line break as a Turtle long string, which N-Quads does not allow)."""
    lines = sorted(triples.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines())
    return "".join(f"{line[: -len(' .')]} <{REPORTS_GRAPH}> .\n" for line in lines if line.endswith(" ."))


# -- no lost update -----------------------------------------------------------------------------


@dataclass
class _Known:
    iri: str
    supersedes: str | None
    when: str


def in_engine(engine: Engine, prepared: Prepared) -> list[_Known]:
    """The reports for the element and period the engine holds: those loaded with the store, and
    the journal's as they were when it was opened. It never changes, so this is read before the
    journal's lock is taken: the lock is held only for the journal's own records."""
    period = str(prepared.period.iri)
    return [
        _Known(r.iri, r.revises, r.generated)
        for r in progress.reports(engine, prepared.element.iri)
        if str(r.period.iri) == period
    ]


def check_newest(
    engine: Engine | None,
    prepared: Prepared,
    records: list[Record],
    batch: list[Prepared] = (),
    engine_known: list[_Known] | None = None,
) -> None:
    """Refuse a write whose superseded report is not the newest for its element and period:
    the reports of the engine, then of the journal (``records``), then earlier in the batch."""
    found = {k.iri: k for k in (engine_known if engine_known is not None else in_engine(engine, prepared))}
    period = str(prepared.period.iri)
    for record in [*records, *(p.record for p in batch)]:
        if record.element == prepared.element.iri and record.period == period:
            found[record.report] = _Known(record.report, record.supersedes, record.audit.get("at", ""))
    known = list(found.values())
    superseded = {k.supersedes for k in known if k.supersedes}
    newest = sorted((k for k in known if k.iri not in superseded), key=lambda k: k.when)
    name = prepared.element.name
    wanted = prepared.record.supersedes
    if wanted is None:
        if newest:
            raise Conflict(
                f"{name} already has a report for {prepared.period.name}: {newest[-1].iri}; "
                "write a correction with --supersedes naming it"
            )
        return
    if wanted not in {k.iri for k in known}:
        raise WriteError(f"{wanted} is no report on {name} for {prepared.period.name}")
    if wanted in superseded:
        raise Conflict(f"{wanted} is superseded by a newer report, {newest[-1].iri}: read it, then supersede that one")


# -- writing ------------------------------------------------------------------------------------


def write(source: sources.Source, engine: Engine, prepared: list[Prepared]) -> list[Record]:
    """Write checked reports, all or none: under the journal's lock, or as conditional updates of
    an endpoint. Returns their records once durable."""
    if not prepared:
        return []
    if isinstance(engine, RemoteEngine):
        return [_insert(engine, p) for p in prepared]
    journal: Journal = sources.journal(source)
    try:
        known = [in_engine(engine, item) for item in prepared]
        with journal.locked():
            for number, item in enumerate(prepared):
                keyed = journal.about(item.record.element, item.record.period)
                check_newest(None, item, keyed, prepared[:number], known[number])
            for number, item in enumerate(prepared):
                if len(prepared) > 1:
                    item.record.audit["batch"] = [number + 1, len(prepared), prepared[0].record.report]
                journal.append(item.record)
    except JournalError as error:
        raise WriteError(str(error)) from None
    return [p.record for p in prepared]


# Writers of one process take turns on an endpoint; writers of several processes are kept apart by
# the check after the insert (see _insert).
_REMOTE_WRITES = threading.Lock()


def _insert(engine: RemoteEngine, prepared: Prepared) -> Record:
    """One report on an endpoint: a conditional SPARQL 1.1 Update, then a check that no other
    report on the same element, period and predecessor got in beside it. A store that runs updates
    on snapshots (the Oxigraph server does) lets two concurrent conditional inserts both pass; the
    writer that then sees a rival withdraws its own report and is told, so two never both win."""
    record = prepared.record
    triples = "\n".join(line.rsplit(" ", 2)[0] + " ." for line in record.nquads.splitlines())
    text = query("progress_insert").replace("#DATA", triples)
    bindings = {"graph": REPORTS_GRAPH, "element": URIRef(record.element), "period": URIRef(record.period)}
    if record.supersedes:
        bindings["supersedes"] = URIRef(record.supersedes)
    with _REMOTE_WRITES:
        check_newest(engine, prepared, [])
        _update(engine, _values_first(text, bindings))
        if not engine.query(query("progress_report_exists"), {"report": URIRef(record.report)}).boolean:
            check_newest(engine, prepared, [])  # names the newer report that won
            raise Conflict(
                f"{prepared.element.ref}: a newer report was written at the same time; read it and try again"
            )
        known = in_engine(engine, prepared)
        rivals = [k.iri for k in known if k.iri != record.report and k.supersedes == record.supersedes]
        if rivals:
            _update(engine, f"DELETE DATA {{ GRAPH <{REPORTS_GRAPH}> {{\n{triples}\n}} }}")
            raise Conflict(
                f"{prepared.element.ref} already has a report for {prepared.period.name}: {rivals[0]}, "
                "written at the same time; read it and try again"
            )
    return record


def _update(engine: RemoteEngine, update: str) -> None:
    from SPARQLWrapper import POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    wrapper = SPARQLWrapper(engine.endpoint, updateEndpoint=_update_endpoint(engine.endpoint))
    wrapper.setMethod(POST)
    wrapper.setTimeout(int(engine.timeout))
    wrapper.setQuery(update)
    try:
        wrapper.query()
    except (SPARQLWrapperException, OSError) as error:
        raise WriteError(f"{engine.endpoint}: report not written: {' '.join(str(error).split())}") from None


def _update_endpoint(endpoint: str) -> str:
    """Oxigraph serves updates at /update beside /query; other servers take both at one URL."""
    return endpoint[: -len("/query")] + "/update" if endpoint.endswith("/query") else endpoint


def records(source: sources.Source) -> list[Record]:
    journal = sources.journal(source)
    return journal.records() if journal is not None else []


def restated(prepared: Prepared, at: str | None = None) -> Prepared:
    """A correction of a checked report that says the same again, made now: a new report that
    supersedes it. The shapes judged the first; a restatement differs only in its IRI, time and
    the report it revises, so the bench and the fault tests can make many without checking each."""
    old = prepared.record
    report = str(ID[f"report/{uuid.uuid4().hex}"])
    at = at or _now()
    lines = []
    for line in old.nquads.replace(old.report, report).splitlines():
        if f"<{PROV.wasRevisionOf}>" in line:
            continue
        if f"<{PROV.generatedAtTime}>" in line or f"<{PROV.endedAtTime}>" in line:
            subject, predicate = line.split(" ", 2)[:2]
            line = f'{subject} {predicate} "{at}"^^<{XSD.dateTime}> <{REPORTS_GRAPH}> .'
        lines.append(line)
    lines.append(f"<{report}> <{PROV.wasRevisionOf}> <{old.report}> <{REPORTS_GRAPH}> .")
    audit = {**old.audit, "at": at, "what": f"added report {report}, superseding {old.report}"}
    audit.pop("batch", None)
    record = Record(report, old.element, old.period, old.report, "".join(f"{x}\n" for x in lines), audit)
    return Prepared(record, prepared.element, prepared.period)
