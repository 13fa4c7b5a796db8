"""Named SPARQL queries, one .rq file each, read once and cached."""

from functools import cache
from importlib.resources import files


@cache
def query(name: str) -> str:
    """The text of the named query (``figures`` reads ``figures.rq``)."""
    resource = files(__package__) / f"{name}.rq"
    if not resource.is_file():
        raise KeyError(f"no query named {name!r}")
    return resource.read_text(encoding="utf-8")
