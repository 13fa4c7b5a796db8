"""Two `graphsvc load` runs into one folder took no lock: one deleted the other's work in 1 of 5
rounds. Now the second is refused at once (exit 2, one line naming the running load's process),
and the first completes."""

import pytest
import store_faults

from graphsvc.engine import store

pytestmark = pytest.mark.slow


def test_a_second_load_is_refused_while_one_runs(tmp_path):
    directory = tmp_path / "s"
    store.build(directory)
    baseline = store_faults.files_under(directory)
    first = store_faults.start("load", directory, store_faults.filler(tmp_path / "big.nt", 800_000))
    try:
        store_faults.wait_for_more_files(directory, baseline, first)
        second = store_faults.graphsvc("load", directory, timeout=60)
        out, errors = first.communicate(timeout=120)
    finally:
        store_faults.end(first)
    assert first.returncode == 0, errors
    assert second.returncode == 2 and "Traceback" not in second.stderr
    assert second.stderr.strip().splitlines() == [
        f"Error: {directory}: another load is running (pid {first.pid}); try again when it has finished"
    ]
    assert store.current_generation(directory) == 2 and store.generations(directory) == [1, 2]
    assert len(store.open_read_only(directory)) > 800_000  # the first load's work, whole


def test_the_lock_is_free_again_after_a_load(tmp_path):
    directory = tmp_path / "s"
    for _ in range(2):
        assert store_faults.graphsvc("load", directory).returncode == 0
    assert store.generations(directory) == [1, 2]
