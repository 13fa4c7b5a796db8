"""The benchmark's synthetic national data is deterministic and uses the project's model."""

import importlib.util
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import RDF

from graphsvc.namespaces import GS

spec = importlib.util.spec_from_file_location("generate", Path(__file__).resolve().parents[1] / "bench" / "generate.py")
generate = importlib.util.module_from_spec(spec)
spec.loader.exec_module(generate)


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path):
    a, b, c = tmp_path / "a.nt", tmp_path / "b.nt", tmp_path / "c.nt"
    generate.write(a, 2, 1, seed=1)
    generate.write(b, 2, 1, seed=1)
    generate.write(c, 2, 1, seed=2)
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()


def test_10k_size_parses_with_the_expected_mix(tmp_path):
    path = tmp_path / "10k.nt"
    forces, years = generate.SIZES["10k"]
    count = generate.write(path, forces, years)
    g = Graph().parse(path, format="nt")
    assert len(g) == count and 8_000 <= count <= 12_000
    assert len(set(g.subjects(RDF.type, GS.Plan))) == forces * years
    kinds = {k: len(list(g.subjects(GS.measurability, k))) for k in (GS.Quantified, GS.Directional, GS.NotMeasurable)}
    assert all(n > 20 for n in kinds.values()), kinds
    assert len(set(g.subjects(RDF.type, GS.PartnerAgency))) == generate.PARTNER_POOL


def test_generated_reports_are_read_and_meet_the_report_shapes(tmp_path):
    """`--reports N` writes N reports in their own named graph (N-Quads) that the progress answers
    read and that meet the report shapes; the plans' triples are the same with or without them."""
    import pyoxigraph as ox
    from rdflib import Dataset, Graph

    from graphsvc.answers import progress
    from graphsvc.audit import sparql_audit
    from graphsvc.engine import graph
    from graphsvc.engine.engines import OxigraphEngine

    plain, with_reports = tmp_path / "plain.nt", tmp_path / "national.nt"
    generate.main(["--size", "10k", "--forces", "1", "--out", str(plain)])
    generate.main(["--size", "10k", "--forces", "1", "--out", str(with_reports), "--reports", "600"])
    assert plain.read_bytes() == with_reports.read_bytes()
    quads = with_reports.with_suffix(".reports.nq")
    engine = OxigraphEngine.from_graph(graph.ontology())
    engine.store.bulk_load(path=str(with_reports), format=ox.RdfFormat.N_TRIPLES)
    engine.store.bulk_load(path=str(quads), format=ox.RdfFormat.N_QUADS)
    found = progress.reports(engine)
    assert len(found) == 600 and {r.graph for r in found} == {str(generate.REPORTS_GRAPH)}
    assert sum(1 for r in found if r.revises) > 0
    owners = progress.by_owner(engine, "2007-2008/Q4")
    assert owners and all(o["counts"]["no_report"] <= len(progress.elements(engine)) for o in owners)
    merged = Graph()
    for triple in Dataset().parse(quads, format="nquads").triples((None, None, None, None)):
        merged.add(triple[:3])
    merged += Graph().parse(with_reports)
    merged += graph.ontology()
    results = sparql_audit.run(OxigraphEngine.from_graph(merged), ("integrity",))
    report_shapes = {name for name in sparql_audit.checks() if "Report" in name or "Observation" in name}
    assert [r for r in results if r.shape in report_shapes] == []
