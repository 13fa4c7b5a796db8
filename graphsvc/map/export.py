"""The dependency map in every export format: GraphML (yEd), GEXF (Gephi), Cytoscape JSON, Graphviz DOT and SVG.

`graphsvc map --format F` and the web's ``/map.F`` both answer with `export`, so one filter gives
the same bytes from either face. Every format is written from one graphsvc.map.data view (the
filtered network with the analyses marked on its nodes); DOT draws it with map_data.STYLE, the
table the web page draws with, so shapes, colours, edge styles, group boxes and the red
single-point-of-failure borders match the page. The SVG is that DOT laid out by Graphviz's
`dot` (owner -> item -> partner, left to right), for reports without a browser.
"""

from __future__ import annotations

import functools
import io
import json
import shutil
import subprocess
from dataclasses import dataclass
from xml.etree import ElementTree

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter

from graphsvc.engine.engines import Engine
from graphsvc.map.data import STYLE, MapView, cytoscape


@dataclass(frozen=True)
class Format:
    media_type: str
    download: bool  # a file for another tool, saved rather than shown


FORMATS = {
    "graphml": Format("application/graphml+xml", download=True),
    "gexf": Format("application/gexf+xml", download=True),
    "cyjs": Format("application/json", download=True),
    "dot": Format("text/vnd.graphviz", download=True),
    "svg": Format("image/svg+xml", download=False),
}

# STYLE's shapes (Cytoscape.js names) in Graphviz's words.
DOT_SHAPES = {
    "round-rectangle": ("box", "rounded,filled"),
    "rectangle": ("box", "filled"),
    "hexagon": ("hexagon", "filled"),
    "ellipse": ("ellipse", "filled"),
    "diamond": ("diamond", "filled"),
}
# ... and in GEXF's (viz:shape offers disc, square, triangle, diamond or an image).
GEXF_SHAPES = {
    "round-rectangle": "square",
    "rectangle": "square",
    "hexagon": "disc",
    "ellipse": "disc",
    "diamond": "diamond",
}
DARK_FILLS = ("unit", "post", "person", "item", "organisation")
# What a node of the map JSON carries into DOT beside its drawing, for tools that read DOT as data.
DATA = ("kind", "iri", "plan", "ref", "betweenness", "critical", "single_point_of_failure")

# A JSON string (or number) is a valid DOT ID: quotes and backslashes escaped, other text as is.
_quote = functools.partial(json.dumps, ensure_ascii=False)


class RenderError(RuntimeError):
    """Graphviz failed; str() says how."""


class GraphvizMissing(RenderError):
    """Graphviz's `dot` is not on PATH; str() says how to install it."""


def export(engine: Engine, view: MapView, output_format: str) -> bytes:
    """The view in one of FORMATS, as the bytes of a file."""
    if output_format == "graphml":
        return _graphml(engine, view)
    if output_format == "gexf":
        return _gexf(engine, view)
    if output_format == "cyjs":
        return json.dumps(nx.cytoscape_data(view.network), indent=2).encode("utf-8")
    if output_format == "dot":
        return dot_source(engine, view).encode("utf-8")
    if output_format == "svg":
        return render(dot_source(engine, view))
    raise ValueError(f"unknown format {output_format!r}: choose one of {', '.join(FORMATS)}")


# What a node of the map JSON carries into GraphML and GEXF (text or numbers: both formats type them).
NODE_DATA = ("kind", "iri", "label", "group", "plan", "ref", "parent", *DATA[4:])


def map_network(engine: Engine, view: MapView) -> nx.MultiDiGraph:
    """The map JSON as a graph: its nodes (the business groups drawn only as boxes too) and its edges
    in its direction (owner -> item -> partner), so the graph files say what the page draws."""
    elements = cytoscape(engine, view)["elements"]
    net = nx.MultiDiGraph()
    for node in elements["nodes"]:
        data = node["data"]
        net.add_node(data["id"], **{name: data[name] for name in NODE_DATA if data.get(name) is not None})
    for edge in elements["edges"]:
        data = edge["data"]
        net.add_edge(data["source"], data["target"], key=data["id"], role=data["role"])
    return net


def _graphml(engine: Engine, view: MapView) -> bytes:
    """GraphML whose ids the schema accepts: node and edge ids are NMTOKENs (``n0``, ``e0``), so an
    IRI (with its slashes) goes in the ``iri`` data instead, and every edge has its own id."""
    net = map_network(engine, view)
    names = {node: f"n{number}" for number, node in enumerate(net)}
    renamed = nx.MultiDiGraph()
    renamed.add_nodes_from((names[node], data) for node, data in net.nodes(data=True))
    for number, (source, target, data) in enumerate(net.edges(data=True)):
        renamed.add_edge(names[source], names[target], key=f"e{number}", **data)
    buffer = io.BytesIO()
    nx.write_graphml(renamed, buffer)
    return buffer.getvalue()


def _rgb(colour: str) -> dict:
    return {"r": int(colour[1:3], 16), "g": int(colour[3:5], 16), "b": int(colour[5:7], 16)}


def _gexf(engine: Engine, view: MapView) -> bytes:
    """GEXF with the page's colours, shapes and sizes (so Gephi opens on the map's look), and without
    the writing date networkx stamps on it, so one view always gives the same file. The title goes in
    the meta description: the schema has no name on <graph>."""
    net = map_network(engine, view)
    sizes = {node["data"]["id"]: node["data"]["size"] for node in cytoscape(engine, view)["elements"]["nodes"]}
    for node, data in net.nodes(data=True):
        look = STYLE["kinds"][data["kind"]]
        data["viz"] = {"color": _rgb(look["colour"]), "size": sizes[node], "shape": GEXF_SHAPES[look["shape"]]}
    for number, (_, _, data) in enumerate(net.edges(data=True)):
        look = STYLE["roles"][data["role"]]
        data["viz"] = {"color": _rgb(look["colour"]), "thickness": look["width"]}
        data["id"] = f"e{number}"
    writer = GEXFWriter()
    meta = writer.xml.find("meta")
    meta.attrib.pop("lastmodifieddate", None)
    ElementTree.SubElement(meta, "description").text = view.network.graph.get("name", "graphsvc")
    writer.add_graph(net)
    writer.xml.find("graph").attrib.pop("name", None)  # networkx writes it; GEXF 1.2 has no such attribute
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _attributes(**attributes) -> str:
    return "[" + ", ".join(f"{name}={_quote(value)}" for name, value in attributes.items()) + "]"


def _node(data: dict, classes: str) -> str:
    kind = STYLE["kinds"][data["kind"]]
    shape, style = DOT_SHAPES[kind["shape"]]
    flagged = "spof" in classes or "critical" in classes
    attributes = {
        "label": data["caption"],
        "tooltip": data["label"],
        "shape": shape,
        "style": style,
        "fillcolor": kind["colour"],
        "color": STYLE["flag"] if flagged else kind["border"],
        "penwidth": 3 if flagged else 1,
        "peripheries": 2 if "spof" in classes else 1,
        "fontcolor": "white" if data["kind"] in DARK_FILLS else "black",
        "height": round(data["size"] / 72, 2),
        "fontsize": round(9 + data["size"] / 10, 1),
    }
    if data.get("href"):
        attributes["URL"] = data["href"]
    attributes.update((name, data[name]) for name in DATA if name in data)  # Graphviz ignores these
    return f"  {_quote(data['id'])} {_attributes(**attributes)};"


def _legend(kinds: set[str]) -> list[str]:
    lines = ["  subgraph cluster_legend {", '    label="Legend"; style="rounded"; color="#8a94a6"; fontsize=11;']
    for kind, look in STYLE["kinds"].items():
        if kind in kinds and kind != "business group":
            shape, style = DOT_SHAPES[look["shape"]]
            lines.append(
                f"    {_quote('legend ' + kind)} "
                + _attributes(
                    label=look["label"],
                    shape=shape,
                    style=style,
                    fillcolor=look["colour"],
                    color=look["border"],
                    fontcolor="white" if kind in DARK_FILLS else "black",
                    fontsize=9,
                )
            )
    for role, look in STYLE["roles"].items():
        lines.append(f"    {_quote('legend ' + role + ' from')} [shape=point, width=0.05];")
        lines.append(f"    {_quote('legend ' + role + ' to')} [shape=point, width=0.05];")
        lines.append(
            f"    {_quote('legend ' + role + ' from')} -> {_quote('legend ' + role + ' to')} "
            + _attributes(
                label=look["label"], color=look["colour"], style=look["style"], penwidth=look["width"], fontsize=9
            )
        )
    lines.append("  }")
    return lines


def dot_source(engine: Engine, view: MapView) -> str:
    """Graphviz DOT of the view as the page draws it: business groups as clusters, role edges styled,
    each node's kind, IRI and analyses kept as attributes."""
    map_json = cytoscape(engine, view)
    nodes = map_json["elements"]["nodes"]
    groups = {n["data"]["id"]: n["data"] for n in nodes if n["data"]["kind"] == "business group"}
    children: dict[str, list[str]] = {iri: [] for iri in groups}
    top: list[str] = []
    for node in nodes:
        data = node["data"]
        if data["id"] in groups and not any(
            e["data"]["source"] == data["id"] or e["data"]["target"] == data["id"]
            for e in map_json["elements"]["edges"]
        ):
            continue  # a group box with no links of its own is drawn as its cluster only
        line = _node(data, node.get("classes", ""))
        if data.get("parent"):
            children[data["parent"]].append(line)
        elif data["id"] in groups:
            children[data["id"]].append(line)
        else:
            top.append(line)
    lines = [
        f"digraph {_quote(view.network.graph.get('name', 'graphsvc'))} {{",
        "  rankdir=LR; newrank=true; nodesep=0.15; ranksep=0.9;",
        f"  graph {_attributes(label=map_json['title'], labelloc='t', fontsize=16, fontname='Helvetica')};",
        '  node [fontname="Helvetica"]; edge [arrowsize=0.6, fontname="Helvetica"];',
    ]
    for iri, members in children.items():
        if members == [_node(groups[iri], "")]:
            top += members  # a group that acts but holds nothing on this view: no box around it alone
        elif members:
            look = STYLE["kinds"]["business group"]
            lines.append(f"  subgraph {_quote('cluster ' + iri)} {{")
            lines.append(
                "    graph "
                + _attributes(
                    label=groups[iri]["label"],
                    style="rounded,filled",
                    fillcolor=look["colour"],
                    color=look["border"],
                    fontsize=12,
                )
                + ";"
            )
            lines += ["  " + line for line in members]
            lines.append("  }")
    lines += top
    for edge in map_json["elements"]["edges"]:
        data = edge["data"]
        look = STYLE["roles"][data["role"]]
        lines.append(
            f"  {_quote(data['source'])} -> {_quote(data['target'])} "
            + _attributes(color=look["colour"], style=look["style"], penwidth=look["width"], role=data["role"])
            + ";"
        )
    lines += _legend({n["data"]["kind"] for n in nodes})
    lines.append("}")
    return "\n".join(lines) + "\n"


def render(source: str) -> bytes:
    """DOT source as an SVG document, laid out by Graphviz's dot."""
    executable = shutil.which("dot")
    if executable is None:
        raise GraphvizMissing("SVG needs Graphviz (`dot`), which is not installed here: apt-get install graphviz")
    result = subprocess.run([executable, "-Tsvg"], input=source.encode("utf-8"), capture_output=True, check=False)
    if result.returncode != 0:
        raise RenderError(f"Graphviz failed: {result.stderr.decode('utf-8', 'replace').strip()}")
    return result.stdout
