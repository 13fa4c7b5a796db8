"""The CSV downloads were served as "text/csv; charset=utf-8; charset=utf-8": the media type named
its charset and Flask added another."""

import pytest


@pytest.mark.parametrize("path", ["/id/unit/scd.csv", "/browse/items.csv", "/browse/measures.csv"])
def test_a_csv_download_names_its_charset_once(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
