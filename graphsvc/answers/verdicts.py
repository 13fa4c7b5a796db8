"""Whether an item has a measurable outcome: the rule, and its words, in one place.

An item has a measurable outcome when at least one of its success measures is quantified or
directional (gs:measurability, recorded on each measure by the rule the shapes check). 2004-5
activities have no success measures at all, which is said as such rather than counted as a
failure. Plan pages, item pages and accountability answers all word it from here.
"""

from __future__ import annotations

from graphsvc.words import joined

MEASURABLE = ("quantified", "directional")  # the measurability classes, by label, that count


def counts(measure: dict) -> bool:
    """Whether a measure (with its measurability label) makes its item measurable."""
    return measure.get("measurability") in MEASURABLE


def measurable_outcome(kind: str, measures: list[dict]) -> dict:
    """The verdict on an item of that kind ("delivery item" or "activity") with these measures
    (each with "ref" and "measurability"): ``answer`` "yes", "no" or None (not asked), ``text`` a
    sentence for its page, ``short`` a table cell's words, and the counts."""
    good = [m for m in measures if counts(m)]
    total = len(measures)
    plural = "s" * (total != 1)
    if kind == "activity" and not measures:
        answer, text, short = (
            None,
            "Not asked of activities: the 2004-5 plan has no success measures",
            ("no success measures (2004-5 activities have none)"),
        )
    elif not measures:
        answer, text, short = "no", "No: it has no success measure", "no success measures"
    elif good:
        answer = "yes"
        text = "Yes: " + joined([f"{m['ref']} is {m['measurability']}" for m in good])
        short = f"measurable ({len(good)} of {total} measure{plural})"
    else:
        answer = "no"
        text = f"No: none of its {total} success measure{plural} is measurable"
        short = f"not measurable (its {total} measure{plural}: none measurable)"
    return {"answer": answer, "text": text, "short": short, "measures": total, "measurable_measures": len(good)}
