"""The cyclic garbage collector held back while a large structure is being built.

Reading a site allocates hundreds of thousands of objects that all live on, and makes almost no
reference cycles. Each time the objects grow by a quarter the collector walks all of them (a
full collection: eight of them, half a second, while a 5,000-entry site is read), and finds
nothing to free. Paused, nothing is walked; what the pause let pile up is collected when the
collector next runs.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """No automatic collection inside the block; the collector as it was after it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def set_aside() -> Iterator[None]:
    """What exists now is never walked by the collector inside the block (gc.freeze), and is
    collected as usual after it. Not collected first: a full collection walks every object (a
    tenth of a second at 5,000 entries) and finds next to nothing; what it would have freed is
    freed after the block. One set aside by an outer block (the preview's) is left as it is."""
    outermost = gc.get_freeze_count() == 0
    if outermost:
        gc.freeze()
    try:
        yield
    finally:
        if outermost:
            gc.unfreeze()
