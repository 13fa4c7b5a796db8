"""`graphsvc --sparql-endpoint URL info` printed the built-in graph's figures, not the endpoint's."""

import json

import oxigraph_server
from click.testing import CliRunner
from rdflib import Graph

from graphsvc import resources
from graphsvc.cli import main
from graphsvc.engine import session


def test_info_counts_what_the_endpoint_holds(tmp_path):
    one_plan = Graph()
    for path in resources.ontology_files() + [p for p in resources.data_files() if "2004-5" in p.name]:
        one_plan.parse(path)
    dump = tmp_path / "one-plan.nt"
    one_plan.serialize(dump, format="nt", encoding="utf-8")
    try:
        with oxigraph_server.running(tmp_path, [dump]) as endpoint:
            result = CliRunner().invoke(main, ["--sparql-endpoint", endpoint, "info", "--format", "json"])
    finally:
        session.configure()
    figures = json.loads(result.stdout)
    assert figures["triples"] == len(one_plan)
    assert [plan["id"] for plan in figures["by_plan"]] == ["2004-5"]
