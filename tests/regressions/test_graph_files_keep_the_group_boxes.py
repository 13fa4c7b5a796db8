"""/map.graphml and /map.gexf dropped the three business groups that the map draws only as boxes
(62 nodes where /map.json has 65). They now hold every node of /map.json."""

import io

import networkx as nx

from graphsvc.web.app import create_app


def test_every_map_node_is_in_the_graph_files():
    client = create_app({"AUDIT": False}).test_client()
    shown = {node["data"]["id"] for node in client.get("/map.json").get_json()["elements"]["nodes"]}
    assert len(shown) == 65
    for output_format, read in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        net = read(io.BytesIO(client.get(f"/map.{output_format}").data))
        assert {data["iri"] for _, data in net.nodes(data=True)} == shown, output_format
