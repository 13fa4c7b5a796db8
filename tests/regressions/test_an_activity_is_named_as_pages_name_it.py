"""`graphsvc progress add "activity 1-5"` was refused ("no delivery item, activity or success
measure"): activities have no printed ref, and only their IRI was accepted, while every page and
`who` calls them "activity 1-5". A report's bare id was not taken for --supersedes either."""

from click.testing import CliRunner

from graphsvc.cli import main
from graphsvc.engine import session


def _add(folder, *arguments):
    result = CliRunner().invoke(main, ["--reports-dir", str(folder), "progress", "add", *arguments])
    session.forget()
    return result


def test_an_activity_by_its_name_and_a_correction_by_the_reports_last_part(tmp_path):
    for name in ("activity 1-5", "2004-5/1-5"):
        refused = _add(tmp_path, name, "--period", "2004-Q3", "--status", "unknown", "--by", "mcdowall")
        assert "no delivery item" not in refused.output  # found; refused for its status only
    added = _add(tmp_path, "activity 1-5", "--period", "2004-Q3", "--status", "complete", "--by", "mcdowall")
    assert added.exit_code == 0, added.output
    assert ": activity 1-5 for 2004-Q3" in added.output
    report = added.output.split()[1].rstrip(":")
    again = _add(
        tmp_path, "1-5", "--period", "2004-Q3", "--status", "complete", "--by", "mcdowall",
        "--supersedes", report.rsplit("/", 1)[-1],
    )  # fmt: skip
    assert again.exit_code == 0, again.output
