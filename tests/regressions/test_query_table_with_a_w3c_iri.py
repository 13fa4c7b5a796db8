"""`graphsvc query` in its default table format failed with "TypeError: object of type
'DefinedNamespaceMeta' has no len()" when a result IRI was in the SKOS, DCTERMS, RDF or ORG namespace."""

from click.testing import CliRunner

from graphsvc.cli import main
from graphsvc.namespaces import compact


def test_the_table_shortens_w3c_iris():
    query = "SELECT DISTINCT ?p WHERE { ?s ?p ?o FILTER(?p IN (skos:prefLabel, dcterms:isPartOf, rdf:type)) }"
    result = CliRunner().invoke(
        main,
        ["query", "-"],
        input="PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX dcterms: <http://purl.org/dc/terms/> "
        "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> " + query,
    )
    assert result.exit_code == 0, result.output
    assert {"skos:prefLabel", "dcterms:isPartOf", "rdf:type"} <= set(result.stdout.split())


def test_compact_takes_the_longest_prefix_and_needs_a_local_part():
    assert compact("https://w3id.org/graphsvc/def#Lead") == "gs:Lead"
    assert compact("http://www.w3.org/2004/02/skos/core#") is None
    assert compact("http://example.org/x") is None
