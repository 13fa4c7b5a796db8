"""Integrity shapes of progress reports (shapes/progress.ttl): each has a fixture that passes and
one or more that fail, in the style of tests/test_shapes_integrity.py (only the shape under test
counts), and the shipped data, which holds no report, conforms to them."""

import pytest
from rdflib import RDF, Graph, Namespace
from test_shapes_integrity import PREFIXES, audit_snippet, of_shape

from graphsvc import resources
from graphsvc.answers import periods
from graphsvc.engine import graph
from graphsvc.namespaces import GS

EX = Namespace("https://example.org/")

PROGRESS_PREFIXES = """
@prefix qb:    <http://purl.org/linked-data/cube#> .
@prefix ref:   <http://reference.data.gov.uk/id/> .
@prefix inst:  <http://reference.data.gov.uk/id/gregorian-instant/> .
"""

# A plan reported over April 2007 to March 2010, an item, a quantified and a directional measure,
# the periods 2008-Q3 (within) and 2011-Q1 (after), a dataset and a person who reports.
WORLD = """
ex:plan a gs:Plan ; gs:reportingSpan ex:span .
ex:span time:hasBeginning inst:2007-04-01T00:00:00 ; time:hasEnd inst:2010-04-01T00:00:00 .
ex:strand a gs:Strand ; dcterms:isPartOf ex:plan .
ex:item a gs:DeliveryItem ; dcterms:isPartOf ex:strand .
ex:counted a gs:SuccessMeasure ; dcterms:isPartOf ex:item ; gs:measurability gs:Quantified .
ex:worded a gs:SuccessMeasure ; dcterms:isPartOf ex:item ; gs:measurability gs:Directional .
ref:quarter\\/2008-Q3 time:hasBeginning inst:2008-07-01T00:00:00 ; time:hasEnd inst:2008-10-01T00:00:00 .
ref:quarter\\/2011-Q1 time:hasBeginning inst:2011-01-01T00:00:00 ; time:hasEnd inst:2011-04-01T00:00:00 .
inst:2007-04-01T00:00:00 time:inXSDDateTime "2007-04-01T00:00:00"^^xsd:dateTime .
inst:2010-04-01T00:00:00 time:inXSDDateTime "2010-04-01T00:00:00"^^xsd:dateTime .
inst:2008-07-01T00:00:00 time:inXSDDateTime "2008-07-01T00:00:00"^^xsd:dateTime .
inst:2008-10-01T00:00:00 time:inXSDDateTime "2008-10-01T00:00:00"^^xsd:dateTime .
inst:2011-01-01T00:00:00 time:inXSDDateTime "2011-01-01T00:00:00"^^xsd:dateTime .
inst:2011-04-01T00:00:00 time:inXSDDateTime "2011-04-01T00:00:00"^^xsd:dateTime .
ex:reports a qb:DataSet ; qb:structure gs:ReportStructure .
ex:analyst a foaf:Person .
"""


def report(name: str, about: str = "ex:item", period: str = "ref:quarter\\/2008-Q3", extra: str = "") -> str:
    """A report that passes every shape, with ``extra`` statements (or overrides) about it."""
    return (
        f"ex:{name} a gs:Report ; qb:dataSet ex:reports ; gs:reportedElement {about} ; "
        f"gs:reportingPeriod {period} ; gs:reportStatus gs:OnTrack ; prov:wasAttributedTo ex:analyst ; "
        f'prov:generatedAtTime "2008-10-03T09:00:00"^^xsd:dateTime {extra}.\n'
    )


GOOD = WORLD + report("r")

# shape -> (valid fixture, [(invalid fixture, expected focus), ...]); every finding is a Violation.
CASES = {
    "integrity:ObservationInOneDataSet": (
        GOOD,
        [
            (WORLD + "ex:r a gs:Report .", EX.r),
            (GOOD + "ex:other a qb:DataSet ; qb:structure gs:ReportStructure . ex:r qb:dataSet ex:other .", EX.r),
        ],
    ),
    "integrity:DataSetStructured": (
        GOOD,
        [(WORLD + "ex:bare a qb:DataSet .", EX.bare), (WORLD + "ex:reports qb:structure ex:other .", EX.reports)],
    ),
    "integrity:ObservationDimensions": (
        GOOD,
        [
            (WORLD + report("r").replace("gs:reportingPeriod ref:quarter\\/2008-Q3 ;", ""), EX.r),
            (WORLD + report("r").replace("gs:reportedElement ex:item ;", ""), EX.r),
        ],
    ),
    "integrity:ReportNotDuplicated": (
        GOOD + report("correction", extra="; prov:wasRevisionOf ex:r ; gs:reportStatus gs:AtRisk"),
        [(GOOD + report("again"), EX.r), (GOOD + report("again"), EX.again)],
    ),
    "integrity:ReportComplete": (
        GOOD + report("done", about="ex:counted", extra="; gs:reportedValue 12.5 ; gs:ownerRAG gs:Green"),
        [
            (WORLD + report("r").replace("gs:reportStatus gs:OnTrack", "gs:reportStatus gs:Green"), EX.r),
            (WORLD + report("r", extra="; gs:ownerRAG gs:OnTrack"), EX.r),
            (WORLD + report("r", about="ex:strand"), EX.r),
            (WORLD + report("r").replace("prov:wasAttributedTo ex:analyst", "prov:wasAttributedTo ex:nobody"), EX.r),
            (WORLD + report("r", about="ex:counted", extra='; gs:reportedValue "twelve"'), EX.r),
            (WORLD + report("r", extra='; prov:generatedAtTime "2008-10-04T09:00:00"^^xsd:dateTime'), EX.r),
        ],
    ),
    "integrity:QuantifiedReportHasValue": (
        WORLD + report("r", about="ex:counted", extra="; gs:reportedValue 20"),
        [(WORLD + report("r", about="ex:counted"), EX.r)],
    ),
    "integrity:UnquantifiedReportHasNoValue": (
        WORLD + report("r", about="ex:worded"),
        [
            (WORLD + report("r", about="ex:worded", extra="; gs:reportedValue 20"), EX.r),
            (WORLD + report("r", extra="; gs:reportedValue 1"), EX.r),
        ],
    ),
    "integrity:RedReportExplained": (
        WORLD + report("r", extra='; gs:ownerRAG gs:Red ; gs:narrative "Funding withdrawn; bid resubmitted."'),
        [
            (WORLD + report("r", extra="; gs:ownerRAG gs:Red"), EX.r),
            (WORLD + report("r").replace("gs:OnTrack", "gs:OffTrack"), EX.r),
            (WORLD + report("r", extra='; gs:ownerRAG gs:Red ; gs:narrative ""'), EX.r),
        ],
    ),
    "integrity:ReportPeriodInPlan": (
        GOOD,
        [
            (WORLD + report("r", period="ref:quarter\\/2011-Q1"), EX.r),
            (WORLD + report("r", period="ref:quarter\\/1999-Q1"), EX.r),
        ],
    ),
}


def test_every_report_shape_has_fixtures():
    shapes = graph.load([p for p in resources.shape_files() if p.name == "progress.ttl"])
    named = {f"integrity:{str(s).rsplit('#', 1)[1]}" for s in shapes.subjects(None, None) if "#" in str(s)}
    assert set(CASES) == {n for n in named if n != "integrity:ReportPrefixes"}


@pytest.mark.parametrize("shape", sorted(CASES))
def test_valid_fixture_passes(shape):
    valid, _ = CASES[shape]
    assert of_shape(audit_snippet(PROGRESS_PREFIXES + valid, "integrity"), shape) == []


@pytest.mark.parametrize(
    "shape, invalid, focus",
    [(shape, invalid, focus) for shape, (_, cases) in sorted(CASES.items()) for invalid, focus in cases],
)
def test_invalid_fixture_fails_with_focus_and_severity(shape, invalid, focus):
    found = of_shape(audit_snippet(PROGRESS_PREFIXES + invalid, "integrity"), shape)
    assert (str(focus), "Violation") in found, found


def test_the_shipped_periods_are_the_generated_ones():
    """data/progress.ttl is what graphsvc.answers.periods writes, and holds no report."""
    from rdflib.compare import isomorphic

    shipped = graph.load([p for p in resources.data_files() if p.name == "progress.ttl"])
    assert isomorphic(shipped, periods.reporting_data())
    assert not list(shipped.subjects(RDF.type, GS.Report))


def test_a_report_on_the_built_in_plans_is_checked_against_their_span(default_graph):
    """The shipped spans bound reports on the real plans: 2008-Q3 is within 2007-10, not 2004-5."""
    data = Graph()
    data += default_graph
    turtle = """
    ex:ok a gs:Report ; qb:dataSet <https://w3id.org/graphsvc/id/progress/reports> ;
        gs:reportedElement <https://w3id.org/graphsvc/id/item/2007-10/1.1> ;
        gs:reportingPeriod ref:quarter\\/2008-Q3 ; gs:reportStatus gs:OnTrack ;
        prov:wasAttributedTo <https://w3id.org/graphsvc/id/person/shona-pearce> ;
        prov:generatedAtTime "2008-10-03T09:00:00"^^xsd:dateTime .
    ex:late a gs:Report ; qb:dataSet <https://w3id.org/graphsvc/id/progress/reports> ;
        gs:reportedElement <https://w3id.org/graphsvc/id/activity/2004-5/1-1> ;
        gs:reportingPeriod ref:quarter\\/2008-Q3 ; gs:reportStatus gs:OnTrack ;
        prov:wasAttributedTo <https://w3id.org/graphsvc/id/person/shona-pearce> ;
        prov:generatedAtTime "2008-10-03T09:00:00"^^xsd:dateTime .
    """
    data.parse(data=PREFIXES + PROGRESS_PREFIXES + turtle, format="turtle")
    from graphsvc.audit import validation

    found = [f for f in validation.audit(data, ("integrity",)).results if f.shape.startswith("integrity:Report")]
    assert sorted((f.focus, f.shape) for f in found) == [(str(EX.late), "integrity:ReportPeriodInPlan")]
