"""A request naming the default graph in `default-graph-uri` was refused with 400, so the W3C
protocol query tests could not pass as written (all six positive ones send it). Naming the served
graph (DEFAULT_GRAPH_IRIS) is now accepted; another graph, or a named-graph-uri, is still refused."""

import json

SELECT = "SELECT (COUNT(?plan) AS ?plans) WHERE { ?plan a <https://w3id.org/graphsvc/def#Plan> }"


def _get(client, **parameters):
    return client.get("/sparql", query_string={"query": SELECT, **parameters})


def test_naming_the_served_graph_is_accepted(client):
    response = _get(client, **{"default-graph-uri": "https://w3id.org/graphsvc/"})
    assert response.status_code == 200
    assert json.loads(response.data)["results"]["bindings"][0]["plans"]["value"] == "2"


def test_naming_it_in_a_form_post_is_accepted(client):
    body = "default-graph-uri=https%3A%2F%2Fw3id.org%2Fgraphsvc%2F&query=ASK%7B%7D"
    response = client.post("/sparql", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200 and json.loads(response.data)["boolean"] is True


def test_another_graph_is_refused_and_the_served_one_named(client):
    response = _get(client, **{"default-graph-uri": "http://example.org/g"})
    assert response.status_code == 400
    assert response.get_data(as_text=True) == (
        "default-graph-uri <http://example.org/g> refused: this endpoint answers from its one default graph, "
        "named <https://w3id.org/graphsvc/>\n"
    )
