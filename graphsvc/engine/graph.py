"""Reading RDF files into one rdflib graph, with errors that name the file and line.

A user's file (``parse_upload``) is read from bytes already capped in size, and a JSON-LD
file may only carry its @context inline: rdflib would otherwise fetch a remote or file:
context while parsing. Callers parse users' files in a confined child (graphsvc.sandbox.uploads).
"""

import json
from functools import cache
from pathlib import Path

from rdflib import Graph
from rdflib.util import guess_format

from graphsvc import resources
from graphsvc.namespaces import PREFIXES


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


def rdf_format(name: str) -> str:
    """rdflib's format name for a file, from its name; GraphLoadError for a name that is not RDF."""
    found = guess_format(str(name))
    if found is None:
        raise GraphLoadError(f"{name}: unknown RDF file type (use .ttl, .nt, .jsonld, .rdf, .xml, .trig or .nq)")
    return found


def _parse(graph: Graph, name, **source) -> Graph:
    syntax = rdf_format(name)
    try:
        graph.parse(format=syntax, **source)
    except UnicodeDecodeError as error:
        raise GraphLoadError(f"{name}: not UTF-8 text (byte {error.start})") from error
    except Exception as error:  # rdflib raises many types; the message is what matters
        message = " ".join(str(error).split())
        raise GraphLoadError(f"{name}: {_syntax_error_line(error)}{message}") from error
    return graph


def parse_into(graph: Graph, path: Path | str) -> Graph:
    path = Path(path)
    if not path.is_file():
        raise GraphLoadError(f"{path}: no such file")
    return _parse(graph, path, source=path)


# JSON-LD keys whose string values name another document that rdflib would fetch.
_REFERENCES = ("@context", "@import")


def _references(node):
    """Every (key, value) of _REFERENCES in a JSON-LD document, however deeply nested (scoped contexts too)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in _REFERENCES:
                yield key, value
            yield from _references(value)
    elif isinstance(node, list):
        for value in node:
            yield from _references(value)


def _inline_contexts_only(data: bytes, name: str) -> None:
    try:
        document = json.loads(data)
    except UnicodeDecodeError as error:
        raise GraphLoadError(f"{name}: not UTF-8 text (byte {error.start})") from error
    except ValueError as error:
        raise GraphLoadError(f"{name}: not JSON ({error})") from error
    for key, value in _references(document):
        for part in value if isinstance(value, list) else [value]:
            if isinstance(part, str):
                raise GraphLoadError(
                    f"{name}: {key} {part!r} is a reference to another document; only inline contexts are read"
                )


def parse_upload(graph: Graph, data: bytes, name: str, base: str | None = None) -> Graph:
    """A user's file, given as its bytes: read as its name says, errors naming it and the line."""
    if rdf_format(name) == "json-ld":
        _inline_contexts_only(data, name)
    return _parse(graph, name, data=data, publicID=base)


def file_bytes(path: Path | str, cap_mb: float) -> bytes:
    """A user's file, read only if it is no larger than ``cap_mb``; GraphLoadError naming it otherwise."""
    path = Path(path)
    if not path.is_file():
        raise GraphLoadError(f"{path}: no such file")
    size = path.stat().st_size
    if size > cap_mb * 1024 * 1024:
        raise GraphLoadError(f"{path}: {size / (1024 * 1024):.1f} MB is over the {cap_mb:g} MB cap on a file")
    return path.read_bytes()


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
