"""/map as a partnership manager reads it: the partner view readable on a laptop, focus on a node,
the view in the URL, the list on a phone, and the nodes by keyboard. In headless Chromium, on the
built-in plans. Screenshots go to tests/screenshots/ (git-ignored)."""

from urllib.parse import parse_qs, urlsplit

import pytest
from map_support import ID, SCREENSHOTS, click_node, drawn

HOME_OFFICE_ITEMS = ["6.1", "activity 2-2", "activity 4-1"]
# Who owns Home Office's items (lead or supporting): 6.1's five, and Cdr Hitchcock for both activities.
HOME_OFFICE_OWNERS = [
    "Assistant Commissioner Specialist Crime",
    "Assistant Commissioner Territorial Policing",
    "Borough Command Units",
    "Cdr Hitchcock",
    "Drugs Directorate",
    "Intelligence Development and Analysis Unit",
]

LABELS = """() => {
  const cy = window.graphsvcMap.cy, width = cy.width(), height = cy.height();
  return cy.nodes().map(n => {
    const b = n.renderedBoundingBox({ includeLabels: true, includeNodes: false });
    return { label: n.data('caption'), font: parseFloat(n.renderedStyle('font-size')),
             styleFont: parseFloat(n.style('font-size')) * cy.zoom(),
             x1: b.x1, x2: b.x2, y1: b.y1, y2: b.y2, width, height };
  });
}"""

VIEW = """() => {
  const cy = window.graphsvcMap.cy, of = kind => cy.nodes(`[kind = "${kind}"]`);
  return { items: of('item').map(n => n.data('ref')).sort(),
           partners: of('partner').map(n => n.data('label')).sort(),
           owners: cy.nodes().filter(n => !['item', 'partner'].includes(n.data('kind'))).map(n => n.data('label')).sort(),
           ids: cy.nodes().map(n => n.id()).sort() };
}"""


@pytest.fixture()
def tab(chromium):
    """A new tab, sized per test, that fails the test on any script error in the page."""
    contexts, errors = [], []

    def open_tab(width: int, height: int, javascript: bool = True):
        context = chromium.new_context(viewport={"width": width, "height": height}, java_script_enabled=javascript)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("pageerror", lambda error: errors.append(error.stack))
        return page

    SCREENSHOTS.mkdir(exist_ok=True)
    yield open_tab
    for context in contexts:
        context.close()
    assert not errors, errors


def test_default_view_is_readable_on_a_laptop_without_zooming(tab, live_url):
    page = tab(1366, 768)
    page.goto(live_url + "/map")
    drawn(page, 5)
    view = page.evaluate(VIEW)
    assert view["items"] == ["4.1", "5.1", "6.1", "activity 2-2", "activity 4-1"]
    assert view["partners"] == [
        "Drug Action Teams",
        "GOL",
        "Home Office",
        "Probation Service",
        "estate agencies",
        "power companies",
    ]
    labels = page.evaluate(LABELS)
    assert len(labels) == 20  # 6 partners, 5 items, 9 owners; no group boxes in the columns
    for label in labels:
        assert label["font"] >= 11 and label["styleFont"] >= 11, label
        # Not cut off: the whole label is on the canvas.
        assert 0 <= label["x1"] and label["x2"] <= label["width"], label
        assert 0 <= label["y1"] and label["y2"] <= label["height"], label
    overlapping = [
        (a["label"], b["label"])
        for i, a in enumerate(labels)
        for b in labels[i + 1 :]
        if a["x1"] < b["x2"] and b["x1"] < a["x2"] and a["y1"] < b["y2"] and b["y1"] < a["y2"]
    ]
    assert overlapping == []
    assert page.is_visible("#cy")
    page.screenshot(path=SCREENSHOTS / "map-default-1366.png")


def test_focus_on_home_office_shows_its_items_and_their_owners_and_a_way_back(tab, live_url):
    page = tab(1366, 768)
    page.goto(live_url + "/map")
    drawn(page, 5)
    click_node(page, ID + "partner/home-office", selects=False)
    drawn(page, 3)
    view = page.evaluate(VIEW)
    assert view["items"] == HOME_OFFICE_ITEMS
    assert view["owners"] == HOME_OFFICE_OWNERS
    assert view["partners"] == ["Drug Action Teams", "GOL", "Home Office"]  # the others on those items
    assert "focus=partner/home-office" in page.url
    assert parse_qs(urlsplit(page.url).query)["focus"] == ["partner/home-office"]
    assert page.inner_text("#map-list-title") == "Around Home Office"
    assert page.locator("#map-panel-body h2").inner_text() == "Home Office"
    labels = page.evaluate(LABELS)
    assert min(label["font"] for label in labels) >= 11
    page.screenshot(path=SCREENSHOTS / "map-focus-home-office-1366.png")
    page.click("#map-unfocus")
    drawn(page, 5)
    assert "focus" not in parse_qs(urlsplit(page.url).query)
    page.go_back()  # the focus was a step in the history
    drawn(page, 3)
    assert page.evaluate(VIEW)["items"] == HOME_OFFICE_ITEMS


def test_a_focused_view_survives_the_url(tab, live_url):
    page = tab(1366, 768)
    page.goto(live_url + "/map")
    drawn(page, 5)
    click_node(page, ID + "partner/home-office", selects=False)
    drawn(page, 3)
    shared, clicked = page.url, page.evaluate(VIEW)
    other = tab(1366, 768)
    other.goto(shared)
    drawn(other, 3)
    assert other.evaluate(VIEW) == clicked
    assert other.input_value("#map-layout") == "columns"
    assert other.is_checked("input[name=partners_only]")
    # Filters and layout come back too, from a hand-written link.
    other.goto(live_url + "/map?plan=2007-10&partners_only=0&layout=dagre&focus=unit/drugs-directorate")
    drawn(other, 6)
    assert other.input_value("#map-plan") == "2007-10"
    assert other.input_value("#map-layout") == "dagre"
    assert not other.is_checked("input[name=partners_only]")
    assert other.inner_text("#map-list-title") == "Around Drugs Directorate"


def test_a_phone_gets_the_list_with_home_offices_items(tab, live_url):
    page = tab(390, 844)
    page.goto(live_url + "/map")
    page.wait_for_function("() => document.body.dataset.ready === '1'")
    assert not page.is_visible("#cy")
    assert page.is_visible("#map-list")
    home_office = page.locator("#map-list li.map-partner", has=page.locator("a[data-focus='partner/home-office']"))
    items = home_office.locator("li.map-item > a[data-focus]").all_inner_texts()
    assert [text.split(" ", 1)[0] if text[0].isdigit() else " ".join(text.split()[:2]) for text in items] == [
        "activity 2-2",
        "activity 4-1",
        "6.1",
    ]
    assert home_office.locator("li.map-item a.page").first.get_attribute("href") == "/id/activity/2004-5/2-2"
    page.screenshot(path=SCREENSHOTS / "map-list-390.png", full_page=True)
    # Tapping Home Office focuses the list on it.
    page.click("#map-list a[data-focus='partner/home-office']")
    page.wait_for_function("() => document.getElementById('map-list-title').textContent === 'Around Home Office'")
    assert page.is_visible("#map-unfocus")


def test_the_list_works_without_javascript(tab, live_url):
    page = tab(390, 844, javascript=False)
    page.goto(live_url + "/map")
    page.click("#map-list a[data-focus='partner/home-office']")
    assert page.inner_text("#map-list-title") == "Around Home Office"
    owners = page.locator("#map-list ul.map-owners a").all_inner_texts()
    assert sorted(set(owners)) == HOME_OFFICE_OWNERS


def test_keyboard_tab_to_a_list_entry_or_the_canvas_and_press_enter(tab, live_url):
    page = tab(1366, 768)
    page.goto(live_url + "/map")
    drawn(page, 5)
    for _ in range(80):  # tab through the page until Home Office's entry in the list has the focus
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.dataset.focus") == "partner/home-office":
            break
    else:
        pytest.fail("Tab never reached Home Office in the list")
    page.keyboard.press("Enter")
    drawn(page, 3)
    assert page.evaluate(VIEW)["items"] == HOME_OFFICE_ITEMS
    assert page.evaluate("() => document.activeElement.id") == "map-list-title"
    # The canvas: Tab to it, arrows step through the nodes column by column from the one selected
    # (Home Office, the focus: partners are the last column, Drug Action Teams, Home Office, GOL).
    page.focus("#cy")
    page.keyboard.press("ArrowDown")
    selected = page.evaluate("() => window.graphsvcMap.cy.nodes(':selected').map(n => n.data('label'))")
    assert selected == ["GOL"]
    assert page.inner_text("#map-status").startswith("GOL, partner agency.")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "label => document.body.dataset.ready === '1' && document.getElementById('map-list-title').textContent === 'Around ' + label",
        arg=selected[0],
    )
    page.keyboard.press("Escape")
    drawn(page, 5)
    assert "focus" not in parse_qs(urlsplit(page.url).query)


def test_partnership_managers_journey_from_the_map_to_an_owners_page(tab, live_url):
    """/map as opened > Home Office > its items and who owns each > an owner's page."""
    page = tab(1366, 768)
    page.goto(live_url + "/map")
    drawn(page, 5)
    page.click("#map-list a[data-focus='partner/home-office']")
    drawn(page, 3)
    item = page.locator("#map-list li.map-item", has=page.locator("a[data-focus='item/2007-10/6.1']")).first
    assert item.locator("ul.map-owners").inner_text().splitlines() == [
        "Assistant Commissioner Specialist Crime LEAD, SCD",
        "Assistant Commissioner Territorial Policing LEAD, TP",
        "Borough Command Units SUPPORTING, TP",
        "Drugs Directorate SUPPORTING, SCD",
        "Intelligence Development and Analysis Unit SUPPORTING, SCD",
    ]
    click_node(page, ID + "item/2007-10/6.1", selects=False)  # on the canvas: 6.1's own neighbourhood
    drawn(page, 1)
    panel = page.locator("#map-panel-body").inner_text()
    assert "Lead (2)" in panel and "Supporting (3)" in panel and "Partners (2)" in panel
    page.click("#map-panel-link")
    page.wait_for_url(live_url + "/id/item/2007-10/6.1")
