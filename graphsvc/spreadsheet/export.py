"""A plan's graph as the tables of layout.py.

Every triple read into a cell is ticked off; a triple left over at the end has no cell to
live in, and export stops rather than write a spreadsheet that would lose it.
"""

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import DCTERMS, ORG, RDF, SKOS

from graphsvc.answers import names
from graphsvc.namespaces import GS
from graphsvc.refs import natural_key
from graphsvc.spreadsheet import cells, layout, vocabulary
from graphsvc.spreadsheet.importer import workbook_citations
from graphsvc.spreadsheet.table import Table


class ExportError(Exception):
    """A graph that is not one plan or holds something the layout cannot carry; str() says what."""


class _Reader:
    def __init__(self, plan_graph: Graph):
        # Where in a workbook each row was written is no column: the next import records it anew.
        citations = workbook_citations(plan_graph)
        if citations:
            plan_graph = plan_graph - citations
        self.graph = plan_graph
        plans = list(plan_graph.subjects(RDF.type, GS.Plan))
        if len(plans) != 1:
            raise ExportError(f"expected one gs:Plan in the graph, found {len(plans)}")
        self.plan_node = plans[0]
        self.plan = str(plan_graph.value(self.plan_node, SKOS.notation) or "")
        if not self.plan:
            raise ExportError(f"the plan {self.plan_node} has no skos:notation (its ref)")
        self.source = plan_graph.value(self.plan_node, DCTERMS.source)
        self.used: set = set()
        self.names = vocabulary.known_names()

    def take(self, triple) -> bool:
        if triple in self.graph:
            self.used.add(triple)
            return True
        return False

    def text(self, column: layout.Column, term) -> str | None:
        """The cell text for a term, or None if the term is not this column's kind of value."""
        kind = column.kind
        if kind in (layout.TEXT, layout.LINES, layout.DECIMAL, layout.DATE, layout.MONTH, layout.YEAR):
            return str(term) if cells.is_literal_of(column, term) else None
        if kind == layout.UNIT:
            return cells.unit_text(term)
        if kind == layout.REF:
            return layout.local_id(layout.BY_NAME[column.target].mint, self.plan, term)
        if kind == layout.NAME:
            return self.names.name_of(term)
        if kind == layout.CONCEPT:
            labels = {iri: label for label, iri in vocabulary.concepts(column.scheme).items()}
            return labels.get(term)
        if kind == layout.KIND:
            return vocabulary.class_label(term) if term in column.choices else None
        if kind == layout.FLAG:
            return "yes" if term == self.plan_node else None
        if kind == layout.IRI:
            return cells.iri_text(term) if isinstance(term, URIRef) else None
        raise AssertionError(kind)

    def cell(self, column: layout.Column, node) -> str:
        if column.kind == layout.TOP_CONCEPTS:
            return self.top_concepts(node)
        if column.inverse:
            triples = [(s, column.predicate, node) for s in self.graph.subjects(column.predicate, node)]
            terms = [t[0] for t in triples]
        else:
            triples = [(node, column.predicate, o) for o in self.graph.objects(node, column.predicate)]
            terms = [t[2] for t in triples]
        values = []
        for triple, term in zip(triples, terms):
            value = self.text(column, term)
            if value is not None and (column.multi or not values):
                values.append(value)
                self.used.add(triple)
        key = int if column.kind == layout.LINES else natural_key
        return cells.join(column, sorted(values, key=key))

    def top_concepts(self, scheme) -> str:
        members = set(self.graph.subjects(SKOS.inScheme, scheme))
        tops = set(self.graph.objects(scheme, SKOS.hasTopConcept))
        if tops and tops == members:
            self.used.update((scheme, SKOS.hasTopConcept, t) for t in tops)
            return "yes"
        return ""

    def cites_source(self, node):
        if isinstance(node, URIRef) and (node, GS.sourceLine, None) in self.graph:
            self.take((node, DCTERMS.source, self.source))

    def subjects(self, sheet: layout.Sheet):
        types = [sheet.rdf_type] if sheet.rdf_type else next(c.choices for c in sheet.columns if c.kind == layout.KIND)
        for rdf_type in types:
            for node in self.graph.subjects(RDF.type, rdf_type):
                if sheet.mint is None and isinstance(node, BNode):
                    yield node, None
                elif sheet.mint and (local := layout.local_id(sheet.mint, self.plan, node)):
                    yield node, local

    def row(self, sheet: layout.Sheet, node, local) -> dict[str, str]:
        for triple in sheet.triples(node, local, self.plan_node):
            self.take(triple)
        self.cites_source(node)
        terms = {None: node}
        for sub in sheet.nodes:
            owner = terms.get(sub.parent)
            found = (
                [o for o in self.graph.objects(owner, sub.predicate) if (o, RDF.type, sub.rdf_type) in self.graph]
                if owner is not None
                else []
            )
            minted = layout.mint(sub.mint, self.plan, local) if sub.mint else None
            if len(found) == 1 and (minted is None or found[0] == minted):
                term = terms[sub.name] = found[0]
                for triple in sub.triples(owner, term):
                    self.take(triple)
                self.cites_source(term)
        row = {}
        for column in sheet.columns:
            if column.header == sheet.key:
                row[column.header] = local
            elif column.node is None or column.node in terms:
                row[column.header] = self.cell(column, terms[column.node])
            else:
                row[column.header] = ""
        return row

    def table(self, sheet: layout.Sheet) -> Table:
        rows = [self.row(sheet, node, local) for node, local in self.subjects(sheet)]
        if sheet.key:
            rows.sort(key=lambda r: natural_key(r[sheet.key]))
        else:
            rows.sort(key=lambda r: [natural_key(r[c.header]) for c in sheet.columns])
        header = [c.header for c in sheet.columns]
        return Table(sheet.name, header, [[r[h] for h in header] for r in rows])

    def leftovers(self) -> list:
        return sorted(set(self.graph) - self.used)


_ORG_KINDS = {URIRef(iri): kind for iri, kind in names.KINDS.items() if kind != "partner"}


def _reference_tables() -> list[Table]:
    """The organisation's names, for whoever fills in name cells."""
    org = vocabulary.organisation()
    known = vocabulary.known_names()

    def labels(nodes):
        return "\n".join(sorted(known.name_of(n) or str(n) for n in nodes))

    rows = []
    for rdf_type, kind in _ORG_KINDS.items():
        for node in org.subjects(RDF.type, rdf_type):
            parents = [
                *org.objects(node, ORG.subOrganizationOf),
                *org.objects(node, ORG.postIn),
                *org.objects(node, ORG.memberOf),
            ]
            posts = [*org.subjects(ORG.postIn, node), *org.objects(node, ORG.holds)]
            rows.append(
                [known.name_of(node), kind, labels(org.objects(node, SKOS.altLabel)), labels(parents), labels(posts)]
            )
    partners = [
        [known.name_of(node), labels(org.objects(node, SKOS.altLabel))]
        for node in org.subjects(RDF.type, GS.PartnerAgency)
    ]
    return [
        Table(
            "organisation",
            [c.header for c in layout.BY_NAME["organisation"].columns],
            sorted(rows, key=lambda r: (list(_ORG_KINDS.values()).index(r[1]), r[0])),
        ),
        Table("partners", [c.header for c in layout.BY_NAME["partners"].columns], sorted(partners)),
    ]


def export_plan(plan_graph: Graph) -> list[Table]:
    """The plan file's graph as the layout's tables, in the layout's order."""
    reader = _Reader(plan_graph)
    tables = [reader.table(sheet) for sheet in layout.SHEETS if not sheet.reference_only]
    left = reader.leftovers()
    if left:
        shown = "; ".join(" ".join(t.n3(plan_graph.namespace_manager) for t in triple) for triple in left[:3])
        raise ExportError(f"{len(left)} triple(s) of the plan have no place in the spreadsheet layout, e.g. {shown}")
    return tables + _reference_tables()
