"""A persisted Oxigraph store that starts without re-parsing, and is replaced atomically.

Layout of a store folder:

    DIR/generations/<n>/   one complete Oxigraph (RocksDB) store per load
    DIR/current            symlink to the generation being served

`build` writes a new generation beside the served one and only then swaps `current`
(os.replace of a symlink is atomic), so a load that fails half way leaves the previous
store exactly as it was, and a reader never sees a half-loaded store.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from graphsvc import resources
from graphsvc.engine.graph import GraphLoadError

# Oxigraph's parsers, by file ending. RDF/XML is left out on purpose: its entity
# expansion can exhaust memory, and rdflib remains the way to read it (graphsvc validate).
FORMATS = {".ttl": "TURTLE", ".nt": "N_TRIPLES", ".nq": "N_QUADS", ".trig": "TRIG"}


class StoreError(Exception):
    """A store folder that cannot be opened or built; str() is one clear line."""


def _format(path: Path):
    import pyoxigraph as ox

    name = FORMATS.get(path.suffix.lower())
    if name is None:
        raise GraphLoadError(f"{path}: cannot bulk-load {path.suffix or 'this'} files (use {', '.join(FORMATS)})")
    return getattr(ox.RdfFormat, name)


def _generations(directory: Path) -> list[int]:
    folder = directory / "generations"
    return sorted(int(p.name) for p in folder.iterdir() if p.name.isdigit()) if folder.is_dir() else []


def build(directory: Path | str, files=None) -> Path:
    """Load the ontology and the files (default: the built-in plans) into a new generation and serve it."""
    import pyoxigraph as ox

    directory = Path(directory)
    paths = [*resources.ontology_files(), *(map(Path, files) if files else resources.data_files())]
    for path in paths:
        if not path.is_file():
            raise GraphLoadError(f"{path}: no such file")
        _format(path)
    (directory / "generations").mkdir(parents=True, exist_ok=True)
    existing = _generations(directory)
    generation = directory / "generations" / str((existing[-1] if existing else 0) + 1)
    try:
        store = ox.Store(str(generation))
        for path in paths:
            try:
                store.bulk_load(path=str(path), format=_format(path))
            except SyntaxError as error:
                raise GraphLoadError(f"{path}: {' '.join(str(error).split())}") from error
        store.optimize()
        store.flush()
        del store
    except BaseException:
        shutil.rmtree(generation, ignore_errors=True)
        raise
    link = directory / "current.new"
    link.unlink(missing_ok=True)
    link.symlink_to(Path("generations") / generation.name)
    os.replace(link, directory / "current")
    for old in existing[:-1]:  # keep the generation just replaced for rollback, drop older ones
        shutil.rmtree(directory / "generations" / str(old), ignore_errors=True)
    return generation


def open_read_only(directory: Path | str):
    """The served generation, opened read-only (several server processes may share it)."""
    import pyoxigraph as ox

    current = Path(directory) / "current"
    if not current.exists():
        raise StoreError(f"{directory}: not a graphsvc store (build one with `graphsvc load {directory}`)")
    try:
        return ox.Store.read_only(str(current.resolve()))
    except OSError as error:
        raise StoreError(f"{directory}: cannot open the store: {error}") from error


def into_memory(persisted):
    """An in-memory copy of an opened store: the same graph (blank nodes get labels of their own).

    Oxigraph answers from memory 2-4x faster than from RocksDB (business group at 1M triples,
    audit: bench/run.py), and the copy takes seconds (1M triples: ~7 s; it holds ~320 MB, twice
    that while copying), so a server can start on the store at once and move to the copy when it
    is whole. Dumped and bulk-loaded, the copy runs in Oxigraph without the GIL: copied quad by
    quad through Python (``extend``) it was faster (5.7 s) but held the GIL for 4 s at a time,
    and pages waited.
    """
    import io

    import pyoxigraph as ox

    dumped = io.BytesIO()
    persisted.dump(dumped, format=ox.RdfFormat.N_QUADS)
    memory = ox.Store()
    memory.bulk_load(dumped.getvalue(), format=ox.RdfFormat.N_QUADS)
    return memory
