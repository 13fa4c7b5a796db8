"""Nothing invented, nothing lost: the data against its two source documents.

Every transcribed literal must appear in its source document after normalising
whitespace, page-break joins and footnote markers; texts with a source line must appear
on the line(s) they cite; every ref, row, footnote and abbreviation printed in the
documents must be in the graph.
"""

import re

import pytest
from rdflib import RDF, BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, SKOS

from graphsvc.namespaces import GS, ID

# Properties whose values are copied from the documents (everything else is vocabulary,
# identifiers, reading notes or modelling reasons, which the documents do not contain).
TRANSCRIBED = (
    SKOS.prefLabel,
    SKOS.altLabel,
    SKOS.notation,
    SKOS.definition,
    SKOS.scopeNote,
    DCTERMS.title,
    RDF.value,
    GS.asWritten,
    GS.metric,
    GS.targetScope,
    GS.marker,
    FOAF.familyName,
    FOAF.givenName,
    FOAF.title,
)
# Of those, the ones that must stand on the line(s) the element cites.
ON_CITED_LINE = (SKOS.prefLabel, SKOS.notation, RDF.value, GS.asWritten, GS.metric)

SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹"
DOCUMENT_PLAN = {
    ID["document/mps-drugs-strategy-2007-10"]: "2007-10",
    ID["document/mps-priority-2004-5"]: "2004-5",
}


def normalise(text: str) -> str:
    """Markup, footnote markers and line breaks out; whitespace folded."""
    text = re.sub(r"</?p>|\*\*", " ", text)
    text = re.sub(f"[{SUPERSCRIPTS}]", " ", text)
    text = re.sub(r"(?<=\t)[1-9](?=[A-Z ])", "", text)  # '4Achieve', '6 50% increase' at a cell's start
    text = re.sub(r"(?<=[A-Z]{2})[1-9](?= )", "", text)  # 'PPAF2 SPI 6b'
    return " ".join(text.split())


def found(literal: str, text: str) -> bool:
    """In the text whole, or in two parts split at a space (a cell rejoined across a page break)."""
    literal = " ".join(literal.split())
    if literal in text:
        return True
    words = literal.split(" ")
    return any(" ".join(words[:i]) in text and " ".join(words[i:]) in text for i in range(1, len(words)))


def whole(literal: str, text: str) -> bool:
    return " ".join(literal.split()) in text


def document_of(g, node):
    """A node's source document: its own, or that of the element that holds it (bnodes)."""
    source = g.value(node, DCTERMS.source)
    if source is None and isinstance(node, BNode):
        holder = next(g.subjects(None, node), None)
        return document_of(g, holder) if holder is not None else None
    return source


def transcribed_literals(g):
    for prop in TRANSCRIBED:
        for subject, literal in g.subject_objects(prop):
            if isinstance(literal, Literal) and document_of(g, subject) in DOCUMENT_PLAN:
                yield subject, prop, str(literal)


@pytest.fixture(scope="module")
def documents(source_lines):
    return {plan: normalise("\n".join(lines)) for plan, lines in source_lines.items()}


def test_every_transcribed_literal_appears_in_its_source(default_graph, documents):
    checked = 0
    for subject, prop, literal in transcribed_literals(default_graph):
        plan = DOCUMENT_PLAN[document_of(default_graph, subject)]
        assert found(literal, documents[plan]), f"{subject} {prop}: {literal!r} is not in the {plan} source"
        checked += 1
    assert checked > 450


def test_rejoined_texts_record_their_reading(default_graph, documents):
    """A text found only in two parts was split by a page break; the element must say so."""
    rejoined = []
    for subject, _prop, literal in transcribed_literals(default_graph):
        plan = DOCUMENT_PLAN[document_of(default_graph, subject)]
        if not whole(literal, documents[plan]):
            rejoined.append(subject)
            holder = subject if not isinstance(subject, BNode) else next(default_graph.subjects(None, subject))
            assert default_graph.value(holder, GS.readingNote), f"{holder} rejoins {literal!r} without a reading note"
    assert ID["item/2007-10/4.1"] in rejoined
    assert ID["action/2007-10/5.1-4"] in rejoined


def test_texts_stand_on_the_lines_they_cite(default_graph, source_lines):
    checked = 0
    for prop in ON_CITED_LINE:
        for subject, literal in default_graph.subject_objects(prop):
            lines = sorted(int(n) for n in default_graph.objects(subject, GS.sourceLine))
            document = document_of(default_graph, subject)
            if not lines or document not in DOCUMENT_PLAN:
                continue
            text = normalise("\n".join(source_lines[DOCUMENT_PLAN[document]][n - 1] for n in lines))
            assert found(str(literal), text), f"{subject}: {literal!r} is not on line(s) {lines}"
            checked += 1
    assert checked > 300


QB_DATASET = URIRef("http://purl.org/linked-data/cube#DataSet")


def test_every_plan_element_cites_its_source(default_graph):
    for element in default_graph.subjects(RDF.type, None):
        if isinstance(element, URIRef) and str(element).startswith(str(ID)):
            types = set(default_graph.objects(element, RDF.type))
            if GS.ModellingAssumption in types or FOAF.Document in types or QB_DATASET in types:
                continue  # the dataset of progress reports is not read from a document
            assert default_graph.value(element, DCTERMS.source) in DOCUMENT_PLAN, f"{element} has no source document"
            assert default_graph.value(element, GS.sourceLine) is not None, f"{element} has no source line"
    for attribution in default_graph.subjects(RDF.type, PROV.Attribution):
        assert default_graph.value(attribution, GS.sourceLine) is not None


# --- nothing lost: every ref and row the documents print is in the graph ------------------

MEASURE_REF = re.compile(r"\t(\d+\.\d+\.\d+)\t")
ITEM_REF = re.compile(r"^(\d+\.\d+)\.?\t")


def notations(g, cls):
    return {str(g.value(s, SKOS.notation)) for s in g.subjects(RDF.type, cls)}


def test_every_printed_measure_ref_is_a_measure(default_graph, source_lines):
    printed = {m for line in source_lines["2007-10"] for m in MEASURE_REF.findall(line)}
    assert printed == notations(default_graph, GS.SuccessMeasure)
    assert "5.2.2" not in printed  # the document skips it; so does the graph


def test_every_printed_item_ref_is_a_delivery_item(default_graph, source_lines):
    printed = {m.group(1) for line in source_lines["2007-10"] if (m := ITEM_REF.match(line))}
    assert printed == notations(default_graph, GS.DeliveryItem)


def test_every_activity_row_is_an_activity(default_graph, source_lines):
    month_year = re.compile(
        r"\t(January|February|March|April|May|June|July|August|September|October|November|December) (\d{4})\t"
    )
    rows = {n for n, line in enumerate(source_lines["2004-5"], 1) if month_year.search(line)}
    cited = {int(default_graph.value(a, GS.sourceLine)) for a in default_graph.subjects(RDF.type, GS.Activity)}
    assert rows == cited


def test_every_abbreviation_is_in_the_table(default_graph, source_lines):
    lines = source_lines["2007-10"]
    table = lines[lines.index("Abbreviations") + 1 :]
    printed = {line.split("\t")[0]: line.split("\t")[1] for line in table if "\t" in line}
    recorded = {
        str(default_graph.value(a, SKOS.notation)): str(default_graph.value(a, SKOS.prefLabel))
        for a in default_graph.subjects(RDF.type, GS.Abbreviation)
    }
    assert recorded == printed


def test_every_footnote_marker_is_recorded(default_graph, source_lines):
    footnote_lines = {n for n, line in enumerate(source_lines["2007-10"], 1) if re.match(r"^[¹2-9] ", line)}
    cited = {
        int(default_graph.value(f, GS.sourceLine))
        for f in default_graph.subjects(RDF.type, GS.Footnote)
        if default_graph.value(f, RDF.value) is not None
        and default_graph.value(f, DCTERMS.source) == ID["document/mps-drugs-strategy-2007-10"]
    }
    assert footnote_lines == cited
    markers = {str(default_graph.value(f, GS.marker)) for f in default_graph.subjects(RDF.type, GS.Footnote)}
    assert markers == {"1", "2", "3", "4", "5", "6", "7"}
