"""The endpoint's SPARQL 1.1 Service Description: what it speaks, in which formats, over how much data,
and within which limits (each also as a triple, so a client can read them without parsing prose)."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, VOID, XSD

from .query_limits import QueryLimits
from .upload_limits import UploadLimits

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


def _limits(graph: Graph, service: BNode, limits: QueryLimits, uploads: UploadLimits) -> None:
    figures = {
        "timeLimitSeconds": _decimal(limits.time_limit),
        "rowCap": limits.row_cap,
        "memoryCapMB": limits.memory_mb,
        "queryWorkers": limits.workers,
        "maxQueryLength": limits.max_query_length,
        "serverThreads": limits.threads,
        "uploadMaxMB": _decimal(uploads.max_mb),
        "uploadTimeLimitSeconds": _decimal(uploads.time_limit),
        "uploadMemoryCapMB": uploads.memory_mb,
        "maxRequestBytes": uploads.max_body_bytes,
    }
    for name, figure in figures.items():
        graph.add((service, LIMITS[name], figure if isinstance(figure, Literal) else Literal(figure)))
    comment = (
        f"Read-only: SPARQL Update, SERVICE and FROM/FROM NAMED are refused. Each query runs in one of "
        f"{limits.workers} isolated workers and is stopped after {limits.time_limit:g} s or "
        f"{limits.memory_mb} MB of memory (503); a query while all are busy gets 503 with Retry-After; "
        f"queries over {limits.max_query_length} characters get 413; answers are cut at "
        f"{limits.row_cap} rows or triples and flagged (X-SPARQL-Truncated). Uploads to /import: at most "
        f"{uploads.max_mb:g} MB a file, read and audited in a confined process stopped after "
        f"{uploads.time_limit:g} s or {uploads.memory_mb} MB; request bodies at most "
        f"{uploads.max_body_bytes} bytes (413)."
    )
    graph.add((service, RDFS.comment, Literal(comment, lang="en")))


def describe(endpoint: str, triples: int, limits: QueryLimits, uploads: UploadLimits) -> Graph:
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
    _limits(graph, service, limits, uploads)
    return graph
