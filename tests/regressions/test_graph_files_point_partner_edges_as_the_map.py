"""/map.graphml and /map.gexf pointed partner edges partner -> item, the other way from /map.json
(item -> partner). Every edge of the graph files now runs as the map draws it."""

import io

import networkx as nx

from graphsvc.web.app import create_app


def test_partner_edges_run_from_item_to_partner():
    client = create_app({"AUDIT": False}).test_client()
    edges = client.get("/map.json?role=partner").get_json()["elements"]["edges"]
    expected = {(e["data"]["source"], e["data"]["target"]) for e in edges}
    assert expected and all("/partner/" in target for _, target in expected)
    for output_format, read in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        net = read(io.BytesIO(client.get(f"/map.{output_format}?role=partner").data))
        iri = dict(net.nodes(data="iri"))
        assert {(iri[s], iri[t]) for s, t in net.edges()} == expected, output_format
