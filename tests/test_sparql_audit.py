"""The shapes compiled to SPARQL (graphsvc.audit.shacl_sparql, run by graphsvc.audit.sparql_audit) give
exactly pySHACL's results.

pySHACL runs on the audited graph (ontology + data, as graphsvc.audit.validation runs it); the
compiled queries run on the same graph in embedded Oxigraph (blank nodes compared by what they
hang from). Compared: every shape fixture of the integrity and quality tests, valid and
invalid, edge cases of several values, the built-in plans and a small generated national graph.
"""

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pyshacl
import pytest
from rdflib import BNode, Graph
from rdflib.namespace import SH
from test_shapes_integrity import CASES as INTEGRITY_CASES
from test_shapes_integrity import PREFIXES
from test_shapes_progress import CASES as REPORT_CASES
from test_shapes_progress import PROGRESS_PREFIXES
from test_shapes_quality import CASES as QUALITY_CASES

from graphsvc.audit import sparql_audit, validation
from graphsvc.engine import graph
from graphsvc.engine.engines import OxigraphEngine

ROOT = Path(__file__).resolve().parents[1]


def _combined(data: Graph) -> Graph:
    combined = Graph()
    combined += graph.ontology()
    combined += data
    return combined


def pyshacl_results(combined: Graph) -> Counter:
    shapes = validation._shapes_graph(frozenset(validation.SHAPE_SETS))
    _, report, _ = pyshacl.validate(combined, shacl_graph=shapes, inference="none", allow_warnings=True)
    return Counter(
        (
            validation._shape_name(shapes, report.value(r, SH.sourceShape)),
            str(report.value(r, SH.resultSeverity)).rsplit("#")[-1],
            report.value(r, SH.focusNode),
            report.value(r, SH.value),
            str(report.value(r, SH.resultMessage)),
        )
        for r in report.objects(None, SH.result)
    )


def sparql_results(engine) -> Counter:
    return Counter((r.shape, r.severity, r.focus, r.value, r.message) for r in sparql_audit.run(engine))


def _blind(results: Counter) -> Counter:
    """Blank nodes made comparable across engines: each engine names them its own way."""

    def term(node):
        return "_:" if isinstance(node, BNode) else node

    return Counter({(s, v, term(f), term(x), m): n for (s, v, f, x, m), n in results.items()})


def assert_same(data: Graph) -> Counter:
    combined = _combined(data)
    expected = pyshacl_results(combined)
    assert _blind(sparql_results(OxigraphEngine.from_graph(combined))) == _blind(expected)
    return expected


def test_every_targeted_shape_has_a_sparql_form():
    targeted = set(INTEGRITY_CASES) | set(QUALITY_CASES) | set(REPORT_CASES)
    assert set(sparql_audit.checks()) == targeted


FIXTURES = sorted(
    {
        turtle
        for valid, cases in [(v, c) for v, c in INTEGRITY_CASES.values()]
        for turtle in [valid, *(t for t, _ in cases)]
    }
    | {turtle for _, valid, cases in QUALITY_CASES.values() for turtle in [valid, *(t for t, _ in cases)]}
    | {PROGRESS_PREFIXES + t for valid, cases in REPORT_CASES.values() for t in [valid, *(t for t, _ in cases)]}
)


@pytest.mark.parametrize("turtle", FIXTURES, ids=[f"fixture-{n}" for n in range(len(FIXTURES))])
def test_sparql_form_equals_pyshacl_on_every_shape_fixture(turtle):
    assert_same(Graph().parse(data=PREFIXES + turtle, format="turtle"))


def test_sparql_form_equals_pyshacl_on_the_built_in_plans(default_graph):
    results = assert_same(default_graph)
    shapes = Counter(shape for shape, *_ in results.elements())
    assert shapes["quality:MeasureMeasurable"] > 0 and shapes["quality:SharedLeadership"] > 0


def test_sparql_form_equals_pyshacl_on_generated_national_data(tmp_path):
    out = tmp_path / "national.nt"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "generate.py"), "--size", "10k", "--forces", "1", "--out", str(out)],
        check=True,
        capture_output=True,
    )
    results = assert_same(Graph().parse(out))
    assert {"quality:MeasureMeasurable", "quality:ItemMeasurableOutcome"} <= {shape for shape, *_ in results}


def test_audit_report_for_a_served_store_names_owners(default_graph):
    report = sparql_audit.audit_engine(OxigraphEngine.from_graph(default_graph))
    python_report = validation.audit(default_graph)
    assert report.totals["by_severity"] == python_report.totals["by_severity"]
    assert {(f.focus, f.shape, f.owner) for f in report.results} == {
        (f.focus, f.shape, f.owner) for f in python_report.results
    }


# Cases the shape fixtures leave out but the single-pass query forms must get right: several
# values (one of them wrong), values differing only by language, a node of two target classes,
# a link that is both typed and the object of prov:qualifiedAttribution, a literal where a node
# is expected, two plans reached by different routes.
EDGE_CASES = [
    'ex:m a gs:SuccessMeasure ; gs:measurability gs:Quantified , gs:Increase ; gs:measurabilityReason "" , "Two" .',
    'ex:m a gs:SuccessMeasure ; gs:measurability gs:NotMeasurable , gs:Quantified ; gs:measurabilityReason "Why" .',
    "ex:x a gs:DeliveryItem . ex:a a gs:Action , gs:SuccessMeasure ; dcterms:isPartOf ex:x , ex:y .",
    'ex:a a gs:Action ; dcterms:isPartOf "an item" ; skos:prefLabel "x"@en , "x" .',
    "ex:post a org:Post . ex:item prov:qualifiedAttribution ex:link . "
    "ex:link a prov:Attribution ; prov:agent ex:post , ex:nobody ; dcat:hadRole gs:Lead , gs:Partner , ex:Boss .",
    "ex:p1 a gs:Plan . ex:p2 a gs:Plan . ex:s a gs:Strand ; dcterms:isPartOf ex:p1 . "
    "ex:o a gs:Objective ; dcterms:isPartOf ex:p2 . ex:item a gs:DeliveryItem ; dcterms:isPartOf ex:s , ex:o .",
    'ex:s a gs:Strand ; skos:prefLabel "" , "Named" ; dcterms:isPartOf ex:p1 , ex:p2 . ex:p1 a gs:Plan .',
    'ex:item a gs:DeliveryItem ; skos:notation "1.2" , "x" . '
    'ex:m a gs:SuccessMeasure ; skos:notation "1.2.1"@en , "1.2.1" , "9" ; dcterms:isPartOf ex:item .',
    'ex:act a gs:Activity ; gs:targetDate "2020-01-01"^^xsd:date ; gs:progress ex:p1 , ex:p2 .',
    'ex:m gs:target ex:t . ex:t a gs:Target ; gs:targetValue 5 , "five" ; gs:targetUnit "percent" , ex:pc ; '
    "gs:direction gs:Increase , ex:up .",
]


@pytest.mark.parametrize("turtle", EDGE_CASES, ids=[f"edge-{n}" for n in range(len(EDGE_CASES))])
def test_sparql_form_equals_pyshacl_on_multi_valued_edge_cases(turtle):
    results = assert_same(Graph().parse(data=PREFIXES + turtle, format="turtle"))
    assert results  # each case breaks at least one shape, so the comparison is not of two empty sets
