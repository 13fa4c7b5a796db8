"""The accountability page of a unit: filters in the URL, CSV and XLSX downloads, clear errors."""

import csv
import io

from openpyxl import load_workbook


def test_page_shows_the_summary_and_verdicts(client):
    html = client.get("/id/unit/scd").get_data(as_text=True)
    assert "SCD leads 17 items and supports 13 in 2 plans; 2 of the 8 delivery items it leads" in html
    assert html.count('class="badge no-measurable-outcome"') == 7  # 1.3 and 6.1 led; 1.2, 1.3, 3.1, 6.1, 6.2 supported
    assert 'href="/id/unit/scd.csv"' in html and 'href="/id/unit/scd.xlsx"' in html


def test_json_keeps_the_old_keys_and_adds_verdicts(client):
    answer = client.get("/id/unit/scd.json").get_json()["accountability"]
    assert {"entity", "lead", "supporting", "partner", "summary"} <= set(answer)
    led = next(i for i in answer["lead"] if i["name"] == "6.1")
    assert {"how", "via", "routes", "verdict", "reason", "owners", "partners", "target_date", "findings"} <= set(led)
    assert led["verdict"] == "no measurable outcome"
    assert [p["label"] for p in led["partners"]] == ["Drug Action Teams", "Home Office"]


def test_filters_are_query_parameters_kept_on_the_alternates(client):
    response = client.get("/id/unit/scd?plan=2007-10&role=lead")
    html = response.get_data(as_text=True)
    assert 'href="/id/unit/scd.csv?plan=2007-10&amp;role=lead"' in html
    answer = client.get("/id/unit/scd.json?plan=2007-10&role=lead").get_json()["accountability"]
    assert (len(answer["lead"]), answer["supporting"]) == (8, [])
    unfiltered = client.get("/id/unit/scd.json").get_json()["accountability"]
    assert len(unfiltered["lead"]) == 17  # the cache keeps each filter apart


def test_csv_download(client):
    response = client.get("/id/unit/scd.csv?role=lead")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="scd-accountability-lead.csv"'
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert len(rows) == 17 and {r["Role"] for r in rows} == {"leads"}
    row = next(r for r in rows if r["Item"] == "1.3")
    assert row["Measurable outcome"] == "no measurable outcome"
    assert row["Item page"] == "http://127.0.0.1:8080/id/item/2007-10/1.3"  # the public URL, never Host


def test_xlsx_by_format_parameter(client):
    response = client.get("/id/unit/scd?format=xlsx&plan=2004-5")
    assert response.headers["Content-Disposition"] == 'attachment; filename="scd-accountability-2004-5.xlsx"'
    rows = list(load_workbook(io.BytesIO(response.data))["accountability"].iter_rows(values_only=True))
    assert len(rows) == 1 + 9 and {r[6] for r in rows[1:]} == {"no success measures"}


def test_bad_filter_is_a_clear_400(client):
    response = client.get("/id/unit/scd.json?role=boss")
    assert response.status_code == 400
    assert response.get_json()["error"] == "no role 'boss': roles are lead, supporting, partner"


def test_only_accountable_pages_download(client):
    assert client.get("/id/item/2007-10/1.1.csv").status_code == 404
