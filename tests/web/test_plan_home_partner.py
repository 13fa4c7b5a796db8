"""The three questions answered on the plan pages, the home page and the partner pages."""

import json
import re


def _json(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return json.loads(response.data)


def test_plan_2007_10_lists_strands_and_items_in_document_order_with_owner_and_verdict(client):
    page = _json(client, "/id/plan/2007-10.json")
    assert "figures" in page and "parts" in page  # the existing keys stay
    groups = page["plan_items"]["groups"]
    assert [g["ref"] for g in groups] == ["1", "2", "3", "4", "5", "6", "7"]
    refs = [i["ref"] for g in groups for i in g["items"]]
    assert refs[:4] == ["1.1", "1.2", "1.3", "2.1"] and len(refs) == 14
    by_ref = {i["ref"]: i for g in groups for i in g["items"]}
    assert [o["label"] for o in by_ref["1.3"]["leads"]] == ["Assistant Commissioner Specialist Crime"]
    assert by_ref["1.3"]["verdict"]["measurable"] is False
    assert by_ref["1.1"]["verdict"]["measurable"] is True
    assert {r for r, i in by_ref.items() if i["verdict"]["measurable"] is False} == {"1.2", "1.3", "3.1", "6.1", "6.2"}
    html = client.get("/id/plan/2007-10").get_data(as_text=True)
    assert html.index("Items, owners and measurability") < html.index("Every field")
    assert re.search(r'href="/id/item/2007-10/1.3">1.3</a>.*?not measurable', html, re.S)


def test_plan_2004_5_says_its_activities_have_no_measures(client):
    page = _json(client, "/id/plan/2004-5.json")
    groups = page["plan_items"]["groups"]
    assert groups[0]["kind"] == "objective" and groups[0]["items"][0]["name"] == "activity 1-1"
    first = groups[0]["items"][0]
    assert [o["label"] for o in first["leads"]] == ["Shona Pearce"]
    assert first["verdict"] == {
        "measurable": None,
        "text": "no success measures",
        "measures": 0,
        "measurable_measures": 0,
    }
    assert "16 of 16 items have a lead; 16 have no success measures at all" in client.get("/id/plan/2004-5").get_data(
        as_text=True
    )


def test_home_answers_the_three_questions(client):
    page = _json(client, "/index.json")
    assert {"figures", "questions", "organisation"} <= page.keys()
    answers = page["answers"]
    top = answers["accountable"]["owners"][0]
    assert (top["label"], top["lead"]) == ("Assistant Commissioner Territorial Policing", 13)
    coverage = answers["coverage"]
    assert (coverage["items"], coverage["with_lead"], coverage["without_measures"]) == (30, 30, 16)
    assert [i["ref"] for i in coverage["not_measurable"]] == ["1.2", "1.3", "3.1", "6.1", "6.2"]
    partners = {p["label"]: p["items"] for p in answers["dependencies"]["partners"]}
    assert partners["Home Office"] == 3 and answers["dependencies"]["items_with_partners"] == 5
    html = client.get("/").get_data(as_text=True)
    for question in (
        "Who is accountable for what?",
        "Does every item have an owner and a measurable outcome?",
        "Which units and outside agencies does each item depend on?",
    ):
        assert question in html
    assert html.index("Who is accountable for what?") < html.index("<h2>Plans</h2>")
    assert "30 of 30 items have a lead" in html and "5 of the 14 delivery items" in html
    assert 'href="/partners"' in html and 'href="/map"' in html and 'href="/id/partner/home-office"' in html


def test_home_office_page_lists_the_items_that_depend_on_it_and_their_owners(client):
    page = _json(client, "/id/partner/home-office.json")
    assert "referenced_by" in page  # the existing keys stay
    dependents = page["dependents"]
    assert dependents["text"].startswith("3 items depend on the Home Office, led by Cdr Hitchcock (2)")
    items = {i["name"]: i for i in dependents["items"]}
    assert set(items) == {"activity 2-2", "activity 4-1", "6.1"}
    assert [o["label"] for o in items["6.1"]["leads"]] == [
        "Assistant Commissioner Specialist Crime",
        "Assistant Commissioner Territorial Policing",
    ]
    assert [p["label"] for p in items["6.1"]["other_partners"]] == ["Drug Action Teams"]
    assert [p["label"] for p in items["activity 4-1"]["other_partners"]] == ["GOL"]
    html = client.get("/id/partner/home-office").get_data(as_text=True)
    assert "3 items depend on the Home Office" in html and 'href="/id/item/2007-10/6.1"' in html
