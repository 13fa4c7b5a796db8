"""A CSV answer with a value over 131,072 characters returned 500: the answer was written by rdflib
and read back with Python's csv module, whose field limit is 131,072. It is now written directly."""

import csv
import io

# 20 characters doubled 13 times: 163,840 characters, built by the query (the text stays short).
DOUBLINGS = " ".join(f"BIND(CONCAT(?v{n}, ?v{n}) AS ?v{n + 1})" for n in range(13))
QUERY = f'SELECT ?v13 WHERE {{ BIND("=twenty characters.." AS ?v0) {DOUBLINGS} }}'


def test_a_value_of_163840_characters_in_csv(client):
    response = client.get("/sparql", query_string={"query": QUERY}, headers={"Accept": "text/csv"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    csv.field_size_limit(1_000_000)
    header, row = list(csv.reader(io.StringIO(response.get_data(as_text=True), newline="")))
    assert header == ["v13"]
    assert len(row[0]) == 1 + 20 * 2**13  # neutralised: the leading "=" gets an apostrophe
    assert row[0].startswith("'=twenty")


def test_csv_cells_are_still_neutralised_and_blank_for_unbound(client):
    query = 'SELECT ?a ?b ?c WHERE { BIND("@cmd" AS ?a) BIND(<https://example.org/x> AS ?c) }'
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": "text/csv"})
    assert response.get_data(as_text=True) == "a,b,c\r\n'@cmd,,https://example.org/x\r\n"
