"""A new plan's measure "Reduce drug-related deaths by 10% by 2010", with the target columns left
empty, was judged not measurable: the 10% had to go in a column nobody would guess."""

import csv
import shutil
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from graphsvc.namespaces import GS, ID
from graphsvc.spreadsheet.audit import audit_plan
from graphsvc.spreadsheet.files import read_tables
from graphsvc.spreadsheet.importer import import_tables

NEW_PLAN = Path(__file__).parents[1] / "spreadsheet" / "new_plan"
MEASURE = ID["measure/2008-11/1.1.1"]


def plan_with(tmp_path, **cells):
    folder = tmp_path / "plan"
    shutil.copytree(NEW_PLAN, folder)
    with (folder / "measures.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    rows[0].update(cells)
    with (folder / "measures.csv").open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return import_tables(read_tables(folder))


def test_a_percentage_in_the_text_is_the_target(tmp_path):
    empty = {"target value": "", "target unit": "", "target direction": "", "measurability": ""}
    graph = plan_with(
        tmp_path, text="Reduce drug-related deaths by 10% by 2010", **empty, **{"measurability reason": ""}
    )
    target = graph.value(MEASURE, GS.target)
    assert graph.value(target, GS.targetValue) == Literal("10", datatype=XSD.decimal)
    assert graph.value(target, GS.targetUnit) == URIRef("http://qudt.org/vocab/unit/PERCENT")
    assert graph.value(MEASURE, GS.measurability) == GS.Quantified
    assert "read from the measure's text (10%)" in str(graph.value(MEASURE, GS.readingNote))
    findings = [f for f in audit_plan(graph).results if f.focus == str(MEASURE)]
    assert not [f for f in findings if f.shape in ("quality:MeasureMeasurable", "integrity:QuantifiedAgrees")]


def test_a_measure_recorded_as_not_measurable_is_left_as_written(tmp_path):
    graph = plan_with(
        tmp_path,
        text="Cut harm by 10% where possible",
        **{"target value": "", "target unit": "", "target direction": "", "measurability": "not measurable"},
    )
    assert graph.value(MEASURE, GS.target) is None
