"""A `load` killed midway (kill -9) left a partial generation beside the served one; the next load
kept that partial one as its rollback copy and deleted the real previous version. Now a load
builds outside generations/, and what a killed one leaves is removed by the next."""

import signal

import pytest
import store_faults
from support import built_in_triples

from graphsvc.engine import store

pytestmark = pytest.mark.slow


def test_after_a_killed_load_the_previous_version_is_served_and_kept(tmp_path):
    directory = tmp_path / "s"
    store.build(directory)  # the good version: the built-in plans
    baseline = store_faults.files_under(directory)
    killed = store_faults.start("load", directory, store_faults.filler(tmp_path / "big.nt", 200_000))
    try:
        store_faults.wait_for_more_files(directory, baseline, killed)
        killed.send_signal(signal.SIGKILL)
        killed.communicate(timeout=30)
    finally:
        store_faults.end(killed)
    assert killed.returncode == -signal.SIGKILL
    assert len(store.open_read_only(directory)) == built_in_triples()  # still served, and its checksums still hold

    one_triple = tmp_path / "one.nt"
    one_triple.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n")
    loaded = store_faults.graphsvc("load", directory, one_triple)
    assert loaded.returncode == 0, loaded.stderr
    newest = store.current_generation(directory)
    assert len(store.open_read_only(directory)) < 1000
    # The rollback copy is the good version, whole: not the killed load's half.
    previous = [number for number in store.generations(directory) if number != newest]
    assert previous == [1]
    assert len(store.open_read_only(directory, 1)) == built_in_triples()
    assert not any((directory / "building").iterdir())
