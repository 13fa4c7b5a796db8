"""Exported cells that a spreadsheet program would run as a formula are neutralised, and come back exact."""

import csv

import pytest
from openpyxl import load_workbook
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import SKOS

from graphsvc.namespaces import GS
from graphsvc.spreadsheet.export import export_plan
from graphsvc.spreadsheet.files import FORMATS, read_tables, write_tables
from graphsvc.spreadsheet.importer import import_tables
from graphsvc.spreadsheet.neutralise import neutralise, restore

ITEM = URIRef("https://w3id.org/graphsvc/id/item/2007-10/1.1")
ACTION = URIRef("https://w3id.org/graphsvc/id/action/2007-10/1.1-1")
MEASURE = URIRef("https://w3id.org/graphsvc/id/measure/2007-10/1.1.3")
DANGEROUS = {
    (ITEM, SKOS.prefLabel): '=HYPERLINK("https://example.org/","click")',
    (ACTION, SKOS.prefLabel): "+cmd|' /C calc'!A0",
    (MEASURE, GS.measurabilityReason): "-2+3",
    (MEASURE, SKOS.prefLabel): "@SUM(1+1)",
}


@pytest.mark.parametrize(
    "text, cell",
    [
        ("=1+1", "'=1+1"),
        ("+44 20 7230 1212", "'+44 20 7230 1212"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("'=1", "''=1"),
        ("'Middle Market' Project", "'Middle Market' Project"),
        ("Plain text", "Plain text"),
        ("", ""),
    ],
)
def test_neutralise_prefixes_an_apostrophe_and_restore_undoes_it(text, cell):
    assert neutralise(text) == cell
    assert restore(cell) == text


@pytest.fixture
def dangerous_plan(plan_graphs):
    graph = Graph() + plan_graphs["2007-10"]
    for (subject, predicate), text in DANGEROUS.items():
        graph.set((subject, predicate, Literal(text)))
    return graph


def test_xlsx_cells_are_text_never_formulas(dangerous_plan, tmp_path):
    path = tmp_path / "plan.xlsx"
    write_tables(export_plan(dangerous_plan), path, "xlsx")
    workbook = load_workbook(path)
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    values = {cell.value for cell in cells}
    assert {"'" + text for text in DANGEROUS.values()} <= values
    assert not set(DANGEROUS.values()) & values


def test_csv_cells_start_with_an_apostrophe(dangerous_plan, tmp_path):
    write_tables(export_plan(dangerous_plan), tmp_path, "csv")
    with (tmp_path / "items.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = {row["ref"]: row for row in csv.DictReader(handle)}
    assert rows["1.1"]["what we seek to do"] == '\'=HYPERLINK("https://example.org/","click")'


@pytest.mark.parametrize("file_format", FORMATS)
def test_neutralised_cells_import_as_the_original_text(dangerous_plan, file_format, tmp_path):
    target = tmp_path / ("plan.xlsx" if file_format == "xlsx" else "plan")
    write_tables(export_plan(dangerous_plan), target, file_format)
    assert isomorphic(import_tables(read_tables(target)), dangerous_plan)
