"""Every page, in every representation, and the errors people can run into."""

import json

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from graphsvc.namespaces import GS, ID

PAGES = [
    "/",
    "/partners",
    "/query",
    "/id/plan/2007-10",
    "/id/plan/2004-5",
    "/id/strand/2007-10/1",
    "/id/objective/2004-5/1",
    "/id/item/2007-10/1.1",
    "/id/activity/2004-5/1-3",
    "/id/measure/2007-10/1.1.2",
    "/id/partner/drug-action-teams",
    "/id/unit/scd",
    "/id/unit/central-tasking-office",
    "/id/post/assistant-commissioner-specialist-crime",
    "/id/person/hitchcock",
    "/id/organisation/mps",
    "/id/footnote/2007-10/7",
    "/id/indicator/spi-6b",
]
DATA_PAGES = {"/": "/index", "/partners": "/partners"}


@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_for_people(client, path):
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "<main>" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", [p for p in PAGES if p != "/query"])
@pytest.mark.parametrize(
    "suffix, media_type, parse",
    [
        (".json", "application/json", None),
        (".ttl", "text/turtle", "turtle"),
        (".jsonld", "application/ld+json", "json-ld"),
        (".nt", "application/n-triples", "nt"),
        (".rdf", "application/rdf+xml", "xml"),
    ],
)
def test_every_page_is_also_data(client, path, suffix, media_type, parse):
    response = client.get(DATA_PAGES.get(path, path) + suffix)
    assert response.status_code == 200 and response.mimetype == media_type
    if parse:
        assert len(Graph().parse(data=response.data, format=parse)) > 0
    else:
        assert json.loads(response.data)


@pytest.mark.parametrize(
    "accept, media_type",
    [
        ("text/html,application/xhtml+xml,*/*;q=0.8", "text/html"),
        ("text/turtle", "text/turtle"),
        ("application/ld+json", "application/ld+json"),
        ("application/rdf+xml;q=0.9, text/turtle;q=0.5", "application/rdf+xml"),
        ("application/json", "application/json"),
        ("*/*", "text/html"),
    ],
)
def test_the_graphs_iris_dereference_by_negotiation(client, accept, media_type):
    response = client.get("/id/item/2007-10/1.1", headers={"Accept": accept})
    assert response.mimetype == media_type and response.headers["Vary"] == "Accept"


def test_unacceptable_type_is_406(client):
    assert client.get("/id/item/2007-10/1.1", headers={"Accept": "image/png"}).status_code == 406


def test_rdf_of_an_item_describes_it_and_what_points_at_it(client):
    data = Graph().parse(data=client.get("/id/item/2007-10/1.1.ttl").data, format="turtle")
    item = ID["item/2007-10/1.1"]
    assert (item, SKOS.notation, Literal("1.1")) in data
    assert (ID["measure/2007-10/1.1.1"], URIRef("http://purl.org/dc/terms/isPartOf"), item) in data


def test_item_page_fields_both_ways_and_source(client):
    page = json.loads(client.get("/id/item/2007-10/1.1.json").data)
    assert page["kind"] == "item" and page["ref"] == "1.1"
    leads = {r["agent"]["label"] for r in page["responsibility"] if r["role"]["iri"] == str(GS.Lead)}
    assert leads == {"Assistant Commissioner Specialist Crime", "Assistant Commissioner Territorial Policing"}
    assert {p["ref"] for p in page["parts"] if p["kind"] == "success measure"} == {"1.1.1", "1.1.2", "1.1.3"}
    assert any(f["value"].get("href") == "/id/strand/2007-10/1" for f in page["fields"])  # up to its strand
    assert page["sources"][0]["line"] == 40
    assert page["sources"][0]["text"].startswith("1.1. | Target Criminal Networks")


def test_measure_page_gives_verdict_and_reason(client):
    page = json.loads(client.get("/id/measure/2007-10/1.1.3.json").data)
    assert page["verdict"]["measurability"]["iri"] == str(GS.NotMeasurable)
    assert page["verdict"]["reason"].startswith("Names no metric")
    html = client.get("/id/measure/2007-10/1.1.3").get_data(as_text=True)
    assert "Measurability:" in html and "Positive media coverage" in html


def test_measure_page_links_back_to_its_item(client):
    html = client.get("/id/measure/2007-10/1.1.2").get_data(as_text=True)
    assert 'href="/id/item/2007-10/1.1"' in html and 'href="/id/footnote/2007-10/1"' in html


def test_activity_without_ref_has_page_and_source(client):
    page = json.loads(client.get("/id/activity/2004-5/1-3.json").data)
    assert page["kind"] == "activity" and page["ref"] is None
    assert page["sources"][0]["file"] == "mps-priority-2004-5.txt" and page["sources"][0]["line"] == 12


def test_partner_page_lists_the_items_that_depend_on_it(client):
    page = json.loads(client.get("/id/partner/drug-action-teams.json").data)
    assert any(r["ref"] == "6.1" and r["role"]["iri"] == str(GS.Partner) for r in page["referenced_by"])


def test_accountability_page_for_a_business_group(client):
    page = json.loads(client.get("/id/unit/scd.json").data)
    answer = page["accountability"]
    assert page["kind"] == "business group" and answer["entity"]["label"] == "Specialist Crime Directorate"
    assert answer["summary"]["lead"] == len(answer["lead"]) > 0
    html = client.get("/id/unit/scd").get_data(as_text=True)
    assert "What is Specialist Crime Directorate accountable for?" in html
    assert 'href="/id/item/2007-10/1.1"' in html and "via " in html


def test_jointly_owned_unit_says_so(client):
    html = client.get("/id/unit/scd").get_data(as_text=True)
    assert "Central Tasking Office is jointly owned by" in html


def test_home_has_plans_search_and_questions(client):
    html = client.get("/").get_data(as_text=True)
    assert 'href="/id/plan/2007-10"' in html and 'href="/id/plan/2004-5"' in html
    assert 'name="q"' in html and 'href="/id/unit/scd"' in html and 'href="/validation"' in html
    figures = json.loads(client.get("/index.json").data)["figures"]
    assert {p["id"]: p["delivery_items"] for p in figures["by_plan"]} == {"2007-10": 14, "2004-5": 0}


def test_partners_page(client):
    page = json.loads(client.get("/partners.json").data)
    dat = next(p for p in page["partners"] if p["partner"]["label"] == "Drug Action Teams")
    assert "6.1" in {i["ref"] for i in dat["items"]}


def test_search_resolves_to_the_accountability_page(client):
    response = client.get("/search", query_string={"q": "SCD"})
    assert response.status_code == 303 and response.headers["Location"] == "/id/unit/scd"
    assert client.get("/search", query_string={"q": "Hitchcock"}).headers["Location"] == "/id/person/hitchcock"


def test_search_unknown_name_suggests(client):
    response = client.get("/search", query_string={"q": "Specialist Crim Directorat"})
    assert response.status_code == 200 and '<a href="/id/unit/scd">' in response.get_data(as_text=True)
    unknown = client.get("/search", query_string={"q": "Zebra Crossing Unit"})
    assert unknown.status_code == 404 and "no unit, post or person called" in unknown.get_data(as_text=True)


def test_search_without_text_is_400(client):
    assert client.get("/search?q=").status_code == 400


def test_suggest_as_you_type(client):
    found = json.loads(client.get("/suggest?q=SC").data)
    assert found[0]["label"] == "Specialist Crime Directorate" and found[0]["href"] == "/id/unit/scd"
    assert json.loads(client.get("/suggest?q=").data) == []


def test_unknown_iri_is_a_plain_404(client):
    response = client.get("/id/item/2007-10/99.9")
    assert response.status_code == 404 and "Traceback" not in response.get_data(as_text=True)
    assert "the graph says nothing about https://w3id.org/graphsvc/id/item/2007-10/99.9" in response.get_data(
        as_text=True
    )


def test_unknown_suffix_on_a_page_is_404(client):
    assert client.get("/index.xlsx").status_code == 404


def test_pages_need_no_javascript(client):
    """Everything but the editor is server-rendered: the search is a plain GET form."""
    html = client.get("/id/unit/scd").get_data(as_text=True)
    assert '<form class="search" action="/search" method="get"' in html


def test_query_page_has_the_editor_and_the_examples(client):
    html = client.get("/query").get_data(as_text=True)
    assert "yasgui/yasgui.min.js" in html and "cdn" not in html.lower()
    assert "What is SCD accountable for?" in html and "Which delivery items have no measurable success measure" in html
    assert client.get("/static/yasgui/yasgui.min.js").status_code == 200


def test_linked_nodes_show_their_label_or_title(client):
    html = client.get("/id/item/2007-10/1.1").get_data(as_text=True)
    assert (
        '<a href="/id/document/mps-drugs-strategy-2007-10">MPS Drugs Strategy 2007-10 &amp; Delivery Plan</a>' in html
    )


def test_footnotes_and_assumptions_read_by_name(client):
    plan = client.get("/id/plan/2004-5").get_data(as_text=True)
    assert '<a href="/id/footnote/2004-5/1">footnote 1</a>' in plan
    scd = client.get("/id/unit/scd").get_data(as_text=True)
    assert "Assistant Commissioner Specialist Crime is the post at the head of the Specialist Crime Directorate" in scd


def test_pages_on_the_rdflib_engine_too():
    """The pages' queries are plain SPARQL 1.1: rdflib's engine serves the same pages."""
    from graphsvc.engine import graph
    from graphsvc.web.app import create_app

    rdflib_client = create_app({"GRAPH": graph.default(), "ENGINE": "rdflib", "AUDIT": False}).test_client()
    for path in ["/id/strand/2007-10/6.json", "/partners.json", "/id/unit/scd.json"]:
        assert rdflib_client.get(path).status_code == 200
    strand = json.loads(rdflib_client.get("/id/strand/2007-10/6.json").data)
    item_61 = next(p for p in strand["parts"] if p["ref"] == "6.1")
    assert item_61["leads"] == [
        "Assistant Commissioner Specialist Crime",
        "Assistant Commissioner Territorial Policing",
    ]


def test_plan_page_has_its_figures(client):
    page = json.loads(client.get("/id/plan/2007-10.json").data)
    assert page["figures"] == {
        "strands": 7,
        "objectives": 0,
        "delivery items": 14,
        "activities": 0,
        "actions": 48,
        "success measures": 28,
    }
    assert "7 strands, 14 delivery items, 48 actions, 28 success measures." in client.get("/id/plan/2007-10").get_data(
        as_text=True
    )


def test_search_ambiguous_name_lists_the_candidates(client):
    response = client.get("/search", query_string={"q": "Cdr"})
    html = response.get_data(as_text=True)
    assert response.status_code == 300 and "Did you mean" in html
    assert (
        '<a href="/id/person/hitchcock">Cdr Hitchcock</a>' in html
        and '<a href="/id/person/smith">Cdr Smith</a>' in html
    )
