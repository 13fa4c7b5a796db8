"""Issue 9, test 3: the row cap is counted while the engine streams, so a cartesian product of the
whole graph (six million solutions) comes back at once, cut at the cap and flagged."""

import json

import pytest
from hardening_support import query, serve
from support import built_in_triples

from graphsvc.settings import BY_NAME

PRODUCT = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"
ROW_CAP = 10_000  # the default
TIME_LIMIT = 10.0  # the default


@pytest.fixture(scope="module")
def served():
    served = serve({"SPARQL_WORKERS": BY_NAME["SPARQL_WORKERS"].default}, threads=8)
    yield served
    served.pool.close()


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "text/csv"])
def test_a_cartesian_product_is_cut_at_the_row_cap(served, accept):
    reply = query(served.url, PRODUCT, accept=accept)
    print(f"\n{PRODUCT} as {accept}: {reply.status} in {reply.seconds:.2f} s, {len(reply.body)} bytes")
    assert reply.status == 200 and reply.seconds < TIME_LIMIT
    assert reply.headers["X-SPARQL-Truncated"] == "true" and reply.headers["X-SPARQL-Row-Cap"] == str(ROW_CAP)
    if accept == "text/csv":
        assert len(reply.text.splitlines()) == ROW_CAP + 1  # the header line, then the rows
    else:
        body = json.loads(reply.body)
        assert len(body["results"]["bindings"]) == ROW_CAP and body["truncated"] is True


def test_a_constructed_product_is_cut_at_the_row_cap(served):
    reply = query(served.url, "CONSTRUCT { ?a ?b ?f } WHERE { ?a ?b ?c . ?d ?e ?f }", accept="application/n-triples")
    print(f"\nconstructed product: {reply.status} in {reply.seconds:.2f} s")
    assert reply.status == 200 and reply.headers["X-SPARQL-Truncated"] == "true"
    assert len(reply.text.strip().splitlines()) == ROW_CAP


def test_an_answer_within_the_cap_is_whole(served):
    reply = query(served.url, "SELECT * WHERE { ?s ?p ?o }")
    assert reply.status == 200 and "X-SPARQL-Truncated" not in reply.headers
    assert len(json.loads(reply.body)["results"]["bindings"]) == built_in_triples()
