"""The shapes audit as plain SPARQL on any engine: pySHACL's results, at national scale.

pySHACL walks the graph in Python and needs it in rdflib: 38 s on a million triples. Each
targeted shape of shapes/*.ttl also exists as one query (queries/audit_<set>_<Shape>.rq)
that returns exactly the results pySHACL reports for it (focus, value, the shape's
sh:message), so the audit runs inside the engine, embedded, persisted or remote. The two forms
are tested equal on the built-in plans, on generated national data and on every shape fixture
(tests/test_sparql_audit.py). The queries are worded for Oxigraph, measured at a million
triples in memory and on the persisted store: `OPTIONAL ... FILTER(!BOUND(...))`, never
`FILTER NOT EXISTS`; targets of several classes as `?this a/rdfs:subClassOf* ?class` (a list
of types joined to `?this a ?type` is a hash join over every rdf:type triple); a class
checked against its subclasses listed once, not a path walked per value; wrong values found
among the few distinct values first; and several checks of one target set in one pass, their
messages joined only to the few offenders. Each file's header says which of these it uses.

Severities are read from the shapes themselves, so the two forms cannot drift apart there.

The same queries can also be compiled from the shapes (graphsvc.audit.shacl_sparql; `run(...,
compiled=True)`), which gives the same results and will replace the hand-written files once it
is as fast: at 100k triples it takes 3.4x as long today.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from rdflib import URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from graphsvc import resources
from graphsvc.audit import report as audit_report
from graphsvc.audit import shacl_sparql
from graphsvc.audit.report import AuditReport, Namer
from graphsvc.audit.validation import SHAPE_NAMESPACES, SHAPE_SETS
from graphsvc.engine import graph as graphs
from graphsvc.engine.engines import Engine
from graphsvc.queries import query


@dataclass(frozen=True)
class Result:
    shape: str  # e.g. "quality:ItemMeasurableOutcome"
    severity: str  # "Violation" | "Warning" | "Info"
    focus: Node
    value: Node | None
    message: str  # the shape's sh:message, placeholders unfilled


@cache
def checks() -> tuple[str, ...]:
    """The shapes that have a SPARQL form, as "set:Shape", in file-name order."""
    names = sorted(p.name for p in files("graphsvc.queries").iterdir() if p.name.startswith("audit_"))
    return tuple(name.removeprefix("audit_").removesuffix(".rq").replace("_", ":", 1) for name in names)


@cache
def severities() -> dict[str, str]:
    """Each shape's severity as its node shape or property shapes state it (sh:Violation by default)."""
    shapes = graphs.load(resources.shape_files())
    found = {}
    for name in checks():
        set_name, local = name.split(":")
        shape = URIRef(f"{SHAPE_NAMESPACES[set_name]}{local}")
        stated = [
            shapes.value(shape, SH.severity),
            *(shapes.value(p, SH.severity) for p in shapes.objects(shape, SH.property)),
        ]
        severity = next((s for s in stated if s is not None), SH.Violation)
        found[name] = str(severity).rsplit("#", 1)[-1]
    return found


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


def run(engine: Engine, shape_sets=SHAPE_SETS, compiled: bool = False) -> list[Result]:
    """Every result of the chosen shape sets on the engine's data (which must include the ontology),
    in the order of checks(); from the hand-written queries, or those compiled from the shapes."""
    chosen = (shape_sets,) if isinstance(shape_sets, str) else tuple(shape_sets)
    unknown = [name for name in chosen if name not in SHAPE_SETS]
    if unknown:
        raise ValueError(f"unknown shape set(s) {unknown!r}: choose from {', '.join(SHAPE_SETS)}")
    names = [name for name in checks() if name.split(":")[0] in chosen]
    severity = severities()  # read once here, not first by several threads at once

    texts = compiled_queries(engine, names) if compiled else {n: query("audit_" + n.replace(":", "_")) for n in names}

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
    return audit_report.report(findings)
