"""Worker processes (kb.parallel): what the parent holds is frozen for the collector while they
run, so that neither walks it again (a walk writes to every object, copying shared pages)."""

from __future__ import annotations

import gc
import os
import pickle

import pytest

from kb.parallel import can_fork, fork_map, fork_map_pickled

from support import make_site, pair

pytestmark = pytest.mark.skipif(not can_fork(), reason="no fork on this system")


def frozen_in_worker(chunk):
    return [gc.get_freeze_count() for _ in chunk]


def test_the_parents_objects_are_frozen_while_workers_run_and_thawed_after():
    assert gc.get_freeze_count() == 0
    counts = fork_map(frozen_in_worker, [[1], [2], [3]], 2)
    assert all(count > 1000 for (count,) in counts)  # the parent's objects, frozen in the worker
    assert gc.get_freeze_count() == 0  # and thawed in the parent


def tracked_by_the_collector(obj) -> bool:
    """Whether obj is in one of the collector's generations: frozen objects are in none."""
    return any(o is obj for o in gc.get_objects())


def test_what_was_frozen_before_stays_frozen():
    """The preview freezes what it loaded at its start: the workers leave that as it is.

    Checked on one object, not on the frozen count: a frozen object freed meanwhile lowers it."""
    loaded_at_start = [["an entry"]]
    gc.freeze()
    try:
        assert not tracked_by_the_collector(loaded_at_start)
        fork_map(frozen_in_worker, [[1], [2]], 2)
        assert not tracked_by_the_collector(loaded_at_start)  # still frozen
        assert gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()
    assert tracked_by_the_collector(loaded_at_start)


def test_reading_a_site_runs_with_the_collector_paused(monkeypatch, tmp_path):
    """Every object reading makes lives on: the collector would walk them all, again and again,
    while the site is read, and free nothing. Paused, and as it was after, even on an error."""
    import kb.loader
    from kb.loader import load_site

    root = make_site(tmp_path, pair())
    seen = []
    real = kb.loader.checks.check_references
    monkeypatch.setattr(
        kb.loader.checks,
        "check_references",
        lambda *args: (seen.append(gc.isenabled()), real(*args))[1],
    )
    assert gc.isenabled()
    site = load_site(root, jobs=1)
    assert site.entries and seen == [False]
    assert gc.isenabled()

    def fails(*args):
        raise RuntimeError("a reading step failed")

    monkeypatch.setattr(kb.loader.checks, "check_references", fails)
    with pytest.raises(RuntimeError):
        load_site(root, jobs=1)
    assert gc.isenabled()
    gc.disable()  # a caller that paused it itself finds it paused still
    try:
        monkeypatch.setattr(kb.loader.checks, "check_references", real)
        load_site(root, jobs=1)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_build_sets_aside_the_site_it_read_while_it_freezes(monkeypatch, tmp_path):
    """Read once, the Site lives until the build ends: the collector never walks it while the
    pages are frozen (and the workers are forked with it set aside), and walks it again after."""
    import kb.freeze
    from kb.freeze import build

    root = make_site(tmp_path / "site", pair())
    frozen_while_publishing = []
    real = kb.freeze._freeze

    def probe(*args, **kwargs):
        site = args[0].config["SITE"]
        frozen_while_publishing.append(not tracked_by_the_collector(site.entries))
        return real(*args, **kwargs)

    monkeypatch.setattr(kb.freeze, "_freeze", probe)
    build(root, tmp_path / "out", jobs=1)
    assert frozen_while_publishing == [True]
    assert gc.get_freeze_count() == 0


def pid_and_square(chunk):
    return [(os.getpid(), number * number) for number in chunk]


def test_pickled_results_come_with_the_pickle_a_worker_sent_them_as():
    chunks = [[1, 2], [3], [4, 5]]
    results = fork_map_pickled(pid_and_square, chunks, 2)
    assert [[item[1] for item, _ in chunk] for chunk in results] == [[1, 4], [9], [16, 25]]
    for chunk in results:
        for item, pickled in chunk:
            assert item[0] != os.getpid()  # made in a worker
            assert pickle.loads(pickled) == item
    # In this process, nothing is pickled: the items come with None.
    here = fork_map_pickled(pid_and_square, chunks, 1)
    assert here == [[((os.getpid(), n * n), None) for n in chunk] for chunk in chunks]
