"""`graphsvc info` reports figures that match counts made from the documents themselves."""

import json
import re

from click.testing import CliRunner

from graphsvc.cli import main

KEYS = {
    "triples",
    "plans",
    "aims",
    "strands",
    "objectives",
    "delivery_items",
    "activities",
    "actions",
    "success_measures",
    "units",
    "business_groups",
    "posts",
    "people",
    "partner_agencies",
    "by_plan",
}


def info_json():
    result = CliRunner().invoke(main, ["info", "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_json_keys_and_plans():
    figures = info_json()
    assert set(figures) == KEYS
    assert figures["triples"] > 2000
    assert [p["id"] for p in figures["by_plan"]] == ["2007-10", "2004-5"]


def test_figures_match_counts_from_the_documents(source_lines):
    strategy, priority = source_lines["2007-10"], source_lines["2004-5"]
    figures = info_json()
    by_plan = {p["id"]: p for p in figures["by_plan"]}

    strands = [line for line in strategy if re.match(r"^- \d\. ", line)]
    items = [line for line in strategy if re.match(r"^\d\.\d\.?\t", line)]
    measures = [m for line in strategy for m in re.findall(r"\t\d\.\d\.\d\t", line)]
    aims = [line for line in strategy if re.match(r"^Aim \d$", line)]
    objectives = [line for line in priority if re.match(r"^OBJECTIVE \d$", line)]
    activities = [line for line in priority if re.search(r"\t\w+ 2004\t", line)]

    assert by_plan["2007-10"]["strands"] == len(strands) == 7
    assert by_plan["2007-10"]["delivery_items"] == len(items) == 14
    assert by_plan["2007-10"]["success_measures"] == len(measures) == 28
    assert figures["aims"] == len(aims) + 1 == 3  # Aims 1 and 2, and the 2004-5 priority
    assert by_plan["2004-5"]["objectives"] == len(objectives) == 4
    assert by_plan["2004-5"]["activities"] == len(activities) == 16


def test_figures_match_a_hand_count_of_the_documents():
    """Counted by reading the documents (the reading is in data/*.ttl reading notes)."""
    figures = info_json()
    assert figures["plans"] == 2
    # 2007-10 "How will we achieve it" cells split into one action a statement:
    # 1.1:4 1.2:4 1.3:4 2.1:3 2.2:6 3.1:3 4.1:4 4.2:3 5.1:4 5.2:2 6.1:5 6.2:1 6.3:2 7.1:3
    assert figures["actions"] == 48
    # SCD TP CO DPA DOR; 12 units named in 2007-10 (with the MIB); SIU TPHQ CDG in 2004-5
    assert figures["business_groups"] == 5
    assert figures["units"] == 20
    # AC Specialist Crime, AC Territorial Policing, Head of SIU, Director of Forensic Services,
    # Chair Level2, Chair Level 1
    assert figures["posts"] == 6
    # Pearce Pugh House McDowall Griffiths Dick Paddick Hitchcock Bryan Armond Smith
    assert figures["people"] == 11
    # power companies, estate agencies, Probation Service, Drug Action Teams, Home Office, GOL
    assert figures["partner_agencies"] == 6


def test_text_output_names_every_figure():
    result = CliRunner().invoke(main, ["info"])
    assert result.exit_code == 0
    assert "Delivery items" in result.output and "14" in result.output
    assert "2004-5   MPS Priority 2004-5: 4 objectives, 16 activities" in result.output
