"""`graphsvc item --format json` kept only the first data source and indicator of a measure:
2.2.1 lost the British Crime Survey, 4.2.2 two of its three sources."""

import json

from click.testing import CliRunner

from graphsvc.cli import main


def measures(ref: str) -> dict:
    result = CliRunner().invoke(main, ["item", ref, "--format", "json"])
    return {measure["ref"]: measure for measure in json.loads(result.stdout)["measures"]}


def test_every_data_source_and_indicator_is_kept():
    measure = measures("2.2")["2.2.1"]
    assert any("British Crime Survey" in source for source in measure["data_sources"])
    assert len(measures("4.2")["4.2.2"]["data_sources"]) == 3
    assert measure["data_source"] == measure["data_sources"][0]  # the old key stays


def test_the_text_lists_them_too():
    text = CliRunner().invoke(main, ["item", "2.2"]).stdout
    assert "British Crime Survey" in text
