"""The spreadsheet layout of a plan: its sheets, their columns, and the RDF each cell stands for.

One table is the single source of truth for both directions: export.py reads a plan's
graph through it and importer.py writes the graph back through it, so the two cannot
drift apart. Every triple of a plan file has a cell to live in; export refuses a graph
with a triple no cell can carry rather than lose it silently.

Conventions of every sheet (header on row 1, one thing per row from row 2):
- A cell that holds several values puts one per line (source lines: comma-separated).
- "source lines" are line numbers of the plan's source document (the plan sheet's
  "source document"); a row with source lines cites that document (dcterms:source).
- Ids are the last part of the row's IRI; refs (skos:notation) double as ids where the plan
  prints them, e.g. item "1.1" is <id/item/2007-10/1.1>.
- A reference cell holds an id of another sheet; a name cell holds a name (label or other
  label) of a unit, post, person, partner or the force, resolved through the organisation.
- The organisation and partners sheets are written for reference: they list the names a
  name cell may use. Import resolves names through the organisation graph and reads
  nothing from these two sheets.
"""

from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, PROV, RDF, RDFS, SKOS, TIME

from graphsvc.namespaces import GS, ID

QUDT_UNIT = "http://qudt.org/vocab/unit/"

# Column kinds: how a cell's text becomes RDF terms and back.
TEXT = "text"  # a plain string literal
LINES = "lines"  # xsd:integer source lines, comma-separated
DECIMAL = "decimal"  # xsd:decimal, kept exactly as written
DATE = "date"  # xsd:date, YYYY-MM-DD
MONTH = "month"  # xsd:gYearMonth, YYYY-MM
YEAR = "year"  # xsd:gYear, YYYY
UNIT = "unit"  # a QUDT unit by its local name, e.g. PERCENT
REF = "ref"  # the id of a row of another sheet
NAME = "name"  # a name of an agent (or an ontology class), resolved through the organisation
CONCEPT = "concept"  # the label of a concept of an ontology scheme, e.g. "increase"
KIND = "kind"  # the label of one of a few ontology classes: the row's rdf:type
FLAG = "flag"  # yes / no: whether the row is part of the plan
TOP_CONCEPTS = "top concepts"  # yes / no: whether a scheme's members are its top concepts
IRI = "iri"  # any IRI, as prefix:local with the project's prefixes or <full IRI>


@dataclass(frozen=True)
class Node:
    """A node hanging off a row's node (a target, a progress slot, a caveat, a period)."""

    name: str
    predicate: URIRef
    rdf_type: URIRef
    parent: str | None = None  # another Node of the sheet; None: the row's own node
    mint: str | None = None  # IRI template (see Sheet.mint); None: a blank node
    part_of_owner: bool = False  # the node is dcterms:isPartOf the node it hangs off

    def triples(self, owner, term) -> list:
        """The triples that hang the node off its owner, whatever its cells say."""
        made = [(owner, self.predicate, term), (term, RDF.type, self.rdf_type)]
        return made + [(term, DCTERMS.isPartOf, owner)] if self.part_of_owner else made


@dataclass(frozen=True)
class Column:
    header: str
    kind: str
    predicate: URIRef | None = None
    doc: str = ""
    required: bool = False
    multi: bool = False
    target: str | None = None  # REF: the sheet referred to
    scheme: URIRef | None = None  # CONCEPT: the concept scheme
    choices: tuple[URIRef, ...] = ()  # KIND: the classes to choose from
    node: str | None = None  # the Node the value sits on; None: the row's node
    inverse: bool = False  # REF: the triple is (referred row, predicate, this row)
    classes: bool = False  # NAME: the name may also be an ontology class's label


@dataclass(frozen=True)
class Sheet:
    name: str
    doc: str
    columns: tuple[Column, ...]
    key: str | None = None  # header of the id column; None: rows are blank nodes
    key_predicate: URIRef | None = None  # the id is also this literal (a ref, a marker)
    mint: str | None = None  # "item/{plan}/{id}": the row's IRI after BASE + "id/"
    rdf_type: URIRef | None = None  # None: a KIND column says
    part_of_plan: bool = False
    nodes: tuple[Node, ...] = ()
    one_of: tuple[str, ...] = ()  # exactly one of these columns must be filled
    reference_only: bool = False  # written on export, not read on import

    def triples(self, node, local: str | None, plan_node) -> list:
        """The triples every row of the sheet has, whatever its cells say."""
        made = [(node, RDF.type, self.rdf_type)] if self.rdf_type else []
        if self.key_predicate:
            made.append((node, self.key_predicate, Literal(local)))
        if self.part_of_plan:
            made.append((node, DCTERMS.isPartOf, plan_node))
        return made


def mint(template: str, plan: str, local: str) -> URIRef:
    return ID[template.format(plan=plan, id=local)]


def local_id(template: str, plan: str, iri) -> str | None:
    """The id a minted IRI was made from, or None if the IRI does not follow the template."""
    prefix = str(ID[template.format(plan=plan, id="")])
    text = str(iri)
    if isinstance(iri, URIRef) and text.startswith(prefix) and len(text) > len(prefix):
        return text[len(prefix) :]
    return None


def _lines(
    doc="Line(s) of the plan's source document the row was read from; empty for a row written here, "
    "which then cites this workbook's sheet and row.",
) -> Column:
    return Column("source lines", LINES, GS.sourceLine, doc, multi=True)


def _notes() -> Column:
    return Column(
        "reading notes", TEXT, GS.readingNote, "How an irregular passage was read, one note a line.", multi=True
    )


# A sheet of notes for the person filling a workbook in (the template has one): never read.
GUIDE = "guide"

SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "plan",
        "The plan itself: one row.",
        key="ref",
        key_predicate=SKOS.notation,
        mint="plan/{id}",
        rdf_type=GS.Plan,
        nodes=(
            Node("period", DCTERMS.temporal, TIME.ProperInterval),
            Node("start", TIME.hasBeginning, TIME.Instant, parent="period"),
            Node("end", TIME.hasEnd, TIME.Instant, parent="period"),
        ),
        columns=(
            Column("ref", TEXT, doc="The plan's ref, e.g. 2007-10; part of every IRI of the plan.", required=True),
            Column("label", TEXT, SKOS.prefLabel, "The plan's name.", required=True),
            Column("other labels", TEXT, SKOS.altLabel, "Other names it is printed with.", multi=True),
            Column("title", TEXT, DCTERMS.title, "Its title as printed."),
            Column("publisher", NAME, DCTERMS.publisher, "The organisation that issued it."),
            Column("from year", YEAR, TIME.inXSDgYear, "First year it covers.", node="start"),
            Column("to year", YEAR, TIME.inXSDgYear, "Last year it covers.", node="end"),
            Column("approval status", CONCEPT, GS.approvalStatus, "draft or agreed.", scheme=GS.ApprovalStatuses),
            Column(
                "footnotes",
                REF,
                GS.footnote,
                "Markers of footnotes printed on the plan.",
                multi=True,
                target="footnotes",
            ),
            Column(
                "source document",
                REF,
                DCTERMS.source,
                "Id of the document the plan was transcribed from (documents sheet).",
                required=True,
                target="documents",
            ),
            _lines(),
            _notes(),
        ),
    ),
    Sheet(
        "documents",
        "Documents: the plan's source document and documents it cites.",
        key="id",
        mint="document/{id}",
        rdf_type=FOAF.Document,
        columns=(
            Column("id", TEXT, required=True),
            Column("title", TEXT, DCTERMS.title, required=True),
            Column("file name", TEXT, DCTERMS.identifier, "Name of the file in data/sources/."),
            Column("format", TEXT, DCTERMS.format, "Media type, e.g. text/plain."),
            Column("comment", TEXT, RDFS.comment),
            _lines("Line(s) of the plan's source document that cite this document."),
        ),
    ),
    Sheet(
        "vision",
        "The plan's vision, if it states one.",
        key="id",
        mint="vision/{id}",
        rdf_type=GS.Vision,
        part_of_plan=True,
        columns=(
            Column("id", TEXT, doc="Normally the plan's ref.", required=True),
            Column("text", TEXT, SKOS.prefLabel, required=True),
            Column("labels", TEXT, SKOS.altLabel, "Heading(s) it is printed under.", multi=True),
            _lines(),
        ),
    ),
    Sheet(
        "aims",
        "Aims or priorities the plan pursues.",
        key="id",
        mint="aim/{plan}/{id}",
        rdf_type=GS.Aim,
        part_of_plan=True,
        columns=(
            Column("id", TEXT, required=True),
            Column("ref", TEXT, SKOS.notation, "The aim's number, where printed."),
            Column("labels", TEXT, SKOS.altLabel, "e.g. Aim 1.", multi=True),
            Column("text", TEXT, SKOS.prefLabel, required=True),
            Column("footnotes", REF, GS.footnote, multi=True, target="footnotes"),
            _lines(),
            _notes(),
        ),
    ),
    Sheet(
        "schemes",
        "Lists the plan groups things in: its approach, its themes, an indicator framework.",
        key="id",
        mint="scheme/{id}",
        rdf_type=SKOS.ConceptScheme,
        columns=(
            Column("id", TEXT, required=True),
            Column("label", TEXT, SKOS.prefLabel, required=True),
            Column("other labels", TEXT, SKOS.altLabel, multi=True),
            Column("comment", TEXT, RDFS.comment),
            Column(
                "part of plan",
                FLAG,
                DCTERMS.isPartOf,
                "yes if the plan itself sets out the list (no for an outside framework).",
            ),
            Column(
                "top concepts",
                TOP_CONCEPTS,
                SKOS.hasTopConcept,
                "yes if every row naming this scheme is one of its top concepts.",
            ),
            _lines(),
        ),
    ),
    Sheet(
        "strands",
        "Strands (lines of approach) under which delivery items are grouped.",
        key="ref",
        key_predicate=SKOS.notation,
        mint="strand/{plan}/{id}",
        rdf_type=GS.Strand,
        part_of_plan=True,
        columns=(
            Column("ref", TEXT, required=True),
            Column("scheme", REF, SKOS.inScheme, "Id of the approach scheme.", target="schemes"),
            Column("text", TEXT, SKOS.prefLabel, required=True),
            Column("headings", TEXT, SKOS.altLabel, "As printed in the table heading.", multi=True),
            _lines(),
            _notes(),
        ),
    ),
    Sheet(
        "indicators",
        "Performance indicators measures are assessed against.",
        key="id",
        mint="indicator/{id}",
        columns=(
            Column("id", TEXT, required=True),
            Column(
                "kind",
                KIND,
                RDF.type,
                required=True,
                choices=(GS.StatutoryPerformanceIndicator, GS.PerformanceIndicator),
            ),
            Column("ref", TEXT, SKOS.notation),
            Column("label", TEXT, SKOS.prefLabel, required=True),
            Column("definition", TEXT, SKOS.definition),
            Column("scope note", TEXT, SKOS.scopeNote),
            Column("scheme", REF, SKOS.inScheme, target="schemes"),
            Column("data sources", REF, GS.dataSource, multi=True, target="data sources"),
            Column(
                "referenced by",
                REF,
                DCTERMS.isReferencedBy,
                "Ids of documents that define it.",
                multi=True,
                target="documents",
            ),
            _lines(),
            _notes(),
        ),
    ),
    Sheet(
        "data sources",
        "Data sources (e.g. surveys) measures name.",
        key="id",
        mint="datasource/{id}",
        columns=(
            Column("id", TEXT, required=True),
            Column("kind", KIND, RDF.type, required=True, choices=(GS.Survey, GS.DataSource)),
            Column("label", TEXT, SKOS.prefLabel, required=True),
            Column("other labels", TEXT, SKOS.altLabel, multi=True),
            _lines(),
            _notes(),
        ),
    ),
    Sheet(
        "footnotes",
        "Footnotes, by the marker printed on the text they qualify.",
        key="marker",
        key_predicate=GS.marker,
        mint="footnote/{plan}/{id}",
        rdf_type=GS.Footnote,
        part_of_plan=True,
        columns=(
            Column("marker", TEXT, required=True),
            Column("text", TEXT, RDF.value, "Empty if the document prints the marker but no text."),
            Column("documents", REF, DCTERMS.references, multi=True, target="documents"),
            Column("indicators", REF, DCTERMS.references, multi=True, target="indicators"),
            _lines(),
            _notes(),
        ),
    ),
    Sheet(
        "items",
        "Delivery items: what the plan seeks to do, by ref, under a strand. Their leads "
        "and supporting units are on the responsibilities sheet, their actions on the actions sheet.",
        key="ref",
        key_predicate=SKOS.notation,
        mint="item/{plan}/{id}",
        rdf_type=GS.DeliveryItem,
        columns=(
            Column("ref", TEXT, required=True),
            Column("strand", REF, DCTERMS.isPartOf, "Ref of the strand.", required=True, target="strands"),
            Column("what we seek to do", TEXT, SKOS.prefLabel, required=True),
            _lines(),
            _notes(),
        ),
    ),
    Sheet(
        "actions",
        "How each item will be achieved: one action a row.",
        key="id",
        mint="action/{plan}/{id}",
        rdf_type=GS.Action,
        nodes=(Node("caveat", GS.caveat, GS.Caveat, mint="caveat/{plan}/{id}", part_of_owner=True),),
        columns=(
            Column("id", TEXT, "Item ref, a dash and the action's place, e.g. 1.1-2.", required=True),
            Column("item", REF, DCTERMS.isPartOf, required=True, target="items"),
            Column("text", TEXT, SKOS.prefLabel, required=True),
            Column("mentions", NAME, GS.mentions, "Names the text mentions without giving them a role.", multi=True),
            Column("caveat", TEXT, RDF.value, "A condition printed with the action.", node="caveat"),
            Column("caveat source lines", LINES, GS.sourceLine, multi=True, node="caveat"),
            Column("caveat reading notes", TEXT, GS.readingNote, multi=True, node="caveat"),
            _lines(),
            _notes(),
        ),
    ),
    Sheet(
        "measures",
        "Success measures: how success will be recognised, by ref, under an item.",
        key="ref",
        key_predicate=SKOS.notation,
        mint="measure/{plan}/{id}",
        rdf_type=GS.SuccessMeasure,
        nodes=(Node("target", GS.target, GS.Target),),
        columns=(
            Column("ref", TEXT, required=True),
            Column("item", REF, DCTERMS.isPartOf, "Ref of the item.", required=True, target="items"),
            Column("text", TEXT, SKOS.prefLabel, required=True),
            Column("metrics", TEXT, GS.metric, "What is counted, in the measure's words.", multi=True),
            Column("indicators", REF, GS.indicator, multi=True, target="indicators"),
            Column("data sources", REF, GS.dataSource, multi=True, target="data sources"),
            Column("direction", CONCEPT, GS.direction, "increase or decrease.", scheme=GS.Directions),
            Column(
                "target value",
                DECIMAL,
                GS.targetValue,
                "The number of the measure's target, e.g. 10 for 'by 10%'. Left empty, a percentage in the "
                "measure's text is read as its target.",
                node="target",
            ),
            Column("target unit", UNIT, GS.targetUnit, "A QUDT unit, e.g. PERCENT.", node="target"),
            Column("target direction", CONCEPT, GS.direction, scheme=GS.Directions, node="target"),
            Column("target scope", TEXT, GS.targetScope, "e.g. per BOCU.", node="target"),
            Column("footnotes", REF, GS.footnote, multi=True, target="footnotes"),
            Column(
                "measurability",
                CONCEPT,
                GS.measurability,
                "quantified, directional or not measurable.",
                scheme=GS.MeasurabilityScheme,
            ),
            Column("measurability reason", TEXT, GS.measurabilityReason),
            Column("mentions", NAME, GS.mentions, multi=True),
            _lines(),
            _notes(),
        ),
    ),
    Sheet(
        "objectives",
        "Objectives under which a plan groups its activities.",
        key="ref",
        key_predicate=SKOS.notation,
        mint="objective/{plan}/{id}",
        rdf_type=GS.Objective,
        part_of_plan=True,
        columns=(
            Column("ref", TEXT, required=True),
            Column("aim", REF, GS.servesAim, "Id of the aim it serves.", target="aims"),
            Column("labels", TEXT, SKOS.altLabel, "e.g. OBJECTIVE 1.", multi=True),
            Column("text", TEXT, SKOS.prefLabel, required=True),
            _lines(),
            _notes(),
        ),
    ),
    Sheet(
        "themes",
        "Themes of the activity tables.",
        key="id",
        mint="theme/{plan}/{id}",
        rdf_type=GS.Theme,
        columns=(
            Column("id", TEXT, required=True),
            Column("scheme", REF, SKOS.inScheme, target="schemes"),
            Column("label", TEXT, SKOS.prefLabel, required=True),
            _lines(),
        ),
    ),
    Sheet(
        "activities",
        "Activities with target dates, under an objective.",
        key="id",
        mint="activity/{plan}/{id}",
        rdf_type=GS.Activity,
        nodes=(Node("progress", GS.progress, GS.ProgressEntry),),
        columns=(
            Column("id", TEXT, "Objective ref, a dash and the row's place, e.g. 1-3.", required=True),
            Column("objective", REF, DCTERMS.isPartOf, required=True, target="objectives"),
            Column("theme", REF, GS.theme, target="themes"),
            Column("text", TEXT, SKOS.prefLabel, required=True),
            Column("target date", DATE, GS.targetDate, "Due by, YYYY-MM-DD."),
            Column("target month", MONTH, GS.targetPeriod, "The month as printed, YYYY-MM."),
            Column(
                "progress status",
                CONCEPT,
                GS.progressStatus,
                "not started, in progress or completed; empty if the cell is empty.",
                scheme=GS.ProgressStatuses,
                node="progress",
            ),
            Column("progress source lines", LINES, GS.sourceLine, multi=True, node="progress"),
            Column("mentions", NAME, GS.mentions, multi=True),
            _lines(),
            _notes(),
        ),
    ),
    Sheet(
        "responsibilities",
        "Who leads, supports or partners each item or activity: one agent a row.",
        rdf_type=PROV.Attribution,
        one_of=("item", "activity"),
        columns=(
            Column(
                "item",
                REF,
                PROV.qualifiedAttribution,
                "Ref of the item (or give the activity).",
                target="items",
                inverse=True,
            ),
            Column(
                "activity", REF, PROV.qualifiedAttribution, "Id of the activity.", target="activities", inverse=True
            ),
            Column(
                "role",
                CONCEPT,
                DCAT.hadRole,
                "lead, supporting or partner.",
                required=True,
                scheme=GS.ResponsibilityRoles,
            ),
            Column(
                "name",
                NAME,
                PROV.agent,
                "The organisation's name for the unit, post, person or partner.",
                required=True,
            ),
            Column("as written", TEXT, GS.asWritten, "The name exactly as the plan writes it."),
            Column("stated in action", REF, GS.statedIn, "Id of the action that states a partner.", target="actions"),
            Column("stated in activity", REF, GS.statedIn, target="activities"),
            _lines(),
        ),
    ),
    Sheet(
        "abbreviations",
        "The plan's abbreviations table.",
        key="abbreviation",
        key_predicate=SKOS.notation,
        mint="abbreviation/{plan}/{id}",
        rdf_type=GS.Abbreviation,
        part_of_plan=True,
        columns=(
            Column("abbreviation", TEXT, required=True),
            Column("scheme", REF, SKOS.inScheme, target="schemes"),
            Column("expansion", TEXT, SKOS.prefLabel, required=True),
            Column(
                "stands for",
                NAME,
                GS.abbreviates,
                "Name of the unit, post, organisation or ontology class it stands for.",
                classes=True,
            ),
            Column("stands for scheme", REF, GS.abbreviates, "Or the id of the scheme.", target="schemes"),
            _lines(),
        ),
    ),
    Sheet(
        "assumptions",
        "Statements the graph makes that the document does not, with the reason.",
        key="id",
        mint="assumption/{id}",
        rdf_type=GS.ModellingAssumption,
        columns=(
            Column("id", TEXT, required=True),
            Column("subject", IRI, RDF.subject, required=True),
            Column("predicate", IRI, RDF.predicate, required=True),
            Column("object", IRI, RDF.object, required=True),
            Column("label", TEXT, RDFS.label, required=True),
            Column("reason", TEXT, RDFS.comment, required=True),
        ),
    ),
    Sheet(
        "organisation",
        "For reference: the units, their parents, posts and people name cells can use.",
        reference_only=True,
        columns=(
            Column("name", TEXT),
            Column("kind", TEXT),
            Column("other names", TEXT, multi=True),
            Column("part of", TEXT, multi=True),
            Column("posts", TEXT, multi=True),
        ),
    ),
    Sheet(
        "partners",
        "For reference: the partner agencies name cells can use.",
        reference_only=True,
        columns=(Column("name", TEXT), Column("other names", TEXT, multi=True)),
    ),
)

BY_NAME = {sheet.name: sheet for sheet in SHEETS}

# The progress sheet: a whole period's reports brought in at once (`graphsvc progress import`). It is
# not a sheet of a plan (a plan's export and import leave it alone): each row becomes a new report,
# checked against the report shapes (graphsvc.answers.progress_writes), not a triple of the plan.
PROGRESS = Sheet(
    "progress",
    "Progress reports, one a row: all rows are checked first, and none is written unless every one is good.",
    columns=(
        Column("item or measure", TEXT, GS.reportedElement, "Ref or IRI of the delivery item, activity or measure.",
               required=True),
        Column("period", TEXT, GS.reportingPeriod, "2008-2009, 2008-2009/Q1, 2008-Q3 or 2008-07.", required=True),
        Column("status", TEXT, GS.reportStatus, "not started, on track, at risk, off track or complete.",
               required=True),
        Column("rag", TEXT, GS.ownerRAG, "The owner's RAG: red, amber or green."),
        Column("value", DECIMAL, GS.reportedValue, "The value reached: quantified success measures only."),
        Column("narrative", TEXT, GS.narrative, "What the owner says: required when red or off track."),
        Column("evidence", TEXT, GS.evidence, "Links that bear the report out, one a line.", multi=True),
        Column("by", TEXT, PROV.wasAttributedTo, "The person or post reporting: a name or IRI.", required=True),
        Column("supersedes", TEXT, PROV.wasRevisionOf, "The report this row corrects, if any."),
    ),
)  # fmt: skip
