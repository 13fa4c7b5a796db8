"""Backup and restore of a store folder: the served generation and the reports journal as one
N-Quads file, and a new store folder built back from one.

N-Quads is the open standard every RDF store reads, so a backup outlives graphsvc. Written reports
are the quads of the graph of written reports (graphsvc.engine.sources.REPORTS_GRAPH), each with
its audit entry (the prov:Activity that generated it); a restore puts them back into a journal,
one record per report in the order they were made, and the rest into a generation.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from graphsvc.engine import journal as journals
from graphsvc.engine import store
from graphsvc.engine.sources import REPORTS_GRAPH

_PROV = "http://www.w3.org/ns/prov#"
_GS = "https://w3id.org/graphsvc/def#"
_DCTERMS = "http://purl.org/dc/terms/"


def backup(directory: Path | str, out: Path | str) -> int:
    """Write the store's served generation and its written reports to ``out`` (N-Quads, replaced
    atomically); the number of quads."""
    import pyoxigraph as ox

    directory = Path(directory)
    served = store.open_read_only(directory)
    written = journals.for_store(directory).nquads()
    out = Path(out)
    partial = out.with_name(out.name + ".partial")
    with partial.open("wb") as stream:
        served.dump(stream, format=ox.RdfFormat.N_QUADS)
        stream.write(written)
        stream.flush()
        os.fsync(stream.fileno())
    os.replace(partial, out)
    return len(served) + written.count(b"\n")


def restore(file: Path | str, directory: Path | str) -> int:
    """Build a new store folder from a backup: its generation and its journal. The folder must be
    new or empty (a restore never mixes into a store). The number of quads restored."""
    import pyoxigraph as ox

    file, directory = Path(file), Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise store.StoreError(f"{directory}: not empty: restore into a new folder")
    try:
        quads = list(ox.parse(path=str(file), format=ox.RdfFormat.N_QUADS))
    except (OSError, SyntaxError) as error:
        raise store.StoreError(f"{file}: not a backup: {' '.join(str(error).split())}") from None
    reports = [q for q in quads if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value == REPORTS_GRAPH]
    rest = [q for q in quads if not (isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value == REPORTS_GRAPH)]
    directory.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=directory) as scratch:
        dumped = Path(scratch) / "generation.nq"
        ox.serialize(rest, output=str(dumped), format=ox.RdfFormat.N_QUADS)
        store.build(directory, [dumped], ontology=False)
    journal = journals.for_store(directory)
    with journal.locked():
        for record in _records(reports):
            journal.append(record)
    return len(quads)


def _records(quads) -> list[journals.Record]:
    """The journal records of written reports' quads: each report with its audit entry."""
    by_subject: dict[str, list] = {}
    for quad in quads:
        by_subject.setdefault(quad.subject.value, []).append(quad)
    records = []
    for subject, own in by_subject.items():
        values = {q.predicate.value: q.object.value for q in own}
        if values.get("http://www.w3.org/1999/02/22-rdf-syntax-ns#type") != _GS + "Report":
            continue
        activity = by_subject.get(subject + "/write", [])
        done = {q.predicate.value: q.object.value for q in activity}
        audit = {
            "by": done.get(_PROV + "wasAssociatedWith"),
            "user": done.get(_DCTERMS + "creator"),
            "at": done.get(_PROV + "endedAtTime") or values.get(_PROV + "generatedAtTime"),
            "interface": done.get(_DCTERMS + "source"),
            "what": f"restored report {subject}",
        }
        nquads = "".join(f"{q} .\n" for q in [*own, *activity])
        records.append(
            journals.Record(
                subject,
                values[_GS + "reportedElement"],
                values[_GS + "reportingPeriod"],
                values.get(_PROV + "wasRevisionOf"),
                nquads,
                audit,
            )
        )
    return sorted(records, key=lambda r: (r.audit["at"] or "", r.report))
