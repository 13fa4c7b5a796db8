"""/sitemap.xml and /robots.txt were 404. The sitemap now lists the site's pages and every
resource of the graph; robots.txt points crawlers at it."""

from graphsvc.web.app import create_app


def test_sitemap_and_robots():
    client = create_app({"AUDIT": False}).test_client()
    sitemap = client.get("/sitemap.xml")
    assert sitemap.status_code == 200 and b"<loc>http://127.0.0.1:8080/id/item/2007-10/1.1</loc>" in sitemap.data
    robots = client.get("/robots.txt")
    assert robots.status_code == 200 and b"Sitemap: http://127.0.0.1:8080/sitemap.xml" in robots.data
