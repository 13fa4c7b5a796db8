"""The governance board's journey in a real Chromium: /validation, SCD's row, its findings, item 1.3
and its verdict; at a laptop's 1366x768 and a phone's 390x844. Screenshots go to tests/screenshots/."""

from pathlib import Path

import pytest

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (390, 844)])
def test_board_finds_scd_and_item_13_verdict(chromium, live_url, width, height):
    SCREENSHOTS.mkdir(exist_ok=True)
    tab = chromium.new_context(viewport={"width": width, "height": height}).new_page()
    tab.set_default_timeout(15_000)
    try:
        tab.goto(live_url + "/validation")
        answers = tab.locator("ul.answers").inner_text()
        assert "Items without a measurable outcome: 5 of 14: 1.2, 1.3, 3.1, 6.1, 6.2" in answers
        tab.screenshot(path=SCREENSHOTS / f"validation-{width}x{height}.png")
        row = tab.locator("table.owners tr", has_text="Specialist Crime Directorate (SCD)")
        assert row.locator("td").nth(2).inner_text() == "2"  # Violations
        row.locator("a.owner-findings").click()
        tab.wait_for_url("**/validation?owner=**")
        assert tab.locator("#findings h2").first.inner_text() == "Findings of Specialist Crime Directorate (SCD) (31)"
        tab.screenshot(path=SCREENSHOTS / f"validation-scd-{width}x{height}.png")
        tab.locator('#findings a[href="/id/item/2007-10/1.3"]').first.click()
        tab.wait_for_url("**/id/item/2007-10/1.3")
        verdict = tab.locator("section.item-verdict")
        assert verdict.is_visible()
        assert "No: none of its 3 success measures is measurable" in verdict.locator("dd.measurable").inner_text()
        assert "counts for Specialist Crime Directorate (SCD)" in verdict.locator("dd.owner").inner_text()
        assert not tab.get_by_role("heading", name="Every field").is_visible()  # folded under All data
        assert tab.locator("nav.trail a").first.get_attribute("href") == "/id/plan/2007-10"
        tab.screenshot(path=SCREENSHOTS / f"item-1.3-verdict-{width}x{height}.png")
        tab.goto(live_url + "/id/item/2007-10/6.1")
        tab.screenshot(path=SCREENSHOTS / f"item-6.1-verdict-{width}x{height}.png", full_page=True)
    finally:
        tab.context.close()
