"""Progress where many items are read at once: an owner's accountability answer (page, JSON, CSV, XLSX,
`graphsvc who`), plan pages, the map's RAG colours and the browse exports, as at a period.

The built-in data ships no report: these tests write their own, on a store of the built-in plans,
as a performance unit would (`graphsvc progress add`).
"""

import csv
import io
import json

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from graphsvc.answers import names, progress
from graphsvc.cli import main
from graphsvc.engine import session, store
from graphsvc.web.app import create_app

# Three of SCD's delivery items, reported on: 1.1 in 2008-Q2 only (so stale by 2008-Q3, and its owner's
# green against the rules' rating), 4.1 off track in 2008-Q3, 4.2 complete in 2008-Q3.
REPORTS = [
    ["1.1", "--period", "2008-Q2", "--status", "on track", "--rag", "green", "--note", "Up in 20 of 32 boroughs."],
    ["4.1", "--period", "2008-Q3", "--status", "off track", "--rag", "red", "--note", "Two labs closed late."],
    ["4.2", "--period", "2008-Q3", "--status", "complete", "--rag", "green"],
]
PROGRESS_HEADER = [
    "Latest status",
    "Status period",
    "Owner's RAG",
    "Computed RAG",
    "Overdue",
    "Stale",
    "Progress as at",
]
ACCOUNTABILITY_HEADER = [
    "Plan",
    "Item",
    "Title",
    "Strand or objective",
    "Role",
    "How",
    "Measurable outcome",
    "Why",
    "Owners",
    "Partner agencies",
    "Target date",
    "Open findings",
    "Item page",
    "Owner pages",
    "Partner pages",
]


def reported_store(tmp_path_factory):
    """A store of the built-in plans with the three reports, written through the command line."""
    path = tmp_path_factory.mktemp("reported") / "store"
    store.build(path)
    for report in REPORTS:
        result = CliRunner().invoke(main, ["--store", str(path), "progress", "add", *report, "--by", "shona-pearce"])
        assert result.exit_code == 0, result.output
    session.forget()
    return path


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    yield reported_store(tmp_path_factory)
    session.forget()


@pytest.fixture(scope="module")
def reported(folder):
    return create_app({"STORE": str(folder), "AUDIT": False}).test_client()


def _json(client, path):
    response = client.get(path, headers={"Accept": "application/json"})
    assert response.status_code == 200, response.get_data(as_text=True)
    return json.loads(response.data)


def _lead(answer, name):
    return next(item for item in answer["lead"] if item["name"] == name)


def _who(folder, *args):
    result = CliRunner().invoke(main, ["--store", str(folder), "who", *args])
    session.forget()
    return result


# -- the accountability answer -------------------------------------------------------------------


def test_each_item_shows_its_latest_report_both_rags_and_the_flags(reported):
    answer = _json(reported, "/id/unit/scd?as-at=2008-Q3")["accountability"]
    first = _lead(answer, "1.1")["progress"]
    assert (first["latest"]["status"], first["latest"]["period"], first["owner_rag"]) == (
        "on track",
        "2008-Q2",
        "green",
    )
    assert first["stale"] is True and first["overdue"] is False and first["as_at"] == "2008-Q3"
    assert first["computed_rag"] == "amber" and first["rags_differ"] is True  # stale: the rules say amber
    assert "history" not in first and first["reports"] == 1  # the item's own page has its history
    off = _lead(answer, "4.1")["progress"]
    assert (off["latest"]["status"], off["owner_rag"], off["stale"]) == ("off track", "red", False)
    done = _lead(answer, "4.2")["progress"]
    assert (done["latest"]["status"], done["computed_rag"], done["rags_differ"]) == ("complete", "green", False)
    activity = _lead(answer, "activity 1-5")["progress"]
    assert (activity["latest"], activity["overdue"], activity["computed_rag"]) == (None, True, "red")


def test_the_owners_counts_are_rolled_up_as_ownership_is(reported):
    counts = _json(reported, "/id/unit/scd?as-at=2008-Q3")["accountability"]["progress_counts"]
    assert {k: counts[k] for k in ("due_this_period", "overdue", "stale", "no_report")} == {
        "due_this_period": 0,
        "overdue": 9,  # SCD's 2004-5 activities, due in 2004 and never reported complete
        "stale": 1,  # 1.1, last reported for 2008-Q2
        "no_report": 34,  # 37 items and measures SCD leads, rolled up, less the three reported
    }
    assert counts["reported"] is True and counts["as_at"] == "2008-Q3"
    assert counts["elements"]["stale"] == ["https://w3id.org/graphsvc/id/item/2007-10/1.1"]
    assert counts["text"].startswith("Of the items and success measures SCD leads, as at July to September 2008")
    engine = reported.application.extensions["graphsvc"].engine  # the served store's engine
    owner = progress.of_owner(engine, names.resolve(engine, "SCD").iri, "2008-Q3")
    assert owner["counts"] == {k: counts[k] for k in progress.COUNTS}


def test_as_at_reads_the_state_then(reported):
    before = _json(reported, "/id/unit/scd?as-at=2008-Q1")["accountability"]
    assert _lead(before, "1.1")["progress"]["latest"] is None
    assert before["progress_counts"]["reported"] is False and before["progress_counts"]["no_report"] == 37
    during = _json(reported, "/id/unit/scd?as-at=2008-Q2")["accountability"]
    assert _lead(during, "1.1")["progress"]["stale"] is False and during["progress_counts"]["stale"] == 0


def test_the_json_keeps_every_key_it_had(client):
    answer = client.get("/id/unit/scd.json?as-at=2008-Q3").get_json()["accountability"]
    assert {"entity", "lead", "supporting", "partner", "summary", "filters", "plans", "audit"} <= set(answer)
    led = _lead(answer, "6.1")
    assert {"how", "via", "routes", "verdict", "reason", "owners", "partners", "target_date", "findings"} <= set(led)
    assert {"progress", "progress_counts"} <= set(led) | set(answer)


def test_the_page_shows_the_columns_and_the_rags_in_words(reported):
    html = reported.get("/id/unit/scd?as-at=2008-Q3").get_data(as_text=True)
    assert "<th>Latest report</th><th>RAG</th>" in html
    assert '<span class="rag rag-green">green</span>' in html and '<span class="rag rag-red">red</span>' in html
    assert '<span class="rag rag-amber">amber</span>' in html and "they differ" in html
    assert (
        '<strong class="flag warning">stale</strong>' in html
        and '<strong class="flag problem">overdue</strong>' in html
    )
    assert 'name="as-at" value="2008-Q3"' in html
    assert 'href="/id/unit/scd.csv?as-at=2008-Q3"' in html


def test_with_no_report_anywhere_the_page_stays_calm(client):
    html = client.get("/id/unit/scd?as-at=2008-Q3").get_data(as_text=True)
    assert "No progress reported yet. Of the items and success measures SCD leads" in html
    assert "<th>Latest report</th>" not in html and 'class="rag ' not in html
    assert client.get("/id/unit/scd?as-at=2008-Q9").status_code == 400


def test_csv_and_xlsx_append_the_progress_columns(reported):
    response = reported.get("/id/unit/scd.csv?as-at=2008-Q3&role=lead")
    assert response.headers["Content-Disposition"] == 'attachment; filename="scd-accountability-lead-2008-Q3.csv"'
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == ACCOUNTABILITY_HEADER + PROGRESS_HEADER
    first = dict(zip(rows[0], next(r for r in rows if r[1] == "1.1"), strict=True))
    assert [first[c] for c in PROGRESS_HEADER] == ["on track", "2008-Q2", "green", "amber", "no", "yes", "2008-Q3"]
    unreported = dict(zip(rows[0], next(r for r in rows if r[1] == "5.1"), strict=True))
    assert [unreported[c] for c in PROGRESS_HEADER] == ["", "", "", "", "no", "no", "2008-Q3"]  # due in 2010
    activity = dict(zip(rows[0], next(r for r in rows if r[1] == "activity 1-5"), strict=True))
    assert [activity[c] for c in PROGRESS_HEADER[2:6]] == ["", "red", "yes", "no"]  # due in 2004: overdue
    sheet = load_workbook(io.BytesIO(reported.get("/id/unit/scd.xlsx?as-at=2008-Q3").data)).active
    header = [cell.value for cell in sheet[1]]
    assert header == ACCOUNTABILITY_HEADER + PROGRESS_HEADER


def test_who_shows_progress_as_at_a_period(folder):
    text = _who(folder, "SCD", "--as-at", "2008-Q3", "--no-findings", "--plan", "2007-10")
    assert text.exit_code == 0, text.output
    assert (
        "Of the items and success measures SCD leads in the 2007-10 plan, as at July to September 2008" in text.output
    )
    # the counts follow the plan filter: the nine overdue are 2004-5 activities
    assert "0 due this period, 0 overdue, 1 stale" in text.output
    assert "progress: on track (2008-Q2); owner's RAG green, computed amber (they differ); stale" in text.output
    rows = list(csv.reader(io.StringIO(_who(folder, "SCD", "--as-at", "2008-Q3", "--format", "csv").output)))
    assert rows[0][-7:] == PROGRESS_HEADER and rows[0][:15] == ACCOUNTABILITY_HEADER
    answer = json.loads(_who(folder, "SCD", "--as-at", "2008-Q3", "--format", "json", "--no-findings").output)
    assert answer["progress_counts"]["stale"] == 1
    wrong = _who(folder, "SCD", "--as-at", "2008-Q9")
    assert wrong.exit_code == 2 and "'2008-Q9' is not a reporting period" in wrong.output


# -- plan pages -----------------------------------------------------------------------------------


def test_plan_pages_show_each_items_progress(reported):
    page = _json(reported, "/id/plan/2007-10?as-at=2008-Q3")["plan_items"]
    rows = {row["name"]: row for group in page["groups"] for row in group["items"]}
    assert rows["1.1"]["progress"]["stale"] is True and rows["4.1"]["progress"]["owner_rag"] == "red"
    counts = page["progress_counts"]
    assert (counts["stale"], counts["no_report"], counts["overdue"], counts["reported"]) == (1, 11, 0, True)
    html = reported.get("/id/plan/2007-10?as-at=2008-Q3").get_data(as_text=True)
    assert "<th>Latest report</th><th>RAG</th>" in html and "off track" in html
    activities = _json(reported, "/id/plan/2004-5?as-at=2008-Q3")["plan_items"]
    assert activities["progress_counts"]["overdue"] == activities["summary"]["items"]  # all due in 2004-5
    calm = reported.get("/id/plan/2004-5?as-at=2008-Q3").get_data(as_text=True)
    assert "No progress reported yet." in calm and "<th>Latest report</th>" not in calm
    assert reported.get("/id/plan/2007-10?as-at=Q3").status_code == 400


# -- the map ----------------------------------------------------------------------------------------


def _items(body):
    return {n["data"]["ref"]: n["data"] for n in body["elements"]["nodes"] if n["data"]["kind"] == "item"}


def test_map_json_carries_each_items_rags(reported):
    body = _json(reported, "/map.json?plan=2007-10&as-at=2008-Q3")
    items = _items(body)
    assert (items["1.1"]["owner_rag"], items["1.1"]["computed_rag"], items["1.1"]["rag"]) == ("green", "amber", "amber")
    assert items["1.1"]["caption"] == "1.1 · amber"  # the word is drawn beside the colour
    assert items["1.2"]["rag"] is None and items["1.2"]["caption"] == "1.2"
    assert body["rag"] == {
        "by": "computed",
        "label": "computed RAG",
        "as_at": "2008-Q3",
        "as_at_label": "July to September 2008 (2008-Q3)",
        "reported": True,
        "counts": {"red": 1, "amber": 1, "green": 1, "none": len(items) - 3},  # 4.1: reported off track
    }
    assert set(body["style"]["rags"]) == {"red", "amber", "green"}
    owner = _items(_json(reported, "/map.json?plan=2007-10&as-at=2008-Q3&rag=owner"))
    assert (owner["1.1"]["rag"], owner["4.1"]["rag"]) == ("green", "red")
    plain = _json(reported, "/map.json?plan=2007-10&rag=none")
    assert _items(plain)["1.1"]["rag"] is None and plain["rag"]["by"] == "none"


def test_with_no_report_the_map_keeps_its_colours(client, reported):
    body = client.get("/map.json?plan=2007-10").get_json()
    item = _items(body)["1.1"]
    assert (item["computed_rag"], item["rag"], item["caption"]) == ("red", None, "1.1")  # overdue since 2010
    assert body["rag"]["reported"] is False and body["rag"]["counts"]["none"] == body["counts"]["items"]
    html = client.get("/map?plan=2007-10").get_data(as_text=True)
    assert "No progress reported yet on these items as at" in html and 'class="rag ' not in html
    before = _json(reported, "/map.json?plan=2007-10&as-at=2008-Q1")  # the reports were not made yet
    assert before["rag"]["reported"] is False and _items(before)["1.1"]["rag"] is None


def test_map_page_lists_the_rags_in_words_and_refuses_a_bad_choice(reported):
    html = reported.get("/map?plan=2007-10&partners_only=0&as-at=2008-Q3&rag=owner").get_data(as_text=True)
    assert "Items by owner&#39;s RAG as at July to September 2008 (2008-Q3): 1 red, 0 amber, 2 green" in html
    assert '<option value="owner" selected>' in html and '<span class="rag rag-red">red</span>' in html
    assert reported.get("/map.json?rag=purple").status_code == 400
    assert "rag is one of computed, owner, none" in reported.get("/map.json?rag=purple").get_json()["error"]
    assert reported.get("/map.json?as-at=2008-Q9").status_code == 400


# -- browse exports ---------------------------------------------------------------------------------


def test_browse_exports_append_the_progress_columns(reported, folder):
    rows = list(csv.reader(io.StringIO(reported.get("/browse/items.csv?as-at=2008-Q3").data.decode("utf-8-sig"))))
    assert rows[0][-8:] == ["iri", *PROGRESS_HEADER]
    first = dict(zip(rows[0], next(r for r in rows if r[0] == "1.1"), strict=True))
    assert [first[c] for c in PROGRESS_HEADER] == ["on track", "2008-Q2", "green", "amber", "no", "yes", "2008-Q3"]
    sheet = load_workbook(io.BytesIO(reported.get("/browse/measures.xlsx?as-at=2008-Q3").data)).active
    assert [cell.value for cell in sheet[1]][-7:] == PROGRESS_HEADER
    assert reported.get("/browse/items.csv?as-at=2008-Q9").status_code == 400
    command = CliRunner().invoke(main, ["--store", str(folder), "items", "--format", "csv", "--as-at", "2008-Q3"])
    session.forget()
    assert command.exit_code == 0, command.output
    assert list(csv.reader(io.StringIO(command.output)))[0][-7:] == PROGRESS_HEADER
