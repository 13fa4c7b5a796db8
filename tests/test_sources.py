"""Every command honours the source the group's options choose (--store, --sparql-endpoint), or
refuses it with a usage error: none quietly answers from the built-in graph instead.

The store and the endpoint hold the ontology, the organisation and the 2004-5 plan only, so an
answer taken from the built-in graph (both plans) would differ from theirs.
"""

import json
import subprocess
import sys
import time
import urllib.request

import oxigraph_server
import pytest
from click.testing import CliRunner
from rdflib import Graph
from support import free_port

from graphsvc import resources
from graphsvc.cli import main
from graphsvc.engine import session, store

ONE_PLAN = [path for path in resources.data_files() if path.name in ("organisation.ttl", "mps-priority-2004-5.ttl")]


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("one-plan-store")
    store.build(folder, ONE_PLAN)
    return folder


@pytest.fixture(scope="module")
def oxigraph_one_plan(tmp_path_factory):
    folder = tmp_path_factory.mktemp("one-plan-endpoint")
    data = Graph()
    for path in [*resources.ontology_files(), *ONE_PLAN]:
        data.parse(path)
    dump = folder / "one-plan.nt"
    data.serialize(dump, format="nt", encoding="utf-8")
    with oxigraph_server.running(folder, [dump]) as url:
        yield url


@pytest.fixture(params=["oxigraph", "virtuoso"])
def endpoint(request):
    """The one-plan data behind each remote store: the Oxigraph server, and Virtuoso (started once per
    session, the data in a named graph of their own that the URL names as the default graph)."""
    if request.param == "oxigraph":
        return request.getfixturevalue("oxigraph_one_plan")
    return request.getfixturevalue("virtuoso")["one-plan"]


@pytest.fixture(autouse=True)
def _back_to_the_default():
    yield
    session.configure()  # the group's options live in the process: leave the built-in graph chosen


def run(*args):
    result = CliRunner().invoke(main, list(args), input=QUERY)
    return result.exit_code, result.stdout, result.stderr


def sources(store_dir, endpoint):
    return {"store": ["--store", str(store_dir)], "endpoint": ["--sparql-endpoint", endpoint]}


QUERY = "SELECT (COUNT(*) AS ?plans) WHERE { ?plan a <https://w3id.org/graphsvc/def#Plan> }"

# Commands that answer from the source, with arguments valid on the one-plan data.
ANSWERING = {
    "info": ["info", "--format", "json"],
    "who": ["who", "SCD", "--format", "json"],
    "item": ["item", "4.1", "--format", "json"],  # a 2007-10 item: not in the one-plan data
    "partners": ["partners", "--format", "json"],
    "map": ["map", "--format", "cyjs"],
    "query": ["query", "-", "--format", "csv"],
    "validate": ["validate", "--format", "json"],
}


@pytest.mark.parametrize("command", sorted(ANSWERING))
def test_every_answering_command_answers_from_the_chosen_source(command, store_dir, endpoint, tmp_path):
    built_in = run(*ANSWERING[command])
    answers = {name: run(*options, *ANSWERING[command]) for name, options in sources(store_dir, endpoint).items()}
    assert "Traceback" not in answers["store"][2] and answers["store"][0] in (0, 1), answers["store"]
    assert answers["store"] == answers["endpoint"]
    assert answers["store"] != built_in, f"{command} answered from the built-in graph"


def test_info_reports_the_stores_figures(store_dir):
    code, out, _ = run("--store", str(store_dir), "info", "--format", "json")
    figures = json.loads(out)
    assert code == 0 and figures["plans"] == 1 and [p["id"] for p in figures["by_plan"]] == ["2004-5"]
    assert figures["triples"] == len(store.open_read_only(store_dir))
    code, out, _ = run("--store", str(store_dir), "info")
    assert f"the store {store_dir}, {figures['triples']} triples" in out


@pytest.mark.parametrize(
    "args, says",
    [
        (["export", "2007-10"], "export writes a built-in plan or a plan file as a spreadsheet"),
        (["import", "plan.xlsx", "--out", "plan.ttl"], "import turns a spreadsheet into a Turtle file"),
        (["load", "somewhere"], "load builds a store from files"),
        (["validate", "plan.ttl"], "validate audits FILES on their own"),
    ],
)
@pytest.mark.parametrize("source", ["store", "endpoint"])
def test_file_commands_refuse_a_store_or_an_endpoint(args, says, source, store_dir, endpoint):
    code, out, err = run(*sources(store_dir, endpoint)[source], *args)
    assert code == 2 and says in err and "Traceback" not in err + out


def test_one_source_at_a_time(store_dir):
    code, _, err = run("--store", str(store_dir), "--sparql-endpoint", "http://127.0.0.1:9/query", "info")
    assert code == 2 and "give --store or --sparql-endpoint, not both" in err


def test_serve_answers_from_the_groups_store(store_dir):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "graphsvc", "--store", str(store_dir), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                health = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2).read())
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, server.stderr.read().decode()
                time.sleep(0.2)
        assert health["answers_from"] == "disk"
        ask = urllib.request.Request(f"http://127.0.0.1:{port}/", headers={"Accept": "application/json"})
        home = urllib.request.urlopen(ask, timeout=10).read()
        assert json.loads(home)["figures"]["plans"] == 1
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_an_unknown_results_format_is_a_usage_error():
    code, out, err = run("--sparql-endpoint", "http://127.0.0.1:9/sparql", "--sparql-results", "yaml", "info")
    assert code == 2 and "Traceback" not in err
    assert "unknown results format 'yaml': choose one of xml, json" in err
