"""/map, /map.json and the exports through Flask's test client, and `graphsvc map --format svg`."""

import io
import re
import xml.etree.ElementTree as ET

import networkx as nx
from click.testing import CliRunner

from graphsvc.cli import main

ID = "https://w3id.org/graphsvc/id/"


def test_page_loads_cytoscape_and_its_layouts_from_the_package_not_a_cdn(client):
    page = client.get("/map")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert [s for s in scripts if "/vendor/" in s or "/map/" in s] == [
        "/static/vendor/cytoscape/cytoscape.min.js",
        "/static/vendor/cytoscape/layout-base.js",
        "/static/vendor/cytoscape/cose-base.js",
        "/static/vendor/cytoscape/cytoscape-fcose.js",
        "/static/vendor/cytoscape/cytoscape-dagre.min.js",
        "/static/map/svg_export.js",
        "/static/map/map.js",
    ]
    assert not [s for s in scripts if s.startswith(("http:", "https:", "//"))]
    for script in scripts:
        assert client.get(script).status_code == 200, script
    assert 'data-json="/map.json"' in html


def test_json_endpoint_honours_the_filters_as_query_parameters(client):
    whole = client.get("/map.json").get_json()
    assert whole["counts"] == {"nodes": 65, "edges": 91, "items": 30}
    strand = client.get("/map.json?plan=2007-10&strand=6").get_json()
    assert sorted(n["data"]["ref"] for n in strand["elements"]["nodes"] if n["data"]["kind"] == "item") == [
        "6.1",
        "6.2",
        "6.3",
    ]
    assert strand["filters"] == {
        "plan": "2007-10",
        "strand": "6",
        "group": None,
        "role": ["lead", "supporting", "partner"],
        "partners_only": False,
    }
    # role repeats or takes a comma list; partners_only takes 1/true/yes/on.
    for query in ("role=lead&role=supporting", "role=lead,supporting"):
        answer = client.get(f"/map.json?plan=2004-5&{query}").get_json()
        assert {e["data"]["role"] for e in answer["elements"]["edges"]} == {"lead"}
        assert answer["filters"]["role"] == ["lead", "supporting"]
    partners = client.get("/map.json?partners_only=true").get_json()
    assert partners["counts"] == {"nodes": 24, "edges": 26, "items": 5}
    group = client.get("/map.json?group=SCD&plan=2007-10").get_json()
    assert group["counts"]["items"] == 13


def test_json_nodes_link_to_their_pages(client):
    data = {n["data"]["id"]: n["data"] for n in client.get("/map.json").get_json()["elements"]["nodes"]}
    assert data[ID + "item/2007-10/1.1"]["href"] == "/id/item/2007-10/1.1"
    assert data[ID + "partner/home-office"]["href"] == "/id/partner/home-office"
    assert client.get("/id/partner/home-office", headers={"Accept": "text/html"}).status_code == 200


def test_bad_filters_are_a_400_saying_what_would_do(client):
    answer = client.get("/map.json?plan=2011")
    assert answer.status_code == 400
    assert answer.get_json() == {"error": "unknown plan '2011': choose one of 2007-10, 2004-5"}
    assert client.get("/map.json?role=boss").get_json() == {
        "error": "unknown role 'boss': choose from lead, supporting, partner"
    }
    export = client.get("/map.graphml?strand=12")
    assert export.status_code == 400
    assert export.get_data(as_text=True) == "unknown strand or objective '12': choose one of 1, 2, 3, 4, 5, 6, 7\n"


def test_graphml_and_gexf_exports_are_the_filtered_view_with_the_analyses(client):
    answer = client.get("/map.graphml?plan=2007-10&strand=7")
    assert answer.status_code == 200
    assert answer.headers["Content-Disposition"] == 'attachment; filename="dependency-map.graphml"'
    net = nx.read_graphml(io.BytesIO(answer.data))
    net = nx.relabel_nodes(net, {node: data["iri"] for node, data in net.nodes(data=True)})  # ids are n0, n1...
    assert sorted(net.nodes[n]["label"] for n in net if net.nodes[n]["kind"] == "item") == [
        "7.1 Increase the number and amount of assets seized and subsequent confiscations."
    ]
    assert (
        net.nodes[ID + "item/2007-10/7.1"]["single_point_of_failure"]
        == "only Performance Information and Improvement Unit supports it"
    )
    gexf = client.get("/map.gexf?role=partner")
    assert gexf.mimetype == "application/gexf+xml"
    partners = nx.read_gexf(io.BytesIO(gexf.data))
    assert (partners.number_of_nodes(), partners.number_of_edges()) == (11, 8)


def test_svg_of_the_view_is_drawn_on_the_server(client):
    answer = client.get("/map.svg?plan=2004-5&strand=4")
    assert answer.mimetype == "image/svg+xml"
    svg = ET.fromstring(answer.data)
    texts = {t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")}
    assert {
        "Dependency map: plan 2004-5, strand/objective 4",
        "activity 4-1",
        "GOL",
        "Home Office",
        "Cdr Hitchcock",
    } <= texts


def test_graphsvc_map_format_svg_draws_the_same_picture_without_a_browser(tmp_path):
    out = tmp_path / "map.svg"
    result = CliRunner().invoke(main, ["map", "--format", "svg", "--plan", "2007-10", "--out", str(out)])
    assert result.exit_code == 0, result.output
    svg = ET.parse(out).getroot()
    texts = {t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")}
    assert {
        "Dependency map: plan 2007-10",
        "Specialist Crime Directorate (SCD)",
        "Territorial Policing (TP)",
        "Probation Service",
        "7.1",
        "Legend",
    } <= texts
    # The single point of failure (7.1) is drawn with the flag colour.
    assert 'stroke="#d0261b"' in out.read_text(encoding="utf-8")
    refused = CliRunner().invoke(main, ["map", "--format", "svg", "--plan", "2004-5", "--strand", "9"])
    assert refused.exit_code == 1
    assert "no items match those filters" in refused.output


def test_focus_narrows_the_json_and_the_exports_to_a_nodes_neighbourhood(client):
    answer = client.get("/map.json?focus=partner/home-office").get_json()
    assert answer["focus"] == {
        "id": "partner/home-office",
        "iri": ID + "partner/home-office",
        "label": "Home Office",
        "kind": "partner",
    }
    assert sorted(n["data"]["ref"] for n in answer["elements"]["nodes"] if n["data"]["kind"] == "item") == [
        "6.1",
        "activity 2-2",
        "activity 4-1",
    ]
    assert answer["title"] == "Dependency map: both plans, focus on Home Office"
    assert answer["filters"]["partners_only"] is False  # the filters' keys are as before
    assert client.get("/map.json").get_json()["focus"] is None
    net = nx.read_graphml(io.BytesIO(client.get("/map.graphml?focus=/id/partner/home-office").data))
    assert sorted(net.nodes[n]["label"].split()[0] for n in net if net.nodes[n]["kind"] == "item") == [
        "6.1",
        "activity",
        "activity",
    ]


def test_a_focus_that_names_nothing_is_a_400_saying_what_would_do(client):
    answer = client.get("/map.json?focus=partner/nobody")
    assert answer.status_code == 400
    assert answer.get_json()["error"].startswith("focus 'partner/nobody' is not a node in the map")
    # Drugs Directorate owns no 2004-5 activity: it is in the map, not in that plan.
    elsewhere = client.get("/map.json?plan=2004-5&focus=unit/drugs-directorate").get_json()["error"]
    assert "not a node in this plan, strand or group" in elsewhere
    page = client.get("/map?focus=partner/nobody")
    assert page.status_code == 400
    assert "is not a node in the map" in page.get_data(as_text=True)


def test_page_opens_on_the_partner_view_as_a_list_without_javascript(client):
    html = client.get("/map").get_data(as_text=True)
    assert 'name="partners_only" value="1" checked' in html
    assert '<option value="columns" selected>' in html
    # The list: partners > items > owners, each a link that focuses the map and keeps the filters.
    assert html.count('class="map-partner"') == 6
    assert '<a href="/map?focus=partner/home-office" data-focus="partner/home-office">Home Office</a>' in html
    focused = client.get("/map?plan=2007-10&focus=partner/home-office").get_data(as_text=True)
    assert '<h2 id="map-list-title">Around Home Office</h2>' in focused
    assert '<a id="map-unfocus" href="/map?plan=2007-10">Back to the whole view</a>' in focused
    assert 'href="/map?plan=2007-10&amp;focus=item/2007-10/6.1"' in focused
    assert "activity 2-2" not in focused  # a 2004-5 activity, outside the plan
