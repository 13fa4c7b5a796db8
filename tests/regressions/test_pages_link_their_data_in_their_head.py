"""HTML pages named their data only in a footer: no <link rel="alternate" type=...> that a
program or a crawler reads. Every page's head now links each of its representations."""

import re

from graphsvc.web.app import create_app


def test_item_page_head_links_json_and_turtle():
    html = create_app({"AUDIT": False}).test_client().get("/id/item/2007-10/1.1").get_data(as_text=True)
    head = html.split("</head>", 1)[0]
    links = dict(re.findall(r'<link rel="alternate" type="([^"]+)" href="([^"]+)"', head))
    assert links["application/json"] == "/id/item/2007-10/1.1.json"
    assert links["text/turtle"] == "/id/item/2007-10/1.1.ttl"
