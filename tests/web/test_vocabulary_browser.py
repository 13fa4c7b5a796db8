"""/def in Chromium at a desk's and a phone's width: a term's IRI scrolls to its entry, which is
not under the contents panel, and the phone needs no sideways scrolling."""

from pathlib import Path

import pytest

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"


@pytest.mark.parametrize("width, height, name", [(1366, 768, "wide"), (390, 844, "phone")])
def test_a_term_iri_lands_on_its_entry(chromium, live_url, width, height, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    tab = chromium.new_context(viewport={"width": width, "height": height}).new_page()
    try:
        tab.goto(live_url + "/def/DeliveryItem")  # 303 -> /def#DeliveryItem
        assert tab.url.endswith("/def#DeliveryItem")
        entry = tab.locator("#DeliveryItem")
        assert abs(entry.bounding_box()["y"]) < 5  # scrolled to the top of the entry
        assert "https://w3id.org/graphsvc/def#DeliveryItem" in entry.inner_text()
        toc = tab.locator("#toc").bounding_box()
        box = entry.bounding_box()
        if name == "wide":
            assert box["x"] + box["width"] <= toc["x"]  # beside the contents panel, not under it
        else:
            assert tab.evaluate("() => document.documentElement.scrollWidth") <= width
        tab.screenshot(path=SCREENSHOTS / f"def-{name}.png")
    finally:
        tab.context.close()
