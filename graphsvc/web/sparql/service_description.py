"""The endpoint's SPARQL 1.1 Service Description: what it speaks, in which formats, over how much data,
and within which limits (each also as a triple, so a client can read them without parsing prose)."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, VOID, XSD

from graphsvc import settings as registry
from graphsvc.settings import Settings

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
LIMITS = Namespace("https://w3id.org/graphsvc/def/service#")

RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
)


def _decimal(value: float) -> Literal:
    return Literal(value, datatype=XSD.decimal)


def _limits(graph: Graph, service: BNode, settings: Settings) -> None:
    for name, figure in registry.described(settings).items():
        graph.add((service, LIMITS[name], _decimal(figure) if isinstance(figure, float) else Literal(figure)))
    comment = (
        f"Read-only: SPARQL Update, SERVICE and FROM/FROM NAMED are refused. Each query runs in one of "
        f"{settings.sparql_workers} isolated workers and is stopped after {settings.sparql_time_limit:g} s or "
        f"{settings.sparql_memory_mb} MB of memory (503); a query while all are busy gets 503 with Retry-After; "
        f"queries over {settings.sparql_max_query_length} characters get 413; answers are cut at "
        f"{settings.sparql_row_cap} rows or triples and flagged (X-SPARQL-Truncated). Uploads to /import: at most "
        f"{settings.file_max_mb:g} MB a file, read and audited in a confined process stopped after "
        f"{settings.file_time_limit:g} s or {settings.file_memory_mb} MB; request bodies at most "
        f"{int(settings.max_body_mb * registry.MB)} bytes (413)."
    )
    graph.add((service, RDFS.comment, Literal(comment, lang="en")))


def describe(endpoint: str, triples: int, settings: Settings) -> Graph:
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("void", VOID)
    graph.bind("limits", LIMITS)
    service, dataset, default_graph = BNode("service"), BNode("dataset"), BNode("default")
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, URIRef(endpoint)))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    for name in RESULT_FORMATS:
        graph.add((service, SD.resultFormat, FORMATS[name]))
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, SD.defaultGraph, default_graph))
    graph.add((default_graph, RDF.type, SD.Graph))
    graph.add((default_graph, VOID.triples, Literal(triples, datatype=XSD.integer)))
    _limits(graph, service, settings)
    return graph
