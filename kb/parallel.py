"""Work shared between worker processes forked from this one: each sees the loaded Site as it is,
with nothing to pickle but the work's keys and results."""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any

# Below this many entry files a build takes about a second, and one process does it all.
PARALLEL_FROM = 100

_work: Callable[[Any], Any] | None = None  # what the forked workers run (they inherit it)


class WorkerDied(Exception):
    """A worker process ended without finishing its work (killed, or out of memory)."""


def cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def workers_for(entries: int, jobs: int | None) -> int:
    """How many processes to use: `jobs` if given, else every core for a large site, when this
    process has no other thread (a fork copies only the calling thread: a lock that another
    thread holds, the development server's log for one, would stay locked in the worker)."""
    if jobs is None:
        alone = threading.active_count() == 1
        jobs = cores() if entries >= PARALLEL_FROM and alone else 1
    return max(1, jobs) if can_fork() else 1


@contextmanager
def forked(work: Callable[[Any], Any], workers: int) -> Iterator[Callable[[Any], Future]]:
    """Start `workers` processes forked from this one; yield a function that gives them `work`
    to do on an argument, and returns its future."""
    global _work
    _work = work
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            try:
                yield lambda argument: pool.submit(_run, argument)
            except BrokenProcessPool as error:
                raise WorkerDied(f"a worker process stopped before its work was done: {error}") from None
    finally:
        _work = None


def fork_map(work: Callable[[Any], Any], chunks: Sequence, jobs: int) -> list:
    """[work(chunk) for chunk in chunks], spread over `jobs` forked processes."""
    if jobs <= 1 or len(chunks) <= 1:
        return [work(chunk) for chunk in chunks]
    with forked(work, min(jobs, len(chunks))) as start:
        futures = [start(chunk) for chunk in chunks]
        return [future.result() for future in futures]


def _run(argument):
    assert _work is not None
    return _work(argument)


def chunked(items: Sequence, size: int) -> list[Sequence]:
    return [items[start : start + size] for start in range(0, len(items), size)]
