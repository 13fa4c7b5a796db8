"""Tables laid out as in layout.py, turned into a plan's graph in the project's ontology.

Every problem is collected (sheet, row, column, reason) before anything is returned, so a
person fixes the whole file in one go; a graph comes back only when there are none.
"""

import re

from openpyxl.utils import get_column_letter
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from graphsvc.namespaces import GS, ID, PREFIXES
from graphsvc.spreadsheet import cells, layout, targets, vocabulary
from graphsvc.spreadsheet.neutralise import restore
from graphsvc.spreadsheet.problems import ImportProblems, Problem
from graphsvc.spreadsheet.table import Table

_IRI_SAFE = re.compile(r"[^\s<>\"{}|\\^`#?/%]+")
_SHEET_ORDER = {sheet.name: i for i, sheet in enumerate(layout.SHEETS)}
_COLUMN_ORDER = {s.name: {c.header: i for i, c in enumerate(s.columns)} for s in layout.SHEETS}


def _place(problem: Problem):
    """Problems in reading order: by sheet as laid out, row, then column (unknown ones last)."""
    columns = _COLUMN_ORDER.get(problem.sheet, {})
    return (
        _SHEET_ORDER.get(problem.sheet, len(_SHEET_ORDER)),
        problem.row or 0,
        columns.get((problem.column or "").split(" / ")[0], len(columns)),
    )


def _in_use(sheet: layout.Sheet, name: str, values: dict) -> bool:
    """A sub-node is made when it or a node below it has a value."""
    return bool(values.get(name)) or any(_in_use(sheet, n.name, values) for n in sheet.nodes if n.parent == name)


class _Builder:
    def __init__(self, tables: dict[str, Table]):
        self.tables = tables
        self.problems: list[Problem] = []
        self.graph = Graph()
        self.ids: dict[str, dict[str, int]] = {}
        self.names = vocabulary.known_names()
        self.plan = ""
        self.plan_node = None
        self.source = None
        self.absent: set[tuple[str, str]] = set()  # (sheet, header) of missing required columns

    def problem(self, sheet, row, column, reason):
        self.problems.append(Problem(sheet, row, column, reason))

    # -- the shape of the file ------------------------------------------------------------

    def check_sheets(self):
        for name in self.tables:
            if name not in layout.BY_NAME and name != layout.GUIDE:
                known = ", ".join(s.name for s in layout.SHEETS)
                self.problem(name, None, None, f"unknown sheet (the layout has: {known})")
        if "plan" not in self.tables:
            self.problem("plan", None, None, "missing sheet: every workbook needs its plan sheet")

    def check_header(self, sheet: layout.Sheet, table: Table):
        known = {c.header for c in sheet.columns}
        seen = set()
        for header in table.header:
            if header in seen:
                self.problem(sheet.name, 1, header, "column appears twice")
            seen.add(header)
            if header and header not in known:
                self.problem(sheet.name, 1, header, "unknown column")
        for column in sheet.columns:
            if column.required and column.header not in seen:
                self.problem(sheet.name, 1, column.header, "missing column")
                self.absent.add((sheet.name, column.header))

    def rows(self, sheet: layout.Sheet):
        table = self.tables.get(sheet.name)
        if table is None:
            return
        for number, row, stray in table.numbered_rows():
            yield number, {h: restore(v) for h, v in row.items()}, stray

    # -- ids --------------------------------------------------------------------------------

    def collect_ids(self, sheet: layout.Sheet):
        ids = self.ids[sheet.name] = {}
        if not sheet.key or (sheet.name, sheet.key) in self.absent:
            return
        for number, row, _ in self.rows(sheet):
            local = row.get(sheet.key, "").strip()
            if not local:
                self.problem(sheet.name, number, sheet.key, f"missing {sheet.key}")
            elif not _IRI_SAFE.fullmatch(local):
                self.problem(
                    sheet.name,
                    number,
                    sheet.key,
                    f'{sheet.key} {local!r} cannot be part of an IRI (no spaces or any of <>"{{}}|\\^`#?/%)',
                )
            elif local in ids:
                self.problem(
                    sheet.name, number, sheet.key, f"duplicate {sheet.key} {local!r} (first on row {ids[local]})"
                )
            else:
                ids[local] = number

    def find_plan(self):
        rows = list(self.rows(layout.BY_NAME["plan"]))
        if len(rows) != 1:
            self.problem("plan", None, None, f"the plan sheet must have exactly one row, not {len(rows)}")
        if rows:
            cells = rows[0][1]
            self.plan = cells.get("ref", "").strip()
            self.plan_node = layout.mint("plan/{id}", self.plan, self.plan)
            document = cells.get("source document", "").strip()
            self.source = layout.mint(layout.BY_NAME["documents"].mint, self.plan, document)

    # -- rows -------------------------------------------------------------------------------

    def value(self, sheet: layout.Sheet, number: int, column: layout.Column, text: str):
        """The RDF term a value stands for, or None after recording the problem."""
        try:
            if column.kind == layout.REF:
                target = layout.BY_NAME[column.target]
                if text not in self.ids.get(target.name, {}):
                    raise cells.CellError(f"unknown {target.key} {text!r} (not on the {target.name} sheet)")
                return layout.mint(target.mint, self.plan, text)
            if column.kind == layout.NAME:
                return self.names.resolve(text, classes=column.classes)
            if column.kind == layout.CONCEPT:
                return self.choose(text, vocabulary.concepts(column.scheme))
            if column.kind == layout.KIND:
                return self.choose(text, {vocabulary.class_label(c): c for c in column.choices})
            if column.kind in (layout.FLAG, layout.TOP_CONCEPTS):
                return self.choose(text, {"yes": True, "no": False})
            if column.kind == layout.UNIT:
                return cells.unit(text)
            if column.kind == layout.IRI:
                return cells.iri(text)
            return cells.literal(column, text)
        except (cells.CellError, vocabulary.UnknownName) as error:
            self.problem(sheet.name, number, column.header, str(error))
            return None

    @staticmethod
    def choose(text: str, options: dict):
        found = options.get(" ".join(text.split()).casefold())
        if found is None:
            allowed = ", ".join(repr(o) for o in options)
            raise cells.CellError(f"unknown value {text!r} (expected one of {allowed})")
        return found

    def cite(self, node, lines: bool):
        if lines and isinstance(node, URIRef) and self.source is not None:
            self.graph.add((node, DCTERMS.source, self.source))

    def cite_workbook(self, node, sheet: layout.Sheet, number: int):
        """A row written in the workbook rather than read from a document cites the workbook, its
        sheet and row: the plan's own provenance, so the audit does not ask it for a document line."""
        file = self.tables[sheet.name].file or f"{sheet.name}.csv"
        workbook = workbook_node(self.plan, file)
        if (workbook, RDF.type, GS.Workbook) not in self.graph:
            self.graph.add((workbook, RDF.type, GS.Workbook))
            self.graph.add((workbook, DCTERMS.identifier, Literal(file)))
            self.graph.add((workbook, DCTERMS.title, Literal(file)))
        self.graph.add((node, DCTERMS.source, workbook))
        self.graph.add((node, GS.sourceSheet, Literal(sheet.name)))
        self.graph.add((node, GS.sourceRow, Literal(number)))

    def build_row(self, sheet: layout.Sheet, number: int, row: dict[str, str], tops: list):
        if sheet.name == "measures":
            row = targets.read(row)
        local = row.get(sheet.key, "").strip() if sheet.key else None
        node = layout.mint(sheet.mint, self.plan, local) if sheet.mint else BNode()
        triples = sheet.triples(node, local, self.plan_node)
        filled = [h for h in sheet.one_of if row.get(h, "").strip()]
        if sheet.one_of and len(filled) != 1:
            self.problem(
                sheet.name, number, " / ".join(sheet.one_of), f"give exactly one of {' or '.join(sheet.one_of)}"
            )
        values: dict[str | None, list] = {}
        for column in sheet.columns:
            if column.header == sheet.key:
                continue
            texts = cells.split(column, row.get(column.header, ""))
            if column.required and not texts and (sheet.name, column.header) not in self.absent:
                self.problem(sheet.name, number, column.header, f"missing {column.header}")
            terms = [self.value(sheet, number, column, t) for t in texts]
            values.setdefault(column.node, []).extend((column, t) for t in terms if t is not None)
        nodes = {None: node}
        for sub in sheet.nodes:  # parents come before their children in the layout
            if _in_use(sheet, sub.name, values) and sub.parent in nodes:
                owner = nodes[sub.parent]
                term = nodes[sub.name] = layout.mint(sub.mint, self.plan, local) if sub.mint else BNode()
                triples += sub.triples(owner, term)
        for key, pairs in values.items():
            subject = nodes.get(key)
            for column, term in pairs:
                if column.kind == layout.FLAG:
                    if term:
                        triples.append((subject, column.predicate, self.plan_node))
                elif column.kind == layout.TOP_CONCEPTS:
                    if term:
                        tops.append(subject)
                elif column.inverse:
                    triples.append((term, column.predicate, subject))
                else:
                    triples.append((subject, column.predicate, term))
            self.cite(subject, any(c.kind == layout.LINES for c, _ in pairs))
        for key, subject in nodes.items():
            # A row the layout locates (it has a lines column) but that gives no lines was written in
            # the workbook. Documents are sources themselves, never located.
            cited = any(c.kind == layout.LINES for c, _ in values.get(key, []))
            located = any(c.kind == layout.LINES and c.node == key for c in sheet.columns)
            if not cited and located and sheet.name != "documents":
                self.cite_workbook(subject, sheet, number)
        for triple in triples:
            self.graph.add(triple)

    def build(self) -> Graph:
        self.check_sheets()
        sheets = [s for s in layout.SHEETS if not s.reference_only and s.name in self.tables]
        for sheet in sheets:
            self.check_header(sheet, self.tables[sheet.name])
            self.collect_ids(sheet)
        if "plan" in self.tables:
            self.find_plan()
        tops = []
        if self.plan:
            for sheet in sheets:
                for number, row, stray in self.rows(sheet):
                    for column in stray:
                        self.problem(
                            sheet.name, number, get_column_letter(column), "a value in a column with no header"
                        )
                    self.build_row(sheet, number, row, tops)
        for scheme in tops:
            for member in list(self.graph.subjects(SKOS.inScheme, scheme)):
                self.graph.add((scheme, SKOS.hasTopConcept, member))
        if self.problems:
            raise ImportProblems(sorted(self.problems, key=_place))
        self.bind_prefixes()
        return self.graph

    def bind_prefixes(self):
        for prefix, namespace in PREFIXES.items():
            self.graph.bind(prefix, namespace)
        for sheet in layout.SHEETS:
            if sheet.mint and "{plan}" in sheet.mint:
                self.graph.bind(sheet.mint.split("/")[0], layout.mint(sheet.mint, self.plan, ""))
        for kind in (
            "plan",
            "document",
            "scheme",
            "indicator",
            "datasource",
            "vision",
            "organisation",
            "unit",
            "post",
            "person",
            "partner",
            "assumption",
        ):
            self.graph.bind(kind, ID[f"{kind}/"])
        self.graph.bind("unitqudt", layout.QUDT_UNIT)


def workbook_node(plan: str, file: str) -> URIRef:
    """The IRI of the workbook (or CSV file) a plan was written in, one per plan and file name."""
    return ID[f"document/{plan}/{re.sub(r'[^A-Za-z0-9._-]+', '-', file).strip('-') or 'workbook'}"]


def workbook_citations(graph: Graph) -> set:
    """The triples that say where in a workbook each row was written: made anew by every import,
    so an export leaves them out and a round trip compares the rest."""
    workbooks = set(graph.subjects(RDF.type, GS.Workbook))
    found = {t for w in workbooks for t in graph.triples((w, None, None))}
    for node in set(graph.subjects(GS.sourceRow, None)):
        found |= set(graph.triples((node, GS.sourceRow, None))) | set(graph.triples((node, GS.sourceSheet, None)))
        found |= {(node, DCTERMS.source, w) for w in workbooks if (node, DCTERMS.source, w) in graph}
    return found


def import_tables(tables: list[Table]) -> Graph:
    """The plan's graph; raises ImportProblems listing every problem if there is any."""
    return _Builder({t.name: t for t in tables}).build()
