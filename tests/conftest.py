"""Fixtures shared by the test suite: the built-in graph, its engine, the source documents, Chromium, and
the web app on the built-in graph once per session, through Flask's test client and live on waitress."""

import threading
from pathlib import Path

import pytest
from support import CHROMIUM, CHROMIUM_ARGS, free_port
from waitress.server import create_server

from graphsvc import resources
from graphsvc.engine import graph, session
from graphsvc.web.app import create_app

SOURCES = {
    "2007-10": "mps-drugs-strategy-2007-10.txt",
    "2004-5": "mps-priority-2004-5.txt",
}


@pytest.fixture(scope="session")
def engine():
    """The embedded default engine over the built-in graph, as the commands open it."""
    return session.open_engine()


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


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright, one per test session for every browser test.

    Playwright's sync API allows one instance per thread, so suites that drive a browser
    (tests/web and tests/hardening) share this fixture rather than start their own.
    """
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    with sync_api.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Markers, so that `pytest -m "not slow and not browser"` is a quick loop while CI runs everything:
# browser tests drive Chromium; server tests start a real server or store process on 127.0.0.1;
# slow ones take seconds each (the hardening limits, packaging, a served national graph).
BROWSER_MODULES = {"test_browser.py", "test_map_browser.py"}
SERVER_MODULES = {
    "test_serving.py",
    "test_sources.py",
    "test_serve.py",
    "test_clients.py",
    "test_engines.py",
    "test_w3c_protocol_suite.py",
    "test_base_iri_for_every_query.py",
}
SERVER_MODULES |= {"test_slow_clients_leave_health_reachable.py", "test_sigterm_drains_and_leaves_no_process.py"}
SLOW_MODULES = {
    "test_hardening_dos.py",
    "test_hardening_concurrency.py",
    "test_hardening_egress.py",
    "test_hardening_rows.py",
    "test_hardening_service.py",
    "test_uploads.py",
    "test_web_hardening.py",
    "test_serving.py",
    "test_packaging.py",
    "test_serve.py",
    "test_import_page.py",
    "test_import_command.py",
    "test_validate_cli.py",
    "test_docs.py",
    "test_sources.py",
    "test_audit_by_owner.py",
    "test_sparql_audit.py",
    # the server's lifecycle: slow clients, shutdown under load, uploads at their limits
    "test_slow_clients_leave_health_reachable.py",
    "test_sigterm_drains_and_leaves_no_process.py",
    "test_an_upload_is_timed_by_its_own_cpu.py",
    "test_uploads_are_capped_at_once.py",
    "test_upload_problem_list_is_capped.py",
    "test_server_lifecycle.py",
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        name = item.path.name
        if name in BROWSER_MODULES or "chromium" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
        if name in SERVER_MODULES or "hardening" in item.path.parts:
            item.add_marker(pytest.mark.server)
        if name in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
        if REMOTE_FIXTURES & set(getattr(item, "fixturenames", ())):  # a store process starts: seconds
            item.add_marker(pytest.mark.server)
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def app():
    return create_app({"GRAPH": graph.default(), "SPARQL_ROW_CAP": 1000})


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on."""
    return free_port()


@pytest.fixture(scope="session")
def live_url(app):
    """The app served by waitress on 127.0.0.1 in a thread, as `graphsvc serve` serves it."""
    server = create_server(app, host="127.0.0.1", port=free_port(), threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    # Left running: the daemon thread ends with the test process (closing the socket under
    # waitress's select loop only makes it complain).
    return f"http://127.0.0.1:{server.effective_port}"


# The remote stores the suite checks graphsvc against, each started once per session on 127.0.0.1
# (tests/oxigraph_server.py, tests/virtuoso_server.py) and holding the built-in graph.
REMOTE_FIXTURES = {"virtuoso", "oxigraph_endpoint", "remote_store"}
BUILT_IN, ONE_PLAN = "urn:graphsvc:built-in", "urn:graphsvc:one-plan"


def _dump(folder: Path, name: str, files) -> Path:
    data = graph.load(files) if files is not None else graph.default()
    path = folder / f"{name}.nt"
    data.serialize(path, format="nt", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def oxigraph_endpoint(tmp_path_factory):
    """`oxigraph serve-read-only` holding the built-in graph: its query URL."""
    import oxigraph_server

    folder = tmp_path_factory.mktemp("oxigraph-built-in")
    with oxigraph_server.running(folder, [_dump(folder, "built-in", None)]) as endpoint:
        yield endpoint


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    """Debian's Virtuoso, started once: {"built-in": endpoint URL, "one-plan": endpoint URL}, each URL
    naming as its default graph the named graph that holds that data (so no system graph answers)."""
    import virtuoso_server

    if virtuoso_server.VIRTUOSO is None or virtuoso_server.ISQL is None:
        pytest.skip("Debian's virtuoso-opensource is not installed (.ci/run installs it)")
    folder = tmp_path_factory.mktemp("virtuoso")
    one_plan = [*resources.ontology_files()]
    one_plan += [p for p in resources.data_files() if p.name in ("organisation.ttl", "mps-priority-2004-5.ttl")]
    graphs = {BUILT_IN: [_dump(folder, "built-in", None)], ONE_PLAN: [_dump(folder, "one-plan", one_plan)]}
    with virtuoso_server.running(folder, graphs) as endpoints:
        yield {"built-in": endpoints[BUILT_IN], "one-plan": endpoints[ONE_PLAN]}


@pytest.fixture(scope="session", params=["oxigraph", "virtuoso"])
def remote_store(request):
    """The endpoint URL of each remote store in turn, holding the built-in graph."""
    if request.param == "oxigraph":
        return request.getfixturevalue("oxigraph_endpoint")
    return request.getfixturevalue("virtuoso")["built-in"]
