"""Worker processes (kb.parallel): what the parent holds is frozen for the collector while they
run, so that neither walks it again (a walk writes to every object, copying shared pages)."""

from __future__ import annotations

import gc

import pytest

from kb.parallel import can_fork, fork_map

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
