"""The audit's findings, one way for every engine: how they are named, worded, sorted, counted and grouped.

pySHACL (graphsvc.audit.validation) and the shapes' SPARQL form (graphsvc.audit.sparql_audit) both report
raw results: a focus node, a value, a shape and its sh:message with placeholders ({this},
{value}, {leads}, {measures}; see shapes/integrity.ttl). Here they become findings people can act
on ("Delivery item 1.3 'Tackle emerging drug threats' has no measurable success measure") with
the lead accountable for fixing each, whichever engine found them, and `graphsvc validate` and
/validation count and group them with the same functions.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDFS, SH
from rdflib.plugins.sparql import prepareQuery

from graphsvc import resources
from graphsvc.engine import graph as graphs
from graphsvc.engine.engines import Engine, RdflibEngine
from graphsvc.namespaces import BASE, GS
from graphsvc.queries import query
from graphsvc.refs import natural_key
from graphsvc.words import joined

SEVERITIES = ("Violation", "Warning", "Info")
NO_OWNER = "(no owner)"
SHAPE_SETS = ("integrity", "quality")

# The one counting rule, for every table of findings by owner (the command line's and the web's),
# in the words the reports print it in.
COUNTING_RULE = (
    "A finding counts once for each owner of the item it is about: each lead of the item, and every post, unit,"
    " business group and the force that the lead's accountability rolls up to (business group > unit > post >"
    " person), as ownership rolls up. A jointly led item's finding counts for each lead and each group above"
    " them, but never twice for the same owner, so the owners' counts add up to more than the findings."
)
# The order owners are listed in: up the organisation first, as the board reads it.
KIND_ORDER = ("organisation", "business group", "unit", "post", "person", "partner agency")

# Display names for the W3C classes the ontology reuses (its own classes carry rdfs:label).
_KIND_NAMES = {
    "http://www.w3.org/ns/prov#Attribution": "responsibility link",
    "http://www.w3.org/ns/org#FormalOrganization": "organisation",
    "http://www.w3.org/ns/org#Organization": "organisation",
    "http://www.w3.org/ns/org#OrganizationalUnit": "unit",
    "http://www.w3.org/ns/org#Post": "post",
    "http://xmlns.com/foaf/0.1/Person": "person",
    "http://xmlns.com/foaf/0.1/Document": "document",
}
# How a node hangs from the element it belongs to, in order of preference (a footnote is named
# through the element carrying its marker, not its plan), and what an untyped node is called.
_LINKS = {
    str(GS.footnote): (0, "footnote"),
    "http://www.w3.org/ns/prov#qualifiedAttribution": (1, "responsibility link"),
    str(GS.target): (1, "target"),
    str(GS.progress): (1, "progress entry"),
    "http://purl.org/dc/terms/isPartOf": (2, "element"),
}
_LABEL_LENGTH = 70


@dataclass(frozen=True)
class Agent:
    """An owner a finding counts for: a lead, or a post, unit, business group or force above it."""

    iri: str
    label: str
    short: str | None  # the plan's abbreviation ("SCD"), if it has one
    kind: str  # "business group", "unit", "post", "person", "organisation", "partner agency"

    @property
    def name(self) -> str:
        return f"{self.label} ({self.short})" if self.short and self.short != self.label else self.label


@dataclass
class Finding:
    severity: str  # "Violation" | "Warning" | "Info"
    focus: str  # the focus node's IRI; for a blank node, the IRI of the element it belongs to
    ref: str | None  # ref (skos:notation) of the plan element the finding is about
    label: str | None
    owner: str | None  # label(s) of the lead(s) of the item the finding is about, "; "-joined
    shape: str  # e.g. "quality:ItemMeasurableOutcome"
    message: str
    kind: str | None = None  # what the element is: "delivery item", "success measure", "activity"...
    fix: str | None = None  # what would fix it: the shape's sh:description, filled in as the message is
    accountable: tuple[Agent, ...] = ()  # every owner it counts for (see COUNTING_RULE), up the organisation

    @property
    def name(self) -> str:
        """The element's ref, or the last part of its IRI for one without (2004-5 activity "1-3")."""
        return self.ref or self.focus.rstrip("/").rsplit("/", 1)[-1]


RESULT_KEYS = ("severity", "focus", "ref", "label", "owner", "shape", "message", "kind", "fix")


@dataclass
class AuditReport:
    conforms: bool  # no Violation (Warnings and Infos do not fail a plan)
    totals: dict  # findings, by_severity, by_owner, by_organisation (see totals())
    results: list[Finding] = field(default_factory=list)
    report_graph: Graph = field(default_factory=Graph)  # the standard sh:ValidationReport
    population: dict = field(default_factory=dict)  # how many delivery items, activities, success measures
    shape_sets: tuple = SHAPE_SETS  # the shape sets that were run

    def to_json(self) -> dict:
        return {
            "conforms": self.conforms,
            "totals": self.totals,
            "counting_rule": COUNTING_RULE,
            "answers": plain_answers(self),
            "by_organisation": gaps_per_organisation(self.results),
            "by_check": by_check(self.results),
            "results": [
                {
                    **{key: getattr(f, key) for key in RESULT_KEYS},
                    "accountable": [agent.name for agent in f.accountable],
                }
                for f in self.results
            ],
        }


def owners(finding: Finding) -> list[str]:
    """The leads a finding counts against: each lead of a jointly led item, or NO_OWNER."""
    return finding.owner.split("; ") if finding.owner else [NO_OWNER]


def order_key(finding: Finding) -> tuple:
    """The one order of findings: by owner, severity, ref in natural order, then node, shape, message."""
    return (
        finding.owner or "~",
        SEVERITIES.index(finding.severity),
        natural_key(finding.ref),
        natural_key(finding.focus),
        finding.shape,
        finding.message,
    )


def totals(findings: list[Finding]) -> dict:
    """Counts by severity, by lead and by every owner up the organisation, under COUNTING_RULE: a
    finding on an item with two leads counts once for each lead (both must act), so the owners'
    counts can add up to more than the findings."""
    severities = Counter(f.severity for f in findings)
    return {
        "findings": len(findings),
        "by_severity": {s: severities[s] for s in SEVERITIES},
        "by_owner": {row["owner"]: {s: row[s] for s in SEVERITIES} for row in gaps_per_owner(findings)},
        "by_organisation": {row["owner"]: {s: row[s] for s in SEVERITIES} for row in gaps_per_organisation(findings)},
    }


def _counted(findings: list[Finding], owners_of) -> dict[str, dict]:
    """COUNTING_RULE, the one place it is applied: each finding once for each distinct owner
    ``owners_of`` names for it (NO_OWNER when none)."""
    counted: dict[str, dict] = {}
    for finding in findings:
        for owner in dict.fromkeys(owners_of(finding)) or [NO_OWNER]:
            row = counted.setdefault(owner, {"counts": Counter(), "refs": []})
            row["counts"][finding.severity] += 1
            if finding.name not in row["refs"]:
                row["refs"].append(finding.name)
    for row in counted.values():
        row["refs"].sort(key=natural_key)
    return counted


def _row(owner: str, counted: dict) -> dict:
    counts = counted[owner]["counts"]
    return {"owner": owner, **{s: counts[s] for s in SEVERITIES}, "total": sum(counts.values())}


def _worst_first(counted: dict, owner: str) -> tuple:
    return tuple(-counted[owner]["counts"][s] for s in SEVERITIES)


def gaps_per_owner(findings: list[Finding]) -> list[dict]:
    """Each lead with its findings counted by severity, the most Violations (then Warnings, Infos)
    first and findings without an owner last: the "gaps per lead" table."""
    counted = _counted(findings, lambda f: owners(f) if f.owner else [])
    order = sorted(counted, key=lambda o: (o == NO_OWNER, *_worst_first(counted, o), o))
    return [_row(o, counted) for o in order]


def gaps_per_organisation(findings: list[Finding]) -> list[dict]:
    """Every owner up the organisation with its findings counted by severity (COUNTING_RULE): the
    force, then business groups, units, posts and people, each the most Violations first; findings
    without an owner last. Each row names the refs of the elements its findings are about."""
    agents = {agent.name: agent for f in findings for agent in f.accountable}
    counted = _counted(findings, lambda f: [agent.name for agent in f.accountable])

    def order(owner: str) -> tuple:
        agent = agents.get(owner)
        level = KIND_ORDER.index(agent.kind) if agent and agent.kind in KIND_ORDER else len(KIND_ORDER)
        return (owner == NO_OWNER, level, *_worst_first(counted, owner), owner)

    rows = []
    for owner in sorted(counted, key=order):
        agent = agents.get(owner)
        about = {"iri": agent.iri, "label": agent.label, "short": agent.short, "kind": agent.kind} if agent else {}
        rows.append({**_row(owner, counted), **about, "refs": counted[owner]["refs"]})
    return rows


def findings_of(findings: list[Finding], owner: str) -> list[Finding]:
    """The findings that count for one owner of gaps_per_organisation (by its name or IRI)."""
    if owner == NO_OWNER:
        return [f for f in findings if not f.accountable]
    return [f for f in findings if any(owner in (agent.name, agent.iri) for agent in f.accountable)]


def by_check(findings: list[Finding]) -> list[dict]:
    """Each check (shape) that found something, with what it checks, its severity and the refs of the
    elements it found, most severe first; checks in their shapes' order of name."""
    about = checks_described()
    rows: dict[str, dict] = {}
    for finding in findings:
        row = rows.setdefault(
            finding.shape,
            {
                "check": finding.shape,
                **about.get(finding.shape, {}),
                "severity": finding.severity,
                "count": 0,
                "refs": [],
            },
        )
        row["count"] += 1
        if finding.name not in row["refs"]:
            row["refs"].append(finding.name)
    for row in rows.values():
        row["refs"].sort(key=natural_key)
    return sorted(rows.values(), key=lambda r: (SEVERITIES.index(r["severity"]), r["check"]))


@cache
def checks_described() -> dict[str, dict]:
    """Each shape of shapes/*.ttl by name ("quality:HasLead") with its label, what it checks
    (rdfs:comment) and what would fix a finding of it (sh:description, with placeholders): the
    shapes are the one statement of what the audit checks."""
    shapes = graphs.load(resources.shape_files())
    described = {}
    for name in SHAPE_SETS:
        namespace = f"{BASE}shapes/{name}#"
        for shape in set(shapes.subjects(RDFS.label, None)):
            if isinstance(shape, URIRef) and str(shape).startswith(namespace) and str(shape) != namespace:
                text = {key: shapes.value(shape, p) for key, p in (("label", RDFS.label), ("about", RDFS.comment))}
                fix = shapes.value(shape, SH.description)
                described[f"{name}:{str(shape)[len(namespace) :]}"] = {
                    **{key: str(value) if value is not None else None for key, value in text.items()},
                    "fix": str(fix) if fix is not None else None,
                }
    return described


# The board's questions, answered from the findings: (question, checks, kind of element, the
# population it is "of", and whether "yes" means none of them was found).
QUESTIONS = (
    ("Every delivery item has a lead", ("quality:HasLead",), "delivery item", str(GS.DeliveryItem), True),
    ("Every activity has a lead", ("quality:HasLead",), "activity", str(GS.Activity), True),
    (
        "Items without a measurable outcome",
        ("quality:ItemHasSuccessMeasure", "quality:ItemMeasurableOutcome"),
        "delivery item",
        str(GS.DeliveryItem),
        False,
    ),
    ("Success measures that are not measurable", ("quality:MeasureMeasurable",), None, str(GS.SuccessMeasure), False),
    ("Partner dependencies with no lead inside the force", ("quality:PartnerHasInternalOwner",), None, None, False),
    (
        "Delivery items that do not say how they will be achieved",
        ("quality:ItemHasAction",),
        None,
        str(GS.DeliveryItem),
        False,
    ),
    ("Items and activities with shared leadership", ("quality:SharedLeadership",), None, None, False),
    (
        "Activities past their target date with no progress recorded",
        ("quality:PastDueWithoutProgress",),
        None,
        str(GS.Activity),
        False,
    ),
)


def plain_answers(report: AuditReport) -> list[dict]:
    """The board's questions answered in a line each, with the real figures: "Every delivery item has a
    lead: yes, 30 of 30", "Items without a measurable outcome: 5 of 30: 1.2, 1.3, 3.1, 6.1, 6.2"."""
    answers = []
    for question, checks, kind, population, every in QUESTIONS:
        if not any(check.split(":")[0] in report.shape_sets for check in checks):
            continue
        found = [f for f in report.results if f.shape in checks and (kind is None or f.kind == kind)]
        refs = sorted({f.name for f in found}, key=natural_key)
        of = report.population.get(population) if population else None
        if every:
            good = (of or 0) - len(refs)
            answer = "yes" if not refs else "no"
            text = f"{question}: {answer}" + (f", {good} of {of}" if of is not None else "")
            text += f" (not {', '.join(refs)})" if refs else ""
        else:
            answer = len(refs)
            text = f"{question}: {len(refs)}" + (f" of {of}" if of is not None else "")
            text += f": {', '.join(refs)}" if refs else ""
        answers.append(
            {
                "question": question,
                "checks": list(checks),
                "answer": answer,
                "count": len(refs),
                "of": of,
                "refs": refs,
                "text": text,
            }
        )
    if "integrity" in report.shape_sets:
        broken = [f for f in report.results if f.shape.startswith("integrity:")]
        answer = "yes" if not broken else "no"
        text = "The graph itself is well formed (the integrity checks): " + (
            "yes, no finding" if not broken else f"no, {len(broken)} finding{'s' * (len(broken) != 1)}"
        )
        answers.append(
            {
                "question": "The graph itself is well formed",
                "checks": ["integrity:*"],
                "answer": answer,
                "count": len(broken),
                "of": None,
                "refs": sorted({f.name for f in broken}, key=natural_key),
                "text": text,
            }
        )
    return answers


CSV_HEADER = ("severity", "check", "kind", "ref", "label", "lead", "owners", "message", "what would fix it", "focus")


def csv_rows(findings: list[Finding]) -> list[list[str]]:
    """The findings as rows under CSV_HEADER ("owners" is every owner they count for, "; "-joined);
    graphsvc.spreadsheet.csv_io writes them, neutralised."""
    return [
        [
            f.severity,
            f.shape,
            f.kind or "",
            f.name,
            f.label or "",
            f.owner or "",
            "; ".join(a.name for a in f.accountable),
            f.message,
            f.fix or "",
            f.focus,
        ]
        for f in findings
    ]


def grouped_by_owner(findings: list[Finding]) -> dict[str, list[Finding]]:
    """Each owner's findings (a jointly led item's under each lead), owners as gaps_per_owner orders
    them, each owner's findings by severity, then ref."""
    groups = {row["owner"]: [] for row in gaps_per_owner(findings)}
    for finding in sorted(findings, key=lambda f: order_key(f)[1:]):
        for owner in owners(finding):
            groups[owner].append(finding)
    return groups


def report(
    findings: list[Finding], report_graph: Graph | None = None, population: dict | None = None, shape_sets=SHAPE_SETS
) -> AuditReport:
    """The report of these findings, sorted and counted; it conforms when there is no Violation."""
    findings = sorted(findings, key=order_key)
    return AuditReport(
        conforms=not any(f.severity == "Violation" for f in findings),
        totals=totals(findings),
        results=findings,
        report_graph=report_graph if report_graph is not None else Graph(),
        population=population or {},
        shape_sets=(shape_sets,) if isinstance(shape_sets, str) else tuple(shape_sets),
    )


@cache
def _prepared(name: str):
    """Parsed once: parsing, not running, is what costs on rdflib for these small look-ups."""
    return prepareQuery(query(name))


def _short(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= _LABEL_LENGTH else text[: _LABEL_LENGTH - 1].rstrip() + "…"


@dataclass
class _Element:
    node: object
    kind: str
    notation: str | None
    marker: str | None
    label: str | None
    parent: object | None


class Namer:
    """Names the nodes of findings through the audited data, on any engine: kind, ref, label, leads.

    A remote endpoint cannot be asked about its blank nodes: there a blank node is named by kind only.
    """

    def __init__(self, engine: Engine):
        self.engine = engine
        self._elements: dict = {}
        self._rollups: dict = {}
        self._leads_of: dict = {}

    def _query(self, name: str, bindings: dict) -> list[dict]:
        if isinstance(next(iter(bindings.values())), BNode) and not isinstance(self.engine, RdflibEngine):
            # A remote endpoint cannot be asked about its blank nodes, and Oxigraph joins a bound blank
            # node only after planning, walking the whole graph (100k triples: 7 ms a look-up, 16 s an
            # audit): such a node is named by its kind alone there.
            return []
        text = _prepared(name) if isinstance(self.engine, RdflibEngine) else query(name)
        return self.engine.query(text, bindings).rows

    def finding(self, severity: str, focus, value, shape: str, template: str) -> Finding:
        """One result of a shape (its sh:message with placeholders unfilled) as a finding people can act on."""
        subject = self._subject(focus)
        fix = checks_described().get(shape, {}).get("fix")
        return Finding(
            severity=severity,
            focus=str(self._named(focus)),
            ref=subject.notation,
            label=subject.label,
            owner="; ".join(self._leads(focus)) or None,
            shape=shape,
            message=self.message(template, focus, value),
            kind=subject.kind,
            fix=self.message(fix, focus, value) if fix else None,
            accountable=self._accountable(focus),
        )

    def _lead_rows(self, node) -> list[dict]:
        """The leads of the item a node is or belongs to, asked once per node (the message and the
        roll-up both need them)."""
        if node not in self._leads_of:
            self._leads_of[node] = self._query("validate_leads", {"node": node})
        return self._leads_of[node]

    def population(self) -> dict[str, int]:
        """How many delivery items, activities and success measures the data has, by class IRI."""
        return {str(row["class"]): int(row["count"]) for row in self.engine.query(query("validate_population")).rows}

    def _accountable(self, node) -> tuple[Agent, ...]:
        """Every owner a finding on the node counts for: its item's leads and all above them, each once."""
        agents: dict[str, Agent] = {}
        for row in self._lead_rows(node):
            lead = row["lead"]
            if lead not in self._rollups:
                self._rollups[lead] = self._rollup(lead)
            agents.update((agent.iri, agent) for agent in self._rollups[lead])
        return tuple(
            sorted(agents.values(), key=lambda a: (KIND_ORDER.index(a.kind) if a.kind in KIND_ORDER else 9, a.label))
        )

    def counts_for(self, leads) -> list[Agent]:
        """Everything the leads' accountability rolls up to, the leads themselves left out, from the
        nearest kind upwards (post, unit, business group, force): whom an item counts for. The same
        roll-up the audit counts findings by, so an item page and /validation never disagree."""
        own = {str(lead) for lead in leads}
        agents: dict[str, Agent] = {}
        for lead in leads:
            lead = URIRef(str(lead))
            if lead not in self._rollups:
                self._rollups[lead] = self._rollup(lead)
            agents.update((agent.iri, agent) for agent in self._rollups[lead] if agent.iri not in own)
        level = lambda a: KIND_ORDER.index(a.kind) if a.kind in KIND_ORDER else -1  # noqa: E731
        return sorted(agents.values(), key=lambda a: (-level(a), a.label))

    def _rollup(self, lead) -> list[Agent]:
        rows = self._query("rollup", {"lead": lead})
        found: dict[str, dict] = {}
        for row in rows:
            entry = found.setdefault(str(row["agent"]), {"label": None, "short": None, "types": {}})
            entry["label"] = entry["label"] or (str(row["label"]) if "label" in row else None)
            entry["short"] = entry["short"] or (str(row["short"]) if "short" in row else None)
            if "type" in row:
                entry["types"][row["type"]] = row.get("typeLabel")
        return [
            Agent(iri, entry["label"] or iri, entry["short"], self._kind(entry["types"]) or "agent")
            for iri, entry in found.items()
        ]

    def _element(self, node) -> _Element:
        if node not in self._elements:
            rows = self._query("validate_element", {"node": node})
            types = {row["type"]: row.get("typeLabel") for row in rows if "type" in row}
            parents = sorted(
                (_LINKS[str(row["link"])], str(row["parent"]), row["parent"]) for row in rows if "parent" in row
            )
            first = lambda key: next((str(row[key]) for row in rows if key in row), None)  # noqa: E731
            self._elements[node] = _Element(
                node=node,
                kind=self._kind(types) or (parents[0][0][1] if parents else "element"),
                notation=first("notation"),
                marker=first("marker"),
                label=first("label"),
                parent=parents[0][2] if parents else None,
            )
        return self._elements[node]

    @staticmethod
    def _kind(types: dict) -> str | None:
        own = sorted(str(label) for t, label in types.items() if label is not None and str(t).startswith(BASE))
        if own:
            return own[0]
        known = sorted(_KIND_NAMES[str(t)] for t in types if str(t) in _KIND_NAMES)
        return known[0] if known else None

    def _subject(self, node) -> _Element:
        """The labelled plan or organisation element a node is, or belongs to."""
        element = self._element(node)
        for _ in range(3):
            if isinstance(element.node, URIRef) and (element.label or element.notation) and element.marker is None:
                return element
            if element.parent is None:
                return element
            element = self._element(element.parent)
        return element

    def _named(self, node):
        while isinstance(node, BNode):
            parent = self._element(node).parent
            if parent is None:
                return node
            node = parent
        return node

    def _name(self, node, brief: bool = False) -> str:
        """Kind, ref and label; an element without a ref is named through the one it belongs to."""
        if isinstance(node, Literal):
            return str(node)
        element = self._element(node)
        parts = [element.kind]
        if element.notation or element.marker:
            parts.append(element.notation or element.marker)
        if element.label and not (brief and element.notation):
            parts.append(f"'{_short(element.label)}'")
        if not element.notation and element.parent is not None and not brief:
            # an activity or action has its own text: its parent needs only kind and ref
            own_text = isinstance(node, URIRef) and element.label is not None
            parts.append(f"of {self._name(element.parent, brief=own_text)}")
        elif len(parts) == 1:
            parts.append(f"<{node}>")
        return " ".join(parts)

    def _leads(self, node) -> list[str]:
        rows = self._lead_rows(node)
        return sorted({str(row.get("leadLabel", row["lead"])) for row in rows})

    def _measures(self, node) -> str:
        rows = self._query("validate_measures", {"item": node})
        refs = sorted((str(row.get("notation", row["measure"])) for row in rows), key=natural_key)
        return ", ".join(refs) or "no measures"

    def message(self, template: str, focus, value) -> str:
        fillers = {
            "{this}": lambda: self._name(focus),
            "{value}": lambda: self._name(value) if value is not None else "",
            "{leads}": lambda: joined(self._leads(focus)) or "none",
            "{measures}": lambda: self._measures(focus),
        }
        for placeholder, fill in fillers.items():
            if placeholder in template:
                template = template.replace(placeholder, fill())
        return template[:1].upper() + template[1:]
