"""/map.graphml used IRIs as node ids (the schema wants NMTOKENs, which have no slashes) and the
edge's role as its id (``lead`` 39 times). Ids are now n0.../e0..., each once; the IRI is data."""

from collections import Counter

import xml_schemas
from lxml import etree

from graphsvc.web.app import create_app

NS = "{http://graphml.graphdrawing.org/xmlns}"


def test_graphml_ids_are_valid_and_unique():
    data = create_app({"AUDIT": False}).test_client().get("/map.graphml").data
    assert xml_schemas.errors(xml_schemas.graphml(), data) == []
    root = etree.fromstring(data)
    edge_ids = Counter(edge.get("id") for edge in root.iter(NS + "edge"))
    assert edge_ids and edge_ids.most_common(1)[0][1] == 1
    assert all("/" not in node.get("id") for node in root.iter(NS + "node"))
