"""Formula-injection neutralising: exported cells never start a formula in a spreadsheet program.

A cell that starts with =, +, -, @ (or a tab or carriage return, which some programs skip
before such a character) gets a leading apostrophe, the usual "treat as text" marker; so
does a cell that already starts with apostrophes before such a character, so that restore()
gives back exactly what was neutralised.

Every CSV the project writes (``graphsvc export`` and the web's SPARQL CSV/TSV answers) goes
through ``neutralise``.
"""

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    return "'" + text if text.lstrip("'").startswith(DANGEROUS) else text


def restore(text: str) -> str:
    if text.startswith("'") and text.lstrip("'").startswith(DANGEROUS):
        return text[1:]
    return text
