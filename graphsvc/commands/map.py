"""`graphsvc map`: the delivery network for Gephi (GEXF), yEd (GraphML), Cytoscape (cyjs) and Graphviz (DOT),
or drawn (SVG); the same bytes as the web's /map.<format> for the same filters."""

import json

import click

from graphsvc.engine import session
from graphsvc.engine.engines import QueryError
from graphsvc.map import data as map_data
from graphsvc.map.export import FORMATS, RenderError, export


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


def _top(found: dict, top: int = 10) -> dict:
    """The analyses with the ten most central units and co-delivering pairs (the view keeps them all)."""
    return {**found, "betweenness": found["betweenness"][:top], "co_delivery": found["co_delivery"][:top]}


@click.command("map")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(list(FORMATS)),
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
    "--role",
    "roles",
    type=click.Choice(map_data.ROLES),
    multiple=True,
    help="Only links of this role, and who holds them (repeat for several; default: all).",
)
@click.option("--partners-only", is_flag=True, help="Only the items that depend on a partner agency.")
@click.option(
    "--analyses",
    "analyses_format",
    type=click.Choice(["text", "json"]),
    help="Print the partnership analyses instead of the network (which still goes to --out).",
)
def map_command(output_format, out, plan, strand, group, roles, partners_only, analyses_format):
    """Write the dependency network: units, posts, people, partners and items, joined by role edges."""
    engine = session.current()
    filters = map_data.Filters(
        plan=plan, strand=strand, group=group, roles=roles or map_data.ROLES, partners_only=partners_only
    )
    try:
        view = map_data.build(engine, filters)
    except map_data.MapFilterError as error:
        raise click.ClickException(f"no items match those filters: {error}") from error
    except QueryError as error:
        raise click.ClickException(str(error)) from error
    if not any(kind == "item" for _, kind in view.network.nodes(data="kind")):
        raise click.ClickException("no items match those filters")
    if out or not analyses_format:
        try:
            body = export(engine, view, output_format)
        except (RenderError, QueryError) as error:
            raise click.ClickException(str(error)) from error
    if out:
        with open(out, "wb") as file:
            file.write(body)
    if analyses_format == "json":
        click.echo(json.dumps(_top(view.analyses), indent=2))
    elif analyses_format == "text":
        click.echo("\n".join(_report(_top(view.analyses))))
    elif not out:
        click.echo(body, nl=False)
