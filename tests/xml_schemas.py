"""The official GEXF and GraphML schemas (vendored under tests/vendor/), loaded with lxml offline."""

from __future__ import annotations

import functools
from pathlib import Path

from lxml import etree

VENDOR = Path(__file__).resolve().parent / "vendor"
GRAPHML_WEB = "http://graphml.graphdrawing.org/xmlns/1.0/"


class _Local(etree.Resolver):
    """The schemas' published addresses resolved to the vendored copies: the tests never fetch."""

    def resolve(self, url, pubid, context):
        if url.startswith(GRAPHML_WEB):
            return self.resolve_filename(str(VENDOR / "graphml-1.0" / url[len(GRAPHML_WEB) :]), context)
        if url.startswith(("http://", "https://")):
            raise AssertionError(f"a schema asked for {url}, which is not vendored")
        return None


def _schema(path: Path) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_Local())
    return etree.XMLSchema(etree.parse(str(path), parser))


@functools.cache
def gexf() -> etree.XMLSchema:
    return _schema(VENDOR / "gexf-1.2draft" / "gexf.xsd")


@functools.cache
def graphml() -> etree.XMLSchema:
    return _schema(VENDOR / "graphml-1.0" / "graphml.xsd")


def errors(schema: etree.XMLSchema, document: bytes) -> list[str]:
    """What the schema finds wrong with the document (empty: valid)."""
    schema.validate(etree.fromstring(document))
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


VIZ = "{http://www.gexf.net/1.2draft/viz}"
GEXF = "{http://www.gexf.net/1.2draft}"


def gexf_errors(document: bytes) -> list[str]:
    """What the official GEXF 1.2draft schema finds wrong with the document.

    That schema (its XSD and its RELAX NG alike, both converted from one grammar) declares the viz
    elements (color, size, shape, thickness) in the core namespace, while the GEXF primer, Gephi
    and networkx write them in the viz namespace. So they are checked where the schema declares
    them: moved to the core namespace, then validated with everything else against their types.
    """
    from lxml import etree

    root = etree.fromstring(document)
    for element in root.iter(VIZ + "*"):
        element.tag = GEXF + element.tag[len(VIZ) :]
    schema = gexf()
    schema.validate(root)
    return [f"line {e.line}: {e.message}" for e in schema.error_log]
