"""Pages are built once per data version and representation, by one thread at a time; the cache
stays within its bounds; a server looks for written reports at most once per REPORTS_LAG."""

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


def test_threads_asking_at_once_for_a_page_build_it_once():
    """While reports are written, each new version had every waiting client build the same page."""
    import threading
    import time

    cache, builds = PageCache(), []

    def build():
        builds.append(1)
        time.sleep(0.2)
        return "page"

    threads = [threading.Thread(target=cache.remember, args=("page", build)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(builds) == 1 and cache.remember("page", build) == "page"


def test_a_server_looks_for_reports_at_most_once_per_reports_lag(tmp_path):
    """Pages show written reports within REPORTS_LAG, and not sooner: each look that finds a report
    rebuilds every page."""
    from graphsvc.answers import progress_writes
    from graphsvc.engine import sources

    served = create_app({"REPORTS_DIR": str(tmp_path), "AUDIT": False, "REPORTS_LAG": 60}).extensions["graphsvc"]
    assert served.catch_up() == 0
    source = sources.Source(reports=str(tmp_path))
    engine = sources.open_engine(source)
    draft = progress_writes.Draft("1.1", "2008-Q3", "on track", "shona-pearce")
    progress_writes.write(source, engine, [progress_writes.prepare(engine, draft)])
    assert served.catch_up() == 0  # looked less than a minute ago: not yet
    served.engine.follower.looked -= 60  # as if the minute had passed
    assert served.catch_up() == 1


def test_while_one_request_builds_a_new_version_the_others_get_the_last():
    """The builder sees the new data; requests meanwhile get the last version's page, whole, at once."""
    import threading
    import time

    version = [0]
    cache = PageCache(version=lambda: version[0])
    assert cache.remember("page", lambda: "v0", previous_ok=True) == "v0"
    version[0] = 1
    started, found = threading.Event(), []

    def slow_build():
        started.set()
        time.sleep(0.3)
        return "v1"

    builder = threading.Thread(target=lambda: found.append(cache.remember("page", slow_build, previous_ok=True)))
    builder.start()
    started.wait(5)
    at_once = time.monotonic()
    assert cache.remember("page", lambda: "not this", previous_ok=True) == "v0"  # the last version's
    assert time.monotonic() - at_once < 0.1
    builder.join()
    assert found == ["v1"] and cache.remember("page", lambda: "not this", previous_ok=True) == "v1"
    assert cache.remember("other", lambda: "built", previous_ok=True) == "built"  # nothing before: built
