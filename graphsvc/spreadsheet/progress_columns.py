"""The progress columns the exports append to their rows: what an analyst filters a period's sheet by.

One list of columns for the accountability export and the browse exports alike, each row from one
element's brief state (graphsvc.answers.progress_view); a row progress is not reported on has them empty.
"""

from __future__ import annotations

HEADER = ["Latest status", "Status period", "Owner's RAG", "Computed RAG", "Overdue", "Stale", "Progress as at"]


def cells(state: dict | None) -> list[str]:
    """The progress cells of one row, in HEADER's order: words, "yes" or "no", never a colour."""
    if state is None:
        return [""] * len(HEADER)
    latest = state["latest"] or {}
    return [
        latest.get("status") or "",
        latest.get("period") or "",
        state["owner_rag"] or "",
        state["computed_rag"] or "",
        "yes" if state["overdue"] else "no",
        "yes" if state["stale"] else "no",
        state["as_at"],
    ]
