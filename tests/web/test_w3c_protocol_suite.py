"""The W3C SPARQL 1.1 Protocol test suite, run as written against a live server.

The manifest and its data are vendored unchanged in tests/vendor/w3c-sparql11-protocol (see
VENDORED.md there). Each test's requests are sent byte for byte to a waitress server over the
suite's data; only the path prefix "/sparql/" is replaced by this endpoint's "/sparql", as the
manifest asks. The server holds the suite's graphs merged into its one default graph and knows
them by the names the tests give in ``default-graph-uri``.
"""

import http.client
import json
import threading
from pathlib import Path
from xml.etree import ElementTree

import pytest
from rdflib import RDF, RDFS, Graph, Namespace
from rdflib.collection import Collection
from support import free_port
from waitress.server import create_server

from graphsvc.web.app import create_app

SUITE = Path(__file__).parent.parent / "vendor" / "w3c-sparql11-protocol"
BASE = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
CNT = Namespace("http://www.w3.org/2011/content#")
# Named in requests by query_post_form, query_get and the content-type tests, with no data of its own.
DATA0 = "http://kasei.us/2009/09/sparql/data/data0.rdf"

NAMED_GRAPHS = (
    "needs named graphs (named-graph-uri or GRAPH over a protocol dataset): this endpoint serves one default graph"
)
NOT_APPLICABLE = {
    "query_dataset_named_graphs_post": NAMED_GRAPHS,
    "query_dataset_named_graphs_get": NAMED_GRAPHS,
    "query_dataset_full": NAMED_GRAPHS,
    "query_multiple_dataset": NAMED_GRAPHS + "; and FROM is refused",
}
UPDATES = "an update test: this endpoint is read-only and refuses every update (the bad_update_* tests still run)"

MANIFEST = Graph().parse(SUITE / "manifest.ttl", publicID=BASE + "manifest.ttl")


def _entries() -> list:
    manifest = next(MANIFEST.subjects(RDF.type, MF.Manifest))
    return list(Collection(MANIFEST, MANIFEST.value(manifest, MF.entries)))


def _name(test) -> str:
    return str(test).rsplit("#", 1)[1]


def _graph_data() -> tuple[Graph, set[str]]:
    """Every graph the suite loads, merged, and the names the tests know them by."""
    merged, names = Graph(), {DATA0}
    for data in set(MANIFEST.objects(None, UT.graphData)):
        merged.parse(SUITE / Path(str(MANIFEST.value(data, UT.graph))).name, format="nt")
        names.add(str(MANIFEST.value(data, RDFS.label)))
    return merged, names


@pytest.fixture(scope="module")
def suite_server():
    data, names = _graph_data()
    app = create_app({"GRAPH": data, "DEFAULT_GRAPH_IRIS": " ".join(sorted(names)), "AUDIT": False})
    server = create_server(app, host="127.0.0.1", port=free_port(), threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield server.effective_port
    server.close()


def _requests(test) -> list:
    action = MANIFEST.value(test, MF.action)
    return list(Collection(MANIFEST, MANIFEST.value(action, HT.requests)))


def _send(port: int, request) -> tuple[int, str, bytes]:
    method = str(MANIFEST.value(request, HT.methodName))
    path = str(MANIFEST.value(request, HT.absolutePath)).replace("/sparql/", "/sparql", 1)
    headers = {}
    if MANIFEST.value(request, HT.headers) is not None:
        for header in Collection(MANIFEST, MANIFEST.value(request, HT.headers)):
            headers[str(MANIFEST.value(header, HT.fieldName))] = str(MANIFEST.value(header, HT.fieldValue))
    body = None
    content = MANIFEST.value(request, HT.body)
    if content is not None:
        encoding = str(MANIFEST.value(content, CNT.characterEncoding) or "UTF-8")
        body = str(MANIFEST.value(content, CNT.chars)).encode(encoding)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        connection.close()


def _boolean(media_type: str, body: bytes) -> bool:
    if "xml" in media_type:
        found = ElementTree.fromstring(body).find("{http://www.w3.org/2005/sparql-results#}boolean")
        return found.text.strip() == "true"
    return json.loads(body)["boolean"]


RESULT_TYPES = {
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
}
RDF_TYPES = {"text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"}


@pytest.mark.parametrize("test", _entries(), ids=_name)
def test_w3c_protocol(suite_server, test):
    name = _name(test)
    if name in NOT_APPLICABLE:
        pytest.skip(NOT_APPLICABLE[name])
    if name.startswith("update_"):
        pytest.skip(UPDATES)
    for request in _requests(test):
        status, content_type, body = _send(suite_server, request)
        response = MANIFEST.value(request, HT.resp)
        allowed = {str(code).rsplit("StatusCode", 1)[1] for code in MANIFEST.objects(response, MF.expectedStatus)}
        assert f"{str(status)[0]}xx" in allowed, (name, status, body[:300])
        media_type = content_type.split(";")[0].strip()
        expected_format = MANIFEST.value(response, MF.expectedFormat)
        if expected_format is not None and str(expected_format) in ("boolean", "tabular"):
            assert media_type in RESULT_TYPES, (name, content_type)
        if expected_format is not None and str(expected_format) == "RDF":
            assert media_type in RDF_TYPES, (name, content_type)
            Graph().parse(data=body, format="turtle" if media_type == "text/turtle" else media_type)
        expected = MANIFEST.value(response, MF.expectedBoolean)
        if expected is not None:
            assert _boolean(media_type, body) is expected.toPython(), (name, body[:300])


def test_the_suite_is_complete():
    """All 34 tests of the manifest are collected, and the six default-graph query tests are among those run."""
    names = [_name(test) for test in _entries()]
    assert len(names) == 34
    run = [n for n in names if n not in NOT_APPLICABLE and not n.startswith("update_")]
    assert {
        "query_post_form",
        "query_dataset_default_graphs_get",
        "query_dataset_default_graphs_post",
        "query_get",
    } <= set(run)
