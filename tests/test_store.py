"""The persisted store: same triples as rdflib reads, atomic replacement, clear errors."""

import os

import pytest
from click.testing import CliRunner

from graphsvc.cli import main
from graphsvc.engine import store
from graphsvc.engine.engines import OxigraphEngine
from graphsvc.engine.graph import GraphLoadError

COUNT_ITEMS = """
PREFIX gs: <https://w3id.org/graphsvc/def#>
SELECT (COUNT(?item) AS ?n) WHERE { ?item a gs:DeliveryItem }
"""


def test_built_in_store_holds_the_default_graph(tmp_path, default_graph):
    store.build(tmp_path / "s")
    opened = store.open_read_only(tmp_path / "s")
    assert len(opened) == len(default_graph)
    assert int(OxigraphEngine(opened).query(COUNT_ITEMS).rows[0]["n"]) == 14


def test_a_failed_load_leaves_the_previous_store_serving(tmp_path):
    directory = tmp_path / "s"
    store.build(directory)
    served = os.readlink(directory / "current")
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix a: <http://example.org/> .\na:b a:c a:d .\na:e a:f\n", encoding="utf-8")
    with pytest.raises(GraphLoadError, match=r"broken\.ttl: .*line 4"):
        store.build(directory, [broken])
    assert os.readlink(directory / "current") == served
    assert sorted(os.listdir(directory / "generations")) == ["1"]
    assert len(store.open_read_only(directory)) > 2000


def test_a_new_load_replaces_the_served_generation(tmp_path):
    directory = tmp_path / "s"
    store.build(directory)
    extra = tmp_path / "extra.nt"
    extra.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n", encoding="utf-8")
    store.build(directory, [extra])
    assert os.readlink(directory / "current") == os.path.join("generations", "2")
    assert len(store.open_read_only(directory)) < 1000  # the ontology and the one triple, no plans


def test_rdf_xml_and_missing_stores_are_refused_clearly(tmp_path):
    xml = tmp_path / "plan.rdf"
    xml.write_text("<rdf:RDF/>", encoding="utf-8")
    with pytest.raises(GraphLoadError, match="cannot bulk-load .rdf files"):
        store.build(tmp_path / "s", [xml])
    with pytest.raises(store.StoreError, match="not a graphsvc store"):
        store.open_read_only(tmp_path / "nothing")


def test_load_command(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["load", str(tmp_path / "s")])
    assert result.exit_code == 0 and "triples in generation 1" in result.output
    result = runner.invoke(main, ["load", str(tmp_path / "s"), str(tmp_path / "missing.ttl")])
    assert result.exit_code == 1
    assert "load failed, store unchanged" in result.output and "missing.ttl: no such file" in result.output


def test_old_generations_go_unless_a_process_still_reads_them(tmp_path):
    alone, read = tmp_path / "alone", tmp_path / "read"
    for _ in range(3):
        store.build(alone)
    assert store.generations(alone) == [2, 3]  # the served one and its rollback copy
    store.build(read)
    assert len(store.open_read_only(read)) > 2000  # this process now holds generation 1 open
    store.build(read)
    store.build(read)
    assert store.generations(read) == [1, 2, 3]
    assert len(store.open_read_only(read, 1)) > 2000


def test_a_load_while_the_load_lock_is_held_is_refused(tmp_path):
    directory = tmp_path / "s"
    store.build(directory)
    held = store._load_lock(directory)
    try:
        with pytest.raises(store.StoreBusy, match=rf"another load is running \(pid {os.getpid()}\)"):
            store.build(directory)
    finally:
        os.close(held)
    assert store.generations(directory) == [1]


def test_checksums_are_recorded_for_every_data_file(tmp_path):
    import json

    directory = tmp_path / "s"
    store.build(directory)
    recorded = json.loads((directory / "checksums" / "1.json").read_text())
    data = {p.name for p in (directory / "generations" / "1").iterdir() if p.name not in ("LOG", "LOCK")}
    assert set(recorded) == data and any(name.endswith(".sst") for name in data)
    store.verify(directory, 1)


def test_rollback_serves_the_previous_generation_again(tmp_path):
    directory = tmp_path / "s"
    runner = CliRunner()
    assert runner.invoke(main, ["load", str(directory)]).exit_code == 0
    refused = runner.invoke(main, ["load", str(directory), "--rollback"])
    assert refused.exit_code == 2 and "no earlier generation to go back to" in refused.output
    extra = tmp_path / "extra.nt"
    extra.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n", encoding="utf-8")
    assert runner.invoke(main, ["load", str(directory), str(extra)]).exit_code == 0
    result = runner.invoke(main, ["load", str(directory), "--rollback"])
    assert result.exit_code == 0 and "generation 1 is current again" in result.output
    assert store.current_generation(directory) == 1 and len(store.open_read_only(directory)) > 2000


def test_a_generation_whose_checksums_are_gone_is_refused(tmp_path):
    directory = tmp_path / "s"
    store.build(directory)
    (directory / "checksums" / "1.json").unlink()
    with pytest.raises(store.StoreDamaged, match="generation 1 has no recorded checksums"):
        store.open_read_only(directory)
