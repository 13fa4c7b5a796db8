"""Three sort keys for refs: ownership and the map read only the digits of a ref, the audit its
digits and words; the map put "1-3" activity refs in no order at all (its key split on dots)."""

from graphsvc.answers import ownership
from graphsvc.audit import report
from graphsvc.map import data as map_data
from graphsvc.refs import natural_key


def test_refs_sort_as_people_read_them():
    refs = ["1.10", "1-10", "1.9", "1-2", None, "1.2.1"]
    assert sorted(refs, key=natural_key) == [None, "1-2", "1-10", "1.2.1", "1.9", "1.10"]


def test_answers_the_audit_and_the_map_share_the_one_key():
    assert ownership.natural_key is report.natural_key is map_data.natural_key is natural_key


def test_the_maps_partner_exposure_lists_items_in_natural_order(engine):
    view = map_data.build(engine, map_data.Filters())
    rows = map_data.exposure(view, lambda iri: None)
    for row in rows:
        keys = [(view.network.nodes[item["iri"]]["plan"], natural_key(item["ref"])) for item in row["items"]]
        assert keys == sorted(keys), row["partner"]["label"]
    assert sum(len(row["items"]) for row in rows) > 5
