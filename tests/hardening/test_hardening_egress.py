"""Issue 9, test 1: no query reaches outside the served graph, however it is written.

Every attack of the corpus is sent to a real waitress server; a loopback canary server counts
any request that reaches it and a canary file holds a secret. The bound: every answer 4xx,
0 canary hits, 0 canary bytes in any response. Then the same SERVICE, LOAD and FROM run
unchecked, straight on both engines inside a confined child: the defence in depth alone
must still stop them.
"""

from collections import Counter

import pytest
from hardening_support import fetch, post_query, query, serve
from support import built_in_triples

from graphsvc.sandbox.confinement import ConfinementError, Limits, run_confined

SPO = "{ ?s ?p ?o }"


def _escaped(text: str) -> str:
    """Every character of ``text`` as a \\u escape, which SPARQL reads as the character itself."""
    return "".join(f"\\u{ord(c):04X}" for c in text)


def attacks(canary: str, secret_file: str) -> list[tuple[str, dict]]:
    """(name, request) pairs: each request is query text, or protocol parameters, or a raw POST."""
    file_iri = f"file://{secret_file}"
    host_port = canary.removeprefix("http://")
    queries = {
        "SERVICE": f"SELECT * WHERE {{ SERVICE <{canary}/service> {SPO} }}",
        "SERVICE SILENT": f"SELECT * WHERE {{ SERVICE SILENT <{canary}/silent> {SPO} }}",
        "SERVICE nested": f"SELECT * WHERE {{ SERVICE <{canary}/outer> {{ SERVICE <{canary}/inner> {SPO} }} }}",
        "SERVICE in sub-query": f"SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{canary}/sub> {SPO} }} }} }}",
        "SERVICE in EXISTS": f"SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{canary}/exists> {SPO} }} }}",
        "SERVICE in NOT EXISTS": f"ASK {{ FILTER NOT EXISTS {{ SERVICE <{canary}/not-exists> {SPO} }} }}",
        "SERVICE in OPTIONAL": f"SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE <{canary}/optional> {SPO} }} }}",
        "SERVICE in UNION": f"SELECT * WHERE {{ {SPO} UNION {{ SERVICE <{canary}/union> {SPO} }} }}",
        "SERVICE in MINUS": f"SELECT * WHERE {{ ?s ?p ?o MINUS {{ SERVICE <{canary}/minus> {SPO} }} }}",
        "SERVICE in GRAPH": f"SELECT * WHERE {{ GRAPH ?g {{ SERVICE <{canary}/graph> {SPO} }} }}",
        "SERVICE by variable": f"SELECT * WHERE {{ VALUES ?x {{ <{canary}/variable> }} SERVICE ?x {SPO} }}",
        "SERVICE lower case": f"select * where {{ service <{canary}/lower> {SPO} }}",
        "SERVICE in CONSTRUCT": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{canary}/construct> {SPO} }}",
        "SERVICE in DESCRIBE": f"DESCRIBE ?s WHERE {{ SERVICE <{canary}/describe> {SPO} }}",
        "SERVICE escaped keyword": f"SELECT * WHERE {{ \\u0053ERVICE <{canary}/escaped> {SPO} }}",
        "SERVICE escaped IRI": f"SELECT * WHERE {{ SERVICE <http://{_escaped(host_port)}/escaped-iri> {SPO} }}",
        "SERVICE escaped twice": f"SELECT * WHERE {{ \\u005Cu0053ERVICE <{canary}/twice> {SPO} }}",
        "FROM http": f"SELECT * FROM <{canary}/from.ttl> WHERE {SPO}",
        "FROM file": f"SELECT * FROM <{file_iri}> WHERE {SPO}",
        "FROM NAMED http": f"SELECT * FROM NAMED <{canary}/named.ttl> WHERE {{ GRAPH ?g {SPO} }}",
        "FROM NAMED file": f"SELECT * FROM NAMED <{file_iri}> WHERE {{ GRAPH ?g {SPO} }}",
        "FROM escaped": f"SELECT * \\u0046ROM <{_escaped(file_iri)}> WHERE {SPO}",
        "FROM in ASK": f"ASK FROM <{canary}/ask.ttl> {SPO}",
        "LOAD http": f"LOAD <{canary}/load.ttl>",
        "LOAD file": f"LOAD <{file_iri}>",
        "LOAD SILENT into graph": f"LOAD SILENT <{canary}/load-silent.ttl> INTO GRAPH <urn:g>",
        "INSERT DATA": "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "DELETE WHERE": "DELETE WHERE { ?s ?p ?o }",
        "INSERT WHERE SERVICE": f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{canary}/insert> {SPO} }}",
        "CLEAR ALL": "CLEAR ALL",
        "DROP then LOAD": f"DROP ALL ; LOAD <{canary}/drop-load.ttl>",
    }
    requests = [(name, {"query": text}) for name, text in queries.items()]
    requests += [
        (
            "protocol default-graph-uri",
            {"query": "SELECT * WHERE { ?s ?p ?o }", "default-graph-uri": f"{canary}/d.ttl"},
        ),
        ("protocol named-graph-uri", {"query": "SELECT * WHERE { ?s ?p ?o }", "named-graph-uri": file_iri}),
        ("protocol update", {"update": f"LOAD <{canary}/update-param.ttl>"}),
        ("POST sparql-update", {"post": f"LOAD <{canary}/post-update.ttl>", "type": "application/sparql-update"}),
        (
            "POST SERVICE direct",
            {"post": f"SELECT * WHERE {{ SERVICE <{canary}/post> {SPO} }}", "type": "application/sparql-query"},
        ),
    ]
    return requests


def _send(base: str, request: dict):
    if "post" in request:
        return post_query(base, request["post"], request["type"])
    parameters = dict(request)
    text = parameters.pop("query", None)
    if text is None:
        from urllib.parse import urlencode

        return fetch(f"{base}/sparql?{urlencode(parameters)}")
    return query(base, text, **parameters)


@pytest.fixture(scope="module")
def served():
    served = serve({"SPARQL_TIME_LIMIT": 5}, threads=8)
    yield served
    served.pool.close()


def test_no_attack_reaches_the_canaries(served, canary_server, canary_file):
    path, file_secret = canary_file
    corpus = attacks(canary_server.url, str(path))
    replies = {name: _send(served.url, request) for name, request in corpus}
    statuses = Counter(reply.status for reply in replies.values())
    leaked = sum(
        reply.body.count(secret.encode())
        for reply in replies.values()
        for secret in (canary_server.secret, file_secret)
    )
    print(
        f"\nattacks: {len(corpus)}; statuses: {dict(sorted(statuses.items()))}; "
        f"canary hits: {len(canary_server.hits)}; canary bytes in responses: {leaked}"
    )
    for name, reply in replies.items():
        print(f"  {reply.status} {name}: {reply.text.strip()[:110]}")
    assert len(corpus) >= 20
    assert canary_server.hits == []
    assert leaked == 0
    assert {name: reply.status for name, reply in replies.items() if not 400 <= reply.status < 500} == {}
    # and the service's own data is unchanged by the updates that were sent
    count = query(served.url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert count.status == 200 and f'"value": "{built_in_triples()}"' in count.text


def unchecked_egress(canary: str, secret_file: str) -> list[str]:
    """SERVICE, LOAD and FROM sent straight to both engines, no check first: what became of each."""
    import pyoxigraph as ox
    from rdflib import Dataset, Graph

    outcomes = []
    attempts = [
        ("oxigraph SERVICE", lambda: list(ox.Store().query(f"SELECT * WHERE {{ SERVICE <{canary}/dd-ox> {SPO} }}"))),
        ("oxigraph LOAD", lambda: ox.Store().update(f"LOAD <{canary}/dd-ox-load.ttl>")),
        ("rdflib SERVICE", lambda: list(Graph().query(f"SELECT * WHERE {{ SERVICE <{canary}/dd-rdflib> {SPO} }}"))),
        ("rdflib FROM http", lambda: list(Dataset().query(f"SELECT * FROM <{canary}/dd-from.ttl> WHERE {SPO}"))),
        ("rdflib FROM file", lambda: list(Dataset().query(f"SELECT * FROM <file://{secret_file}> WHERE {SPO}"))),
        ("python open", lambda: open(secret_file).read()),
    ]
    for name, attempt in attempts:
        try:
            outcomes.append(f"{name}: answered {attempt()!r}")
        except Exception as error:  # the point: each fails, and how
            outcomes.append(f"{name}: {type(error).__name__}: {' '.join(str(error).split())[:100]}")
    return outcomes


def test_defence_in_depth_stops_unchecked_queries(canary_server, canary_file):
    path, file_secret = canary_file
    try:
        outcomes = run_confined(unchecked_egress, canary_server.url, str(path), limits=Limits(deadline=30))
    except ConfinementError as error:
        pytest.fail(f"the confined child gave no answer: {error}")
    print("\n" + "\n".join(outcomes))
    assert len(outcomes) == 6 and not any(": answered" in outcome for outcome in outcomes)
    assert canary_server.hits == []
    assert not any(secret in outcome for outcome in outcomes for secret in (canary_server.secret, file_secret))


def test_a_child_without_a_network_namespace_says_so(monkeypatch, caplog):
    """Where the kernel refuses unshare (no root, no user namespaces) the child keeps only the audit hook:
    the server log must say so rather than leave the operator believing the network is cut."""
    from graphsvc.sandbox import confinement

    class Refusing:
        def unshare(self, flags):
            return -1

    monkeypatch.setattr(confinement.ctypes, "CDLL", lambda *a, **k: Refusing())
    monkeypatch.setattr(confinement.sys, "platform", "linux")
    with caplog.at_level("WARNING", logger="graphsvc.confinement"):
        assert confinement._isolate_network() is False
    assert "without its own network namespace" in caplog.text and "audit hook" in caplog.text
