"""Finding anything: names, refs and the full text of items, activities, actions and measures.

People type "1.3", "cannabis", "canabis" or "SCD" into one box. The answer comes from an SQLite
FTS5 index (the standard library's sqlite3), built once per engine, that is once per data
version, from two named queries (queries/search_index.rq and the name table of
graphsvc.answers.names), kept in memory, and ranked by bm25.

- Words are matched whole, and the last one also as a prefix while typing ("canab").
- A word that is in no text is replaced by the indexed words within a small edit distance,
  found through a second FTS5 table of the vocabulary with the trigram tokenizer, so
  "canabis" finds cannabis without a scan of the vocabulary.
- A ref ("1.3", "1.3.1", "1-3") is matched against a hidden column where it is one token
  ("r1d3"), so that 1.3 is not found inside 1.1.3.
- The user's text never reaches FTS5's query language: it is cut into [0-9a-z] words, each
  quoted, and the expression is bound with ``?``.

At national scale the index takes seconds to build; the web front end builds it in the
background and answers from the name table until it is ready (``ready``/``wait``).
"""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from dataclasses import dataclass, field

from graphsvc.answers import names
from graphsvc.engine.engines import Engine, per_engine
from graphsvc.namespaces import BASE, GS
from graphsvc.queries import query

KINDS = {
    str(GS.Plan): "plan",
    str(GS.Strand): "strand",
    str(GS.Objective): "objective",
    str(GS.DeliveryItem): "item",
    str(GS.Activity): "activity",
    str(GS.Action): "action",
    str(GS.SuccessMeasure): "measure",
}
# How much a match in each column counts (bm25 weights): a name or ref beats a mention.
WEIGHTS = {"title": 8.0, "body": 2.0, "names": 10.0, "refkey": 20.0}
# Snippet markers: control characters no label holds, turned into <mark> only after escaping.
OPEN, CLOSE = "\x02", "\x03"
REF = re.compile(r"^\d+(?:[.-]\d+)*\.?$")
WORD = re.compile(r"[0-9a-z]+")
CANDIDATES = 200  # bm25's best, re-ranked in Python by exact ref and name matches
RANKED_UP_TO = 1_500  # matches; past this, document order (see search())
# The order documents are indexed in: the unranked order of very common words.
KIND_ORDER = (
    "organisation",
    "business group",
    "unit",
    "post",
    "person",
    "partner",
    "plan",
    "strand",
    "objective",
    "item",
    "activity",
    "measure",
    "action",
)


class SearchError(ValueError):
    """The text holds nothing to search for; str() says what to type instead."""


@dataclass(frozen=True)
class Hit:
    kind: str
    ref: str | None
    title: str
    iri: str
    href: str | None
    snippet: list[tuple[str, bool]]  # text parts, True where a searched word matched
    context: str  # where the node sits: "item 1.3", "strand 1", a unit's kind

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "ref": self.ref,
            "title": self.title,
            "iri": self.iri,
            "href": self.href,
            "context": self.context,
            "snippet": "".join(text for text, _ in self.snippet),
            "snippet_parts": [{"text": text, "match": match} for text, match in self.snippet],
        }


def local_path(iri: str) -> str | None:
    return "/" + iri[len(BASE) :] if iri.startswith(BASE + "id/") else None


def ref_key(ref: str) -> str:
    """A ref as one token of the hidden ``refkey`` column: "1.3.1" -> "r1d3d1", "1-3" -> "r1a3"."""
    return "r" + ref.rstrip(".").replace(".", "d").replace("-", "a")


@dataclass
class Index:
    """One engine's search index: an in-memory SQLite database, shared by the server's threads."""

    connection: sqlite3.Connection | None = None
    built_in: float | None = None  # seconds
    documents: int = 0
    words: int = 0
    bytes: int = 0
    error: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    done: threading.Event = field(default_factory=threading.Event)
    started: bool = False

    @property
    def ready(self) -> bool:
        return self.done.is_set() and self.connection is not None

    def stats(self) -> dict:
        return {
            "ready": self.ready,
            "documents": self.documents,
            "words": self.words,
            "bytes": self.bytes,
            "built_in_seconds": None if self.built_in is None else round(self.built_in, 3),
            "error": self.error,
        }


@per_engine
def _index(engine: Engine) -> Index:
    return Index()


BUILDS = {"count": 0}  # how many indexes were built in this process (the tests check "once")


def index(engine: Engine, wait: float | None = None) -> Index:
    """The engine's index, its build started once (in a background thread) on first use;
    ``wait``: seconds to wait for it to be ready (None: until it is)."""
    found = _index(engine)
    with found.lock:
        if not found.started:
            found.started = True
            threading.Thread(target=_build_into, args=(engine, found), name="graphsvc-search", daemon=True).start()
    found.done.wait(wait)
    return found


def _documents(engine: Engine):
    """(iri, kind, ref, title, body, names) for every node the search finds."""
    nodes: dict[str, dict] = {}
    for row in engine.query(query("search_index")).rows:
        iri = str(row["node"])
        node = nodes.get(iri)
        if node is None:
            kind = KINDS[str(row["type"])]
            ref = str(row["ref"]) if "ref" in row else None
            if ref is None and kind in ("action", "activity"):
                ref = iri.rsplit("/", 1)[-1]  # "1.3-1": action 1 of item 1.3; "1-3": objective 1, row 3
            parent = ""
            if "parentRef" in row or "parentTitle" in row:
                parent = " ".join(str(row[k]) for k in ("parentRef", "parentTitle") if k in row)
            node = nodes[iri] = {"kind": kind, "ref": ref, "title": str(row["title"]), "alts": [], "parent": parent}
        if "alt" in row and str(row["alt"]) not in node["alts"] and str(row["alt"]) != node["title"]:
            node["alts"].append(str(row["alt"]))
    for iri, node in nodes.items():
        body = " · ".join([*node["alts"], *([f"in {node['parent']}"] if node["parent"] else [])])
        yield iri, node["kind"], node["ref"], node["title"], body, ""
    for named in names._table(engine):
        entity = named.entity
        spoken = sorted(named.names | {i for i in named.initials if len(i) > 1})
        yield entity.iri, entity.kind, None, entity.label, "", " | ".join(spoken)  # "|": whole names, for ranking


def _build_into(engine: Engine, found: Index) -> None:
    started = time.perf_counter()
    try:
        connection = build(engine)
        found.documents = connection.execute("SELECT count(*) FROM docs").fetchone()[0]
        found.words = connection.execute("SELECT count(*) FROM words").fetchone()[0]
        pages, size = (connection.execute(f"PRAGMA {p}").fetchone()[0] for p in ("page_count", "page_size"))
        found.bytes = pages * size
        found.connection = connection
    except Exception as error:  # an endpoint that refuses: search answers from names, the log says why
        import logging

        logging.getLogger("graphsvc.errors").error("the search index could not be built", exc_info=error)
        found.error = "the full-text index could not be built"
    finally:
        found.built_in = time.perf_counter() - started
        found.done.set()


def build(engine: Engine) -> sqlite3.Connection:
    """A new in-memory index of the engine's data."""
    BUILDS["count"] += 1
    connection = sqlite3.connect(":memory:", check_same_thread=False)
    connection.executescript(
        """
        CREATE TABLE docs(id INTEGER PRIMARY KEY, iri TEXT, kind TEXT, ref TEXT, title TEXT, names TEXT);
        CREATE VIRTUAL TABLE search USING fts5(
            title, body, names, refkey, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');
        CREATE VIRTUAL TABLE vocabulary USING fts5vocab(search, 'row');
        CREATE VIRTUAL TABLE words USING fts5(word, tokenize = 'trigram');
        """
    )
    rows = sorted(_documents(engine), key=lambda row: KIND_ORDER.index(row[1]))
    connection.executemany(
        "INSERT INTO docs(id, iri, kind, ref, title, names) VALUES (?, ?, ?, ?, ?, ?)",
        ((n, iri, kind, ref, title, spoken) for n, (iri, kind, ref, title, _, spoken) in enumerate(rows, 1)),
    )
    connection.executemany(
        "INSERT INTO search(rowid, title, body, names, refkey) VALUES (?, ?, ?, ?, ?)",
        (
            (n, title, body, entity_names, ref_key(ref) if ref else "")
            for n, (_, _, ref, title, body, entity_names) in enumerate(rows, 1)
        ),
    )
    connection.execute(  # words only: not numbers, nor the refkey tokens
        "INSERT INTO words(word) SELECT term FROM vocabulary WHERE term GLOB '[a-z]*' AND NOT term GLOB 'r[0-9]*'"
    )
    connection.commit()
    return connection


def _quoted(word: str) -> str:
    return '"' + word + '"'  # words are [0-9a-z]+: nothing to escape


def _distance(a: str, b: str, bound: int) -> int:
    """Levenshtein distance, giving up (bound + 1) once it must exceed ``bound``."""
    if abs(len(a) - len(b)) > bound:
        return bound + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > bound:
            return bound + 1
        previous = current
    return previous[-1]


def _near(connection: sqlite3.Connection, word: str, prefix: bool) -> list[str]:
    """Indexed words within a small edit distance of ``word`` (of its start, while typing)."""
    if len(word) < 4:
        return []
    bound = 1 if len(word) < 7 else 2
    grams = {word[i : i + 3] for i in range(len(word) - 2)}
    expression = " OR ".join(_quoted(g) for g in sorted(grams))
    rows = connection.execute(
        "SELECT word FROM words WHERE words MATCH ? ORDER BY rank LIMIT 100", (expression,)
    ).fetchall()
    close = []
    for (candidate,) in rows:
        forms = [candidate[: len(word) + d] for d in (-1, 0, 1)] if prefix else [candidate]
        distance = min(_distance(word, form, bound) for form in forms)
        if distance <= bound:
            close.append((distance, candidate))
    return [candidate for _, candidate in sorted(close)[:8]]


def _known(connection: sqlite3.Connection, word: str, prefix: bool) -> bool:
    if prefix:
        found = connection.execute("SELECT 1 FROM vocabulary WHERE term >= ? AND term < ? LIMIT 1", (word, word + "~"))
    else:
        found = connection.execute("SELECT 1 FROM vocabulary WHERE term = ?", (word,))
    return found.fetchone() is not None


def expression(connection: sqlite3.Connection, text: str, typing: bool = False) -> tuple[str, list[str]]:
    """The FTS5 query for what was typed, and the words that were read as near misses ("canabis -> cannabis").

    Raises SearchError when the text holds no word or ref.
    """
    parts, corrections = [], []
    pieces = text.split()
    for position, piece in enumerate(pieces):
        last = typing and position == len(pieces) - 1
        if REF.match(piece):
            key = ref_key(piece)
            parts.append(f"refkey : {_quoted(key)}{'*' if last else ''}")
            continue
        for word in WORD.findall(names.normalise(piece)):
            if _known(connection, word, last):
                parts.append(_quoted(word) + ("*" if last else ""))
                continue
            near = _near(connection, word, last)
            if near:
                corrections.append(f"{word} → {', '.join(near)}")
                parts.append("(" + " OR ".join(_quoted(n) for n in near) + ")")
            else:
                parts.append(_quoted(word))  # finds nothing, and says so: every word must match
    if not parts:
        raise SearchError("type a word, a name or a ref such as 1.3 to search for")
    return " AND ".join(parts), corrections


def _parts(snippet: str) -> list[tuple[str, bool]]:
    parts = []
    for piece in re.split(f"({OPEN}[^{CLOSE}]*{CLOSE})", snippet):
        if piece.startswith(OPEN):
            parts.append((piece[1:-1], True))
        elif piece:
            parts.append((piece, False))
    return parts


def _context(kind: str, body: str) -> str:
    where = body.rsplit(" · ", 1)[-1] if body else ""
    return where.removeprefix("in ") if where.startswith("in ") else ""


@dataclass
class Answer:
    text: str
    hits: list[Hit]
    corrections: list[str]
    total: int  # matches before the limit, counted up to CANDIDATES
    took_ms: float
    complete: bool = True  # False: the index was not ready, only names were searched

    def as_dict(self) -> dict:
        return {
            "q": self.text,
            "total": self.total,
            "results": [hit.as_dict() for hit in self.hits],
            "corrections": self.corrections,
            "took_ms": round(self.took_ms, 2),
            "full_text": self.complete,
        }


def search(engine: Engine, text: str, limit: int = 20, typing: bool = False, wait: float | None = None) -> Answer:
    """The best ``limit`` matches for ``text``; ``typing``: its last word may be unfinished.

    Raises SearchError for text with nothing to search for.
    """
    started = time.perf_counter()
    found = index(engine, wait)
    if not found.ready:
        return _from_names(engine, text, limit, started)
    connection = found.connection
    weights = ", ".join(str(w) for w in WEIGHTS.values())
    exact_ref = text.strip().rstrip(".") if REF.match(text.strip()) else None
    wanted = names.normalise(text)

    def boost(row) -> int:
        _, _, _, ref, title, entity_names = row
        if exact_ref and ref == exact_ref:
            return 0
        spoken = [names.normalise(title), *entity_names.split(" | ")] if wanted else []
        if wanted in spoken:
            return 1
        if any(name.startswith(wanted) for name in spoken if name):
            return 2
        return 3

    with found.lock:
        match, corrections = expression(connection, text, typing)
        # bm25 over every match; the stored text of the best only, and snippets of the shown only.
        # A word in thousands of documents ranks them all by bm25 (30 ms at 100k triples) and tells
        # little apart: past RANKED_UP_TO matches, the documents' own order (names, plans, items,
        # then actions and measures) stands in for it.
        many = connection.execute(
            "SELECT count(*) FROM (SELECT rowid FROM search WHERE search MATCH ? LIMIT ?)", (match, RANKED_UP_TO + 1)
        ).fetchone()[0]
        order = "rowid" if many > RANKED_UP_TO else f"bm25(search, {weights})"
        rows = connection.execute(
            f"""SELECT docs.id, docs.iri, docs.kind, docs.ref, docs.title, docs.names
                FROM (SELECT rowid FROM search WHERE search MATCH ? ORDER BY {order} LIMIT ?)
                     AS best JOIN docs ON docs.id = best.rowid""",
            (match, CANDIDATES),
        ).fetchall()
        ranked = sorted(rows, key=boost)[:limit]  # stable: bm25 order within each tier
        snippets = {}
        if ranked:
            marks = ", ".join("?" * len(ranked))
            for rowid, body, title_snippet, body_snippet in connection.execute(
                f"""SELECT rowid, body, snippet(search, 0, '{OPEN}', '{CLOSE}', '…', 16),
                           snippet(search, 1, '{OPEN}', '{CLOSE}', '…', 16)
                    FROM search WHERE search MATCH ? AND rowid IN ({marks})""",
                (match, *(row[0] for row in ranked)),
            ):
                snippets[rowid] = (body, title_snippet, body_snippet)
    hits = []
    for rowid, iri, kind, ref, title, _ in ranked:
        body, title_snippet, body_snippet = snippets[rowid]
        chosen = title_snippet if OPEN in title_snippet or OPEN not in body_snippet else body_snippet
        hits.append(Hit(kind, ref, title, iri, local_path(iri), _parts(chosen), _context(kind, body)))
    # total: at most CANDIDATES ("200 or more" is as many as a person reads); counting all costs a scan
    return Answer(text, hits, corrections, len(rows), (time.perf_counter() - started) * 1000)


def _from_names(engine: Engine, text: str, limit: int, started: float) -> Answer:
    """While the index is being built: names only, from the name table."""
    if not names.normalise(text):
        raise SearchError("type a word, a name or a ref such as 1.3 to search for")
    hits = [
        Hit(e.kind, None, e.label, e.iri, local_path(e.iri), [(e.label, False)], "")
        for e in names.suggest(engine, text, limit)
    ]
    return Answer(text, hits, [], len(hits), (time.perf_counter() - started) * 1000, complete=False)
