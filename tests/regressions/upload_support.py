"""Files to upload for the regression tests of /import (the form poster is support.post_upload)."""

from pathlib import Path

from graphsvc.engine import graph

NEW_PLAN = Path(__file__).resolve().parents[1] / "spreadsheet" / "new_plan"
# Valid Turtle that takes rdflib about 45 s of CPU: an upload that runs to its limit.
SLOW_TURTLE = b'<http://example.org/s> <http://example.org/p> "' + b"\\u0041" * (1024 * 1024) + b'" .\n'


def good_plan() -> tuple[str, bytes]:
    """The 2004-5 plan file as shipped: it imports and audits cleanly."""
    plan = next(p for p in graph.resources.data_files() if "2004-5" in p.name)
    return plan.name, plan.read_bytes()
