"""Ownership answers asserted exactly on the built-in plans: refs, roles and via-paths."""

import json

import pytest
from click.testing import CliRunner

from graphsvc.answers import accountability, ownership
from graphsvc.audit.sparql_audit import audit_engine
from graphsvc.cli import main
from graphsvc.engine import session

ID = "https://w3id.org/graphsvc/id/"
CTO = "Central Tasking Office (CO/SCD/TP, jointly owned)"


@pytest.fixture(scope="module")
def scd(engine):
    return ownership.accountability(engine, "SCD")


def names_of(answer, role, plan=None):
    return [item["name"] for item in answer[role] if plan is None or item["plan"] == plan]


def how(answer, role, name):
    return next(item["how"] for item in answer[role] if item["name"] == name)


def test_scd_leads_through_its_post_and_its_people(scd):
    assert names_of(scd, "lead", "2007-10") == ["1.1", "1.3", "4.1", "4.2", "5.1", "5.2", "6.1", "7.1"]
    assert names_of(scd, "lead", "2004-5") == [
        "activity 1-5",
        "activity 1-7",
        "activity 2-1",
        "activity 2-2",
        "activity 2-4",
        "activity 3-1",
        "activity 3-3",
        "activity 3-4",
        "activity 4-1",
    ]
    assert how(scd, "lead", "1.3") == "1.3 via Assistant Commissioner Specialist Crime (post in SCD), lead"
    assert how(scd, "lead", "activity 2-1") == "activity 2-1 via Cdr Hitchcock (SCD), lead"


def test_scd_supports_through_every_unit_beneath_it(scd):
    assert names_of(scd, "supporting") == [
        "1.1",
        "1.2",
        "1.3",
        "2.1",
        "2.2",
        "3.1",
        "4.1",
        "4.2",
        "5.1",
        "5.2",
        "6.1",
        "6.2",
        "7.1",
    ]
    assert how(scd, "supporting", "1.3") == (
        "1.3 via Drugs Directorate (SCD) and Intelligence Development and Analysis Unit (SCD), supporting"
    )
    assert how(scd, "supporting", "3.1") == "3.1 via Drugs Directorate (SCD), supporting"


def test_answer_items_carry_the_contract_fields(scd):
    item = next(i for i in scd["supporting"] if i["name"] == "3.1")
    assert {k: item[k] for k in ("ref", "plan", "iri", "role", "via")} == {
        "ref": "3.1",
        "plan": "2007-10",
        "iri": ID + "item/2007-10/3.1",
        "role": "supporting",
        "via": "Drugs Directorate (SCD)",
    }
    assert item["title"].startswith("Prompt and permanent closure of identified crack houses")
    assert item["strand_or_objective"]["kind"] == "strand" and item["strand_or_objective"]["ref"] == "3"
    activity = next(i for i in scd["lead"] if i["name"] == "activity 2-1")
    assert activity["ref"] is None and activity["strand_or_objective"]["kind"] == "objective"
    assert scd["entity"] == {"iri": ID + "unit/scd", "label": "Specialist Crime Directorate", "kind": "business group"}


def test_summary_counts_by_plan(scd):
    summary = scd["summary"]
    assert summary["text"] == "Specialist Crime Directorate leads 17 items and supports 13 across 2 plans"
    assert [(p["plan"], p["lead"], p["supporting"]) for p in summary["by_plan"]] == [
        ("2004-5", 9, 0),
        ("2007-10", 8, 13),
    ]


@pytest.mark.parametrize("owner", ["SCD", "TP", "CO"])
def test_jointly_owned_unit_counts_for_each_owner_and_says_so(engine, owner):
    answer = ownership.accountability(engine, owner)
    assert CTO in how(answer, "supporting", "2.1")
    assert [j["note"] for j in answer["summary"]["jointly_owned"]] == [
        "Central Tasking Office is jointly owned by CO, SCD and TP: its items count for each owner"
    ]


def test_business_group_named_directly_and_through_a_unit(engine):
    co = ownership.accountability(engine, "Central Operations")
    assert names_of(co, "supporting") == ["1.2", "2.1", "2.2", "4.1"]
    assert how(co, "supporting", "1.2") == f"1.2 directly and via {CTO}, supporting"
    assert how(co, "supporting", "4.1") == "4.1 via Air Support Unit (CO), supporting"
    dor = ownership.accountability(engine, "DOR")
    assert [i["how"] for i in dor["supporting"]] == [
        "3.1 via Central Property Services (DOR), supporting",
        "4.1 via Central Property Services (DOR), supporting",
    ]


def test_tp_rolls_up_tphq_people_and_its_post(engine):
    tp = ownership.accountability(engine, "Territorial Policing")
    assert names_of(tp, "lead", "2004-5") == ["activity 1-4", "activity 1-6", "activity 2-1", "activity 3-2"]
    assert how(tp, "lead", "activity 3-2") == "activity 3-2 via Cdr Smith (TPHQ), lead"
    assert how(tp, "lead", "activity 1-4") == "activity 1-4 via DAC House (Chair Level 1, TP), lead"
    assert names_of(tp, "lead", "2007-10") == [
        "1.1",
        "1.2",
        "2.1",
        "2.2",
        "3.1",
        "4.1",
        "4.2",
        "5.1",
        "5.2",
        "6.1",
        "6.2",
        "6.3",
        "7.1",
    ]


def test_the_organisation_answers_for_everything(engine):
    mps = ownership.accountability(engine, "MPS")
    assert mps["summary"]["text"] == "Metropolitan Police Service leads 30 items and supports 14 across 2 plans"


def test_an_agent_reached_by_several_paths_counts_once(engine):
    """DAC House holds the Chair Level 1 post and is a member of TP, so the roll-up query reaches him twice from
    the MPS (ownership.rq keeps no DISTINCT): the answer still names each item and route once."""
    mps = ownership.accountability(engine, "MPS")
    for role in ownership.ROLE_ORDER:
        assert len({item["iri"] for item in mps[role]}) == len(mps[role])
    assert how(mps, "lead", "activity 1-4") == "activity 1-4 via DAC House (Chair Level 1, TP), lead"
    item = next(i for i in mps["lead"] if i["name"] == "activity 1-6")
    assert [r["label"] for r in item["routes"]] == ["DAC Griffiths", "DAC House"]


def test_unit_post_person_and_partner(engine):
    drugs = ownership.accountability(engine, "Drugs Directorate")
    assert [i["how"] for i in drugs["supporting"]] == [
        f"{ref} directly, supporting" for ref in ("1.3", "3.1", "5.1", "5.2", "6.1", "6.2")
    ]
    assert drugs["lead"] == []
    siu = ownership.accountability(engine, "SIU")
    assert [i["how"] for i in siu["lead"]] == [
        "activity 1-1 via Shona Pearce (Head of SIU), lead",
        "activity 1-3 via Shona Pearce (Head of SIU), lead",
    ]
    hitchcock = ownership.accountability(engine, "Hitchcock")
    assert names_of(hitchcock, "lead") == [
        "activity 2-1",
        "activity 2-2",
        "activity 3-1",
        "activity 3-3",
        "activity 3-4",
        "activity 4-1",
    ]
    home_office = ownership.accountability(engine, "Home Office")
    assert names_of(home_office, "partner") == ["activity 2-2", "activity 4-1", "6.1"]
    assert (
        home_office["summary"]["text"] == "Home Office leads 0 items, supports 0 and is a partner on 3 across 2 plans"
    )


def test_item_detail_of_a_delivery_item(engine):
    item = ownership.item_detail(engine, "4.1")
    assert [lead["where"] for lead in item["leads"]] == [
        "Assistant Commissioner Specialist Crime (post in SCD)",
        "Assistant Commissioner Territorial Policing (post in TP)",
    ]
    assert [s["label"] for s in item["supporting"]] == [
        "Air Support Unit",
        "Borough Command Units",
        "Central Property Services",
        "Intelligence Development and Analysis Unit",
    ]
    assert [(p["label"], p["stated_in"]) for p in item["partners"]] == [
        ("estate agencies", ID + "action/2007-10/4.1-3"),
        ("power companies", ID + "action/2007-10/4.1-3"),
    ]
    assert len(item["actions"]) == 4
    assert [(m["ref"], m["measurability"]) for m in item["measures"]] == [
        ("4.1.1", "directional"),
        ("4.1.2", "not measurable"),
    ]
    assert item["source"]["document"] == "mps-drugs-strategy-2007-10.txt"
    assert item["source"]["lines"] == [66, 71]
    assert item["source"]["quote"].startswith("4.1\tWe will target Criminal Networks")


def test_item_detail_keeps_split_lines_once(engine):
    item = ownership.item_detail(engine, "5.1")
    assert [(p["label"], p["source_lines"]) for p in item["partners"]] == [("Probation Service", [77, 86])]
    assert item["measures"][0]["target"] == {"value": 50.0, "unit": "PERCENT"}
    assert item["measures"][0]["footnotes"] == [
        {"marker": "6", "text": "Performance Indicator developed this planning year 2006/07."}
    ]


def test_item_detail_of_a_2004_5_activity(engine):
    by_row = ownership.item_detail(engine, "1-3", plan="2004-5")
    by_iri = ownership.item_detail(engine, ID + "activity/2004-5/1-3")
    assert by_row == by_iri
    assert by_row["ref"] is None
    assert [lead["where"] for lead in by_row["leads"]] == ["Shona Pearce (Head of SIU)"]
    assert (by_row["target_date"], by_row["theme"]) == ("2004-04-30", "Forensic support")


def test_unknown_item_says_what_refs_look_like(engine):
    with pytest.raises(ownership.ItemNotFound) as caught:
        ownership.item_detail(engine, "9.9")
    assert str(caught.value) == (
        "no item or activity '9.9'; refs look like '1.3' (2007-10) or '1-3' (2004-5 activity: objective 1, row 3);"
        " plans: 2004-5, 2007-10"
    )


def test_who_json_is_the_api_answer(engine):
    """`who --format json` is the analyst's answer, which keeps every key and value of the ownership answer."""
    result = CliRunner().invoke(main, ["who", "SCD", "--format", "json"])
    assert result.exit_code == 0
    given = json.loads(result.output)
    assert given == accountability.answer(engine, "SCD", findings=audit_engine(engine).results, with_progress=True)
    plain = ownership.accountability(engine, "SCD")
    assert {key: given["summary"][key] for key in plain["summary"]} == plain["summary"]
    for role in ownership.ROLE_ORDER:
        assert [{key: item[key] for key in old} for item, old in zip(given[role], plain[role])] == plain[role]


def test_who_text_groups_by_plan():
    result = CliRunner().invoke(main, ["who", "AC", "SC"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    # The third line counts its progress as at this quarter: nothing is reported in the built-in plans.
    assert lines.pop(2).startswith("No progress reported yet. Of the items and success measures Assistant Commissioner")
    assert lines[:5] == [
        f"Assistant Commissioner Specialist Crime (post) <{ID}post/assistant-commissioner-specialist-crime>",
        "Assistant Commissioner Specialist Crime leads 8 items and supports 0 in 1 plan; 2 of the 8 delivery items"
        " it leads have no measurable outcome (1.3, 6.1); its items depend on 5 outside agencies (Drug Action Teams,"
        " estate agencies, Home Office, power companies, Probation Service); the audit has 20 open findings on them.",
        "",
        "MPS Drugs Strategy 2007-10 & Delivery Plan (2007-10)",
        "  Leads (8)",
    ]
    assert lines[6].strip() == "directly, lead"


def test_item_command(engine):
    result = CliRunner().invoke(main, ["item", "1.3"])
    assert result.exit_code == 0
    assert "  Drugs Directorate (SCD)" in result.output.splitlines()
    missing = CliRunner().invoke(main, ["item", "1-3", "--plan", "2007-10"])
    assert missing.exit_code == 1 and missing.output.startswith("Error: no item or activity '1-3' in plan 2007-10;")


class ItemQueries:
    """An engine that records whether the whole item catalogue (queries/items.rq, unbound) is read,
    how many items are read one by one, and in how many queries."""

    def __init__(self, engine):
        self.engine, self.name, self.catalogue_reads, self.item_reads = engine, engine.name, 0, 0
        self.item_queries = 0

    def query(self, sparql, bindings=None, **options):
        from graphsvc.queries import query

        if sparql == query("items"):
            if bindings:
                self.item_reads += 1 if isinstance(bindings, dict) else len(bindings)
                self.item_queries += 1
            else:
                self.catalogue_reads += 1
        return self.engine.query(sparql, bindings, **options)

    def triple_count(self):
        return self.engine.triple_count()


def test_an_answer_reads_only_its_own_items_and_keeps_them():
    from graphsvc.engine import graph
    from graphsvc.engine.engines import embedded

    counted = ItemQueries(embedded(graph.default(), "oxigraph"))
    first = ownership.accountability(counted, "SCD")
    reads = counted.item_reads
    assert counted.catalogue_reads == 0
    assert reads == len({item["iri"] for role in ownership.ROLE_ORDER for item in first[role]}) > 1
    assert counted.item_queries == 1  # one round trip for all of them, not one per item
    assert ownership.accountability(counted, "SCD") == first and counted.item_reads == reads
    assert first == ownership.accountability(session.open_engine(), "SCD")
