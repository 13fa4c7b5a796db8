"""Exporting each built-in plan and importing it again gives back the plan file's own graph."""

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS

from graphsvc import resources
from graphsvc.spreadsheet.export import ExportError, export_plan
from graphsvc.spreadsheet.files import FORMATS, plan_graph, read_tables, write_tables
from graphsvc.spreadsheet.importer import import_tables

from .conftest import PLANS, row_of

FILES = {"2007-10": "mps-drugs-strategy-2007-10.ttl", "2004-5": "mps-priority-2004-5.ttl"}


@pytest.mark.parametrize("file_format", FORMATS)
@pytest.mark.parametrize("ref", PLANS)
def test_export_then_import_is_isomorphic_to_the_plan_file(ref, file_format, plan_graphs, tmp_path):
    target = tmp_path / ("plan.xlsx" if file_format == "xlsx" else "plan")
    write_tables(export_plan(plan_graphs[ref]), target, file_format)
    imported = import_tables(read_tables(target))
    assert len(imported) == len(plan_graphs[ref])
    assert isomorphic(imported, plan_graphs[ref])


@pytest.mark.parametrize("ref", PLANS)
def test_the_round_trip_target_is_the_plan_file_alone(ref, plan_graphs):
    path = next(p for p in resources.data_files() if p.name == FILES[ref])
    assert isomorphic(plan_graphs[ref], Graph().parse(path))
    assert plan_graph(str(path)) is not None


def test_cells_read_as_the_plan_is_printed(exported):
    tables = exported["2007-10"]
    measure = row_of(tables, "measures", "7.1.1")
    assert (
        measure["item"],
        measure["target value"],
        measure["target unit"],
        measure["target direction"],
        measure["target scope"],
        measure["footnotes"],
        measure["measurability"],
    ) == ("7.1", "50.0", "PERCENT", "increase", "per BOCU", "7", "quantified")
    assert row_of(tables, "footnotes", "7")["text"] == ""
    assert row_of(tables, "items", "5.2")["source lines"] == "79, 86"
    assert row_of(tables, "actions", "6.1-3")["caveat"].startswith("Subject to Home Office funding.")
    assert row_of(tables, "abbreviations", "SPI")["stands for"] == "statutory performance indicator"
    assert row_of(tables, "abbreviations", "PPAF")["stands for scheme"] == "ppaf"
    probation = next(r for r in _rows(tables, "responsibilities") if r["name"] == "Probation Service")
    assert (
        probation["item"],
        probation["role"],
        probation["as written"],
        probation["stated in action"],
        probation["source lines"],
    ) == ("5.1", "partner", "Probation Service", "5.1-4", "77, 86")


def test_activities_carry_dates_and_progress_slots(exported):
    activity = row_of(exported["2004-5"], "activities", "1-3")
    assert (
        activity["objective"],
        activity["theme"],
        activity["target date"],
        activity["target month"],
        activity["progress status"],
        activity["progress source lines"],
    ) == ("1", "forensic-support", "2004-04-30", "2004-04", "", "12")
    leads = [r for r in _rows(exported["2004-5"], "responsibilities") if r["activity"] == "1-6"]
    assert [(r["name"], r["as written"]) for r in leads] == [
        ("DAC Griffiths", "DAC Griffiths (Chair Level2)"),
        ("DAC House", "DAC House (Chair Level 1)"),
    ]


def test_the_organisation_sheets_list_the_names_to_use(exported):
    units = {r["name"]: r for r in _rows(exported["2007-10"], "organisation")}
    assert units["Central Tasking Office"]["part of"].split("\n") == [
        "Central Operations",
        "Specialist Crime Directorate",
        "Territorial Policing",
    ]
    assert "Assistant Commissioner Specialist Crime" in units["Specialist Crime Directorate"]["posts"]
    assert {r["name"] for r in _rows(exported["2007-10"], "partners")} >= {"Home Office", "Probation Service"}


def test_export_refuses_a_triple_the_layout_cannot_carry(plan_graphs):
    graph = Graph() + plan_graphs["2007-10"]
    graph.add((URIRef("https://w3id.org/graphsvc/id/item/2007-10/1.1"), RDFS.seeAlso, URIRef("https://example.org/")))
    with pytest.raises(ExportError, match=r"1 triple\(s\) of the plan have no place .*seeAlso"):
        export_plan(graph)


def _rows(tables, name):
    table = next(t for t in tables if t.name == name)
    return [dict(zip(table.header, row)) for row in table.rows]
