"""A persisted Oxigraph store: one complete version (generation) at a time, replaced atomically.

Layout of a store folder:

    DIR/current              symlink to the generation being served
    DIR/generations/<n>/     one complete Oxigraph (RocksDB) store per load
    DIR/checksums/<n>.json   each file's size and SHA-256, written when generation n was loaded
    DIR/readers/<n>.lock     a shared lock held by every process that has generation n open
    DIR/building/<n>/        a load under way (never served, never kept as the rollback copy)
    DIR/load.lock            held by the one load (or roll-back) that may run at a time

`build` takes the load lock (a second load is refused, not queued), writes the new generation
under building/, records its checksums, and only then moves it into generations/ and swaps
`current` (os.replace of a symlink is atomic). A load that fails or is killed half way leaves
only a folder under building/, which the next load removes: the served generation and its
rollback copy (the one it replaced) are never touched. Older generations are deleted unless a
process still has them open (its shared lock on readers/<n>.lock).

A process opening a store pins one generation (`current` as it was then) for its whole life,
checks its files against the recorded checksums (a flipped bit is refused here, before RocksDB
reads it), and holds its reader lock so that no load deletes it from under it.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import logging
import os
import shutil
from pathlib import Path

from graphsvc import resources
from graphsvc.engine.graph import GraphLoadError

LOG = logging.getLogger(__name__)

# Oxigraph's parsers, by file ending. RDF/XML is left out on purpose: its entity
# expansion can exhaust memory, and rdflib remains the way to read it (graphsvc validate).
FORMATS = {".ttl": "TURTLE", ".nt": "N_TRIPLES", ".nq": "N_QUADS", ".trig": "TRIG"}

# RocksDB's own log and lock files change without the data changing: not checksummed.
_UNCHECKED = ("LOG", "LOCK")

# Shared reader locks this process holds, by generation folder: kept open for the process's life.
_held: dict[Path, int] = {}


class StoreError(Exception):
    """A store folder that cannot be opened or built; str() is one clear line."""


class StoreBusy(StoreError):
    """Another load holds the store's load lock."""


class StoreDamaged(StoreError):
    """A generation whose files differ from the checksums recorded when it was loaded."""


def _format(path: Path):
    import pyoxigraph as ox

    name = FORMATS.get(path.suffix.lower())
    if name is None:
        raise GraphLoadError(f"{path}: cannot bulk-load {path.suffix or 'this'} files (use {', '.join(FORMATS)})")
    return getattr(ox.RdfFormat, name)


def _numbers(folder: Path) -> list[int]:
    return sorted(int(p.name) for p in folder.iterdir() if p.name.isdigit()) if folder.is_dir() else []


def generations(directory: Path | str) -> list[int]:
    """The complete generations of a store, oldest first."""
    return _numbers(Path(directory) / "generations")


def current_generation(directory: Path | str) -> int:
    """The generation `current` points at now."""
    directory = Path(directory)
    link = directory / "current"
    try:
        name = os.readlink(link)
    except FileNotFoundError:
        raise StoreError(f"{directory}: not a graphsvc store (build one with `graphsvc load {directory}`)") from None
    except OSError as error:
        raise StoreError(f"{directory}: cannot read the store: {error.strerror or error}") from None
    number = Path(name).name
    if not number.isdigit() or not (directory / "generations" / number).is_dir():
        raise StoreError(f"{directory}: its current generation ({name}) is missing: load the store again")
    return int(number)


def _disk_error(directory: Path, error: OSError) -> StoreError:
    """An OSError from RocksDB or the file system as one line: a full disk said plainly."""
    text = str(error)
    if error.errno == errno.ENOSPC or "No space left on device" in text:
        return StoreError(f"{directory}: load failed, store unchanged: no space left on the device")
    detail = error.strerror or " ".join(text.split())
    return StoreError(f"{directory}: load failed, store unchanged: {detail}")


def _load_lock(directory: Path) -> int:
    """The exclusive load lock, or StoreBusy naming the process that holds it."""
    path = directory / "load.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "another process"
        os.close(fd)
        raise StoreBusy(
            f"{directory}: another load is running (pid {holder}); try again when it has finished"
        ) from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, str(os.getpid()).encode(), 0)
    return fd


def _checksums(folder: Path) -> dict[str, list]:
    sums = {}
    for path in sorted(folder.iterdir()):
        if path.is_file() and not path.name.startswith(_UNCHECKED):
            with path.open("rb") as stream:
                sums[path.name] = [path.stat().st_size, hashlib.file_digest(stream, "sha256").hexdigest()]
    return sums


def _write_synced(path: Path, data: bytes) -> None:
    with path.open("wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())


def _in_use(directory: Path, number: int) -> bool:
    """Whether some process holds generation ``number`` open (its shared reader lock)."""
    path = directory / "readers" / f"{number}.lock"
    if not path.exists():
        return False
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def _drop(directory: Path, number: int) -> None:
    shutil.rmtree(directory / "generations" / str(number), ignore_errors=True)
    for path in (directory / "checksums" / f"{number}.json", directory / "readers" / f"{number}.lock"):
        path.unlink(missing_ok=True)


def build(directory: Path | str, files=None, ontology: bool = True) -> Path:
    """Load the ontology and the files (default: the built-in plans) into a new generation and serve it.
    A restore (graphsvc.engine.backup) loads a dump that holds the ontology already: ``ontology=False``.

    Raises GraphLoadError for a bad input file, StoreBusy while another load runs, StoreError for
    the disk (full, not writable); in every case the store is left as it was.
    """
    import pyoxigraph as ox

    directory = Path(directory)
    given = list(map(Path, files)) if files else resources.data_files()
    paths = [*(resources.ontology_files() if ontology else []), *given]
    for path in paths:
        if not path.is_file():
            raise GraphLoadError(f"{path}: no such file")
        _format(path)
    try:
        for folder in ("generations", "building", "checksums", "readers"):
            (directory / folder).mkdir(parents=True, exist_ok=True)
        lock = _load_lock(directory)
    except OSError as error:
        raise _disk_error(directory, error) from None
    try:
        # What a killed load left behind is no version of anything: removed, never kept.
        shutil.rmtree(directory / "building", ignore_errors=True)
        (directory / "building").mkdir()
        try:
            previous = current_generation(directory) if (directory / "current").is_symlink() else None
        except StoreError:  # a broken `current` is what this load repairs
            previous = None
        existing = generations(directory)
        number = (existing[-1] if existing else 0) + 1
        building = directory / "building" / str(number)
        try:
            store = ox.Store(str(building))
            for path in paths:
                try:
                    store.bulk_load(path=str(path), format=_format(path))
                except SyntaxError as error:
                    raise GraphLoadError(f"{path}: {' '.join(str(error).split())}") from error
            store.optimize()
            store.flush()
            del store  # closed: RocksDB writes nothing more, so the checksums hold
            _write_synced(
                directory / "checksums" / f"{number}.json", json.dumps(_checksums(building), indent=0).encode()
            )
            (directory / "readers" / f"{number}.lock").touch()
            generation = directory / "generations" / str(number)
            os.replace(building, generation)
            link = directory / "current.new"
            link.unlink(missing_ok=True)
            link.symlink_to(Path("generations") / str(number))
            os.replace(link, directory / "current")
            sync_folder(directory)
        except OSError as error:
            shutil.rmtree(building, ignore_errors=True)
            (directory / "checksums" / f"{number}.json").unlink(missing_ok=True)
            raise _disk_error(directory, error) from None
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            (directory / "checksums" / f"{number}.json").unlink(missing_ok=True)
            raise
        # Keep the generation just replaced for rollback, and any a running process still reads.
        for old in existing:
            if old != previous and not _in_use(directory, old):
                _drop(directory, old)
        return generation
    finally:
        os.close(lock)


def roll_back(directory: Path | str) -> int:
    """Serve the generation before the current one again (checked first); its number. The one
    rolled back from stays until the next load, which drops it."""
    directory = Path(directory)
    number = current_generation(directory)
    earlier = [old for old in generations(directory) if old < number]
    if not earlier:
        raise StoreError(f"{directory}: no earlier generation to go back to (generation {number} is the only one)")
    try:
        lock = _load_lock(directory)
    except OSError as error:
        raise _disk_error(directory, error) from None
    try:
        verify(directory, earlier[-1])
        link = directory / "current.new"
        link.unlink(missing_ok=True)
        link.symlink_to(Path("generations") / str(earlier[-1]))
        os.replace(link, directory / "current")
        sync_folder(directory)
    finally:
        os.close(lock)
    return earlier[-1]


def sync_folder(directory: Path) -> None:
    """Make a folder's new or renamed entries durable (fsync of the folder itself)."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def verify(directory: Path | str, number: int) -> None:
    """Raise StoreDamaged unless every file of generation ``number`` has the size and SHA-256
    recorded at load (a store loaded before checksums were recorded is only logged)."""
    directory = Path(directory)
    folder = directory / "generations" / str(number)
    recorded = directory / "checksums" / f"{number}.json"
    if not recorded.exists() and (directory / "checksums").is_dir():
        raise StoreDamaged(f"{directory}: generation {number} has no recorded checksums: load the store again")
    if not recorded.exists():
        LOG.warning("%s: generation %s has no recorded checksums (load it again to have them)", directory, number)
        return
    try:
        expected = json.loads(recorded.read_text(encoding="utf-8"))
        found = _checksums(folder)
    except (OSError, ValueError) as error:
        raise StoreDamaged(f"{directory}: cannot check generation {number}: {error}") from None
    for name in sorted(set(expected) | set(found)):
        if expected.get(name) != found.get(name):
            what = "is missing" if name not in found else "is not one it had" if name not in expected else "differs"
            raise StoreDamaged(
                f"{directory}: generation {number} is damaged ({name} {what} from when it was loaded): "
                "load the store again"
            )


def _hold(directory: Path, number: int) -> None:
    """Take (once per process) the shared reader lock that keeps a load from deleting this generation.
    A confined query worker may not create files: the server's own lock covers it."""
    folder = directory / "generations" / str(number)
    if folder in _held:
        return
    try:
        fd = os.open(directory / "readers" / f"{number}.lock", os.O_RDONLY)
        fcntl.flock(fd, fcntl.LOCK_SH)
    except (OSError, RuntimeError):  # no lock file (an older store), or a confined worker's refusal
        return
    _held[folder] = fd


def open_read_only(directory: Path | str, generation: int | None = None, check: bool = True):
    """Generation ``generation`` (default: the current one), opened read-only (several server
    processes may share it), checked against its checksums first unless ``check`` is false."""
    import pyoxigraph as ox

    directory = Path(directory)
    number = current_generation(directory) if generation is None else generation
    _hold(directory, number)
    folder = directory / "generations" / str(number)
    if not folder.is_dir():
        raise StoreError(f"{directory}: generation {number} is gone (a later load removed it): restart")
    if check:
        verify(directory, number)
    try:
        return ox.Store.read_only(str(folder))
    except Exception as error:  # OSError, or RocksDB's report of a broken file
        raise StoreError(f"{directory}: cannot open the store: {' '.join(str(error).split())}") from None


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


def yield_the_cpu() -> None:
    """Lower this thread's priority (Linux gives threads their own nice value): the audit or a copy
    of a national store takes seconds of both cores, and the visitors' pages must not wait for it."""
    import os
    import threading

    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
    except (AttributeError, OSError):  # not Linux, or not allowed: the work just competes
        pass
