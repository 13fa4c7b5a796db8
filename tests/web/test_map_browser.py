"""/map in headless Chromium: it draws, filters, finds, opens a node's panel and exports PNG and SVG.

Screenshots go to tests/screenshots/ (git-ignored) for a person to look at.
"""

import xml.etree.ElementTree as ET

import pytest
from map_support import ID, SCREENSHOTS, click_node, drawn

# The whole network in the force layout: the page's view before it opened on the partner columns.
WHOLE = "/map?partners_only=0&layout=fcose"


@pytest.fixture()
def map_page(chromium, live_url):
    """A fresh tab on the whole map at wall-screen size, failing the test on any script error in the page."""
    SCREENSHOTS.mkdir(exist_ok=True)
    context = chromium.new_context(viewport={"width": 1600, "height": 1000}, accept_downloads=True)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    errors = []
    tab.on("pageerror", lambda error: errors.append(error))
    tab.goto(live_url + WHOLE)
    drawn(tab, 30)
    yield tab
    context.close()
    assert not errors, errors


def test_map_draws_every_item_with_a_legend(map_page):
    assert map_page.inner_text("#map-status").startswith("65 nodes, 91 edges · drawn in ")
    legend = map_page.inner_text("#map-legend")
    for entry in (
        "Business group",
        "Unit",
        "Post",
        "Person",
        "Partner agency",
        "Delivery item / activity",
        "Lead link",
        "Supporting link",
        "Partner link",
        "Single point of failure",
    ):
        assert entry in legend
    assert map_page.evaluate("window.graphsvcMap.cy.nodes(':parent').map(n => n.data('label')).sort()") == [
        "Central Operations (CO)",
        "Directorate of Resources (DOR)",
        "Specialist Crime Directorate (SCD)",
        "Territorial Policing (TP)",
    ]
    assert "Probation Service" in map_page.inner_text("#map-exposure")
    map_page.screenshot(path=SCREENSHOTS / "map-both-plans.png")


def test_filter_then_click_a_node_opens_its_panel(map_page, live_url):
    map_page.select_option("#map-plan", "2007-10")
    drawn(map_page, 14)
    map_page.select_option("#map-strand", "6")
    drawn(map_page, 3)
    view = "plan=2007-10&strand=6&role=lead&role=supporting&role=partner&partners_only=0"
    assert map_page.url == live_url + "/map?" + view + "&layout=fcose"
    assert map_page.get_attribute("#export-graphml", "href") == "/map.graphml?" + view
    click_node(map_page, ID + "partner/home-office")
    panel = map_page.locator("#map-panel-body")
    assert panel.locator("h2").inner_text() == "Home Office"
    assert "Items as partner (1)" in panel.inner_text()
    assert panel.locator("li a").first.inner_text().startswith("6.1 Develop a comprehensive understanding")
    assert map_page.get_attribute("#map-panel-link", "href") == "/id/partner/home-office"
    map_page.screenshot(path=SCREENSHOTS / "map-strand-6-home-office.png")
    click_node(map_page, ID + "item/2007-10/6.1")
    text = panel.inner_text()
    assert panel.locator("h2").inner_text().startswith("6.1 Develop")
    assert "Lead (2)" in text and "Supporting (3)" in text and "Partners (2)" in text
    map_page.click("#map-panel-link")
    map_page.wait_for_url(live_url + "/id/item/2007-10/6.1")


def test_partners_only_and_role_filters(map_page):
    map_page.check("input[name=partners_only]")
    drawn(map_page, 5)
    map_page.uncheck("input[name=role][value=lead]")
    map_page.uncheck("input[name=role][value=supporting]")
    map_page.wait_for_function(
        "() => document.body.dataset.ready === '1' && window.graphsvcMap.cy.edges('[role != \"partner\"]').length === 0"
    )
    assert map_page.inner_text("#map-status").startswith("11 nodes, 8 edges")


def test_search_highlights_a_node_and_its_neighbourhood(map_page):
    map_page.fill("#map-search", "Probation")
    map_page.wait_for_function("() => window.graphsvcMap.cy.nodes('.found').length === 1")
    found = map_page.evaluate("""() => {
        const cy = window.graphsvcMap.cy;
        return { found: cy.nodes('.found').map(n => n.data('label')),
                 clear: cy.nodes().not('.faded').filter(n => !n.isParent()).map(n => n.data('caption')).sort() };
    }""")
    assert found == {"found": ["Probation Service"], "clear": ["5.1", "Probation Service"]}
    assert map_page.locator("#map-panel-body h2").inner_text() == "Probation Service"
    map_page.screenshot(path=SCREENSHOTS / "map-search-probation.png")


def test_layered_layout_and_exports(map_page):
    map_page.select_option("#map-layout", "dagre")
    map_page.wait_for_timeout(500)
    # Layered: owners left of their items, items left of their partners.
    ranks = map_page.evaluate(
        f"""() => {{
        const cy = window.graphsvcMap.cy, x = id => cy.getElementById(id).position('x');
        return [x('{ID}unit/borough-command-units'), x('{ID}item/2007-10/5.1'), x('{ID}partner/probation-service')];
    }}"""
    )
    assert ranks == sorted(ranks)
    map_page.screenshot(path=SCREENSHOTS / "map-layered.png")
    with map_page.expect_download() as png:
        map_page.click("#export-png")
    assert png.value.suggested_filename == "dependency-map.png"
    png.value.save_as(SCREENSHOTS / "map-export.png")
    assert (SCREENSHOTS / "map-export.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with map_page.expect_download() as svg:
        map_page.click("#export-svg")
    svg.value.save_as(SCREENSHOTS / "map-export.svg")
    root = ET.parse(SCREENSHOTS / "map-export.svg").getroot()
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Probation Service" in texts and "Specialist Crime Directorate (SCD)" in texts
    assert len(texts) == 65
