"""The benchmark's synthetic national data is deterministic and uses the project's model."""

import importlib.util
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
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


def _merged(nquads) -> Graph:
    """Every quad of an N-Quads file, default and named graphs alike, as one graph of triples."""
    merged = Graph()
    for s, p, o, _ in Dataset().parse(nquads, format="nquads").quads((None, None, None, None)):
        merged.add((s, p, o))
    return merged


def test_generated_reports_are_read_and_meet_the_report_shapes(tmp_path):
    """`--reports N` writes N reports in the writing side's named graph (N-Quads) that the progress
    answers read, within each plan's span, by generated people, some correcting others, and that
    meet the report shapes; the plans' triples are the same with or without them."""
    import pyoxigraph as ox

    from graphsvc.answers import progress
    from graphsvc.audit import sparql_audit
    from graphsvc.engine import graph, sources
    from graphsvc.engine.engines import OxigraphEngine

    plain, with_reports = tmp_path / "plain.nt", tmp_path / "national.nt"
    generate.main(["--size", "10k", "--forces", "1", "--out", str(plain)])
    generate.main(["--size", "10k", "--forces", "1", "--out", str(with_reports), "--reports", "300"])
    assert plain.read_bytes() == with_reports.read_bytes()
    quads = with_reports.with_suffix(".reports.nq")
    engine = OxigraphEngine.from_graph(graph.ontology())
    engine.store.bulk_load(path=str(with_reports), format=ox.RdfFormat.N_TRIPLES)
    engine.store.bulk_load(path=str(quads), format=ox.RdfFormat.N_QUADS)
    found = progress.reports(engine)
    assert len(found) == 300 and {r.graph for r in found} == {sources.REPORTS_GRAPH}
    assert 15 <= sum(1 for r in found if r.revises) <= 50  # about one in ten corrects the one before
    elements = progress.elements(engine)
    assert all(elements[r.element].span.contains(r.period) for r in found)
    assert all("/person/" in r.by for r in found)
    kinds = {elements[r.element].kind for r in found}
    assert kinds == {"delivery item", "success measure"}
    assert {progress._local(r.status) for r in found} == set(progress.STATUSES)
    assert all(r.value is not None for r in found if elements[r.element].quantified)
    assert all(r.narrative for r in found if progress._local(r.rag) == "red")
    owners = progress.by_owner(engine, "2007-2008/Q4")
    assert owners and all(o["counts"]["no_report"] <= len(elements) for o in owners)
    merged = _merged(quads)
    assert len(set(merged.subjects(RDF.type, GS.Report))) == 300
    merged += Graph().parse(with_reports)
    merged += graph.ontology()
    results = sparql_audit.run(OxigraphEngine.from_graph(merged), ("integrity",))
    report_shapes = {name for name in sparql_audit.checks() if "Report" in name or "Observation" in name}
    assert [r for r in results if r.shape in report_shapes] == []


@pytest.mark.slow
def test_a_sample_of_generated_reports_meets_the_report_shapes_in_pyshacl(tmp_path):
    """The shapes themselves (pySHACL, as a writer's report is checked), on the first 150 reports
    with the plans, periods and ontology they refer to: the SPARQL form above could drift."""
    import pyshacl

    from graphsvc import resources
    from graphsvc.engine import graph

    out = tmp_path / "national.nt"
    generate.main(["--size", "10k", "--forces", "1", "--out", str(out), "--reports", "150"])
    data = _merged(out.with_suffix(".reports.nq"))
    data += Graph().parse(out)
    data += graph.ontology()
    assert len(set(data.subjects(RDF.type, GS.Report))) == 150
    shapes = graph.load([p for p in resources.shape_files() if p.name == "progress.ttl"])
    conforms, _, text = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    assert conforms, text


def test_generated_reports_are_deterministic(tmp_path):
    """The same seed gives the same reports byte for byte (for comparing engines and runs); another
    seed other ones."""
    outputs = []
    for name, seed in (("a", 1), ("b", 1), ("c", 2)):
        out = tmp_path / f"{name}.nt"
        generate.main(["--size", "10k", "--forces", "1", "--seed", str(seed), "--out", str(out), "--reports", "200"])
        outputs.append(out.with_suffix(".reports.nq").read_bytes())
    assert outputs[0] == outputs[1] and outputs[0] != outputs[2]
