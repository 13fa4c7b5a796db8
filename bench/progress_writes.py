"""Progress report writes on the embedded store, side by side in one run:

- durable write: one writer, each report checked for a newer one and appended to the store's
  journal with fsync under the lock (graphsvc.answers.progress_writes.write), p50 and p99;
- 8 concurrent writers: 8 processes, each opening the store as `graphsvc progress add` does and
  writing corrections of its own element as fast as it can; reports/s over all of them;
- the shapes' check of a new report (progress_writes.prepare, pySHACL), which runs before the
  lock and so adds to a writer's latency but not to the journal's throughput.

Each write after the first of a writer is a correction of its previous report
(progress_writes.restated), so every one passes the no-lost-update check for real.

    python bench/progress_writes.py                  # ~30 s
    python bench/progress_writes.py --writes 500 --seconds 10
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import tempfile
import time
from pathlib import Path

DURABLE_P99_GOAL_MS = 50.0
CONCURRENT_GOAL = 200.0
ELEMENTS = ["1.1", "1.2", "1.3", "2.1", "2.2", "3.1", "4.1", "4.2"]  # delivery items of 2007-10
BY = "shona-pearce"


def _first(folder: str, element: str, period: str, by: str = BY):
    from graphsvc.answers import progress_writes
    from graphsvc.engine import sources

    source = sources.Source(store=folder)
    engine = sources.open_engine(source)
    first = progress_writes.prepare(engine, progress_writes.Draft(element, period, "on track", by))
    progress_writes.write(source, engine, [first])
    return source, engine, first


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def durable(
    folder: str,
    writes: int,
    element: str = "5.1",
    period: str = "2008-Q1",
    by: str = BY,
    seconds: float | None = None,
) -> dict:
    """One writer's ``writes`` corrections of its own report, one after another (stopping after
    ``seconds`` once it has 20, if given: a slow store is measured, not waited for): p50 and p99 (ms)."""
    from graphsvc.answers import progress_writes

    source, engine, last = _first(folder, element, period, by)
    times = []
    began = time.perf_counter()
    for _ in range(writes):
        if seconds is not None and len(times) >= 20 and time.perf_counter() - began > seconds:
            break
        last = progress_writes.restated(last)
        started = time.perf_counter()
        progress_writes.write(source, engine, [last])
        times.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": statistics.median(times), "p99_ms": _percentile(times, 0.99), "writes": len(times)}


def checked(folder: str, count: int) -> dict:
    from graphsvc.answers import progress_writes
    from graphsvc.engine import sources

    engine = sources.open_engine(sources.Source(store=folder))
    progress_writes.prepare(engine, progress_writes.Draft("1.1", "2008-Q2", "on track", BY))  # warm
    times = []
    for _ in range(count):
        started = time.perf_counter()
        progress_writes.prepare(engine, progress_writes.Draft("1.1", "2008-Q2", "on track", BY))
        times.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": statistics.median(times), "p99_ms": _percentile(times, 0.99)}


def _writer(folder, element, period, by, rate, seconds, journal_only, ready, go, done) -> None:
    """Write corrections of one element's report for ``seconds`` once told to go: as fast as it can,
    or ``rate`` a second (paced from the start, catching up when behind)."""
    from graphsvc.answers import progress_writes
    from graphsvc.engine import sources

    source, engine, last = _first(folder, element, period, by)
    if journal_only:  # what the store holds for the element and period never changes: read it once
        journal, known = sources.journal(source), progress_writes.in_engine(engine, last)
    ready.put(element)
    go.wait()
    began = time.monotonic()
    count = 0
    while (now := time.monotonic()) < began + seconds:
        if rate and now < began + count / rate:
            time.sleep(min(began + count / rate, began + seconds) - now)
            continue
        last = progress_writes.restated(last)
        if journal_only:  # write()'s check and append, less its read of the store each time

            def check(_, prepared=last):
                keyed = journal.about(prepared.record.element, prepared.record.period)
                progress_writes.check_newest(None, prepared, keyed, engine_known=known)

            journal.write(last.record, check)
        else:
            progress_writes.write(source, engine, [last])
        count += 1
    done.put(count)


def writers(
    folder: str,
    count: int,
    seconds: float,
    elements: list[str] = ELEMENTS,
    period: str = "2008-Q3",
    rate: float | None = None,
    meanwhile=None,
    by: str = BY,
    journal_only: bool = False,
) -> dict:
    """``count`` writer processes, each opening the store as `graphsvc progress add` does and writing
    corrections of its own element (a first report for ``period``, then corrections of it) for
    ``seconds``, all at once once all are ready: as fast as they can, or ``rate`` reports a second
    between them. ``meanwhile()`` runs here while they write; what it returns is "meanwhile".

    ``journal_only``: each write is the journal's checked append as progress_writes.write makes
    it, with the store's own reports on the element and period read once, not before every write
    (they cannot change: the store is read-only). For a load of appends at a set rate whatever a
    write's read of a large store costs, which the durable figure measures."""
    context = multiprocessing.get_context("spawn")
    ready, done, go = context.Queue(), context.Queue(), context.Event()
    each = rate / count if rate else None
    processes = [
        context.Process(
            target=_writer,
            args=(folder, elements[n % len(elements)], period, by, each, seconds, journal_only, ready, go, done),
        )
        for n in range(count)
    ]
    for process in processes:
        process.start()
    try:
        for _ in processes:  # opening a national store and checking a first report takes a while
            ready.get(timeout=600)
        go.set()
        during = meanwhile() if meanwhile else None
        counts = [done.get(timeout=seconds + 60) for _ in processes]
    finally:
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
    return {"writers": count, "reports": sum(counts), "per_s": sum(counts) / seconds, "meanwhile": during}


def concurrent(
    folder: str, count: int, seconds: float, elements: list[str] = ELEMENTS, period: str = "2008-Q3", by: str = BY
):
    """``count`` writers as fast as they can: reports/s over all of them."""
    return writers(folder, count, seconds, elements, period, by=by)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writes", type=int, default=300, help="durable writes measured one after another")
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=5.0, help="how long the concurrent writers write")
    parser.add_argument("--checks", type=int, default=20, help="shape checks measured")
    args = parser.parse_args(argv)
    from graphsvc.engine import store

    with tempfile.TemporaryDirectory(prefix="graphsvc-writes-") as scratch:
        folder = str(Path(scratch) / "store")
        store.build(folder)
        one = durable(folder, args.writes)
        many = concurrent(folder, args.writers, args.seconds)
        check = checked(folder, args.checks)
    print("progress report writes, embedded store (built-in plans), one run")
    print(f"{'figure':<44}{'measured':>14}{'goal':>12}  met")
    rows = [
        ("durable write p50 (check + append + fsync)", f"{one['p50_ms']:.2f} ms", "", ""),
        ("durable write p99", f"{one['p99_ms']:.2f} ms", f"<= {DURABLE_P99_GOAL_MS:g} ms",
         "yes" if one["p99_ms"] <= DURABLE_P99_GOAL_MS else "NO"),
        (f"reports/s from {many['writers']} concurrent writers", f"{many['per_s']:.0f}", f">= {CONCURRENT_GOAL:g}",
         "yes" if many["per_s"] >= CONCURRENT_GOAL else "NO"),
        ("shapes check of a new report p50", f"{check['p50_ms']:.0f} ms", "", ""),
        ("shapes check of a new report p99", f"{check['p99_ms']:.0f} ms", "", ""),
    ]  # fmt: skip
    for name, measured, goal, met in rows:
        print(f"{name:<44}{measured:>14}{goal:>12}  {met}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
