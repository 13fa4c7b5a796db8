"""Fixtures shared by the test suite: the built-in graph and the source documents."""

from pathlib import Path

import pytest

from graphsvc import graph, resources

SOURCES = {
    "2007-10": "mps-drugs-strategy-2007-10.txt",
    "2004-5": "mps-priority-2004-5.txt",
}


@pytest.fixture(scope="session")
def default_graph():
    return graph.default()


@pytest.fixture(scope="session")
def source_lines():
    """Each plan's source document as a list of lines (index 0 is line 1)."""
    return {
        plan: Path(resources.source_document(name)).read_text(encoding="utf-8").splitlines()
        for plan, name in SOURCES.items()
    }
