"""Person, post, unit and organisation pages labelled their type "footnote " on Virtuoso, which made
CONCAT("footnote ", ?marker) of an unbound marker "footnote " (SPARQL makes it an error that COALESCE
skips), even behind IF(BOUND(?marker)). The page now writes "footnote 1" itself from the marker."""

from graphsvc.engine import graph
from graphsvc.web.app import create_app


def _labels(client, path):
    page = client.get(path).get_json()
    return {f["value"]["iri"]: f["value"]["label"] for f in page["fields"] if "iri" in f["value"]}


def test_a_type_is_labelled_by_its_name_and_a_footnote_by_its_marker(virtuoso):
    clients = [
        create_app({"SPARQL_ENDPOINT": virtuoso["built-in"], "AUDIT": False}).test_client(),
        create_app({"GRAPH": graph.default(), "AUDIT": False}).test_client(),
    ]
    for client in clients:
        person = _labels(client, "/id/person/hitchcock.json")
        assert person["http://xmlns.com/foaf/0.1/Person"] == "foaf:Person"
        assert "footnote " not in person.values()
        measure = _labels(client, "/id/measure/2007-10/1.1.2.json")
        assert measure["https://w3id.org/graphsvc/id/footnote/2007-10/1"] == "footnote 1"
    assert _labels(clients[0], "/id/post/head-of-siu.json") == _labels(clients[1], "/id/post/head-of-siu.json")
