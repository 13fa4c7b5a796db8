"""The audit by owner: findings rolled up through the organisation as ownership is, one counting
rule for the command line and the web, plain answers, a fix for every check, and CSV."""

import csv
import io
import json

import pytest
from click.testing import CliRunner

from graphsvc.audit import report as audit_report
from graphsvc.audit.sparql_audit import checks
from graphsvc.cli import main
from graphsvc.spreadsheet import csv_io
from graphsvc.spreadsheet.neutralise import restore
from graphsvc.spreadsheet.table import Table
from graphsvc.web.app import create_app

SCD = "Specialist Crime Directorate (SCD)"
TP = "Territorial Policing (TP)"
SEVERITIES = ("Violation", "Warning", "Info")


@pytest.fixture(scope="module")
def cli_json():
    return json.loads(CliRunner().invoke(main, ["validate", "--format", "json"]).stdout)


@pytest.fixture(scope="module")
def web():
    return create_app().test_client()


@pytest.fixture(scope="module")
def web_json(web):
    return json.loads(web.get("/validation.json").data)


def _row(report, owner):
    return next(row for row in report["by_organisation"] if row["owner"] == owner)


def test_business_groups_carry_their_posts_findings(cli_json):
    scd, tp = _row(cli_json, SCD), _row(cli_json, TP)
    assert (scd["kind"], [scd[s] for s in SEVERITIES]) == ("business group", [2, 11, 18])
    assert (tp["kind"], [tp[s] for s in SEVERITIES]) == ("business group", [4, 13, 14])
    # SCD's Infos: its AC's 8, and the 2004-5 activities led by people in SCD (Cdr Hitchcock's 7,
    # Cdr McDowall, Cdr Dick, Cdr Armond), each counted once though 1.1 is led by two of its posts
    assert "1.3" in scd["refs"] and "1.2" not in scd["refs"] and "1.2" in tp["refs"]
    assert cli_json["totals"]["by_organisation"][SCD] == {"Violation": 2, "Warning": 11, "Info": 18}


def test_a_jointly_led_finding_counts_once_for_each_owner_above_it(cli_json):
    shared = next(r for r in cli_json["results"] if r["ref"] == "6.1" and r["severity"] == "Violation")
    assert shared["accountable"] == [
        "Metropolitan Police Service (MPS)",
        SCD,
        TP,
        "Assistant Commissioner Specialist Crime",
        "Assistant Commissioner Territorial Policing",
    ]
    force = _row(cli_json, "Metropolitan Police Service (MPS)")
    assert force["total"] == cli_json["totals"]["findings"] == 47  # everything rolls up to the force, once


def test_the_rows_go_up_the_organisation_first(cli_json):
    kinds = [row["kind"] for row in cli_json["by_organisation"]]
    assert kinds == sorted(kinds, key=audit_report.KIND_ORDER.index)
    assert kinds[:3] == ["organisation", "business group", "business group"]


def test_plain_answers_with_the_real_figures(cli_json):
    texts = [answer["text"] for answer in cli_json["answers"]]
    assert "Every delivery item has a lead: yes, 14 of 14" in texts
    assert "Every activity has a lead: yes, 16 of 16" in texts
    assert "Items without a measurable outcome: 5 of 14: 1.2, 1.3, 3.1, 6.1, 6.2" in texts
    assert any(t.startswith("Success measures that are not measurable: 16 of 28: 1.1.3,") for t in texts)


def test_command_line_and_web_count_alike(cli_json, web_json, web):
    for key in ("by_organisation", "by_check", "answers", "totals", "counting_rule"):
        strip = lambda rows: [{k: v for k, v in r.items() if k not in ("href", "filter")} for r in rows]  # noqa: E731
        assert (strip(web_json[key]) if isinstance(web_json[key], list) else web_json[key]) == cli_json[key], key
    text = CliRunner().invoke(main, ["validate"]).stdout.splitlines()
    start = text.index("Gaps per owner, up the organisation") + 2
    scd_line = next(line for line in text[start:] if line.strip().startswith(SCD))
    assert scd_line.split()[-3:] == ["2", "11", "18"]
    assert "  A finding counts once for each owner of the item it is about: each lead of the item, and every" in text
    assert audit_report.COUNTING_RULE.replace("'", "&#39;").replace(">", "&gt;") in web.get("/validation").get_data(
        True
    )


def test_every_check_says_what_would_fix_it():
    described = audit_report.checks_described()
    missing = [name for name in checks() if not described.get(name, {}).get("fix")]
    assert missing == []


def test_findings_carry_their_fix(cli_json):
    item_13 = next(r for r in cli_json["results"] if r["ref"] == "1.3" and r["severity"] == "Violation")
    assert item_13["fix"].startswith("Give one of the success measures of delivery item 1.3")
    assert "(1.3.1, 1.3.2, 1.3.3)" in item_13["fix"]
    assert all(r["fix"] for r in cli_json["results"])


def _parsed(text: str) -> list[dict]:
    return [{k: restore(v) for k, v in row.items()} for row in csv.DictReader(io.StringIO(text))]


def test_csv_parses_back_the_same_from_both_faces(cli_json, web):
    cli = CliRunner().invoke(main, ["validate", "--format", "csv"])
    assert cli.exit_code == 1
    rows = _parsed(cli.stdout)
    assert len(rows) == 47 and list(rows[0]) == list(audit_report.CSV_HEADER)
    first = rows[0]
    assert (first["severity"], first["check"], first["ref"]) == ("Violation", "quality:ItemMeasurableOutcome", "1.3")
    assert first["owners"].split("; ") == cli_json["results"][0]["accountable"]
    served = web.get("/validation.csv")
    assert served.mimetype == "text/csv" and _parsed(served.get_data(as_text=True)) == rows


def test_csv_neutralises_formula_like_cells():
    finding = audit_report.Finding("Violation", "urn:x", "=1+1", "@label", None, "quality:HasLead", "-m", fix="+f")
    text = audit_report.csv_rows([finding])[0]
    written = csv_io.text(Table("findings", audit_report.CSV_HEADER, [text]))
    assert "'=1+1" in written and "'@label" in written and "'-m" in written and "'+f" in written


def test_one_owners_findings_on_the_page(web):
    client = web
    data = json.loads(client.get("/validation.json?owner=https://w3id.org/graphsvc/id/unit/scd").data)
    assert data["owner"]["owner"] == SCD
    assert sum(len(group["findings"]) for group in data["shown"]) == 31
    assert client.get("/validation?owner=nobody").status_code == 404
