"""A next plan written from scratch in a few CSV sheets (tests/spreadsheet/new_plan/): only the
sheets and columns it needs, names as people write them, resolved through the organisation."""

from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, PROV, RDF, XSD

from graphsvc.namespaces import GS, ID
from graphsvc.spreadsheet.audit import audit_plan
from graphsvc.spreadsheet.export import export_plan
from graphsvc.spreadsheet.files import read_tables
from graphsvc.spreadsheet.importer import import_tables, workbook_citations

FOLDER = Path(__file__).parent / "new_plan"
ITEM = ID["item/2008-11/1.1"]


def responsibilities(graph):
    return {
        (graph.value(a, DCAT.hadRole), graph.value(a, PROV.agent), str(graph.value(a, GS.asWritten)))
        for a in graph.objects(ITEM, PROV.qualifiedAttribution)
    }


def test_the_new_plan_imports_with_names_resolved_through_the_organisation():
    graph = import_tables(read_tables(FOLDER))
    assert (ID["plan/2008-11"], DCTERMS.publisher, ID["organisation/mps"]) in graph
    assert (ID["plan/2008-11"], GS.approvalStatus, GS.Draft) in graph
    assert (ITEM, DCTERMS.isPartOf, ID["strand/2008-11/1"]) in graph
    assert responsibilities(graph) == {
        (GS.Lead, ID["post/assistant-commissioner-territorial-policing"], "AC TP"),
        (GS.Supporting, ID["unit/borough-command-units"], "Borough Command Units"),
        (GS.Partner, ID["partner/home-office"], "Home Office"),
    }
    target = graph.value(ID["measure/2008-11/1.1.1"], GS.target)
    assert graph.value(target, GS.targetValue) == Literal("20", datatype=XSD.decimal)
    assert graph.value(target, GS.targetUnit) == URIRef("http://qudt.org/vocab/unit/PERCENT")
    written = graph - workbook_citations(graph)
    assert set(written.subjects(DCTERMS.source, None)) == {ID["plan/2008-11"]}
    assert len(set(written.subjects(RDF.type, None))) == 13  # plan, its period and 2 years, document,
    # strand, item, action, measure, target and 3 responsibilities


def test_the_new_plan_is_audited_and_round_trips():
    graph = import_tables(read_tables(FOLDER))
    report = audit_plan(graph)
    assert report.population, "the audit ran on the new plan"
    assert not any("1.1 " in f.message and "no measurable success measure" in f.message for f in report.results)
    again = import_tables(export_plan(graph))
    assert isomorphic(again - workbook_citations(again), graph - workbook_citations(graph))


def test_a_plan_written_in_the_tool_cites_its_workbook_and_rows():
    """A plan written from scratch has no document lines: each row cites the file and the sheet and
    row it was written on, and the audit does not tell it that it lacks a source line."""
    graph = import_tables(read_tables(FOLDER))
    workbook = ID["document/2008-11/items.csv"]
    assert (workbook, RDF.type, GS.Workbook) in graph
    assert (workbook, DCTERMS.identifier, Literal("items.csv")) in graph
    assert (ITEM, DCTERMS.source, workbook) in graph
    assert (graph.value(ITEM, GS.sourceSheet), graph.value(ITEM, GS.sourceRow)) == (Literal("items"), Literal(2))
    rows = {int(graph.value(a, GS.sourceRow)) for a in graph.objects(ITEM, PROV.qualifiedAttribution)}
    assert rows == {2, 3, 4}
    sources = {f.shape for f in audit_plan(graph).results} & {
        "integrity:SourceLocation",
        "integrity:CellSourceLine",
        "integrity:SourceRow",
        "integrity:SourceDocument",
    }
    assert sources == set()
