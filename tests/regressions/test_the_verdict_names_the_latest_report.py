"""An item page's verdict said "Progress: not tracked in this plan" above a progress section showing
its reports: the verdict spoke of the printed plan only. It now says so, and names the latest report."""

import json

from graphsvc.answers import progress_writes
from graphsvc.engine import sources
from graphsvc.web.app import create_app


def test_the_verdict_says_what_was_printed_and_what_was_reported(tmp_path):
    client = create_app({"REPORTS_DIR": str(tmp_path), "AUDIT": False, "REPORTS_LAG": 0}).test_client()
    before = json.loads(client.get("/id/item/2007-10/1.1.json?as-at=2008-Q3").data)["verdict"]
    assert before["progress"] == "the printed plan has no progress column" and "reported" not in before

    source = sources.Source(reports=str(tmp_path))
    engine = sources.open_engine(source)
    draft = progress_writes.Draft("1.1", "2008-Q3", "at risk", "shona-pearce", "amber")
    progress_writes.write(source, engine, [progress_writes.prepare(engine, draft)])

    after = json.loads(client.get("/id/item/2007-10/1.1.json?as-at=2008-Q3").data)["verdict"]
    assert after["reported"] == "latest report: at risk for July to September 2008 (2008-Q3)"
    html = client.get("/id/item/2007-10/1.1?as-at=2008-Q3").get_data(as_text=True)
    assert "the printed plan has no progress column; latest report: at risk" in html
