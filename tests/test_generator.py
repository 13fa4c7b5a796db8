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
