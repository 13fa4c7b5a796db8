"""The reports journal: progress reports written after a load, kept durably beside the store.

A store's generations are immutable (their files are checksummed), so reports written to a served
store go to an append-only journal instead, DIR/reports/journal, and readers merge them into the
engine as the named graph of written reports (graphsvc.engine.sources). Reports are only ever
added, never changed, which is what an append-only log of records does best: one write() and one
fsync() per report, no RocksDB compaction, and a backup is the file as it stands.

Each record is framed: the magic b"GSJ1", the payload's length and its CRC-32 (4 bytes each, big
endian), then the payload, JSON holding the report's N-Quads and its audit entry (who, when, what,
through which interface). A record is acknowledged only once it has been fsync'd. A kill -9 or a
power cut can leave at most the last record half written: reading finds that its frame runs past
the end of the file (or its checksum fails and nothing follows), warns once and ignores it, and
the next writer truncates it away under the lock. A bad record with good ones after it is damage,
not a torn write: it is refused, never silently dropped.

Check-and-append runs under an exclusive lock (flock on DIR/reports/journal.lock, and a thread
lock within a process), so two writers on one element cannot both supersede the same report.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import struct
import threading
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from graphsvc.engine.store import sync_folder

LOG = logging.getLogger(__name__)

MAGIC = b"GSJ1"
_HEADER = struct.Struct(">4sII")  # magic, payload length, CRC-32 of the payload
_MAX_RECORD = 16 * 2**20  # a length above this is a damaged header, not a report


class JournalError(Exception):
    """A journal that cannot be read or written; str() is one clear line."""


@dataclass
class Record:
    """One write: a report's quads and its audit entry, as appended."""

    report: str
    element: str
    period: str
    supersedes: str | None
    nquads: str
    audit: dict = field(default_factory=dict)

    def payload(self) -> bytes:
        data = {
            "report": self.report,
            "element": self.element,
            "period": self.period,
            "supersedes": self.supersedes,
            "nquads": self.nquads,
            "audit": self.audit,
        }
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    @classmethod
    def from_payload(cls, payload: bytes) -> Record:
        data = json.loads(payload.decode("utf-8"))
        return cls(
            data["report"], data["element"], data["period"], data.get("supersedes"), data["nquads"], data["audit"]
        )


def frame(record: Record) -> bytes:
    payload = record.payload()
    return _HEADER.pack(MAGIC, len(payload), zlib.crc32(payload)) + payload


def _parse(data: bytes, where: str, warn: bool = True) -> tuple[list[Record], int]:
    """The records of a journal's bytes and the length of its good part; a torn last record is
    left out (with one warning, unless ``warn`` is false: a reader following the journal may meet a
    record while it is being appended), a damaged one before good ones is refused."""
    records: list[Record] = []
    offset = 0
    while offset < len(data):
        torn = None
        if len(data) - offset < _HEADER.size:
            torn = "its header is cut short"
        else:
            magic, length, crc = _HEADER.unpack_from(data, offset)
            end = offset + _HEADER.size + length
            if magic != MAGIC or length > _MAX_RECORD:
                torn = "its header is not a record's"
            elif end > len(data):
                torn = "it is cut short"
            elif zlib.crc32(data[offset + _HEADER.size : end]) != crc:
                torn = "its checksum does not match"
        if torn is not None:
            if torn != "it is cut short" and _later_record(data, offset + 1):
                raise JournalError(
                    f"{where}: damaged at byte {offset} ({torn}) with records after it: restore a backup"
                )
            if warn:
                LOG.warning(
                    "%s: the last record (at byte %s) was not wholly written (%s): ignored", where, offset, torn
                )
            return records, offset
        try:
            records.append(Record.from_payload(data[offset + _HEADER.size : end]))
        except (ValueError, KeyError) as error:
            raise JournalError(f"{where}: record at byte {offset} cannot be read: {error}") from None
        offset = end
    return records, offset


def _later_record(data: bytes, start: int) -> bool:
    """Whether a whole, checksummed record starts anywhere after ``start``."""
    position = data.find(MAGIC, start)
    while position != -1:
        if len(data) - position >= _HEADER.size:
            _, length, crc = _HEADER.unpack_from(data, position)
            end = position + _HEADER.size + length
            if length <= _MAX_RECORD and end <= len(data) and zlib.crc32(data[position + _HEADER.size : end]) == crc:
                return True
        position = data.find(MAGIC, position + 1)
    return False


class Journal:
    """The reports of one store folder (or of the folder the REPORTS_DIR setting names)."""

    def __init__(self, folder: Path | str):
        self.folder = Path(folder)
        self.path = self.folder / "journal"
        self._thread_lock = threading.Lock()
        self._records: list[Record] = []
        self._offset = 0  # bytes of the file already read into _records
        self._by_key: dict[tuple[str, str], list[Record]] = {}  # by element and period

    def __repr__(self) -> str:
        return f"Journal({str(self.folder)!r})"

    # -- reading ---------------------------------------------------------------------------------

    def records(self) -> list[Record]:
        """Every complete record, oldest first (read afresh from the file)."""
        with self._thread_lock:
            self._catch_up()
            return list(self._records)

    def since(self, count: int) -> list[Record]:
        """The complete records after the first ``count``, read afresh: what a reader following
        the journal has not seen. A stat of the file when nothing was appended (a request's cost)."""
        if not self._thread_lock.acquire(blocking=False):  # a writer of this process is busy:
            return self._records[count:]  # what it has appended so far (never wait for its fsync)
        try:
            if self._grown():
                self._catch_up(warn=False)
            return self._records[count:]
        finally:
            self._thread_lock.release()

    def _grown(self) -> bool:
        try:
            return self.path.stat().st_size > self._offset
        except FileNotFoundError:
            return False

    def _catch_up(self, warn: bool = True) -> None:
        """Read what other writers appended since the last read."""
        try:
            with self.path.open("rb") as stream:
                stream.seek(self._offset)
                data = stream.read()
        except FileNotFoundError:
            return
        except OSError as error:
            raise JournalError(f"{self.path}: cannot read the reports journal: {error.strerror or error}") from None
        if not data:
            return
        found, good = _parse(data, str(self.path), warn)
        for record in found:
            self._keep(record)
        self._offset += good

    def _keep(self, record: Record) -> None:
        self._records.append(record)
        self._by_key.setdefault((record.element, record.period), []).append(record)

    def about(self, element: str, period: str) -> list[Record]:
        """The records on one element for one period, as last read (inside ``locked``: all of them)."""
        return list(self._by_key.get((element, period), []))

    def nquads(self) -> bytes:
        """Every written report as N-Quads, in the order written."""
        return "".join(record.nquads for record in self.records()).encode("utf-8")

    # -- writing ---------------------------------------------------------------------------------

    @contextmanager
    def locked(self) -> Iterator[list[Record]]:
        """The journal's exclusive lock, with every record up to date: what a writer checks
        against, and appends to (``append``) before it lets go."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.folder / "journal.lock", os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            raise JournalError(f"{self.folder}: cannot write reports here: {error.strerror or error}") from None
        with self._thread_lock:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                self._catch_up()
                self._cut_torn_tail()
                yield self._records
            finally:
                os.close(fd)  # releases the flock

    def _cut_torn_tail(self) -> None:
        """Under the lock: drop a half-written last record, so the next one starts clean."""
        try:
            size = self.path.stat().st_size
        except FileNotFoundError:
            return
        if size > self._offset:
            with self.path.open("r+b") as stream:
                stream.truncate(self._offset)
                os.fsync(stream.fileno())

    def append(self, record: Record) -> None:
        """Append one record and fsync it (call inside ``locked``): durable when this returns."""
        data = frame(record)
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                new = os.fstat(fd).st_size == 0
                written = os.write(fd, data)
                if written != len(data):
                    raise OSError(f"wrote {written} of {len(data)} bytes")
                os.fsync(fd)
            finally:
                os.close(fd)
            if new:  # the file's name (and its folder's) must survive a crash too
                sync_folder(self.folder)
                sync_folder(self.folder.parent)
        except OSError as error:  # torn bytes, if any, are cut by the next writer
            detail = getattr(error, "strerror", None) or error
            raise JournalError(f"{self.path}: report not written: {detail}") from None
        self._keep(record)
        self._offset += len(data)

    def write(self, record: Record, check: Callable[[list[Record]], None] | None = None) -> None:
        """Check (against every record, under the lock) and append, as one step."""
        with self.locked() as records:
            if check is not None:
                check(records)
            self.append(record)


class MemoryJournal(Journal):
    """The journal of the built-in graph when no folder is named: kept for the process's life."""

    def __init__(self):
        self.folder = None
        self.path = None
        self._thread_lock = threading.Lock()
        self._records = []
        self._offset = 0
        self._by_key = {}

    def __repr__(self) -> str:
        return "MemoryJournal()"

    def _catch_up(self, warn: bool = True) -> None:
        return

    def _grown(self) -> bool:
        return False

    @contextmanager
    def locked(self):
        with self._thread_lock:
            yield self._records

    def append(self, record: Record) -> None:
        self._keep(record)


_opened: dict[Path, Journal] = {}
_opening = threading.Lock()


def at(folder: Path | str) -> Journal:
    """The journal in a folder, one object per folder in a process: it keeps what it has read, so
    a write reads only what other processes appended since (not the whole file each time)."""
    folder = Path(folder).absolute()
    with _opening:
        if folder not in _opened:
            _opened[folder] = Journal(folder)
        return _opened[folder]


def for_store(directory: Path | str) -> Journal:
    """The journal of a store folder."""
    return at(Path(directory) / "reports")


_memory = MemoryJournal()


def in_memory() -> MemoryJournal:
    """The process's in-memory journal (the built-in graph with no REPORTS_DIR)."""
    return _memory
