"""Where the shipped ontology, data, shapes and queries are.

They are read through importlib.resources so that an installed wheel (where the
top-level ontology/, data/ and shapes/ folders live inside the package) and an
editable checkout find the same files.
"""

from importlib.resources import files
from pathlib import Path


def _turtle_files(package: str) -> list[Path]:
    folder = files(package)
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".ttl"))


def ontology_files() -> list[Path]:
    return _turtle_files("graphsvc.ontology")


def data_files() -> list[Path]:
    return _turtle_files("graphsvc.data")


def shape_files() -> list[Path]:
    return _turtle_files("graphsvc.shapes")


def source_document(identifier: str) -> Path:
    """The shipped copy of a source document, by its dcterms:identifier (file name)."""
    path = Path(str(files("graphsvc.data.sources") / identifier))
    if not path.is_file():
        raise FileNotFoundError(f"no source document named {identifier!r} is shipped")
    return path
