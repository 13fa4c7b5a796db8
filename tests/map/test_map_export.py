"""One export path: `graphsvc map --format F` and the web's /map.F give the same bytes, drawn from one style table."""

import ast
import io
import re
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

import graphsvc
from graphsvc.cli import main
from graphsvc.map import data as map_data
from graphsvc.map import export as map_export
from graphsvc.web.app import create_app

ID = "https://w3id.org/graphsvc/id/"
PIIU = ID + "unit/performance-information-and-improvement-unit"
FILTERS = [
    ([], ""),
    (["--plan", "2007-10", "--group", "SCD"], "?plan=2007-10&group=SCD"),
    (
        ["--plan", "2004-5", "--role", "lead", "--role", "partner", "--partners-only"],
        "?plan=2004-5&role=lead,partner&partners_only=1",
    ),
]


@pytest.fixture(scope="module")
def client():
    return create_app({"AUDIT": False}).test_client()


def cli(*args: str) -> bytes:
    result = CliRunner().invoke(main, ["map", *args])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


@pytest.mark.parametrize("output_format", list(map_export.FORMATS))
@pytest.mark.parametrize("options, query", FILTERS)
def test_cli_and_web_give_the_same_bytes(client, output_format, options, query):
    answer = client.get(f"/map.{output_format}{query}")
    assert answer.status_code == 200
    assert answer.mimetype == map_export.FORMATS[output_format].media_type
    assert cli("--format", output_format, *options) == answer.data


def test_out_file_holds_the_same_bytes(client, tmp_path):
    out = tmp_path / "map.gexf"
    cli("--format", "gexf", "--plan", "2007-10", "--out", str(out))
    assert out.read_bytes() == client.get("/map.gexf?plan=2007-10").data


def test_gexf_carries_no_writing_date():
    assert b"lastmodifieddate" not in cli("--format", "gexf")


@pytest.mark.parametrize("output_format, read", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_cli_graph_files_carry_the_analyses(output_format, read):
    net = read(io.BytesIO(cli("--format", output_format, "--plan", "2007-10")))
    net = nx.relabel_nodes(net, {node: data["iri"] for node, data in net.nodes(data=True)})  # GraphML ids are n0...
    assert net.nodes[ID + "item/2007-10/7.1"]["single_point_of_failure"] == (
        "only Performance Information and Improvement Unit supports it"
    )
    assert net.nodes[PIIU]["critical"] == "sole supporting unit of 7.1"
    betweenness = {n: d["betweenness"] for n, d in net.nodes(data=True) if "betweenness" in d}
    assert max(betweenness, key=betweenness.get) == ID + "unit/borough-command-units"


def dot_nodes(dot: str) -> dict[str, dict[str, str]]:
    """Each node statement's attributes (the legend's and the edges' left out)."""
    found = {}
    for node, attributes in re.findall(r'^\s+"([^"]+)" \[(.*)\];$', dot, re.MULTILINE):
        if not node.startswith("legend "):
            found[node] = dict(re.findall(r'(\w+)=("(?:[^"\\]|\\.)*"|[^,]+)', attributes))
    return {node: {k: v.strip('"') for k, v in attributes.items()} for node, attributes in found.items()}


def test_dot_draws_each_kind_as_the_map_does():
    nodes = dot_nodes(cli("--format", "dot").decode("utf-8"))
    assert nodes[ID + "item/2007-10/1.1"]["shape"] == "box"  # a rectangle on the page, not an ellipse
    drawn = set()
    for attributes in nodes.values():
        look = map_data.STYLE["kinds"][attributes["kind"]]
        assert (attributes["shape"], attributes["style"]) == map_export.DOT_SHAPES[look["shape"]]
        assert attributes["fillcolor"] == look["colour"]
        drawn.add(attributes["kind"])
    assert drawn == {"business group", "unit", "post", "person", "partner", "item"}  # the plans have no organisation
    assert nodes[ID + "item/2007-10/7.1"]["color"] == map_data.STYLE["flag"]
    assert nodes[PIIU]["critical"] == "sole supporting unit of 7.1"


def test_gexf_colours_nodes_and_links_from_the_style_table():
    net = nx.read_gexf(io.BytesIO(cli("--format", "gexf", "--plan", "2007-10")))
    for _, data in net.nodes(data=True):
        colour = data["viz"]["color"]
        assert "#{r:02x}{g:02x}{b:02x}".format(**colour) == map_data.STYLE["kinds"][data["kind"]]["colour"]
    assert net.nodes[ID + "unit/borough-command-units"]["viz"]["size"] == map_data.LARGEST  # most central
    raw = cli("--format", "gexf", "--plan", "2004-5").decode("utf-8")
    assert '<viz:thickness value="3" />' in raw  # lead links, as thick as on the page


def test_svg_is_the_dot_export_laid_out(client):
    """The picture and the DOT come from one writer, so they cannot draw differently."""
    dot = client.get("/map.dot?plan=2007-10").data
    assert client.get("/map.svg?plan=2007-10").data == map_export.render(dot.decode("utf-8"))


def test_missing_graphviz_is_a_503_saying_so(client, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH with no `dot` on it
    answer = client.get("/map.svg", headers={"Accept": "text/plain"})
    assert answer.status_code == 503
    assert "Graphviz (`dot`), which is not installed" in answer.get_data(as_text=True)
    assert client.get("/map.dot").status_code == 200  # only drawing needs Graphviz
    refused = CliRunner().invoke(main, ["map", "--format", "svg"])
    assert refused.exit_code == 1
    assert "Graphviz (`dot`), which is not installed" in refused.output


def imports_of(path: Path, package: str) -> set[str]:
    """Every module a source file imports, relative imports resolved against its package."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, *([node.module] if node.module else [])])
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return found


def faces_importing_commands(root: Path) -> list[str]:
    top = root.parent.parent  # the folder holding the graphsvc package
    return [
        str(path.relative_to(top))
        for path in sorted(root.rglob("*.py"))
        if any(
            name == "graphsvc.commands" or name.startswith("graphsvc.commands.")
            for name in imports_of(path, ".".join(path.parent.relative_to(top).parts))
        )
    ]


def test_the_web_never_imports_the_command_line():
    assert faces_importing_commands(Path(graphsvc.__file__).parent / "web") == []


def test_the_import_check_sees_relative_and_absolute_imports(tmp_path):
    web = tmp_path / "graphsvc" / "web"
    web.mkdir(parents=True)
    (web / "fine.py").write_text("from .. import map_export\nfrom . import site\n")
    (web / "relative.py").write_text("from ..commands.map import serialise\n")
    (web / "package.py").write_text("from .. import commands\n")
    (web / "absolute.py").write_text("import graphsvc.commands.map\n")
    assert faces_importing_commands(web) == [
        "graphsvc/web/absolute.py",
        "graphsvc/web/package.py",
        "graphsvc/web/relative.py",
    ]
