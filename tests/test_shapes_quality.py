"""Plan-quality shapes: a passing and a failing fixture per shape, and the exact audit of the built-in plans.

The exact findings on the built-in data are written out below, so that any change to the data or
the shapes that shifts an answer (which items, which measures, which severities) is seen.
"""

import pytest
from test_shapes_integrity import EX, audit_snippet, of_shape, targeted_shapes

from graphsvc.audit import validation
from graphsvc.namespaces import GS, ID

LEAD = "ex:post a org:Post . ex:item prov:qualifiedAttribution [ prov:agent ex:post ; dcat:hadRole gs:Lead ] ."
TWO_LEADS = """ex:p1 a org:Post ; skos:prefLabel "Chief A" . ex:p2 a org:Post ; skos:prefLabel "Chief B" .
ex:item prov:qualifiedAttribution [ prov:agent ex:p1 ; dcat:hadRole gs:Lead ] , [ prov:agent ex:p2 ; dcat:hadRole gs:Lead ] ."""
ITEM = 'ex:item a gs:DeliveryItem ; skos:notation "1.3" ; skos:prefLabel "Tackle emerging drug threats" .'


def measure(ref: str, body: str) -> str:
    return f'ex:m{ref.replace(".", "")} a gs:SuccessMeasure ; skos:notation "{ref}" ; dcterms:isPartOf ex:item {body} .'


QUANTIFIED = "; gs:target [ gs:targetValue 50 ; gs:targetUnit unit:PERCENT ; gs:direction gs:Increase ]"
DIRECTIONAL = '; gs:metric "arrests" ; gs:direction gs:Increase'

# shape -> (severity, valid fixture, [(invalid fixture, expected focus), ...])
CASES = {
    "quality:HasLead": (
        "Violation",
        ITEM + LEAD,
        [
            (ITEM, EX.item),
            (
                "ex:act a gs:Activity . ex:u a org:OrganizationalUnit . ex:act prov:qualifiedAttribution [ prov:agent ex:u ; dcat:hadRole gs:Supporting ] .",
                EX.act,
            ),
        ],
    ),
    "quality:SharedLeadership": (
        "Info",
        ITEM + LEAD,
        [(ITEM + TWO_LEADS, EX.item)],
    ),
    "quality:PartnerHasInternalOwner": (
        "Violation",
        ITEM
        + LEAD
        + " ex:ho a gs:PartnerAgency . ex:item prov:qualifiedAttribution [ prov:agent ex:ho ; dcat:hadRole gs:Partner ] .",
        [
            (
                ITEM
                + " ex:ho a gs:PartnerAgency . ex:item prov:qualifiedAttribution [ prov:agent ex:ho ; dcat:hadRole gs:Partner ] , [ prov:agent ex:ho ; dcat:hadRole gs:Lead ] .",
                EX.item,
            )
        ],
    ),
    "quality:ItemHasAction": (
        "Warning",
        ITEM + " ex:a a gs:Action ; dcterms:isPartOf ex:item .",
        [(ITEM + " ex:note a gs:Footnote ; dcterms:isPartOf ex:item .", EX.item)],
    ),
    "quality:ItemHasSuccessMeasure": (
        "Violation",
        ITEM + measure("1.3.1", ""),
        [(ITEM + " ex:a a gs:Action ; dcterms:isPartOf ex:item .", EX.item)],
    ),
    "quality:ItemMeasurableOutcome": (
        "Violation",
        ITEM + measure("1.3.1", "") + measure("1.3.2", DIRECTIONAL),
        [(ITEM + measure("1.3.1", "") + measure("1.3.2", "; gs:direction gs:Increase"), EX.item)],
    ),
    "quality:MeasureMeasurable": (
        "Warning",
        measure("1.3.1", QUANTIFIED),
        [
            (measure("1.3.1", "; gs:direction gs:Increase"), EX.m131),
            (measure("1.3.1", '; gs:metric "arrests"'), EX.m131),
            (
                measure(
                    "1.3.1",
                    "; gs:target [ gs:targetUnit unit:PERCENT ] ; gs:indicator ex:spi ; gs:direction gs:Increase",
                ),
                EX.m131,
            ),
        ],
    ),
    "quality:ActivityTargetDate": (
        "Warning",
        'ex:act a gs:Activity ; gs:targetDate "2999-12-31"^^xsd:date .',
        [("ex:act a gs:Activity .", EX.act)],
    ),
    "quality:PastDueWithoutProgress": (
        "Info",
        """ex:act a gs:Activity ; gs:targetDate "2999-12-31"^^xsd:date ; gs:progress [ a gs:ProgressEntry ] .
           ex:done a gs:Activity ; gs:targetDate "2004-04-30"^^xsd:date ; gs:progress [ gs:progressStatus gs:Completed ] .""",
        [
            (
                'ex:act a gs:Activity ; gs:targetDate "2004-04-30"^^xsd:date ; gs:progress [ a gs:ProgressEntry ] .',
                EX.act,
            )
        ],
    ),
    "quality:FootnoteText": (
        "Info",
        'ex:fn a gs:Footnote ; gs:marker "1" ; rdf:value "National Community Safety Plan" .',
        [('ex:fn a gs:Footnote ; gs:marker "7" .', EX.fn)],
    ),
}


def test_every_targeted_quality_shape_has_fixtures():
    assert set(CASES) == targeted_shapes("quality")


@pytest.mark.parametrize("shape", sorted(CASES))
def test_valid_fixture_passes(shape):
    _, valid, _ = CASES[shape]
    assert of_shape(audit_snippet(valid, "quality"), shape) == []


@pytest.mark.parametrize(
    "shape, severity, invalid, focus",
    [
        (shape, severity, invalid, focus)
        for shape, (severity, _, cases) in sorted(CASES.items())
        for invalid, focus in cases
    ],
)
def test_invalid_fixture_fails_with_focus_and_severity(shape, severity, invalid, focus):
    assert of_shape(audit_snippet(invalid, "quality"), shape) == [(str(focus), severity)]


def test_measurable_means_quantified_or_directional_by_metric_indicator_or_data_source():
    for body in (
        QUANTIFIED,
        DIRECTIONAL,
        "; gs:indicator ex:spi ; gs:direction gs:Decrease",
        "; gs:dataSource ex:survey ; gs:direction gs:Increase",
    ):
        assert of_shape(audit_snippet(measure("1.3.1", body), "quality"), "quality:MeasureMeasurable") == []


def test_item_message_lists_its_measures_and_owner_is_its_leads():
    findings = audit_snippet(
        ITEM + TWO_LEADS + measure("1.3.1", "") + measure("1.3.2", "") + measure("1.3.3", ""), "quality"
    )
    [finding] = [f for f in findings if f.shape == "quality:ItemMeasurableOutcome"]
    assert finding.message == (
        "Delivery item 1.3 'Tackle emerging drug threats' has no measurable success measure "
        "(1.3.1, 1.3.2, 1.3.3: none names a numeric target, or a metric, indicator or data source "
        "with a direction of change)"
    )
    assert finding.owner == "Chief A; Chief B"
    assert {f.owner for f in findings if f.shape == "quality:MeasureMeasurable"} == {"Chief A; Chief B"}


# --- the built-in plans -------------------------------------------------------------------------

ITEM_2007 = ID["item/2007-10/"]
MEASURE_2007 = ID["measure/2007-10/"]
ACTIVITY_2004 = ID["activity/2004-5/"]

NOT_MEASURABLE = [
    "1.1.3",
    "1.2.1",
    "1.2.2",
    "1.3.1",
    "1.3.2",
    "1.3.3",
    "3.1.1",
    "3.1.2",
    "4.1.2",
    "4.2.1",
    "5.1.2",
    "5.2.3",
    "6.1.1",
    "6.1.2",
    "6.1.3",
    "6.2.1",
]
NO_MEASURABLE_OUTCOME = ["1.2", "1.3", "3.1", "6.1", "6.2"]
SHARED_ITEMS = ["1.1", "4.1", "4.2", "5.1", "5.2", "6.1", "7.1"]
SHARED_ACTIVITIES = ["1-6", "2-1"]
ACTIVITIES = [
    "1-1",
    "1-2",
    "1-3",
    "1-4",
    "1-5",
    "1-6",
    "1-7",
    "2-1",
    "2-2",
    "2-3",
    "2-4",
    "3-1",
    "3-2",
    "3-3",
    "3-4",
    "4-1",
]

EXPECTED = sorted(
    [("quality:ItemMeasurableOutcome", "Violation", str(ITEM_2007) + ref) for ref in NO_MEASURABLE_OUTCOME]
    + [("quality:MeasureMeasurable", "Warning", str(MEASURE_2007) + ref) for ref in NOT_MEASURABLE]
    + [("quality:SharedLeadership", "Info", str(ITEM_2007) + ref) for ref in SHARED_ITEMS]
    + [("quality:SharedLeadership", "Info", str(ACTIVITY_2004) + a) for a in SHARED_ACTIVITIES]
    + [("quality:FootnoteText", "Info", str(ID["footnote/2007-10/7"]))]
    + [("quality:PastDueWithoutProgress", "Info", str(ACTIVITY_2004) + a) for a in ACTIVITIES]
)


@pytest.fixture(scope="module")
def built_in_quality(default_graph):
    return validation.audit(default_graph, ("quality",))


def test_built_in_quality_findings_exactly(built_in_quality):
    assert sorted((f.shape, f.severity, f.focus) for f in built_in_quality.results) == EXPECTED


def test_built_in_totals_per_severity_and_per_lead(built_in_quality):
    totals = built_in_quality.totals
    assert totals["findings"] == 47
    assert totals["by_severity"] == {"Violation": 5, "Warning": 16, "Info": 26}
    # A finding on a jointly led item counts for each lead (21 findings have two), so the rows add up to 68.
    assert totals["by_owner"]["Assistant Commissioner Territorial Policing"] == {
        "Violation": 4,
        "Warning": 13,
        "Info": 8,
    }
    assert totals["by_owner"]["Assistant Commissioner Specialist Crime"] == {"Violation": 2, "Warning": 11, "Info": 8}
    assert totals["by_owner"]["Cdr Hitchcock"] == {"Violation": 0, "Warning": 0, "Info": 7}
    joint = sum(1 for f in built_in_quality.results if f.owner and "; " in f.owner)
    assert sum(sum(counts.values()) for counts in totals["by_owner"].values()) == 47 + joint == 68
    assert not built_in_quality.conforms


def test_built_in_findings_name_ref_label_and_owner(built_in_quality):
    by_key = {(f.shape, f.focus): f for f in built_in_quality.results}
    item = by_key["quality:ItemMeasurableOutcome", str(ITEM_2007) + "1.3"]
    assert (item.ref, item.label, item.owner) == (
        "1.3",
        "Tackle emerging drug threats",
        "Assistant Commissioner Specialist Crime",
    )
    assert item.message == (
        "Delivery item 1.3 'Tackle emerging drug threats' has no measurable success measure "
        "(1.3.1, 1.3.2, 1.3.3: none names a numeric target, or a metric, indicator or data source "
        "with a direction of change)"
    )
    footnote = by_key["quality:FootnoteText", str(ID["footnote/2007-10/7"])]
    assert footnote.ref == "7.1.1"
    assert footnote.owner == "Assistant Commissioner Specialist Crime; Assistant Commissioner Territorial Policing"
    activity = by_key["quality:SharedLeadership", str(ACTIVITY_2004) + "2-1"]
    assert activity.ref is None and activity.owner == "Cdr Hitchcock; DAC Paddick"
    assert activity.message == (
        "Activity 'Introduce a CJIP Management System across 17 London CJIP Boroughs' of objective 2 "
        "has shared leadership: Cdr Hitchcock and DAC Paddick share the lead"
    )


def test_recorded_measurability_of_every_seed_measure_matches_the_audit(default_graph, built_in_quality):
    """The classification recorded in the data and the rule in the shapes give the same answer."""
    recorded = sorted(str(m) for m in default_graph.subjects(GS.measurability, GS.NotMeasurable))
    audited = sorted(f.focus for f in built_in_quality.results if f.shape == "quality:MeasureMeasurable")
    assert recorded == audited
