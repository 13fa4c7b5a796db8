"""`graphsvc validate` counted a jointly led item's finding as one row "A; B" (14 rows), /validation
once per lead (13 rows), and /validation.json carried both counts. Now one function counts them."""

import json
import re

from click.testing import CliRunner

from graphsvc.cli import main
from graphsvc.web.app import create_app


def test_cli_table_and_web_page_count_gaps_per_owner_alike():
    text = CliRunner().invoke(main, ["validate"]).stdout.splitlines()
    start = text.index("Gaps per lead") + 2
    rows = []
    for line in text[start:]:
        if not line.strip():
            break
        *owner, violations, warnings, infos = line.split()
        rows.append((" ".join(owner), int(violations), int(warnings), int(infos)))
    web = json.loads(create_app().test_client().get("/validation.json").data)
    assert rows == [(r["owner"], r["Violation"], r["Warning"], r["Info"]) for r in web["by_owner"]]
    assert not any(";" in owner for owner, *_ in rows)
    assert {r["owner"]: {s: r[s] for s in ("Violation", "Warning", "Info")} for r in web["by_owner"]} == web["totals"][
        "by_owner"
    ]
    assert len(rows) == 13 and re.match(r"Assistant Commissioner Territorial Policing", rows[0][0])
