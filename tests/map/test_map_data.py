"""The dependency map's JSON on the built-in plans: nodes, edges, compound groups, analyses and every filter."""

from collections import Counter

import pytest

from graphsvc.answers import dependencies
from graphsvc.map import data as map_data

ID = "https://w3id.org/graphsvc/id/"
SCD, TP, CO = ID + "unit/scd", ID + "unit/tp", ID + "unit/co"
ITEMS_2007 = ["1.1", "1.2", "1.3", "2.1", "2.2", "3.1", "4.1", "4.2", "5.1", "5.2", "6.1", "6.2", "6.3", "7.1"]
ACTIVITIES_2004 = [
    "activity 1-1",
    "activity 1-2",
    "activity 1-3",
    "activity 1-4",
    "activity 1-5",
    "activity 1-6",
    "activity 1-7",
    "activity 2-1",
    "activity 2-2",
    "activity 2-3",
    "activity 2-4",
    "activity 3-1",
    "activity 3-2",
    "activity 3-3",
    "activity 3-4",
    "activity 4-1",
]
PARTNER_ITEMS = ["4.1", "5.1", "6.1", "activity 2-2", "activity 4-1"]


def map_json(engine, **filters):
    return map_data.cytoscape(engine, map_data.build(engine, map_data.Filters(**filters)))


def nodes(answer) -> dict[str, dict]:
    return {node["data"]["id"]: node["data"] for node in answer["elements"]["nodes"]}


def kinds(answer) -> dict[str, int]:
    return dict(Counter(data["kind"] for data in nodes(answer).values()))


def item_refs(answer) -> list[str]:
    return sorted(data["ref"] for data in nodes(answer).values() if data["kind"] == "item")


def roles(answer) -> dict[str, int]:
    return dict(Counter(edge["data"]["role"] for edge in answer["elements"]["edges"]))


def test_whole_map_has_every_item_agent_and_link(engine):
    answer = map_json(engine)
    assert answer["counts"] == {"nodes": 65, "edges": 91, "items": 30}
    assert kinds(answer) == {"business group": 5, "item": 30, "partner": 6, "person": 11, "post": 2, "unit": 11}
    assert item_refs(answer) == ITEMS_2007 + ACTIVITIES_2004
    assert roles(answer) == {"lead": 39, "supporting": 44, "partner": 8}
    assert answer["title"] == "Dependency map: both plans"


def test_business_groups_are_compound_nodes_holding_their_units_posts_and_people(engine):
    data = nodes(map_json(engine))
    assert data[ID + "unit/drugs-directorate"]["parent"] == SCD
    assert data[ID + "post/assistant-commissioner-specialist-crime"]["parent"] == SCD
    assert data[ID + "person/hitchcock"]["parent"] == SCD
    assert data[ID + "unit/borough-command-units"]["parent"] == TP
    assert data[ID + "unit/air-support-unit"]["parent"] == CO
    # Parents come before their children, and every parent is a business group node on the map.
    order = [node_id for node_id in data]
    for node_id, entry in data.items():
        if "parent" in entry:
            assert data[entry["parent"]]["kind"] == "business group"
            assert order.index(entry["parent"]) < order.index(node_id)
    assert data[SCD]["label"] == "Specialist Crime Directorate (SCD)"
    # Items and partner agencies belong to no group.
    assert not any("parent" in e for e in data.values() if e["kind"] in ("item", "partner"))


def test_jointly_owned_unit_stays_outside_the_boxes_and_names_its_three_owners(engine):
    office = nodes(map_json(engine))[ID + "unit/central-tasking-office"]
    assert "parent" not in office
    assert office["label"] == "Central Tasking Office (CO/SCD/TP)"
    assert office["groups"] == ["Central Operations", "Specialist Crime Directorate", "Territorial Policing"]


def test_edges_run_owner_to_item_to_partner(engine):
    edges = {
        (e["data"]["source"], e["data"]["role"], e["data"]["target"]) for e in map_json(engine)["elements"]["edges"]
    }
    assert (ID + "item/2007-10/5.1", "partner", ID + "partner/probation-service") in edges
    assert (ID + "post/assistant-commissioner-specialist-crime", "lead", ID + "item/2007-10/1.1") in edges
    assert (ID + "unit/middle-markets-drugs-project", "supporting", ID + "item/2007-10/1.1") in edges
    assert (ID + "person/hitchcock", "lead", ID + "activity/2004-5/4-1") in edges
    assert not any(role == "partner" and "/partner/" not in target for _, role, target in edges)


def test_analyses_marked_on_the_nodes(engine):
    answer = map_json(engine)
    data = nodes(answer)
    flagged = {
        node_id: node["classes"]
        for node_id, node in ((n["data"]["id"], n) for n in answer["elements"]["nodes"])
        if node["classes"]
    }
    assert flagged == {
        ID + "item/2007-10/7.1": "spof",
        ID + "unit/performance-information-and-improvement-unit": "critical",
    }
    assert (
        data[ID + "item/2007-10/7.1"]["single_point_of_failure"]
        == "only Performance Information and Improvement Unit supports it"
    )
    assert data[ID + "unit/performance-information-and-improvement-unit"]["critical"] == "sole supporting unit of 7.1"
    # Units grow with betweenness: Borough Command Units, the most central, is the largest.
    units = {e["label"]: e["size"] for e in data.values() if e["kind"] == "unit"}
    assert max(units, key=units.get) == "Borough Command Units"
    assert units["Borough Command Units"] == map_data.LARGEST
    assert units["Air Support Unit"] == map_data.SMALLEST
    assert data[ID + "item/2007-10/1.1"]["size"] == map_data.KIND_SIZE["item"]
    assert [u["label"] for u in answer["analyses"]["critical_units"]] == [
        "Performance Information and Improvement Unit"
    ]


def test_partner_exposure_lists_each_agency_its_items_and_their_owners(engine):
    exposure = map_json(engine)["analyses"]["partner_exposure"]
    # The same agencies and items, in the same order, as `graphsvc partners`.
    assert [(row["partner"]["label"], [item["ref"] for item in row["items"]]) for row in exposure] == [
        (agency["label"], [item["name"] for item in agency["items"]])
        for agency in dependencies.partners(engine)["partners"]
    ]
    assert exposure[-1]["partner"]["label"] == "Probation Service"
    probation = exposure[-1]["items"][0]
    assert [(o["label"], o["role"]) for o in probation["owners"]] == [
        ("Assistant Commissioner Specialist Crime", "lead"),
        ("Assistant Commissioner Territorial Policing", "lead"),
        ("Borough Command Units", "supporting"),
        ("Drugs Directorate", "supporting"),
        ("Performance Information and Improvement Unit", "supporting"),
    ]


def test_plan_filter(engine):
    answer = map_json(engine, plan="2007-10")
    assert item_refs(answer) == ITEMS_2007
    assert kinds(answer) == {"business group": 5, "item": 14, "partner": 5, "post": 2, "unit": 11}
    assert roles(answer) == {"lead": 21, "supporting": 44, "partner": 5}
    assert item_refs(map_json(engine, plan="2004-5")) == ACTIVITIES_2004


def test_strand_and_objective_filters(engine):
    strand = map_json(engine, plan="2007-10", strand="6")
    assert item_refs(strand) == ["6.1", "6.2", "6.3"]
    assert sorted(e["label"] for e in nodes(strand).values() if e["kind"] == "partner") == [
        "Drug Action Teams",
        "Home Office",
    ]
    assert strand["counts"] == {"nodes": 15, "edges": 16, "items": 3}
    objective = map_json(engine, plan="2004-5", strand="4")
    assert item_refs(objective) == ["activity 4-1"]
    assert sorted(e["label"] for e in nodes(objective).values() if e["kind"] != "item") == [
        "Cdr Hitchcock",
        "GOL",
        "Home Office",
        "Specialist Crime Directorate (SCD)",
    ]


def test_group_filter_keeps_what_the_group_answers_for(engine):
    answer = map_json(engine, plan="2007-10", group="SCD")
    assert item_refs(answer) == [ref for ref in ITEMS_2007 if ref != "6.3"]
    assert answer["title"] == "Dependency map: plan 2007-10, group SCD"


def test_role_filter_keeps_only_those_links_and_who_holds_them(engine):
    answer = map_json(engine, roles=("partner",))
    assert kinds(answer) == {"item": 5, "partner": 6}
    assert item_refs(answer) == PARTNER_ITEMS
    assert roles(answer) == {"partner": 8}
    leads = map_json(engine, plan="2004-5", roles=("lead",))
    assert roles(leads) == {"lead": 18}  # 16 activities, two of them (1-6, 2-1) with two leads
    assert set(kinds(leads)) == {"item", "person", "business group"}


def test_partners_only_keeps_items_with_an_outside_agency_and_everyone_on_them(engine):
    answer = map_json(engine, partners_only=True)
    assert item_refs(answer) == PARTNER_ITEMS
    assert kinds(answer) == {"business group": 4, "item": 5, "partner": 6, "person": 1, "post": 2, "unit": 6}
    assert roles(answer) == {"partner": 8, "lead": 8, "supporting": 10}
    assert answer["title"] == "Dependency map: both plans, items with partners only"


@pytest.mark.parametrize(
    "filters, message",
    [
        ({"plan": "2010"}, "unknown plan '2010': choose one of 2007-10, 2004-5"),
        ({"plan": "2004-5", "strand": "7"}, "unknown strand or objective '7' in plan 2004-5: choose one of 1, 2, 3, 4"),
        ({"roles": ("owner",)}, "unknown role 'owner': choose from lead, supporting, partner"),
        ({"group": "Nobody Here"}, "group: no unit, post or person called 'Nobody Here'"),
    ],
)
def test_filters_that_name_nothing_are_refused_with_what_would_do(engine, filters, message):
    with pytest.raises(map_data.MapFilterError) as error:
        map_data.build(engine, map_data.Filters(**filters))
    assert str(error.value).startswith(message)


def test_options_offer_every_plan_strand_objective_and_business_group(engine):
    options = map_data.options(engine)
    assert [p["id"] for p in options["plans"]] == ["2007-10", "2004-5"]
    assert [(s["plan"], s["id"]) for s in options["strands"]] == [("2007-10", str(n)) for n in range(1, 8)] + [
        ("2004-5", str(n)) for n in range(1, 5)
    ]
    assert sorted(g["id"] for g in options["groups"]) == ["CO", "DOR", "DPA", "SCD", "TP"]


def test_focus_is_the_items_a_node_is_on_with_everyone_on_them(engine):
    unit = map_json(engine, plan="2007-10", focus="unit/drugs-directorate")
    drugs = {data["label"] for data in nodes(unit).values()}
    assert "Drugs Directorate" in drugs
    view = map_data.build(engine, map_data.Filters(plan="2007-10", focus="unit/drugs-directorate"))
    items = {n for n, kind in view.network.nodes(data="kind") if kind == "item"}
    assert items and all(view.network.has_edge(ID + "unit/drugs-directorate", item) for item in items)
    item = map_data.build(engine, map_data.Filters(focus=ID + "item/2007-10/6.1"))
    assert sorted(
        item.network.nodes[n]["label"] for n in item.network if item.network.nodes[n]["kind"] == "partner"
    ) == [
        "Drug Action Teams",
        "Home Office",
    ]


def test_outline_is_partners_then_items_then_owners_with_the_focus_first(engine):
    view = map_data.build(engine, map_data.Filters(partners_only=True, focus="partner/home-office"))
    rows = map_data.outline(view, lambda iri: iri)
    assert [row["partner"]["label"] for row in rows] == ["Home Office", "Drug Action Teams", "GOL"]
    assert [item["ref"] for item in rows[0]["items"]] == ["activity 2-2", "activity 4-1", "6.1"]
    assert [(o["label"], o["role"], o["group"]) for o in rows[0]["items"][0]["owners"]] == [
        ("Cdr Hitchcock", "lead", "SCD")
    ]
    # Items with no partner agency come last, so the list holds every item the canvas draws.
    whole = map_data.outline(map_data.build(engine, map_data.Filters(plan="2007-10", strand="1")), str)
    assert whole[-1]["partner"] is None
    assert [item["ref"] for item in whole[-1]["items"]] == ["1.1", "1.2", "1.3"]
