"""The swap: a build killed or failing at any step leaves one whole build in place, and the next
build finishes or undoes the swap and removes every leftover; workers end with their build."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from kb import output as out
from kb.cache import CACHE_DIR
from kb.freeze import BuildError, build

from support import make_site, pair

# What the swap does to folders, one call at a time: with renameat2, or without it.
STEPS = {True: ("_exchange", "_rename", "remove"), False: ("_rename", "remove")}


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """Two versions of a small site, and each one's build as a reference."""
    base = tmp_path_factory.mktemp("sites")
    old = make_site(base / "old", pair())
    new = make_site(base / "new", pair(title="What happens once the Planning Period ends?"))
    build(old, base / "old-build")
    build(new, base / "new-build")
    return {
        "old": old,
        "new": new,
        "old-build": tree(base / "old-build"),
        "new-build": tree(base / "new-build"),
        "old-folder": base / "old-build",
    }


def previous_build(sites, output: Path) -> None:
    """output holds the old site's build (a copy: quicker than building it again)."""
    shutil.rmtree(output, ignore_errors=True)
    shutil.copytree(sites["old-folder"], output)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name not in ("build", "keep"))


def patch_steps(monkeypatch, fail_at: int, when: str, action, exchange: bool) -> None:
    """Make the fail_at-th step of the swap (counting from 0) call action, before or after it."""
    calls = []

    def wrap(real):
        def step(*args):
            calls.append(real.__name__)
            if len(calls) - 1 == fail_at and when == "before":
                action()
            result = real(*args)
            if len(calls) - 1 == fail_at and when == "after":
                action()
            return result

        return step

    if not exchange:
        monkeypatch.setattr(out, "_exchange", lambda first, second: False)
    for name in STEPS[exchange]:
        monkeypatch.setattr(out, name, wrap(getattr(out, name)))


def killed_build(
    root: Path, output: Path, monkeypatch, fail_at: int, when: str, exchange: bool
) -> bool:
    """Build in a forked process that is killed at that step: True if it was (not finished)."""
    pid = os.fork()
    if pid == 0:
        try:
            patch_steps(monkeypatch, fail_at, when, lambda: os._exit(9), exchange)  # nothing after
            build(root, output, jobs=1)
        finally:
            os._exit(0)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 9


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two-renames"])
def test_a_build_killed_at_any_step_of_the_swap_is_recovered_by_the_next(
    sites, tmp_path, monkeypatch, exchange
):
    assert out._renameat2 is not None, "renameat2 is in glibc on Linux"
    output = tmp_path / "build"
    points = 0
    for fail_at in range(5):
        for when in ("before", "after"):
            previous_build(sites, output)
            if not killed_build(sites["new"], output, monkeypatch, fail_at, when, exchange):
                break
            points += 1
            if exchange:  # the folder is never missing, nor a mix of two builds
                assert tree(output) in (sites["old-build"], sites["new-build"]), (fail_at, when)
            out.recover(output)
            assert tree(output) in (sites["old-build"], sites["new-build"]), (fail_at, when)
            assert leftovers(tmp_path) == []
            build(sites["new"], output)
            assert tree(output) == sites["new-build"]
            assert leftovers(tmp_path) == []
        else:
            continue
        break
    assert points == (4 if exchange else 6)  # exchange, remove; or rename, rename, remove


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two-renames"])
def test_a_step_of_the_swap_that_fails_leaves_one_whole_build(
    sites, tmp_path, monkeypatch, exchange
):
    output = tmp_path / "build"

    def fail():
        raise OSError(5, "Input/output error")

    for fail_at in range(2 if exchange else 3):  # exchange, remove; or rename, rename, remove
        with monkeypatch.context() as patched:
            previous_build(sites, output)
            patch_steps(patched, fail_at, "before", fail, exchange)
            try:
                build(sites["new"], output)
            except BuildError as error:
                assert "could not put the new build in place" in str(error)
            assert tree(output) in (sites["old-build"], sites["new-build"]), fail_at
        build(sites["new"], output)
        assert tree(output) == sites["new-build"] and leftovers(tmp_path) == []


def test_a_kill_while_removing_the_previous_build_is_cleaned_up(sites, tmp_path, monkeypatch):
    output = tmp_path / "build"
    previous_build(sites, output)
    pid = os.fork()
    if pid == 0:
        try:
            # Killed as the previous build's first folder is removed.
            monkeypatch.setattr(out, "shutil", SimpleNamespace(rmtree=lambda path: os._exit(9)))
            build(sites["new"], output, jobs=1)
        finally:
            os._exit(0)
    assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 9
    assert tree(output) == sites["new-build"]
    assert len(leftovers(tmp_path)) == 1  # the previous build, partly removed
    build(sites["new"], output)
    assert leftovers(tmp_path) == []


def test_only_kbs_own_leftovers_are_removed(sites, tmp_path):
    output = tmp_path / "build"
    previous_build(sites, output)
    for name in (".build.tmp-0badf00d", ".build.old-0badf00d", ".build.tmp-empty"):
        (tmp_path / name).mkdir()
    for name in (".build.tmp-0badf00d", ".build.old-0badf00d"):
        out.mark(tmp_path / name)
        (tmp_path / name / "en").mkdir()
        (tmp_path / name / "en" / "index.html").write_text("<p>an old build</p>")
    (tmp_path / ".build.tmp-mine").mkdir()  # someone's folder that only looks like kb's
    (tmp_path / ".build.tmp-mine" / "notes.txt").write_text("mine")
    # Killed as it wrote its marker: the marker cut short, nothing else in the folder.
    (tmp_path / ".build.tmp-cut").mkdir()
    (tmp_path / ".build.tmp-cut" / out.MARKER).write_text(out.MARKER_TEXT[:5])
    # A marker file of someone else's (other words), or a cut one beside other files: not kb's.
    (tmp_path / ".build.tmp-other").mkdir()
    (tmp_path / ".build.tmp-other" / out.MARKER).write_text("not kb's words")
    (tmp_path / ".build.tmp-full").mkdir()
    (tmp_path / ".build.tmp-full" / out.MARKER).write_text("")
    (tmp_path / ".build.tmp-full" / "notes.txt").write_text("mine")
    (tmp_path / ".build.tmp-running").mkdir()  # the staging folder of a build still running
    out.mark(tmp_path / ".build.tmp-running")
    running = os.open(tmp_path / ".build.tmp-running", os.O_RDONLY)
    fcntl.flock(running, fcntl.LOCK_EX)
    try:
        build(sites["new"], output)
    finally:
        os.close(running)
    kept = [".build.tmp-full", ".build.tmp-mine", ".build.tmp-other"]
    assert leftovers(tmp_path) == sorted([*kept, ".build.tmp-running"])
    assert (tmp_path / ".build.tmp-mine" / "notes.txt").read_text() == "mine"
    build(sites["new"], output)  # no longer running: removed
    assert leftovers(tmp_path) == kept


# Real processes, killed for real.

KB = [sys.executable, "-c", "from kb.cli import main; main()"]


def children(pid: int) -> set[int]:
    """Processes whose parent is pid (the kernel's list of each of its threads' children)."""
    found = set()
    for listing in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found.update(int(child) for child in listing.read_text().split())
        except OSError:  # the thread or the process ended
            continue
    return found


def ended(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state in ("Z", "X")  # a zombie has ended; only its exit status is left


def staged_files(folder: Path) -> int:
    return sum(
        len(files) for staging in folder.glob(".build.tmp-*") for _, _, files in os.walk(staging)
    )


MOMENTS = {  # when to stop a build of the generated site: while...
    "loading": lambda folder, kids: kids and not list(folder.glob(".build.tmp-*")),
    "staging": lambda folder, kids: list(folder.glob(".build.tmp-*")),
    "freezing": lambda folder, kids: kids and staged_files(folder) > 300,
}


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def stopped_build(root: Path, output: Path, moment: str, signum: int):
    """Run `kb build --jobs 2`, send signum at the moment; return the process, its workers."""
    # A cold cache, so that reading and Markdown run in worker processes too (a warm one is
    # read in the main process, and the build would reach no 'loading' moment).
    shutil.rmtree(root / CACHE_DIR, ignore_errors=True)
    # Ctrl-C as at a terminal: a shell starts background jobs with SIGINT ignored, and a child
    # inherits that (Python then installs no KeyboardInterrupt handler).
    process = subprocess.Popen(
        [*KB, "build", "--root", str(root), "--output", str(output), "--jobs", "2", "--quiet"],
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_default_sigint,
    )
    workers: set[int] = set()
    while process.poll() is None:
        kids = children(process.pid)
        workers |= kids
        if MOMENTS[moment](output.parent, kids):
            process.send_signal(signum)
            break
        time.sleep(0.005)
    else:
        process.communicate(timeout=120)
        pytest.fail(f"the build ended before the moment '{moment}' came")
    process.stderr_text = process.communicate(timeout=120)[1]
    return process, workers


def wait_ended(pids: set[int], seconds: float = 5) -> set[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not all(ended(pid) for pid in pids):
        time.sleep(0.05)
    return {pid for pid in pids if not ended(pid)}


@pytest.fixture(scope="module")
def reference(synthetic_root, tmp_path_factory):
    """The generated site's build: its folder and its files."""
    output = tmp_path_factory.mktemp("reference") / "build"
    build(synthetic_root, output, jobs=2)
    return output, tree(output)


@pytest.mark.parametrize("moment", list(MOMENTS))
def test_kill_9_of_a_build_leaves_no_worker_and_the_next_build_is_clean(
    synthetic_root, reference, tmp_path, moment
):
    output = tmp_path / "build"
    shutil.copytree(reference[0], output)
    process, workers = stopped_build(synthetic_root, output, moment, signal.SIGKILL)
    assert process.returncode == -signal.SIGKILL
    assert workers, "the build ran worker processes"
    assert wait_ended(workers) == set()
    assert tree(output) == reference[1]  # the previous build, whole
    build(synthetic_root, output, jobs=2)
    assert leftovers(tmp_path) == []
    assert tree(output) == reference[1]


@pytest.mark.parametrize("signum, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_sigterm_and_ctrl_c_stop_the_build_and_leave_nothing_behind(
    synthetic_root, reference, tmp_path, signum, code
):
    output = tmp_path / "build"
    shutil.copytree(reference[0], output)
    process, workers = stopped_build(synthetic_root, output, "freezing", signum)
    stderr = process.stderr_text
    assert process.returncode == code, stderr
    assert "build interrupted" in stderr and "Traceback" not in stderr
    assert leftovers(tmp_path) == []  # removed by the build itself, not the next one
    assert wait_ended(workers) == set()
    assert tree(output) == reference[1]
