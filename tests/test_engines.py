"""The same query suite gives the same answers on embedded Oxigraph, rdflib and a real SPARQL server.

The server is the `oxigraph` server from PyPI, started here on 127.0.0.1 on a free port and
loaded with the same ontology and data (N-Triples of the built-in graph); the remote engine
reaches it over the SPARQL 1.1 protocol, with bindings sent as a VALUES clause.
"""

from decimal import Decimal

import oxigraph_server
import pytest
from rdflib import Literal, URIRef

from graphsvc.answers import dependencies, names, ownership
from graphsvc.engine import graph, session
from graphsvc.engine.engines import QuerySyntaxError, RemoteEngine
from graphsvc.queries import query

ID = "https://w3id.org/graphsvc/id/"
TARGETS = [
    "unit/scd",
    "unit/tp",
    "unit/co",
    "unit/central-tasking-office",
    "post/head-of-siu",
    "person/hitchcock",
    "partner/home-office",
    "organisation/mps",
]
ITEMS = ["item/2007-10/4.1", "item/2007-10/5.1", "activity/2004-5/1-3"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`oxigraph serve-read-only` on a store loaded with the built-in graph; stopped after the module."""
    folder = tmp_path_factory.mktemp("oxigraph")
    data = folder / "graph.nt"
    graph.default().serialize(data, format="nt", encoding="utf-8")
    with oxigraph_server.running(folder, [data]) as endpoint:
        yield endpoint


@pytest.fixture(scope="module")
def engines(server):
    return {
        "oxigraph": session.open_engine("oxigraph"),
        "rdflib": session.open_engine("rdflib"),
        "remote": RemoteEngine(server),
    }


def _key(term) -> str:
    """A term as text; numbers by value, since Oxigraph keeps decimals in canonical form ("50.0" is "50")."""
    if isinstance(term, Literal) and isinstance(term.toPython(), (int, float, Decimal)):
        return f"{float(term.toPython())}^^{term.datatype}"
    return "" if term is None else term.n3()


def _rows(answer) -> list[tuple]:
    """Rows as sorted tuples of terms, so answers compare whatever order an engine returns them in."""
    return sorted(tuple((v, _key(row.get(v))) for v in sorted(answer.variables)) for row in answer.rows)


SUITE = [
    ("names", None),
    ("items", None),
    ("org_chart", None),
    ("short_names", None),
    ("item_attributions", None),
    *[("ownership", {"target": URIRef(ID + t)}) for t in TARGETS],
    *[(name, {"item": URIRef(ID + i)}) for name in ("item_attributions", "item_source") for i in ITEMS],
    *[(name, {"item": URIRef(ID + i)}) for name in ("item_actions", "item_measures") for i in ITEMS[:2]],
]


@pytest.mark.parametrize("name, bindings", SUITE, ids=[f"{n}-{i}" for i, (n, _) in enumerate(SUITE)])
def test_query_suite_gives_the_same_rows_on_every_engine(engines, name, bindings):
    answers = {kind: _rows(engine.query(query(name), bindings)) for kind, engine in engines.items()}
    assert answers["oxigraph"], f"{name} found nothing"
    assert answers["rdflib"] == answers["oxigraph"]
    assert answers["remote"] == answers["oxigraph"]


def test_remote_bindings_are_terms_not_text(engines):
    """A hostile 'name' reaches the server as one literal in VALUES: it matches nothing and injects nothing."""
    sneaky = Literal('x" } ?s ?p ?o { "')
    for engine in engines.values():
        assert engine.query(query("ownership"), {"target": sneaky}).rows == []


def test_api_answers_are_the_same_on_every_engine(engines):
    def everything(engine):
        return (
            [ownership.accountability(engine, ID + t) for t in TARGETS],
            [ownership.item_detail(engine, ID + i) for i in ITEMS],
            dependencies.partners(engine),
            dependencies.analyses(dependencies.network(engine)),
            [names.resolve(engine, text) for text in ("SCD", "AC SC", "Hitchcock", "BOCU")],
        )

    reference = everything(engines["oxigraph"])
    assert everything(engines["rdflib"]) == reference
    assert everything(engines["remote"]) == reference


def test_ask_construct_and_syntax_errors_on_every_engine(engines):
    construct = (
        "PREFIX org: <http://www.w3.org/ns/org#> "
        "CONSTRUCT { ?u org:subOrganizationOf ?g } WHERE { ?u org:subOrganizationOf ?g }"
    )
    graphs = {kind: set(engine.query(construct).graph) for kind, engine in engines.items()}
    assert len(graphs["oxigraph"]) == 22
    assert graphs["rdflib"] == graphs["oxigraph"] == graphs["remote"]
    for engine in engines.values():
        assert engine.query("ASK { ?s a <https://w3id.org/graphsvc/def#Plan> }").boolean is True
        with pytest.raises(QuerySyntaxError):
            engine.query("SELECT ?x WHERE { ?x ?y }")


def test_cli_runs_on_the_remote_endpoint(server):
    from click.testing import CliRunner

    from graphsvc.cli import main

    remote = CliRunner().invoke(main, ["--sparql-endpoint", server, "who", "SCD", "--format", "json"])
    embedded = CliRunner().invoke(main, ["who", "SCD", "--format", "json"])
    assert remote.exit_code == 0, remote.output
    assert remote.output == embedded.output


def test_session_opens_each_engine_once_and_rejects_unknown_kinds():
    assert session.open_engine("rdflib") is session.open_engine("rdflib")
    assert session.open_engine("rdflib").name == "rdflib" and session.open_engine().name == session.DEFAULT_KIND
    with pytest.raises(ValueError, match="unknown engine 'jena': choose one of oxigraph, rdflib"):
        session.configure("jena")


def test_oxigraph_holds_every_triple_of_the_graph_it_is_loaded_from():
    """The graph is loaded as sorted N-Triples lines: blank nodes, a literal with a newline, a language
    tag and a typed value must come through unchanged, and the built-in graph whole."""
    from rdflib import BNode, Graph
    from rdflib.compare import isomorphic

    from graphsvc.engine.engines import OxigraphEngine

    sample = Graph()
    node, subject = BNode(), URIRef(ID + "unit/x")
    sample.add((subject, URIRef(ID + "p"), node))
    sample.add((node, URIRef(ID + "note"), Literal('two\nlines "quoted"')))
    sample.add((node, URIRef(ID + "label"), Literal("Drogen", lang="de")))
    sample.add((subject, URIRef(ID + "count"), Literal(3)))

    def by_value(triples) -> Graph:  # Oxigraph writes decimals canonically ("50.0" is "50")
        numbers = (int, float, Decimal)
        return Graph().__iadd__(
            [
                tuple(
                    Literal(float(t.toPython())) if isinstance(t, Literal) and isinstance(t.toPython(), numbers) else t
                    for t in triple
                )
                for triple in triples
            ]
        )

    for data in (sample, graph.default()):
        answer = OxigraphEngine.from_graph(data).query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        assert len(answer.graph) == len(data)
        assert isomorphic(by_value(answer.graph), by_value(data))


def test_an_ill_typed_literal_is_logged_with_its_traceback_as_text_not_frames():
    """rdflib logs "2005-02-29"^^xsd:date with its traceback; a handler that keeps the record must
    not keep the frames (they hold Oxigraph's iterator, which pyo3 leaks when freed on another thread)."""
    import logging
    import threading

    from rdflib import Graph
    from rdflib.namespace import XSD

    from graphsvc.engine.engines import OxigraphEngine

    data = Graph()
    data.add((URIRef(ID + "action/x"), URIRef(ID + "targetDate"), Literal("1999-02-31", datatype=XSD.date)))
    engine = OxigraphEngine.from_graph(data)
    kept: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = kept.append
    logger = logging.getLogger("rdflib.term")
    logger.addHandler(handler)
    try:
        answers = []
        worker = threading.Thread(target=lambda: answers.append(engine.query("SELECT ?d WHERE { ?s ?p ?d }").rows))
        worker.start()
        worker.join()
    finally:
        logger.removeHandler(handler)
    assert str(answers[0][0]["d"]) == "1999-02-31"
    failed = [record for record in kept if "Failed to convert Literal" in record.getMessage()]
    assert failed and all(record.exc_info is None for record in failed)
    assert all("day is out of range" in record.exc_text for record in failed)


def test_rows_of_bindings_answer_in_one_query_on_every_engine(engines):
    """Several rows of bindings are one VALUES block: the rows of each asked alone, together."""
    rows = [{"item": URIRef(ID + i)} for i in ITEMS]
    for kind, engine in engines.items():
        together = _rows(engine.query(query("items"), rows))
        alone = sorted(row for one in rows for row in _rows(engine.query(query("items"), one)))
        assert together == alone and len(together) == len(ITEMS), kind
    with pytest.raises(ValueError, match="same variables"):
        engines["oxigraph"].query(query("items"), [{"item": URIRef(ID + ITEMS[0])}, {"other": URIRef(ID)}])
