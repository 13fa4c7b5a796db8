"""The query editor's "What is SCD accountable for?" gave 72 rows on Virtuoso and 38 on Oxigraph:
Virtuoso repeats a node once per route of a `+` path, where SPARQL's paths give each once."""

from graphsvc.engine import session
from graphsvc.engine.engines import RemoteEngine
from graphsvc.queries import query


def _rows(engine):
    return [
        tuple(sorted((k, str(v)) for k, v in row.items()))
        for row in engine.query(query("web_example_scd_accountable")).rows
    ]


def test_the_example_gives_each_row_once_on_every_store(virtuoso):
    mine, theirs = _rows(RemoteEngine(virtuoso["built-in"])), _rows(session.open_engine())
    assert sorted(mine) == sorted(theirs) and len(set(mine)) == len(mine) > 20
