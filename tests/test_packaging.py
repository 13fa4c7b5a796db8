"""A plain, non-editable install carries the ontology, data, sources and queries with it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The project built as a wheel and installed (without dependencies) into a folder of its own."""
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work / "dist"), str(ROOT)],
        check=True,
        capture_output=True,
    )
    wheel = next((work / "dist").glob("graphsvc-*.whl"))
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(work / "site"), str(wheel)],
        check=True,
        capture_output=True,
    )
    return work


def run_installed(work, *args):
    env = {**os.environ, "PYTHONPATH": str(work / "site")}
    return subprocess.run([sys.executable, *args], cwd=work, env=env, capture_output=True, text=True, check=True).stdout


def test_installed_package_is_the_wheel_not_the_checkout(installed):
    location = run_installed(installed, "-c", "import graphsvc; print(graphsvc.__file__)")
    assert location.startswith(str(installed / "site"))


def test_installed_package_runs_info_from_another_directory(installed):
    figures = json.loads(run_installed(installed, "-m", "graphsvc", "info", "--format", "json"))
    assert figures["delivery_items"] == 14 and figures["activities"] == 16


def test_wheel_ships_sources_and_queries(installed):
    site = installed / "site" / "graphsvc"
    assert (site / "data" / "sources" / "mps-drugs-strategy-2007-10.txt").is_file()
    assert (site / "ontology" / "graphsvc.ttl").is_file()
    assert (site / "queries" / "figures.rq").is_file()
