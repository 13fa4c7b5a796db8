"""/validation counted findings per lead only, so SCD and TP, whose posts lead the items, never
appeared on it. Findings now roll up through the organisation as ownership does."""

import json

from graphsvc.web.app import create_app


def test_scd_and_tp_have_rows_on_validation():
    served = create_app().test_client().get("/validation.json")
    rows = {row["owner"]: row for row in json.loads(served.data)["by_organisation"]}
    assert rows["Specialist Crime Directorate (SCD)"]["Violation"] == 2
    assert rows["Territorial Policing (TP)"]["Violation"] == 4
