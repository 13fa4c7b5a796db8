"""A measure's numeric target read from its own words, when its author wrote it only there.

People write "Reduce drug-related deaths by 10% by 2010" and leave the target columns empty; the
rule then judges the measure not measurable although it states a number. So a percentage in the
text of a measure with no target value becomes its target (unit PERCENT), recorded as quantified
with the reason and a reading note saying it was read from the text. A measure its author recorded
as directional or not measurable is left as written.
"""

import re

PERCENT = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(?:%|per\s*cent\b)", re.IGNORECASE)
NOTE = "The target value was read from the measure's text ({found})."


def read(row: dict[str, str]) -> dict[str, str]:
    """The measures row with its target filled from its text where that is what its author meant."""
    recorded = row.get("measurability", "").strip().lower()
    if row.get("target value", "").strip() or recorded not in ("", "quantified"):
        return row
    found = PERCENT.search(row.get("text", ""))
    if found is None:
        return row
    filled = dict(row)
    filled["target value"] = found.group(1)
    filled["target unit"] = row.get("target unit", "").strip() or "PERCENT"
    if not recorded:
        filled["measurability"] = "quantified"
    if not row.get("measurability reason", "").strip():
        filled["measurability reason"] = f"States a numeric target: {found.group(0).strip()}."
    notes = row.get("reading notes", "").strip()
    filled["reading notes"] = "\n".join(filter(None, [notes, NOTE.format(found=found.group(0).strip())]))
    return filled
