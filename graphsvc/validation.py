"""The SHACL audit of a plan graph: integrity and plan-quality shapes, findings people can act on.

pySHACL reports focus nodes and shape IRIs; people need "delivery item 1.3 'Tackle emerging drug
threats' has no measurable success measure" and who is accountable for fixing it. So the shapes'
sh:message texts carry placeholders ({this}, {value}, {leads}, {measures}; see shapes/integrity.ttl)
that are filled in here from the audited graph, in the findings and in the report graph alike.

Both shape files are always loaded, because the shapes of one set use the measurability rule
defined in the other; a set that is not selected is switched off with sh:deactivated.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cache

import pyshacl
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SH
from rdflib.plugins.sparql import prepareQuery

from . import graph as graphs
from . import resources
from .engine import RdflibEngine
from .namespaces import BASE, GS, PREFIXES
from .queries import query
from .refs import natural_key

SHAPE_SETS = ("integrity", "quality")
SEVERITIES = ("Violation", "Warning", "Info")
NO_OWNER = "(no owner)"

SHAPES = {name: Namespace(f"{BASE}shapes/{name}#") for name in SHAPE_SETS}

_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)

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
    totals: dict
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


def _selection(shape_sets) -> tuple[str, ...]:
    chosen = (shape_sets,) if isinstance(shape_sets, str) else tuple(shape_sets)
    unknown = [name for name in chosen if name not in SHAPE_SETS]
    if unknown or not chosen:
        raise ValueError(f"unknown shape set(s) {unknown or chosen!r}: choose from {', '.join(SHAPE_SETS)}")
    return chosen


@cache
def _shapes_graph(chosen: frozenset) -> Graph:
    shapes = graphs.load(resources.shape_files())
    for name, namespace in SHAPES.items():
        if name in chosen:
            continue
        for predicate in _TARGETS:
            for shape in set(shapes.subjects(predicate, None)):
                if str(shape).startswith(str(namespace)):
                    shapes.add((shape, SH.deactivated, Literal(True)))
    return shapes


@cache
def _prepared(name: str):
    """Parsed once: parsing, not running, is what costs on rdflib for these small look-ups."""
    return prepareQuery(query(name))


@cache
def _ontology() -> Graph:
    return graphs.ontology()


def audit(data: Graph, shape_sets=SHAPE_SETS) -> AuditReport:
    """Audit data triples (the ontology is added here, so sh:class sees subclasses)."""
    shapes = _shapes_graph(frozenset(_selection(shape_sets)))
    combined = Graph()
    for prefix, namespace in PREFIXES.items():
        combined.bind(prefix, namespace)
    combined += _ontology()
    combined += data
    conforms, report, text = pyshacl.validate(
        combined, shacl_graph=shapes, inference="none", allow_warnings=True, inplace=True
    )
    if not isinstance(report, Graph):  # pySHACL reports a broken shapes graph this way
        raise RuntimeError(" ".join(str(text).split()))
    for prefix, namespace in [*PREFIXES.items(), *SHAPES.items()]:
        report.bind(prefix, namespace)
    report.bind("sh", SH)
    results = _Explainer(combined, shapes).findings(report)
    return AuditReport(conforms=bool(conforms), totals=_totals(results), results=results, report_graph=report)


def _totals(results: list[Finding]) -> dict:
    by_owner: dict[str, Counter] = {}
    for finding in results:
        by_owner.setdefault(finding.owner or NO_OWNER, Counter())[finding.severity] += 1
    severities = Counter(f.severity for f in results)
    return {
        "findings": len(results),
        "by_severity": {s: severities[s] for s in SEVERITIES},
        "by_owner": {owner: {s: counts[s] for s in SEVERITIES} for owner, counts in by_owner.items()},
    }


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


class _Explainer:
    """Turns pySHACL's results into Findings, naming nodes through the audited graph."""

    def __init__(self, data: Graph, shapes: Graph):
        self.engine = RdflibEngine(data)
        self.shapes = shapes
        self._elements: dict = {}

    def findings(self, report: Graph) -> list[Finding]:
        results = []
        for result in report.objects(None, SH.result):  # not the nested sh:detail results
            focus = report.value(result, SH.focusNode)
            value = report.value(result, SH.value)
            template = str(report.value(result, SH.resultMessage) or "")
            message = self._message(template, focus, value)
            report.remove((result, SH.resultMessage, None))
            report.add((result, SH.resultMessage, Literal(message)))
            subject = self._subject(focus)
            owner = "; ".join(self._leads(focus)) or None
            results.append(
                Finding(
                    severity=str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1],
                    focus=str(self._named(focus)),
                    ref=subject.notation,
                    label=subject.label,
                    owner=owner,
                    shape=self._shape_name(report.value(result, SH.sourceShape)),
                    message=message,
                )
            )
        results.sort(
            key=lambda f: (
                f.owner or "~",
                SEVERITIES.index(f.severity),
                natural_key(f.ref),
                natural_key(f.focus),
                f.shape,
                f.message,
            )
        )
        return results

    def _element(self, node) -> _Element:
        if node not in self._elements:
            rows = self.engine.query(_prepared("validate_element"), {"node": node}).rows
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
        rows = self.engine.query(_prepared("validate_leads"), {"node": node}).rows
        return sorted({str(row.get("leadLabel", row["lead"])) for row in rows})

    def _measures(self, node) -> str:
        rows = self.engine.query(_prepared("validate_measures"), {"item": node}).rows
        refs = sorted((str(row.get("notation", row["measure"])) for row in rows), key=natural_key)
        return ", ".join(refs) or "no measures"

    def _message(self, template: str, focus, value) -> str:
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

    def _shape_name(self, shape) -> str:
        """The named shape a result comes from: a blank property shape is named by its node shape."""
        for _ in range(5):
            if isinstance(shape, URIRef):
                break
            parent = self.shapes.value(None, SH.property, shape)
            if parent is None:
                break
            shape = parent
        for name, namespace in SHAPES.items():
            if str(shape).startswith(str(namespace)):
                return f"{name}:{str(shape)[len(str(namespace)) :]}"
        return str(shape)
