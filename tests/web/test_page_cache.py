"""Pages are built once per data version and representation; the cache stays within its bounds."""

import pytest

from graphsvc.engine import graph
from graphsvc.web.app import create_app
from graphsvc.web.http.page_cache import PageCache
from graphsvc.web.http.site import AuditState


class CountingEngine:
    """The served engine, counting the queries the pages send it."""

    def __init__(self, engine):
        self.engine = engine
        self.name = engine.name
        self.queries = 0

    def query(self, *args, **kwargs):
        self.queries += 1
        return self.engine.query(*args, **kwargs)

    def triple_count(self):
        return self.engine.triple_count()

    def __getattr__(self, name):  # the data's version, its follower: the served engine's own
        return getattr(self.engine, name)


@pytest.fixture(scope="module")
def counted():
    app = create_app({"GRAPH": graph.default(), "AUDIT": False})
    served = app.extensions["graphsvc"]
    served.engine = CountingEngine(served.engine)
    return app, served.engine


@pytest.mark.parametrize(
    "path, accept",
    [
        ("/id/unit/scd", "text/html"),
        ("/id/unit/scd", "application/json"),
        ("/id/unit/scd.ttl", "*/*"),
        ("/id/item/2007-10/1.1", "text/html"),
        ("/partners", "text/html"),
        ("/", "application/json"),
    ],
)
def test_a_page_asked_again_runs_no_query_and_is_the_same(counted, path, accept):
    app, engine = counted
    client = app.test_client()
    first = client.get(path, headers={"Accept": accept})
    assert first.status_code == 200 and engine.queries > 0
    before = engine.queries
    again = client.get(path, headers={"Accept": accept})
    assert engine.queries == before
    assert (again.status_code, again.mimetype, again.data) == (first.status_code, first.mimetype, first.data)
    assert again.headers["Link"] == first.headers["Link"] and again.headers["Vary"] == "Accept"


def test_each_representation_is_kept_apart(counted):
    app, _ = counted
    client = app.test_client()
    html = client.get("/id/unit/scd", headers={"Accept": "text/html"})
    data = client.get("/id/unit/scd", headers={"Accept": "application/json"})
    turtle = client.get("/id/unit/scd", headers={"Accept": "text/turtle"})
    assert (html.mimetype, data.mimetype, turtle.mimetype) == ("text/html", "application/json", "text/turtle")
    assert client.get("/id/unit/scd.json").data == data.data


def test_an_unknown_iri_stays_not_found(counted):
    app, _ = counted
    client = app.test_client()
    assert client.get("/id/unit/no-such-unit").status_code == 404
    assert client.get("/id/unit/no-such-unit").status_code == 404


def test_the_validation_page_is_not_cached():
    app = create_app({"GRAPH": graph.default(), "AUDIT": False})
    served = app.extensions["graphsvc"]
    client = app.test_client()
    served.audit = AuditState.running()
    assert "still running" in client.get("/validation").get_data(as_text=True)
    served.audit = AuditState.failed()
    assert "the audit failed" in client.get("/validation").get_data(as_text=True)


def test_the_cache_drops_the_least_recently_used_beyond_its_bytes():
    cache = PageCache(max_bytes=10)
    built = []

    def build(value):
        built.append(value)
        return value

    for key in "abc":
        cache.remember(key, lambda: build(key * 4), len)  # 4 bytes each: "a" goes when "c" comes
    assert len(cache) == 2
    cache.remember("b", lambda: build("again"), len)  # kept: not rebuilt, now the most recent
    cache.remember("a", lambda: build("aaaa"), len)  # rebuilt; "c" goes
    assert built == ["aaaa", "bbbb", "cccc", "aaaa"]
    assert cache.remember("b", lambda: build("x"), len) == "bbbb"
    assert cache.remember("big", lambda: build("y" * 11), len) == "y" * 11 and "big" not in cache._values
