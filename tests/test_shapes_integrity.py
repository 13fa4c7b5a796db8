"""Integrity shapes: the shipped data conforms, and each shape has a fixture that passes and one that fails.

Each case is a valid/invalid pair of inline Turtle (Brick's model): the invalid fixture must give
exactly the expected finding (focus node and severity) from the shape under test, the valid one
none from it. Other shapes may well fire on these small fragments; only the shape under test counts.
Shapes without a target (integrity:ResponsibilityRole, the measurability rule in quality.ttl) are
exercised through the shapes that use them.
"""

import pytest
from rdflib import Graph, Namespace
from rdflib.namespace import SH

from graphsvc import resources
from graphsvc.audit import validation
from graphsvc.engine import graph

EX = Namespace("https://example.org/")

PREFIXES = """
@prefix rdf:     <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix dcat:    <http://www.w3.org/ns/dcat#> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix org:     <http://www.w3.org/ns/org#> .
@prefix foaf:    <http://xmlns.com/foaf/0.1/> .
@prefix time:    <http://www.w3.org/2006/time#> .
@prefix unit:    <http://qudt.org/vocab/unit/> .
@prefix gs:      <https://w3id.org/graphsvc/def#> .
@prefix ex:      <https://example.org/> .
"""


def audit_snippet(turtle: str, shape_set: str) -> list[validation.Finding]:
    return validation.audit(Graph().parse(data=PREFIXES + turtle, format="turtle"), (shape_set,)).results


def of_shape(findings, shape: str) -> list[tuple[str, str]]:
    return sorted((f.focus, f.severity) for f in findings if f.shape == shape)


def targeted_shapes(shape_set: str) -> set[str]:
    """The named shapes of a set that have a target: the ones a fixture pair must cover."""
    shapes = graph.load(resources.shape_files())
    namespace = str(validation.SHAPE_NAMESPACES[shape_set])
    targets = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
    return {
        f"{shape_set}:{str(s)[len(namespace) :]}"
        for p in targets
        for s in shapes.subjects(p, None)
        if str(s).startswith(namespace)
    }


ITEM = """
ex:plan a gs:Plan . ex:strand a gs:Strand ; dcterms:isPartOf ex:plan .
ex:item a gs:DeliveryItem ; skos:notation "1.2" ; skos:prefLabel "Do it" ; dcterms:isPartOf ex:strand .
"""

# shape -> (valid fixture, [(invalid fixture, expected focus), ...]); every finding is a Violation.
CASES = {
    "integrity:PlanElementTyped": (
        "ex:a a gs:Action ; dcterms:isPartOf ex:item .",
        [("ex:a dcterms:isPartOf ex:item .", EX.a)],
    ),
    "integrity:ComponentsTyped": (
        "ex:m gs:target [ a gs:Target ] ; gs:footnote [ a gs:Footnote ] .",
        [("ex:m gs:target [ gs:targetValue 5 ] .", EX.m), ("ex:act gs:progress [ gs:sourceLine 3 ] .", EX.act)],
    ),
    "integrity:PlanElementLabelled": (
        'ex:item a gs:DeliveryItem ; skos:prefLabel "Do it" .',
        [
            ("ex:item a gs:DeliveryItem .", EX.item),
            ('ex:a a gs:Action ; skos:prefLabel "One" , "Two" .', EX.a),
            ('ex:m a gs:SuccessMeasure ; skos:prefLabel "" .', EX.m),
        ],
    ),
    "integrity:FootnoteMarker": (
        'ex:fn a gs:Footnote ; gs:marker "7" .',
        [('ex:fn a gs:Footnote ; rdf:value "Text" .', EX.fn)],
    ),
    "integrity:PartOfOnePlan": (
        ITEM,
        [
            ("ex:strand a gs:Strand ; dcterms:isPartOf ex:nothing .", EX.strand),
            ("ex:p1 a gs:Plan . ex:p2 a gs:Plan . ex:aim a gs:Aim ; dcterms:isPartOf ex:p1 , ex:p2 .", EX.aim),
        ],
    ),
    "integrity:PlanPartInPlan": (
        "ex:plan a gs:Plan . ex:objective a gs:Objective ; dcterms:isPartOf ex:plan .",
        [
            ("ex:objective a gs:Objective .", EX.objective),
            (ITEM + "ex:aim a gs:Aim ; dcterms:isPartOf ex:item .", EX.aim),
        ],
    ),
    "integrity:ItemInStrand": (
        ITEM,
        [("ex:plan a gs:Plan . ex:item a gs:DeliveryItem ; dcterms:isPartOf ex:plan .", EX.item)],
    ),
    "integrity:ItemPartInItem": (
        ITEM + "ex:m a gs:SuccessMeasure ; dcterms:isPartOf ex:item . ex:a a gs:Action ; dcterms:isPartOf ex:item .",
        [(ITEM + "ex:m a gs:SuccessMeasure ; dcterms:isPartOf ex:strand .", EX.m), ("ex:a a gs:Action .", EX.a)],
    ),
    "integrity:ActivityInObjective": (
        "ex:objective a gs:Objective . ex:act a gs:Activity ; dcterms:isPartOf ex:objective .",
        [("ex:plan a gs:Plan . ex:act a gs:Activity ; dcterms:isPartOf ex:plan .", EX.act)],
    ),
    "integrity:ItemRef": (
        'ex:item a gs:DeliveryItem ; skos:notation "12.3" .',
        [
            ('ex:item a gs:DeliveryItem ; skos:notation "1.2." .', EX.item),
            ("ex:item a gs:DeliveryItem .", EX.item),
            ('ex:item a gs:DeliveryItem ; skos:notation "1.2" , "1.3" .', EX.item),
        ],
    ),
    "integrity:MeasureRef": (
        'ex:m a gs:SuccessMeasure ; skos:notation "1.2.3" .',
        [('ex:m a gs:SuccessMeasure ; skos:notation "1.2" .', EX.m), ("ex:m a gs:SuccessMeasure .", EX.m)],
    ),
    "integrity:MeasureRefExtendsItemRef": (
        ITEM + 'ex:m a gs:SuccessMeasure ; skos:notation "1.2.1" ; dcterms:isPartOf ex:item .',
        [
            (ITEM + 'ex:m a gs:SuccessMeasure ; skos:notation "1.3.1" ; dcterms:isPartOf ex:item .', EX.item),
            (ITEM + 'ex:m a gs:SuccessMeasure ; skos:notation "1.21" ; dcterms:isPartOf ex:item .', EX.item),
        ],
    ),
    "integrity:RefUniqueInPlan": (
        ITEM
        + """ex:p2 a gs:Plan . ex:s2 a gs:Strand ; dcterms:isPartOf ex:p2 .
                  ex:other a gs:DeliveryItem ; skos:notation "1.2" ; dcterms:isPartOf ex:s2 .""",
        [(ITEM + 'ex:other a gs:DeliveryItem ; skos:notation "1.2" ; dcterms:isPartOf ex:strand .', EX.plan)],
    ),
    "integrity:ResponsibilityLink": (
        "ex:post a org:Post . ex:item prov:qualifiedAttribution [ a prov:Attribution ; prov:agent ex:post ; dcat:hadRole gs:Lead ] .",
        [
            (
                "ex:post a org:Post . ex:item prov:qualifiedAttribution [ a prov:Attribution ; prov:agent ex:post ] .",
                EX.item,
            ),
            (
                "ex:post a org:Post . ex:item prov:qualifiedAttribution [ prov:agent ex:post ; dcat:hadRole ex:Boss ] .",
                EX.item,
            ),
            ("ex:item prov:qualifiedAttribution [ prov:agent ex:nobody ; dcat:hadRole gs:Lead ] .", EX.item),
            (
                "ex:p a org:Post . ex:q a org:Post . ex:item prov:qualifiedAttribution [ prov:agent ex:p , ex:q ; dcat:hadRole gs:Lead ] .",
                EX.item,
            ),
        ],
    ),
    "integrity:PartnerLink": (
        "ex:ho a gs:PartnerAgency . ex:a a gs:Action . ex:item prov:qualifiedAttribution [ prov:agent ex:ho ; dcat:hadRole gs:Partner ; gs:statedIn ex:a ] .",
        [
            (
                "ex:post a org:Post . ex:a a gs:Action . ex:item prov:qualifiedAttribution [ prov:agent ex:post ; dcat:hadRole gs:Partner ; gs:statedIn ex:a ] .",
                EX.item,
            ),
            (
                "ex:ho a gs:PartnerAgency . ex:item prov:qualifiedAttribution [ prov:agent ex:ho ; dcat:hadRole gs:Partner ] .",
                EX.item,
            ),
        ],
    ),
    "integrity:UnitUnderForce": (
        "ex:force a org:FormalOrganization . ex:bg a gs:BusinessGroup ; org:subOrganizationOf ex:force . ex:u a org:OrganizationalUnit ; org:subOrganizationOf ex:bg .",
        [("ex:u a org:OrganizationalUnit ; org:subOrganizationOf ex:somewhere .", EX.u)],
    ),
    "integrity:BusinessGroupUnderForce": (
        "ex:force a org:FormalOrganization . ex:bg a gs:BusinessGroup ; org:subOrganizationOf ex:force .",
        [
            (
                "ex:force a org:FormalOrganization . ex:bg1 a gs:BusinessGroup ; org:subOrganizationOf ex:force . ex:bg a gs:BusinessGroup ; org:subOrganizationOf ex:bg1 .",
                EX.bg,
            )
        ],
    ),
    "integrity:PostInOrganisation": (
        "ex:u a org:OrganizationalUnit . ex:post a org:Post ; org:postIn ex:u .",
        [
            ("ex:post a org:Post .", EX.post),
            ("ex:person a foaf:Person . ex:post a org:Post ; org:postIn ex:person .", EX.post),
        ],
    ),
    "integrity:TargetComplete": (
        "ex:m gs:target [ a gs:Target ; gs:targetValue 50.0 ; gs:targetUnit unit:PERCENT ; gs:direction gs:Increase ] .",
        [
            ("ex:m gs:target [ a gs:Target ; gs:targetValue 50.0 ; gs:direction gs:Increase ] .", EX.m),
            (
                'ex:m gs:target [ a gs:Target ; gs:targetValue "fifty" ; gs:targetUnit unit:PERCENT ; gs:direction gs:Increase ] .',
                EX.m,
            ),
            (
                "ex:m gs:target [ a gs:Target ; gs:targetValue 5 ; gs:targetUnit unit:PERCENT ; gs:direction ex:Sideways ] .",
                EX.m,
            ),
        ],
    ),
    "integrity:ValidDates": (
        'ex:act gs:targetDate "2004-02-29"^^xsd:date ; gs:targetPeriod "2004-02"^^xsd:gYearMonth .',
        [
            ('ex:act gs:targetDate "2005-02-29"^^xsd:date .', EX.act),
            ('ex:act gs:targetDate "April 2004" .', EX.act),
            ('ex:act gs:targetPeriod "2004-13"^^xsd:gYearMonth .', EX.act),
            ('ex:plan time:inXSDgYear "07"^^xsd:gYear .', EX.plan),
        ],
    ),
    "integrity:SourceLocation": (
        'ex:doc dcterms:identifier "plan.txt" . ex:item a gs:DeliveryItem ; dcterms:source ex:doc ; gs:sourceLine 40 .',
        [
            ("ex:item a gs:DeliveryItem ; gs:sourceLine 40 .", EX.item),
            ("ex:u a org:OrganizationalUnit ; dcterms:source ex:doc .", EX.u),
        ],
    ),
    "integrity:SourceLine": (
        "ex:item gs:sourceLine 40 , 41 .",
        [("ex:item gs:sourceLine 0 .", EX.item), ('ex:item gs:sourceLine "forty" .', EX.item)],
    ),
    "integrity:SourceRow": (
        'ex:wb a gs:Workbook . ex:item dcterms:source ex:wb ; gs:sourceSheet "items" ; gs:sourceRow 2 .',
        [
            ('ex:wb a gs:Workbook . ex:item dcterms:source ex:wb ; gs:sourceSheet "items" ; gs:sourceRow 1 .', EX.item),
            ("ex:wb a gs:Workbook . ex:item dcterms:source ex:wb ; gs:sourceRow 2 .", EX.item),
            ('ex:item dcterms:source ex:doc ; gs:sourceSheet "items" ; gs:sourceRow 2 .', EX.item),
        ],
    ),
    "integrity:CellSourceLine": (
        "ex:item prov:qualifiedAttribution [ a prov:Attribution ; gs:sourceLine 40 ] . ex:act gs:progress [ a gs:ProgressEntry ; gs:sourceLine 10 ] .",
        [
            ("ex:item prov:qualifiedAttribution [ a prov:Attribution ] .", EX.item),
            ("ex:act gs:progress [ a gs:ProgressEntry ] .", EX.act),
        ],
    ),
    "integrity:SourceDocument": (
        'ex:item dcterms:source ex:doc . ex:doc dcterms:identifier "plan.txt" .',
        [("ex:item dcterms:source ex:doc .", EX.doc)],
    ),
    "integrity:MeasurabilityRecorded": (
        'ex:m a gs:SuccessMeasure ; gs:measurability gs:NotMeasurable ; gs:measurabilityReason "Names an output." .',
        [
            ('ex:m a gs:SuccessMeasure ; gs:measurabilityReason "Names an output." .', EX.m),
            ('ex:m a gs:SuccessMeasure ; gs:measurability gs:Increase ; gs:measurabilityReason "Why" .', EX.m),
            ("ex:m a gs:SuccessMeasure ; gs:measurability gs:NotMeasurable .", EX.m),
        ],
    ),
    "integrity:QuantifiedAgrees": (
        "ex:m a gs:SuccessMeasure ; gs:measurability gs:Quantified ; gs:target [ gs:targetValue 50 ] .",
        [
            (
                'ex:m a gs:SuccessMeasure ; gs:measurability gs:Quantified ; gs:metric "arrests" ; gs:direction gs:Increase .',
                EX.m,
            ),
            ("ex:m a gs:SuccessMeasure ; gs:measurability gs:NotMeasurable ; gs:target [ gs:targetValue 50 ] .", EX.m),
        ],
    ),
    "integrity:DirectionalAgrees": (
        "ex:m a gs:SuccessMeasure ; gs:measurability gs:Directional ; gs:dataSource ex:survey ; gs:direction gs:Increase .",
        [
            ('ex:m a gs:SuccessMeasure ; gs:measurability gs:Directional ; gs:metric "arrests" .', EX.m),
            (
                "ex:m a gs:SuccessMeasure ; gs:measurability gs:NotMeasurable ; gs:indicator ex:spi ; gs:direction gs:Decrease .",
                EX.m,
            ),
            (
                'ex:m a gs:SuccessMeasure ; gs:measurability gs:Directional ; gs:metric "x" ; gs:direction gs:Increase ; gs:target [ gs:targetValue 5 ] .',
                EX.m,
            ),
        ],
    ),
}


def test_every_targeted_integrity_shape_has_fixtures():
    from test_shapes_progress import CASES as REPORT_CASES  # the report shapes' own fixtures

    assert set(CASES) | set(REPORT_CASES) == targeted_shapes("integrity")


@pytest.mark.parametrize("shape", sorted(CASES))
def test_valid_fixture_passes(shape):
    valid, _ = CASES[shape]
    assert of_shape(audit_snippet(valid, "integrity"), shape) == []


@pytest.mark.parametrize(
    "shape, invalid, focus",
    [(shape, invalid, focus) for shape, (_, cases) in sorted(CASES.items()) for invalid, focus in cases],
)
def test_invalid_fixture_fails_with_focus_and_severity(shape, invalid, focus):
    assert of_shape(audit_snippet(invalid, "integrity"), shape) == [(str(focus), "Violation")]


def test_built_in_data_conforms_to_the_integrity_shapes(default_graph):
    report = validation.audit(default_graph, ("integrity",))
    assert [f.message for f in report.results] == []
    assert report.conforms


def test_messages_name_the_element_by_ref_and_label():
    findings = audit_snippet(
        ITEM + 'ex:m a gs:SuccessMeasure ; skos:notation "1.3.1" ; skos:prefLabel "Count" ; dcterms:isPartOf ex:item .',
        "integrity",
    )
    [finding] = [f for f in findings if f.shape == "integrity:MeasureRefExtendsItemRef"]
    assert finding.message == (
        "Delivery item 1.2 'Do it' has success measure 1.3.1 'Count', whose ref does not extend the item's ref"
    )
    assert (finding.ref, finding.label) == ("1.2", "Do it")


def test_blank_node_findings_point_at_the_element_they_belong_to():
    findings = audit_snippet(
        ITEM + 'ex:item prov:qualifiedAttribution [ a prov:Attribution ; gs:asWritten "AC SC" ] .', "integrity"
    )
    [finding] = [f for f in findings if f.shape == "integrity:CellSourceLine"]
    assert finding.focus == str(EX.item) and finding.ref == "1.2"
    assert finding.message == (
        "Responsibility link 'AC SC' of delivery item 1.2 'Do it' does not give the source line of its cell (gs:sourceLine) or the workbook row it was written on (gs:sourceRow)"
    )


def test_an_unknown_shape_set_is_refused():
    with pytest.raises(ValueError, match="unknown shape set"):
        validation.audit(Graph(), ("style",))
