"""Which files changed under a folder since the last look: the preview asks before each request.

On Linux the kernel says so (inotify, through inotify_simple): a look costs one read of the
events queued since the last one, however many files there are, and a save is queued before the
editor's next request can arrive. Elsewhere, or with `kb serve --poll` (network drives, where
the kernel is not told of changes made by another machine), every file is stat'ed at each look.
"""

from __future__ import annotations

import fnmatch
import os
import weakref
from pathlib import Path
from stat import S_IFDIR

try:
    import inotify_simple
except ImportError:  # not Linux: polling only
    inotify_simple = None

ALL = None  # a look's answer when it cannot name the files: a folder moved, events were lost


def file_version(info: os.stat_result) -> tuple[int, int, int, int]:
    """What tells, without reading it, that a file may hold other bytes: its inode, size and
    modification and change times (the change time catches a file rewritten in place with its
    size and modification time kept, as a copy that keeps times does)."""
    return (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def stamp(folder: Path, pattern: str = "*") -> tuple:
    """Name, mode and version (file_version) of every file under folder, and name and mode of
    every folder: changes when any does.

    os.walk and one stat a file (Path.rglob and two were 4 times slower).
    """
    found = []
    for directory, folders, names in os.walk(folder):
        for name in fnmatch.filter(names, pattern):
            path = os.path.join(directory, name)
            try:
                info = os.stat(path)
            except OSError:
                try:
                    info = os.lstat(path)  # a link that leads nowhere: the loader reports it
                except OSError:  # removed while we looked: the next look sees the new state
                    continue
            found.append((path, info.st_mode, *file_version(info)))
        # A folder named as an entry is listed (and reported) by the loader: its coming and
        # going counts, not its time (which every file added in it changes).
        for name in fnmatch.filter(folders, pattern):
            found.append((os.path.join(directory, name), S_IFDIR, 0, 0, 0, 0))
    found.sort()
    return tuple(found)


class Polling:
    """Looks by comparing stamps of every file (any system, any file system)."""

    def __init__(self, folder: Path, pattern: str = "*"):
        self.folder, self.pattern = folder, pattern
        self.stamp = stamp(folder, pattern)

    def look(self) -> set[str] | None:
        """The paths changed since the last look (empty: none), or ALL."""
        now = stamp(self.folder, self.pattern)
        if now == self.stamp:
            return set()
        changed = {path for path, *_ in set(self.stamp).symmetric_difference(now)}
        self.stamp = now
        return changed


if inotify_simple is not None:
    _FLAGS = inotify_simple.flags
    _FILE_EVENTS = (
        _FLAGS.CLOSE_WRITE
        | _FLAGS.MODIFY
        | _FLAGS.ATTRIB
        | _FLAGS.CREATE
        | _FLAGS.DELETE
        | _FLAGS.MOVED_FROM
        | _FLAGS.MOVED_TO
        | _FLAGS.DELETE_SELF
        | _FLAGS.MOVE_SELF
    )
    _FOLDER_GONE = _FLAGS.DELETE_SELF | _FLAGS.MOVE_SELF | _FLAGS.IGNORED


class Notified:
    """Looks by reading what the kernel queued (inotify): one watch per folder under folder."""

    def __init__(self, folder: Path, pattern: str = "*"):
        self.folder, self.pattern = folder, pattern
        self._start()

    def _start(self) -> None:
        """A new set of watches, one per folder under self.folder as it is now."""
        self.events = inotify_simple.INotify(nonblocking=True)
        self.close = weakref.finalize(self, self.events.close)  # a dropped watch closes its fd
        self.folders: dict[int, str] = {}
        self.missing = not self.folder.is_dir()  # looked for again at each look
        try:
            for directory, _folders, _names in os.walk(self.folder):  # links not followed
                watch = self.events.add_watch(directory, _FILE_EVENTS | _FLAGS.DONT_FOLLOW)
                self.folders[watch] = directory
        except OSError:
            self.close()
            raise

    def look(self) -> set[str] | None:
        """The paths changed since the last look (empty: none), or ALL."""
        if self.missing and not self.folder.is_dir():
            return set()
        changed: set[str] = set()
        everything = self.missing
        for event in self.events.read(timeout=0):
            directory = self.folders.get(event.wd)
            if event.mask & _FLAGS.Q_OVERFLOW or event.mask & _FLAGS.ISDIR:
                everything = True  # events were lost, or a folder came, went or moved
            elif directory is not None and event.name:
                if fnmatch.fnmatch(event.name, self.pattern):
                    changed.add(os.path.join(directory, event.name))
            elif directory is not None and event.mask & _FOLDER_GONE:
                everything = True  # a watched folder itself was removed or moved
        if everything:
            # The watches may name folders by their old paths: start again from what is there
            # now. What changed meanwhile is seen by the caller's look at every file.
            self.close()
            self._start()
            return ALL
        return changed


def watch(folder: Path, pattern: str = "*", poll: bool = False) -> Notified | Polling:
    """A watch on the files under folder named by pattern: the kernel's when it can."""
    if not poll and inotify_simple is not None:
        try:
            return Notified(folder, pattern)
        except OSError:  # no more watches allowed (fs.inotify.max_user_watches): poll
            pass
    return Polling(folder, pattern)
