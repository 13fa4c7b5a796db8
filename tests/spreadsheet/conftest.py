"""The built-in plans' own file graphs and their exported tables, shared by the spreadsheet tests."""

import copy

import pytest

from graphsvc.spreadsheet.export import export_plan
from graphsvc.spreadsheet.files import plan_graph

PLANS = ("2007-10", "2004-5")


@pytest.fixture(scope="session")
def plan_graphs():
    return {ref: plan_graph(ref) for ref in PLANS}


@pytest.fixture(scope="session")
def _exported(plan_graphs):
    return {ref: export_plan(graph) for ref, graph in plan_graphs.items()}


@pytest.fixture
def exported(_exported):
    """Fresh copies of each plan's tables, free to be broken by a test."""
    return copy.deepcopy(_exported)


def sheet(tables, name):
    return next(t for t in tables if t.name == name)


def row_of(tables, name, key):
    """The cells (header -> text) of the row whose first column is key."""
    table = sheet(tables, name)
    return dict(zip(table.header, next(r for r in table.rows if r[0] == key)))
