"""When confinement.py moved into graphsvc/sandbox/, the confined child's "Python's own modules"
became that folder alone, and an upload's import was refused reading graphsvc/queries/names.rq."""

from graphsvc.queries import query
from graphsvc.sandbox import uploads
from graphsvc.sandbox.confinement import ConfinementError, run_confined


def test_the_child_reads_the_packages_named_queries():
    assert "SELECT" in run_confined(query, "names", limits=uploads.limits())


def test_the_child_still_reads_nothing_outside(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the child")
    try:
        run_confined(open, str(secret), limits=uploads.limits())
    except ConfinementError as error:
        assert "secret.txt" in str(error)
    else:
        raise AssertionError("the confined child opened a file outside its allowance")
