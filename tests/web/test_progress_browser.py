"""The analyst's progress journey in a real headless Chromium, on a served store with reports the
test writes itself: open SCD's page, read it as at a period, see what is overdue and each RAG in
words, download the CSV; the map coloured by RAG; axe on the pages with reports. Screenshots at
1366x768 and 390x844 go to tests/screenshots/ for a person to look at."""

import csv
import io
import threading

import pytest
from map_support import SCREENSHOTS, drawn
from support import free_port
from test_accessibility import AXE
from test_progress_owner_pages import PROGRESS_HEADER, reported_store
from waitress.server import create_server

from graphsvc.web.app import create_app

pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    from graphsvc.engine import session

    yield reported_store(tmp_path_factory)
    session.forget()


@pytest.fixture(scope="module")
def served(folder):
    """The reported store served by waitress on 127.0.0.1, as `graphsvc serve` serves it."""
    server = create_server(
        create_app({"STORE": str(folder), "AUDIT": False}), host="127.0.0.1", port=free_port(), threads=4
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()


def _axe(page) -> list[str]:
    page.evaluate(AXE)
    return page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => ['serious', 'critical'].includes(v.impact))"
        ".map(v => v.id + ': ' + v.help + ' ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))"
    )


def test_analyst_reads_scd_as_at_a_period_and_downloads_csv(chromium, served, tmp_path):
    SCREENSHOTS.mkdir(exist_ok=True)
    context = chromium.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True, bypass_csp=True)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    try:
        tab.goto(served + "/id/unit/scd")
        tab.locator("form.filters input[name=as-at]").fill("2008-Q3")
        tab.locator("form.filters").get_by_role("button", name="Show").click()
        tab.wait_for_url("**/id/unit/scd?plan=&role=&as-at=2008-Q3")
        counts = tab.locator("p.progress-counts").inner_text()
        assert (
            "as at July to September 2008 (2008-Q3): 0 due this period, 9 overdue, 1 stale, 34 no report yet" in counts
        )
        first = tab.locator("table.answer tr", has=tab.locator('a[href="/id/item/2007-10/1.1"]')).first
        assert first.locator("td.progress-latest").inner_text().startswith("on track for April to June 2008")
        assert "stale" in first.locator("td.progress-latest").inner_text()
        rag = first.locator("td.progress-rag").inner_text()
        assert "owner: green" in rag and "computed: amber" in rag and "they differ" in rag
        late = tab.locator("table.answer tr", has=tab.locator('a[href="/id/activity/2004-5/1-5"]')).first
        assert "overdue" in late.locator("td.progress-latest").inner_text()
        assert _axe(tab) == []
        tab.screenshot(path=SCREENSHOTS / "progress-scd-1366.png", full_page=True)

        with tab.expect_download() as caught:
            tab.locator(".downloads").get_by_role("link", name="CSV", exact=True).click()
        download = caught.value
        assert download.suggested_filename == "scd-accountability-2008-Q3.csv"
        saved = tmp_path / download.suggested_filename
        download.save_as(saved)
        rows = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
        reported = {r["Item"]: [r[c] for c in PROGRESS_HEADER] for r in rows if r["Role"] == "leads"}
        assert reported["4.1"] == ["off track", "2008-Q3", "red", "red", "no", "no", "2008-Q3"]  # computed: reported

        tab.goto(served + "/id/plan/2007-10?as-at=2008-Q3")
        assert "off track" in tab.locator("table.plan-items").first.inner_text() or "off track" in tab.content()
        assert _axe(tab) == []
        tab.screenshot(path=SCREENSHOTS / "progress-plan-1366.png", full_page=True)

        tab.goto(served + "/map?plan=2007-10&partners_only=0&as-at=2008-Q3")
        drawn(tab, 14)
        legend = tab.locator("#map-legend").inner_text()
        assert (
            legend.index("computed RAG red") < legend.index("computed RAG amber") < legend.index("computed RAG green")
        )
        captions = tab.evaluate("() => window.graphsvcMap.cy.nodes('[kind = \"item\"]').map(n => n.data('caption'))")
        assert any(c.endswith("· amber") for c in captions) and any(c.endswith("· green") for c in captions)
        assert "as-at=2008-Q3" in tab.url and "rag=" not in tab.url  # the default colouring is not spelt out
        tab.select_option("#map-rag", "owner")
        tab.wait_for_url("**rag=owner**")
        drawn(tab, 14)
        assert "1 red, 0 amber, 2 green" in tab.locator("#map-rag-summary").inner_text()
        assert _axe(tab) == []
        tab.screenshot(path=SCREENSHOTS / "progress-map-1366.png")
    finally:
        context.close()


def test_on_a_phone_the_progress_folds_into_the_cards(chromium, served):
    context = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, bypass_csp=True)
    page = context.new_page()
    try:
        page.goto(served + "/id/unit/scd?as-at=2008-Q3&plan=2007-10")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
        first = page.locator("table.answer tr", has=page.locator('a[href="/id/item/2007-10/1.1"]')).first
        assert first.locator("td.progress-rag").is_visible()
        assert _axe(page) == []
        page.screenshot(path=SCREENSHOTS / "progress-scd-390.png", full_page=True)
        page.goto(served + "/map?plan=2007-10&partners_only=0&as-at=2008-Q3&rag=owner")
        assert "1 red, 0 amber, 2 green" in page.locator("#map-rag-summary").inner_text()
        page.screenshot(path=SCREENSHOTS / "progress-map-390.png", full_page=True)
    finally:
        context.close()
