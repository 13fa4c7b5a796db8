"""An upload's problem list had no cap: a CSV of thousands of bad rows gave an answer of megabytes,
rendered in the server's thread. Now the first ``UPLOAD_MAX_PROBLEMS`` are listed (cut in the confined
child) and the rest counted, on the page and in /import.ttl's text."""

import re

from support import post_upload as post
from upload_support import NEW_PLAN

from graphsvc.engine import graph
from graphsvc.web.app import create_app

ROWS = 3000


def _bad_plan() -> list[tuple[str, bytes]]:
    """The new plan's sheets with 3000 items whose strand does not exist: a problem each."""
    files = {path.name: path.read_bytes() for path in NEW_PLAN.glob("*.csv")}
    header = files["items.csv"].decode().splitlines()[0]
    files["items.csv"] = (header + "\n" + "".join(f"9.{i},99,do thing {i}\n" for i in range(ROWS))).encode()
    return list(files.items())


def test_the_problem_list_names_the_first_few_and_counts_the_rest():
    app = create_app({"GRAPH": graph.default(), "AUDIT": False, "UPLOAD_MAX_PROBLEMS": 50})
    page = post(app.test_client(), _bad_plan())
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert html.count("unknown ref &#39;99&#39;") == 50
    more = int(re.search(r"and (\d+) more, not listed", html).group(1))
    assert more >= ROWS - 50
    assert re.search(rf"<h2>{50 + more} problems in ", html)
    assert len(page.data) < 100_000
    text = post(app.test_client(), _bad_plan(), path="/import.ttl")
    assert text.status_code == 422
    lines = text.get_data(as_text=True).splitlines()
    assert len(lines) == 51 and lines[-1] == f"and {more} more"


def test_a_short_list_is_shown_whole():
    app = create_app({"GRAPH": graph.default(), "AUDIT": False})
    files = dict(_bad_plan())
    header = files["items.csv"].decode().splitlines()[0]
    files["items.csv"] = (header + "\n9.1,99,do one thing\n").encode()
    html = post(app.test_client(), list(files.items())).get_data(as_text=True)
    assert "6 problems in " in html and html.count("unknown ref") == 6 and "more, not listed" not in html
