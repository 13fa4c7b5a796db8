"""Every report IRI the writing side mints dereferences: a page for people (what it says, on what,
who wrote it, when and how, what corrects it), JSON and RDF; an unknown report is a 404."""

import json

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import PROV

from graphsvc.answers import progress_writes
from graphsvc.engine import sources
from graphsvc.namespaces import GS
from graphsvc.web.app import create_app


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """An app on a reports folder, a report on 1.1 for 2008-Q3 and its correction, both written as the CLI does."""
    folder = tmp_path_factory.mktemp("reports")
    client = create_app({"REPORTS_DIR": str(folder), "AUDIT": False}).test_client()
    source = sources.Source(reports=str(folder))
    engine = sources.open_engine(source)
    first = progress_writes.prepare(
        engine, progress_writes.Draft("1.1", "2008-Q3", "off track", "shona-pearce", "red", note="Two networks left.")
    )
    progress_writes.write(source, engine, [first])
    correction = progress_writes.prepare(
        engine,
        progress_writes.Draft("1.1", "2008-Q3", "at risk", "shona-pearce", "amber", supersedes=first.record.report),
    )
    progress_writes.write(source, engine, [correction])
    return client, first.record.report, correction.record.report


def _path(iri: str) -> str:
    return iri.removeprefix("https://w3id.org/graphsvc")


def test_a_report_page_says_what_it_says_and_what_corrects_it(written):
    client, first, correction = written
    page = json.loads(client.get(_path(first) + ".json").data)
    assert page["title"] == "Report on delivery item 1.1 for 2008-Q3"
    report = page["report"]
    assert (report["status"], report["owner_rag"], report["narrative"]) == ("off track", "red", "Two networks left.")
    assert (report["corrected_by"], report["in_force"], report["by_label"]) == ([correction], False, "Shona Pearce")
    assert page["written"]["interface"] == "cli" and page["written"]["at"] == report["generated"]
    html = client.get(_path(first)).get_data(as_text=True)
    assert "Corrected" in html and _path(correction) in html and 'href="/id/item/2007-10/1.1"' in html
    assert "the at risk report made" in html and "with the command line" in html and " UTC" in html
    history = client.get("/id/item/2007-10/1.1?as-at=2008-Q3").get_data(as_text=True)
    assert "(corrected later)" in history and "(corrects an earlier report)" in history
    later = json.loads(client.get(_path(correction) + ".json").data)["report"]
    assert (later["revises"], later["in_force"]) == (first, True)


def test_a_report_is_rdf_too(written):
    client, first, correction = written
    response = client.get(_path(correction), headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    graph = Graph().parse(data=response.get_data(as_text=True), format="turtle")
    subject = URIRef(correction)
    assert graph.value(subject, GS.reportStatus) == GS.AtRisk
    assert graph.value(subject, PROV.wasRevisionOf) == URIRef(first)
    assert (URIRef(correction), PROV.wasRevisionOf, URIRef(first)) in Graph().parse(
        data=client.get(_path(first) + ".ttl").get_data(as_text=True), format="turtle"
    )


def test_the_item_history_links_each_report_to_its_page(written):
    client, first, correction = written
    html = client.get("/id/item/2007-10/1.1?as-at=2008-Q3").get_data(as_text=True)
    assert f'href="{_path(first)}"' in html and f'href="{_path(correction)}"' in html


def test_an_unknown_report_is_a_404_that_says_so(written):
    client = written[0]
    response = client.get("/id/report/no-such-report.json")
    assert response.status_code == 404
    assert "no progress report" in json.loads(response.data)["error"]


def test_an_items_rdf_holds_the_reports_on_it(written):
    client, first, correction = written
    graph = Graph().parse(data=client.get("/id/item/2007-10/1.1.ttl").get_data(as_text=True), format="turtle")
    item = URIRef("https://w3id.org/graphsvc/id/item/2007-10/1.1")
    assert set(graph.subjects(GS.reportedElement, item)) == {URIRef(first), URIRef(correction)}
    assert graph.value(URIRef(correction), PROV.wasRevisionOf) == URIRef(first)
    other = Graph().parse(data=client.get("/id/item/2007-10/1.3.ttl").get_data(as_text=True), format="turtle")
    assert not set(other.subjects(GS.reportedElement, None))
