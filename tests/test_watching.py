"""kb.watching: which content files changed since the last look, told by the kernel (inotify)
or found by stat'ing every file (`kb serve --poll`), and the same answers from both."""

from __future__ import annotations

import gc
import os
import shutil
import signal
import sys
import time

import pytest

from kb import watching
from kb.app import create_app
from kb.preview import preview_config

from support import kb_serve, wait_for_page

KINDS = ["notified", "polling"]
linux_only = pytest.mark.skipif(watching.inotify_simple is None, reason="inotify is Linux's")


@pytest.fixture(params=KINDS)
def kind(request):
    if request.param == "notified" and watching.inotify_simple is None:
        if os.environ.get("CI") == "true" and sys.platform == "linux":
            pytest.fail("inotify_simple is not installed")
        pytest.skip("inotify is Linux's")
    return request.param


def _watch(folder, kind, pattern="*"):
    # The apps of earlier tests hold a kernel watch each until collected (128 per user).
    gc.collect()
    made = watching.watch(folder, pattern, poll=kind == "polling")
    assert isinstance(made, watching.Notified if kind == "notified" else watching.Polling)
    return made


def _tick():
    time.sleep(0.01)  # a later modification time for the stat'ing kind


def test_edits_additions_removals_and_renames_are_named(tmp_path, kind):
    (tmp_path / "en").mkdir()
    one, two = tmp_path / "en" / "one.md", tmp_path / "en" / "two.md"
    one.write_text("a", encoding="utf-8")
    two.write_text("b", encoding="utf-8")
    watch = _watch(tmp_path, kind)
    assert watch.look() == set()
    _tick()
    one.write_text("a changed", encoding="utf-8")
    assert watch.look() == {str(one)}
    assert watch.look() == set()  # told once
    three = tmp_path / "en" / "three.md"
    three.write_text("c", encoding="utf-8")
    two.unlink()
    assert watch.look() == {str(three), str(two)}
    renamed = tmp_path / "en" / "renamed.md"
    three.rename(renamed)
    assert watch.look() == {str(three), str(renamed)}


def test_a_file_saved_by_rename_over_it_is_named(tmp_path, kind):
    """How many editors save: a new file written beside, then moved over the old one."""
    entry = tmp_path / "entry.md"
    entry.write_text("old", encoding="utf-8")
    watch = _watch(tmp_path, kind)
    _tick()
    scratch = tmp_path / ".entry.md.swp"
    scratch.write_text("new", encoding="utf-8")
    os.replace(scratch, entry)
    assert str(entry) in watch.look()


def test_a_chmod_a_copy_with_the_same_time_and_a_link_to_nowhere_are_named(tmp_path, kind):
    """What changes a load without changing a file's time or size: its mode, the file itself
    (the loader knows a file by its inode too), an entry that is a link which leads nowhere."""
    entry, other = tmp_path / "entry.md", tmp_path / "other.md"
    entry.write_text("same", encoding="utf-8")
    other.write_text("size", encoding="utf-8")
    os.utime(other, ns=(entry.stat().st_atime_ns, entry.stat().st_mtime_ns))
    watch = _watch(tmp_path, kind)
    entry.chmod(0o000)
    assert watch.look() == {str(entry)}  # unreadable now: the loader says so
    os.replace(other, entry)  # the same time and size, another file
    assert str(entry) in watch.look()
    nowhere = tmp_path / "nowhere.md"
    nowhere.symlink_to(tmp_path / "missing.md")
    assert watch.look() == {str(nowhere)}  # listed by the loader, which reports it
    nowhere.unlink()
    assert watch.look() == {str(nowhere)}
    (tmp_path / "folder.md").mkdir()  # the loader lists it too, and says it is no entry
    assert watch.look() in ({str(tmp_path / "folder.md")}, watching.ALL)


def test_a_file_rewritten_with_its_size_and_time_kept_is_named(tmp_path, kind):
    """A copy that keeps times (cp -p, rsync -t, some sync tools): only the change time tells."""
    entry = tmp_path / "entry.md"
    entry.write_text("old", encoding="utf-8")
    kept = entry.stat()
    watch = _watch(tmp_path, kind)
    _tick()
    entry.write_text("new", encoding="utf-8")
    os.utime(entry, ns=(kept.st_atime_ns, kept.st_mtime_ns))
    assert (entry.stat().st_ino, entry.stat().st_mtime_ns) == (kept.st_ino, kept.st_mtime_ns)
    assert watch.look() == {str(entry)}


def test_only_files_of_the_pattern_are_named(tmp_path, kind):
    watch = _watch(tmp_path, kind, "*.po")
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    assert watch.look() == set()
    (tmp_path / "messages.po").write_text("x", encoding="utf-8")
    assert watch.look() == {str(tmp_path / "messages.po")}


@linux_only
def test_a_new_folder_is_all_then_watched_file_by_file(tmp_path):
    watch = _watch(tmp_path, "notified")
    (tmp_path / "phase-4").mkdir()
    (tmp_path / "phase-4" / "new.md").write_text("x", encoding="utf-8")
    assert watch.look() is watching.ALL  # its files are not named: the loader looks at all
    (tmp_path / "phase-4" / "new.md").write_text("y", encoding="utf-8")
    assert watch.look() == {str(tmp_path / "phase-4" / "new.md")}  # watched from then on


@linux_only
def test_a_moved_or_removed_folder_is_all_and_what_is_there_now_is_watched(tmp_path):
    (tmp_path / "a").mkdir()
    watch = _watch(tmp_path, "notified")
    (tmp_path / "a").rename(tmp_path / "b")
    assert watch.look() is watching.ALL
    (tmp_path / "b" / "x.md").write_text("x", encoding="utf-8")
    assert watch.look() == {str(tmp_path / "b" / "x.md")}  # by its new name
    shutil.rmtree(tmp_path / "b")
    assert watch.look() is watching.ALL


@linux_only
def test_the_watched_folder_itself_removed_then_made_again(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    watch = _watch(content, "notified")
    shutil.rmtree(content)
    assert watch.look() is watching.ALL
    assert watch.look() == set()  # nothing there: nothing to tell
    content.mkdir()
    (content / "x.md").write_text("x", encoding="utf-8")
    assert watch.look() is watching.ALL  # it came back
    (content / "x.md").write_text("y", encoding="utf-8")
    assert watch.look() == {str(content / "x.md")}


@linux_only
def test_lost_events_are_all(tmp_path, monkeypatch):
    watch = _watch(tmp_path, "notified")
    overflow = watching.inotify_simple.Event(-1, watching.inotify_simple.flags.Q_OVERFLOW, 0, "")
    monkeypatch.setattr(watch.events, "read", lambda timeout=None: [overflow])
    assert watch.look() is watching.ALL


def test_without_the_kernel_the_watch_polls(tmp_path, monkeypatch):
    def refused(*_):
        raise OSError(28, "No space left on device")  # what inotify says past its watch limit

    monkeypatch.setattr(watching, "Notified", refused)
    assert isinstance(watching.watch(tmp_path), watching.Polling)
    assert isinstance(watching.watch(tmp_path, poll=True), watching.Polling)


def test_the_preview_with_polling_shows_an_edit(tmp_path):
    for name in ("content", "templates", "static"):
        shutil.copytree(os.path.join(os.path.dirname(__file__), "..", name), tmp_path / name)
    app = create_app({**preview_config(tmp_path, poll=True), "TESTING": True})
    assert isinstance(app.extensions["kb_watcher"].watches["content"], watching.Polling)
    client = app.test_client()
    url = "/en/questions/dispute-resolution/"
    assert "kbpolledword" not in client.get(url).get_data(as_text=True)
    file = tmp_path / "content/en/phase-2/dispute-resolution.md"
    file.write_text(file.read_text(encoding="utf-8") + "\nkbpolledword.\n", encoding="utf-8")
    assert "kbpolledword" in client.get(url).get_data(as_text=True)


def test_kb_serve_poll_shows_an_edit(tmp_path):
    process, port = kb_serve(tmp_path, "--poll")
    url = f"http://127.0.0.1:{port}/en/questions/dispute-resolution/"
    try:
        assert "kbpollword" not in wait_for_page(url, "dispute", process)
        file = tmp_path / "content/en/phase-2/dispute-resolution.md"
        file.write_text(file.read_text(encoding="utf-8") + "\nkbpollword.\n", encoding="utf-8")
        wait_for_page(url, "kbpollword", process)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)
