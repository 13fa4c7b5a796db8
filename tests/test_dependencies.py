"""Partner dependencies, the delivery network and its analyses, the map exports and `graphsvc query`."""

import csv
import io
import json

import networkx as nx
import pytest
from click.testing import CliRunner

from graphsvc.answers import dependencies
from graphsvc.cli import main

ID = "https://w3id.org/graphsvc/id/"
PIIU = ID + "unit/performance-information-and-improvement-unit"


@pytest.fixture(scope="module")
def net(engine):
    return dependencies.network(engine)


def test_every_partner_with_the_items_that_depend_on_it(engine):
    answer = dependencies.partners(engine)
    assert [(p["label"], [i["name"] for i in p["items"]]) for p in answer["partners"]] == [
        ("Drug Action Teams", ["6.1"]),
        ("estate agencies", ["4.1"]),
        ("GOL", ["activity 4-1"]),
        ("Home Office", ["activity 2-2", "activity 4-1", "6.1"]),
        ("power companies", ["4.1"]),
        ("Probation Service", ["5.1"]),
    ]
    assert answer["summary"] == {"partners": 6, "items": 30, "items_with_partners": 5}


def test_partner_items_name_their_internal_owners(engine):
    power = next(p for p in dependencies.partners(engine)["partners"] if p["label"] == "power companies")
    item = power["items"][0]
    assert (item["as_written"], item["stated_in"]) == ("power companies", ID + "action/2007-10/4.1-3")
    assert [(o["role"], o["where"]) for o in item["owners"]] == [
        ("lead", "Assistant Commissioner Specialist Crime (post in SCD)"),
        ("lead", "Assistant Commissioner Territorial Policing (post in TP)"),
        ("supporting", "Air Support Unit (CO)"),
        ("supporting", "Borough Command Units (TP)"),
        ("supporting", "Central Property Services (DOR)"),
        ("supporting", "Intelligence Development and Analysis Unit (SCD)"),
    ]


def test_every_item_with_its_external_dependencies(engine):
    items = dependencies.partners(engine)["items"]
    assert len(items) == 30
    assert {i["name"]: [p["label"] for p in i["partners"]] for i in items if i["partners"]} == {
        "activity 2-2": ["Home Office"],
        "activity 4-1": ["GOL", "Home Office"],
        "4.1": ["estate agencies", "power companies"],
        "5.1": ["Probation Service"],
        "6.1": ["Drug Action Teams", "Home Office"],
    }


def test_network_nodes_are_typed_and_edges_carry_the_role(net):
    kinds = {}
    for _, kind in net.nodes(data="kind"):
        kinds[kind] = kinds.get(kind, 0) + 1
    assert kinds == {"item": 30, "unit": 11, "business group": 2, "post": 2, "person": 11, "partner": 6}
    roles = {}
    for *_, role in net.edges(data="role"):
        roles[role] = roles.get(role, 0) + 1
    assert roles == {"lead": 39, "supporting": 44, "partner": 8}
    cto = net.nodes[ID + "unit/central-tasking-office"]
    assert (cto["label"], cto["kind"], cto["group"]) == ("Central Tasking Office", "unit", "CO/SCD/TP")
    assert net.nodes[ID + "person/hitchcock"]["group"] == "SCD"
    assert net.nodes[ID + "person/griffiths"]["group"] == "MPS"
    assert net.has_edge(ID + "unit/drugs-directorate", ID + "item/2007-10/1.3", key="supporting")


def test_analyses(net):
    result = dependencies.analyses(net)
    assert [(s["ref"], s["unit"]["iri"]) for s in result["single_points_of_failure"]] == [("7.1", PIIU)]
    assert [(u["iri"], u["items"]) for u in result["critical_units"]] == [(PIIU, ["7.1"])]
    assert len(result["unsupported_items"]) == 16 and all(
        r.startswith("activity ") for r in result["unsupported_items"]
    )
    assert [u["label"] for u in result["betweenness"][:3]] == [
        "Borough Command Units",
        "Intelligence Development and Analysis Unit",
        "Drugs Directorate",
    ]
    assert [([u["label"] for u in p["units"]], p["items"]) for p in result["co_delivery"][:2]] == [
        (["Borough Command Units", "Drugs Directorate"], ["3.1", "5.1", "5.2", "6.1", "6.2"]),
        (["Borough Command Units", "Intelligence Development and Analysis Unit"], ["1.1", "1.2", "2.2", "4.1", "6.1"]),
    ]


def test_betweenness_is_exact_on_the_built_in_plans(net):
    method = dependencies.analyses(net)["betweenness_method"]
    assert method == {"method": "exact", "nodes": net.number_of_nodes()}
    exact = nx.betweenness_centrality(nx.Graph(net))
    assert {u["iri"]: u["betweenness"] for u in dependencies.analyses(net, top=100)["betweenness"]} == {
        n: round(v, 4) for n, v in exact.items() if net.nodes[n]["kind"] in dependencies.UNIT_KINDS
    }


def test_betweenness_is_sampled_and_repeatable_above_the_bound(net, monkeypatch):
    monkeypatch.setattr(dependencies, "EXACT_BETWEENNESS_UP_TO", 20)
    monkeypatch.setattr(dependencies, "BETWEENNESS_SOURCES", 30)
    first, again = dependencies.analyses(net, top=100), dependencies.analyses(net, top=100)
    assert first["betweenness_method"] == {
        "method": "sampled",
        "nodes": net.number_of_nodes(),
        "sources": 30,
        "seed": dependencies.BETWEENNESS_SEED,
    }
    assert first["betweenness"] == again["betweenness"]
    copied = dependencies.analyses(nx.MultiDiGraph(net), top=100)  # the same network built anew: same sample
    assert copied["betweenness"] == first["betweenness"]
    monkeypatch.setattr(dependencies, "EXACT_BETWEENNESS_UP_TO", 1_000)
    assert dependencies.analyses(net, top=100)["betweenness"] != first["betweenness"]


def test_network_filters(engine):
    strand = dependencies.network(engine, plan="2007-10", strand="1")
    assert sorted(n for n, kind in strand.nodes(data="kind") if kind == "item") == [
        ID + "item/2007-10/1.1",
        ID + "item/2007-10/1.2",
        ID + "item/2007-10/1.3",
    ]
    dor = dependencies.network(engine, group="DOR")
    assert sorted(d["ref"] for _, d in dor.nodes(data=True) if d["kind"] == "item") == ["3.1", "4.1"]
    assert ID + "unit/air-support-unit" in dor  # co-deliverers of the group's items stay visible


@pytest.mark.parametrize(
    "output_format, read",
    [
        ("graphml", nx.read_graphml),
        ("gexf", nx.read_gexf),
        ("cyjs", lambda path: nx.cytoscape_graph(json.loads(open(path, encoding="utf-8").read()))),
    ],
)
def test_map_exports_read_back(tmp_path, output_format, read):
    path = tmp_path / f"network.{output_format}"
    result = CliRunner().invoke(main, ["map", "--format", output_format, "--out", str(path), "--plan", "2007-10"])
    assert result.exit_code == 0, result.output
    graph = read(str(path))
    graph = nx.relabel_nodes(graph, {node: data.get("iri", node) for node, data in graph.nodes(data=True)})
    boxes = 0 if output_format == "cyjs" else 3  # the graph files hold the map's group boxes too
    assert graph.number_of_nodes() == 14 + 2 + 5 + 11 + 2 + boxes  # items, posts, partners, units, groups
    assert graph.nodes[ID + "unit/central-tasking-office"]["group"] == "CO/SCD/TP"


def test_map_dot_quotes_every_name():
    result = CliRunner().invoke(main, ["map", "--format", "dot", "--group", "Drugs Directorate"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == 'digraph "graphsvc delivery network" {' and lines[-1] == "}"
    assert (
        f'  "{ID}unit/drugs-directorate" -> "{ID}item/2007-10/1.3" '
        '[color="#2f6fb3", style="dashed", penwidth=2, role="supporting"];' in lines
    )


def test_map_analyses_text_and_unknown_filters():
    result = CliRunner().invoke(main, ["map", "--analyses", "text"])
    assert "  7.1: only Performance Information and Improvement Unit" in result.output.splitlines()
    empty = CliRunner().invoke(main, ["map", "--plan", "1999"])
    assert (empty.exit_code, empty.output) == (
        1,
        "Error: no items match those filters: unknown plan '1999': choose one of 2007-10, 2004-5\n",
    )


ABBREVIATIONS = """PREFIX gs: <https://w3id.org/graphsvc/def#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?short ?entity WHERE { ?a a gs:Abbreviation ; skos:notation ?short ; gs:abbreviates ?entity
  FILTER(?short IN ("SCD", "TP")) } ORDER BY ?short
"""


def test_query_prints_a_table_and_the_standard_formats():
    table = CliRunner().invoke(main, ["query", "-"], input=ABBREVIATIONS)
    assert table.output.splitlines() == [
        "short  entity",
        "-----  -----------",
        "SCD    id:unit/scd",
        "TP     id:unit/tp",
        "(2 rows)",
    ]
    as_json = json.loads(CliRunner().invoke(main, ["query", "-", "--format", "json"], input=ABBREVIATIONS).output)
    assert as_json["head"] == {"vars": ["short", "entity"]}
    assert as_json["results"]["bindings"][0]["entity"] == {"type": "uri", "value": ID + "unit/scd"}
    as_csv = CliRunner().invoke(main, ["query", "-", "--format", "csv"], input=ABBREVIATIONS).output
    assert list(csv.reader(io.StringIO(as_csv))) == [
        ["short", "entity"],
        ["SCD", ID + "unit/scd"],
        ["TP", ID + "unit/tp"],
    ]
    as_tsv = CliRunner().invoke(main, ["query", "-", "--format", "tsv"], input=ABBREVIATIONS).output
    assert as_tsv.splitlines()[1] == f'"SCD"\t<{ID}unit/scd>'


def test_query_construct_and_ask(tmp_path):
    path = tmp_path / "org.rq"
    path.write_text(
        "PREFIX org: <http://www.w3.org/ns/org#>\n"
        "CONSTRUCT { ?u org:subOrganizationOf ?g } WHERE { ?u org:subOrganizationOf ?g }"
    )
    nt = CliRunner().invoke(main, ["query", str(path), "--format", "nt"]).output
    assert f"<{ID}unit/central-tasking-office> <http://www.w3.org/ns/org#subOrganizationOf> <{ID}unit/scd> ." in nt
    assert CliRunner().invoke(main, ["query", "-"], input="ASK { ?s ?p ?o }").output == "true\n"
    wrong = CliRunner().invoke(main, ["query", str(path), "--format", "csv"])
    assert wrong.exit_code == 2 and "a CONSTRUCT query gives a graph: use --format turtle|jsonld|nt" in wrong.output


@pytest.mark.parametrize("engine_kind, position", [("oxigraph", "error at 1:26"), ("rdflib", "(line:1, col:19)")])
def test_query_syntax_error_gives_position_and_exit_2(tmp_path, engine_kind, position):
    path = tmp_path / "bad.rq"
    path.write_text("SELECT ?x WHERE { ?x ?y }")
    result = CliRunner().invoke(main, ["--engine", engine_kind, "query", str(path)])
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: {path}: ") and position in result.output


def test_partners_command_text_and_json(engine):
    text = CliRunner().invoke(main, ["partners"])
    assert text.exit_code == 0
    lines = text.output.splitlines()
    assert lines[0] == "6 partner agencies; 5 of 30 items depend on one"
    assert '      written "local Drug Action Teams" in <' + ID + "action/2007-10/6.1-1>" in lines
    assert "  2007-10 6.1: Drug Action Teams, Home Office" in lines
    assert lines[-1] == "  (25 other items name no partner agency)"
    as_json = CliRunner().invoke(main, ["partners", "--format", "json"])
    assert json.loads(as_json.output) == dependencies.partners(engine)
