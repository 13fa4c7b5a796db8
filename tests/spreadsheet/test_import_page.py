"""The web import page, through the Flask test client of the real app."""

import io
import re
from base64 import b64decode

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from graphsvc.spreadsheet.audit import audit_plan
from graphsvc.spreadsheet.xlsx_io import write
from graphsvc.web.app import create_app

from .conftest import sheet

COUNT = "SELECT (COUNT(*) AS ?triples) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def app():
    # A generous deadline: these tests are about the answers, tests/hardening about the limits.
    return create_app({"AUDIT": False, "FILE_TIME_LIMIT": 60})


def post_form(client, data):
    """POST the import form as a browser does: with the CSRF token of the form it was given."""
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/import").get_data(as_text=True)).group(1)
    return client.post("/import", content_type="multipart/form-data", data={**data, "csrf_token": token})


def workbook(tables) -> io.BytesIO:
    data = io.BytesIO()
    write(tables, data)
    data.seek(0)
    return data


def served_triples(app) -> int:
    site = app.extensions["graphsvc"]
    return int(site.engine.query(COUNT, {}).rows[0]["triples"]), len(site.graph)


def test_the_form(app):
    page = app.test_client().get("/import")
    assert page.status_code == 200
    assert b'<input id="workbook" name="workbook" type="file" multiple accept=".xlsx,.csv,' in page.data


def test_a_good_workbook_shows_the_audit_and_offers_the_turtle(app, exported, plan_graphs):
    before = served_triples(app)
    page = post_form(app.test_client(), {"workbook": (workbook(exported["2007-10"]), "drugs-plan.xlsx")})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Imported drugs-plan.xlsx: 1397 triples" in html
    assert "The plan does not conform to the shapes" in html
    findings = re.findall(r'<tr class="severity-(\w+)"><td>', html)
    assert len(findings) == len(audit_plan(plan_graphs["2007-10"]).results) > 0
    assert "1.3 &#39;Tackle emerging drug threats&#39;" in html
    link = re.search(r'<a download="drugs-plan.ttl" href="data:text/turtle;charset=utf-8;base64,([^"]+)">', html)
    assert isomorphic(Graph().parse(data=b64decode(link.group(1)).decode(), format="turtle"), plan_graphs["2007-10"])
    assert served_triples(app) == before


def test_a_broken_workbook_shows_every_problem_and_changes_nothing(app, exported):
    before = served_triples(app)
    tables = exported["2007-10"]
    measures = sheet(tables, "measures")
    measures.rows[0][measures.header.index("item")] = "9.9"
    measures.rows[1][measures.header.index("target value")] = "lots"
    page = post_form(app.test_client(), {"workbook": (workbook(tables), "broken.xlsx")})
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert "2 problems in broken.xlsx: nothing was imported" in html
    assert re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", html) == [
        ("measures", "2", "item", "unknown ref &#39;9.9&#39; (not on the items sheet)"),
        ("measures", "3", "target value", "unparseable target value &#39;lots&#39; (expected a number, e.g. 50.0)"),
    ]
    assert served_triples(app) == before


def test_no_file_and_not_a_workbook(app):
    client = app.test_client()
    empty = post_form(client, {})
    assert empty.status_code == 422 and "choose an .xlsx workbook, the .csv files of one plan" in empty.get_data(
        as_text=True
    )
    junk = post_form(client, {"workbook": (io.BytesIO(b"ref,label\n"), "plan.xlsx")})
    assert junk.status_code == 422 and "not an XLSX workbook" in junk.get_data(as_text=True)


def test_turtle_for_scripts(app, exported, plan_graphs):
    client = app.test_client()
    good = client.post(
        "/import.ttl",
        content_type="multipart/form-data",
        data={"workbook": (workbook(exported["2004-5"]), "priority.xlsx")},
    )
    assert good.status_code == 200 and good.mimetype == "text/turtle"
    assert good.headers["Content-Disposition"] == 'attachment; filename="priority.ttl"'
    assert isomorphic(Graph().parse(data=good.get_data(as_text=True), format="turtle"), plan_graphs["2004-5"])
    tables = exported["2004-5"]
    sheet(tables, "activities").rows[0][4] = "soon"
    bad = client.post(
        "/import.ttl", content_type="multipart/form-data", data={"workbook": (workbook(tables), "priority.xlsx")}
    )
    assert (bad.status_code, bad.mimetype) == (422, "text/plain")
    assert bad.get_data(as_text=True) == (
        "sheet 'activities', row 2, column 'target date': unparseable target date 'soon' "
        "(expected a date written YYYY-MM-DD)\n"
    )
