"""Turning what a person types ("SCD", "AC SC", "Hitchcock", an IRI) into one entity of the graph.

People know organisations by many names, so a name is matched against every label,
alternative label, notation, family name and abbreviation-table entry, in tiers from
strict to loose; the first tier that matches anything decides. Two different entities
in that tier make the name ambiguous, none in any tier makes it unknown: both errors
carry the closest candidates so that a caller can say "did you mean ...", never answer
for nothing.

The tiers, on text case-folded with punctuation dropped ("Team(s)" is "team s"):

1. exact: the text equals one of the entity's names;
2. initials: the text without spaces equals the initials of the words of the entity's
   preferred label, with or without its small words ("and", "of", ...), so "AC SC" (or "acsc")
   is Assistant Commissioner Specialist Crime and "IDAU" the Intelligence Development and
   Analysis Unit.
   The documents never write "AC SC": it is resolved by this rule, not by a label in the data;
3. prefix: one of the entity's names starts with the text's words ("specialist crime");
4. words: every word of the text is a word of one of the entity's names ("crime specialist").
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from graphsvc.engine.engines import Engine, per_engine
from graphsvc.namespaces import GS
from graphsvc.queries import query

# Entity kinds by rdf:type, as the API and the web front end name them.
KINDS = {
    "http://www.w3.org/ns/org#FormalOrganization": "organisation",
    str(GS.BusinessGroup): "business group",
    "http://www.w3.org/ns/org#OrganizationalUnit": "unit",
    "http://www.w3.org/ns/org#Post": "post",
    "http://xmlns.com/foaf/0.1/Person": "person",
    str(GS.PartnerAgency): "partner",
}


@dataclass(frozen=True)
class Entity:
    iri: str
    label: str
    kind: str  # one of KINDS' values


class NameNotFound(LookupError):
    """No entity has that name; `candidates` are the closest names (possibly none)."""

    def __init__(self, name: str, candidates: list[Entity]):
        self.name = name
        self.candidates = candidates
        message = f"no unit, post or person called {name!r}"
        if candidates:
            message += f"; did you mean: {_listing(candidates)}?"
        super().__init__(message)


class AmbiguousName(LookupError):
    """More than one entity answers to the name equally well; `candidates` lists them."""

    def __init__(self, name: str, candidates: list[Entity]):
        self.name = name
        self.candidates = candidates
        super().__init__(f"{name!r} could mean {_listing(candidates, ' or ')}: say which")


def _listing(entities: list[Entity], separator: str = ", ") -> str:
    return separator.join(f"{e.label} ({e.kind})" for e in entities)


def normalise(text: str) -> str:
    """Case-folded words of the text, accents and punctuation dropped."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.findall(r"[0-9a-z]+", plain.casefold()))


@dataclass(frozen=True)
class _Named:
    entity: Entity
    names: frozenset[str]  # normalised
    initials: frozenset[str]  # of the preferred label's words, with and without the small words


SMALL_WORDS = frozenset({"and", "of", "the", "for", "in", "on", "to", "a"})  # left out of abbreviations


def _initials(label: str) -> frozenset[str]:
    words = normalise(label).split()
    return frozenset({"".join(w[0] for w in words), "".join(w[0] for w in words if w not in SMALL_WORDS)})


def _entities(rows) -> dict[str, Entity]:
    """One entity per IRI from rows with ?entity, ?type and ?label. Of several types or labels the
    first kind in KINDS' order, then the least label, wins: the same entity whatever the order
    a store gives its rows in, and from either table below."""
    order = {kind: position for position, kind in enumerate(KINDS)}
    chosen: dict[str, tuple] = {}
    for row in rows:
        iri, candidate = str(row["entity"]), (order[str(row["type"])], str(row["label"]))
        if iri not in chosen or candidate < chosen[iri]:
            chosen[iri] = candidate
    kinds = list(KINDS.values())
    return {iri: Entity(iri, label, kinds[position]) for iri, (position, label) in chosen.items()}


@per_engine
def _table(engine: Engine) -> list[_Named]:
    rows = engine.query(query("names")).rows
    entities = _entities(rows)
    names: dict[str, set[str]] = {}
    for row in rows:
        names.setdefault(str(row["entity"]), set()).add(normalise(str(row["name"])))
    return [
        _Named(entity, frozenset(names[iri]), _initials(entity.label))
        for iri, entity in sorted(entities.items(), key=lambda pair: pair[1].label.casefold())
    ]


@per_engine
def by_iri(engine: Engine) -> dict[str, Entity]:
    """Every entity by IRI: answers resolve every agent they name, thousands at national scale.
    From the labels alone (queries/name_labels.rq), not the names table: a page asked for by its
    address, as every page is, never needs the names people type."""
    return _entities(engine.query(query("name_labels")).rows)


def _tiers(text: str):
    """The matching rules in order, each a test of one entity's names against the text."""
    words = text.split()
    compact = text.replace(" ", "")
    yield lambda named: text in named.names
    yield lambda named: len(compact) > 1 and compact in named.initials
    yield lambda named: any(n.startswith(text + " ") for n in named.names)
    yield lambda named: any(set(words) <= set(n.split()) for n in named.names)


def resolve(engine: Engine, name: str) -> Entity:
    """The one entity the name stands for; NameNotFound or AmbiguousName otherwise."""
    iri = name.strip().strip("<>")
    if iri.startswith(("http://", "https://")):
        if iri in by_iri(engine):
            return by_iri(engine)[iri]
        raise NameNotFound(name, [])
    table = _table(engine)
    text = normalise(name)
    if text:
        for matches in _tiers(text):
            found = [named.entity for named in table if matches(named)]
            if len(found) == 1:
                return found[0]
            if found:
                raise AmbiguousName(name, found)
    raise NameNotFound(name, _closest(table, text))


def _closest(table: list[_Named], text: str, limit: int = 5) -> list[Entity]:
    by_name = {n: named.entity for named in table for n in named.names | named.initials if len(n) > 1}
    close = difflib.get_close_matches(text, list(by_name), n=limit * 3, cutoff=0.6)
    return list(dict.fromkeys(by_name[n] for n in close))[:limit]


def suggest(engine: Engine, prefix: str, limit: int = 10) -> list[Entity]:
    """Entities for search-as-you-type: names that start with the text first, then names with a word that does."""
    text = normalise(prefix)
    if not text:
        return []
    ranked = []
    for named in _table(engine):
        if any(n.startswith(text) for n in named.names):
            ranked.append((0, named.entity))
        elif any((" " + n).find(" " + text) >= 0 for n in named.names) or any(
            initials.startswith(text.replace(" ", "")) for initials in named.initials
        ):
            ranked.append((1, named.entity))
    ranked.sort(key=lambda pair: (pair[0], pair[1].label.casefold()))
    return [entity for _, entity in ranked[:limit]]


def exact(engine: Engine, name: str) -> Entity | None:
    """The one entity with exactly that name or those initials ("SCD", "Hitchcock"), else None.

    The search box goes straight to such an entity's page; looser matches ("crime") list
    results instead, since the text may as well mean an item or a measure.
    """
    text = normalise(name)
    if not text:
        return None
    compact = text.replace(" ", "")
    found = [n.entity for n in _table(engine) if text in n.names or (len(compact) > 1 and compact in n.initials)]
    return found[0] if len(found) == 1 else None
