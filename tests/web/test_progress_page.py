"""Item, activity and measure pages show where the element stands: the latest report, both RAGs, the
flags and the history, as at the current quarter or any period given as ?as-at= (HTML and JSON)."""

import json

import pytest
from click.testing import CliRunner

from graphsvc.cli import main
from graphsvc.engine import session, store
from graphsvc.web.app import create_app


def _progress(client, path):
    response = client.get(path, headers={"Accept": "application/json"})
    assert response.status_code == 200, response.get_data(as_text=True)
    return json.loads(response.data)["progress"]


def test_an_item_with_no_report_says_so_and_when_it_was_due(client):
    now = _progress(client, "/id/item/2007-10/1.3")
    assert (now["latest"], now["no_report"], now["due"], now["overdue"]) == (None, True, "2010-03-31", True)
    then = _progress(client, "/id/item/2007-10/1.3?as-at=2008-Q3")
    assert (then["as_at"], then["overdue"], then["history"]) == ("2008-Q3", False, [])
    html = client.get("/id/item/2007-10/1.3?as-at=2008-Q3").get_data(as_text=True)
    assert "Progress as at" in html and "No report yet" in html
    assert html.index("Verdict") < html.index("Progress as at") < html.index("<summary>All data</summary>")


def test_activities_and_measures_show_progress_too(client):
    assert _progress(client, "/id/activity/2004-5/1-1")["kind"] == "activity"
    assert _progress(client, "/id/measure/2007-10/1.1.1?as-at=2008-Q3")["kind"] == "success measure"


def test_a_period_that_is_not_one_is_a_400_that_says_why(client):
    response = client.get("/id/item/2007-10/1.3?as-at=2008-Q9")
    assert response.status_code == 400 and "as-at" in response.get_data(as_text=True)


@pytest.fixture()
def reported(tmp_path):
    """A store of the built-in plans with one report, on 1.1 for 2008-Q2, written as a user would."""
    folder = tmp_path / "store"
    store.build(folder)
    result = CliRunner().invoke(
        main,
        ["--store", str(folder), "progress", "add", "1.1", "--period", "2008-Q2", "--status", "on track"]
        + ["--rag", "green", "--note", "Up in 20 of 32 boroughs.", "--by", "shona-pearce"],
    )
    session.forget()
    assert result.exit_code == 0, result.output
    yield create_app({"STORE": str(folder), "AUDIT": False}).test_client()


def test_a_report_shows_with_both_rags_and_the_flags(reported):
    during = _progress(reported, "/id/item/2007-10/1.1?as-at=2008-Q2")
    assert (during["latest"]["status"], during["latest"]["owner_rag"], during["stale"]) == ("on track", "green", False)
    after = _progress(reported, "/id/item/2007-10/1.1?as-at=2008-Q3")
    assert after["latest"]["period"] == during["latest"]["period"] and after["stale"] is True
    assert after["computed_rag"] and after["rags_differ"] == (after["computed_rag"] != "green")
    before = _progress(reported, "/id/item/2007-10/1.1?as-at=2008-Q1")
    assert before["latest"] is None and before["history"] == []
    html = reported.get("/id/item/2007-10/1.1?as-at=2008-Q3").get_data(as_text=True)
    assert "on track" in html and "Up in 20 of 32 boroughs." in html and "stale: no report for this period" in html
    assert (
        after["latest"]["by_label"] == "Shona Pearce"
        and 'by <a href="/id/person/shona-pearce">Shona Pearce</a>' in html
    )
