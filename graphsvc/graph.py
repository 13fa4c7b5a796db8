"""Reading RDF files into one rdflib graph, with errors that name the file and line."""

from functools import cache
from pathlib import Path

from rdflib import Graph
from rdflib.util import guess_format

from . import resources
from .namespaces import PREFIXES


class GraphLoadError(Exception):
    """A file that does not exist, is not RDF, or does not parse; str() is one clear line."""


def _bind_prefixes(graph: Graph) -> Graph:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    return graph


def _syntax_error_line(error: Exception) -> str:
    """rdflib's Turtle errors carry the line in `lines`; others put it in the text."""
    line = getattr(error, "lines", None)
    if line is not None:
        return f"line {line + 1}: " if isinstance(line, int) else ""
    return ""


def parse_into(graph: Graph, path: Path | str) -> Graph:
    path = Path(path)
    if not path.is_file():
        raise GraphLoadError(f"{path}: no such file")
    rdf_format = guess_format(str(path))
    if rdf_format is None:
        raise GraphLoadError(
            f"{path}: unknown RDF file type (use .ttl, .nt, .jsonld, .rdf, .xml, .trig or .nq)"
        )
    try:
        graph.parse(path, format=rdf_format)
    except UnicodeDecodeError as error:
        raise GraphLoadError(f"{path}: not UTF-8 text (byte {error.start})") from error
    except Exception as error:  # rdflib raises many types; the message is what matters
        message = " ".join(str(error).split())
        raise GraphLoadError(f"{path}: {_syntax_error_line(error)}{message}") from error
    return graph


def load(paths) -> Graph:
    graph = _bind_prefixes(Graph())
    for path in paths:
        parse_into(graph, path)
    return graph


def ontology() -> Graph:
    return load(resources.ontology_files())


@cache
def _default_graph() -> Graph:
    return load([*resources.ontology_files(), *resources.data_files()])


def default() -> Graph:
    """Ontology + the built-in plans, parsed once per process; callers must not modify it."""
    return _default_graph()
