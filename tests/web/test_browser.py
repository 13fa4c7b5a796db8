"""A person's path through the site in a real headless Chromium (Debian's, driven by Playwright).

Home page -> search "SCD" (suggestions as you type) -> the accountability page -> an item;
then the SPARQL editor runs an example query and shows the results. Screenshots go to
tests/screenshots/ for a person to look at. The site's Content-Security-Policy is in force, so
waits are functions ("() => ..."): Playwright evaluates a bare expression string with eval,
which the policy refuses.
"""

from pathlib import Path

import pytest

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"


def _tab(chromium, javascript=True):
    SCREENSHOTS.mkdir(exist_ok=True)
    tab = chromium.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=javascript).new_page()
    tab.set_default_timeout(15_000)
    return tab


@pytest.fixture(scope="module")
def page(chromium):
    tab = _tab(chromium)
    yield tab
    tab.context.close()


def test_search_scd_to_accountability_page(page, live_url):
    page.goto(live_url + "/")
    assert page.locator("h1").inner_text() == "Who is accountable for what, and can we measure it?"
    page.screenshot(path=SCREENSHOTS / "home.png", full_page=True)
    box = page.locator("#home-search")
    box.press_sequentially("SC", delay=50)
    page.wait_for_function("() => document.querySelectorAll('#home-search-results a.suggestion').length > 0")
    suggested = page.locator("#home-search-results a.suggestion .title").first.inner_text()
    assert suggested == "Specialist Crime Directorate"
    box.fill("SCD")
    box.press("Enter")
    page.wait_for_url("**/id/unit/scd")
    assert page.locator("h1").inner_text() == "Specialist Crime Directorate"
    assert page.get_by_role("heading", name="What is Specialist Crime Directorate accountable for?").is_visible()
    page.screenshot(path=SCREENSHOTS / "accountability-scd.png", full_page=True)
    page.locator('a[href="/id/item/2007-10/1.1"]').first.click()
    page.wait_for_url("**/id/item/2007-10/1.1")
    assert "Target Criminal Networks" in page.locator("h1").inner_text()
    page.screenshot(path=SCREENSHOTS / "item-1.1.png", full_page=True)


def test_editor_runs_an_example_query(page, live_url):
    page.goto(live_url + "/query")
    page.wait_for_selector(".yasqe .CodeMirror")
    page.get_by_role("button", name="Which delivery items have no measurable success measure").click()
    rows = page.locator(".yasr table tbody tr")
    rows.first.wait_for()
    page.wait_for_function("() => document.querySelectorAll('.yasr table tbody tr').length === 5")
    assert "1.2" in page.locator(".yasr table").inner_text()
    page.screenshot(path=SCREENSHOTS / "query-editor.png", full_page=True)


def test_validation_report_without_javascript(chromium, live_url):
    """With JavaScript off the report reads the same (counts per owner first, then linked
    findings) and the search box still finds SCD."""
    tab = _tab(chromium, javascript=False)
    tab.goto(live_url + "/validation")
    assert tab.locator("table.counts tbody tr").count() > 3
    tab.locator('#findings a[href="/id/item/2007-10/1.3"]').first.click()
    tab.wait_for_url("**/id/item/2007-10/1.3")
    tab.go_back()
    tab.screenshot(path=SCREENSHOTS / "validation.png")
    tab.goto(live_url + "/")
    tab.locator("#home-search").fill("SCD")
    tab.locator("#home-search").press("Enter")
    tab.wait_for_url("**/id/unit/scd")
    assert tab.locator("h1").inner_text() == "Specialist Crime Directorate"
    tab.context.close()


@pytest.mark.parametrize("width, height", [(1366, 768), (390, 844)])
def test_search_as_you_type_finds_text_and_follows_a_suggestion(chromium, live_url, width, height):
    """Typing "canab" offers what mentions cannabis, highlighted; clicking one opens its page."""
    tab = chromium.new_context(viewport={"width": width, "height": height}).new_page()
    tab.set_default_timeout(15_000)
    SCREENSHOTS.mkdir(exist_ok=True)
    tab.goto(live_url + "/")
    tab.locator("#home-search").press_sequentially("canab", delay=60)
    suggestion = tab.locator('#home-search-results a.suggestion[href="/id/item/2007-10/4.2"]')
    suggestion.wait_for()
    assert tab.locator("#home-search-results mark").first.inner_text().casefold() == "cannabis"
    assert tab.locator("#home-search-results").is_visible()
    tab.screenshot(path=SCREENSHOTS / f"search-as-you-type-{width}.png")
    suggestion.click()
    tab.wait_for_url("**/id/item/2007-10/4.2")
    assert "Reduce availability of premises" in tab.locator("h1").inner_text()
    tab.goto(live_url + "/search?q=canabis")
    assert tab.locator("ol.results mark").first.inner_text() == "cannabis"
    tab.screenshot(path=SCREENSHOTS / f"search-results-{width}.png", full_page=True)
    tab.context.close()
