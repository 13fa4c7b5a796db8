"""Browsing without SPARQL: items and measures with facets, in the CLI and on the web alike. The
questions that needed hand-written SPARQL: the measures that cite a survey, the items with the most
measures, the activities due in a month."""

import csv
import io
import json
from io import BytesIO

from click.testing import CliRunner
from openpyxl import load_workbook

from graphsvc.answers.browse import browse
from graphsvc.cli import main


def test_the_measures_that_cite_a_survey(engine):
    found = browse(engine, "measures", {"data_source": ["British Crime Survey"]})
    assert [row["name"] for row in found["rows"]] == ["2.2.1", "4.2.2"]
    sources = {
        v["value"]: v["count"] for v in next(f for f in found["facets"] if f["facet"] == "data_source")["values"]
    }
    assert sources["British Crime Survey"] == 2 and sources["MPS Public Attitude Surveys"] == 1


def test_the_items_with_the_most_measures(engine):
    found = browse(engine, "items", {"plan": ["2007-10"]})
    counts = next(f for f in found["facets"] if f["facet"] == "measures")["values"]
    most = max(int(v["value"]) for v in counts)
    top = browse(engine, "items", {"measures": [str(most)]})["rows"]
    assert top and all(len(browse(engine, "measures", {"item": [row["name"]]})["rows"]) == most for row in top)


def test_the_activities_due_in_a_month_and_filters_combine(engine):
    due = browse(engine, "items", {"target_date": ["2004-04-30"]})
    assert due["count"] == 9 and {row["kind"][0] for row in due["rows"]} == {"activity"}
    scd = browse(engine, "items", {"lead": ["Assistant Commissioner Specialist Crime"], "measurable": ["no"]})
    assert [row["name"] for row in scd["rows"]] == ["1.3", "6.1"]
    either = browse(engine, "items", {"strand_or_objective": ["strand 1", "strand 6"]})
    assert either["count"] == len(browse(engine, "items", {"strand_or_objective": ["strand 1"]})["rows"]) + len(
        browse(engine, "items", {"strand_or_objective": ["strand 6"]})["rows"]
    )


def test_the_command_line_gives_the_same_rows():
    result = CliRunner().invoke(main, ["measures", "--data-source", "British Crime Survey", "--format", "json"])
    assert [row["name"] for row in json.loads(result.stdout)["rows"]] == ["2.2.1", "4.2.2"]
    result = CliRunner().invoke(main, ["items", "--lead", "Assistant Commissioner Specialist Crime", "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and all("Assistant Commissioner Specialist Crime" in row["lead"] for row in rows)
    bad = CliRunner().invoke(main, ["items", "--format", "yaml"])
    assert bad.exit_code == 2


def test_the_web_page_keeps_the_selection_in_the_url_and_exports_it(client):
    html = client.get("/browse/items?lead=Assistant+Commissioner+Specialist+Crime&measurable=no").get_data(as_text=True)
    assert '<a href="/id/item/2007-10/1.3">1.3</a>' in html and "6.1" in html and ">1.1<" not in html
    assert 'aria-current="true"' in html  # the chosen values are marked, and a click takes them out
    page = client.get("/browse/measures.json?data_source=British+Crime+Survey").get_json()
    assert page["count"] == 2 and page["filters"] == {"data_source": ["British Crime Survey"]}
    sheet = client.get("/browse/measures.csv?data_source=British+Crime+Survey").data.decode("utf-8-sig")
    assert [row["name"] for row in csv.DictReader(io.StringIO(sheet))] == ["2.2.1", "4.2.2"]
    workbook = load_workbook(BytesIO(client.get("/browse/items.xlsx").data), read_only=True)
    assert next(workbook.active.iter_rows(values_only=True))[0] == "name"
    assert client.get("/browse/items?colour=red").status_code == 400
