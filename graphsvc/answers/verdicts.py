"""Whether an item has a measurable outcome: the rule, and its words, in one place.

An item has a measurable outcome when at least one of its success measures is quantified or
directional (gs:measurability, recorded on each measure by the rule the shapes check). 2004-5
activities have no success measures at all, which is said as such rather than counted as a
failure. Plan pages, item pages and accountability answers all word it from here.
"""

from __future__ import annotations

from graphsvc.words import joined

MEASURABLE = ("quantified", "directional")  # the measurability classes, by label, that count

# The three verdicts, as a table cell names them.
HAS_OUTCOME, NO_OUTCOME, NO_MEASURES = "measurable", "no measurable outcome", "no success measures"
# Why an activity is not judged: said in these words wherever it is said.
ACTIVITY_WHY = "2004-5 activities have no success measures: the plan sets a target date instead"


def counts(measure: dict) -> bool:
    """Whether a measure (with its measurability label) makes its item measurable."""
    return measure.get("measurability") in MEASURABLE


def measurable_outcome(kind: str, measures: list[dict]) -> dict:
    """The verdict on an item of that kind ("delivery item" or "activity") with these measures
    (each with "ref", "measurability" and optionally the measure's own "reason"):

    ``answer`` "yes", "no" or None (not asked); ``verdict`` one of the three verdicts; ``text`` a
    sentence for its page; ``short`` a table cell's words; ``reason`` why, naming the measures and
    their own reasons; and the counts.
    """
    good = [m for m in measures if counts(m)]
    total = len(measures)
    plural = "s" * (total != 1)
    if not measures:
        reason = ACTIVITY_WHY if kind == "activity" else "the plan gives this item no success measure"
        answer = None if kind == "activity" else "no"
        text = ("Not asked: " if answer is None else "No: ") + reason
        verdict, short = NO_MEASURES, NO_MEASURES
    elif good:
        answer, verdict = "yes", HAS_OUTCOME
        text = "Yes: " + joined([f"{m['ref']} is {m['measurability']}" for m in good])
        short = f"measurable ({len(good)} of {total} measure{plural})"
        best = good[0]
        reason = f"{best['ref']} is {best['measurability']}" + (f": {best['reason']}" if best.get("reason") else "")
        if len(good) > 1:
            reason += f" (also {', '.join(m['ref'] for m in good[1:])})"
    else:
        answer, verdict = "no", NO_OUTCOME
        text = f"No: none of its {total} success measure{plural} is measurable"
        short = f"not measurable (its {total} measure{plural}: none measurable)"
        refs = ", ".join(m["ref"] for m in measures)
        why = "; ".join(f"{m['ref']}: {m['reason'].rstrip('.')}" for m in measures if m.get("reason"))
        reason = f"none of its success measures ({refs}) is quantified or directional" + (f". {why}" if why else "")
    return {
        "answer": answer,
        "verdict": verdict,
        "text": text,
        "short": short,
        "reason": reason,
        "measures": total,
        "measurable_measures": len(good),
    }
