"""Issue 9, test 4: 16 concurrent clients x 200 valid queries: every answer 2xx and equal to the serial one.

With as many workers as clients no query is refused as busy; what is tested is that the pool
hands each query to one worker and each answer back to its own request, under load.
"""

import json
import statistics
import threading
import time

import pytest
from hardening_support import query, serve

from graphsvc.queries import query as named_query

CLIENTS = 16
PER_CLIENT = 200
QUERIES = [
    named_query(name)
    for name in (
        "web_example_scd_accountable",
        "web_example_items_without_measurable_measure",
        "web_example_measurability",
        "web_example_partners",
        "figures",
    )
] + [
    "ASK { <https://w3id.org/graphsvc/id/unit/scd> ?p ?o }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT ?s ?o WHERE { ?s <http://www.w3.org/2004/02/skos/core#notation> ?o } ORDER BY ?o ?s LIMIT 50",
    "CONSTRUCT WHERE { <https://w3id.org/graphsvc/id/unit/scd> ?p ?o }",
    "SELECT DISTINCT ?type WHERE { ?s a ?type }",
]


def _answer(reply) -> str:
    """The answer, independent of row order (SPARQL gives none without ORDER BY) and of JSON layout."""
    if reply.headers.get_content_type() == "application/n-triples":
        return "\n".join(sorted(reply.text.strip().splitlines()))
    body = json.loads(reply.body)
    if "boolean" in body:
        return json.dumps(body["boolean"])
    rows = sorted(json.dumps(row, sort_keys=True) for row in body["results"]["bindings"])
    return json.dumps([body["head"]["vars"], rows])


def _ask(base: str, text: str):
    accept = "application/n-triples" if text.startswith("CONSTRUCT") else "application/sparql-results+json"
    return query(base, text, accept=accept)


@pytest.fixture(scope="module")
def served():
    served = serve({"SPARQL_WORKERS": CLIENTS}, threads=CLIENTS + 8)
    yield served
    served.pool.close()


def test_concurrent_clients_get_the_serial_answers(served):
    serial = {}
    for text in QUERIES:
        reply = _ask(served.url, text)
        assert reply.status == 200, reply.text
        serial[text] = _answer(reply)
    failures, mismatches, seconds = [], [], []
    lock = threading.Lock()

    def client(number: int):
        for turn in range(PER_CLIENT):
            text = QUERIES[(number + turn) % len(QUERIES)]
            reply = _ask(served.url, text)
            with lock:
                seconds.append(reply.seconds)
                if not 200 <= reply.status < 300:
                    failures.append((reply.status, reply.text[:100]))
                elif _answer(reply) != serial[text]:
                    mismatches.append(text)

    began = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - began
    cuts = statistics.quantiles(seconds, n=100)
    print(
        f"\n{CLIENTS} clients x {PER_CLIENT} queries: {len(seconds)} answers in {wall:.1f} s "
        f"({len(seconds) / wall:.0f}/s), p50 {cuts[49] * 1000:.1f} ms, p99 {cuts[98] * 1000:.1f} ms, "
        f"non-2xx {len(failures)}, answers unlike the serial one {len(mismatches)}"
    )
    assert len(seconds) == CLIENTS * PER_CLIENT
    assert failures == [] and mismatches == []
