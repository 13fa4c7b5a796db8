"""A plan page as at 1990 counted "14 no report yet", as if reports were missing for a quarter no
report can be written for (the command line refuses it). It now says the period is outside the span."""

import json


def test_a_plan_page_as_at_a_period_outside_its_span_says_so(client):
    outside = json.loads(client.get("/id/plan/2007-10.json?as-at=1990-Q1").data)["plan_items"]["progress_counts"]
    assert outside["outside_span"] is True
    assert outside["text"].startswith("January to March 1990 (1990-Q1) is outside the plan's reporting span")
    assert "is outside the plan" in client.get("/id/plan/2007-10?as-at=1990-Q1").get_data(as_text=True)
    inside = json.loads(client.get("/id/plan/2007-10.json?as-at=2008-Q3").data)["plan_items"]["progress_counts"]
    assert inside["outside_span"] is False and "outside" not in inside["text"]
