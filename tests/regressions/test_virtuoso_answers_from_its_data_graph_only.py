"""Pointed at Virtuoso's /sparql, the home page counted 8,110 triples: its default graph is every
graph it holds, its system graphs too. Named in the endpoint URL (`default-graph-uri`), the graph
holding the plans is the only one any answer reads."""

from urllib.parse import parse_qs, urlsplit

from graphsvc.engine import graph
from graphsvc.engine.engines import RemoteEngine
from graphsvc.web.app import create_app


def test_the_figures_count_the_plans_only(virtuoso):
    endpoint = virtuoso["built-in"]
    assert parse_qs(urlsplit(endpoint).query)["default-graph-uri"]
    figures = create_app({"SPARQL_ENDPOINT": endpoint, "AUDIT": False}).test_client().get("/index.json").get_json()
    assert figures["figures"]["triples"] == len(graph.default())
    everything = RemoteEngine(endpoint.split("?")[0]).triple_count()
    assert everything > len(graph.default())  # what the URL without the graph would have counted
