"""The shapes audit as plain SPARQL on any engine: pySHACL's results, at national scale.

pySHACL walks the graph in Python and needs it in rdflib: 38 s on a million triples. Each
targeted shape of shapes/*.ttl is compiled to one set-based query (graphsvc.shacl_sparql, once
per process) that returns exactly the results pySHACL reports for it (focus, value, the shape's
sh:message), so the audit runs inside the engine, embedded, persisted or remote. The two forms
are tested equal on the built-in plans, on generated national data and on every shape fixture
(tests/test_sparql_audit.py). How the queries are worded for Oxigraph (and Virtuoso) is in
graphsvc.shacl_sparql; the subclasses of the classes the shapes name are read from the engine
with one query per run and written into them.

Severities are read from the shapes themselves, so the two forms cannot drift apart there.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache

from rdflib import BNode, URIRef
from rdflib.term import Node

from . import graph as graphs
from . import resources, shacl_sparql
from .engine import Engine
from .queries import query
from .validation import SEVERITIES, SHAPE_SETS, SHAPES, AuditReport, Finding, _totals


@dataclass(frozen=True)
class Result:
    shape: str  # e.g. "quality:ItemMeasurableOutcome"
    severity: str  # "Violation" | "Warning" | "Info"
    focus: Node
    value: Node | None
    message: str  # the shape's sh:message, placeholders unfilled


@cache
def _compiled() -> dict[str, shacl_sparql.CompiledShape]:
    """Every targeted shape of shapes/*.ttl compiled to SPARQL, once per process, by "set:Shape"."""
    shapes = graphs.load(resources.shape_files())
    names = {
        shape: f"{name}:{str(shape)[len(str(namespace)) :]}"
        for shape in set(shapes.subjects())
        if isinstance(shape, URIRef)
        for name, namespace in SHAPES.items()
        if str(shape).startswith(str(namespace))
    }
    compiled = shacl_sparql.compile_shapes(shapes, names)
    return {names.get(c.shape, str(c.shape)): c for c in sorted(compiled, key=lambda c: names.get(c.shape, ""))}


def checks() -> tuple[str, ...]:
    """The shapes that have a target, as "set:Shape", in name order: each is one compiled query."""
    return tuple(_compiled())


def severities() -> dict[str, str]:
    """Each shape's severity as its node shape or property shapes state it (sh:Violation by default)."""
    return {name: compiled.severity for name, compiled in _compiled().items()}


def queries(engine: Engine, names) -> dict[str, str]:
    """The named checks' queries for the engine's data: the subclasses of every class the shapes
    name are read from it first, with one query, and written into the queries as lists."""
    chosen = [_compiled()[name] for name in names]
    classes = {cls for compiled in chosen for cls in compiled.classes}
    rows = engine.query(shacl_sparql.closure_query(classes)).rows if classes else []
    closure = shacl_sparql.class_closure(rows, classes)
    return {name: shacl_sparql.render(compiled, closure) for name, compiled in zip(names, chosen)}


def run(engine: Engine, shape_sets=SHAPE_SETS) -> list[Result]:
    """Every result of the chosen shape sets on the engine's data (which must include the ontology),
    in the order of checks()."""
    chosen = (shape_sets,) if isinstance(shape_sets, str) else tuple(shape_sets)
    unknown = [name for name in chosen if name not in SHAPE_SETS]
    if unknown:
        raise ValueError(f"unknown shape set(s) {unknown!r}: choose from {', '.join(SHAPE_SETS)}")
    names = [name for name in checks() if name.split(":")[0] in chosen]
    severity = severities()
    texts = queries(engine, names)

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


@dataclass
class _Named:
    ref: str | None
    label: str | None
    owner: str | None


def _named(engine: Engine, node: Node) -> _Named:
    if isinstance(node, BNode):  # a remote endpoint cannot be asked about its blank nodes
        return _Named(None, None, None)
    rows = engine.query(query("validate_element"), {"node": node}).rows
    ref = next((str(r["notation"]) for r in rows if "notation" in r), None)
    label = next((str(r["label"]) for r in rows if "label" in r), None)
    leads = sorted(
        {str(r.get("leadLabel", r["lead"])) for r in engine.query(query("validate_leads"), {"node": node}).rows}
    )
    return _Named(ref, label, "; ".join(leads) or None)


def audit_engine(engine: Engine, shape_sets=SHAPE_SETS) -> AuditReport:
    """The audit report of a served store or endpoint, for /validation.

    Findings are named by ref, label and leads as graphsvc.validation names them; messages say
    "{this}" as the ref and label only (the full wording needs the rdflib graph).
    """
    names: dict[Node, _Named] = {}
    findings = []
    for result in run(engine, shape_sets):
        if result.focus not in names:
            names[result.focus] = _named(engine, result.focus)
        named = names[result.focus]
        this = " ".join(part for part in (named.ref, f"'{named.label}'" if named.label else None) if part)
        message = result.message.replace("{this}", this or str(result.focus))
        message = message.replace("{value}", "" if result.value is None else str(result.value))
        message = message.replace("{leads}", named.owner or "none").replace("{measures}", "its measures")
        findings.append(
            Finding(
                result.severity,
                str(result.focus),
                named.ref,
                named.label,
                named.owner,
                result.shape,
                message[:1].upper() + message[1:],
            )
        )
    findings.sort(key=lambda f: (f.owner or "~", SEVERITIES.index(f.severity), f.ref or "", f.focus, f.shape))
    conforms = not any(f.severity == "Violation" for f in findings)
    return AuditReport(conforms=conforms, totals=_totals(findings), results=findings)
