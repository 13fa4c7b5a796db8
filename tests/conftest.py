"""Fixtures shared by the test suite: the built-in graph and the source documents."""

import shutil
from pathlib import Path

import pytest

from graphsvc import graph, resources

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

SOURCES = {
    "2007-10": "mps-drugs-strategy-2007-10.txt",
    "2004-5": "mps-priority-2004-5.txt",
}


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
