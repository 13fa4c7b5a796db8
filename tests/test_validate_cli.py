"""`graphsvc validate`: reports, formats, shape-set selection, user files and exit codes 0/1/2."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.namespace import SH

from graphsvc import resources
from graphsvc.cli import main

ROOT = Path(__file__).resolve().parents[1]

GOOD_PLAN = """
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix dcat:    <http://www.w3.org/ns/dcat#> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix org:     <http://www.w3.org/ns/org#> .
@prefix gs:      <https://w3id.org/graphsvc/def#> .
@prefix ex:      <https://example.org/> .

ex:doc dcterms:identifier "plan.txt" .
ex:force a org:FormalOrganization ; skos:prefLabel "Force" ; dcterms:source ex:doc ; gs:sourceLine 1 .
ex:chief a org:Post ; skos:prefLabel "Chief" ; org:postIn ex:force ; dcterms:source ex:doc ; gs:sourceLine 1 .
ex:plan a gs:Plan ; skos:prefLabel "Plan" ; dcterms:source ex:doc ; gs:sourceLine 1 .
ex:strand a gs:Strand ; skos:prefLabel "Strand" ; dcterms:isPartOf ex:plan ; dcterms:source ex:doc ; gs:sourceLine 2 .
ex:item a gs:DeliveryItem ; skos:notation "1.1" ; skos:prefLabel "Cut arrests time" ;
    dcterms:isPartOf ex:strand ; dcterms:source ex:doc ; gs:sourceLine 3 ;
    prov:qualifiedAttribution [ a prov:Attribution ; prov:agent ex:chief ; dcat:hadRole gs:Lead ; gs:sourceLine 3 ] .
ex:action a gs:Action ; skos:prefLabel "Do it" ; dcterms:isPartOf ex:item ; dcterms:source ex:doc ; gs:sourceLine 3 .
ex:measure a gs:SuccessMeasure ; skos:notation "1.1.1" ; skos:prefLabel "Reduce the time taken" ;
    dcterms:isPartOf ex:item ; gs:metric "time taken" ; gs:direction gs:Decrease ;
    gs:measurability gs:Directional ; gs:measurabilityReason "Names a metric and a direction." ;
    dcterms:source ex:doc ; gs:sourceLine 3 .
"""


def run(*args):
    return CliRunner().invoke(main, ["validate", *args])


@pytest.fixture
def good_plan(tmp_path):
    path = tmp_path / "plan.ttl"
    path.write_text(GOOD_PLAN, encoding="utf-8")
    return path


def test_built_in_text_report_counts_first_then_grouped_by_lead():
    result = run("--shapes", "quality")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == "Audit of the built-in plans: violations found (Violation: 5, Warning: 16, Info: 26)"
    assert lines[2] == "  Every delivery item has a lead: yes, 14 of 14"  # the plain answers come first
    table = lines[lines.index("Gaps per lead") + 2]
    assert table.split()[:4] == ["Assistant", "Commissioner", "Territorial", "Policing"]
    assert table.split()[-3:] == ["4", "13", "8"]  # a jointly led item counts for each of its leads
    group = lines.index("Assistant Commissioner Territorial Policing")
    assert lines[group + 1] == "  Violation (4)"
    assert lines[group + 2].startswith("    - Delivery item 1.2 'Respond to locally identified")
    assert "  Info (7)" in lines[lines.index("Cdr Hitchcock") :]


def test_built_in_json_has_the_contracted_keys():
    result = run("--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert set(report) >= {"conforms", "totals", "results"} and report["conforms"] is False
    assert report["totals"]["by_severity"] == {"Violation": 5, "Warning": 16, "Info": 26}
    keys = {"severity", "focus", "ref", "label", "owner", "shape", "message"}
    assert all(set(r) >= keys for r in report["results"])
    assert {r["severity"] for r in report["results"]} == {"Violation", "Warning", "Info"}
    assert {r["ref"] for r in report["results"] if r["severity"] == "Violation"} == {"1.2", "1.3", "3.1", "6.1", "6.2"}


def test_turtle_is_the_standard_validation_report_with_readable_messages():
    result = run("--format", "turtle", "--shapes", "quality")
    report = Graph().parse(data=result.output, format="turtle")
    [node] = report.subjects(predicate=SH.conforms)
    assert report.value(node, SH.conforms).toPython() is False
    assert len(list(report.objects(node, SH.result))) == 47
    messages = {str(m) for r in report.objects(node, SH.result) for m in report.objects(r, SH.resultMessage)}
    assert not any("{this}" in m for m in messages)
    assert any(m.startswith("Delivery item 1.3 'Tackle emerging drug threats'") for m in messages)


def test_built_in_graph_passes_integrity_with_exit_code_0():
    result = run("--shapes", "integrity")
    assert result.exit_code == 0
    assert result.output.strip().splitlines() == [
        "Audit of the built-in plans: no violations (Violation: 0, Warning: 0, Info: 0)",
        "",
        "  The graph itself is well formed (the integrity checks): yes, no finding",
    ]


def test_built_in_files_given_as_files_give_the_same_answer():
    result = run("--format", "json", "--shapes", "quality", *[str(p) for p in resources.data_files()])
    assert result.exit_code == 1
    assert json.loads(result.output)["totals"]["by_severity"] == {"Violation": 5, "Warning": 16, "Info": 26}


def test_a_good_user_plan_exits_0(good_plan):
    result = run(str(good_plan))
    assert result.exit_code == 0, result.output
    assert "no violations (Violation: 0, Warning: 0, Info: 0)" in result.output


def test_a_user_plan_with_an_item_without_lead_exits_1(tmp_path):
    path = tmp_path / "plan.ttl"
    path.write_text(GOOD_PLAN.replace("gs:Lead", "gs:Supporting"), encoding="utf-8")
    result = run("--format", "json", str(path))
    assert result.exit_code == 1
    report = json.loads(result.output)
    [finding] = report["results"]
    assert "Every delivery item has a lead: no, 0 of 1 (not 1.1)" in [a["text"] for a in report["answers"]]
    assert finding.pop("fix") == (
        "Name the post, person or unit that leads delivery item 1.1 'Cut arrests time':"
        " add a responsibility link with the lead role."
    )
    assert (finding.pop("kind"), finding.pop("accountable")) == ("delivery item", [])
    assert finding == {
        "severity": "Violation",
        "focus": "https://example.org/item",
        "ref": "1.1",
        "label": "Cut arrests time",
        "owner": None,
        "shape": "quality:HasLead",
        "message": "Delivery item 1.1 'Cut arrests time' has no lead: no post, person or unit is named as responsible for it",
    }


def test_json_ld_and_rdf_xml_plans_are_read(good_plan, tmp_path):
    plan = Graph().parse(good_plan)
    for name, rdf_format in (("plan.jsonld", "json-ld"), ("plan.rdf", "xml")):
        path = tmp_path / name
        plan.serialize(path, format=rdf_format)
        result = run(str(path))
        assert result.exit_code == 0, (name, result.output)


def test_a_missing_file_exits_2_with_one_line(tmp_path):
    missing = tmp_path / "nowhere.ttl"
    result = run(str(missing))
    assert result.exit_code == 2
    assert result.stderr == f"graphsvc validate: {missing}: no such file\n"
    assert "Traceback" not in result.output


def test_malformed_turtle_exits_2_naming_file_and_line(tmp_path):
    path = tmp_path / "broken.ttl"
    path.write_text("@prefix gs: <https://w3id.org/graphsvc/def#> .\n<a> a gs:Plan .\n<b> a gs:Plan ;; oops\n")
    result = run(str(path))
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(f"graphsvc validate: {path}: line 3: ")
    assert "Traceback" not in result.output


@pytest.mark.parametrize("name, text", [("broken.jsonld", '{"@id": '), ("broken.rdf", "<rdf:RDF")])
def test_malformed_json_ld_and_rdf_xml_exit_2_naming_the_file(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    result = run(str(path))
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(f"graphsvc validate: {path}: ")


def test_unreadable_file_exits_2(tmp_path):
    path = tmp_path / "binary.ttl"
    path.write_bytes(b"\xff\xfe\x00garbage")
    result = run(str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"graphsvc validate: {path}: ")


def test_installed_command_exits_2_without_traceback(tmp_path):
    import subprocess
    import sys

    missing = tmp_path / "nowhere.ttl"
    done = subprocess.run(
        [sys.executable, "-m", "graphsvc", "validate", str(missing)], capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 2
    assert done.stderr == f"graphsvc validate: {missing}: no such file\n"
