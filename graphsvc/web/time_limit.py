"""Running a query under a time limit.

Embedded Oxigraph cannot be interrupted, but it releases the GIL while it works: the query
runs in a daemon thread and the request stops waiting at the limit. An abandoned query
keeps a core busy until it ends, so while ``RUNAWAYS`` of them are still running on an
engine the endpoint answers "busy" rather than start more.
"""

from __future__ import annotations

import threading
import weakref
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout

from ..engine import Answer, Engine

RUNAWAYS = 2


class TimedOut(Exception):
    """The query did not finish within the limit; str() says which limit."""


class Busy(Exception):
    """Too many earlier queries are still running past their limit."""


class _Runaways:
    """How many abandoned queries are still running on one engine."""

    def __init__(self):
        self.count = 0
        self.lock = threading.Lock()


_runaways: "weakref.WeakKeyDictionary[Engine, _Runaways]" = weakref.WeakKeyDictionary()
_registry_lock = threading.Lock()


def _state(engine: Engine) -> _Runaways:
    with _registry_lock:
        return _runaways.setdefault(engine, _Runaways())


def run(engine: Engine, sparql: str, seconds: float) -> Answer:
    state = _state(engine)
    if state.count >= RUNAWAYS:
        raise Busy(f"{RUNAWAYS} earlier queries are still running past their time limit: try again shortly")
    future: Future = Future()
    abandoned = threading.Event()

    def work():
        try:
            future.set_result(engine.query(sparql))
        except BaseException as error:  # handed to the waiting request, which re-raises it
            future.set_exception(error)
        with state.lock:
            if abandoned.is_set():
                state.count -= 1

    threading.Thread(target=work, daemon=True, name="sparql-query").start()
    try:
        return future.result(timeout=seconds)
    except FutureTimeout:
        with state.lock:
            if not future.done():
                abandoned.set()
                state.count += 1
        if not abandoned.is_set():  # it finished just as the limit came
            return future.result()
        raise TimedOut(f"the query ran past the time limit of {seconds:g} s and was abandoned") from None
