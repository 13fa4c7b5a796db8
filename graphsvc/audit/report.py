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
from rdflib.plugins.sparql import prepareQuery

from graphsvc.engine.engines import Engine, RdflibEngine, RemoteEngine
from graphsvc.namespaces import BASE, GS
from graphsvc.queries import query
from graphsvc.refs import natural_key

SEVERITIES = ("Violation", "Warning", "Info")
NO_OWNER = "(no owner)"

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


@dataclass
class Finding:
    severity: str  # "Violation" | "Warning" | "Info"
    focus: str  # the focus node's IRI; for a blank node, the IRI of the element it belongs to
    ref: str | None  # ref (skos:notation) of the plan element the finding is about
    label: str | None
    owner: str | None  # label(s) of the lead(s) of the item the finding is about, "; "-joined
    shape: str  # e.g. "quality:ItemMeasurableOutcome"
    message: str


@dataclass
class AuditReport:
    conforms: bool  # no Violation (Warnings and Infos do not fail a plan)
    totals: dict  # findings, by_severity, by_owner (see totals())
    results: list[Finding] = field(default_factory=list)
    report_graph: Graph = field(default_factory=Graph)  # the standard sh:ValidationReport

    def to_json(self) -> dict:
        return {
            "conforms": self.conforms,
            "totals": self.totals,
            "results": [
                {key: getattr(f, key) for key in ("severity", "focus", "ref", "label", "owner", "shape", "message")}
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
    """Counts by severity and by owner. A finding on an item with two leads counts once for each lead
    (both must act), so the owners' counts can add up to more than the findings."""
    severities = Counter(f.severity for f in findings)
    return {
        "findings": len(findings),
        "by_severity": {s: severities[s] for s in SEVERITIES},
        "by_owner": {row["owner"]: {s: row[s] for s in SEVERITIES} for row in gaps_per_owner(findings)},
    }


def gaps_per_owner(findings: list[Finding]) -> list[dict]:
    """Each owner with its findings counted by severity, the most Violations (then Warnings, Infos)
    first and findings without an owner last: the table of `graphsvc validate` and /validation."""
    counted: dict[str, Counter] = {}
    for finding in findings:
        for owner in owners(finding):
            counted.setdefault(owner, Counter())[finding.severity] += 1
    order = sorted(counted, key=lambda o: (o == NO_OWNER, *(-counted[o][s] for s in SEVERITIES), o))
    return [{"owner": o, **{s: counted[o][s] for s in SEVERITIES}, "total": sum(counted[o].values())} for o in order]


def grouped_by_owner(findings: list[Finding]) -> dict[str, list[Finding]]:
    """Each owner's findings (a jointly led item's under each lead), owners as gaps_per_owner orders
    them, each owner's findings by severity, then ref."""
    groups = {row["owner"]: [] for row in gaps_per_owner(findings)}
    for finding in sorted(findings, key=lambda f: order_key(f)[1:]):
        for owner in owners(finding):
            groups[owner].append(finding)
    return groups


def report(findings: list[Finding], report_graph: Graph | None = None) -> AuditReport:
    """The report of these findings, sorted and counted; it conforms when there is no Violation."""
    findings = sorted(findings, key=order_key)
    return AuditReport(
        conforms=not any(f.severity == "Violation" for f in findings),
        totals=totals(findings),
        results=findings,
        report_graph=report_graph if report_graph is not None else Graph(),
    )


@cache
def _prepared(name: str):
    """Parsed once: parsing, not running, is what costs on rdflib for these small look-ups."""
    return prepareQuery(query(name))


def _and(names: list[str]) -> str:
    return " and ".join(names) if len(names) < 3 else f"{', '.join(names[:-1])} and {names[-1]}"


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

    def _query(self, name: str, bindings: dict) -> list[dict]:
        if isinstance(next(iter(bindings.values())), BNode) and isinstance(self.engine, RemoteEngine):
            return []
        text = _prepared(name) if isinstance(self.engine, RdflibEngine) else query(name)
        return self.engine.query(text, bindings).rows

    def finding(self, severity: str, focus, value, shape: str, template: str) -> Finding:
        """One result of a shape (its sh:message with placeholders unfilled) as a finding people can act on."""
        subject = self._subject(focus)
        return Finding(
            severity=severity,
            focus=str(self._named(focus)),
            ref=subject.notation,
            label=subject.label,
            owner="; ".join(self._leads(focus)) or None,
            shape=shape,
            message=self.message(template, focus, value),
        )

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
        rows = self._query("validate_leads", {"node": node})
        return sorted({str(row.get("leadLabel", row["lead"])) for row in rows})

    def _measures(self, node) -> str:
        rows = self._query("validate_measures", {"item": node})
        refs = sorted((str(row.get("notation", row["measure"])) for row in rows), key=natural_key)
        return ", ".join(refs) or "no measures"

    def message(self, template: str, focus, value) -> str:
        fillers = {
            "{this}": lambda: self._name(focus),
            "{value}": lambda: self._name(value) if value is not None else "",
            "{leads}": lambda: _and(self._leads(focus)) or "none",
            "{measures}": lambda: self._measures(focus),
        }
        for placeholder, fill in fillers.items():
            if placeholder in template:
                template = template.replace(placeholder, fill())
        return template[:1].upper() + template[1:]
