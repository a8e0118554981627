"""Work shared between worker processes forked from this one: each sees the loaded Site as it is,
with nothing to pickle but the work's keys and results."""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import pickle
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any

from kb import collector
from kb.cache import dumps
from kb.frontmatter import N_, Phrase

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
    to do on an argument, and returns its future. The workers end when this process ends or
    leaves the block, however it does."""
    global _work
    _work = work
    before = set(multiprocessing.active_children())
    pool = ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_bind_to_parent,
        initargs=(os.getpid(),),
    )
    # What exists now is shared with the workers (forked at the first work given): set aside,
    # the collector never walks it again, here or in them (a walk writes to each object, so
    # each worker would copy the pages).
    with collector.set_aside():
        try:
            yield lambda argument: pool.submit(_run, argument)
        except BaseException as error:
            # An error, Ctrl-C or SIGTERM: stop the workers now rather than wait for their work.
            pool.shutdown(wait=False, cancel_futures=True)
            for child in set(multiprocessing.active_children()) - before:
                child.kill()
                child.join()
            if isinstance(error, BrokenProcessPool):
                raise WorkerDied(
                    Phrase(
                        N_("a worker process stopped before its work was done: %(detail)s"),
                        detail=str(error),  # Python's own words
                    )
                ) from None
            raise
        else:
            pool.shutdown(wait=True)
        finally:
            _work = None


def fork_map(
    work: Callable[[Any], Any],
    chunks: Sequence,
    jobs: int,
    meanwhile: Callable[[], object] | None = None,
) -> list:
    """[work(chunk) for chunk in chunks], spread over `jobs` forked processes."""
    return list(fork_imap(work, chunks, jobs, meanwhile))


def fork_map_pickled(
    work: Callable[[Any], list], chunks: Sequence, jobs: int
) -> list[list[tuple[Any, bytes | None]]]:
    """fork_map for work whose results the caller also keeps pickled (kb.cache): each item of
    each chunk's list comes with its pickle, the one a worker sent it as (None when made here),
    so that it is never pickled twice."""
    if jobs <= 1 or len(chunks) <= 1:
        return [[(item, None) for item in work(chunk)] for chunk in chunks]

    def pickled(chunk) -> list[bytes]:
        return [dumps(item) for item in work(chunk)]

    return [
        [(pickle.loads(blob), blob) for blob in blobs] for blobs in fork_map(pickled, chunks, jobs)
    ]


def fork_imap(
    work: Callable[[Any], Any],
    chunks: Sequence,
    jobs: int,
    meanwhile: Callable[[], object] | None = None,
) -> Iterator:
    """work(chunk) for each chunk, yielded in order as they are done, spread over `jobs` forked
    processes (each takes the next chunk when it is free); this process runs meanwhile() once
    the workers have their work. With one job, meanwhile() then every chunk, here."""
    if jobs <= 1 or len(chunks) <= 1:
        if meanwhile is not None:
            meanwhile()
        for chunk in chunks:
            yield work(chunk)
        return
    with forked(work, min(jobs, len(chunks))) as start:
        futures = [start(chunk) for chunk in chunks]
        if meanwhile is not None:
            meanwhile()
        for future in futures:
            yield future.result()


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _bind_to_parent(parent: int) -> None:
    """In each worker: end when the build process ends, however it ends (even by kill -9)."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler: just end
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    bound = False
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        bound = libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    if os.getppid() != parent:  # the parent ended before the line above took effect
        os._exit(1)
    if not bound:
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    """Where the system cannot tie a worker's life to its parent's: look every second."""
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)


def _run(argument):
    assert _work is not None
    return _work(argument)


def chunked(items: Sequence, size: int) -> list[Sequence]:
    return [items[start : start + size] for start in range(0, len(items), size)]
