"""On `--engine rdflib` the reports' queries (GRAPH ?graph) ended in rdflib's traceback ("requiring
a dataset"): its engine held a plain graph. It now holds a dataset of the graph and the written
reports, so reports are read, and written ones found, on either embedded engine."""

from click.testing import CliRunner

from graphsvc.answers import progress
from graphsvc.cli import main
from graphsvc.engine import session, sources


def test_progress_is_read_on_the_rdflib_engine(tmp_path):
    engine = sources.open_engine(sources.Source(engine="rdflib"))
    oxigraph = sources.open_engine(sources.Source())
    assert progress.reports(engine) == [] and progress.elements(engine).keys() == progress.elements(oxigraph).keys()
    runner = CliRunner()
    folder = str(tmp_path / "reports")
    base = ["--engine", "rdflib", "--reports-dir", folder, "progress"]
    try:
        added = runner.invoke(main, [*base, "add", "1.1", "--period", "2008-Q2", "--status", "at risk", "--by",
                                     "shona-pearce"])  # fmt: skip
        assert added.exit_code == 0, added.output
        session.forget()
        listed = runner.invoke(main, [*base, "list"])
        assert listed.exit_code == 0 and listed.output.startswith("1.1  2008-Q2: at risk"), listed.output
        engine = sources.open_engine(sources.Source(engine="rdflib", reports=folder))
        assert progress.state(engine, "1.1", as_at="2008-Q2")["latest"]["status"] == "at risk"
    finally:
        session.forget()
