"""Every page type checked with axe-core (vendored from npm) in Chromium: no serious or critical
accessibility violation, at laptop and phone widths."""

from pathlib import Path

import pytest

AXE = (Path(__file__).parents[1] / "vendor" / "axe-core" / "axe.min.js").read_text()
PAGES = [
    "/",
    "/id/plan/2007-10",
    "/id/plan/2004-5",
    "/id/unit/scd",
    "/id/post/assistant-commissioner-specialist-crime",
    "/id/person/hitchcock",
    "/id/item/2007-10/1.3",
    "/id/activity/2004-5/1-3",
    "/id/partner/home-office",
    "/partners",
    "/validation",
    "/map",
    "/query",
    "/import",
    "/search?q=SCD",
    "/glossary",
    "/browse/items",
    "/browse/measures?measurability=directional",
]


@pytest.fixture(scope="module", params=[(1366, 768), (390, 844)], ids=["laptop", "phone"])
def tab(chromium, request):
    width, height = request.param
    # axe is injected by the test, not served by the site: the site's CSP would rightly refuse it.
    context = chromium.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_or_critical_violation(tab, live_url, path):
    tab.goto(live_url + path)
    tab.wait_for_load_state("networkidle")
    tab.evaluate(AXE)
    violations = tab.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => ['serious', 'critical'].includes(v.impact))"
        ".map(v => v.id + ': ' + v.help + ' (' + v.nodes.length + ') ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))"
    )
    assert violations == []
