"""A plan page showed 0 strands, 0 items and 1 action on Virtuoso: `isPartOf+` inside OPTIONAL found
nothing when the plan was bound by a leading VALUES block. The parts are now counted through a union
with the empty group, which every store evaluates alike."""

from graphsvc.engine import graph
from graphsvc.web.app import create_app


def _figures(config, plan):
    return create_app({**config, "AUDIT": False}).test_client().get(f"/id/plan/{plan}.json").get_json()["figures"]


def test_plan_figures_on_virtuoso_are_the_embedded_defaults(virtuoso):
    for plan, expected in (("2007-10", (7, 14, 48, 28)), ("2004-5", (0, 0, 0, 0))):
        mine = _figures({"SPARQL_ENDPOINT": virtuoso["built-in"]}, plan)
        assert mine == _figures({"GRAPH": graph.default()}, plan)
        assert (mine["strands"], mine["delivery items"], mine["actions"], mine["success measures"]) == expected
    assert _figures({"SPARQL_ENDPOINT": virtuoso["built-in"]}, "2004-5")["objectives"] > 0
