"""`graphsvc map`: the delivery network for Gephi (GEXF), yEd (GraphML), Cytoscape (cyjs) and Graphviz (DOT),
or drawn (SVG)."""

import io
import json

import click
import networkx as nx

from .. import map_data, names, session
from ..dependencies import analyses, network
from ..engine import QueryError
from ..map_svg import RenderError, render

FORMATS = ("graphml", "gexf", "cyjs", "dot", "svg")
SHAPES = {"item": "ellipse", "partner": "diamond", "post": "house", "person": "plaintext"}


def _quote(text) -> str:
    escaped = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def to_dot(net: nx.MultiDiGraph) -> str:
    """Graphviz DOT with every node and edge attribute kept (networkx's own writer needs pydot)."""
    lines = [f"digraph {_quote(net.graph.get('name', 'graphsvc'))} {{", "  rankdir=LR;"]
    for node, data in net.nodes(data=True):
        attributes = {**data, "shape": SHAPES.get(data["kind"], "box")}
        lines.append(f"  {_quote(node)} [{', '.join(f'{k}={_quote(v)}' for k, v in attributes.items())}];")
    for source, target, data in net.edges(data=True):
        lines.append(
            f"  {_quote(source)} -> {_quote(target)} [label={_quote(data['role'])}, role={_quote(data['role'])}];"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


def serialise(net: nx.MultiDiGraph, output_format: str) -> str:
    if output_format == "dot":
        return to_dot(net)
    if output_format == "cyjs":
        return json.dumps(nx.cytoscape_data(net), indent=2)
    buffer = io.BytesIO()
    (nx.write_graphml if output_format == "graphml" else nx.write_gexf)(net, buffer)
    return buffer.getvalue().decode("utf-8")


def _report(result: dict) -> list[str]:
    lines = [
        f"{result['items']} items, {result['nodes']} nodes, {result['edges']} edges",
        "",
        "Single points of failure (items with one supporting unit):",
    ]
    lines += [f"  {s['ref']}: only {s['unit']['label']}" for s in result["single_points_of_failure"]] or ["  none"]
    lines.append(f"Items with no supporting unit: {', '.join(result['unsupported_items']) or 'none'}")
    lines.append("Critical units (their loss leaves items without support):")
    lines += [f"  {u['label']}: {', '.join(u['items'])}" for u in result["critical_units"]] or ["  none"]
    lines.append("Most central units (betweenness):")
    lines += [f"  {u['betweenness']:.4f}  {u['label']}" for u in result["betweenness"]]
    lines.append("Units that co-deliver most often:")
    lines += [
        f"  {p['count']}  {p['units'][0]['label']} + {p['units'][1]['label']} ({', '.join(p['items'])})"
        for p in result["co_delivery"]
    ]
    return lines


@click.command("map")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="graphml",
    show_default=True,
    help="graphml (yEd), gexf (Gephi), cyjs (Cytoscape JSON), dot (Graphviz) "
    "or svg (the /map picture, drawn by Graphviz).",
)
@click.option("--out", type=click.Path(dir_okay=False, writable=True), help="Write to this file, not standard output.")
@click.option("--plan", metavar="ID", help="Only this plan's items (2007-10 or 2004-5).")
@click.option("--strand", metavar="REF", help="Only the items of this strand (or 2004-5 objective).")
@click.option("--group", metavar="NAME", help="Only the items this business group (or unit, post, person) answers for.")
@click.option(
    "--analyses",
    "analyses_format",
    type=click.Choice(["text", "json"]),
    help="Print the partnership analyses instead of the network (which still goes to --out).",
)
def map_command(output_format, out, plan, strand, group, analyses_format):
    """Write the dependency network: units, posts, people, partners and items, joined by role edges."""
    try:
        net = network(session.current(), plan=plan, strand=strand, group=group)
    except (names.NameNotFound, names.AmbiguousName, QueryError) as error:
        raise click.ClickException(str(error)) from error
    if net.number_of_nodes() == 0:
        raise click.ClickException("no items match those filters (plans are 2007-10 and 2004-5)")
    if output_format == "svg":
        try:
            engine = session.current()
            text = render(engine, map_data.build(engine, map_data.Filters(plan=plan, strand=strand, group=group)))
        except (map_data.MapFilterError, RenderError) as error:
            raise click.ClickException(str(error)) from error
    else:
        text = serialise(net, output_format)
    if out:
        with open(out, "w", encoding="utf-8") as file:
            file.write(text)
    if analyses_format == "json":
        click.echo(json.dumps(analyses(net), indent=2))
    elif analyses_format == "text":
        click.echo("\n".join(_report(analyses(net))))
    elif not out:
        click.echo(text, nl=False)
