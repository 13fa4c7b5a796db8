"""An item page leads with its verdict: owner and through whom, measurable outcome and why,
partners, dates, progress, caveats, open findings, and the trail back to its strand and plan."""

import json

import pytest


def _verdict(client, path):
    return json.loads(client.get(path + ".json").data)["verdict"]


def test_item_without_a_measurable_outcome(client):
    verdict = _verdict(client, "/id/item/2007-10/1.3")
    assert verdict["owner"]["text"] == (
        "Led by Assistant Commissioner Specialist Crime (post in SCD);"
        " so it counts for Specialist Crime Directorate (SCD) and Metropolitan Police Service (MPS)"
    )
    assert verdict["measurable"]["answer"] == "no"
    assert verdict["measurable"]["text"] == "No: none of its 3 success measures is measurable"
    assert [m["measurability"] for m in verdict["measurable"]["measures"]] == ["not measurable"] * 3
    assert verdict["measurable"]["measures"][0]["reason"].startswith("Names outputs")
    checks = [(f["severity"], f["check"]) for f in verdict["findings"]]
    assert ("Violation", "quality:ItemMeasurableOutcome") in checks and len(checks) == 4
    html = client.get("/id/item/2007-10/1.3").get_data(as_text=True)
    assert html.index("Verdict") < html.index("<summary>All data</summary>") < html.index("Every field")
    assert "No: none of its 3 success measures is measurable." in html
    assert "What would fix it: Give one of the success measures of delivery item 1.3" in html


def test_measurable_item(client):
    verdict = _verdict(client, "/id/item/2007-10/1.1")
    assert verdict["measurable"] == {
        **verdict["measurable"],
        "answer": "yes",
        "text": "Yes: 1.1.1 is directional and 1.1.2 is directional",
    }
    assert {lead["label"] for lead in verdict["owner"]["leads"]} == {
        "Assistant Commissioner Specialist Crime",
        "Assistant Commissioner Territorial Policing",
    }
    assert [a["name"] for a in verdict["owner"]["counts_for"]][:2] == [
        "Specialist Crime Directorate (SCD)",
        "Territorial Policing (TP)",
    ]


def test_funding_caveat_of_61_in_words(client):
    verdict = _verdict(client, "/id/item/2007-10/6.1")
    [caveat] = verdict["caveats"]
    assert caveat["text"].startswith("Subject to Home Office funding. It has been confirmed that there is no funding")
    assert caveat["href"] == "/id/action/2007-10/6.1-3"
    assert {p["label"] for p in verdict["partners"]} == {"Drug Action Teams", "Home Office"}
    html = client.get("/id/item/2007-10/6.1").get_data(as_text=True)
    assert "<strong>Subject to Home Office funding. It has been confirmed" in html


@pytest.mark.parametrize(
    ("path", "trail"),
    [
        ("/id/item/2007-10/1.3", ["/id/plan/2007-10", "/id/strand/2007-10/1", None]),
        ("/id/activity/2004-5/1-3", ["/id/plan/2004-5", "/id/objective/2004-5/1", None]),
    ],
)
def test_trail_links_back_to_strand_and_plan(client, path, trail):
    verdict = _verdict(client, path)
    assert [step["href"] for step in verdict["trail"]] == trail
    for href in trail[:2]:
        assert client.get(href).status_code == 200
    html = client.get(path).get_data(as_text=True)
    assert f'<nav class="trail" aria-label="Where this sits"><a href="{trail[0]}">' in html


def test_activity_verdict(client):
    verdict = _verdict(client, "/id/activity/2004-5/1-3")
    assert verdict["measurable"]["answer"] is None
    assert verdict["target_date"] == "2004-04-30"
    assert verdict["progress"] == "none printed (the plan's progress column is empty)"
    assert [f["check"] for f in verdict["findings"]] == ["quality:PastDueWithoutProgress"]


def test_page_json_keeps_its_keys(client):
    page = json.loads(client.get("/id/item/2007-10/1.3.json").data)
    assert {"iri", "kind", "title", "ref", "verdict", "fields", "parts", "responsibility", "sources"} <= set(page)


def test_item_counts_for_the_owners_the_audit_counts_it_for(client):
    """One roll-up: the owners an item page says it counts for are those /validation counts its
    findings for (2004-5 activity 2-1, led by two units, and item 1.3, led by a post)."""
    report = json.loads(client.get("/validation.json").data)
    for path in ("/id/activity/2004-5/2-1", "/id/item/2007-10/1.3"):
        owner = _verdict(client, path)["owner"]
        page = [lead["label"] for lead in owner["leads"]] + [a["name"] for a in owner["counts_for"]]
        audit = {name for r in report["results"] if r["href"] == path for name in r["accountable"]}
        assert len(page) >= 3 and set(page) == audit


def test_an_activity_is_not_judged_in_the_same_words_everywhere(client):
    """One wording: the item page, the accountability answer and the browse table say why a 2004-5
    activity gets no measurability verdict in the words of graphsvc.answers.verdicts."""
    from graphsvc.answers.verdicts import ACTIVITY_WHY, NO_MEASURES

    assert _verdict(client, "/id/activity/2004-5/1-1")["measurable"]["text"] == f"Not asked: {ACTIVITY_WHY}"
    answer = json.loads(client.get("/id/person/shona-pearce.json").data)["accountability"]
    activity = next(item for item in answer["lead"] if item["iri"].endswith("/activity/2004-5/1-1"))
    assert (activity["verdict"], activity["reason"]) == (NO_MEASURES, ACTIVITY_WHY)
    page = json.loads(client.get("/id/plan/2004-5.json").data)["plan_items"]["groups"][0]["items"][0]
    assert page["verdict"]["text"] == NO_MEASURES


def test_the_trail_names_an_activity_once(client):
    """The trail ended "Activity activity 1-5": an activity's name already says its kind."""
    import json

    labels = [step["label"] for step in json.loads(client.get("/id/activity/2004-5/1-5.json").data)["verdict"]["trail"]]
    assert labels[-1] == "Activity 1-5"
    item = json.loads(client.get("/id/item/2007-10/1.1.json").data)["verdict"]["trail"]
    assert item[-1]["label"] == "Delivery item 1.1"
