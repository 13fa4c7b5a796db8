"""The SHACL-to-SPARQL compiler, one constraint kind at a time, against pySHACL.

Each case is a tiny shapes graph and a tiny data graph: pySHACL validates the data, the compiled
queries run on embedded Oxigraph (graphsvc.engine.engines), and the two give the same results (focus,
value, message, counted). Every case's data breaks its shape at least once and passes it at least
once, so a compiled query that reported nothing, or everything, would fail. Literals are written in
Oxigraph's canonical form ("1"^^xsd:decimal, not 1.0), which it keeps in place of the form loaded.
Features the compiler cannot take are refused when the shapes are compiled, naming the shape.
"""

from collections import Counter

import pyshacl
import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import SH

from graphsvc.audit import shacl_sparql
from graphsvc.engine.engines import OxigraphEngine

PREFIXES = """
@prefix sh:   <http://www.w3.org/ns/shacl#> .
@prefix rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix ex:   <https://example.org/> .
"""


def _ex(name: str) -> URIRef:
    return URIRef(f"https://example.org/{name}")


def _blind(node):
    return "_:" if isinstance(node, BNode) else node


def expected(shapes: Graph, data: Graph) -> Counter:
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    return Counter(
        (
            _blind(report.value(r, SH.focusNode)),
            _blind(report.value(r, SH.value)),
            str(report.value(r, SH.resultMessage)),
        )
        for r in report.objects(None, SH.result)
    )


def compiled_results(shapes: Graph, data: Graph) -> Counter:
    engine = OxigraphEngine.from_graph(data)
    compiled = shacl_sparql.compile_shapes(shapes)
    classes = {c for shape in compiled for c in shape.classes}
    rows = engine.query(shacl_sparql.closure_query(classes)).rows if classes else []
    closure = shacl_sparql.class_closure(rows, classes)
    found = Counter()
    for shape in compiled:
        for row in engine.query(shacl_sparql.render(shape, closure)).rows:
            found[_blind(row["this"]), _blind(row.get("value")), str(row["message"])] += 1
    return found


def graphs(shapes: str, data: str) -> tuple[Graph, Graph]:
    return (
        Graph().parse(data=PREFIXES + shapes, format="turtle"),
        Graph().parse(data=PREFIXES + data, format="turtle"),
    )


# name -> (shapes, data): each data graph has focus nodes that pass and ones that fail.
CASES = {
    "minCount": (
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:message 'm' ] .",
        "ex:a a ex:C ; ex:p 1 . ex:b a ex:C . ex:c a ex:Sub . ex:Sub rdfs:subClassOf ex:C .",
    ),
    "minCount 2": (
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 2 ; sh:message 'm' ] .",
        "ex:a a ex:C ; ex:p 1 , 2 . ex:b a ex:C ; ex:p 1 . ex:c a ex:C .",
    ),
    "maxCount 1 and 0": (
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; "
        "sh:property [ sh:path ex:p ; sh:maxCount 1 ; sh:message 'one' ] , [ sh:path ex:q ; sh:maxCount 0 ; sh:message 'none' ] .",
        "ex:a a ex:C ; ex:p 1 . ex:b a ex:C ; ex:p 1 , 2 ; ex:q 3 . ex:c a ex:C ; ex:p 'x'@en , 'x' .",
    ),
    "maxCount 2": (
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:maxCount 2 ; sh:message 'm' ] .",
        "ex:a a ex:C ; ex:p 1 , 2 . ex:b a ex:C ; ex:p 1 , 2 , 3 .",
    ),
    "exactly one": (
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:maxCount 1 ; sh:message 'm' ] .",
        "ex:a a ex:C ; ex:p 1 . ex:b a ex:C ; ex:p 1 , 2 . ex:c a ex:C .",
    ),
    "class": (
        "ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:class ex:K ; sh:message 'm' ] .",
        "ex:Sub rdfs:subClassOf ex:K . ex:a ex:p ex:k1 , ex:k2 , ex:x , 'lit' . ex:k1 a ex:K . ex:k2 a ex:Sub . ex:b ex:p ex:k1 .",
    ),
    "class of the focus": (
        "ex:S a sh:NodeShape ; sh:targetObjectsOf ex:p ; sh:class ex:K ; sh:message 'm' .",
        "ex:a ex:p ex:k1 , ex:x . ex:b ex:p ex:x . ex:k1 a ex:K .",
    ),
    "datatype": (
        "ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:d ; "
        "sh:property [ sh:path ex:d ; sh:datatype xsd:date ; sh:message 'date' ] , "
        "[ sh:path ex:i ; sh:datatype xsd:integer ; sh:message 'integer' ] , "
        "[ sh:path ex:s ; sh:datatype xsd:string ; sh:message 'string' ] .",
        "ex:a ex:d '2024-02-29'^^xsd:date , '2023-02-29'^^xsd:date , '2024-01-01' ; ex:i 5 , 'five'^^xsd:integer , '5'^^xsd:decimal , ex:x ; "
        "ex:s 'plain' , 'tagged'@en , 1 . ex:b ex:d '2020-12-31'^^xsd:date .",
    ),
    "in": (
        "ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:in ( ex:A ex:B 1 ) ; sh:message 'm' ] .",
        "ex:a ex:p ex:A , ex:C , 1 , '1'^^xsd:decimal , '1' . ex:b ex:p ex:B .",
    ),
    "pattern and flags": (
        "ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:pattern '^ab\\\\.c$' ; sh:flags 'i' ; sh:message 'm' ] .",
        "ex:a ex:p 'ab.c' , 'AB.C' , 'abxc' , [ ] , <https://example.org/ab.c> . ex:b ex:p 'Ab.c' .",
    ),
    "nodeKind": (
        "ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:nodeKind sh:IRI ; sh:message 'm' ] .",
        "ex:a ex:p ex:x , 'x' , [ ] . ex:b ex:p ex:y .",
    ),
    "minLength and minInclusive": (
        "ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:minLength 2 ; sh:message 'length' ] , "
        "[ sh:path ex:n ; sh:minInclusive 1 ; sh:message 'from one' ] .",
        "ex:a ex:p 'ab' , 'a' , '' ; ex:n 0 , 1 , 2.5 , 'x' , ex:x . ex:b ex:p 'abc' ; ex:n 3 .",
    ),
    "hasValue": (
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:hasValue ex:V ; sh:message 'm' ] .",
        "ex:a a ex:C ; ex:p ex:V , ex:W . ex:b a ex:C ; ex:p ex:W . ex:c a ex:C .",
    ),
    "node": (
        "ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:node ex:N ; sh:message 'm' ] . "
        "ex:N a sh:NodeShape ; sh:property [ sh:path ex:q ; sh:minCount 1 ] .",
        "ex:a ex:p ex:x , ex:y . ex:x ex:q 1 . ex:b ex:p ex:x .",
    ),
    "and, or, xone, not on the focus": (
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:message 'm' ; "
        "sh:xone ( [ sh:path ex:p ; sh:minCount 1 ] [ sh:not [ sh:path ex:q ; sh:hasValue ex:V ] ] ) . "
        "ex:T a sh:NodeShape ; sh:targetClass ex:C ; sh:message 'or-and' ; "
        "sh:or ( [ sh:and ( [ sh:path ex:p ; sh:minCount 1 ] [ sh:path ex:q ; sh:minCount 1 ] ) ] [ sh:path ex:r ; sh:minCount 1 ] ) .",
        "ex:a a ex:C ; ex:p 1 . ex:b a ex:C ; ex:p 1 ; ex:q ex:V . ex:c a ex:C . ex:d a ex:C ; ex:q ex:V . ex:e a ex:C ; ex:r 1 .",
    ),
    "or of classes on values": (
        "ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:p ; "
        "sh:property [ sh:path ex:p ; sh:or ( [ sh:class ex:K ] [ sh:class ex:L ] ) ; sh:message 'm' ] .",
        "ex:a ex:p ex:k , ex:l , ex:x . ex:k a ex:K . ex:l a ex:L . ex:b ex:p ex:k .",
    ),
    "qualifiedValueShape": (
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; "
        "sh:property [ sh:path ex:p ; sh:qualifiedValueShape [ sh:class ex:K ] ; sh:qualifiedMinCount 1 ; sh:qualifiedMaxCount 1 ; sh:message 'one K' ] , "
        "[ sh:path ex:p ; sh:qualifiedValueShape [ sh:path ex:role ; sh:hasValue ex:Lead ] ; sh:qualifiedMaxCount 0 ; sh:message 'no lead' ] , "
        "[ sh:path ex:p ; sh:qualifiedValueShape [ sh:class ex:K ] ; sh:qualifiedMinCount 2 ; sh:message 'two K' ] .",
        "ex:a a ex:C ; ex:p ex:k1 . ex:b a ex:C ; ex:p ex:k1 , ex:k2 . ex:c a ex:C ; ex:p ex:x . ex:d a ex:C ; ex:p ex:l . "
        "ex:k1 a ex:K . ex:k2 a ex:K . ex:l ex:role ex:Lead .",
    ),
    "paths": (
        "ex:S a sh:NodeShape ; sh:targetNode ex:a , ex:b ; "
        "sh:property [ sh:path [ sh:inversePath ex:p ] ; sh:minCount 1 ; sh:message 'inverse' ] , "
        "[ sh:path ( ex:p ex:q ) ; sh:class ex:K ; sh:message 'sequence' ] , "
        "[ sh:path [ sh:alternativePath ( ex:p ex:q ) ] ; sh:maxCount 1 ; sh:message 'alternative' ] , "
        "[ sh:path [ sh:oneOrMorePath ex:up ] ; sh:qualifiedValueShape [ sh:class ex:Top ] ; sh:qualifiedMinCount 1 ; sh:message 'one or more' ] , "
        "[ sh:path [ sh:zeroOrMorePath ex:up ] ; sh:nodeKind sh:IRI ; sh:message 'zero or more' ] , "
        "[ sh:path [ sh:zeroOrOnePath ex:up ] ; sh:maxCount 1 ; sh:message 'zero or one' ] .",
        "ex:a ex:p ex:x ; ex:up ex:m . ex:m ex:up ex:top . ex:top a ex:Top . ex:x ex:q ex:k . ex:k a ex:K . "
        "ex:b ex:q ex:y ; ex:up ex:n , [ ] . ex:c ex:p ex:b . ex:b ex:p ex:z . ex:z ex:q ex:w .",
    ),
    "SHACL-SPARQL": (
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:message 'sparql' ; sh:prefixes ex:decl ; sh:select '''"
        "SELECT $this ?value WHERE { $this ex:p ?value . ?value ex:q ?x . FILTER(?x > 1) }''' ] . "
        "ex:decl sh:declare [ sh:prefix 'ex' ; sh:namespace 'https://example.org/'^^xsd:anyURI ] .",
        "ex:a a ex:C ; ex:p ex:v , ex:w . ex:v ex:q 2 , 3 . ex:w ex:q 1 . ex:b a ex:C ; ex:p ex:w . ex:u ex:p ex:v .",
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_compiled_query_equals_pyshacl(name):
    shapes, data = graphs(*CASES[name])
    want = expected(shapes, data)
    assert want, "the case's data breaks its shape"
    focus = {f for f, *_ in want}
    assert any(n not in focus for n in data.subjects()), "and some node passes it"
    assert compiled_results(shapes, data) == want


def test_equal_results_of_two_constraints_are_both_reported():
    """pySHACL reports a result per constraint: two that fail alike are counted twice, not folded."""
    shapes, data = graphs(
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:hasValue ex:V ; sh:message 'm' ] .",
        "ex:a a ex:C . ex:b a ex:C ; ex:p ex:V .",
    )
    assert compiled_results(shapes, data) == expected(shapes, data) == Counter({(_ex("a"), None, "m"): 2})


def test_sparql_constraint_runs_once_for_all_targets():
    """$this is joined to the targets inside one query, not substituted per focus node."""
    shapes, _ = graphs(*CASES["SHACL-SPARQL"])
    (compiled,) = shacl_sparql.compile_shapes(shapes)
    query = shacl_sparql.render(compiled, {})
    assert query.count("SELECT") == 2 and "{{" not in query
    assert "WHERE { { { ?this a <https://example.org/C> } }" in query


def test_class_lists_come_from_the_data_not_a_path_inside_optional():
    """Virtuoso answers rdfs:subClassOf* inside OPTIONAL or a sub-select wrongly: the compiled
    queries carry IRI lists, and the one path is in the closure query's top level."""
    shapes, data = graphs(*CASES["class"])
    (compiled,) = shacl_sparql.compile_shapes(shapes)
    assert "subClassOf" not in compiled.template
    engine = OxigraphEngine.from_graph(data)
    rows = engine.query(shacl_sparql.closure_query(compiled.classes)).rows
    closure = shacl_sparql.class_closure(rows, compiled.classes)
    assert set(closure[compiled.classes[0]]) == {_ex("K"), _ex("Sub")}
    assert "<https://example.org/Sub>" in shacl_sparql.render(compiled, closure)


REFUSED = {
    "sh:equals": (
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:equals ex:q ; sh:message 'm' ] .",
        "property pair",
    ),
    "sh:closed": ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true ; sh:message 'm' .", "closed shapes"),
    "sh:languageIn": (
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:languageIn ( 'en' ) ; sh:message 'm' ] .",
        "language",
    ),
    "unknown datatype": (
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:datatype xsd:duration ; sh:message 'm' ] .",
        "lexical forms",
    ),
    "no message": (
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .",
        "words its own message",
    ),
    "filled placeholder": (
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:message 'no {$this}' ] .",
        "placeholders",
    ),
    "recursion": ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:node ex:S ; sh:message 'm' .", "recursion"),
    "disjoint qualified": (
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:qualifiedValueShape [ sh:class ex:K ] ; "
        "sh:qualifiedMinCount 1 ; sh:qualifiedValueShapesDisjoint true ; sh:message 'm' ] .",
        "sibling",
    ),
    "SPARQL with $currentShape": (
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:message 'm' ; sh:select 'SELECT $this WHERE { $this ?p $currentShape }' ] .",
        "$currentShape",
    ),
    "severities differ": (
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:message 'm' ] , "
        "[ sh:path ex:q ; sh:minCount 1 ; sh:severity sh:Warning ; sh:message 'm' ] .",
        "severity",
    ),
}


@pytest.mark.parametrize("name", REFUSED)
def test_unsupported_feature_is_refused_naming_the_shape(name):
    shapes, why = REFUSED[name]
    with pytest.raises(shacl_sparql.UnsupportedShape) as refused:
        shacl_sparql.compile_shapes(Graph().parse(data=PREFIXES + shapes, format="turtle"), {_ex("S"): "test:S"})
    assert str(refused.value).startswith("test:S") and why in str(refused.value)


def test_shipped_shapes_all_compile_and_report_on_the_built_in_plans():
    """Every targeted shape of shapes/*.ttl compiles (none is refused) and is one check of the audit;
    tests/test_sparql_audit.py checks their results equal pySHACL's."""
    from graphsvc.audit import sparql_audit
    from graphsvc.engine import graph

    assert sorted(sparql_audit._compiled()) == sorted(sparql_audit.checks())
    assert set(sparql_audit.severities().values()) <= {"Violation", "Warning", "Info"}
    engine = OxigraphEngine.from_graph(graph.default())
    assert len(sparql_audit.run(engine)) > 40
