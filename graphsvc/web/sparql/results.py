"""Answers in the SPARQL 1.1 result formats (JSON, XML, CSV, TSV) and the RDF syntaxes.

A capped answer carries ``truncated``: the endpoint flags it in a header, and the JSON
and HTML bodies say so too, so nobody mistakes a partial table for the whole answer.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass

from rdflib import BNode, Graph, URIRef, Variable
from rdflib.plugins.sparql.results.jsonresults import termToJSON
from rdflib.query import Result

from graphsvc.engine.engines import Answer
from graphsvc.namespaces import PREFIXES
from graphsvc.spreadsheet.neutralise import neutralise

RDF_SYNTAX = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "rdf": "xml"}


@dataclass
class Capped:
    """An answer cut to the row cap: ``truncated`` says whether anything was left out."""

    answer: Answer
    truncated: bool
    cap: int


def cap(answer: Answer, limit: int) -> Capped:
    if answer.kind == "SELECT" and len(answer.rows) > limit:
        return Capped(Answer("SELECT", answer.variables, answer.rows[:limit]), True, limit)
    if answer.graph is not None and len(answer.graph) > limit:
        kept = Graph()
        for number, triple in enumerate(answer.graph):
            if number == limit:
                break
            kept.add(triple)
        return Capped(Answer(answer.kind, graph=kept), True, limit)
    return Capped(answer, False, limit)


def _result(answer: Answer) -> Result:
    result = Result(answer.kind)
    if answer.kind == "ASK":
        result.askAnswer = answer.boolean
        return result
    result.vars = [Variable(name) for name in answer.variables]
    result.bindings = [{Variable(name): term for name, term in row.items()} for row in answer.rows]
    return result


def _json(capped: Capped) -> str:
    answer = capped.answer
    if answer.kind == "ASK":
        body = {"head": {}, "boolean": answer.boolean}
    else:
        body = {
            "head": {"vars": answer.variables},
            "results": {
                "bindings": [{name: termToJSON(None, term) for name, term in row.items()} for row in answer.rows]
            },
        }
    if capped.truncated:
        body["truncated"] = True
        body["message"] = f"only the first {capped.cap} rows are given: the answer was cut at the row cap"
    return json.dumps(body, ensure_ascii=False)


def _tsv_term(term) -> str:
    """A term in SPARQL TSV: its Turtle form, with tabs and line breaks escaped."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    text = (
        (str(term) if term.datatype else neutralise(str(term)))
        .replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\t", "\\t")
        .replace("\n", "\\n")
        .replace("\r", "\\r")
    )
    suffix = f"@{term.language}" if term.language else (f"^^<{term.datatype}>" if term.datatype else "")
    return f'"{text}"{suffix}'


def _tsv(answer: Answer) -> str:
    if answer.kind == "ASK":
        return f"?_askResult\n{str(answer.boolean).lower()}\n"
    lines = ["\t".join(f"?{name}" for name in answer.variables)]
    for row in answer.rows:
        lines.append("\t".join(_tsv_term(row[name]) if name in row else "" for name in answer.variables))
    return "\n".join(lines) + "\n"


def _csv_term(term) -> str:
    """A term in SPARQL CSV: an IRI or literal's text, a blank node as ``_:label``; every cell neutralised."""
    return f"_:{term}" if isinstance(term, BNode) else neutralise(str(term))


def _csv(answer: Answer) -> str:
    """Written here, not by rdflib and read back: a cell of any length is fine (csv's reader stops at 128 KB)."""
    if answer.kind == "ASK":
        return f"_askResult\r\n{str(answer.boolean).lower()}\r\n"
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(answer.variables)
    for row in answer.rows:
        writer.writerow(_csv_term(row[name]) if name in row else "" for name in answer.variables)
    return out.getvalue()


# What XML 1.0 cannot hold at all, escaped or not (its Char production).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class NotXml(ValueError):
    """An answer holding a character that XML 1.0 cannot hold: another format must carry it."""


def _refuse_outside_xml(text: str) -> str:
    found = _NOT_XML.search(text)
    if found:
        raise NotXml(
            f"the answer holds the character U+{ord(found.group()):04X}, which XML cannot hold: "
            "ask for JSON, CSV, TSV, Turtle or N-Triples instead"
        )
    return text


def _xml(answer: Answer) -> str:
    out = io.BytesIO()
    _result(answer).serialize(out, encoding="utf-8", format="xml")
    return _refuse_outside_xml(out.getvalue().decode("utf-8"))


def results(capped: Capped, key: str) -> str:
    """A SELECT or ASK answer in the result format ``key`` (json, xml, csv, tsv)."""
    writers = {
        "json": lambda: _json(capped),
        "xml": lambda: _xml(capped.answer),
        "csv": lambda: _csv(capped.answer),
        "tsv": lambda: _tsv(capped.answer),
    }
    return writers[key]()


def rdf(graph: Graph, key: str) -> str:
    """A graph in the RDF syntax ``key`` (ttl, nt, jsonld, rdf), with the project's prefixes."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    text = graph.serialize(format=RDF_SYNTAX[key])
    return _refuse_outside_xml(text) if key == "rdf" else text
