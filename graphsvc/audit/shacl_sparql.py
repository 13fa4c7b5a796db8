"""SHACL shapes compiled to set-based SPARQL: one query per targeted node shape.

The shapes are the single source of truth for the audit; graphsvc.audit.sparql_audit runs these
queries on any engine instead of walking the graph focus node by focus node as pySHACL does.
Each query returns, for every result pySHACL reports for the shape, ``?this`` (the focus),
``?value`` (when pySHACL gives one) and ``?message`` (the shape's sh:message, placeholders
unfilled), plus ``?check``, which keeps apart equal results of two constraints (pySHACL reports
both) while DISTINCT folds the duplicates that several routes to one target or value give.

How the SPARQL is worded, and why (measured on Oxigraph at a million triples, and safe on
Virtuoso 7, whose subClassOf* paths go wrong inside OPTIONAL, NOT EXISTS and sub-selects):

* Classes are matched against their subclass lists, computed from the data by one query per
  run (``class_closure``) and written into the queries as IRIs: targets as a UNION of
  ``?this a <class>`` (index lookups, no hash join over every rdf:type triple), a value's class
  as ``?v a ?t FILTER(?t IN (...))`` from the value's few types.
* Every constraint of one target set is checked in one pass over the targets: each becomes
  OPTIONAL patterns that bind a variable when the check fails or passes (``OPTIONAL ...
  !BOUND(...)``, never ``FILTER NOT EXISTS``, which Oxigraph evaluates per row), the checks'
  verdicts are BOUND() combinations (never an error, so ``||`` and IF() are exact), the few
  offenders are kept, and only they are joined to the checks' messages.
* Counts of 0 or 1 are "a first value", "a second, different one"; other counts, and every
  count of values that conform to a shape (sh:qualifiedValueShape), are one COUNT(DISTINCT ...)
  grouped over all nodes at once and joined to the targets (Virtuoso's ``+`` paths repeat nodes):
  walking a path once per target, as two OPTIONALs, was 4x slower at 100k triples.
* Values that conform are found as a join: the parts of the shape that have a pattern of their
  own (a class as its subclass list joined to the value's types, a value it must have) first,
  OPTIONALs and a FILTER only for the rest.
* What a check needs in order to fail (a value it must not have, a value that conforms where
  none may, the members of an sh:or that all must fail) narrows the targets before the checks
  run, when every check of the pass has such a need.
* SHACL-SPARQL constraints (node shapes, ``$this``) are the shape's own SELECT as a sub-select
  joined to the targets: ``$this`` and ``?this`` are one variable, so the query runs once for
  every focus node at once.

A constraint or feature the compiler cannot render exactly as pySHACL evaluates it raises
UnsupportedShape when the shapes are compiled, naming the shape, the constraint and the reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH, XSD
from rdflib.term import Node

RDF_LANGSTRING = RDF.langString


class UnsupportedShape(ValueError):
    """A shape uses a SHACL feature the compiler cannot turn into SPARQL with pySHACL's results."""


@dataclass(frozen=True)
class CompiledShape:
    """One targeted node shape as a query template; ``render`` writes the class lists into it."""

    shape: URIRef
    severity: str  # "Violation" | "Warning" | "Info"
    template: str
    classes: tuple[URIRef, ...]  # the classes whose subclass lists the template needs, by index


# Shape parameters that are no constraint of their own (read with the constraint they belong to, or
# documentation that does not change results).
_NOT_CONSTRAINTS = {
    SH.path, SH.property, SH.message, SH.severity, SH.name, SH.description, SH.order, SH.group,
    SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.deactivated, SH.flags,
    SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.qualifiedValueShapesDisjoint, SH.defaultValue,
}  # fmt: skip

# Constraints tested on one node at a time (the focus of a node shape, or each value of a path).
_NODE_TESTS = {
    SH["class"], SH.datatype, SH.nodeKind, SH.pattern, SH["in"], SH.minLength, SH.maxLength,
    SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive, SH.node, SH["and"], SH["or"],
    SH.xone, SH["not"],
}  # fmt: skip

_SUPPORTED = _NODE_TESTS | {SH.minCount, SH.maxCount, SH.hasValue, SH.qualifiedValueShape, SH.sparql}

_WHY_NOT = {
    SH.closed: "closed shapes need every predicate of every focus node listed",
    SH.equals: "property pair constraints are not compiled",
    SH.disjoint: "property pair constraints are not compiled",
    SH.lessThan: "property pair constraints are not compiled",
    SH.lessThanOrEquals: "property pair constraints are not compiled",
    SH.uniqueLang: "language constraints are not compiled",
    SH.languageIn: "language constraints are not compiled",
}

# Lexical forms rdflib accepts for the datatypes the shapes use (pySHACL fails an ill-typed
# literal; Oxigraph keeps it, typed as written). rdflib parses with Python's int(), Decimal() and
# float(): these are their ASCII forms. gYear and gYearMonth: rdflib accepts any form.
_NUMBER = r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?"
_LEXICAL = {
    XSD.integer: (r"^\s*[+-]?[0-9]+(_[0-9]+)*\s*$", ""),
    XSD.positiveInteger: (r"^\s*\+?0*[1-9][0-9]*\s*$", ""),
    XSD.decimal: (rf"^\s*({_NUMBER}|[+-]?(inf|infinity|s?nan))\s*$", "i"),
    XSD.double: (rf"^\s*({_NUMBER}|[+-]?(inf|infinity|nan))\s*$", "i"),
    XSD.float: (rf"^\s*({_NUMBER}|[+-]?(inf|infinity|nan))\s*$", "i"),
    XSD.gYear: None,
    XSD.gYearMonth: None,
    XSD.string: None,
    RDF_LANGSTRING: None,
    XSD.date: "date",
}

_DATE = r"^-?[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(Z|[+-][0-9]{2}:[0-9]{2})?$"

_NODE_KINDS = {
    SH.IRI: "isIRI({x})",
    SH.BlankNode: "isBlank({x})",
    SH.Literal: "isLiteral({x})",
    SH.BlankNodeOrIRI: "!isLiteral({x})",
    SH.BlankNodeOrLiteral: "!isIRI({x})",
    SH.IRIOrLiteral: "!isBlank({x})",
}

_COMPARISONS = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}

_PREDICATE = re.compile(r"^\^?\(?<[^>]+>\)?$")  # a path of one predicate, or its inverse

_CLASS_TOKEN = re.compile(r"\{\{(types|values|instances):(\d+):(\?\w+)\}\}")


def compile_shapes(shapes: Graph, names: dict[URIRef, str] | None = None) -> list[CompiledShape]:
    """Every node shape with a target, compiled; UnsupportedShape at the first feature refused.

    ``names`` gives a shape its name in errors (e.g. "integrity:ItemRef"); its IRI otherwise."""
    targets = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
    targeted = sorted({s for t in targets for s in shapes.subjects(t, None)}, key=str)
    compiled = []
    for shape in targeted:
        if shapes.value(shape, SH.deactivated) == Literal(True):
            continue
        compiler = _Compiler(shapes, shape, (names or {}).get(shape, str(shape)))
        compiled.append(compiler.compile())
    return compiled


def render(compiled: CompiledShape, closure: dict[URIRef, tuple[URIRef, ...]]) -> str:
    """The shape's query with each class's subclass list (from ``class_closure``) written in."""

    def written(match: re.Match) -> str:
        kind, index, var = match.group(1), int(match.group(2)), match.group(3)
        classes = closure.get(compiled.classes[index]) or (compiled.classes[index],)
        if kind == "types":
            return ", ".join(_iri(c) for c in classes)
        if kind == "values":
            return " ".join(_iri(c) for c in classes)
        return " UNION ".join(f"{{ {var} a {_iri(c)} }}" for c in classes)

    return _CLASS_TOKEN.sub(written, compiled.template)


def closure_query(classes: Iterable[URIRef]) -> str:
    """One query for the rdfs:subClassOf links, closed in Python by ``class_closure``: no path at
    all, since Virtuoso 7 refuses ``?sub rdfs:subClassOf* ?class`` with ?class from VALUES
    ("transitive start not given") and gets such paths wrong inside OPTIONAL or a sub-select.
    The links are the ontology's few; ``classes`` are those the shapes name (kept for callers)."""
    return "SELECT DISTINCT ?sub ?class WHERE { ?sub <http://www.w3.org/2000/01/rdf-schema#subClassOf> ?class }"


def class_closure(rows: Iterable[dict[str, Node]], classes: Iterable[URIRef]) -> dict[URIRef, tuple[URIRef, ...]]:
    """Each class with its subclasses at any depth from ``closure_query``'s links, itself first, the
    rest in IRI order. Subclasses that are blank nodes cannot be written into a query and are left out."""
    below: dict[Node, set[Node]] = {}
    for row in rows:
        sub, cls = row.get("sub"), row.get("class")
        if sub is not None and cls is not None:
            below.setdefault(cls, set()).add(sub)
    found = {}
    for cls in classes:
        seen, todo = {cls}, [cls]
        while todo:
            for sub in below.get(todo.pop(), ()):
                if sub not in seen:
                    seen.add(sub)
                    todo.append(sub)
        found[cls] = (cls, *sorted((s for s in seen if s != cls and isinstance(s, URIRef)), key=str))
    return found


def _same(x: str, node: Node) -> str:
    """``x`` is the term ``node``. For an IRI, ``=`` (the same for IRIs): Virtuoso 7 finds
    sameTerm(?x, <iri>) true for every ?x coming out of a sub-select."""
    if isinstance(node, URIRef):
        return f"({x} = {_term(node)})"
    return f"sameTerm({x}, {_term(node)})"


def _iri(node: URIRef) -> str:
    text = str(node)
    if not isinstance(node, URIRef) or re.search(r'[\x00-\x20<>"{}|^`\\]', text):
        raise ValueError(f"not an IRI that can be written into a query: {text!r}")
    return f"<{text}>"


def _term(node: Node) -> str:
    if isinstance(node, URIRef):
        return _iri(node)
    if isinstance(node, Literal):
        return node.n3()
    raise ValueError(f"a blank node cannot be written into a query: {node!r}")


def _string(text: str) -> str:
    return Literal(str(text)).n3()


@dataclass
class _Cond:
    """A test of one bound node: patterns that never drop a row (OPTIONAL, BIND) and an expression
    over them that is true when the node passes and is never an error; ``positive``, when set, is
    a pattern that matches exactly when the node passes (cheaper where only passing nodes count);
    ``needed``, patterns that all match whenever the node fails (the targets worth testing)."""

    blocks: list[str] = field(default_factory=list)
    ok: str = "true"
    positive: str | None = None
    each_value: tuple[str, _Cond] | None = None  # a check of each value: its path and the test of one value
    needed: list[str] = field(default_factory=list)
    parts: list[_Cond] = field(default_factory=list)  # the conditions this one is the conjunction of


def _and(conds: list[_Cond]) -> _Cond:
    """All of the conditions; a pattern of them all when each has one."""
    positive = " ".join(c.positive for c in conds) if conds and all(c.positive for c in conds) else None
    needed = conds[0].needed if len(conds) == 1 else []  # one failing condition of several needs nothing
    blocks = [b for c in conds for b in c.blocks]
    ok = " && ".join(f"({c.ok})" for c in conds) or "true"
    return _Cond(blocks, ok, positive, needed=needed, parts=list(conds))


def _matching(cond: _Cond) -> str:
    """A pattern that matches exactly when the (bound) node passes: the parts that have a pattern of
    their own joined (index lookups that drop the other nodes at once), the rest as OPTIONALs and a
    FILTER over the nodes left."""
    if cond.positive:
        return cond.positive

    def split(c: _Cond) -> tuple[list[_Cond], list[_Cond]]:
        if c.positive:
            return [c], []
        if not c.parts:
            return [], [c]
        found = [split(p) for p in c.parts]
        return [p for f, _ in found for p in f], [r for _, rest in found for r in rest]

    positives, rest = split(cond)
    if not positives:
        return " ".join([*cond.blocks, f"FILTER({cond.ok})"])
    # A part's OPTIONALs are dropped for its pattern unless the rest reads what they bind.
    rest_text = " ".join(b for c in rest for b in c.blocks) + " " + " ".join(c.ok for c in rest)
    read = set(re.findall(r"\?\w+", rest_text))
    lines = []
    for c in positives:
        lines.append(c.positive)
        if read & {v for b in c.blocks for v in re.findall(r"\?\w+", b)} - set(re.findall(r"\?\w+", c.positive)):
            lines += c.blocks
    lines += [b for c in rest for b in c.blocks]
    if rest:
        lines.append("FILTER(" + " && ".join(f"({c.ok})" for c in rest) + ")")
    return " ".join(lines)


@dataclass
class _Check:
    """One constraint component of the shape: the expression true for offending focus nodes, the
    reported value (a variable, or None), the message."""

    fails: str
    value: str | None
    message: str
    needed: list[str] = field(default_factory=list)  # patterns that all match on every offending focus node


class _Compiler:
    def __init__(self, shapes: Graph, shape: URIRef, name: str):
        self.g = shapes
        self.shape = shape
        self.name = name
        self.counter = 0
        self.classes: list[URIRef] = []
        self.prefixes: dict[str, str] = {}

    # -- errors and variables -------------------------------------------------------------------

    def refuse(self, shape: Node, what: str, why: str):
        where = "" if shape == self.shape else f" (in {self._describe(shape)})"
        raise UnsupportedShape(f"{self.name}{where}: {what} cannot be compiled to SPARQL: {why}")

    def _describe(self, shape: Node) -> str:
        path = self.g.value(shape, SH.path)
        if path is not None:
            return f"the property shape of path {self._path(shape, path)}"
        return f"the shape {shape.n3() if isinstance(shape, BNode) else '<' + str(shape) + '>'}"

    def var(self, stem: str) -> str:
        self.counter += 1
        return f"?{stem}{self.counter}"

    def class_index(self, cls: Node, shape: Node) -> int:
        if not isinstance(cls, URIRef):
            self.refuse(shape, "sh:class", f"the class {cls!r} is not an IRI")
        if cls not in self.classes:
            self.classes.append(cls)
        return self.classes.index(cls)

    # -- reading the shapes graph ----------------------------------------------------------------

    def _list(self, shape: Node, node: Node, what: str) -> list[Node]:
        if node != RDF.nil and self.g.value(node, RDF.first) is None:
            self.refuse(shape, what, "its value is not an RDF list")
        return list(Collection(self.g, node))

    def _one(self, shape: Node, predicate: URIRef) -> Node | None:
        values = list(self.g.objects(shape, predicate))
        if len(values) > 1:
            self.refuse(shape, f"sh:{predicate.removeprefix(str(SH))}", "it is given more than once")
        return values[0] if values else None

    def _parameters(self, shape: Node) -> list[tuple[URIRef, Node]]:
        """The shape's constraint parameters, refused when unknown."""
        found = []
        for predicate, value in sorted(self.g.predicate_objects(shape), key=lambda pv: (str(pv[0]), str(pv[1]))):
            if not str(predicate).startswith(str(SH)) or predicate in _NOT_CONSTRAINTS:
                continue
            local = "sh:" + predicate.removeprefix(str(SH))
            if predicate not in _SUPPORTED:
                self.refuse(shape, local, _WHY_NOT.get(predicate, "the compiler does not know this SHACL parameter"))
            found.append((predicate, value))
        if self._one(shape, SH.qualifiedValueShapesDisjoint) == Literal(True):
            self.refuse(shape, "sh:qualifiedValueShapesDisjoint", "sibling shapes are not compiled")
        if self._one(shape, SH.deactivated) == Literal(True):
            self.refuse(shape, "sh:deactivated", "a deactivated shape is compiled only as a whole targeted shape")
        return found

    def _path(self, shape: Node, path: Node) -> str:
        """A SHACL property path as a SPARQL path."""
        if isinstance(path, URIRef):
            return _iri(path)
        if self.g.value(path, RDF.first) is not None:
            steps = self._list(shape, path, "sh:path")
            if len(steps) < 2:
                self.refuse(shape, "sh:path", "a sequence path needs two steps or more")
            return "(" + "/".join(self._path(shape, s) for s in steps) + ")"
        modifiers = {SH.inversePath: "^({})", SH.zeroOrMorePath: "({})*", SH.oneOrMorePath: "({})+"}
        modifiers[SH.zeroOrOnePath] = "({})?"
        for predicate, form in modifiers.items():
            inner = self.g.value(path, predicate)
            if inner is not None:
                return form.format(self._path(shape, inner))
        alternatives = self.g.value(path, SH.alternativePath)
        if alternatives is not None:
            return "(" + "|".join(self._path(shape, s) for s in self._list(shape, alternatives, "sh:path")) + ")"
        self.refuse(shape, "sh:path", f"the path {path!r} is of no kind SHACL defines")

    def _message(self, shape: Node) -> str:
        messages = list(self.g.objects(shape, SH.message))
        if len(messages) != 1:
            self.refuse(shape, "its results", "pySHACL words its own message unless the shape states exactly one")
        text = str(messages[0])
        if re.search(r"\{[?$]\w+\}", text):
            self.refuse(shape, "sh:message", "pySHACL fills {?var} and {$var} placeholders, the queries do not")
        return text

    def _severity(self, shape: Node) -> str:
        severity = self.g.value(shape, SH.severity) or SH.Violation
        return str(severity).rsplit("#", 1)[-1]

    # -- the targeted shape ----------------------------------------------------------------------

    def compile(self) -> CompiledShape:
        shape = self.shape
        if self.g.value(shape, SH.path) is not None:
            self.refuse(shape, "a property shape with a target", "only node shapes are compiled as checks")
        targets = self._targets()
        checks: list[_Check] = []
        blocks: list[str] = []
        severities = set()
        sparql = []
        values_first: list[tuple[tuple[str, _Cond], str, str]] = []
        node_params = [(p, v) for p, v in self._parameters(shape) if p != SH.sparql]
        if node_params:
            severities.add(self._severity(shape))
            message = self._message(shape)
            for predicate, value in node_params:
                if predicate not in _NODE_TESTS and predicate != SH.hasValue:
                    self.refuse(shape, f"sh:{predicate.removeprefix(str(SH))}", "it needs a path (a property shape)")
                cond = self.node_test(shape, predicate, value, "?this")
                blocks += cond.blocks
                checks.append(_Check(f"!({cond.ok})", "?this", message, cond.needed))
        for constraint in self.g.objects(shape, SH.sparql):
            severities.add(self._severity(shape))
            sparql.append(self.sparql(shape, constraint))
        for prop in sorted(self.g.objects(shape, SH.property), key=str):
            severities.add(self._severity(prop))
            message = self._message(prop)
            for cond, value in self.property_checks(prop, "?this"):
                if cond.each_value and _PREDICATE.match(cond.each_value[0]):
                    values_first.append((cond.each_value, value, message))
                    continue
                blocks += cond.blocks
                fails = f"BOUND({value})" if value else f"!({cond.ok})"
                checks.append(_Check(fails, value, message, cond.needed))
        if len(severities) > 1:
            self.refuse(shape, "sh:severity", "its constraints differ in severity; the audit reports one per shape")
        if not checks and not sparql and not values_first:
            self.refuse(shape, "the shape", "it has no constraint")
        branches = []
        if checks:
            branches.append(self._core(targets, blocks, checks))
        for n, ((path, test), value, message) in enumerate(values_first, start=len(checks) + 1):
            # ?this <p> ?value already makes ?this a target when the shape targets the subjects of <p>
            implied = path in {_iri(p) for p in self.g.objects(self.shape, SH.targetSubjectsOf)}
            branches.append(self._values_first(n, "" if implied else targets, path, test, value, message))
        for n, (select, message) in enumerate(sparql, start=len(checks) + len(values_first) + 1):
            # The targets open the constraint's WHERE clause, so that the planner starts from them
            # (as a sub-select joined to the targets, 3.5x slower at 100k triples).
            opened = re.search(r"\bWHERE\s*\{", select, re.IGNORECASE)
            inlined = select[: opened.end()] + f" {targets}" + select[opened.end() :]
            branches.append(
                f"  {{\n    {{ {inlined.strip()} }}\n"
                f"    BIND({n} AS ?check)\n    BIND({_string(message)} AS ?message)\n  }}"
            )
        prefixes = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(self.prefixes.items()))
        query = (
            f"# {self.name}, compiled from the shapes by graphsvc.audit.shacl_sparql.\n{prefixes}"
            "SELECT DISTINCT ?check ?this ?value ?message WHERE {\n" + "\n  UNION\n".join(branches) + "\n}\n"
        )
        return CompiledShape(self.shape, severities.pop(), query, tuple(self.classes))

    def _targets(self) -> str:
        """The focus nodes as ?this: the union of the shape's targets."""
        shape, parts = self.shape, []
        for cls in sorted(self.g.objects(shape, SH.targetClass), key=str):
            parts.append(f"{{{{instances:{self.class_index(cls, shape)}:?this}}}}")
        for node in sorted(self.g.objects(shape, SH.targetNode), key=str):
            parts.append(f"{{ VALUES ?this {{ {_term(node)} }} }}")
        for predicate in sorted(self.g.objects(shape, SH.targetSubjectsOf), key=str):
            parts.append(f"{{ ?this {_iri(predicate)} [] }}")
        for predicate in sorted(self.g.objects(shape, SH.targetObjectsOf), key=str):
            parts.append(f"{{ [] {_iri(predicate)} ?this }}")
        union = " UNION ".join(parts)
        if self.g.value(shape, SH.targetObjectsOf) is not None:  # objects such as a source document recur
            return f"{{ SELECT DISTINCT ?this WHERE {{ {union} }} }}"
        return "{ " + union + " }"

    def _core(self, targets: str, blocks: list[str], checks: list[_Check]) -> str:
        """One pass over the targets for every Core check; the messages joined to offenders only."""
        used = sorted({v for c in checks for v in re.findall(r"\?\w+", c.fails + (c.value or ""))} - {"?this"})
        if all(c.needed for c in checks):
            # Only the targets that can fail are tested: those that match what some check needs to fail,
            # found set-based first, rather than every target run through every OPTIONAL.
            needs = " UNION ".join("{ " + " ".join(c.needed) + " }" for c in checks)
            targets = f"{{ SELECT DISTINCT ?this WHERE {{ {targets} {needs} }} }}"
        body = "\n      ".join([targets, *blocks, "FILTER(" + " || ".join(f"({c.fails})" for c in checks) + ")"])
        inner = f"    {{ SELECT ?this {' '.join(used)} WHERE {{\n      {body}\n    }} }}\n"
        if len(checks) == 1:
            check = checks[0]
            value = f"    BIND({check.value} AS ?value)\n" if check.value else ""
            return f"  {{\n{inner}    BIND(1 AS ?check)\n    BIND({_string(check.message)} AS ?message)\n{value}  }}"
        rows = " ".join(f"({n} {_string(c.message)})" for n, c in enumerate(checks, start=1))
        which = "false"
        for n, check in reversed(list(enumerate(checks, start=1))):
            which = f"IF(?check = {n}, {check.fails}, {which})"
        value = "?unbound"
        for n, check in reversed(list(enumerate(checks, start=1))):
            if check.value:
                value = f"IF(?check = {n}, {check.value}, {value})"
        return (
            f"  {{\n{inner}    VALUES (?check ?message) {{ {rows} }}\n    FILTER({which})\n"
            f"    BIND({value} AS ?value)\n  }}"
        )

    def _values_first(self, n: int, targets: str, path: str, test: _Cond, value: str, message: str) -> str:
        """A check of each value of one predicate, made on its distinct values first (often a few
        hundred for tens of thousands of targets), then joined to the targets that have an offender."""
        lines = [
            f"{{ SELECT {value} WHERE {{",
            f"    {{ SELECT DISTINCT {value} WHERE {{ [] {path} {value} }} }}",
            *(f"    {block}" for block in test.blocks),
            f"    FILTER(!({test.ok}))",
            "} }",
            f"?this {path} {value} .",
            *([targets] if targets else []),
            f"BIND({n} AS ?check)",
            f"BIND({_string(message)} AS ?message)",
            f"BIND({value} AS ?value)",
        ]
        return "  {\n" + "".join(f"    {line}\n" for line in lines) + "  }"

    # -- constraints -----------------------------------------------------------------------------

    def conforms(self, shape: Node, x: str, seen: tuple = ()) -> _Cond:
        """Whether the node ``x`` conforms to a whole (nested) shape."""
        if shape in seen:
            self.refuse(shape, "a recursive shape", "SHACL leaves recursion undefined")
        seen = (*seen, shape)
        conds = []
        if self.g.value(shape, SH.path) is not None:
            conds += [c for c, _ in self.property_checks(shape, x, seen)]
        else:
            for predicate, value in self._parameters(shape):
                if predicate == SH.sparql:
                    self.refuse(shape, "sh:sparql", "SPARQL constraints are compiled on targeted shapes only")
                if predicate not in _NODE_TESTS and predicate != SH.hasValue:
                    self.refuse(shape, f"sh:{predicate.removeprefix(str(SH))}", "it needs a path (a property shape)")
                conds.append(self.node_test(shape, predicate, value, x, seen))
        for prop in sorted(self.g.objects(shape, SH.property), key=str):
            conds += [c for c, _ in self.property_checks(prop, x, seen)]
        if len(conds) == 1:
            return conds[0]
        return _and(conds)

    def node_test(self, shape: Node, predicate: URIRef, value: Node, x: str, seen: tuple = ()) -> _Cond:
        """One constraint of a node shape, applied to the node ``x`` itself."""
        if predicate == SH["class"]:
            t = self.var("type")
            index = self.class_index(value, shape)
            tested = f"{x} a {t} FILTER({t} IN ({{{{types:{index}:{t}}}}}))"
            # Where only passing nodes count, the class list as a sub-select joined to the node's types:
            # 2x faster in Oxigraph than FILTER(?t IN (...)). Not in the OPTIONAL that tests one node
            # (a join started from the list, 200x slower), nor as VALUES in an OPTIONAL (500x slower).
            joined = f"{{ SELECT {t} WHERE {{ VALUES {t} {{ {{{{values:{index}:{t}}}}} }} }} }} {x} a {t}"
            return _Cond([f"OPTIONAL {{ {tested} }}"], f"BOUND({t})", joined)
        if predicate == SH.datatype:
            return _Cond(ok=self._datatype(shape, value, x))
        if predicate == SH.nodeKind:
            if value not in _NODE_KINDS:
                self.refuse(shape, "sh:nodeKind", f"{value!r} is no node kind")
            return _Cond(ok=_NODE_KINDS[value].format(x=x))
        if predicate == SH.pattern:
            flags = self._one(shape, SH.flags)
            regex = f"REGEX(STR({x}), {_string(value)}" + (f", {_string(flags)})" if flags else ")")
            return _Cond(ok=f"!isBlank({x}) && {regex}")
        if predicate == SH["in"]:
            members = self._list(shape, value, "sh:in")
            return _Cond(ok=" || ".join(_same(x, m) for m in members) or "false")
        if predicate in (SH.minLength, SH.maxLength):
            op = ">=" if predicate == SH.minLength else "<="
            return _Cond(ok=f"!isBlank({x}) && STRLEN(STR({x})) {op} {int(value)}")
        if predicate in _COMPARISONS:
            if not isinstance(value, Literal):
                self.refuse(shape, f"sh:{predicate.removeprefix(str(SH))}", "the bound is not a literal")
            return _Cond(ok=f"isLiteral({x}) && COALESCE({x} {_COMPARISONS[predicate]} {value.n3()}, false)")
        if predicate == SH.hasValue:
            return _Cond(ok=_same(x, value))
        if predicate == SH.node:
            return self.conforms(value, x, seen)
        if predicate == SH["not"]:
            inner = self.conforms(value, x, seen)
            return _Cond(inner.blocks, f"!({inner.ok})", needed=[inner.positive] if inner.positive else [])
        members = [self.conforms(m, x, seen) for m in self._list(shape, value, f"sh:{predicate.removeprefix(str(SH))}")]
        blocks = [b for m in members for b in m.blocks]
        if predicate == SH["and"]:
            return _and(members)
        if predicate == SH["or"]:
            positive = None
            if members and all(m.positive for m in members):
                positive = " UNION ".join(f"{{ {m.positive} }}" for m in members)
            needed = [n for m in members for n in m.needed]  # every member fails: each one's needs hold
            return _Cond(blocks, " || ".join(f"({m.ok})" for m in members) or "false", positive, needed=needed)
        counted = " + ".join(f"IF({m.ok}, 1, 0)" for m in members) or "0"
        return _Cond(blocks, f"({counted}) = 1")  # sh:xone

    def _datatype(self, shape: Node, datatype: Node, x: str) -> str:
        if datatype not in _LEXICAL:
            self.refuse(shape, "sh:datatype", f"which lexical forms of {datatype} rdflib accepts is not known here")
        if datatype == RDF_LANGSTRING:
            return f'isLiteral({x}) && LANG({x}) != ""'
        typed = f"isLiteral({x}) && sameTerm(DATATYPE({x}), {_iri(datatype)})"
        if datatype == XSD.string:
            typed += f' && LANG({x}) = ""'
        lexical = _LEXICAL[datatype]
        if lexical == "date":  # a real day of a real month: rdflib's parser refuses 2005-02-29
            y, m, d = (f"{_iri(XSD.integer)}(SUBSTR(STR({x}), {at}, {n}))" for at, n in ((1, 4), (6, 2), (9, 2)))
            leap = f"({y} - 4 * FLOOR({y} / 4) = 0 && ({y} - 100 * FLOOR({y} / 100) != 0"
            leap += f" || {y} - 400 * FLOOR({y} / 400) = 0))"
            days = f"IF({m} IN (4, 6, 9, 11), 30, IF({m} = 2, IF({leap}, 29, 28), 31))"
            return f"{typed} && REGEX(STR({x}), {_string(_DATE)}) && COALESCE({d} <= {days}, false)"
        if lexical:
            pattern, flags = lexical
            return f"{typed} && REGEX(STR({x}), {_string(pattern)}, {_string(flags)})"
        return typed

    def property_checks(self, prop: Node, x: str, seen: tuple = ()) -> list[tuple[_Cond, str | None]]:
        """The checks of a property shape on the node ``x``: each a condition true when ``x`` passes,
        and, for a check of each value, the variable bound to an offending value."""
        path = self._path(prop, self.g.value(prop, SH.path))
        params = dict(self._parameters(prop))
        if SH.sparql in params:
            self.refuse(prop, "sh:sparql", "SPARQL constraints of property shapes ($PATH) are not compiled")
        found = []
        low, high = params.get(SH.minCount), params.get(SH.maxCount)
        low = None if low is None else int(low)
        high = None if high is None else int(high)
        if low in (None, 0, 1) and high in (None, 0, 1) and (low or high is not None):
            found += self._few(path, x, low, high)
        else:
            found += [(c, None) for c in self._counted(path, x, low, high)]
        if SH.hasValue in params:
            h = self.var("has")
            pattern = f"{x} {path} {_term(params[SH.hasValue])} ."
            found.append((_Cond([f"OPTIONAL {{ {pattern} BIND(true AS {h}) }}"], f"BOUND({h})", pattern), None))
        if SH.qualifiedValueShape in params:
            found += [(c, None) for c in self._qualified(prop, path, x, params[SH.qualifiedValueShape], seen)]
        elif SH.qualifiedMinCount in set(self.g.predicates(prop)) or SH.qualifiedMaxCount in set(
            self.g.predicates(prop)
        ):
            self.refuse(prop, "sh:qualifiedMinCount", "it needs a sh:qualifiedValueShape")
        for predicate, value in sorted(params.items(), key=lambda pv: str(pv[0])):
            if predicate not in _NODE_TESTS:
                continue
            bad = self.var("bad")
            test = self.node_test(prop, predicate, value, bad, seen)
            body = " ".join([f"{x} {path} {bad} .", *test.blocks, f"FILTER(!({test.ok}))"])
            cond = _Cond([f"OPTIONAL {{ {body} }}"], f"!BOUND({bad})", each_value=(path, test), needed=[body])
            found.append((cond, bad))
        return found

    def _few(self, path: str, x: str, low: int | None, high: int | None) -> list[tuple[_Cond, None]]:
        """Counts of 0 or 1 as a first value and a second, different one."""
        first, second = self.var("first"), self.var("second")
        blocks = [f"OPTIONAL {{ {x} {path} {first} }}"]
        found = []
        if low == 1:
            found.append((_Cond(ok=f"BOUND({first})", positive=None if high else f"{x} {path} [] ."), None))
        if high == 0:
            found.append((_Cond(ok=f"!BOUND({first})"), None))
        if high == 1:
            # Two values of its own, not ?first again: Virtuoso 7 ignores a FILTER inside OPTIONAL that
            # compares with a variable bound outside it when the values are dates or years.
            other = self.var("other")
            pair = f"{x} {path} {other} . {x} {path} {second} FILTER(!sameTerm({other}, {second}))"
            blocks.append(f"OPTIONAL {{ {pair} }}")
            found.append((_Cond(ok=f"!BOUND({second})"), None))
        found[0][0].blocks[:0] = blocks
        return found

    def _counted(self, path: str, x: str, low: int | None, high: int | None) -> list[_Cond]:
        if low is None and high is None:
            return []
        v, n = self.var("v"), self.var("n")
        block = f"OPTIONAL {{ SELECT {x} (COUNT(DISTINCT {v}) AS {n}) WHERE {{ {x} {path} {v} }} GROUP BY {x} }}"
        conds = []
        if low:
            conds.append(_Cond(ok=f"COALESCE({n}, 0) >= {low}"))
        if high is not None:
            conds.append(_Cond(ok=f"COALESCE({n}, 0) <= {high}"))
        if conds:
            conds[0].blocks.insert(0, block)
        return conds

    def _qualified(self, prop: Node, path: str, x: str, qshape: Node, seen: tuple) -> list[_Cond]:
        """sh:qualifiedValueShape: how many values conform to the shape."""
        low, high = self._one(prop, SH.qualifiedMinCount), self._one(prop, SH.qualifiedMaxCount)
        low = None if low is None else int(low)
        high = None if high is None else int(high)
        if low is None and high is None:
            self.refuse(prop, "sh:qualifiedValueShape", "it needs sh:qualifiedMinCount or sh:qualifiedMaxCount")

        q, n = self.var("q"), self.var("n")
        cond = self.conforms(qshape, q, seen)
        inner = _matching(cond)
        block = (
            f"OPTIONAL {{ SELECT {x} (COUNT(DISTINCT {q}) AS {n}) WHERE {{ {x} {path} {q} . {inner} }} GROUP BY {x} }}"
        )
        conds = []
        if low:
            conds.append(_Cond(ok=f"COALESCE({n}, 0) >= {low}"))
        if high is not None:  # more than high values conform: at least one does
            conds.append(_Cond(ok=f"COALESCE({n}, 0) <= {high}", needed=[f"{x} {path} {q} . {inner}"]))
        if conds:
            conds[0].blocks.insert(0, block)
        return conds

    def sparql(self, shape: Node, constraint: Node) -> tuple[str, str]:
        """A SHACL-SPARQL constraint's SELECT, to be joined to the targets, and its message."""
        select = self._one(constraint, SH.select)
        if select is None:
            self.refuse(shape, "sh:sparql", "only SELECT-based constraints (sh:select) are compiled")
        if self.g.value(constraint, SH.deactivated) == Literal(True):
            self.refuse(shape, "sh:sparql", "a deactivated SPARQL constraint is not compiled")
        text = str(select)
        if re.search(r"^\s*(PREFIX|BASE)\b", text, re.IGNORECASE | re.MULTILINE):
            self.refuse(shape, "sh:sparql", "prefixes are declared with sh:prefixes, not in the query")
        for variable in ("$currentShape", "$shapesGraph", "$PATH", "$value", "?failure", "?path"):
            if variable.lower() in text.lower():
                self.refuse(shape, "sh:sparql", f"the pre-bound or result variable {variable} is not compiled")
        if "$this" not in text or len(re.findall(r"\bSELECT\b", text, re.IGNORECASE)) != 1:
            self.refuse(shape, "sh:sparql", "only one SELECT with $this (no nested sub-select) is compiled")
        projection = re.search(r"\bSELECT\b(.*?)\bWHERE\b", text, re.IGNORECASE | re.DOTALL)
        if projection and not re.search(r"[?$]this\b", projection.group(1)):
            self.refuse(shape, "sh:sparql", "the SELECT must return $this, which the results are reported for")
        if not re.search(r"\bWHERE\s*\{", text, re.IGNORECASE):
            self.refuse(shape, "sh:sparql", "the SELECT's WHERE keyword is needed to join the targets in")
        for declared in self.g.objects(constraint, SH.prefixes):
            for declaration in self.g.objects(declared, SH.declare):
                prefix, namespace = self.g.value(declaration, SH.prefix), self.g.value(declaration, SH.namespace)
                self.prefixes[str(prefix)] = _iri(URIRef(str(namespace)))[1:-1]
        messages = list(self.g.objects(constraint, SH.message))
        message = self._message(constraint) if messages else self._message(shape)
        return text, message
