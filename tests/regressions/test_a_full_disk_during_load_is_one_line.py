"""A full disk during `graphsvc load` ended in a Python traceback (the store itself stayed
intact). Now it is one line and exit 2, the served generation is untouched and still passes its
checks, and the half-written generation is gone. The disk is a 20 MB tmpfs, so the test needs
root (mount); elsewhere it is skipped and says why."""

import os
import subprocess
import uuid

import pytest
import store_faults
from support import built_in_triples

from graphsvc.engine import store

pytestmark = pytest.mark.slow


@pytest.fixture()
def small_disk(tmp_path):
    mount_point = tmp_path / f"disk-{uuid.uuid4().hex[:8]}"
    mount_point.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=20m", "tmpfs", str(mount_point)], capture_output=True, timeout=30
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], capture_output=True, timeout=30)


def test_a_full_disk_is_one_line_and_leaves_the_store_as_it_was(small_disk):
    directory = small_disk / "s"
    store.build(directory)  # ~0.7 MB
    room = os.statvfs(small_disk)
    filler = small_disk / "filler"
    filler.write_bytes(b"\0" * (room.f_bavail * room.f_frsize - 200_000))  # 200 KB left: too little for a load
    result = store_faults.graphsvc("load", directory, timeout=120)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.strip() == f"Error: {directory}: load failed, store unchanged: no space left on the device"
    assert store.current_generation(directory) == 1 and store.generations(directory) == [1]
    assert len(store.open_read_only(directory)) == built_in_triples()  # checked against its checksums, then opened
    assert not any((directory / "building").iterdir())
    filler.unlink()
    assert store_faults.graphsvc("load", directory).returncode == 0  # room again: a load works
