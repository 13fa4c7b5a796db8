"""Progress as pages and exports of many items show it: each item's state without its history (the
item's own page has that), and counts of a set of items in words.

graphsvc.answers.progress derives the states; this only trims and counts them, so the accountability
answer, plan pages, the map and the exports read one state per item from one call per page.
"""

from __future__ import annotations

from collections.abc import Iterable

from graphsvc.answers import progress
from graphsvc.answers.periods import Period
from graphsvc.engine.engines import Engine

# The counts a set of items is summed up by, in the order and words they are shown.
COUNT_WORDS = {
    "due_this_period": "due this period",
    "overdue": "overdue",
    "stale": "stale",
    "no_report": "no report yet",
}


def brief(state: dict) -> dict:
    """An element's state as a row of a table shows it: everything but the history, with how many
    reports that history holds."""
    return {**{key: value for key, value in state.items() if key != "history"}, "reports": len(state["history"])}


def for_items(engine: Engine, iris: Iterable[str], at: Period, found: dict | None = None) -> dict[str, dict]:
    """The brief states of the given items as at a period, by IRI, from one progress.for_elements call
    (items progress is not reported on are left out); ``found``: their reports, if already read."""
    unique = list(dict.fromkeys(str(iri) for iri in iris))
    return {iri: brief(state) for iri, state in progress.for_elements(engine, unique, at, found).items()}


def counted(counts: dict, at: Period, reported: bool, whose: str | None = None, elements: dict | None = None) -> dict:
    """Counts as at a period with the sentence that says them; ``reported``: whether any report
    counts yet, for a page that stays calm (one line) when none does; ``whose``: whose items they
    are ("SCD leads"); ``elements``: the IRIs each count is of, when they are known."""
    parts = [f"{counts[name]} {words}" for name, words in COUNT_WORDS.items()]
    subject = f"Of the items and success measures {whose}" if whose else "Of these items"
    text = f"{subject}, as at {at.label}: {', '.join(parts)}."
    if not reported:
        text = f"No progress reported yet. {text}"
    return {
        "as_at": at.name,
        "as_at_label": at.label,
        **{name: counts[name] for name in COUNT_WORDS},
        "reported": reported,
        "text": text,
        **({"elements": elements} if elements is not None else {}),
    }


def tally(states: Iterable[dict], at: Period) -> dict:
    """The counts of a set of brief states (a plan's items), as ``counted`` words them."""
    listed = list(states)
    counts = {name: sum(bool(state[name]) for state in listed) for name in COUNT_WORDS}
    return counted(counts, at, any(state["latest"] for state in listed))
