"""One small query interface over interchangeable SPARQL engines.

rdflib stays the toolkit (parsing, serialising, pySHACL); queries go through an Engine
so that the embedded store and any remote SPARQL 1.1 endpoint answer the same suite.
Every engine returns an Answer of rdflib terms, whatever it runs on underneath.

Values from users reach a query only as bindings (never pasted into its text):
rdflib's initBindings, and for Oxigraph and a remote endpoint a VALUES block built from
the terms' own N-Triples serialisation, placed where the WHERE clause opens. There the
query planner starts its walk from the bound term: Oxigraph's own substitutions are joined
in after planning, which made the ownership roll-up scan the whole graph (2 s at a million
triples, 1 ms with the VALUES block; bench/run.py). A query without the WHERE keyword gets
Oxigraph's substitutions (which apply only to projected variables, SPARQL SEP-0007) or, remotely,
a trailing VALUES clause.

``limit`` stops reading an answer after that many rows (or triples): the embedded engines
stream their solutions, so a cartesian product of the whole graph costs only the rows kept.
"""

from __future__ import annotations

import functools
import http.client
import itertools
import json
import logging
import queue
import re
import socket
import threading
import urllib.parse
import urllib.request
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypeVar
from xml.etree import ElementTree

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

# Values for a query's variables: one row, or several (one VALUES block, one round trip for them all).
Bindings = Mapping[str, Node] | Sequence[Mapping[str, Node]]

# Engine kinds the CLI and the web front end accept by name.
ENGINE_KINDS = ("oxigraph", "rdflib")
# The results formats a remote engine can ask an endpoint for (SELECT and ASK), the default first.
RESULTS = ("xml", "json")


class QueryError(Exception):
    """A query the engine could not parse or run; str() names the problem (and position)."""


class QuerySyntaxError(QueryError):
    """The query text is not SPARQL 1.1; str() gives the position and the reason."""


@dataclass
class Answer:
    """A query's result: rows for SELECT, a boolean for ASK, a graph for CONSTRUCT/DESCRIBE."""

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Node]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None


class Engine(Protocol):
    name: str
    version: int  # the data's version: moves on only as written reports are loaded (sources.Follower)

    def query(
        self, sparql: str, bindings: Bindings | None = None, limit: int | None = None, base: str | None = None
    ) -> Answer: ...

    def triple_count(self) -> int: ...


# rdflib's SPARQL parser is not thread-safe (rdflib #1282): parses from several threads at once in a
# fresh process fail, and leave the parser failing for good. Pages on the rdflib engine parse one at a time.
_PARSING = threading.Lock()


class RdflibEngine:
    """rdflib's in-memory store: the reference engine, slow on large graphs."""

    name = "rdflib"

    def __init__(self, graph: Graph):
        self.graph = graph
        self.version = 0
        self.follower = None

    def query(self, sparql, bindings=None, limit=None, base=None):
        from pyparsing import ParseBaseException
        from rdflib.plugins.sparql import prepareQuery

        if bindings and not isinstance(bindings, Mapping):  # rows: a VALUES block, as the other engines
            sparql = _values_first(sparql, bindings) or sparql + _values_clause(bindings)
            bindings = None
        try:
            if isinstance(sparql, str):  # parsed under the lock, with the prefixes graph.query would give
                with _PARSING:
                    sparql = prepareQuery(sparql, initNs=dict(self.graph.namespaces()), base=base)
            result = self.graph.query(sparql, initBindings=dict(bindings or {}))
        except ParseBaseException as error:
            raise QuerySyntaxError(" ".join(str(error).split())) from error
        except Exception as error:  # rdflib raises several types while evaluating
            raise QueryError(" ".join(str(error).split())) from error
        if result.type == "ASK":
            return Answer("ASK", boolean=bool(result.askAnswer))
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            return Answer(result.type, graph=_first_triples(result.graph, limit))
        variables = [str(v) for v in result.vars]
        rows = [
            {name: term for name, term in zip(variables, row) if term is not None}
            for row in itertools.islice(result, limit)
        ]
        return Answer("SELECT", variables=variables, rows=rows)

    def triple_count(self):
        return len(self.graph)


def _traceback_as_text(record: logging.LogRecord) -> bool:
    """Keep rdflib's traceback for an ill-typed literal ("2005-02-29"^^xsd:date) as text, not frames.

    rdflib logs it with exc_info when the literal is made; the frames reach up to the query
    being read, which holds Oxigraph's iterator. A handler that keeps records (pytest's log
    capture, a memory handler) then frees that iterator on another thread, which pyo3 refuses
    ("PyQuerySolutions is unsendable"): it leaks it, and the store snapshot it holds.
    """
    if record.exc_info:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.exc_info = None
    return True


logging.getLogger("rdflib.term").addFilter(_traceback_as_text)


@functools.lru_cache(maxsize=1 << 16)
def _to_rdflib(term) -> Node:
    """The rdflib term for an Oxigraph term, one per term: answers repeat the same items, units
    and roles row after row, and making a URIRef checks its IRI (a cache hit costs 0.14 us,
    a conversion 0.6-1.2 us; a 200-row answer holds 600 terms)."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            return Literal(term.value)  # as rdflib gives a plain literal, so answers compare equal
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise QueryError(f"unsupported term in answer: {term!r}")


def _to_oxigraph(term: Node):
    import pyoxigraph as ox

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot bind {term!r}")


class OxigraphEngine:
    """Oxigraph embedded through pyoxigraph: in memory, or persisted in a folder."""

    name = "oxigraph"

    def __init__(self, store, writable: bool = True):
        self.store = store
        self.writable = writable  # False for a store's read-only generation on disk
        self.version = 0  # moves on as written reports are loaded (graphsvc.engine.sources.Follower)
        self.follower = None

    @classmethod
    def from_graph(cls, graph: Graph) -> OxigraphEngine:
        """The graph's triples loaded sorted, each subject's together, as a file written subject by
        subject loads: loaded in rdflib's hash order, the same store answered the business-group
        question at 1M triples 8-10% slower (both orders measured side by side in one process)."""
        import pyoxigraph as ox

        lines = graph.serialize(format="nt", encoding="utf-8").splitlines()
        lines.sort()
        store = ox.Store()
        store.bulk_load(b"\n".join(lines), format=ox.RdfFormat.N_TRIPLES)
        return cls(store)

    def _run(self, sparql, bindings=None, base=None):
        import pyoxigraph as ox

        substitutions = {}
        if bindings:
            opened = _values_first(sparql, bindings)
            if opened is None and not isinstance(bindings, Mapping):
                sparql += _values_clause(bindings)
            elif opened is None:
                substitutions = {ox.Variable(name): _to_oxigraph(term) for name, term in bindings.items()}
            else:
                sparql = opened
        try:
            return self.store.query(sparql, substitutions=substitutions, base_iri=base)
        except SyntaxError as error:
            raise QuerySyntaxError(" ".join(str(error).split())) from error
        except (OSError, ValueError, RuntimeError) as error:
            raise QueryError(" ".join(str(error).split())) from error

    def text_rows(self, sparql, bindings=None) -> list[dict[str, str]]:
        """A SELECT's rows as their terms' lexical values (see ``text_rows``)."""
        result = self._run(sparql, bindings)
        positions = list(enumerate(v.value for v in result.variables))
        rows = []
        for solution in result:
            row = {}
            for position, name in positions:
                term = solution[position]
                if term is not None:
                    row[name] = term.value
            rows.append(row)
        return rows

    def query(self, sparql, bindings=None, limit=None, base=None):
        import pyoxigraph as ox

        result = self._run(sparql, bindings, base)
        if isinstance(result, ox.QueryBoolean):
            return Answer("ASK", boolean=bool(result))
        if isinstance(result, ox.QueryTriples):
            triples = ((_to_rdflib(t.subject), _to_rdflib(t.predicate), _to_rdflib(t.object)) for t in result)
            return Answer("CONSTRUCT", graph=_first_triples(triples, limit))
        variables = [v.value for v in result.variables]
        positions = list(enumerate(variables))
        rows = []
        for solution in itertools.islice(result, limit):
            row = {}
            for position, name in positions:
                term = solution[position]
                if term is not None:
                    row[name] = _to_rdflib(term)
            rows.append(row)
        return Answer("SELECT", variables=variables, rows=rows)

    def triple_count(self):
        return len(self.store)


def _first_triples(triples, limit: int | None) -> Graph:
    """A graph of the first ``limit`` distinct triples (all of them without a limit)."""
    if limit is None and isinstance(triples, Graph):
        return triples
    graph = Graph()
    for triple in triples:
        if limit is not None and len(graph) >= limit:
            break
        graph.add(triple)
    return graph


def _rows_of(bindings: Bindings) -> list[Mapping[str, Node]]:
    """Bindings as rows: one mapping is one row; a sequence of mappings (all naming the same
    variables) is one row each, so that one query answers for many items at once."""
    if isinstance(bindings, Mapping):
        return [bindings]
    rows = list(bindings)
    if any(list(row) != list(rows[0]) for row in rows):
        raise ValueError("every row of bindings must name the same variables, in the same order")
    return rows


# A query whose prologue (its BASE and PREFIX declarations) declares a BASE of its own.
_PROLOGUE_BASE = re.compile(r"\s*(?:PREFIX\s+[^\s:]*:\s*<[^>]*>\s*)*BASE\s*<", re.IGNORECASE)


def _values_clause(bindings: Bindings) -> str:
    """A VALUES clause: each term in its own N-Triples form, so no user text is parsed as SPARQL."""
    rows = _rows_of(bindings)
    names = " ".join(f"?{name}" for name in rows[0])
    terms = " ".join("(" + " ".join(term.n3() for term in row.values()) + ")" for row in rows)
    return f"\nVALUES ({names}) {{ {terms} }}"


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_GRAPH_FIRST = re.compile(r"\s*GRAPH\s+\?\w+\s*\{", re.IGNORECASE)  # a WHERE clause that opens a named graph


def _without_comments(sparql: str) -> str:
    """The query without its whole-line comments: a "WHERE {" in a comment must not be taken for the
    query's, nor a word like "loaded" make SPARQLWrapper send a query as an update (LOAD)."""
    return "\n".join(line for line in sparql.splitlines() if not line.lstrip().startswith("#"))


def _values_first(sparql: str, bindings: Bindings) -> str | None:
    """The query with the bindings as a VALUES block opening its WHERE clause.

    None without a WHERE keyword, or for a blank node, which VALUES cannot hold."""
    if any(isinstance(term, BNode) for row in _rows_of(bindings) for term in row.values()):
        return None
    text = _without_comments(sparql)
    match = _WHERE.search(text)
    if match is None:
        return None
    inside = _GRAPH_FIRST.match(text, match.end())
    if inside:  # inside the named graph's group: Oxigraph starts there from the bound term
        match = inside  # (outside, it read every report of 100k for one element: 205 ms, not 0.8)
    return text[: match.end()] + _values_clause(bindings) + text[match.end() :]


class RemoteEngine:
    """Any SPARQL 1.1 endpoint (Oxigraph server, Fuseki, GraphDB, Virtuoso, Neptune) over the protocol."""

    name = "remote"

    def __init__(self, endpoint: str, timeout: float = 30.0, results: str = "xml"):
        if results not in RESULTS:
            raise ValueError(f"unknown results format {results!r}: choose one of {', '.join(RESULTS)}")
        self.endpoint = endpoint
        self.timeout = timeout
        self.version = 0  # moves on when the endpoint's reports change (sources.EndpointFollower)
        self.follower = None
        self.results = results  # the format asked for: the same answers, at the store's speed for it
        self._connections = threading.local()  # one kept-alive connection per thread that asks
        parts = urllib.parse.urlsplit(endpoint)
        proxied = urllib.request.getproxies().get(parts.scheme) and not urllib.request.proxy_bypass(parts.netloc)
        self._direct = parts.scheme in ("http", "https") and parts.hostname and not parts.username and not proxied
        self._target = parts.path + (f"?{parts.query}" if parts.query else "")

    def _wrapper(self, sparql: str):
        from SPARQLWrapper import POST, SPARQLWrapper

        wrapper = SPARQLWrapper(self.endpoint)
        wrapper.setMethod(POST)
        wrapper.setTimeout(int(self.timeout))
        wrapper.setQuery(sparql)
        return wrapper

    def query(self, sparql, bindings=None, limit=None, base=None):
        """The endpoint computes the whole answer: ``limit`` only cuts what is kept of it. ``base`` is
        sent as the query's first BASE (the query's own BASE still wins): a store's own base would
        otherwise show its host or working directory in relative IRIs."""
        from SPARQLWrapper import JSON, TURTLE
        from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

        sparql = _without_comments(sparql)
        if bindings:
            sparql = _values_first(sparql, bindings) or sparql + _values_clause(bindings)
        if base and not _PROLOGUE_BASE.match(sparql):  # Virtuoso refuses a second BASE
            sparql = f"BASE <{base}>\n{sparql}"
        if self._direct and _ROWS_FORM.match(sparql):
            answer = self._rows_kept_alive(sparql, limit)
            if answer is not None:
                return answer
        wrapper = self._wrapper(sparql)
        kind = wrapper.queryType
        try:
            if kind in ("CONSTRUCT", "DESCRIBE"):
                wrapper.setReturnFormat(TURTLE)
                graph = Graph()
                graph.parse(data=wrapper.queryAndConvert(), format="turtle")
                return Answer(kind, graph=_first_triples(graph, limit))
            wrapper.setReturnFormat(JSON)
            data = wrapper.queryAndConvert()
        except QueryBadFormed as error:
            raise QuerySyntaxError(" ".join(str(error).split())) from error
        except SPARQLWrapperException as error:
            raise QueryError(" ".join(str(error).split())) from error
        except OSError as error:
            raise QueryError(f"{self.endpoint}: {error}") from error
        return _answer_of(data, limit)

    def _rows_kept_alive(self, sparql: str, limit: int | None) -> Answer | None:
        """A SELECT or ASK answer, over this thread's kept-alive connection; None when the endpoint
        refuses the query (or its answer cannot be read), for SPARQLWrapper to ask again and say why
        as it always has.

        Through SPARQLWrapper each query opened a connection and parsed its text: about a millisecond
        of a remote page's dozen queries each, most of it on the page's critical path."""
        body = urllib.parse.urlencode({"query": sparql})
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": _RESULTS_ACCEPT[self.results]}
        for attempt in (1, 2):  # a connection the endpoint has closed since is opened again, once
            connection = getattr(self._connections, "open", None)
            fresh = connection is None
            if fresh:
                parts = urllib.parse.urlsplit(self.endpoint)
                kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
                connection = self._connections.open = kind(parts.hostname, parts.port, timeout=self.timeout)
            try:
                connection.request("POST", self._target, body, headers)
                if _QUICKACK is not None:
                    connection.sock.setsockopt(socket.IPPROTO_TCP, _QUICKACK, 1)
                response = connection.getresponse()
                content = response.read()
            except (http.client.HTTPException, OSError) as error:
                connection.close()
                self._connections.open = None
                if fresh or attempt == 2 or isinstance(error, TimeoutError):
                    raise QueryError(f"{self.endpoint}: {error}") from error
                continue
            if response.will_close:
                connection.close()
                self._connections.open = None
            if response.status != 200:
                return None
            try:
                if response.getheader("Content-Type", "").startswith("application/sparql-results+xml"):
                    return _xml_answer(content, limit)
                return _answer_of(json.loads(content), limit)
            except (ValueError, SyntaxError, LookupError):  # ElementTree's ParseError is a SyntaxError
                return None
        return None

    def triple_count(self):
        answer = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(answer.rows[0]["n"])


# Acknowledge the answer's first packets at once (Linux): on a kept-alive connection a store that
# writes an answer in pieces (Virtuoso) otherwise waits for our delayed acknowledgement, 40 ms a
# time; SPARQL details bound to SCD's items took 52-60 ms instead of 15-18.
_QUICKACK = getattr(socket, "TCP_QUICKACK", None)

# A query whose answer is rows or a boolean: SELECT or ASK after its prologue.
_ROWS_FORM = re.compile(r"\s*(?:(?:PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*(?:SELECT|ASK)\b", re.IGNORECASE)


_RESULTS_ACCEPT = {
    "json": "application/sparql-results+json,application/json",
    "xml": "application/sparql-results+xml",
}
_SR = "{http://www.w3.org/2005/sparql-results#}"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _xml_answer(content: bytes, limit: int | None) -> Answer:
    """The Answer of a SPARQL XML result, its terms made as a JSON result's are."""
    root = ElementTree.fromstring(content)
    boolean = root.find(_SR + "boolean")
    if boolean is not None:
        return Answer("ASK", boolean=(boolean.text or "").strip() == "true")
    variables = [variable.get("name") for variable in root.iter(_SR + "variable")]
    rows = []
    for result in itertools.islice(root.iter(_SR + "result"), limit):
        row = {}
        for binding in result:
            term = binding[0]
            kind = term.tag[len(_SR) :]
            row[binding.get("name")] = _term_of(kind, term.text or "", term.get(_XML_LANG), term.get("datatype"))
        rows.append(row)
    return Answer("SELECT", variables=variables, rows=rows)


def _answer_of(data: dict, limit: int | None) -> Answer:
    """The Answer of a SPARQL JSON result."""
    if "boolean" in data:
        return Answer("ASK", boolean=bool(data["boolean"]))
    variables = list(data["head"].get("vars", []))
    rows = [
        {name: _json_term(value) for name, value in binding.items()}
        for binding in itertools.islice(data["results"]["bindings"], limit)
    ]
    return Answer("SELECT", variables=variables, rows=rows)


def _json_term(value: dict) -> Node:
    return _term_of(value["type"], value["value"], value.get("xml:lang"), value.get("datatype"))


@functools.lru_cache(maxsize=1 << 16)
def _term_of(kind: str, text: str, lang: str | None, datatype: str | None) -> Node:
    """One rdflib term per JSON term, as _to_rdflib keeps Oxigraph's: answers repeat the same items,
    units and labels row after row, and making a Literal casts its value (a third of a remote page's
    Python time went there)."""
    if kind == "uri":
        return URIRef(text)
    if kind == "bnode":
        return BNode(text)
    if lang:
        return Literal(text, lang=lang)
    if datatype and datatype != _XSD_STRING:
        return Literal(text, datatype=URIRef(datatype))
    return Literal(text)


_T = TypeVar("_T")


def per_engine(function: Callable[[Engine], _T]) -> Callable[[Engine], _T]:
    """Remember a function of the engine alone (a name table, the organisation chart).

    Such answers are asked for on every request of the web front end but change only with the
    plans, which an engine serves unchanged for its lifetime; the memo dies with the engine. Written
    progress reports are the one thing that changes while served (``engine.version``): what is
    remembered here must not read them, unless it keeps itself level with the version (as
    graphsvc.answers.progress's index does). ``remembered.kept(engine)``: whether it is computed yet.
    """
    results: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
    lock = threading.Lock()  # one computation per engine, even when a page's queries run at once

    @functools.wraps(function)
    def remembered(engine):
        found = results.get(engine)
        if found is None:
            with lock:
                found = results.get(engine)
                if found is None:
                    found = results[engine] = function(engine)
        return found

    remembered.kept = lambda engine: engine in results
    return remembered


def text_rows(engine: Engine, sparql: str, bindings: Bindings | None = None) -> list[dict[str, str]]:
    """A SELECT's rows as the lexical values of their terms (an IRI's text, a literal's lexical form),
    for answers that read many thousand rows and need only text: making an rdflib term of each took
    a third of the time of reading 100k progress reports. Embedded Oxigraph gives them directly."""
    if isinstance(engine, OxigraphEngine):
        return engine.text_rows(sparql, bindings)
    return [{name: str(term) for name, term in row.items()} for row in engine.query(sparql, bindings).rows]


class _Call:
    """One call of a gather: whoever claims it first (a pool thread or the caller) runs it."""

    def __init__(self, call: Callable[[], _T]):
        self.call, self.claim, self.done = call, threading.Lock(), threading.Event()
        self.result, self.error = None, None

    def run(self) -> None:
        if not self.claim.acquire(blocking=False):
            return
        try:
            self.result = self.call()
        except BaseException as error:  # re-raised by the caller, in order
            self.error = error
        finally:
            self.done.set()


# Threads kept for gather(), started once: a pool per page cost about a millisecond a thread on the
# critical path of every remote page (and ThreadPoolExecutor, reusing threads it counts as idle,
# left calls queued behind busy ones). The caller runs whatever no thread has started yet, so
# gathers inside gathers never wait for threads busy with them.
_GATHER_THREADS = 16
_QUEUE: queue.SimpleQueue[_Call] = queue.SimpleQueue()
_STARTED: list[threading.Thread] = []
_STARTING = threading.Lock()


def _serve_calls() -> None:
    while True:
        _QUEUE.get().run()


def _hand_over(task: _Call) -> None:
    if not _STARTED:
        with _STARTING:
            while len(_STARTED) < _GATHER_THREADS:
                thread = threading.Thread(target=_serve_calls, name=f"graphsvc-gather-{len(_STARTED)}", daemon=True)
                thread.start()
                _STARTED.append(thread)
    _QUEUE.put(task)


def gather(engine: Engine, *calls: Callable[[], _T]) -> list[_T]:
    """The results of independent calls on the engine, in order. On a remote store they run at once:
    a page's few queries then cost about one round trip, not one each. Embedded engines answer in
    a fraction of a millisecond, less than handing work to threads costs: there, one by one."""
    if engine.name != "remote" or len(calls) < 2:
        return [call() for call in calls]
    tasks = [_Call(call) for call in calls]
    for task in tasks[1:]:
        _hand_over(task)
    for task in tasks:
        task.run()  # the first, and any that no thread has started yet
    for task in tasks:
        task.done.wait()
        if task.error is not None:
            raise task.error
    return [task.result for task in tasks]


def embedded(graph: Graph, kind: str) -> Engine:
    """The embedded engine of the given kind, loaded with the graph."""
    if kind == "oxigraph":
        return OxigraphEngine.from_graph(graph)
    if kind == "rdflib":
        return RdflibEngine(graph)
    raise ValueError(f"unknown engine {kind!r}: choose one of {', '.join(ENGINE_KINDS)}")
