"""Progress read from reports the tests make (none ships) on the built-in plans: the latest report,
history with corrections, overdue, stale, the computed RAG beside the owner's, "as at" a past
period, revised targets keeping their baseline, and the roll-up per owner."""

import pyoxigraph as ox
import pytest

from graphsvc.answers import progress
from graphsvc.engine.engines import OxigraphEngine

REPORTS = "https://w3id.org/graphsvc/id/progress/graph/test"
ACTIVITY = "https://w3id.org/graphsvc/id/activity/2004-5/1-1"  # due April 2004, led by Shona Pearce
MEASURE = "https://w3id.org/graphsvc/id/measure/2007-10/5.1.1"  # a 50% increase
ITEM = "https://w3id.org/graphsvc/id/item/2007-10/1.1"

TRIG = f"""
@prefix gs:   <https://w3id.org/graphsvc/def#> .
@prefix qb:   <http://purl.org/linked-data/cube#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix r:    <https://example.org/report/> .
@prefix q:    <http://reference.data.gov.uk/id/quarter/> .

<{REPORTS}> {{
  r:a1 a gs:Report ; qb:dataSet <https://w3id.org/graphsvc/id/progress/reports> ;
      gs:reportedElement <{ACTIVITY}> ; gs:reportingPeriod q:2004-Q2 ;
      gs:reportStatus gs:OnTrack ; gs:ownerRAG gs:Green ;
      prov:wasAttributedTo <https://w3id.org/graphsvc/id/person/shona-pearce> ;
      prov:generatedAtTime "2004-07-02T10:00:00"^^xsd:dateTime .
  r:a2 a gs:Report ; gs:reportedElement <{ACTIVITY}> ; gs:reportingPeriod q:2004-Q3 ;
      gs:reportStatus gs:Complete ; gs:ownerRAG gs:Green ;
      gs:evidence <https://example.org/assessment.pdf> ;
      prov:generatedAtTime "2004-10-01T10:00:00"^^xsd:dateTime .
  r:m1 a gs:Report ; gs:reportedElement <{MEASURE}> ; gs:reportingPeriod q:2008-Q2 ;
      gs:reportStatus gs:OnTrack ; gs:ownerRAG gs:Green ; gs:reportedValue 10.0 ;
      prov:generatedAtTime "2008-07-03T09:00:00"^^xsd:dateTime .
  r:m1c a gs:Report ; gs:reportedElement <{MEASURE}> ; gs:reportingPeriod q:2008-Q2 ;
      gs:reportStatus gs:OnTrack ; gs:ownerRAG gs:Green ; gs:reportedValue 20.0 ;
      prov:wasRevisionOf r:m1 ;
      prov:generatedAtTime "2008-07-20T09:00:00"^^xsd:dateTime .
  r:m2 a gs:Report ; gs:reportedElement <{MEASURE}> ; gs:reportingPeriod q:2008-Q3 ;
      gs:reportStatus gs:OnTrack ; gs:ownerRAG gs:Green ; gs:reportedValue 55.0 ;
      prov:generatedAtTime "2008-10-02T09:00:00"^^xsd:dateTime .
  r:i1 a gs:Report ; gs:reportedElement <{ITEM}> ;
      gs:reportingPeriod <http://reference.data.gov.uk/id/government-year/2007-2008> ;
      gs:reportStatus gs:OffTrack ; gs:ownerRAG gs:Amber ; gs:narrative "Two networks left London." ;
      prov:generatedAtTime "2008-04-10T09:00:00"^^xsd:dateTime .
}}
"""

REVISED_TARGET = f"""
@prefix gs:   <https://w3id.org/graphsvc/def#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
<{MEASURE}> gs:revisedTarget <https://example.org/target/5.1.1-2008> .
<https://example.org/target/5.1.1-2008> a gs:Target ; gs:targetValue 60.0 ; gs:setOn "2008-09-01"^^xsd:date .
"""


@pytest.fixture(scope="module")
def engine(default_graph):
    engine = OxigraphEngine.from_graph(default_graph)
    engine.store.load(TRIG.encode(), format=ox.RdfFormat.TRIG)
    return engine


@pytest.fixture(scope="module")
def revised(default_graph):
    """The same reports, with measure 5.1.1's target revised to 60% from September 2008."""
    engine = OxigraphEngine.from_graph(default_graph)
    engine.store.load(TRIG.encode(), format=ox.RdfFormat.TRIG)
    engine.store.load(REVISED_TARGET.encode(), format=ox.RdfFormat.TURTLE)
    return engine


def test_no_report_ships(default_graph):
    engine = OxigraphEngine.from_graph(default_graph)
    assert progress.reports(engine) == []
    assert all(s["no_report"] and s["latest"] is None for s in progress.states(engine, "2008-Q3"))


def test_reports_come_from_their_named_graph(engine):
    found = progress.reports(engine)
    assert {r.graph for r in found} == {REPORTS}
    assert [r.iri.rsplit("/", 1)[1] for r in progress.reports(engine, MEASURE)] == ["m1", "m1c", "m2"]


def test_latest_is_by_period_then_time_and_skips_corrected_reports(engine):
    at_q2 = progress.state(engine, MEASURE, "2008-Q2")
    assert at_q2["latest"]["report"].endswith("/m1c") and at_q2["latest"]["value"] == 20.0
    assert [h["report"].rsplit("/", 1)[1] for h in at_q2["history"]] == ["m1", "m1c"]
    assert progress.state(engine, MEASURE, "2008-Q3")["latest"]["report"].endswith("/m2")


def test_as_at_gives_the_state_then(engine):
    assert progress.state(engine, MEASURE, "2008-Q1")["no_report"]
    then = progress.state(engine, ACTIVITY, "2004-Q2")
    now = progress.state(engine, ACTIVITY, "2004-Q3")
    assert then["latest"]["status"] == "on track" and then["overdue"]
    assert now["latest"]["status"] == "complete" and not now["overdue"]
    assert now["latest"]["evidence"] == ["https://example.org/assessment.pdf"]


def test_computed_rag_beside_the_owners_with_the_rule(engine):
    overdue = progress.state(engine, ACTIVITY, "2004-Q2")
    assert (overdue["owner_rag"], overdue["computed_rag"], overdue["computed_by"]["rule"]) == (
        "green",
        "red",
        "RuleOverdue",
    )
    short = progress.state(engine, MEASURE, "2008-Q2")  # 20 of a 50% increase
    assert (short["computed_rag"], short["computed_by"]["rule"], short["rags_differ"]) == (
        "amber",
        "RuleValueShort",
        True,
    )
    met = progress.state(engine, MEASURE, "2008-Q3")  # 55 of 50
    assert (met["computed_rag"], met["rags_differ"]) == ("green", False)
    differing = {s["element"] for s in progress.differences(engine, "2008-Q2")}
    assert MEASURE in differing and ACTIVITY not in differing  # as at 2008 the activity is complete


def test_stale_when_no_report_covers_the_period(engine):
    assert not progress.state(engine, MEASURE, "2008-Q3")["stale"]
    later = progress.state(engine, MEASURE, "2008-Q4")
    assert later["stale"] and later["computed_rag"] == "amber" and later["computed_by"]["rule"] == "RuleStale"
    # a financial-year report covers each of its quarters; a complete element is never stale
    assert not progress.state(engine, ITEM, "2007-2008/Q3")["stale"]
    assert progress.state(engine, ITEM, "2008-Q3")["stale"]
    assert not progress.state(engine, ACTIVITY, "2005-Q1")["stale"]
    assert {s["element"] for s in progress.stale(engine, "2008-Q4")} == {MEASURE, ITEM}


def test_overdue_is_a_passed_due_date_without_a_complete_report(engine):
    overdue = {s["element"] for s in progress.overdue(engine, "2004-Q2")}
    assert ACTIVITY in overdue
    assert ACTIVITY not in {s["element"] for s in progress.overdue(engine, "2004-Q3")}
    # the 2007-10 elements are due at the end of March 2010, the end of their plan's span
    assert MEASURE not in {s["element"] for s in progress.overdue(engine, "2009-Q4")}
    assert MEASURE in {s["element"] for s in progress.overdue(engine, "2010-Q1")}


def test_a_revised_target_keeps_its_baseline(revised):
    before = progress.state(revised, MEASURE, "2008-Q2")
    after = progress.state(revised, MEASURE, "2008-Q3")
    assert before["target"]["value"] == 50.0 and not before["target"]["revised"]
    assert after["target"] == {
        "target": "https://example.org/target/5.1.1-2008",
        "revised": True,
        "value": 60.0,
        "direction": "increase",
        "set_on": "2008-09-01",
    }
    assert [t["value"] for t in progress.targets(revised)[MEASURE]] == [50.0, 60.0]
    assert after["computed_rag"] == "amber"  # 55 reaches the printed 50, not the revised 60


def test_per_owner_rolls_up_as_ownership_does(engine):
    owners = {o["agent"]: o for o in progress.by_owner(engine, "2004-Q2")}
    shona = owners["https://w3id.org/graphsvc/id/person/shona-pearce"]
    assert ACTIVITY in shona["overdue"] and ACTIVITY in shona["due_this_period"]
    # her post and everything above it count the same overdue activity
    above = {o["agent"].rsplit("/id/", 1)[1] for o in owners.values() if ACTIVITY in o["overdue"]}
    assert above == {"person/shona-pearce", "post/head-of-siu", "unit/siu", "organisation/mps"}
    assert shona["counts"]["overdue"] == len(shona["overdue"])


def test_bad_periods_and_elements_are_one_clear_line(engine):
    with pytest.raises(progress.ProgressError, match="2008-Q5.*not a reporting period"):
        progress.state(engine, MEASURE, "2008-Q5")
    with pytest.raises(progress.ProgressError, match="no delivery item, activity or success measure"):
        progress.state(engine, "9.9.9")
    assert progress.find(engine, "5.1.1").iri == MEASURE


def test_one_owners_state_is_its_entry_of_every_owners(engine):
    everyone = {o["agent"]: o for o in progress.by_owner(engine, "2008-Q3")}
    assert len(everyone) > 10
    for agent, entry in everyone.items():
        assert progress.of_owner(engine, agent, "2008-Q3") == entry
    nobody = progress.of_owner(engine, "https://example.org/nobody", "2008-Q3")
    assert nobody["counts"] == dict.fromkeys(progress.COUNTS, 0)


def test_the_reading_side_follows_reports_written_after_it_read(tmp_path):
    """Reports are indexed once per engine; a write's reports join the index as the engine loads
    them, and a correction replaces what it corrects."""
    from graphsvc.answers import progress_writes
    from graphsvc.engine import sources

    source = sources.Source(reports=str(tmp_path))
    engine = sources.open_engine(source)
    assert progress.state(engine, ITEM, "2008-Q3")["latest"] is None  # the index is built, empty

    def add(status, supersedes=None):
        draft = progress_writes.Draft("1.1", "2008-Q3", status, "shona-pearce", supersedes=supersedes)
        (record,) = progress_writes.write(source, engine, [progress_writes.prepare(engine, draft)])
        return record.report

    first = add("on track")
    assert progress.state(engine, ITEM, "2008-Q3")["latest"] is None  # not loaded yet
    assert sources.catch_up(engine) == engine.version == 1
    assert progress.state(engine, ITEM, "2008-Q3")["latest"]["report"] == first
    second = add("at risk", supersedes=first)
    sources.catch_up(engine)
    now = progress.state(engine, ITEM, "2008-Q3")
    assert (now["latest"]["report"], now["latest"]["status"], len(now["history"])) == (second, "at risk", 2)
    assert [r.iri for r in progress.reports(engine, ITEM)] == [first, second]


def test_a_reported_status_decides_the_computed_rag_when_no_date_or_value_does(engine):
    """Item 1.1 reported off track for 2007-2008, with no value and not yet due: the computed RAG is
    the report's own status (red), and it differs from the owner's amber."""
    state = progress.state(engine, ITEM, "2007-2008")
    assert (state["computed_rag"], state["computed_by"]["rule"]) == ("red", "RuleReportedOffTrack")
    assert state["owner_rag"] == "amber" and state["rags_differ"] is True
