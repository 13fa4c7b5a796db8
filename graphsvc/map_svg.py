"""The dependency map as SVG without a browser: the map JSON drawn by Graphviz (`dot`), for reports.

It reads the same elements the web page draws (graphsvc.map_data.cytoscape) with the same
style table, so shapes, colours, edge styles, group boxes and the red single-point-of-failure
borders match the page; Graphviz's layered layout runs owner -> item -> partner, left to right.
"""

from __future__ import annotations

import functools
import json
import shutil
import subprocess

from .engine import Engine
from .map_data import STYLE, MapView, cytoscape

SHAPES = {
    "round-rectangle": ("box", "rounded,filled"),
    "rectangle": ("box", "filled"),
    "hexagon": ("hexagon", "filled"),
    "ellipse": ("ellipse", "filled"),
    "diamond": ("diamond", "filled"),
}
DARK_FILLS = ("unit", "post", "person", "item", "organisation")

# A JSON string (or number) is a valid DOT ID: quotes and backslashes escaped, other text as is.
_quote = functools.partial(json.dumps, ensure_ascii=False)


class RenderError(RuntimeError):
    """Graphviz is missing or failed; str() says which, and how to install it."""


def _attributes(**attributes) -> str:
    return "[" + ", ".join(f"{name}={_quote(value)}" for name, value in attributes.items()) + "]"


def _node(data: dict, classes: str) -> str:
    kind = STYLE["kinds"][data["kind"]]
    shape, style = SHAPES[kind["shape"]]
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
    return f"  {_quote(data['id'])} {_attributes(**attributes)};"


def _legend(kinds: set[str]) -> list[str]:
    lines = ["  subgraph cluster_legend {", '    label="Legend"; style="rounded"; color="#8a94a6"; fontsize=11;']
    for kind, look in STYLE["kinds"].items():
        if kind in kinds and kind != "business group":
            shape, style = SHAPES[look["shape"]]
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


def dot_source(map_json: dict) -> str:
    """Graphviz DOT of the map JSON: business groups as clusters, role edges styled as on the page."""
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
        "digraph map {",
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
            + _attributes(color=look["colour"], style=look["style"], penwidth=look["width"])
        )
    lines += _legend({n["data"]["kind"] for n in nodes})
    lines.append("}")
    return "\n".join(lines) + "\n"


def render(engine: Engine, view: MapView) -> str:
    """The view as an SVG document, laid out by Graphviz's dot."""
    executable = shutil.which("dot")
    if executable is None:
        raise RenderError("SVG needs Graphviz's `dot`: install it (apt-get install graphviz)")
    source = dot_source(cytoscape(engine, view))
    result = subprocess.run([executable, "-Tsvg"], input=source.encode("utf-8"), capture_output=True, check=False)
    if result.returncode != 0:
        raise RenderError(f"Graphviz failed: {result.stderr.decode('utf-8', 'replace').strip()}")
    return result.stdout.decode("utf-8")
