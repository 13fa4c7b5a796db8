"""Search finds anything: refs, words (and near misses of them) and names, from one FTS5 index."""

import json

import pytest

from graphsvc.answers import search


def _results(client, text, **extra):
    response = client.get("/search.json", query_string={"q": text, **extra})
    assert response.status_code == 200, response.data
    return json.loads(response.data)


def test_a_ref_finds_its_item_first(client):
    found = _results(client, "1.3")["results"]
    assert (found[0]["kind"], found[0]["ref"], found[0]["href"]) == ("item", "1.3", "/id/item/2007-10/1.3")
    assert "1.1.3" not in {r["ref"] for r in found}  # 1.3 is a ref, not the tail of another


@pytest.mark.parametrize("text", ["cannabis", "canabis", "Cannabis."])
def test_a_word_and_its_typo_find_the_items_and_measures_that_mention_it(client, text):
    answer = _results(client, text)
    kinds_refs = {(r["kind"], r["ref"]) for r in answer["results"]}
    assert {("item", "4.2"), ("action", "4.1-4"), ("strand", "4")} <= kinds_refs
    assert ("measure", "4.2.1") in kinds_refs  # a measure of an item about cannabis
    snippet = next(r for r in answer["results"] if r["ref"] == "4.2")["snippet_parts"]
    assert {"text": "cannabis", "match": True} in snippet
    if text == "canabis":
        assert answer["corrections"] == ["canabis → cannabis"]


def test_the_html_page_highlights_safely(client):
    html = client.get("/search", query_string={"q": "canabis"}).get_data(as_text=True)
    assert "<mark>cannabis</mark>" in html and 'href="/id/item/2007-10/4.2"' in html
    assert "Read as: canabis → cannabis" in html


def test_a_name_still_goes_to_its_page_and_lists_in_json(client):
    assert client.get("/search?q=SCD").headers["Location"] == "/id/unit/scd"
    assert _results(client, "SCD")["results"][0]["href"] == "/id/unit/scd"
    assert _results(client, "Home Office")["results"][0]["href"] == "/id/partner/home-office"


@pytest.mark.parametrize("text", ['"', "cannabis*", "a OR b", "NEAR(x y)", "(", "col:cannabis", "^1.3", "-", "'; drop"])
def test_fts5_syntax_in_the_text_never_errors(client, text):
    response = client.get("/search.json", query_string={"q": text})
    assert response.status_code in (200, 400)
    body = json.loads(response.data)
    assert response.status_code == 200 or "Nothing to search for" in body["problem"]
    assert client.get("/search", query_string={"q": text}).status_code in (200, 300, 303, 400, 404)
    assert client.get("/suggest", query_string={"q": text}).status_code == 200


def test_text_with_no_word_says_what_to_type(client):
    response = client.get("/search", query_string={"q": "(*)"})
    assert response.status_code == 400 and "type a word, a name or a ref such as 1.3" in response.get_data(as_text=True)


def test_suggest_reads_the_last_word_as_unfinished(client):
    found = json.loads(client.get("/suggest?q=canab").data)
    assert found and all("cannabis" in (r["title"] + r["snippet"]).casefold() for r in found)
    assert json.loads(client.get("/suggest?q=tackle%20emerg").data)[0]["ref"] == "1.3"


def test_the_index_is_built_once_per_engine(app, client):
    engine = app.extensions["graphsvc"].engine
    first = search.index(engine)
    builds = search.BUILDS["count"]
    for text in ["1.3", "cannabis", "canabis", "SCD", "home"]:
        _results(client, text)
    assert search.index(engine) is first and search.BUILDS["count"] == builds
    assert first.ready and first.documents > 150 and first.stats()["built_in_seconds"] is not None
