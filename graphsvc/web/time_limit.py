"""Running a query under a time limit.

Embedded Oxigraph cannot be interrupted, but it releases the GIL while it works: the query
runs in a daemon thread and the request stops waiting at the limit. The abandoned query
keeps one core busy until it ends, so at most ``RUNAWAYS`` of them may be left behind
before the endpoint answers "busy" rather than start more.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future

from ..engine import Answer, Engine

RUNAWAYS = 2
_runaways = threading.BoundedSemaphore(RUNAWAYS)


class TimedOut(Exception):
    """The query did not finish within the limit; str() says which limit."""


class Busy(Exception):
    """Too many earlier queries are still running past their limit."""


def run(engine: Engine, sparql: str, seconds: float) -> Answer:
    if not _runaways.acquire(blocking=False):
        raise Busy(f"{RUNAWAYS} earlier queries are still running past their time limit: try again shortly")
    future: Future = Future()

    def work():
        try:
            future.set_result(engine.query(sparql))
        except BaseException as error:  # handed to the waiting request, which re-raises it
            future.set_exception(error)
        finally:
            _runaways.release()

    threading.Thread(target=work, daemon=True, name="sparql-query").start()
    try:
        return future.result(timeout=seconds)
    except TimeoutError as error:
        raise TimedOut(f"the query ran past the time limit of {seconds:g} s and was abandoned") from error
