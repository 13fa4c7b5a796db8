"""Pages built once per data version: the plans never change while served, and the reports only
grow, each write moving the engine's version on (graphsvc.engine.sources.Follower).

A unit's page runs seven queries and renders a template of hundreds of items (about 20 ms
on a national graph); asked again at the same version it is the same page. The cache keeps what
was built (a rendered body, or which node a path names) by key and version, least recently used
first out, bounded by the bytes it holds, so that walking every IRI of a million-triple graph
cannot fill memory. When the version moves on, what was built before is dropped: a page built
from the old data but finished after the change is never kept under the new version.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

_T = TypeVar("_T")

MAX_BYTES = 64 * 1024 * 1024  # rendered pages kept at most: about 600 of a whole force's


class PageCache:
    """A least-recently-used map of built values, bounded by their total size (``size(value)``)."""

    def __init__(self, max_bytes: int = MAX_BYTES, version: Callable[[], Hashable] = lambda: 0):
        self.max_bytes = max_bytes
        self.version = version  # the data's version now
        self._kept_version = None
        self._values: OrderedDict = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._building: dict = {}  # (version, key) -> set when its first builder is done
        self._previous: dict = {}  # the last version's values, served while their successors are built

    def remember(
        self,
        key: Hashable,
        build: Callable[[], _T],
        size: Callable[[_T], int] = lambda value: 1,
        previous_ok: bool = False,
    ) -> _T:
        """The value kept for ``key`` at the data's version, else ``build()`` kept and returned. Threads
        asking at once for a page not built yet wait for the first one's build, rather than each
        building it: while reports are written, every new version had eight clients build the same
        page at once. ``previous_ok``: while one request builds the page for a new version, the
        others are served the last version's, whole, at once: at a million triples a business group's
        page takes 50-100 ms to build, and with reports written 200 a second every client waited for
        one build after another. The request that builds sees the new data, so a person reloading
        after a write sees it."""
        version = self.version()  # read before building: what is built is at least this new
        while True:
            with self._lock:
                self._drop_older(version)
                if key in self._values:
                    self._values.move_to_end(key)
                    return self._values[key][0]
                building = self._building.get((version, key))
                previous = self._previous.get(key) if previous_ok and building is not None else None
                if previous is not None:  # another request is building it: the last version's, at once
                    return previous[0]
                if building is None:
                    building = self._building[(version, key)] = threading.Event()
                    break
            if not building.wait(timeout=60) or self.version() != version:
                return build()  # the builder is stuck or the data moved on: build this one alone
        try:
            value = build()
            self._keep(key, value, size(value), version)
            return value
        finally:
            with self._lock:
                self._building.pop((version, key), None)
            building.set()

    def _keep(self, key: Hashable, value, weight: int, version: Hashable) -> None:
        if weight > self.max_bytes:
            return
        with self._lock:
            if self._kept_version != version:  # the data moved on while building: not kept
                return
            if key not in self._values:
                self._values[key] = (value, weight)
                self._bytes += weight
            while self._bytes > self.max_bytes:
                _, (_, dropped) = self._values.popitem(last=False)
                self._bytes -= dropped

    def _drop_older(self, version: Hashable) -> None:
        if version != self._kept_version:
            if self._values:  # what each page was: served while its next version is built
                self._previous = {key: kept for key, kept in self._values.items()}
            self._values = OrderedDict()
            self._bytes = 0
            self._kept_version = version

    def __len__(self) -> int:
        return len(self._values)
