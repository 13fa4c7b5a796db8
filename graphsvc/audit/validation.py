"""The SHACL audit of a plan graph: integrity and plan-quality shapes, findings people can act on.

pySHACL reports focus nodes and shape IRIs; graphsvc.audit.report turns them into findings people
can act on, worded, sorted and counted as the shapes' SPARQL form's are; the filled-in messages
also replace the templates in the standard report graph.

Both shape files are always loaded, because the shapes of one set use the measurability rule
defined in the other; a set that is not selected is switched off with sh:deactivated.
"""

from __future__ import annotations

from functools import cache

import pyshacl
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import SH

from graphsvc import resources
from graphsvc.audit import report as audit_report
from graphsvc.audit.report import NO_OWNER, SEVERITIES, AuditReport, Finding, Namer  # noqa: F401  (the audit's API)
from graphsvc.engine import graph as graphs
from graphsvc.engine.engines import RdflibEngine
from graphsvc.namespaces import BASE, PREFIXES

SHAPE_SETS = ("integrity", "quality")

SHAPE_NAMESPACES = {name: Namespace(f"{BASE}shapes/{name}#") for name in SHAPE_SETS}

_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


def _selection(shape_sets) -> tuple[str, ...]:
    chosen = (shape_sets,) if isinstance(shape_sets, str) else tuple(shape_sets)
    unknown = [name for name in chosen if name not in SHAPE_SETS]
    if unknown or not chosen:
        raise ValueError(f"unknown shape set(s) {unknown or chosen!r}: choose from {', '.join(SHAPE_SETS)}")
    return chosen


@cache
def _shapes_graph(chosen: frozenset) -> Graph:
    shapes = graphs.load(resources.shape_files())
    for name, namespace in SHAPE_NAMESPACES.items():
        if name in chosen:
            continue
        for predicate in _TARGETS:
            for shape in set(shapes.subjects(predicate, None)):
                if str(shape).startswith(str(namespace)):
                    shapes.add((shape, SH.deactivated, Literal(True)))
    return shapes


@cache
def _ontology() -> Graph:
    return graphs.ontology()


def audit(data: Graph, shape_sets=SHAPE_SETS) -> AuditReport:
    """Audit data triples (the ontology is added here, so sh:class sees subclasses)."""
    chosen = _selection(shape_sets)
    shapes = _shapes_graph(frozenset(chosen))
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
    for prefix, namespace in [*PREFIXES.items(), *SHAPE_NAMESPACES.items()]:
        report.bind(prefix, namespace)
    report.bind("sh", SH)
    namer = Namer(RdflibEngine(combined))
    findings = []
    for result in report.objects(None, SH.result):  # not the nested sh:detail results
        focus, value = report.value(result, SH.focusNode), report.value(result, SH.value)
        severity = str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]
        shape = _shape_name(shapes, report.value(result, SH.sourceShape))
        finding = namer.finding(severity, focus, value, shape, str(report.value(result, SH.resultMessage) or ""))
        report.set((result, SH.resultMessage, Literal(finding.message)))  # the report graph says it as people do
        findings.append(finding)
    return audit_report.report(findings, report, namer.population(), chosen)


def _shape_name(shapes: Graph, shape) -> str:
    """The named shape a result comes from ("quality:ItemMeasurableOutcome"): a blank property shape
    is named by its node shape."""
    for _ in range(5):
        if isinstance(shape, URIRef):
            break
        parent = shapes.value(None, SH.property, shape)
        if parent is None:
            break
        shape = parent
    for name, namespace in SHAPE_NAMESPACES.items():
        if str(shape).startswith(str(namespace)):
            return f"{name}:{str(shape)[len(str(namespace)) :]}"
    return str(shape)
