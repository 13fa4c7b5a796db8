"""The analyst's accountability answer on the built-in plans: verdicts, summary, filters and exports."""

import csv
import io
import json

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from graphsvc.answers import accountability
from graphsvc.audit.sparql_audit import audit_engine
from graphsvc.cli import main
from graphsvc.spreadsheet import accountability as sheet

ID = "https://w3id.org/graphsvc/id/"


@pytest.fixture(scope="module")
def findings(engine):
    return audit_engine(engine).results


@pytest.fixture(scope="module")
def scd(engine, findings):
    return accountability.answer(engine, "SCD", findings=findings)


def item(answer, role, name):
    return next(i for i in answer[role] if i["name"] == name)


@pytest.mark.parametrize("ref", ["1.3", "6.1"])
def test_scd_led_items_without_a_measurable_outcome(scd, ref):
    led = item(scd, "lead", ref)
    assert (led["verdict"], led["measurable"]) == ("no measurable outcome", False)
    assert led["reason"].startswith(f"none of its success measures ({ref}.1, {ref}.2, {ref}.3) is quantified")
    assert {m["measurability"] for m in led["measures"]} == {"not measurable"}
    assert any(f["shape"] == "quality:ItemMeasurableOutcome" and f["ref"] == ref for f in led["findings"])


def test_a_measurable_item_says_which_measure_makes_it_so(scd):
    led = item(scd, "lead", "5.1")
    assert (led["verdict"], led["measurable"]) == ("measurable", True)
    assert led["reason"].startswith("5.1.1 is quantified: States a numeric target")
    assert [p["label"] for p in led["partners"]] == ["Probation Service"]
    assert [o["label"] for o in led["owners"]] == [
        "Assistant Commissioner Specialist Crime",
        "Assistant Commissioner Territorial Policing",
    ]


def test_activities_have_no_measures_said_plainly(scd):
    activity = item(scd, "lead", "activity 4-1")
    assert activity["verdict"] == "no success measures" and activity["measurable"] is None
    assert "2004-5 activities have no success measures" in activity["reason"]
    assert activity["target_date"] == "2004-08-31"
    assert [p["label"] for p in activity["partners"]] == ["GOL", "Home Office"]


def test_summary_figures_and_sentence(scd):
    summary = scd["summary"]
    assert (summary["lead"], summary["supporting"]) == (17, 13)
    assert (summary["lead_without_measurable_outcome"], summary["lead_without_measures"]) == (2, 9)
    assert [a["label"] for a in summary["outside_agencies"]] == [
        "Drug Action Teams",
        "estate agencies",
        "GOL",
        "Home Office",
        "power companies",
        "Probation Service",
    ]
    assert summary["overview"].startswith(
        "SCD leads 17 items and supports 13 in 2 plans; 2 of the 8 delivery items it leads have no measurable"
        " outcome (1.3, 6.1); the 9 2004-5 activities it leads have no success measures"
    )
    assert "its items depend on 6 outside agencies" in summary["overview"]
    assert summary["text"] == "Specialist Crime Directorate leads 17 items and supports 13 across 2 plans"


def test_without_an_audit_the_answer_says_so(engine):
    answer = accountability.answer(engine, "SCD", audit_note="the audit is still running")
    assert answer["audit"] == {"ran": False, "note": "the audit is still running"}
    assert {i["findings"] for i in answer["lead"]} == {None}
    assert answer["summary"]["open_findings"] is None


def test_filters_by_plan_and_role(engine, findings):
    answer = accountability.answer(engine, "SCD", plan="2007-10", role="lead", findings=findings)
    assert [i["name"] for i in answer["lead"]] == ["1.1", "1.3", "4.1", "4.2", "5.1", "5.2", "6.1", "7.1"]
    assert answer["supporting"] == [] and answer["partner"] == []
    assert answer["filters"] == {"plan": "2007-10", "role": "lead"}
    assert [p["plan"] for p in answer["summary"]["by_plan"]] == ["2007-10"]
    assert answer["summary"]["overview"].startswith("SCD leads 8 items in 1 plan; 2 of the 8 delivery items")
    supports = accountability.answer(engine, "SCD", plan="2004-5", role="supporting")
    assert supports["lead"] == [] and supports["supporting"] == []


@pytest.mark.parametrize(
    ("plan", "role", "message"),
    [("2099", None, "no plan '2099': plans are 2004-5, 2007-10"), (None, "boss", "no role 'boss': roles are lead")],
)
def test_bad_filters_say_what_there_is(engine, plan, role, message):
    with pytest.raises(accountability.BadFilter, match=message):
        accountability.answer(engine, "SCD", plan=plan, role=role)


def test_csv_and_xlsx_parse_back_to_the_answer(scd):
    rows = list(csv.DictReader(io.StringIO(sheet.csv_text(scd))))
    assert len(rows) == 30  # one per item and role: 17 led, 13 supported
    led = next(r for r in rows if r["Item"] == "1.3" and r["Role"] == "leads")
    assert led["Measurable outcome"] == "no measurable outcome"
    assert led["Item page"] == ID + "item/2007-10/1.3"
    assert "has no measurable success measure" in led["Open findings"]
    workbook = load_workbook(io.BytesIO(sheet.xlsx_bytes(scd)))
    table = [[c or "" for c in row] for row in workbook["accountability"].iter_rows(values_only=True)]
    assert table[0] == sheet.HEADER
    assert [dict(zip(table[0], r)) for r in table[1:]] == rows


def test_export_neutralises_formulas(scd):
    tampered = json.loads(json.dumps(scd))
    tampered["lead"][0]["title"] = '=HYPERLINK("http://evil")'
    row = next(csv.DictReader(io.StringIO(sheet.csv_text(tampered))))
    assert row["Title"] == '\'=HYPERLINK("http://evil")'
    cell = load_workbook(io.BytesIO(sheet.xlsx_bytes(tampered)))["accountability"]["C2"]
    assert (cell.value, cell.data_type) == ('\'=HYPERLINK("http://evil")', "s")


def test_who_format_csv_with_filters():
    result = CliRunner().invoke(main, ["who", "SCD", "--plan", "2007-10", "--role", "lead", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [(r["Item"], r["Measurable outcome"]) for r in rows if r["Measurable outcome"] != "measurable"] == [
        ("1.3", "no measurable outcome"),
        ("6.1", "no measurable outcome"),
    ]
    assert {r["Role"] for r in rows} == {"leads"} and len(rows) == 8


def test_who_bad_plan_is_a_clear_error():
    result = CliRunner().invoke(main, ["who", "SCD", "--plan", "2099"])
    assert result.exit_code == 1
    assert result.output == "Error: no plan '2099': plans are 2004-5, 2007-10\n"


def test_who_without_findings_says_so():
    result = CliRunner().invoke(main, ["who", "SCD", "--role", "lead", "--no-findings"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[2] == "No audit findings shown: the audit was not run (add --findings)."
    assert "open finding" not in result.output
