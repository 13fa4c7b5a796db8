"""/map.gexf was invalid against the GEXF schema it declares: networkx writes ``graph/@name``,
which GEXF 1.2 does not have. The title now goes in ``meta/description``."""

import xml_schemas
from lxml import etree

from graphsvc.web.app import create_app

NS = "{http://www.gexf.net/1.2draft}"


def test_gexf_is_valid_and_keeps_its_title():
    data = create_app({"AUDIT": False}).test_client().get("/map.gexf").data
    assert xml_schemas.gexf_errors(data) == []
    root = etree.fromstring(data)
    assert root.find(NS + "graph").get("name") is None
    assert root.findtext(f"{NS}meta/{NS}description") == "graphsvc delivery network"
