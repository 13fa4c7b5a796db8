"""The glossary explains the terms of art in plain words, and the pages link the terms to it."""

import json

from graphsvc.web.pages.glossary import TERMS


def test_every_term_is_explained_and_the_vocabulary_quoted(client):
    page = json.loads(client.get("/glossary.json").data)
    entries = {entry["id"]: entry for entry in page["terms"]}
    assert list(entries) == [anchor for anchor, *_ in TERMS]
    assert all(entry["meaning"] for entry in entries.values())
    assert entries["quantified"]["in_the_vocabulary"].startswith("The measure has a numeric target")
    assert entries["lead"]["in_the_vocabulary"].startswith("Accountable for the element")
    html = client.get("/glossary").get_data(as_text=True)
    assert '<dt id="betweenness">Betweenness centrality</dt>' in html


def test_pages_link_their_terms_to_the_glossary(client):
    assert 'href="/glossary#conform"' in client.get("/validation").get_data(as_text=True)
    home = client.get("/").get_data(as_text=True)
    assert 'href="/glossary"' in home  # in every page's navigation
    assert 'href="/glossary#triples"' in home and 'href="/glossary#measurable"' in home
