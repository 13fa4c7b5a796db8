"""The irregular passages of the documents are modelled as the documents say them."""

from datetime import date
from decimal import Decimal

from rdflib import RDF, Literal
from rdflib.namespace import DCAT, ORG, PROV, SKOS

from graphsvc.namespaces import GS, ID

ITEM = ID["item/2007-10/"]
MEASURE = ID["measure/2007-10/"]


def agents(g, element, role):
    return {
        g.value(a, PROV.agent)
        for a in g.objects(element, PROV.qualifiedAttribution)
        if g.value(a, DCAT.hadRole) == role
    }


def test_footnote_marker_is_not_part_of_the_target(default_graph):
    target = default_graph.value(MEASURE + "5.1.1", GS.target)
    assert default_graph.value(target, GS.targetValue).toPython() == Decimal("50.0")
    assert default_graph.value(MEASURE + "5.1.1", GS.footnote) == ID["footnote/2007-10/6"]
    assert str(default_graph.value(MEASURE + "5.1.1", SKOS.prefLabel)).startswith("50% increase")


def test_footnote_without_text_is_recorded_as_such(default_graph):
    footnote = default_graph.value(MEASURE + "7.1.1", GS.footnote)
    assert str(default_graph.value(footnote, GS.marker)) == "7"
    assert default_graph.value(footnote, RDF.value) is None
    assert default_graph.value(footnote, GS.readingNote) is not None


def test_refs_are_as_printed(default_graph):
    measures = [
        m for m in default_graph.subjects(None, ITEM + "5.2") if (m, RDF.type, GS.SuccessMeasure) in default_graph
    ]
    refs = {str(default_graph.value(m, SKOS.notation)) for m in measures}
    assert refs == {"5.2.1", "5.2.3"}
    assert default_graph.value(ITEM + "1.1", SKOS.notation) == Literal("1.1")


def test_split_rows_are_rejoined(default_graph):
    supporting = agents(default_graph, ITEM + "2.2", GS.Supporting)
    assert ID["unit/intelligence-development-and-analysis-unit"] in supporting  # after the page break
    assert agents(default_graph, ITEM + "4.1", GS.Lead) == {
        ID["post/assistant-commissioner-specialist-crime"],
        ID["post/assistant-commissioner-territorial-policing"],
    }
    assert agents(default_graph, ITEM + "5.2", GS.Supporting) == {
        ID["unit/borough-command-units"],
        ID["unit/drugs-directorate"],
        ID["unit/performance-information-and-improvement-unit"],
    }


def test_one_unit_for_one_body_with_its_variant_labels(default_graph):
    bcu = ID["unit/borough-command-units"]
    written = {str(default_graph.value(a, GS.asWritten)) for a in default_graph.subjects(PROV.agent, bcu)}
    assert written == {"Borough Command Units", "Borough Command Units (TP)"}
    assert Literal("Borough Command Units (TP)") in set(default_graph.objects(bcu, SKOS.altLabel))


def test_jointly_owned_unit_sits_under_each_owner(default_graph):
    parents = set(default_graph.objects(ID["unit/central-tasking-office"], ORG.subOrganizationOf))
    assert parents == {ID["unit/tp"], ID["unit/scd"], ID["unit/co"]}


def test_assumptions_are_explicit(default_graph):
    post = ID["post/assistant-commissioner-specialist-crime"]
    assert (post, ORG.postIn, ID["unit/scd"]) in default_graph
    recorded = [
        a
        for a in default_graph.subjects(RDF.type, GS.ModellingAssumption)
        if default_graph.value(a, RDF.subject) == post
    ]
    assert len(recorded) == 1
    # every recorded assumption is also asserted
    for a in default_graph.subjects(RDF.type, GS.ModellingAssumption):
        triple = tuple(default_graph.value(a, p) for p in (RDF.subject, RDF.predicate, RDF.object))
        assert triple in default_graph


def test_activity_dates_leads_and_empty_progress(default_graph):
    activity = ID["activity/2004-5/2-1"]
    assert default_graph.value(activity, GS.targetDate).toPython() == date(2004, 4, 30)
    assert str(default_graph.value(activity, GS.targetPeriod)) == "2004-04"
    assert agents(default_graph, activity, GS.Lead) == {ID["person/paddick"], ID["person/hitchcock"]}
    for a in default_graph.subjects(RDF.type, GS.Activity):
        progress = default_graph.value(a, GS.progress)
        assert progress is not None and default_graph.value(progress, GS.progressStatus) is None


def test_draft_status_of_the_2004_5_plan(default_graph):
    assert default_graph.value(ID["plan/2004-5"], GS.approvalStatus) == GS.Draft


def test_partner_dependencies(default_graph):
    partners = {
        (str(default_graph.value(item, SKOS.notation) or item), default_graph.value(a, PROV.agent))
        for item, a in default_graph.subject_objects(PROV.qualifiedAttribution)
        if default_graph.value(a, DCAT.hadRole) == GS.Partner
    }
    assert partners == {
        ("4.1", ID["partner/power-companies"]),
        ("4.1", ID["partner/estate-agencies"]),
        ("5.1", ID["partner/probation-service"]),
        ("6.1", ID["partner/drug-action-teams"]),
        ("6.1", ID["partner/home-office"]),
        (str(ID["activity/2004-5/2-2"]), ID["partner/home-office"]),
        (str(ID["activity/2004-5/4-1"]), ID["partner/home-office"]),
        (str(ID["activity/2004-5/4-1"]), ID["partner/gol"]),
    }
