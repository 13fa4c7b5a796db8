"""/map.gexf and /map.graphml are valid against the official schemas (vendored, checked offline)
and say what /map.json says: every node, every edge in the same direction, unique ids."""

import io
from collections import Counter

import networkx as nx
import pytest
import xml_schemas
from lxml import etree

from graphsvc.web.app import create_app

VIEWS = ["", "?plan=2007-10&group=SCD", "?plan=2004-5&role=lead,partner&partners_only=1", "?role=partner"]


@pytest.fixture(scope="module")
def client():
    return create_app({"AUDIT": False}).test_client()


@pytest.mark.parametrize("query", VIEWS)
def test_graphml_is_valid_against_the_graphml_schema(client, query):
    assert xml_schemas.errors(xml_schemas.graphml(), client.get("/map.graphml" + query).data) == []


@pytest.mark.parametrize("query", VIEWS)
def test_gexf_is_valid_against_the_gexf_schema(client, query):
    assert xml_schemas.gexf_errors(client.get("/map.gexf" + query).data) == []


def test_the_schemas_do_catch_an_invalid_file(client):
    """The validation can fail: a colour channel past 255 and an IRI as a GraphML id are refused."""
    gexf = client.get("/map.gexf").data.replace(b'r="238"', b'r="300"', 1)
    assert any("r" in error for error in xml_schemas.gexf_errors(gexf))
    graphml = client.get("/map.graphml").data.replace(b'<node id="n0"', b'<node id="https://x/y"', 1)
    assert xml_schemas.errors(xml_schemas.graphml(), graphml)


def _by_iri(net: nx.MultiDiGraph) -> tuple[set[str], Counter]:
    nodes = {data["iri"] for _, data in net.nodes(data=True)}
    iri = {node: data["iri"] for node, data in net.nodes(data=True)}
    edges = Counter((iri[s], role, iri[t]) for s, t, role in net.edges(data="role"))
    return nodes, edges


@pytest.mark.parametrize("query", VIEWS)
@pytest.mark.parametrize("output_format, read", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graph_files_hold_the_map_jsons_nodes_and_edges(client, query, output_format, read):
    elements = client.get("/map.json" + query).get_json()["elements"]
    nodes = {node["data"]["id"] for node in elements["nodes"]}
    edges = Counter((e["data"]["source"], e["data"]["role"], e["data"]["target"]) for e in elements["edges"])
    assert _by_iri(read(io.BytesIO(client.get(f"/map.{output_format}{query}").data))) == (nodes, edges)


@pytest.mark.parametrize("output_format", ["graphml", "gexf"])
def test_ids_are_unique(client, output_format):
    root = etree.fromstring(client.get(f"/map.{output_format}").data)
    for tag in ("node", "edge"):
        ids = [element.get("id") for element in root.iter(f"{{{root.nsmap[None]}}}{tag}")]
        assert ids and len(ids) == len(set(ids)), tag
