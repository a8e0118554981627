"""The preview writes its cache after a quiet time and at exit: never lost, never half-written."""

from __future__ import annotations

import pickle
import signal
import threading
import time

import kb.cache
from kb.cache import Store

from support import kb_serve, wait_for_page

ENTRY = "content/en/phase-2/dispute-resolution.md"


def test_a_deferred_save_writes_after_the_delay_and_flush_writes_at_once(tmp_path):
    store = Store(tmp_path)
    store.delay = 0.3
    store.put("a", ("one",))
    store.save()
    assert not store.file.exists()  # not on the request's path
    time.sleep(1.0)
    assert Store.open(tmp_path).records == {"a": ("one",)}  # the timer wrote it
    store.begin()
    store.put("b", ("two",))
    store.save()
    store.flush()  # at exit: now, without waiting for the timer
    assert Store.open(tmp_path).records == {"b": ("two",)}
    store.flush()  # nothing left: a second flush changes nothing
    assert Store.open(tmp_path).records == {"b": ("two",)}


def test_loads_adding_records_while_a_deferred_save_writes_never_corrupt_the_pack(tmp_path):
    store = Store(tmp_path)
    store.delay = 0.0  # the writing thread runs while the loads go on
    stop = threading.Event()
    seen = []

    def read() -> None:
        while not stop.is_set():
            if store.file.exists():
                seen.append(bool(Store.open(tmp_path).records))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for round in range(40):
            store.begin()
            for number in range(300):
                store.put(f"{round}-{number}", ("x" * 200, number))
            store.save()
    finally:
        stop.set()
        reader.join()
    store.flush()
    assert seen and all(seen)  # every pack read opened whole (checksum and pickle alike)
    assert Store.open(tmp_path).records == store.records  # the last load's records, all


def test_kb_serve_stopped_right_after_an_edit_keeps_it_in_the_cache(tmp_path):
    process, port = kb_serve(tmp_path)
    url = f"http://127.0.0.1:{port}/en/questions/dispute-resolution/"
    try:
        page = wait_for_page(url, "dispute", process)
        assert "kbcachedword" not in page
        file = tmp_path / ENTRY
        file.write_text(file.read_text(encoding="utf-8") + "\nkbcachedword.\n", encoding="utf-8")
        wait_for_page(url, "kbcachedword", process)
        process.send_signal(signal.SIGTERM)  # well within the quiet second: the save is pending
        assert process.wait(timeout=20) == 0
    finally:
        if process.poll() is None:
            process.kill()
    records = Store.open(tmp_path).records
    assert any("kbcachedword" in str(record) for record in records.values())
    assert not list((tmp_path / ".kb-cache").glob(".tmp-*"))  # no half-written file left


def test_a_record_given_with_its_pickle_is_written_as_that_pickle(tmp_path, monkeypatch):
    """A worker's pickle is the pack's: the record is never pickled a second time."""
    store = Store(tmp_path)
    store.put("made-here", ("one",))
    store.put("from-a-worker", ("two",), pickled=pickle.dumps(("two",)))
    pickled_now = []
    dumps = kb.cache.dumps
    monkeypatch.setattr(
        kb.cache, "dumps", lambda record: pickled_now.append(record) or dumps(record)
    )
    store.save()
    assert pickled_now == [("one",)]
    assert Store.open(tmp_path).records == {"made-here": ("one",), "from-a-worker": ("two",)}
    # Saved again after a load used both: still pickled only where nothing was given.
    store.begin()
    assert store.get("made-here") and store.get("from-a-worker")
    store.put("new", ("three",))
    pickled_now.clear()
    store.save()
    assert sorted(pickled_now) == [("one",), ("three",)]  # in no set order
    reopened = Store.open(tmp_path)
    assert reopened.pickled.keys() == reopened.records.keys()  # a pack read gives every pickle
