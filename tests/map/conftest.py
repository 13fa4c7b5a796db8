"""The map's web tests reuse the web suite's fixtures (its app on the built-in graph, its live server).

pytest puts the folder of tests/conftest.py on sys.path, so the web suite's conftest imports as web.conftest.
"""

import pytest
from playwright.sync_api import sync_playwright
from web.conftest import app, client, live_url  # noqa: F401


# Until the web suite has its own browser fixture: Debian's Chromium driven by Playwright.
@pytest.fixture(scope="session")
def chromium():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield browser
        browser.close()


@pytest.fixture()
def browser_page(chromium):
    context = chromium.new_context(accept_downloads=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    yield page
    context.close()
    assert not errors, errors
