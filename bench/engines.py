"""rdflib's in-memory store against embedded Oxigraph on the ownership queries, side by side.

The evidence for the embedded default (graphsvc.engine.session.DEFAULT_KIND): each engine loads
the built-in graph, then runs the ownership roll-up (queries/ownership.rq) for every
business group, a unit, a post and a person, and the whole `graphsvc who` answer (with the
per-engine name table and organisation chart already cached, as in a running service). Each
figure is the median of --repeat runs, in milliseconds. Both engines start from the same
parsed rdflib graph: rdflib serves it as it is, Oxigraph copies it in first.

    python bench/engines.py [--repeat 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from rdflib import URIRef

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from graphsvc.answers import names, ownership
from graphsvc.engine import graph
from graphsvc.engine.engines import embedded  # noqa: E402
from graphsvc.queries import query  # noqa: E402

TARGETS = ("SCD", "TP", "CO", "DOR", "DPA", "MPS", "Drugs Directorate", "AC SC", "Hitchcock")
KINDS = ("rdflib", "oxigraph")


def _median_ms(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def measure(repeat: int) -> list[tuple[str, dict[str, float]]]:
    data = graph.default()
    rows: list[tuple[str, dict[str, float]]] = [("load the built-in graph", {})]
    engines = {}
    for kind in KINDS:
        start = time.perf_counter()
        engines[kind] = embedded(data, kind)
        rows[0][1][kind] = (time.perf_counter() - start) * 1000
    for target in TARGETS:
        row: dict[str, float] = {}
        for kind, engine in engines.items():
            iri = URIRef(names.resolve(engine, target).iri)
            row[kind] = _median_ms(lambda: engine.query(query("ownership"), {"target": iri}), repeat)
        rows.append((f"ownership.rq {target}", row))
    for label, action in (
        ("who SCD (whole answer)", lambda e: ownership.accountability(e, "SCD")),
        ("who MPS (whole answer)", lambda e: ownership.accountability(e, "MPS")),
        ("item 4.1 (whole answer)", lambda e: ownership.item_detail(e, "4.1")),
        ("item_attributions.rq (all)", lambda e: e.query(query("item_attributions"))),
        ("names.rq (name table)", lambda e: e.query(query("names"))),
    ):
        rows.append((label, {kind: _median_ms(lambda: action(engine), repeat) for kind, engine in engines.items()}))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="runs per figure (the median is printed)")
    arguments = parser.parse_args()
    rows = measure(arguments.repeat)
    print(f"{len(graph.default())} triples; median of {arguments.repeat} runs, milliseconds")
    print(f"{'':<30}{'rdflib':>10}{'oxigraph':>10}{'rdflib/oxigraph':>17}")
    for label, figures in rows:
        ratio = figures["rdflib"] / figures["oxigraph"]
        print(f"{label:<30}{figures['rdflib']:>10.2f}{figures['oxigraph']:>10.2f}{ratio:>16.1f}x")


if __name__ == "__main__":
    main()
