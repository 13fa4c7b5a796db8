"""A store with one flipped bit was not detected at start: the first request made the server grow
from 2.9 GB to 15 GB; a store with damaged files at `serve --store` (or any `--store` command)
ended in a Python traceback. Now the files are checked against the checksums recorded at load
when the store is opened: a damaged store is refused in one line, exit 2, and left as it was."""

import hashlib

import pytest
import store_faults
from support import built_in_triples, free_port

from graphsvc.engine import store


def _flip_one_bit(directory):
    """One bit in the middle of the generation's largest data file."""
    largest = max((directory / "generations" / "1").glob("*.sst"), key=lambda path: path.stat().st_size)
    data = bytearray(largest.read_bytes())
    data[len(data) // 2] ^= 0x08
    largest.write_bytes(bytes(data))
    return largest


def _digests(directory):
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.rglob("*")) if p.is_file()}


@pytest.fixture()
def damaged(tmp_path):
    directory = tmp_path / "s"
    store.build(directory)
    return directory, _flip_one_bit(directory)


def test_open_refuses_a_flipped_bit(damaged):
    directory, flipped = damaged
    with pytest.raises(store.StoreDamaged) as refused:
        store.open_read_only(directory)
    assert str(refused.value) == (
        f"{directory}: generation 1 is damaged ({flipped.name} differs from when it was loaded): load the store again"
    )


def test_a_missing_file_is_damage_too(tmp_path):
    directory = tmp_path / "s"
    store.build(directory)
    next((directory / "generations" / "1").glob("*.sst")).unlink()
    with pytest.raises(store.StoreDamaged, match=r"\.sst is missing from when it was loaded"):
        store.open_read_only(directory)


@pytest.mark.slow
@pytest.mark.parametrize("command", [["serve"], ["who", "SCD"], ["info"]])
def test_commands_refuse_a_damaged_store_in_one_line(damaged, command):
    directory, flipped = damaged
    before = _digests(directory)
    if command[0] == "serve":
        result = store_faults.graphsvc("serve", "--store", directory, "--port", free_port(), timeout=60)
    else:
        result = store_faults.graphsvc("--store", directory, *command, timeout=60)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        f"Error: {directory}: generation 1 is damaged ({flipped.name} differs from when it was loaded): "
        "load the store again"
    )
    assert _digests(directory) == before  # refused, not "repaired"


def test_a_command_on_a_missing_store_is_one_line(tmp_path):
    result = store_faults.graphsvc("--store", tmp_path / "none", "who", "SCD", timeout=60)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        f"Error: {tmp_path / 'none'}: not a graphsvc store (build one with `graphsvc load {tmp_path / 'none'}`)"
    )


def test_a_damaged_store_can_be_loaded_again(damaged):
    directory, _ = damaged
    assert store_faults.graphsvc("load", directory).returncode == 0
    assert len(store.open_read_only(directory)) == built_in_triples()


def test_unchecked_damage_that_rocksdb_finds_is_one_line_too(tmp_path):
    directory = tmp_path / "s"
    store.build(directory)
    (directory / "generations" / "1" / "CURRENT").write_text("garbage\n")
    with pytest.raises(store.StoreError, match="cannot open the store: Corruption: CURRENT file corrupted"):
        store.open_read_only(directory, check=False)
