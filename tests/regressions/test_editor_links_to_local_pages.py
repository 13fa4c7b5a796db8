"""The SPARQL editor's results linked the graph's IRIs to w3id.org, not to this site's pages."""

from graphsvc.web.pages.terms import LOCAL


def test_result_links_open_the_local_pages(chromium, live_url):
    page = chromium.new_page(viewport={"width": 1366, "height": 768})
    page.goto(live_url + "/query")
    page.wait_for_selector(".yasqe .CodeMirror")
    page.get_by_role("button", name="Which delivery items have no measurable success measure").click()
    page.wait_for_function("() => document.querySelectorAll('.yasr table tbody tr').length === 5")
    hrefs = page.eval_on_selector_all(".yasr table a", "links => links.map(a => a.getAttribute('href'))")
    assert hrefs and all(not href.startswith(LOCAL) for href in hrefs)
    assert "/id/item/2007-10/1.3" in hrefs
    page.goto(live_url + "/id/item/2007-10/1.3")  # where the link leads (YASR opens it in a new tab)
    assert "Tackle emerging drug threats" in page.locator("h1").inner_text()
    page.close()
