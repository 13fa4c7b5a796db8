"""Words shared by every answer: how a list is said in English."""


def joined(words) -> str:
    """ "A", "A and B", "A, B and C" ("" for none)."""
    words = list(words)
    if len(words) < 2:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]
