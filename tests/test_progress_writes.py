"""Writing progress reports on the built-in plans: `progress add` and `list` on a store, every bad
input one line with exit 2 and nothing written, no lost update (also with two writers at once), the
audit trail, a kill -9 during a stream of writes, a torn last record, backup and restore to the same
quads, and writes to a real `oxigraph serve` endpoint by SPARQL 1.1 Update."""

import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import oxigraph_server
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from graphsvc.answers import progress, progress_writes
from graphsvc.cli import main
from graphsvc.engine import graph, journal, session, sources, store
from graphsvc.engine.backup import backup, restore
from graphsvc.queries import query
from graphsvc.spreadsheet import layout, xlsx_io
from graphsvc.spreadsheet.table import Table

MEASURE = "https://w3id.org/graphsvc/id/measure/2007-10/5.1.1"  # quantified: a 50% increase
ITEM = "https://w3id.org/graphsvc/id/item/2007-10/1.1"
BY = "shona-pearce"
NOTE = "Up in 20 of 32 boroughs.\nTwo more next quarter."  # a line break: one N-Quads line still


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A store of the built-in plans, built once; each test copies it (a copy is a new store)."""
    folder = tmp_path_factory.mktemp("built") / "store"
    store.build(folder)
    return folder


@pytest.fixture
def folder(built, tmp_path):
    copy = tmp_path / "store"
    subprocess.run(["cp", "-a", str(built), str(copy)], check=True)
    yield copy
    session.forget()


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    session.forget()
    return result


def add(folder, element, *options):
    return run("--store", folder, "progress", "add", element, *options)


def listed(folder, *args):
    result = run("--store", folder, "progress", "list", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def journal_bytes(folder) -> bytes:
    path = folder / "reports" / "journal"
    return path.read_bytes() if path.exists() else b""


def test_add_then_list_reads_the_report_back_with_its_audit(folder):
    result = add(
        folder,
        "5.1.1",
        "--period",
        "2008-Q2",
        "--status",
        "on track",
        "--rag",
        "green",
        "--value",
        "10",
        "--note",
        NOTE,
        "--evidence",
        "https://example.org/a.pdf",
        "--by",
        BY,
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Added https://w3id.org/graphsvc/id/report/")
    (row,) = listed(folder, "5.1.1")
    assert (row["ref"], row["period"], row["status"], row["owner_rag"], row["value"]) == (
        "5.1.1",
        "2008-Q2",
        "on track",
        "green",
        10.0,
    )
    assert row["evidence"] == ["https://example.org/a.pdf"] and row["narrative"] == NOTE
    assert row["by"] == "https://w3id.org/graphsvc/id/person/shona-pearce"
    audit = row["written"]
    assert audit["interface"] == "cli" and audit["by"] == row["by"] and audit["user"]
    assert audit["at"] == row["generated"] and row["report"] in audit["what"]
    # The read side sees it: the measure's state as at 2008-Q2 is read against its 50% target.
    engine = sources.open_engine(sources.Source(store=str(folder)))
    state = progress.state(engine, "5.1.1", as_at="2008-Q2")
    assert state["latest"]["report"] == row["report"] and state["computed_rag"] == "amber"
    # The generation itself is untouched: its checksums still hold.
    store.verify(folder, store.current_generation(folder))


def test_list_as_csv_and_text(folder):
    assert add(folder, "1.1", "--period", "2008-2009/Q1", "--status", "at risk", "--by", BY).exit_code == 0
    csv_out = run("--store", folder, "progress", "list", "--format", "csv").output.splitlines()
    assert csv_out[0].startswith("ref,period,status") and csv_out[1].startswith("1.1,2008-2009/Q1,at risk,")
    text = run("--store", folder, "progress", "list", "1.1", "--period", "2008-2009").output
    assert text.startswith("1.1  2008-2009/Q1: at risk")
    assert run("--store", folder, "progress", "list", "--period", "2009-2010").output == "No reports.\n"


BAD = [
    (["9.9", "--period", "2008-Q2", "--status", "on track"], "no delivery item, activity or success measure '9.9'"),
    (["1.1", "--period", "2008-Q9", "--status", "on track"], "'2008-Q9' is not a reporting period"),
    (["1.1", "--period", "2012-Q2", "--status", "on track"], "The report is for the period 2012-Q2, which is not"),
    (["1.1", "--period", "2008-Q2", "--status", "on track", "--value", "3"], "The report gives the value 3 for"),
    (["5.1.1", "--period", "2008-Q2", "--status", "on track"], "quantified measure 5.1.1 but gives no value"),
    (["1.1", "--period", "2008-Q2", "--status", "off track"], "The report is rated off track but has no narrative"),
    (["1.1", "--period", "2008-Q2", "--status", "on track", "--rag", "red"], "rated red but has no narrative"),
    (["1.1", "--period", "2008-Q2", "--status", "finished"], "status 'finished' is not one of"),
    (["1.1", "--period", "2008-Q2", "--status", "on track", "--by", "nobody-at-all"], "is no person or post"),
    (["1.1", "--period", "2008-Q2", "--status", "on track", "--supersedes", "https://example.org/r"], "is no report"),
]


@pytest.mark.parametrize("args, said", BAD, ids=[b[1][:30] for b in BAD])
def test_bad_input_is_one_line_exit_2_nothing_written(folder, args, said):
    if "--by" not in args:
        args = [*args, "--by", BY]
    before = journal_bytes(folder)
    result = add(folder, *args)
    assert result.exit_code == 2, result.output
    assert said in result.output and len(result.output.strip().splitlines()) == 1, result.output
    assert journal_bytes(folder) == before


def test_no_lost_update(folder):
    assert add(folder, "1.1", "--period", "2008-Q2", "--status", "on track", "--by", BY).exit_code == 0
    (first,) = listed(folder, "1.1")
    again = add(folder, "1.1", "--period", "2008-Q2", "--status", "at risk", "--by", BY)
    assert again.exit_code == 2 and first["report"] in again.output and "--supersedes" in again.output
    fixed = add(
        folder, "1.1", "--period", "2008-Q2", "--status", "at risk", "--by", BY, "--supersedes", first["report"]
    )
    assert fixed.exit_code == 0, fixed.output
    second = listed(folder, "1.1")[-1]
    assert second["revises"] == first["report"]
    before = journal_bytes(folder)
    stale = add(
        folder, "1.1", "--period", "2008-Q2", "--status", "complete", "--by", BY, "--supersedes", first["report"]
    )
    assert stale.exit_code == 2 and f"superseded by a newer report, {second['report']}" in stale.output
    assert journal_bytes(folder) == before


def _race(source, engine, element: str, period: str) -> list[str]:
    """Two reports on one element and period, both checked first, then written at the same moment
    from two threads; each outcome is "won" or what the loser was told."""
    drafts = [progress_writes.Draft(element, period, status, BY) for status in ("on track", "at risk")]
    prepared = [progress_writes.prepare(engine, d) for d in drafts]
    gate = threading.Barrier(2)
    outcomes = []

    def writer(item):
        gate.wait()
        try:
            # Each writer its own journal object, as two processes would have: the lock decides.
            progress_writes.write(source, engine, [item])
            outcomes.append("won")
        except progress_writes.Conflict as error:
            outcomes.append(str(error))

    threads = [threading.Thread(target=writer, args=(p,)) for p in prepared]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_two_writers_at_once_one_wins_the_other_is_told(folder):
    source = sources.Source(store=str(folder))
    engine = sources.open_engine(source)
    outcomes = _race(source, engine, "1.1", "2008-Q3")
    assert sorted(outcomes)[-1] == "won" and len(outcomes) == 2
    (told,) = [o for o in outcomes if o != "won"]
    assert told.startswith("1.1 already has a report for 2008-Q3: https://w3id.org/graphsvc/id/report/")
    assert len(journal.for_store(folder).records()) == 1


def test_an_import_is_all_or_nothing(folder):
    engine = sources.open_engine(sources.Source(store=str(folder)))
    good = progress_writes.Draft("1.1", "2008-Q3", "on track", BY)
    bad = progress_writes.Draft("5.1.1", "2008-Q3", "on track", BY)  # no value
    prepared, errors = progress_writes.prepare_many(engine, [good, bad], "workbook")
    assert list(errors) == [1] and "gives no value" in errors[1] and len(prepared) == 1
    # Two reports in one batch on one element and period, neither correcting the other: the
    # shapes see both at once (Data Cube IC-12).
    twice, errors = progress_writes.prepare_many(engine, [good, good], "workbook")
    assert twice == [] and all(
        "The report duplicates https://w3id.org/graphsvc/id/report/" in e for e in errors.values()
    )
    # Checked good, but another writer got there first: the write refuses the whole batch.
    progress_writes.write(sources.Source(store=str(folder)), engine, progress_writes.prepare_many(engine, [good])[0])
    before = journal_bytes(folder)
    other = progress_writes.Draft("1.1", "2009-Q1", "on track", BY)
    batch, errors = progress_writes.prepare_many(engine, [other, good], "workbook")
    assert errors == {} and len(batch) == 2
    with pytest.raises(progress_writes.Conflict):
        progress_writes.write(sources.Source(store=str(folder)), engine, batch)
    assert journal_bytes(folder) == before


WRITER = """
import sys
from graphsvc.answers import progress_writes
from graphsvc.engine import sources
source = sources.Source(store=sys.argv[1])
engine = sources.open_engine(source)
last = progress_writes.prepare(engine, progress_writes.Draft("1.1", "2008-Q4", "on track", "shona-pearce"))
progress_writes.write(source, engine, [last])
print(last.record.report, flush=True)
while True:
    last = progress_writes.restated(last)
    progress_writes.write(source, engine, [last])
    print(last.record.report, flush=True)  # acknowledged: durable by now
"""


def test_kill_9_during_a_stream_of_writes_keeps_every_acknowledged_report(folder, tmp_path):
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    process = subprocess.Popen([sys.executable, str(script), str(folder)], stdout=subprocess.PIPE, text=True)
    acknowledged = []
    try:
        deadline = time.monotonic() + 60
        while len(acknowledged) < 40 and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            acknowledged.append(line.strip())
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.kill()
        process.wait(timeout=10)
    assert len(acknowledged) >= 40
    written = [r.report for r in journal.for_store(folder).records()]
    assert written[: len(acknowledged)] == acknowledged  # in order, none lost
    assert len(written) - len(acknowledged) <= 1  # at most the one written but not yet acknowledged
    # Every record is whole, and the chain continues: the next write supersedes the newest.
    engine = sources.open_engine(sources.Source(store=str(folder)))
    history = progress.reports(engine, ITEM)
    assert [r.iri for r in history] == written


def test_a_torn_last_record_is_ignored_with_one_warning_then_cut(folder, caplog):
    assert add(folder, "1.1", "--period", "2008-Q2", "--status", "on track", "--by", BY).exit_code == 0
    path = folder / "reports" / "journal"
    whole = path.read_bytes()
    with path.open("ab") as stream:
        stream.write(whole[: len(whole) // 2])  # half a record, as a crash mid-write leaves it
    with caplog.at_level(logging.WARNING, logger="graphsvc.engine.journal"):
        assert len(journal.for_store(folder).records()) == 1
    assert [r.getMessage() for r in caplog.records if "not wholly written" in r.getMessage()] != []
    assert len([r for r in caplog.records if "not wholly written" in r.getMessage()]) == 1
    (first,) = listed(folder, "1.1")
    fixed = add(
        folder, "1.1", "--period", "2008-Q2", "--status", "complete", "--by", BY, "--supersedes", first["report"]
    )
    assert fixed.exit_code == 0, fixed.output
    assert path.read_bytes().startswith(whole) and len(journal.for_store(folder).records()) == 2


def test_a_damaged_record_before_good_ones_is_refused(folder):
    for period in ("2008-Q2", "2008-Q3"):
        assert add(folder, "1.1", "--period", period, "--status", "on track", "--by", BY).exit_code == 0
    path = folder / "reports" / "journal"
    data = bytearray(path.read_bytes())
    data[40] ^= 0xFF  # a flipped bit inside the first record
    path.write_bytes(bytes(data))
    with pytest.raises(journal.JournalError, match="damaged at byte 0 .* with records after it"):
        journal.Journal(folder / "reports").records()  # as a process opening it afresh reads it


def _quads(directory) -> set:
    """A store's quads as N-Quads lines, blank nodes named by what they describe (labels differ)."""
    engine = sources.open_engine(sources.Source(store=str(directory)))
    dumped = engine.store.dump(format=ox.RdfFormat.N_QUADS).decode().splitlines()
    return {line for line in dumped if "_:" not in line}, sum("_:" in line for line in dumped)


def test_backup_then_restore_gives_the_same_quads(folder, tmp_path):
    assert (
        add(folder, "5.1.1", "--period", "2008-Q2", "--status", "on track", "--value", "10", "--by", BY).exit_code == 0
    )
    assert add(folder, "1.1", "--period", "2008-Q2", "--status", "at risk", "--by", BY).exit_code == 0
    out = tmp_path / "backup.nq"
    result = run("backup", folder, "--out", out)
    assert result.exit_code == 0, result.output
    restored = tmp_path / "restored"
    result = run("restore", out, restored)
    assert result.exit_code == 0, result.output
    assert _quads(restored) == _quads(folder)
    assert [r.report for r in journal.for_store(restored).records()] == [
        r.report for r in journal.for_store(folder).records()
    ]
    # A restored store takes the next correction like the original.
    newest = listed(restored, "1.1")[-1]["report"]
    assert (
        add(
            restored, "1.1", "--period", "2008-Q2", "--status", "complete", "--by", BY, "--supersedes", newest
        ).exit_code
        == 0
    )
    again = run("restore", out, restored)
    assert again.exit_code == 2 and "not empty" in again.output


def test_backup_restore_functions_count_quads(folder, tmp_path):
    count = backup(folder, tmp_path / "b.nq")
    assert count == restore(tmp_path / "b.nq", tmp_path / "r") == len(store.open_read_only(folder))


def test_the_built_in_graph_keeps_reports_only_in_a_named_folder(tmp_path):
    result = run("progress", "add", "1.1", "--period", "2008-Q2", "--status", "on track", "--by", BY)
    assert result.exit_code == 2 and "--reports-dir" in result.output
    folder = tmp_path / "reports"
    result = run(
        "--reports-dir", folder, "progress", "add", "1.1", "--period", "2008-Q2", "--status", "on track", "--by", BY
    )
    assert result.exit_code == 0, result.output
    out = run("--reports-dir", folder, "progress", "list", "--format", "json")
    assert [row["ref"] for row in json.loads(out.output)] == ["1.1"]


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    """A writable `oxigraph serve` on the built-in graph; stopped after the module."""
    where = tmp_path_factory.mktemp("oxigraph-writable")
    data = where / "graph.nt"
    graph.default().serialize(data, format="nt", encoding="utf-8")
    with oxigraph_server.running(where, [data], read_only=False) as url:
        yield url


def test_writes_to_an_endpoint_are_sparql_updates(endpoint):
    base = ["--sparql-endpoint", endpoint, "progress"]
    result = run(*base, "add", "1.1", "--period", "2009-Q1", "--status", "on track", "--by", BY)
    assert result.exit_code == 0, result.output
    rows = json.loads(run(*base, "list", "1.1", "--format", "json").output)
    assert [(r["period"], r["status"]) for r in rows] == [("2009-Q1", "on track")]
    again = run(*base, "add", "1.1", "--period", "2009-Q1", "--status", "at risk", "--by", BY)
    assert again.exit_code == 2 and rows[0]["report"] in again.output
    # A narrative that reads like SPARQL stays text: the update carries it as an escaped literal.
    tricky = 'Delayed. """ } } ; DROP ALL ; INSERT DATA { <x:a> <x:b> "c" } \n second line'
    fixed = run(*base, "add", "1.1", "--period", "2009-Q1", "--status", "at risk", "--by", BY,
                "--supersedes", rows[0]["report"], "--note", tricky)  # fmt: skip
    assert fixed.exit_code == 0, fixed.output
    engine = sources.open_engine(sources.Source(endpoint=endpoint))
    reports = progress.reports(engine, ITEM)
    assert [r.status.rsplit("#")[-1] for r in reports] == ["OnTrack", "AtRisk"]
    assert reports[-1].narrative == tricky
    assert engine.triple_count() > 1000  # nothing dropped
    # The audit entry went with it, as PROV in the graph of written reports.
    audit = engine.query("SELECT ?source WHERE { GRAPH ?g { ?write <http://purl.org/dc/terms/source> ?source } }").rows
    assert [str(r["source"]) for r in audit] == ["cli", "cli"]


def test_journal_unit_round_trip(tmp_path):
    kept = journal.Journal(tmp_path)
    record = journal.Record("r", "e", "p", None, "<a:b> <a:c> <a:d> <g:h> .\n", {"interface": "cli"})
    kept.write(record)
    assert journal.Journal(tmp_path).records() == [record]
    assert Path(tmp_path / "journal").read_bytes() == journal.frame(record)


def workbook(path, rows):
    header = [column.header for column in layout.PROGRESS.columns]
    xlsx_io.write([Table("progress", header, [[row.get(h, "") for h in header] for row in rows])], path)
    return path


QUARTER = [
    {"item or measure": "1.1", "period": "2008-Q4", "status": "on track", "by": "Shona Pearce"},
    {"item or measure": "5.1.1", "period": "2008-Q4", "status": "at risk", "rag": "amber", "value": "30",
     "by": BY, "evidence": "https://example.org/q4.pdf\nhttps://example.org/q4-annex.pdf"},
    {"item or measure": "1.2", "period": "2008-Q4", "status": "off track", "rag": "red", "by": BY,
     "narrative": "Two partners withdrew; a new bid is in."},
]  # fmt: skip


def test_a_workbook_brings_a_whole_period_at_once(folder, tmp_path):
    result = run("--store", folder, "progress", "import", workbook(tmp_path / "q4.xlsx", QUARTER))
    assert result.exit_code == 0, result.output
    assert result.output == f"Added 3 report(s) from {tmp_path / 'q4.xlsx'}\n"
    rows = listed(folder, "--period", "2008-Q4")
    assert sorted((r["ref"], r["status"]) for r in rows) == [
        ("1.1", "on track"),
        ("1.2", "off track"),
        ("5.1.1", "at risk"),
    ]
    assert {r["written"]["interface"] for r in rows} == {"workbook"}
    (measure,) = [r for r in rows if r["ref"] == "5.1.1"]
    assert measure["evidence"] == ["https://example.org/q4.pdf", "https://example.org/q4-annex.pdf"]


def test_a_workbook_with_a_bad_row_writes_nothing_and_says_where(folder, tmp_path):
    bad = [
        *QUARTER[:1],
        {**QUARTER[1], "value": ""},  # a quantified measure with no value
        {**QUARTER[2], "narrative": ""},  # red with no narrative
        {"item or measure": "1.3", "period": "2012-Q1", "status": "on track", "by": BY},  # after the plan
        {"item or measure": "1.3", "period": "2008-Q4", "status": "", "by": BY},  # no status
    ]
    result = run("--store", folder, "progress", "import", workbook(tmp_path / "bad.xlsx", bad))
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert lines[0] == "sheet 'progress', row 6, column 'status': required, and empty"
    assert lines[-1].endswith("1 problem(s) in " + str(tmp_path / "bad.xlsx") + "; nothing written")
    result = run("--store", folder, "progress", "import", workbook(tmp_path / "bad.xlsx", bad[:4]))
    assert result.exit_code == 2
    assert result.output.splitlines()[:3] == [
        "sheet 'progress', row 3, column 'value': The report is on the quantified measure 5.1.1 but gives no value",
        "sheet 'progress', row 4, column 'narrative': The report is rated off track but has no narrative",
        "sheet 'progress', row 5, column 'period': The report is for the period 2012-Q1, which is not within "
        "its plan's reporting span",
    ]
    assert journal_bytes(folder) == b""


def test_two_writers_at_once_on_an_endpoint_one_wins(endpoint):
    """The check and the insert are one SPARQL Update: with both checks passed before either
    insert, the server still lets only one in."""
    source = sources.Source(endpoint=endpoint)
    engine = sources.open_engine(source)
    outcomes = _race(source, engine, "1.3", "2009-Q2")
    assert sorted(outcomes)[-1] == "won" and len(outcomes) == 2
    assert [o for o in outcomes if o != "won"][0].startswith("1.3 already has a report for 2009-Q2: ")
    item = "https://w3id.org/graphsvc/id/item/2007-10/1.3"
    assert len([r for r in progress.reports(engine, item) if r.period.name == "2009-Q2"]) == 1


def test_a_rival_let_in_beside_a_report_makes_it_withdraw(endpoint, monkeypatch):
    """Two writers in two processes both won on the Oxigraph server (1 run in 4): it runs each
    conditional insert on its own snapshot, so both passed. A writer that finds a rival on the same
    element, period and predecessor after its insert now withdraws its report and is told. The store
    letting both in is played here by an insert without its condition, after a check that saw none."""
    source = sources.Source(endpoint=endpoint)
    engine = sources.open_engine(source)
    item = "https://w3id.org/graphsvc/id/item/2007-10/1.2"
    first, second = (
        progress_writes.prepare(engine, progress_writes.Draft("1.2", "2009-Q3", status, BY))
        for status in ("on track", "at risk")
    )
    progress_writes.write(source, engine, [first])
    unconditional = "PREFIX gs: <https://w3id.org/graphsvc/def#>\nINSERT { GRAPH ?graph {\n#DATA\n} } WHERE {}"
    monkeypatch.setattr(
        progress_writes, "query", lambda name: unconditional if name == "progress_insert" else query(name)
    )
    monkeypatch.setattr(progress_writes, "check_newest", lambda *args, **kwargs: None)
    with pytest.raises(progress_writes.Conflict, match=f"already has a report for 2009-Q3: {first.record.report}"):
        progress_writes.write(source, engine, [second])
    assert [r.iri for r in progress.reports(engine, item) if r.period.name == "2009-Q3"] == [first.record.report]
