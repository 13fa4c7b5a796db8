"""The shapes audit as plain SPARQL on any engine: pySHACL's results, at national scale.

pySHACL walks the graph in Python and needs it in rdflib: 38 s on a million triples. Each
targeted shape of shapes/*.ttl is compiled by graphsvc.audit.shacl_sparql into one set-based query
that returns exactly the results pySHACL reports for it (focus, value, the shape's sh:message),
so the audit runs inside the engine, embedded, persisted or remote, and the shapes stay the one
place each rule is written. The two are tested equal on the built-in plans, on generated
national data, on every shape fixture and on edge cases of several values
(tests/test_sparql_audit.py). How the queries are worded for Oxigraph's planner, and kept safe
for Virtuoso, is described in graphsvc.audit.shacl_sparql; at a million triples in memory the whole
audit takes 1.2x as long as the hand-written queries it replaced, and 1.4x at 100k.

Severities are read from the shapes with the queries, so the two cannot drift apart there.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache

from rdflib import URIRef
from rdflib.term import Node

from graphsvc import resources
from graphsvc.audit import report as audit_report
from graphsvc.audit import shacl_sparql
from graphsvc.audit.report import AuditReport, Namer
from graphsvc.audit.validation import SHAPE_NAMESPACES, SHAPE_SETS
from graphsvc.engine import graph as graphs
from graphsvc.engine.engines import Engine


@dataclass(frozen=True)
class Result:
    shape: str  # e.g. "quality:ItemMeasurableOutcome"
    severity: str  # "Violation" | "Warning" | "Info"
    focus: Node
    value: Node | None
    message: str  # the shape's sh:message, placeholders unfilled


@cache
def checks() -> tuple[str, ...]:
    """The targeted shapes, each compiled to one query, as "set:Shape", in name order."""
    return tuple(_compiled())


def severities() -> dict[str, str]:
    """Each shape's severity as its node shape or property shapes state it (sh:Violation by default):
    one per shape, as the compiler refuses a shape whose constraints differ in severity."""
    return {name: compiled.severity for name, compiled in _compiled().items()}


@cache
def _compiled() -> dict[str, shacl_sparql.CompiledShape]:
    """Every targeted shape of shapes/*.ttl compiled to SPARQL, once per process, by "set:Shape"."""
    shapes = graphs.load(resources.shape_files())
    names = {
        shape: f"{name}:{str(shape)[len(str(namespace)) :]}"
        for shape in set(shapes.subjects())
        if isinstance(shape, URIRef)
        for name, namespace in SHAPE_NAMESPACES.items()
        if str(shape).startswith(str(namespace))
    }
    compiled = shacl_sparql.compile_shapes(shapes, names)
    return {names.get(c.shape, str(c.shape)): c for c in sorted(compiled, key=lambda c: names.get(c.shape, ""))}


def compiled_queries(engine: Engine, names) -> dict[str, str]:
    """The named checks compiled from the shapes for the engine's data: the subclasses of every class
    the shapes name are read from it first, with one query, and written into the queries as lists."""
    chosen = [_compiled()[name] for name in names]
    classes = {cls for compiled in chosen for cls in compiled.classes}
    rows = engine.query(shacl_sparql.closure_query(classes)).rows if classes else []
    closure = shacl_sparql.class_closure(rows, classes)
    return {name: shacl_sparql.render(compiled, closure) for name, compiled in zip(names, chosen)}


def run(engine: Engine, shape_sets=SHAPE_SETS) -> list[Result]:
    """Every result of the chosen shape sets on the engine's data (which must include the ontology),
    in the order of checks(), from the queries compiled from the shapes."""
    chosen = (shape_sets,) if isinstance(shape_sets, str) else tuple(shape_sets)
    unknown = [name for name in chosen if name not in SHAPE_SETS]
    if unknown:
        raise ValueError(f"unknown shape set(s) {unknown!r}: choose from {', '.join(SHAPE_SETS)}")
    names = [name for name in checks() if name.split(":")[0] in chosen]
    severity = severities()  # read once here, not first by several threads at once
    texts = compiled_queries(engine, names)

    def results_of(name: str) -> list[Result]:
        rows = engine.query(texts[name]).rows
        return [Result(name, severity[name], row["this"], row.get("value"), str(row["message"])) for row in rows]

    with ThreadPoolExecutor(max_workers=_threads(engine)) as pool:
        return [result for found in pool.map(results_of, names) for result in found]


def _threads(engine: Engine) -> int:
    """How many checks run at once: one per core on Oxigraph and remote stores, which answer queries
    in parallel (Oxigraph releases the GIL: 16.7 s -> 10.4 s on 2 cores at 1M triples); rdflib
    evaluates in Python under the GIL, and its parser is shared, so it runs them one by one."""
    if engine.name == "rdflib":
        return 1
    return os.cpu_count() or 1


def audit_engine(engine: Engine, shape_sets=SHAPE_SETS) -> AuditReport:
    """The audit report of a served store or endpoint, for /validation and `graphsvc validate --store`:
    its findings named, worded, sorted and counted by graphsvc.audit.report, as pySHACL's are."""
    namer = Namer(engine)
    findings = [namer.finding(r.severity, r.focus, r.value, r.shape, r.message) for r in run(engine, shape_sets)]
    return audit_report.report(findings, population=namer.population(), shape_sets=shape_sets)
