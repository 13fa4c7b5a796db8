"""`graphsvc progress owners`: per owner, rolled up as ownership is, what is due, overdue, stale and
not yet reported on, as at a period; with a name, that owner's elements under each."""

import json

from click.testing import CliRunner

from graphsvc.cli import main
from graphsvc.engine import session


def _run(*arguments, reports=None):
    options = ["--reports-dir", str(reports)] if reports else []
    result = CliRunner().invoke(main, [*options, "progress", *arguments])
    session.forget()
    return result


def test_scd_as_at_a_quarter_counts_its_items_and_lists_them(tmp_path):
    before = json.loads(_run("owners", "SCD", "--as-at", "2008-Q3", "--format", "json", reports=tmp_path).output)
    assert before["label"] == "Specialist Crime Directorate" and before["as_at"] == "2008-Q3"
    assert before["counts"]["no_report"] == len(before["no_report"]) > 0
    assert "1.1" in {e["ref"] for e in before["no_report"]}

    added = _run("add", "1.1", "--period", "2008-Q3", "--status", "on track", "--by", "shona-pearce", reports=tmp_path)
    assert added.exit_code == 0, added.output
    after = json.loads(_run("owners", "SCD", "--as-at", "2008-Q3", "--format", "json", reports=tmp_path).output)
    assert after["counts"]["no_report"] == before["counts"]["no_report"] - 1
    assert "1.1" not in {e["ref"] for e in after["no_report"]}


def test_every_owner_as_a_table_and_csv():
    text = _run("owners", "--as-at", "2008-Q3").output
    assert text.startswith("As at July to September 2008 (2008-Q3)") and "Specialist Crime Directorate" in text
    rows = _run("owners", "--as-at", "2008-Q3", "--format", "csv").output.splitlines()
    assert rows[0] == "owner,owner_iri,as_at,due_this_period,overdue,stale,no_report"
    force = next(row.split(",") for row in rows if row.startswith("Metropolitan Police Service,"))
    assert int(force[-1]) >= 58  # every element counts for the force: none is reported on


def test_an_unknown_owner_or_period_is_one_line_and_exit_2():
    unknown = _run("owners", "Nobody")
    assert unknown.exit_code == 2 and "no unit, post or person called 'Nobody'" in unknown.output
    bad = _run("owners", "--as-at", "2008-Q9")
    assert bad.exit_code == 2 and "2008-Q9" in bad.output and "Traceback" not in bad.output
