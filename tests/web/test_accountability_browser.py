"""The performance analyst's journey in a real headless Chromium: search "SCD", open the answer,
read the verdicts, download the CSV. Screenshots (both viewports) and the printed A4 report go to
tests/screenshots/ for a person to look at."""

import csv
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"


@pytest.fixture()
def tab(chromium):
    SCREENSHOTS.mkdir(exist_ok=True)
    context = chromium.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_analyst_finds_scd_reads_verdicts_and_downloads_csv(tab, live_url, tmp_path):
    tab.goto(live_url + "/")
    tab.locator("#site-search").fill("SCD")
    tab.locator("#site-search").press("Enter")
    tab.wait_for_url("**/id/unit/scd")
    overview = tab.locator("p.overview").inner_text()
    assert overview.startswith("SCD leads 17 items and supports 13 in 2 plans")
    row = tab.locator("section.accountability table.answer tr", has=tab.locator('a[href="/id/item/2007-10/1.3"]'))
    assert row.first.locator(".badge").inner_text() == "no measurable outcome"
    tab.screenshot(path=SCREENSHOTS / "accountability-1366.png", full_page=True)

    tab.select_option("select[name=plan]", "2007-10")
    tab.select_option("select[name=role]", "lead")
    tab.get_by_role("button", name="Show").click()
    tab.wait_for_url("**/id/unit/scd?plan=2007-10&role=lead*")  # and an empty as-at: this quarter
    assert tab.locator("table.answer tbody tr").count() == 8

    with tab.expect_download() as caught:
        tab.locator(".downloads").get_by_role("link", name="CSV", exact=True).click()
    download = caught.value
    assert download.suggested_filename == "scd-accountability-2007-10-lead.csv"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    rows = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
    verdicts = {r["Item"]: r["Measurable outcome"] for r in rows}
    assert (len(rows), verdicts["1.3"], verdicts["6.1"], verdicts["5.1"]) == (
        8,
        "no measurable outcome",
        "no measurable outcome",
        "measurable",
    )

    tab.goto(live_url + "/id/unit/scd")
    tab.emulate_media(media="print")
    assert not tab.locator("header.site").is_visible() and not tab.locator("form.filters").is_visible()
    briefs = tab.locator("ul.findings li .brief").all_inner_texts()
    assert "1.3 fails 'delivery items have a measurable outcome'" in briefs
    pdf = SCREENSHOTS / "accountability-print.pdf"
    tab.pdf(path=pdf, format="A4", print_background=True)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    assert 3 <= pages <= 6  # 30 items on A4; the findings' full messages made it 10 pages
    if shutil.which("pdftoppm"):  # poppler-utils: the printed pages as PNG, to look at
        subprocess.run(["pdftoppm", "-png", "-r", "60", pdf, SCREENSHOTS / "accountability-print"], check=True)


def test_answer_on_a_phone(chromium, live_url):
    context = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(live_url + "/id/unit/scd")
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 390  # the table folds into cards: nothing to scroll sideways
        page.screenshot(path=SCREENSHOTS / "accountability-390.png", full_page=True)
    finally:
        context.close()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/glossary",
        "/validation",
        "/id/plan/2007-10",
        "/id/plan/2004-5",
        "/id/partner/home-office",
        "/id/item/2007-10/1.3",
    ],
)
def test_tables_fold_into_cards_on_a_phone(chromium, live_url, path):
    """The owner, check, plan, partner and home tables and the glossary were wider than a phone (the
    plan page scrolled sideways to 847 px at 390): each row is now a card with its cells named."""
    context = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(live_url + path)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
        wide = page.evaluate(
            "() => [...document.querySelectorAll('table')].filter(t => t.getBoundingClientRect().width > 390).length"
        )
        assert wide == 0
    finally:
        context.close()
